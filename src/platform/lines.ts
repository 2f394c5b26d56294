/**
 * Splits a byte stream into lines without ever holding more than one bounded line in memory. Unlike
 * `readline`, it works on raw bytes: an over-long line is skipped (reported with its length) instead of
 * being buffered whole, and invalid UTF-8 is reported per line instead of being silently replaced.
 */

export const MAX_LINE_BYTES = 1024 * 1024;

export type Line =
  | { lineNo: number; text: string; bytesRead: number }
  | { lineNo: number; error: 'too_long'; length: number; bytesRead: number }
  | { lineNo: number; error: 'bad_utf8'; bytesRead: number };

const NEWLINE = 0x0a;

/**
 * Yields each line of `source` (a file stream, an HTTP body) with its 1-based number and the bytes read
 * so far. Trailing `\r` is dropped; a UTF-8 byte-order mark on the first line is dropped.
 */
export async function* splitLines(
  source: AsyncIterable<Uint8Array | string>,
  maxBytes = MAX_LINE_BYTES,
): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let parts: Buffer[] = [];
  let length = 0;
  let overflow = false;
  let lineNo = 0;
  let bytesRead = 0;

  const finish = (): Line => {
    lineNo++;
    if (overflow) {
      const line: Line = { lineNo, error: 'too_long', length, bytesRead };
      overflow = false;
      length = 0;
      return line;
    }
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
    parts = [];
    length = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length > maxBytes) return { lineNo, error: 'too_long', length: bytes.length, bytesRead };
    try {
      return { lineNo, text: decoder.decode(bytes), bytesRead };
    } catch {
      return { lineNo, error: 'bad_utf8', bytesRead };
    }
  };

  for await (const raw of source) {
    const chunk =
      typeof raw === 'string'
        ? Buffer.from(raw, 'utf8')
        : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      const segment = end - start;
      if (overflow) {
        length += segment;
      } else if (length + segment > maxBytes + 1) {
        // +1 leaves room for a trailing \r of a line that is exactly maxBytes long.
        overflow = true;
        parts = [];
        length += segment;
      } else if (segment > 0) {
        parts.push(chunk.subarray(start, end));
        length += segment;
      }
      if (newline === -1) {
        bytesRead += chunk.length - start;
        break;
      }
      bytesRead += segment + 1;
      start = newline + 1;
      yield finish();
      if (start === chunk.length) break;
    }
  }
  if (length > 0 || overflow) yield finish();
}
