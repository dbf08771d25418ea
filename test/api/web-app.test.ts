import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST_DIR } from '../../src/http/web-app.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

/** The built app (web/dist, made by the global setup) served next to the API. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const get = (url: string, accept = 'text/html,application/xhtml+xml', headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { accept, ...headers } });

describe('serving the web app', () => {
  it('serves the app at / and at every deep link a browser opens, without caching the page', async () => {
    for (const url of [
      '/',
      '/search?duration=60',
      '/bookings/0b9a7c1e-2f43-4c55-9a8e-3d1f2c4b5a69/reschedule',
      '/operator/licences',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<div id="root"></div>');
    }
  });

  it('serves hashed assets for a year, and other built files by name', async () => {
    const page = (await get('/')).body;
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    const asset = await get(script!, '*/*');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await get('/favicon.svg', 'image/*')).headers['content-type']).toMatch(/^image\/svg/);
    expect((await get('/build-inputs.json', '*/*')).statusCode).toBe(404);
  });

  it('sends scripts, style sheets and the page brotli- or gzip-compressed as the browser accepts, varying on Accept-Encoding', async () => {
    const page = (await get('/')).body;
    const files = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(files.some((f) => f.endsWith('.css')) && files.some((f) => f.endsWith('.js'))).toBe(true);
    for (const url of ['/', ...files]) {
      const raw = readFileSync(join(WEB_DIST_DIR, url === '/' ? 'index.html' : url));
      const br = await get(url, '*/*', { 'accept-encoding': 'br, gzip' });
      expect(br.headers['content-encoding'], url).toBe('br');
      expect(br.headers.vary, url).toMatch(/accept-encoding/i);
      expect(br.headers['content-type'], url).toMatch(url === '/' ? /^text\/html/ : /javascript|css/);
      expect(brotliDecompressSync(br.rawPayload).equals(raw), url).toBe(true);
      if (url !== '/') expect(br.rawPayload.length, url).toBeLessThan(raw.length / 2);
      const gzip = await get(url, '*/*', { 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding'], url).toBe('gzip');
      expect(gunzipSync(gzip.rawPayload).equals(raw), url).toBe(true);
      const identity = await get(url, '*/*');
      expect(identity.headers['content-encoding'], url).toBeUndefined();
      expect(identity.headers.vary, url).toMatch(/accept-encoding/i);
      expect(identity.rawPayload.equals(raw), url).toBe(true);
      for (const response of [br, gzip, identity]) {
        expect(response.headers, url).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'referrer-policy': 'same-origin',
        });
        expect(response.headers['content-security-policy'], url).toContain("script-src 'self'");
      }
    }
    // The compressed copies are sent in place of their file, never by their own name.
    expect((await get(`${files[0]}.br`, '*/*')).statusCode).toBe(404);
  });

  it('leaves the server’s own paths alone: unknown API paths and assets are problem+json 404s', async () => {
    for (const url of ['/api/nothing-here', '/assets/missing.js', '/openapi.json/x']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().code).toBe('not_found');
    }
    expect((await get('/problems')).body).toContain('slot_unavailable');
    expect((await get('/healthz', 'application/json')).json()).toEqual({ status: 'ok' });
    expect((await get('/api/me', 'application/json')).json().code).toBe('unauthenticated');
  });

  it('answers a request that does not ask for a page (no text/html) with a 404 problem, not the app', async () => {
    const response = await get('/search', 'application/json');
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not_found');
  });
});
