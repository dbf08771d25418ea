import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type UndocumentedResponse, registerApiDescription } from './api-description.js';
import { registerErrorHandling } from './error-handler.js';
import { ProblemError } from '../domain/problems.js';

async function appWith(heard: UndocumentedResponse[]) {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await registerApiDescription(app, (response) => heard.push(response));
  const params = z.object({ id: z.uuid() }).strict();
  app.post(
    '/things/:id',
    {
      schema: {
        params,
        body: z.object({ name: z.string() }).strict(),
        problems: ['unauthenticated', 'not_found', 'rate_limited'],
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { name } = request.body as { name: string };
      if (name === 'missing') throw new ProblemError('not_found');
      if (name === 'taken') throw new ProblemError('email_taken');
      // What pg throws when the server has no connection slot left for us.
      if (name === 'crowded') throw Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
      if (name === 'again')
        throw new ProblemError('rate_limited', 'Wait', { extra: { retryAfterSeconds: 30, attempts: 6 } });
      reply.statusCode = name === 'accepted' ? 202 : 201;
      return { id };
    },
  );
  app.get('/open', { schema: { response: { 200: z.object({ ok: z.boolean() }) } } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

const ID = '00000000-0000-4000-8000-000000000000';
let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

describe('the API description of a route', () => {
  it('lists the problems the route names and those its inputs imply, by status, as problem+json', async () => {
    const app = await appWith([]);
    close = () => app.close();
    const operation = app.swagger().paths!['/things/{id}']!.post!;
    const responses = operation.responses as Record<string, { description: string; content: Record<string, unknown> }>;
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '403', '404', '413', '415', '429', '503']);
    expect(responses['400']!.description).toBe('The input is invalid: `validation_failed`, `malformed_json`');
    expect(responses['403']!.description).toBe('Not allowed: `cross_origin_refused`');
    expect(responses['404']!.content).toEqual({
      'application/problem+json': {
        schema: { $ref: '#/components/schemas/Problem' },
        examples: {
          not_found: {
            value: {
              type: '/problems#not_found',
              title: 'Not found',
              status: 404,
              detail: 'Not found',
              code: 'not_found',
            },
          },
        },
      },
    });
    expect(operation.security).toEqual([{ session: [] }]);
    const open = app.swagger().paths!['/open']!.get!;
    expect(Object.keys(open.responses)).toEqual(['200', '503']);
    expect(open.responses['503']).toMatchObject({
      description: 'Try again in a moment (see Retry-After); nothing was changed: `service_unavailable`',
    });
    expect(open.security).toBeUndefined();
  });

  it('serialises problems through the Problem schema, which keeps the members a problem adds', async () => {
    const app = await appWith([]);
    close = () => app.close();
    const response = await app.inject({ method: 'POST', url: `/things/${ID}`, payload: { name: 'again' } });
    expect(response.statusCode).toBe(429);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'rate_limited', detail: 'Wait', retryAfterSeconds: 30, attempts: 6 });
  });

  it('answers the database being unavailable as a documented 503 with Retry-After', async () => {
    const heard: UndocumentedResponse[] = [];
    const app = await appWith(heard);
    close = () => app.close();
    const response = await app.inject({ method: 'POST', url: `/things/${ID}`, payload: { name: 'crowded' } });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('3');
    expect(response.json()).toEqual({
      type: '/problems#service_unavailable',
      title: 'The service is not ready',
      status: 503,
      detail: 'Knotwork is busy right now; try again in a moment',
      instance: `/things/${ID}`,
      code: 'service_unavailable',
      retryAfterSeconds: 3,
    });
    expect(heard).toEqual([]);
  });

  it('reports answers the description does not list, and nothing else', async () => {
    const heard: UndocumentedResponse[] = [];
    const app = await appWith(heard);
    close = () => app.close();
    const send = (name: string) => app.inject({ method: 'POST', url: `/things/${ID}`, payload: { name } });
    expect((await send('fine')).statusCode).toBe(201);
    expect((await send('missing')).statusCode).toBe(404);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/things/${ID}`,
          payload: '{',
          headers: { 'content-type': 'application/json' },
        })
      ).statusCode,
    ).toBe(400);
    expect(heard).toEqual([]);
    expect((await send('taken')).statusCode).toBe(409);
    expect((await send('accepted')).statusCode).toBe(202);
    expect(heard).toEqual([
      { route: 'POST /things/:id', status: 409, code: 'email_taken' },
      { route: 'POST /things/:id', status: 202 },
    ]);
  });
});
