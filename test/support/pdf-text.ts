import { inflateSync } from 'node:zlib';

/**
 * The words of a PDF that pdfkit wrote, one text-showing operation a line: page streams are inflated when compressed,
 * and the hex strings of each TJ/Tj (pdfkit writes text as hex, with kerning numbers between the pieces) are decoded
 * and joined. Enough for tests to look for a receipt's number; not a general PDF reader.
 */
export function pdfText(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  const streamPattern = /stream\r?\n([\s\S]*?)\r?\nendstream/g;
  for (const match of raw.matchAll(streamPattern)) {
    const start = match.index + match[0].indexOf(match[1]!);
    const bytes = pdf.subarray(start, start + Buffer.byteLength(match[1]!, 'latin1'));
    let content: string;
    try {
      content = inflateSync(bytes).toString('latin1');
    } catch {
      content = bytes.toString('latin1');
    }
    for (const op of content.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?[\d.]+)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hexes = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : [op[2]!];
      lines.push(hexes.map((h) => Buffer.from(h, 'hex').toString('latin1')).join(''));
    }
  }
  return lines;
}
