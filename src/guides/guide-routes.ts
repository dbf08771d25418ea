import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, AppContext } from '../app-context.js';
import { GUIDE_SLUGS, isGuideSlug } from '../domain/guide-links.js';
import { inlineBlock, securityPolicyWith } from '../web-security/security-headers.js';
import { buildGuide } from './engine/guide-content.js';
import { GUIDE_PAGE_STYLE, renderGuideNotFound, renderGuidePage, renderGuidesIndex } from './engine/guide-page.js';

/** The guides are the same for everyone and change only with a release: built once, when the routes are registered. */
const GUIDES = new Map(GUIDE_SLUGS.map((slug) => [slug, buildGuide(slug)]));

const HTML = 'text/html; charset=utf-8';
/** Public pages: a shared cache may keep them a while. */
const CACHE = 'public, max-age=300';
const PAGE_POLICY = securityPolicyWith({ 'style-src': [inlineBlock(GUIDE_PAGE_STYLE)] });

/**
 * The guides as server-rendered pages (not the web app), so search engines and link previews read them: /guides
 * lists them, /guides/{slug} shows one, an unknown slug is a 404 page. Hidden from the API description: they are
 * pages, not API operations.
 */
export function registerGuideRoutes(app: App, ctx: AppContext) {
  const origin = (request: FastifyRequest) => ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;

  app.get('/guides', { schema: { hide: true }, helmet: PAGE_POLICY }, async (request, reply) =>
    reply
      .type(HTML)
      .header('cache-control', CACHE)
      .send(renderGuidesIndex([...GUIDES.values()], { origin: origin(request) })),
  );

  app.get(
    '/guides/:slug',
    {
      schema: { hide: true, params: z.object({ slug: z.string().max(100) }).strict() },
      helmet: PAGE_POLICY,
    },
    async (request, reply) => {
      const { slug } = request.params;
      const guide = isGuideSlug(slug) ? GUIDES.get(slug) : undefined;
      if (!guide)
        return reply
          .code(404)
          .type(HTML)
          .header('cache-control', 'no-store')
          .send(renderGuideNotFound(slug, { origin: origin(request) }));
      return reply
        .type(HTML)
        .header('cache-control', CACHE)
        .send(renderGuidePage(guide, { origin: origin(request) }));
    },
  );
}
