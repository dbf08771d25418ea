import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_SLUGS, GUIDE_TITLES } from '../../src/domain/guide-links.js';
import { GUIDE_PAGE_STYLE } from '../../src/guides/engine/guide-page.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

/** The guides are server-rendered pages: what a search engine or a link preview fetches, without running a script. */
let t: TestApp;
let bare: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: { publicUrl: 'https://knotwork.example' } });
  bare = await startTestApp();
});
afterAll(async () => {
  await t.close();
  await bare.close();
});

const get = (app: TestApp, url: string, accept = 'text/html,application/xhtml+xml') =>
  app.app.inject({ method: 'GET', url, headers: { accept } });

const meta = (html: string, attr: 'name' | 'property', key: string) =>
  new RegExp(`<meta ${attr}="${key}" content="([^"]*)">`).exec(html)?.[1];

/** The text a reader without JavaScript sees in the article. */
const articleText = (html: string) =>
  (/<article>([\s\S]*)<\/article>/.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the guides as HTML pages', () => {
  it.each(GUIDE_SLUGS)(
    'serves /guides/%s: title, description, canonical, Open Graph, readable text, no script',
    async (slug) => {
      const response = await get(t, `/guides/${slug}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('public, max-age=300');
      const html = response.body;
      expect(html.startsWith('<!doctype html>')).toBe(true);
      const title = GUIDE_TITLES[slug];
      expect(html).toContain(`<title>${title} · Knotwork</title>`);
      expect(html).toContain(`<h1>${title}</h1>`);
      const description = meta(html, 'name', 'description');
      expect(description?.length).toBeGreaterThan(40);
      expect(html).toContain(`<link rel="canonical" href="https://knotwork.example/guides/${slug}">`);
      expect(meta(html, 'property', 'og:url')).toBe(`https://knotwork.example/guides/${slug}`);
      expect(meta(html, 'property', 'og:title')).toBe(title);
      expect(meta(html, 'property', 'og:description')).toBe(description);
      expect(meta(html, 'property', 'og:type')).toBe('article');
      // Everything is in the document: no script, the article's words are there, with its sources and next steps.
      expect(html).not.toMatch(/<script/i);
      expect(articleText(html).length).toBeGreaterThan(500);
      expect(html).toContain('<h2 id="sources">Sources</h2>');
      expect(html).toContain('href="/self-check"');
      expect(html).toMatch(/href="\/search(\?[^"]*)?"/);
    },
  );

  it('links search with the guide’s specialty and focus regions filled in', async () => {
    expect((await get(t, '/guides/tight-hamstrings')).body).toContain(
      'href="/search?specialty=hamstrings&amp;focus=hamstrings.left%2Chamstrings.right"',
    );
    expect((await get(t, '/guides/knots-in-the-back')).body).toContain(
      'href="/search?specialty=trigger_point&amp;focus=upper_back.left%2Cupper_back.right%2Cmid_back.left%2Cmid_back.right%2Clow_back.left%2Clow_back.right%2Cshoulder_blade.left%2Cshoulder_blade.right"',
    );
  });

  it('allows its one inline style sheet by hash, and nothing else inline', async () => {
    const policy = (await get(t, '/guides/what-to-expect')).headers['content-security-policy'] as string;
    const hash = `'sha256-${createHash('sha256').update(GUIDE_PAGE_STYLE).digest('base64')}'`;
    expect(policy).toContain(`style-src 'self' ${hash}`);
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toContain('unsafe-inline');
  });

  it('lists every guide at /guides', async () => {
    const response = await get(t, '/guides');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<link rel="canonical" href="https://knotwork.example/guides">');
    for (const slug of GUIDE_SLUGS) expect(response.body).toContain(`href="/guides/${slug}"`);
    expect(meta(response.body, 'property', 'og:type')).toBe('website');
  });

  it('answers an unknown guide with a 404 page that is not indexed and lists the guides', async () => {
    const response = await get(t, '/guides/why-is-my-<b>-sore');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<h1>No such guide</h1>');
    expect(response.body).toContain('why-is-my-&lt;b&gt;-sore');
    expect(response.body).toContain('<meta name="robots" content="noindex">');
    expect(response.body).not.toContain('rel="canonical"');
    for (const slug of GUIDE_SLUGS) expect(response.body).toContain(`href="/guides/${slug}"`);
  });

  it('is not swallowed by the web app: deeper paths under /guides are the server’s 404, not the app', async () => {
    const response = await get(t, '/guides/tight-hamstrings/more');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).not.toContain('<div id="root">');
    // While the app still serves its own screens.
    expect((await get(t, '/self-check')).body).toContain('<div id="root"></div>');
  });

  it('without PUBLIC_URL, is canonical at the address it was asked for', async () => {
    const response = await bare.app.inject({
      method: 'GET',
      url: '/guides/soreness-after-massage',
      headers: { accept: 'text/html', host: 'guides.knotwork.test' },
    });
    expect(response.body).toContain(
      '<link rel="canonical" href="http://guides.knotwork.test/guides/soreness-after-massage">',
    );
  });
});
