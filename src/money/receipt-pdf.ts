import type { DocumentBlock, PrintedDocument } from './engine/printed-document.js';

/**
 * Lays a printed document (engine/printed-document.ts) out as a PDF with pdfkit: Letter pages, the standard
 * Helvetica fonts (nothing to embed), tables in columns. Deterministic: the information dictionary's dates are the
 * document's issue time, never the clock, so the same receipt always renders the same bytes. `compress: false`
 * leaves the page streams readable (tests look for words in them).
 */

const MARGIN = 54;

/** pdfkit (and its fonts and tables) is loaded on the first document, not at start-up: most processes print none. */
const importPdfkit = () => import('pdfkit');
let pdfkit: ReturnType<typeof importPdfkit> | undefined;

export async function renderPdf(doc: PrintedDocument, options: { compress?: boolean } = {}): Promise<Buffer> {
  const issued = new Date(doc.issuedAt);
  const { default: PDFDocument } = await (pdfkit ??= importPdfkit());
  const pdf = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    compress: options.compress ?? true,
    info: {
      Title: doc.title,
      Subject: doc.subject,
      Author: doc.author,
      Creator: 'Knotwork',
      Producer: 'Knotwork',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.font('Helvetica-Bold').fontSize(18).text(doc.title);
  pdf.moveDown(0.8);
  for (const block of doc.blocks) drawBlock(pdf, block);
  pdf.end();
  return done;
}

function drawBlock(pdf: PDFKit.PDFDocument, block: DocumentBlock) {
  const left = MARGIN;
  const width = pdf.page.width - 2 * MARGIN;
  switch (block.kind) {
    case 'heading':
      pdf.moveDown(0.6).font('Helvetica-Bold').fontSize(13).text(block.text, left, undefined, { width });
      pdf.moveDown(0.3);
      break;
    case 'paragraph':
      pdf.moveDown(0.5).font('Helvetica').fontSize(10).text(block.text, left, undefined, { width });
      break;
    case 'fields':
      pdf.fontSize(10);
      for (const [label, value] of block.rows) {
        const y = pdf.y;
        pdf.font('Helvetica-Bold').text(label, left, y, { width: width * 0.3 });
        const afterLabel = pdf.y;
        pdf.font('Helvetica').text(value, left + width * 0.3, y, { width: width * 0.7 });
        pdf.y = Math.max(pdf.y, afterLabel);
      }
      break;
    case 'table': {
      pdf.moveDown(0.5);
      const row = (cells: string[], font: string) => {
        if (pdf.y > pdf.page.height - MARGIN - 40) pdf.addPage();
        const y = pdf.y;
        let x = left;
        let bottom = y;
        pdf.font(font).fontSize(9.5);
        block.columns.forEach((column, i) => {
          const w = column.width * width;
          pdf.text(cells[i] ?? '', x + 2, y, { width: w - 4, align: column.align });
          bottom = Math.max(bottom, pdf.y);
          x += w;
        });
        pdf.y = bottom + 3;
      };
      const rule = () => {
        pdf
          .moveTo(left, pdf.y)
          .lineTo(left + width, pdf.y)
          .lineWidth(0.5)
          .stroke();
        pdf.y += 3;
      };
      row(
        block.columns.map((c) => c.header),
        'Helvetica-Bold',
      );
      rule();
      for (const cells of block.rows) row(cells, 'Helvetica');
      if (block.total) {
        rule();
        row(block.total, 'Helvetica-Bold');
      }
      pdf.x = left;
      break;
    }
    case 'blank':
      pdf.moveDown(0.8).font('Helvetica-Bold').fontSize(10).text(block.label, left, undefined, { width });
      for (let i = 0; i < block.lines; i++) {
        pdf.y += 18;
        pdf
          .moveTo(left, pdf.y)
          .lineTo(left + width, pdf.y)
          .lineWidth(0.5)
          .stroke();
      }
      pdf.y += 6;
      break;
  }
}
