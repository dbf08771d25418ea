import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookRejected } from './engine/payment-provider.js';
import { headerValue, signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = 'whsec-test-0123456789abcdef';
const BODY = '{"id":"evt_1","type":"payment.captured"}';
const NOW = Date.parse('2026-11-23T12:00:00Z');

function rejection(run: () => void): string {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookRejected) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('webhook signatures', () => {
  it('signs t.body with HMAC-SHA256 in the documented header format', () => {
    const header = signWebhook(SECRET, BODY, NOW + 999);
    const t = Math.floor(NOW / 1000);
    const hex = createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${hex}`);
  });

  it('accepts its own signature within five minutes either way', () => {
    const header = signWebhook(SECRET, BODY, NOW);
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, header, NOW))).toBe('accepted');
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, header, NOW + 300_000))).toBe('accepted');
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, header, NOW - 300_000))).toBe('accepted');
  });

  it('refuses a stale or future-dated signature', () => {
    const header = signWebhook(SECRET, BODY, NOW);
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, header, NOW + 301_000))).toBe('stale');
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, header, NOW - 301_000))).toBe('stale');
  });

  it('refuses another secret, a changed body, a changed timestamp and a garbled header', () => {
    const header = signWebhook(SECRET, BODY, NOW);
    expect(rejection(() => verifyWebhookSignature('another-secret-of-16+', BODY, header, NOW))).toBe(
      'invalid_signature',
    );
    expect(rejection(() => verifyWebhookSignature(SECRET, `${BODY} `, header, NOW))).toBe('invalid_signature');
    const shifted = header.replace(/^t=(\d+)/, (_m, t: string) => `t=${Number(t) + 1}`);
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, shifted, NOW))).toBe('invalid_signature');
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, 'v1=abc', NOW))).toBe('invalid_signature');
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, 't=1,v1=zz', NOW))).toBe('invalid_signature');
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, 'nonsense', NOW))).toBe('invalid_signature');
  });

  it('refuses a missing header', () => {
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, undefined, NOW))).toBe('missing_signature');
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, '  ', NOW))).toBe('missing_signature');
  });

  it('accepts any one of several v1 signatures (a secret being rotated)', () => {
    const header = signWebhook(SECRET, BODY, NOW);
    const old = signWebhook('the-old-secret-0123456', BODY, NOW).split(',')[1]!;
    expect(rejection(() => verifyWebhookSignature(SECRET, BODY, `${header},${old}`, NOW))).toBe('accepted');
  });

  it('reads the header whatever its case', () => {
    expect(headerValue({ 'knotwork-signature': 'a' }, 'Knotwork-Signature')).toBe('a');
    expect(headerValue({ 'KNOTWORK-SIGNATURE': ['a', 'b'] }, 'Knotwork-Signature')).toBe('a,b');
    expect(headerValue({}, 'Knotwork-Signature')).toBeUndefined();
  });
});
