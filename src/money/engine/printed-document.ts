/**
 * A printed document (a receipt, a superbill) as plain data: a title and blocks in reading order. The builders
 * (receipt-document.ts, superbill-document.ts) decide every word and number; money/receipt-pdf.ts only lays the blocks
 * out on pages, so what a document says is tested without reading a PDF.
 */

export interface TableColumn {
  header: string;
  /** Share of the page's width, 0 < width ≤ 1; a table's widths add up to 1. */
  width: number;
  align: 'left' | 'right';
}

export type DocumentBlock =
  | { kind: 'heading'; text: string }
  /** Label and value pairs, one a line ("Receipt number  KW-2026-000042"). */
  | { kind: 'fields'; rows: [label: string, value: string][] }
  | { kind: 'table'; columns: TableColumn[]; rows: string[][]; total?: string[] }
  | { kind: 'paragraph'; text: string }
  /** A labelled space left blank to be filled in by hand (diagnosis codes from a referral), `lines` lines tall. */
  | { kind: 'blank'; label: string; lines: number };

export interface PrintedDocument {
  title: string;
  /** The PDF's subject and author in its information dictionary. */
  subject: string;
  author: string;
  /** When the document was issued (epoch ms): the PDF's creation date, so the same document renders the same bytes. */
  issuedAt: number;
  blocks: DocumentBlock[];
}

/** Every word of a document in reading order, one string a line: what tests and plain-text e-mails read. */
export function documentText(doc: PrintedDocument): string[] {
  const lines = [doc.title];
  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'heading':
      case 'paragraph':
        lines.push(block.text);
        break;
      case 'fields':
        for (const [label, value] of block.rows) lines.push(`${label}: ${value}`);
        break;
      case 'table':
        lines.push(block.columns.map((c) => c.header).join(' | '));
        for (const row of block.rows) lines.push(row.join(' | '));
        if (block.total) lines.push(block.total.join(' | '));
        break;
      case 'blank':
        lines.push(`${block.label}: ____`);
        break;
    }
  }
  return lines;
}
