/**
 * Medical clearance documents: what we accept and how we recognise it. The type comes from the file's first
 * bytes, never from its name or a declared content type, so a script renamed to .pdf is refused.
 */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

export type DocumentType = 'application/pdf' | 'image/png' | 'image/jpeg';

const SIGNATURES: { type: DocumentType; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

export function sniffDocumentType(content: Uint8Array): DocumentType | undefined {
  return SIGNATURES.find((s) => content.length > s.bytes.length && s.bytes.every((b, i) => content[i] === b))?.type;
}

/** A file name safe to store and to put in a Content-Disposition header: no paths, quotes or control characters. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters have no place in a file name shown and sent back
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '_').trim();
  return cleaned.length > 0 ? cleaned.slice(0, 200) : 'clearance';
}

/** Content-Disposition for a download: an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
