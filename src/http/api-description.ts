import swagger, { type SwaggerTransform, type SwaggerTransformObject } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROBLEMS, type ProblemCode } from '../domain/problems.js';

/**
 * The OpenAPI 3.1 description at /openapi.json and its reference page at /docs, generated from the routes' zod
 * schemas. Schemas given an `id` with `.meta({ id })` become components. Every operation lists the problems it can
 * answer, by status, each an application/problem+json `Problem`: a route names its own in `schema.problems`, and the
 * ones its inputs imply (validation, malformed JSON, media type, body size, cross-site writes) and 503
 * `service_unavailable` (the database refusing connections, every operation) are added here. They are real response
 * schemas, so Fastify also serialises the problem documents with them.
 */

declare module 'fastify' {
  interface FastifySchema {
    /** The problems this operation can answer besides those its inputs imply (`impliedProblems`). */
    problems?: readonly ProblemCode[];
  }
}

declare module 'zod' {
  interface GlobalMeta {
    /** Examples in the API description (JSON Schema `examples`; a request body's first one is its example). */
    examples?: z.$input[];
  }
}

const fieldErrorSchema = z.object({
  field: z
    .string()
    .describe(
      'Dotted path of the field at fault, for example `licence.expiresOn` or `regions.0.pain`; `(root)` for the whole input',
    ),
  in: z.enum(['body', 'query', 'path', 'header']),
  code: z
    .string()
    .describe('What is wrong with it, stable: `required`, `unknown_field`, `too_small`, `invalid_format`, …'),
  message: z.string(),
});

const problemCodes = Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]];

const problemSchema = z
  .looseObject({
    type: z.string().describe('`/problems#<code>`: where the code is explained'),
    title: z.string().describe('The same for every problem with this code'),
    status: z.int().describe('The HTTP status'),
    detail: z.string().describe('What happened in this case, in words for people'),
    instance: z.string().optional().describe('The path that was requested'),
    code: z.enum(problemCodes).describe('Stable; never renamed. Every code is listed at /problems'),
    field: z.string().optional().describe('The first field at fault, when the problem is about the input'),
    errors: z.array(fieldErrorSchema).optional().describe('Every field at fault'),
    retryAfterSeconds: z
      .int()
      .optional()
      .describe(
        '`rate_limited`, `service_unavailable`: when to try again (also the Retry-After header); `sign_in_link_required`: when a password from a new address is taken again',
      ),
    action: z.string().optional().describe('`invalid_transition`: the change that was refused'),
    reason: z
      .string()
      .optional()
      .describe('`check_in_not_cleared`: `not_screened`, `not_today` or `clearance_pending`'),
    activities: z.array(z.string()).optional().describe('`psfs_activities_changed`: the activities rated last time'),
    outcome: z.string().optional().describe('`screening_not_today`, `focus_regions_excluded`: the screening outcome'),
    headline: z.string().optional().describe('`screening_not_today`, `focus_regions_excluded`: the screening headline'),
    medicalUrgency: z.enum(['same_day', 'emergency']).nullable().optional(),
    reasons: z
      .array(
        z.looseObject({ ruleId: z.string(), class: z.string(), message: z.string(), sources: z.array(z.string()) }),
      )
      .optional()
      .describe('`screening_not_today`, `focus_regions_excluded`: each rule that refused, in the client’s words'),
  })
  .meta({
    id: 'Problem',
    description: 'An RFC 9457 problem: every error Knotwork answers, as application/problem+json.',
    examples: [
      {
        type: '/problems#validation_failed',
        title: 'The request has invalid fields',
        status: 400,
        detail: 'password: Use at least 10 characters',
        instance: '/api/accounts',
        code: 'validation_failed',
        field: 'password',
        errors: [{ field: 'password', in: 'body', code: 'too_small', message: 'Use at least 10 characters' }],
      },
    ],
  });

const STATUS_MEANING: Record<number, string> = {
  400: 'The input is invalid',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found (or not yours to see)',
  409: 'Conflicts with the current state',
  413: 'The body is too large',
  415: 'The body is not of a type this operation takes',
  422: 'Refused by a rule',
  429: 'Too many attempts',
  503: 'Try again in a moment (see Retry-After); nothing was changed',
};

/**
 * The problems every route with these inputs can answer, whatever its handler does. Every operation can answer 503
 * `service_unavailable`: the database refusing connections (src/http/error-handler.ts).
 */
function impliedProblems(route: Pick<RouteOptions, 'method' | 'schema'>): ProblemCode[] {
  const { schema } = route;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const codes: ProblemCode[] = ['service_unavailable'];
  if (schema?.body || schema?.querystring || schema?.params || schema?.headers) codes.push('validation_failed');
  if (schema?.body) codes.push('malformed_json', 'unsupported_media_type', 'payload_too_large');
  if (methods.some((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m))) codes.push('cross_origin_refused');
  return codes;
}

