import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, TEST_METRICS_TOKEN, type TestApp, startTestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('platform endpoints', () => {
  it('serves an OpenAPI 3.1 document describing every API route, with problem codes documented', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json();
    expect(spec.openapi).toBe('3.1.0');
    const paths = Object.keys(spec.paths);
    for (const path of [
      '/api/accounts',
      '/api/sessions',
      '/api/me',
      '/api/therapists/me',
      '/api/availability',
      '/api/bookings',
      '/api/bookings/{id}/confirm',
      '/api/bookings/{id}/reschedule',
      '/api/operator/licences',
    ]) {
      expect(paths).toContain(path);
    }
    expect(spec.paths['/api/availability'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([
        'durationMin',
        'from',
        'to',
        'zone',
        'mode',
        'lat',
        'lng',
        'radiusKm',
        'gender',
        'specialty',
        'sort',
        'page',
      ]),
    );
    const problems = await t.app.inject({ method: 'GET', url: '/problems' });
    expect(problems.body).toContain('slot_unavailable');
  });

  it('serves a readable API reference page', async () => {
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
  });

  it('reports health, readiness with the backend, and Prometheus metrics', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ready',
      database: BACKEND,
    });
    const metrics = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
    });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/knotwork_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
    expect(metrics.body).toContain('process_resident_memory_bytes');
  });
});
