/**
 * Minimal `multipart/form-data` reader for Bot API requests. grammY writes parts with lower-case,
 * space-less headers and unquoted filenames (`content-disposition:form-data;name="x";filename=a.jpg`),
 * browsers and curl write the canonical form; both are accepted. Malformed bodies yield whatever
 * parts could be read rather than throwing, because a crash would hide the bot's real behaviour.
 */

/** One uploaded file from a multipart body. */
export interface UploadedPart {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

/** Fields (as strings, like Telegram receives them) and files keyed by part name. */
export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, UploadedPart>;
}

/** Extracts the boundary from a Content-Type header, or undefined if there is none. */
export function multipartBoundary(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Splits a multipart body into fields and files. */
export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const fields: Record<string, string> = {};
  const files: Record<string, UploadedPart> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing "--boundary--"
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd >= 0 && headerEnd < end) {
      const headers = body.subarray(start, headerEnd).toString('utf8');
      const content = body.subarray(headerEnd + 4, end);
      const disposition = /content-disposition\s*:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /(?:^|;)\s*name=(?:"([^"]*)"|([^;\s]*))/i.exec(disposition);
      const fileName = /(?:^|;)\s*filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(disposition);
      const partName = name ? (name[1] ?? name[2] ?? '') : '';
      if (fileName) {
        files[partName] = {
          fileName: (fileName[1] ?? fileName[2] ?? '').trim(),
          contentType:
            /content-type\s*:\s*([^\r\n;]*)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream',
          bytes: Buffer.from(content),
        };
      } else if (partName) {
        fields[partName] = content.toString('utf8');
      }
    }
    pos = next;
  }
  return { fields, files };
}
