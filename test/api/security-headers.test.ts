import { createHash } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldSession } from '../support/session-fixture.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import { type Session, type TestApp, call, createOperator, signUp, startTestApp } from '../support/test-app.js';

let t: TestApp;
let operator: Session;
let client: Session;
let therapist: TherapistFixture;
let bookingId: string;

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  therapist = await createTherapist(t, {}, operator);
  client = await signUp(t.app, 'client');
  // A session that took place, with its signed note, aftercare draft and check-in jobs: every kind of health data.
  bookingId = (await heldSession(t, client, therapist, new Date(Date.parse('2026-11-24T10:00:00-05:00')).toISOString()))
    .id;
});
afterAll(() => t.close());

const SECURITY_HEADERS = {
  'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'strict-transport-security': expect.stringContaining('max-age='),
  'cross-origin-opener-policy': 'same-origin',
};

const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .find((d) => d.trim().startsWith(`${name} `))
    ?.trim();
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('every response carries the security headers; no API answer is kept by a cache', () => {
  it('answers every documented GET route with the security headers and Cache-Control: no-store, whoever asks and (under /api) whatever the outcome', async () => {
    const paths = (await call(t.app, null, { method: 'GET', url: '/openapi.json' })).json().paths as Record<
      string,
      Record<string, unknown>
    >;
    const ids: Record<string, string> = {
      id: bookingId,
      clientId: client.id,
      therapistId: therapist.id,
      userId: therapist.id,
    };
    const gets = Object.entries(paths)
      .filter(([, operations]) => 'get' in operations)
      .map(([path]) =>
        path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? '0b9a7c1e-2f43-4c55-9a8e-3d1f2c4b5a69'),
      );
    expect(gets).toEqual(
      expect.arrayContaining([
        `/api/bookings/${bookingId}/brief`,
        `/bookings/${bookingId}/brief`,
        `/api/clients/${client.id}/intake`,
        '/api/me/health-data',
      ]),
    );
    let answered = 0;
    for (const url of gets) {
      for (const who of [client, therapist.session, operator, null]) {
        const response = await call(t.app, who, { method: 'GET', url });
        const what = `GET ${url} as ${who === null ? 'nobody' : who.email}: ${response.statusCode}`;
        expect(response.statusCode, what).toBeLessThan(500);
        // Outside /api (the printable brief, the calendar feed) the route itself marks what it answers.
        if (url.startsWith('/api/') || response.statusCode === 200)
          expect(String(response.headers['cache-control']), what).toMatch(/\bno-store\b/);
        expect(response.headers, what).toMatchObject(SECURITY_HEADERS);
        if (response.statusCode === 200) answered++;
      }
    }
    // Not only refusals: the health data itself went out with no-store.
    expect(answered).toBeGreaterThan(60);
  });

  it('answers health-data reads with no-store: intake, screening, brief, session record, progress, plans, aftercare, check-ins, alerts, live signals, export', async () => {
    const reads: [Session, string][] = [
      [client, '/api/me/intake'],
      [therapist.session, `/api/clients/${client.id}/intake`],
      [client, `/api/bookings/${bookingId}/screening`],
      [therapist.session, `/api/bookings/${bookingId}/brief`],
      [therapist.session, `/bookings/${bookingId}/brief`],
      [therapist.session, `/api/bookings/${bookingId}/session-record`],
      [client, `/api/bookings/${bookingId}/session-record`],
      [client, `/api/clients/${client.id}/progress`],
      [therapist.session, `/api/clients/${client.id}/treatment-plans`],
      [therapist.session, `/api/bookings/${bookingId}/aftercare`],
      [client, '/api/me/aftercare'],
      [client, `/api/bookings/${bookingId}/check-ins`],
      [client, '/api/me/check-ins'],
      [therapist.session, '/api/care-alerts'],
      [operator, '/api/operator/screenings'],
      [therapist.session, `/api/bookings/${bookingId}/live/signals`],
      [client, '/api/me/health-data'],
    ];
    for (const [who, url] of reads) {
      const response = await call(t.app, who, { method: 'GET', url });
      expect(response.statusCode, `GET ${url}: ${response.body}`).toBe(200);
      expect(String(response.headers['cache-control']), url).toMatch(/\bno-store\b/);
    }
  });

  it('lets the printable brief and the error code page run only their own inline style and script, by hash', async () => {
    const brief = await call(t.app, therapist.session, { method: 'GET', url: `/bookings/${bookingId}/brief` });
    expect(brief.statusCode).toBe(200);
    const [, style] = /<style>([\s\S]*?)<\/style>/.exec(brief.body)!;
    const [, script] = /<script>([\s\S]*?)<\/script>/.exec(brief.body)!;
    const policy = brief.headers['content-security-policy'] as string;
    expect(directive(policy, 'style-src')).toBe(`style-src 'self' ${sha256(style!)}`);
    expect(directive(policy, 'script-src')).toBe(`script-src 'self' ${sha256(script!)}`);
    expect(brief.body).not.toMatch(/style="|javascript:|\son\w+=/);

    const problems = await call(t.app, null, { method: 'GET', url: '/problems' });
    const [, problemsStyle] = /<style>([\s\S]*?)<\/style>/.exec(problems.body)!;
    expect(directive(problems.headers['content-security-policy'] as string, 'style-src')).toBe(
      `style-src 'self' ${sha256(problemsStyle!)}`,
    );
    expect(directive(problems.headers['content-security-policy'] as string, 'script-src')).toBe("script-src 'self'");
  });

  it('holds the web app and the API to the strict policy; only /docs may show data: images', async () => {
    for (const url of ['/', '/api/me', '/openapi.json', '/healthz']) {
      const policy = (await call(t.app, null, { method: 'GET', url, headers: { accept: 'text/html' } })).headers[
        'content-security-policy'
      ] as string;
      expect(directive(policy, 'script-src'), url).toBe("script-src 'self'");
      expect(directive(policy, 'style-src'), url).toBe("style-src 'self'");
      expect(directive(policy, 'img-src'), url).toBe("img-src 'self'");
      expect(directive(policy, 'object-src'), url).toBe("object-src 'none'");
    }
    for (const url of ['/docs', '/docs/static/swagger-ui.css']) {
      const docs = await call(t.app, null, { method: 'GET', url });
      expect(docs.statusCode, url).toBe(200);
      expect(docs.headers, url).toMatchObject(SECURITY_HEADERS);
      expect(directive(docs.headers['content-security-policy'] as string, 'img-src'), url).toBe("img-src 'self' data:");
      expect(directive(docs.headers['content-security-policy'] as string, 'script-src'), url).toBe("script-src 'self'");
    }
  });

  it('compresses API answers and the API reference for a browser that accepts it, and not for one that does not', async () => {
    const plain = await call(t.app, null, { method: 'GET', url: '/openapi.json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const compressed = await call(t.app, null, {
      method: 'GET',
      url: '/openapi.json',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.headers.vary).toMatch(/accept-encoding/i);
    expect(compressed.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    expect(brotliDecompressSync(compressed.rawPayload).toString()).toBe(plain.body);
    const bundle = await call(t.app, null, {
      method: 'GET',
      url: '/docs/static/swagger-ui-bundle.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(bundle.headers['content-encoding']).toBe('gzip');
  });
});
