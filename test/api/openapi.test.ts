import { compileErrors, validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../support/test-app.js';

/* The document is plain JSON: these are the parts the checks read. */
interface Schema {
  $ref?: string;
  examples?: unknown[];
  [keyword: string]: unknown;
}
interface Media {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { in: string; name: string; schema?: Schema; example?: unknown }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let t: TestApp;
let document: Document;

beforeAll(async () => {
  t = await startTestApp();
  document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => t.close());

const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      label: `${method.toUpperCase()} ${path}`,
      method,
      operation,
    })),
  );

async function validationErrors(candidate: unknown): Promise<string> {
  const result = await validate(structuredClone(candidate) as Parameters<typeof validate>[0]);
  return result.valid ? '' : compileErrors(result);
}

describe('the OpenAPI description at /openapi.json', () => {
  it('is valid OpenAPI 3.1, every reference resolving', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(operations().length).toBeGreaterThanOrEqual(80);
    expect(await validationErrors(document)).toBe('');
  });

  it('would be refused with a reference to a schema it does not define', async () => {
    const broken = structuredClone(document);
    broken.paths['/api/me']!.get!.responses['200']!.content!['application/json']!.schema = {
      $ref: '#/components/schemas/Nowhere',
    };
    expect(await validationErrors(broken)).toMatch(/Nowhere/);
  });

  it('defines exactly the component schemas the operations reach, the shared Problem among them', () => {
    const text = JSON.stringify(document);
    const referenced = new Set([...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]));
    expect(Object.keys(document.components.schemas).sort()).toEqual([...referenced].sort());
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['Problem', 'Booking', 'AvailabilityPage', 'IntakeInput', 'User']),
    );
  });

  it('gives every operation a summary, its input and output schemas, and its problems', () => {
    for (const { label, method, operation } of operations()) {
      expect(operation.summary, label).toBeTruthy();
      expect(operation.tags, label).toHaveLength(1);
      for (const parameter of operation.parameters ?? [])
        expect(parameter.schema, `${label} ${parameter.name}`).toBeDefined();
      for (const media of Object.values(operation.requestBody?.content ?? {}))
        expect(media.schema, label).toBeDefined();
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((s) => s.startsWith('2'));
      expect(success, label).toHaveLength(1);
      const answer = operation.responses[success[0]!]!;
      if (success[0] === '204') expect(answer.content, label).toBeUndefined();
      else for (const media of Object.values(answer.content ?? { none: {} })) expect(media.schema, label).toBeDefined();
      // A 3xx (304 Not modified for a conditional GET) is no problem: it carries no body at all.
      for (const status of statuses.filter((s) => s.startsWith('3')))
        expect(operation.responses[status]!.content, `${label} ${status}`).toBeUndefined();
      for (const status of statuses.filter((s) => !s.startsWith('2') && !s.startsWith('3'))) {
        const { description, content } = operation.responses[status]!;
        const codes = [...description.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
        expect(codes.length, `${label} ${status}`).toBeGreaterThan(0);
        expect(Object.keys(content!), `${label} ${status}`).toEqual(['application/problem+json']);
        expect(content!['application/problem+json']!.schema, `${label} ${status}`).toEqual({
          $ref: '#/components/schemas/Problem',
        });
        expect(Object.keys(content!['application/problem+json']!.examples!), `${label} ${status}`).toEqual(codes);
      }
      const hasInput = (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined;
      if (hasInput) expect(statuses, `${label} answers bad input`).toContain('400');
      if (operation.requestBody) expect(statuses, label).toEqual(expect.arrayContaining(['413', '415']));
      if (method !== 'get') expect(statuses, `${label} refuses cross-site writes`).toContain('403');
      // Any operation may meet the database refusing connections (src/http/error-handler.ts).
      expect(operation.responses['503']?.description, `${label} may be unavailable`).toContain('`service_unavailable`');
      const signInNeeded = operation.responses['401']?.description.includes('`unauthenticated`') ?? false;
      expect(operation.security, label).toEqual(signInNeeded ? [{ session: [] }] : undefined);
    }
  });

  it('has examples for the main operations, and every example fits its schema', () => {
    const body = (path: string, method: string) =>
      document.paths[path]![method]!.requestBody!.content['application/json']!;
    expect(body('/api/accounts', 'post').example).toMatchObject({
      email: expect.any(String),
      password: expect.any(String),
    });
    expect(body('/api/sessions', 'post').example).toMatchObject({
      email: expect.any(String),
      password: expect.any(String),
    });
    expect(body('/api/bookings', 'post').example).toMatchObject({
      therapistId: expect.any(String),
      start: expect.any(String),
    });
    const search = document.paths['/api/availability']!.get!.parameters!;
    for (const name of ['durationMin', 'from', 'to', 'zone', 'mode', 'lat', 'lng'])
      expect(search.find((p) => p.name === name)?.example, name).toBeDefined();
    for (const name of ['IntakeInput', 'Booking', 'AvailabilityPage', 'User', 'Problem'])
      expect(document.components.schemas[name]!.examples, name).toHaveLength(1);

    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'knotwork', components: document.components });
    const check = (schema: Schema, example: unknown, where: string) => {
      const valid = ajv.validate(
        JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"knotwork#/components/')),
        example,
      );
      expect(ajv.errors ?? [], where).toEqual([]);
      expect(valid, where).toBe(true);
      checked += 1;
    };
    let checked = 0;
    const visitSchema = (schema: unknown, where: string): void => {
      if (Array.isArray(schema)) return schema.forEach((s, i) => visitSchema(s, `${where}/${i}`));
      if (schema === null || typeof schema !== 'object') return;
      const node = schema as Schema;
      if (Array.isArray(node.examples)) for (const example of node.examples) check(node, example, where);
      for (const [key, value] of Object.entries(node))
        if (!(key === 'examples' && Array.isArray(value))) visitSchema(value, `${where}/${key}`);
    };
    const visitMedia = (content: Record<string, Media> | undefined, where: string) => {
      for (const [type, media] of Object.entries(content ?? {})) {
        if (media.example !== undefined) check(media.schema!, media.example, `${where} ${type}`);
        for (const [name, { value }] of Object.entries(media.examples ?? {}))
          check(media.schema!, value, `${where} ${type} ${name}`);
      }
    };
    visitSchema(document.components.schemas, 'components');
    for (const { label, operation } of operations()) {
      for (const p of operation.parameters ?? [])
        if (p.example !== undefined) check(p.schema!, p.example, `${label} ${p.name}`);
      visitMedia(operation.requestBody?.content, label);
      for (const [status, response] of Object.entries(operation.responses))
        visitMedia(response.content, `${label} ${status}`);
      visitSchema(operation, label);
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});
