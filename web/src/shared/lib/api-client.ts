/**
 * The one way the app talks to the server: JSON in, JSON out, and every failure as an ApiError carrying the
 * RFC 9457 problem document, so forms can put each `errors[].field` message next to its field.
 */

export interface FieldProblem {
  field: string;
  in: 'body' | 'query' | 'path' | 'header';
  code: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status() {
    return this.problem.status;
  }

  get code() {
    return this.problem.code;
  }

  /** The message for one field (or anything inside it, e.g. `licence` covers `licence.expiresOn`). */
  fieldMessage(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field || e.field.startsWith(`${field}.`))?.message;
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).code === 'string' &&
    typeof (value as Problem).status === 'number'
  );
}

export async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new ApiError({
      type: 'about:blank',
      title: 'Knotwork cannot be reached',
      status: 0,
      detail: 'Knotwork cannot be reached. Check your connection and try again.',
      code: 'network_error',
    });
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiError(problemOfFailure(response.status, response.statusText, payload));
  return payload as T;
}

/** What people read when the server is busy: its own 503 says so too (`service_unavailable`, with Retry-After). */
export const BUSY_DETAIL = 'Knotwork is busy right now; try again in a moment';

/**
 * The problem a failed answer carries. An answer that is no problem document is described by its status; a 503 of
 * that kind (a proxy's page while the server restarts) reads as the server's own `service_unavailable`.
 */
export function problemOfFailure(status: number, statusText: string, payload: unknown): Problem {
  if (isProblem(payload)) return payload;
  if (status === 503)
    return {
      type: '/problems#service_unavailable',
      title: statusText,
      status,
      detail: BUSY_DETAIL,
      code: 'service_unavailable',
    };
  return {
    type: 'about:blank',
    title: statusText,
    status,
    detail: `The server answered ${status}`,
    code: 'unexpected_response',
  };
}

export const api = {
  get: <T>(path: string, query?: Query) => apiRequest<T>('GET', path, query ? { query } : {}),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    apiRequest<T>('POST', path, { body, ...(headers ? { headers } : {}) }),
  put: <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body }),
  delete: <T = void>(path: string) => apiRequest<T>('DELETE', path),
};

/** A fresh key for an Idempotency-Key header: one per user intent, reused if that intent is retried. */
export const newIdempotencyKey = () => crypto.randomUUID();

/** The message for one field from any error, for `<Field error={…}>`. */
export const fieldError = (error: unknown, field: string) =>
  error instanceof ApiError ? error.fieldMessage(field) : undefined;
