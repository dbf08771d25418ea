import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Call,
  type Session,
  type TestApp,
  call as callApp,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

/**
 * Generated from the API description: every operation, every string it takes (body fields at any depth, query and
 * path parameters), with the characters PostgreSQL cannot store, router-level mistakes (a path parameter longer than
 * the router keeps, bad percent-encoding) and unknown ids as each role. Never a 5xx; always application/problem+json.
 */

let t: TestApp;
let client: Session;
let therapist: TherapistFixture;
let operator: Session;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\uD800b';

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  therapist = await createTherapist(t, {}, operator);
  client = await signUp(t.app, 'client');
});
afterAll(() => t.close());

/** Every answer the sweep got, by status class, for the figure in docs/ARCHITECTURE.md (Reliability). */
const tally = { requests: 0, serverErrors: 0 };
async function call(...args: Parameters<typeof callApp>) {
  const response = await callApp(...args);
  tally.requests++;
  if (response.statusCode >= 500) tally.serverErrors++;
  return response;
}

type JsonSchema = Record<string, any>;

interface Operation {
  method: Call['method'];
  path: string;
  body?: JsonSchema;
  pathParams: string[];
  queryParams: string[];
}

let spec: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, JsonSchema> } };

async function operations(): Promise<Operation[]> {
  spec ??= (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      const params: { in: string; name: string }[] = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase() as Call['method'],
        path,
        body: op.requestBody?.content?.['application/json']?.schema,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return ops;
}

const resolve = (schema: JsonSchema): JsonSchema =>
  typeof schema.$ref === 'string' ? resolve(spec.components.schemas[schema.$ref.split('/').at(-1)!]!) : schema;

const isString = (schema: JsonSchema) =>
  schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'));

/** The path of every string a body schema takes, at any depth (a record's values under the key `k`). */
function stringPaths(schema: JsonSchema, path: string[] = [], depth = 0, found = new Map<string, string[]>()) {
  if (depth > 8) return found;
  const s = resolve(schema);
  if (isString(s)) found.set(path.join('.'), path);
  for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])])
    stringPaths(branch, path, depth + 1, found);
  for (const [key, property] of Object.entries<JsonSchema>(s.properties ?? {}))
    stringPaths(property, [...path, key], depth + 1, found);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    stringPaths(s.additionalProperties, [...path, 'k'], depth + 1, found);
  if (s.items) stringPaths(s.items, [...path, '0'], depth + 1, found);
  if (Array.isArray(s.prefixItems))
    s.prefixItems.forEach((item: JsonSchema, i: number) => stringPaths(item, [...path, String(i)], depth + 1, found));
  return found;
}

/** A body that holds `value` at `path` and nothing else: the check runs before the schema, so the rest may be missing. */
function bodyWith(path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (/^\d+$/.test(head!)) return [bodyWith(rest, value)];
  return { [head!]: bodyWith(rest, value) };
}

const concrete = (path: string) => path.replace(/\{(\w+)\}/g, UNKNOWN_ID);

