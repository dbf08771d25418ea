import { describe, expect, it } from 'vitest';
import { redactUrl, serializeRequest } from './log-redaction.js';

describe('log redaction', () => {
  it('hides the token of a calendar feed, with or without a query', () => {
    expect(redactUrl('/calendar/Zm9vYmFyYmF6LXNlY3JldA.ics')).toBe('/calendar/[redacted].ics');
    expect(redactUrl('/calendar/abc_DEF-123.ics?x=1')).toBe('/calendar/[redacted].ics?x=1');
  });

  it('leaves every other path as it is', () => {
    for (const url of [
      '/api/calendar-feeds',
      '/api/calendar-feeds/5/rotate',
      '/api/bookings/abc',
      '/healthz',
      '/calendar',
    ]) {
      expect(redactUrl(url)).toBe(url);
    }
  });

  it('logs method, redacted url, address and request id only', () => {
    expect(serializeRequest({ method: 'GET', url: '/calendar/s3cret.ics', ip: '127.0.0.1', id: 'req-1' })).toEqual({
      method: 'GET',
      url: '/calendar/[redacted].ics',
      remoteAddress: '127.0.0.1',
      reqId: 'req-1',
    });
  });
});
