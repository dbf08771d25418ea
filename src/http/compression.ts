import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * Compresses what is made per request (API JSON over 1 KiB, the server's pages, /docs' files) with brotli
 * (the plugin's quality 4, quick enough per request) or gzip, as the browser accepts. The web app's own files are
 * compressed once, at build (scripts/build-web.ts), and sent as they are (`preCompressed` in web-app.ts); a
 * reply that already has a Content-Encoding is left alone. Request bodies are never decompressed: no client
 * needs to send them compressed.
 */
export async function registerCompression(app: FastifyInstance) {
  await app.register(compress, { encodings: ['br', 'gzip'], globalDecompression: false });
}
