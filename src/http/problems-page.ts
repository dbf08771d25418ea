import type { FastifyInstance } from 'fastify';
import { escapeHtml } from '../domain/escape-html.js';
import { PROBLEMS } from '../domain/problems.js';
import { inlineBlock, securityPolicyWith } from '../web-security/security-headers.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2a2a}
a{color:#0b6b5c}code{background:#eef3f2;padding:0 .25rem;border-radius:3px}table{border-collapse:collapse}
td,th{border-bottom:1px solid #d6dedd;padding:.3rem .6rem;text-align:left}`;

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style></head><body>${body}</body></html>`;

/** Every problem code the API can return, as a page: problem documents' `type` links point here. */
export function registerProblemsPage(app: FastifyInstance) {
  app.get(
    '/problems',
    { schema: { hide: true }, helmet: securityPolicyWith({ 'style-src': [inlineBlock(STYLE)] }) },
    async (_request, reply) => {
      const rows = Object.entries(PROBLEMS)
        .map(
          ([code, p]) =>
            `<tr id="${code}"><td><code>${code}</code></td><td>${p.status}</td><td>${escapeHtml(p.title)}</td></tr>`,
        )
        .join('');
      return reply
        .type('text/html; charset=utf-8')
        .send(
          page(
            'Knotwork error codes',
            `<h1>Error codes</h1><table><tr><th>code</th><th>status</th><th>meaning</th></tr>${rows}</table>`,
          ),
        );
    },
  );
}
