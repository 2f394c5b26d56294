/**
 * The one fontkit entry point the report renderer uses (fontkit ships no types): a parsed font that
 * pdfkit accepts in place of font bytes, so one parse serves every report a process renders.
 */
declare module 'fontkit' {
  export interface Font {
    layout(text: string, features?: unknown): unknown;
    postscriptName: string;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
