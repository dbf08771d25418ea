import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

type Directives = Record<string, string[]>;

/**
 * The Content-Security-Policy of every response: scripts, styles, images, fonts and connections (the live
 * channel's WebSocket included) only from this server, no inline script or style, no plugins, no framing. The
 * web app runs under it as built; a route that needs more says so with `securityPolicyWith`.
 */
const DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** A CSP source allowing exactly this inline `<style>` or `<script>` block (the text between the tags). */
export const inlineBlock = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The helmet route option for a route that needs more than the common policy: these sources added to it. */
export function securityPolicyWith(extra: Directives) {
  const directives = Object.fromEntries(
    Object.entries(DIRECTIVES).map(([name, sources]) => [name, [...sources, ...(extra[name] ?? [])]]),
  );
  return { contentSecurityPolicy: { useDefaults: false, directives } };
}

/** Swagger UI at /docs draws icons as data: images from its style sheet. */
const DOCS_POLICY = securityPolicyWith({ 'img-src': ['data:'] });

/**
 * Security headers on every response (helmet), and `Cache-Control: no-store` on every API response that does not
 * set its own: API answers are one person's data (health data above all), never to be kept by a browser or a
 * shared cache. The printable brief and downloads outside /api set it themselves.
 */
export async function registerSecurityHeaders(app: FastifyInstance) {
  // Added before helmet's own onRoute hook, which reads the `helmet` route option.
  app.addHook('onRoute', (route) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/')) route.helmet = DOCS_POLICY;
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: DIRECTIVES },
    // Booking ids in addresses never leave the site; own pages still get a Referer (and forms an Origin).
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}
