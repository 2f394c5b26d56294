/** Broad class of a file, decided from its content. */
export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'archive' | 'other';

/** External programs and libraries whose output the vault records. */
export type MediaTool = 'file-type' | 'exiftool' | 'ffprobe' | 'ffmpeg' | 'sharp';

/**
 * Why a tool could not produce a result. The vault records these as processing events; the item stays.
 * - `missing-tool`: the program is not installed (run scripts/setup-system.sh)
 * - `timeout`: the program ran longer than allowed and was killed
 * - `exit`: the program exited non-zero
 * - `tool-error`: the program ran but reported an error about the file (e.g. exiftool's `Error` tag)
 * - `parse`: the program's output could not be read
 * - `decode`: the file could not be decoded (corrupt, truncated, unsupported codec)
 * - `empty`: the file has no bytes
 * - `io`: the file could not be read
 * - `unsupported`: the operation does not apply to this kind of file
 */
export type FailureCode =
  | 'missing-tool'
  | 'timeout'
  | 'exit'
  | 'tool-error'
  | 'parse'
  | 'decode'
  | 'empty'
  | 'io'
  | 'unsupported';

/** A typed failure, returned instead of thrown. */
export interface ToolFailure {
  ok: false;
  tool: MediaTool;
  code: FailureCode;
  message: string;
}

/** Builds a {@link ToolFailure}. */
export function failure(tool: MediaTool, code: FailureCode, message: string): ToolFailure {
  return { ok: false, tool, code, message };
}