function expectNo5xxProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  label: string,
) {
  expect(response.statusCode, `${label}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
  if (response.statusCode >= 400)
    expect(response.headers['content-type'], `${label}: ${response.body.slice(0, 300)}`).toMatch(
      /^application\/problem\+json/,
    );
}

function expectUnstorable(
  response: { statusCode: number; headers: Record<string, unknown>; body: string; json: () => any },
  label: string,
  field: string,
  where: 'body' | 'query' | 'path',
) {
  expect(response.statusCode, `${label}: ${response.body.slice(0, 300)}`).toBe(400);
  expect(response.headers['content-type'], label).toMatch(/^application\/problem\+json/);
  expect(response.json().code, label).toBe('validation_failed');
  expect(response.json().errors, label).toContainEqual(
    expect.objectContaining({ field, in: where, code: 'unstorable_character' }),
  );
}

describe(`generated bad input on ${BACKEND}: every operation in the API description`, () => {
  it('refuses NUL and an unpaired surrogate in every body field, naming it (unstorable_character)', async () => {
    const ops = (await operations()).filter((op) => op.body);
    expect(ops.length).toBeGreaterThanOrEqual(25);
    let checked = 0;
    for (const op of ops) {
      const paths = [...stringPaths(op.body!).values()];
      for (const path of paths) {
        for (const bad of [NUL, LONE_SURROGATE]) {
          const label = `${op.method} ${op.path} body ${path.join('.') || '(root)'} ${JSON.stringify(bad)}`;
          const response = await call(t.app, client, {
            method: op.method,
            url: concrete(op.path),
            payload: JSON.stringify(bodyWith(path, bad)),
            headers: { 'content-type': 'application/json' },
          });
          expectUnstorable(response, label, path.join('.') || '(root)', 'body');
          checked++;
        }
      }
      // An object key that cannot be stored (a record's key, or an unknown field) is named too.
      const key = await call(t.app, client, { method: op.method, url: concrete(op.path), payload: { [NUL]: 'x' } });
      expectUnstorable(key, `${op.method} ${op.path} key`, NUL, 'body');
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('refuses NUL in every query and path parameter, naming it', async () => {
    for (const op of await operations()) {
      for (const param of op.queryParams) {
        const label = `${op.method} ${op.path} query ${param}`;
        const response = await call(t.app, client, {
          method: op.method,
          url: `${concrete(op.path)}?${param}=a%00b`,
          ...(op.body ? { payload: {} } : {}),
        });
        expectUnstorable(response, label, param, 'query');
      }
      for (const param of op.pathParams) {
        const label = `${op.method} ${op.path} path ${param}`;
        const url = concrete(op.path.replace(`{${param}}`, 'a%00b'));
        const response = await call(t.app, client, { method: op.method, url, ...(op.body ? { payload: {} } : {}) });
        expectUnstorable(response, label, param, 'path');
      }
    }
  });

  it('answers an over-long path parameter and bad percent-encoding with a problem, never a 5xx', async () => {
    const seen = new Set<number>();
    for (const op of await operations()) {
      for (const param of op.pathParams) {
        const long = await call(t.app, client, {
          method: op.method,
          url: concrete(op.path.replace(`{${param}}`, 'x'.repeat(101))),
          ...(op.body ? { payload: {} } : {}),
        });
        expectNo5xxProblem(long, `${op.method} ${op.path} long ${param}`);
        if (long.statusCode === 414) expect(long.json().code).toBe('uri_too_long');
        seen.add(long.statusCode);
        const badEncoding = await call(t.app, client, {
          method: op.method,
          url: concrete(op.path.replace(`{${param}}`, '%E0%A4%A')),
          ...(op.body ? { payload: {} } : {}),
        });
        expectNo5xxProblem(badEncoding, `${op.method} ${op.path} bad encoding in ${param}`);
        expect(badEncoding.json().code).toBe('malformed_url');
      }
      for (const param of op.queryParams) {
        const badQuery = await call(t.app, client, {
          method: op.method,
          url: `${concrete(op.path)}?${param}=%E0%A4%A`,
          ...(op.body ? { payload: {} } : {}),
        });
        expectNo5xxProblem(badQuery, `${op.method} ${op.path} bad encoding in query ${param}`);
      }
    }
    // The router refuses a parameter over 100 characters with 414 where no shorter route matches (else 404).
    expect([...seen].sort()).toEqual([404, 414]);
  });

  it('answers unknown ids as every role with a problem, never a 5xx', async () => {
    const roles: [string, Session][] = [
      ['client', client],
      ['therapist', therapist.session],
      ['operator', operator],
    ];
    for (const op of await operations()) {
      // Signing out would end the session the rest of the sweep uses.
      if (op.path.includes('sessions') && op.method === 'DELETE') continue;
      if (op.pathParams.length === 0 && op.method !== 'GET') continue;
      for (const [role, session] of roles) {
        const response = await call(t.app, session, {
          method: op.method,
          url: concrete(op.path),
          ...(op.body ? { payload: {} } : {}),
        });
        expectNo5xxProblem(response, `${op.method} ${op.path} as ${role}`);
      }
    }
  });

  it('an operator reading an unknown client is told 404', async () => {
    const reads = (await operations()).filter(
      (op) => op.method === 'GET' && op.path.startsWith('/api/clients/{') && op.pathParams.length === 1,
    );
    expect(reads.length).toBeGreaterThan(0);
    for (const op of reads) {
      const response = await call(t.app, operator, { method: 'GET', url: concrete(op.path) });
      expect(response.statusCode, `${op.path}: ${response.body}`).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('sent every request above, and not one was answered with a 5xx', () => {
    console.info(`bad-input sweep on ${BACKEND}: ${tally.requests} requests, ${tally.serverErrors} answered 5xx`);
    expect(tally.requests).toBeGreaterThan(500);
    expect(tally.serverErrors).toBe(0);
  });
});
