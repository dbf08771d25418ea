import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type FieldError, ProblemError } from '../domain/problems.js';

/**
 * Characters PostgreSQL cannot store: NUL (refused in text, and as `\u0000` in jsonb) and an unpaired UTF-16
 * surrogate (refused in jsonb; in text it would silently become U+FFFD). Any of them reaching a query is a 500, so
 * they are refused before validation, once for every route, instead of in each string schema.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** At most this many fields are named; a body full of NULs needs no longer answer. */
const MAX_REPORTED = 20;

const MESSAGE = 'Contains a character that cannot be stored (NUL or an unpaired surrogate)';

function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !UNPAIRED_SURROGATE.test(value);
}

/** The dotted paths (`goals.0.text`) of every string, and every object key, in `value` that cannot be stored. */
function unstorableFields(value: unknown, path: string[] = [], found: string[] = []): string[] {
  if (found.length >= MAX_REPORTED) return found;
  if (typeof value === 'string') {
    if (!isStorableText(value)) found.push(path.join('.') || '(root)');
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => unstorableFields(item, [...path, String(index)], found));
  } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) found.push([...path, key].join('.'));
      else unstorableFields(item, [...path, key], found);
    }
  }
  return found;
}

const PARTS = [
  ['params', 'path'],
  ['querystring', 'query'],
  ['body', 'body'],
  ['headers', 'header'],
] as const;

function inputOf(request: FastifyRequest, part: (typeof PARTS)[number][0]): unknown {
  switch (part) {
    case 'params':
      return request.params;
    case 'querystring':
      return request.query;
    case 'body':
      return request.body;
    case 'headers':
      return request.headers;
  }
}

/**
 * Every route that declares an input (path, query, body or headers) has it checked here before its schema runs:
 * 400 `validation_failed`, each field at fault with the code `unstorable_character`. Inputs a route does not declare
 * are never read, so they are not checked (and the answer stays one the API description lists).
 */
export function registerUnstorableTextCheck(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema;
    if (!schema) return;
    const errors: FieldError[] = [];
    for (const [part, where] of PARTS) {
      if (!schema[part]) continue;
      for (const field of unstorableFields(inputOf(request, part)))
        errors.push({ field, in: where, code: 'unstorable_character', message: MESSAGE });
    }
    if (errors.length > 0)
      throw new ProblemError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
        errors: errors.slice(0, MAX_REPORTED),
      });
  });
}
