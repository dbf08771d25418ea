import { describe, expect, it } from 'vitest';
import { ApiError, BUSY_DETAIL, problemOfFailure } from './api-client';

describe('the problem a failed answer carries', () => {
  it("keeps the server's problem document, so a busy server's own words are what people read", () => {
    const busy = {
      type: '/problems#service_unavailable',
      title: 'The service is not ready',
      status: 503,
      detail: 'Knotwork is busy right now; try again in a moment',
      code: 'service_unavailable',
      retryAfterSeconds: 3,
    };
    const error = new ApiError(problemOfFailure(503, 'Service Unavailable', busy));
    expect(error.code).toBe('service_unavailable');
    expect(error.message).toBe(BUSY_DETAIL);
  });

  it("reads a 503 that is no problem document (a proxy's page) as busy, and other such answers by status", () => {
    const proxy = new ApiError(problemOfFailure(503, 'Service Unavailable', undefined));
    expect(proxy.code).toBe('service_unavailable');
    expect(proxy.message).toBe(BUSY_DETAIL);
    const gateway = new ApiError(problemOfFailure(502, 'Bad Gateway', undefined));
    expect(gateway.code).toBe('unexpected_response');
    expect(gateway.message).toBe('The server answered 502');
  });
});
