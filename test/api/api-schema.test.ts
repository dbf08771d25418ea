import { readFile } from 'node:fs/promises';
import type { OpenAPI3 } from 'openapi-typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_SCHEMA_FILE, apiDescription, apiSchemaSource } from '../../scripts/api-schema.js';

let description: OpenAPI3;
beforeAll(async () => {
  description = await apiDescription();
});

describe("the web app's API types (web/src/shared/lib/api-schema.d.ts)", () => {
  it('are what the OpenAPI description generates now (else run `npm run api-schema`)', async () => {
    const committed = (await readFile(API_SCHEMA_FILE, 'utf8')).split('\n');
    const generated = (await apiSchemaSource(description)).split('\n');
    // The first line that differs, not the whole file: a diff of 10,000 lines would bury the point.
    const length = Math.max(committed.length, generated.length);
    const at = Array.from({ length }, (_, i) => i).find((i) => committed[i] !== generated[i]);
    const firstDifference =
      at === undefined ? null : { line: at + 1, committed: committed[at], generated: generated[at] };
    expect(
      firstDifference,
      'web/src/shared/lib/api-schema.d.ts is stale: run `npm run api-schema` and commit it',
    ).toBeNull();
  });

  it('would be stale after a change to a response the web reads', async () => {
    const drifted = structuredClone(description) as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    drifted.components.schemas.Booking!.properties.clientNote = { type: 'string' };
    const committed = await readFile(API_SCHEMA_FILE, 'utf8');
    expect(await apiSchemaSource(drifted as unknown as OpenAPI3)).not.toBe(committed);
  });
});
