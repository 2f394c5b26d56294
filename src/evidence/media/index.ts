/**
 * Media processing for the evidence vault: type detection, metadata extraction, metadata-free working
 * copies and thumbnails, perceptual hashes and a near-duplicate index. Pure functions of files; no
 * database. Tools: file-type, sharp, Debian's exiftool, ffprobe and ffmpeg (scripts/setup-system.sh).
 */
export { type DerivedFile, makeThumbnail, stripMetadataCopy, type ThumbnailOptions } from './derive.js';
export { type DetectedType, detectType, kindOf, looksLikeUtf8Text } from './detect-type.js';
export {
  closeSharedExiftool,
  ExiftoolPool,
  ExiftoolProcess,
  type ExiftoolProcessOptions,
  sharedExiftool,
} from './exiftool-process.js';
export { hamming, splitHash } from './hamming.js';
export {
  exifDateToIso,
  extractMetadata,
  type MetadataOutcome,
  type MetadataRecord,
  type MetadataSummary,
  parseIso6709,
  summarizeExiftool,
  summarizeFfprobe,
} from './metadata.js';
export {
  type PhashFrame,
  type PhashOptions,
  type PhashResult,
  perceptualHash,
  phashFromGray32,
} from './phash.js';
export { PhashIndex, type PhashMatch } from './phash-index.js';
export type { RunOptions } from './run-tool.js';
export { type ToolVersions, toolVersions } from './tool-versions.js';
export type { FailureCode, MediaKind, MediaTool, ToolFailure } from './types.js';
export { extractVideoFrame, type VideoFrame } from './video-frame.js';
