import { describe, expect, it } from 'vitest';
import { attachmentDisposition, safeFilename, sniffDocumentType } from './clearance-document.js';

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? [...Buffer.from(v)] : [v])));

describe('clearance documents', () => {
  it('recognises PDF, PNG and JPEG by their first bytes only', () => {
    expect(sniffDocumentType(bytes('%PDF-1.7\n', 0))).toBe('application/pdf');
    expect(sniffDocumentType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffDocumentType(bytes(0xff, 0xd8, 0xff, 0xe0, 0))).toBe('image/jpeg');
    expect(sniffDocumentType(bytes('<html><script>alert(1)</script>'))).toBeUndefined();
    expect(sniffDocumentType(bytes('GIF89a', 0))).toBeUndefined();
    expect(sniffDocumentType(bytes('%PDF-'))).toBeUndefined();
  });

  it('keeps file names free of paths, quotes and control characters', () => {
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('C:\\docs\\note "final".pdf')).toBe('note _final_.pdf');
    expect(safeFilename('a\r\nb.pdf')).toBe('a__b.pdf');
    expect(safeFilename('///')).toBe('clearance');
    expect(attachmentDisposition('Lettre médecin.pdf')).toBe(
      `attachment; filename="Lettre m_decin.pdf"; filename*=UTF-8''Lettre%20m%C3%A9decin.pdf`,
    );
  });
});
