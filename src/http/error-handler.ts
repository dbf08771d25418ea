import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type FieldError, ProblemError, problemDocument } from '../domain/problems.js';

/** Constraint names the schema uses for conflicts a user can cause, and the problem each one means. */
const CONSTRAINT_PROBLEMS: Record<string, ProblemError['code']> = {
  bookings_therapist_no_overlap: 'slot_unavailable',
  bookings_client_no_overlap: 'client_double_booked',
  users_email_key: 'email_taken',
  session_notes_signed_immutable: 'note_signed',
};

interface DatabaseError {
  code: string;
  constraint?: string;
  message: string;
}

function isDatabaseError(error: unknown): error is DatabaseError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((error as { code: string }).code)
  );
}

/**
 * SQLSTATEs that mean the database cannot serve us now, not that the request or our code is wrong: too many
 * connections (53300, server-wide or for the role), the server starting up, shutting down or in recovery (57P03),
 * and a backend terminated by an administrator (57P01). Each is raised at connect or aborts the transaction, which
 * rolls back: nothing is half-written, so the client may send the request again. A connection lost mid-statement
 * (ECONNRESET, "Connection terminated unexpectedly") is not among them: a COMMIT it interrupts may have landed.
 */
const UNAVAILABLE_SQLSTATES = new Set(['53300', '57P01', '57P03']);

/** Node's error when the server refuses the connection (not listening: down or restarting). */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED']);

/** pg's own words when no connection came in time (the pool's `connectionTimeoutMillis`, or the client's). */
const CONNECT_TIMEOUT = /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout)$/;

/** How long a client is asked to wait (Retry-After) before sending a request the database could not serve. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 3;

/**
 * Why the database could not serve the request (the SQLSTATE, socket code or pg message), or undefined when the error
 * is something else. Looks through `cause` and AggregateError's `errors` (Node's refusal from every address).
 */
export function databaseUnavailableReason(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return code;
  if (typeof message === 'string' && CONNECT_TIMEOUT.test(message)) return message;
  for (const inner of [cause, ...(Array.isArray(errors) ? (errors as unknown[]) : [])]) {
    const reason = databaseUnavailableReason(inner, depth + 1);
    if (reason) return reason;
  }
  return undefined;
}

/** Maps a thrown database error to the problem a user should see, or undefined when it is our bug. */
export function problemFromDatabaseError(error: unknown): ProblemError | undefined {
  if (databaseUnavailableReason(error))
    return new ProblemError('service_unavailable', 'Knotwork is busy right now; try again in a moment', {
      extra: { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
      cause: error,
    });
  if (!isDatabaseError(error)) return undefined;
  const known = error.constraint ? CONSTRAINT_PROBLEMS[error.constraint] : undefined;
  if (known) return new ProblemError(known, undefined, { cause: error });
  if (error.code === '23P01') return new ProblemError('slot_unavailable', undefined, { cause: error });
  return undefined;
}

const VALIDATION_SOURCES: Record<string, FieldError['in']> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

interface ZodIssueLike {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

function fieldErrorsFromValidation(issues: ZodIssueLike[], source: FieldError['in']): FieldError[] {
  return issues.flatMap((issue) => {
    const path = issue.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    if (issue.keyword === 'unrecognized_keys') {
      const keys = (issue.params.keys as string[] | undefined) ?? [];
      return keys.map((key) => ({
        field: path ? `${path}.${key}` : key,
        in: source,
        code: 'unknown_field',
        message: `Unknown field "${key}"`,
      }));
    }
    const missing = issue.keyword === 'invalid_type' && /received undefined/.test(issue.message);
    const custom =
      issue.keyword === 'custom' ? (issue.params.params as { code?: string } | undefined)?.code : undefined;
    return [
      {
        field: path || '(root)',
        in: source,
        code: missing ? 'required' : (custom ?? issue.keyword),
        message: missing ? 'This field is required' : issue.message,
      },
    ];
  });
}

function toProblem(error: FastifyError | Error): ProblemError {
  if (error instanceof ProblemError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const source = VALIDATION_SOURCES[(error as FastifyError).validationContext ?? 'body'] ?? 'body';
    const errors = fieldErrorsFromValidation(error.validation as unknown as ZodIssueLike[], source);
    return new ProblemError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
      errors,
    });
  }
  const fromDatabase = problemFromDatabaseError(error);
  if (fromDatabase) return fromDatabase;
  const fastifyCode = (error as FastifyError).code;
  switch (fastifyCode) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ProblemError('malformed_json', error.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ProblemError('unsupported_media_type');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProblemError('payload_too_large');
  }
  if (error instanceof SyntaxError && (error as FastifyError).statusCode === 400) {
    return new ProblemError('malformed_json', error.message);
  }
  return new ProblemError('internal_error', undefined, { cause: error });
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: ProblemError) {
  if (
    (problem.code === 'rate_limited' ||
      problem.code === 'sign_in_link_required' ||
      problem.code === 'service_unavailable') &&
    typeof problem.extra.retryAfterSeconds === 'number'
  ) {
    void reply.header('retry-after', String(problem.extra.retryAfterSeconds));
  }
  return reply
    .code(problem.status)
    .type('application/problem+json; charset=utf-8')
    .send(problemDocument(problem, request.url.split('?')[0]));
}

/**
 * Errors the router raises before any route is chosen (Fastify's `frameworkErrors` option): bad percent-encoding in
 * the path, and a path parameter longer than the router keeps. Answered as problems like every other error.
 */
export function frameworkErrorProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0];
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new ProblemError('uri_too_long', `A part of ${path} is longer than an address part may be`)
      : error.code === 'FST_ERR_BAD_URL'
        ? new ProblemError('malformed_url', `${path} has a malformed percent-encoding`)
        : toProblem(error);
  logProblem(request, error, problem);
  void sendProblem(reply, request, problem);
}

/**
 * Our bugs are errors, logged with their stack. A 503 is a warning, logged with why and no stack: the client is told
 * to retry, whether the database is unavailable or the answer is refused for now on purpose (a payment event that
 * arrives before its refund is recorded).
 */
function logProblem(request: FastifyRequest, error: unknown, problem: ProblemError) {
  if (problem.status < 500) return;
  if (problem.code !== 'service_unavailable') {
    request.log.error({ err: error }, 'request failed');
    return;
  }
  const unavailable = databaseUnavailableReason(error);
  if (unavailable) request.log.warn({ reason: unavailable }, 'database unavailable; answered 503 service_unavailable');
  else request.log.warn({ reason: problem.message }, 'refused for now; answered 503 service_unavailable');
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    logProblem(request, error, problem);
    return sendProblem(reply, request, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      new ProblemError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
