/**
 * PDF rendering for every report in the product (pdfkit): real text in an embedded, subset TrueType
 * font with Belarusian and Russian Cyrillic (DejaVu Sans, shipped in assets/fonts under its licence),
 * PDF/A-3b, the JSON twin attached as an embedded file, the verification code and version on every
 * page and in the document information, a diagonal watermark on drafts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Font } from 'fontkit';
import type { ReportBlock, ReportDocument, ReportLabels, ReportStamp } from './model.js';

export const fontsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../assets/fonts');

/**
 * The fonts, parsed once per process. pdfkit would otherwise parse each TrueType file again for every
 * report (and with it the shaping tables, decoded lazily on first use): measured, that was most of a
 * one-page report's time. Each document still embeds its own subset of the glyphs it uses.
 */
let fonts: Promise<{ regular: Font; bold: Font }> | undefined;
function loadFonts() {
  fonts ??= import('fontkit').then(({ create }) => ({
    regular: create(readFileSync(path.join(fontsDir, 'DejaVuSans.ttf'))),
    bold: create(readFileSync(path.join(fontsDir, 'DejaVuSans-Bold.ttf'))),
  }));
  return fonts;
}

const defaultLabels: ReportLabels = {
  draft: 'DRAFT',
  verification: 'Verification code',
  version: 'version',
  page: 'page',
  issued: 'issued',
};

/** The key in the PDF document information that carries the verification code (plain, searchable). */
export const VERIFICATION_INFO_KEY = 'SviedkaVerificationCode';

const MARGIN = 56;
const BODY = 9.5;
const GREY = '#555555';

/**
 * Renders a report to PDF bytes. `attachments` (the JSON twin) are embedded as associated files.
 * Pure apart from reading the font files once.
 */
export async function renderPdf(
  document: ReportDocument,
  stamp: ReportStamp,
  attachments: Array<{ name: string; type: string; data: Buffer; description: string }> = [],
): Promise<Buffer> {
  const labels = { ...defaultLabels, ...document.labels };
  const { regular, bold } = await loadFonts();
  // pdfkit (with its font engine) loads on the first report, not with every process that could make one.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    lang: document.language,
    displayTitle: true,
    info: {
      Title: document.title,
      Author: document.author ?? 'Sviedka',
      Subject: document.subject ?? document.title,
      Keywords: `${stamp.verificationCode} v${stamp.version}${stamp.draft ? ' draft' : ''}`,
      Creator: 'Sviedka',
      CreationDate: stamp.issuedAt,
      ModDate: stamp.issuedAt,
    },
  });
  (doc.info as Record<string, unknown>)[VERIFICATION_INFO_KEY] = stamp.verificationCode;
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes a parsed fontkit font as well as bytes (its types know only bytes).
  doc.registerFont('body', regular as unknown as Buffer);
  doc.registerFont('bold', bold as unknown as Buffer);
  const width = doc.page.width - MARGIN * 2;

  doc.font('bold').fontSize(16).text(document.title, { width });
  if (document.subtitle) doc.font('body').fontSize(10).fillColor(GREY).text(document.subtitle, { width });
  doc
    .fillColor('black')
    .font('body')
    .fontSize(BODY)
    .text(
      `${labels.verification}: ${stamp.verificationCode} · ${labels.version} ${stamp.version} · ${labels.issued} ${stamp.issuedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC${stamp.draft ? ` · ${labels.draft}` : ''}`,
      { width },
    );
  doc.moveDown(0.8);
  for (const block of document.blocks) renderBlock(doc, block, width);

  for (const attachment of attachments) {
    doc.file(attachment.data, {
      name: attachment.name,
      type: attachment.type,
      description: attachment.description,
      creationDate: stamp.issuedAt,
      modifiedDate: stamp.issuedAt,
    });
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    if (stamp.draft) watermark(doc, labels.draft);
    const bottom = doc.page.height - MARGIN + 4;
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, bottom: 0 };
    doc
      .font('body')
      .fontSize(7.5)
      .fillColor(GREY)
      .text(
        `${labels.verification} ${stamp.verificationCode} · ${labels.version} ${stamp.version}${stamp.draft ? ` · ${labels.draft}` : ''} · ${labels.page} ${i - range.start + 1}/${range.count}`,
        MARGIN,
        bottom,
        { width, align: 'center', lineBreak: false },
      );
    doc.page.margins = margins;
  }
  doc.end();
  return done;
}

function watermark(doc: PDFKit.PDFDocument, text: string): void {
  const { width, height } = doc.page;
  doc.save();
  doc.rotate(-40, { origin: [width / 2, height / 2] });
  doc
    .font('bold')
    .fontSize(96)
    .fillColor('#d23c3c')
    .fillOpacity(0.18)
    .text(text, 0, height / 2 - 60, { width, align: 'center', lineBreak: false });
  doc.restore();
  doc.fillOpacity(1).fillColor('black');
}

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function renderBlock(doc: PDFKit.PDFDocument, block: ReportBlock, width: number): void {
  const x = doc.page.margins.left;
  switch (block.kind) {
    case 'heading':
      ensureSpace(doc, 40);
      doc.moveDown(0.6).font('bold').fontSize(12).fillColor('black').text(block.text, x, doc.y, { width });
      doc.moveDown(0.3);
      return;
    case 'paragraph':
      doc
        .font('body')
        .fontSize(BODY)
        .fillColor(block.muted ? GREY : 'black')
        .text(block.text, x, doc.y, { width, paragraphGap: 4 });
      doc.fillColor('black');
      return;
    case 'list':
      doc.font('body').fontSize(BODY).fillColor('black');
      for (const item of block.items)
        doc.text(`•  ${item}`, x + 6, doc.y, { width: width - 6, paragraphGap: 2 });
      return;
    case 'fields':
      table(doc, x, width, [0.3, 0.7], block.rows, null);
      return;
    case 'table':
      table(doc, x, width, block.widths ?? block.columns.map(() => 1), block.rows, block.columns);
      return;
  }
}

/** A simple ruled table: cells wrap, rows never split across pages, the header repeats on new pages. */
function table(
  doc: PDFKit.PDFDocument,
  x: number,
  width: number,
  relative: number[],
  rows: string[][],
  header: string[] | null,
): void {
  const total = relative.reduce((a, b) => a + b, 0);
  const widths = relative.map((w) => (w / total) * width);
  const pad = 3;
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(BODY);
    return (
      Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i]! - pad * 2 }))) +
      pad * 2
    );
  };
  const drawRow = (cells: string[], font: string, shade: boolean) => {
    const height = rowHeight(cells, font);
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (header && cells !== header) drawRow(header, 'bold', true);
    }
    const top = doc.y;
    if (shade) doc.rect(x, top, width, height).fill('#eeeeee').fillColor('black');
    let left = x;
    cells.forEach((cell, i) => {
      const labelColumn = !header && i === 0;
      doc
        .font(labelColumn ? 'bold' : font)
        .fontSize(BODY)
        .fillColor('black')
        .text(cell, left + pad, top + pad, { width: widths[i]! - pad * 2 });
      left += widths[i]!;
    });
    doc
      .moveTo(x, top + height)
      .lineTo(x + width, top + height)
      .lineWidth(0.4)
      .strokeColor('#bbbbbb')
      .stroke();
    doc.x = x;
    doc.y = top + height;
  };
  if (header) drawRow(header, 'bold', true);
  for (const row of rows) drawRow(row, 'body', false);
  doc.moveDown(0.5);
}
