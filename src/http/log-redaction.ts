/**
 * Request logging without secrets. A private calendar feed is read by calendar apps at `/calendar/<token>.ics`, and
 * the token is the whole of its protection: it must not reach the logs, where anyone who can read them could
 * subscribe to a client's sessions. Cookies are never logged (pino's default request serializer omits headers
 * we do not list).
 */
const FEED_PATH = /^\/calendar\/[^/?#]+\.ics/;

export function redactUrl(url: string): string {
  return url.replace(FEED_PATH, '/calendar/[redacted].ics');
}

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
  id?: string;
}

/** pino serializer for Fastify's `req`: method, redacted url, remote address and request id. */
export function serializeRequest(request: LoggedRequest): Record<string, unknown> {
  return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip, reqId: request.id };
}