/** Every problem a documented route can answer: what its inputs imply and what it names. */
function documentedProblems(route: Pick<RouteOptions, 'method' | 'schema'>): Set<ProblemCode> {
  return new Set([...impliedProblems(route), ...(route.schema?.problems ?? [])]);
}

function byStatus(codes: Iterable<ProblemCode>): Map<number, ProblemCode[]> {
  const grouped = new Map<number, ProblemCode[]>();
  for (const code of codes) grouped.set(PROBLEMS[code].status, [...(grouped.get(PROBLEMS[code].status) ?? []), code]);
  return grouped;
}

function problemResponses(codes: Iterable<ProblemCode>) {
  return Object.fromEntries(
    [...byStatus(codes)].map(([status, listed]) => [
      status,
      {
        description: `${STATUS_MEANING[status] ?? 'Problem'}: ${listed.map((code) => `\`${code}\``).join(', ')}`,
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  );
}

type ResponseEntries = Record<string, { content?: Record<string, { examples?: Record<string, { value: unknown }> }> }>;

/** The zod transform, and an example of each problem an operation lists (its detail is the code's title). */
const transform: SwaggerTransform = (input) => {
  const output = jsonSchemaTransform(input);
  const responses = output.schema.response as ResponseEntries | undefined;
  for (const [status, codes] of byStatus(documentedProblems(input.route))) {
    const media = responses?.[status]?.content?.['application/problem+json'];
    if (!media) continue;
    media.examples = Object.fromEntries(
      codes.map((code) => [
        code,
        {
          value: { type: `/problems#${code}`, title: PROBLEMS[code].title, status, detail: PROBLEMS[code].title, code },
        },
      ]),
    );
  }
  return output;
};

type ApiDocument = ReturnType<SwaggerTransformObject>;

/** Only the component schemas the operations reach: the zod provider emits an input and an output form of each. */
function withoutUnreferencedSchemas(document: ApiDocument): ApiDocument {
  const components = 'components' in document ? document.components : undefined;
  const schemas: Record<string, unknown> = components?.schemas ?? {};
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const name = key === '$ref' && typeof value === 'string' ? value.replace('#/components/schemas/', '') : undefined;
      if (name !== undefined && name in schemas && !reached.has(name)) {
        reached.add(name);
        visit(schemas[name]);
      } else visit(value);
    }
  };
  visit({ ...document, components: { ...components, schemas: {} } });
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
  return { ...document, components: { ...components, schemas: kept } } as ApiDocument;
}

export interface UndocumentedResponse {
  route: string;
  status: number;
  code?: string;
}

/**
 * Registers the description and the docs page; must come before any route. `onUndocumented` (tests) hears of every
 * response a documented route gives that its description does not list.
 */
export async function registerApiDescription(
  app: FastifyInstance,
  onUndocumented?: (response: UndocumentedResponse) => void,
) {
  app.addHook('onRoute', (route) => {
    if (!route.schema || route.schema.hide || route.websocket) return;
    const problems = documentedProblems(route);
    route.schema = {
      ...(problems.has('unauthenticated') ? { security: [{ session: [] }] } : {}),
      ...route.schema,
      response: { ...(route.schema.response as object), ...problemResponses(problems) },
    };
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Knotwork API',
        version: '0.1.0',
        description:
          'Deep tissue massage, end to end. Errors are RFC 9457 application/problem+json with a stable `code` and the `field` at fault; every operation lists the codes it can answer, and /problems explains them all. Any operation may also answer 500 `internal_error`, and 503 `service_unavailable` with a Retry-After header when the database cannot take the request for a moment (nothing was changed; send it again).',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'kw_session' } } },
    },
    transform,
    transformObject: (document) => withoutUnreferencedSchemas(jsonSchemaTransformObject(document)),
  });
  // The base layout: no top bar, whose logo is an inline style block (refused by the CSP) and whose box loads any other document.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { layout: 'BaseLayout', docExpansion: 'none' } });
  if (onUndocumented)
    app.addHook('onSend', async (request, reply, payload) => checkDocumented(request, reply, payload, onUndocumented));
}

function checkDocumented(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  report: (response: UndocumentedResponse) => void,
) {
  const { schema, method, url } = request.routeOptions;
  if (!schema || schema.hide || url === undefined) return payload;
  const route = `${Array.isArray(method) ? method.join(',') : method} ${url}`;
  const status = reply.statusCode;
  const isProblem = String(reply.getHeader('content-type') ?? '').startsWith('application/problem+json');
  if (!isProblem) {
    if (!(String(status) in ((schema.response as object | undefined) ?? {}))) report({ route, status });
    return payload;
  }
  const { code } = JSON.parse(String(payload)) as { code: ProblemCode };
  if (!documentedProblems({ method, schema }).has(code)) report({ route, status, code });
  return payload;
}
