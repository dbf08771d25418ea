import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PROJECT_ROOT } from '../config.js';
import { ProblemError } from '../domain/problems.js';

/** Where `npm start` (scripts/build-web.ts) puts the built React app. */
export const WEB_DIST_DIR = resolve(PROJECT_ROOT, 'web/dist');

/** Paths the server owns; anything else a browser asks for as a page is a screen of the app. /guides: server-rendered guides. */
const SERVER_PREFIXES = [
  '/api/',
  '/docs',
  '/openapi.json',
  '/problems',
  '/healthz',
  '/readyz',
  '/metrics',
  '/assets/',
  '/guides',
];

/** The build's .br and .gz copies are sent in place of their file, never by their own name. */
const COMPRESSED_COPIES = ['**/*.br', '**/*.gz'];

function wantsPage(url: string, accept: string | undefined): boolean {
  const path = url.split('?')[0]!;
  if (SERVER_PREFIXES.some((prefix) => path === prefix || path.startsWith(prefix))) return false;
  return (accept ?? '').includes('text/html');
}

/**
 * Serves the web app: hashed assets under /assets (cached for a year), other built files by name, and
 * index.html for every page of the app (the client-side router takes it from there). Requests the server
 * owns keep their problem+json 404. Scripts, styles and index.html go out as the brotli or gzip copy the
 * build wrote beside them (`preCompressed`, with `Vary: Accept-Encoding`) to a browser that accepts it.
 */
export async function registerWebApp(app: FastifyInstance, distDir = WEB_DIST_DIR) {
  const index = join(distDir, 'index.html');
  if (!existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>Knotwork</title><p>The web app is not built yet. Run <code>npm start</code> (it builds it) or <code>npm run build:web</code>.</p>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: join(distDir, 'assets'),
    prefix: '/assets/',
    wildcard: false,
    index: false,
    globIgnore: COMPRESSED_COPIES,
    maxAge: '365d',
    immutable: true,
    // Also governs reply.sendFile, so index.html too.
    preCompressed: true,
  });
  await app.register(fastifyStatic, {
    root: distDir,
    wildcard: false,
    index: false,
    globIgnore: ['assets/**', 'index.html', 'build-inputs.json', ...COMPRESSED_COPIES],
    decorateReply: false,
  });
  const sendApp = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', distDir, { cacheControl: false });
  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendApp(reply));
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    if (!wantsPage(request.url, request.headers.accept)) {
      throw new ProblemError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`);
    }
    return sendApp(reply);
  });
}
