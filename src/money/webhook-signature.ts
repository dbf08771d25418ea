import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookRejected } from './engine/payment-provider.js';

/**
 * Signed webhooks, as Knotwork's test processor sends them and as real processors do (Stripe's scheme): the header
 * `Knotwork-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The timestamp is signed
 * with the body, so a captured request cannot be replayed after the tolerance; several `v1` values may be sent while
 * a secret is rotated, and any one matching is enough. Kept outside engine/ because it uses node:crypto.
 */
export const SIGNATURE_HEADER = 'Knotwork-Signature';

/** How far a signature's timestamp may be from now, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The header value signing `body` at `nowMs`. */
export function signWebhook(secret: string, body: string, nowMs: number): string {
  const timestamp = Math.floor(nowMs / 1000);
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

/** A header's value whatever its case and however Node gave it (a repeated header arrives as an array). */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

/**
 * Checks that `body` was signed with `secret` within the tolerance of `nowMs`; throws WebhookRejected
 * ('missing_signature', 'invalid_signature' or 'stale') otherwise. Compares in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowMs: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): void {
  if (header === undefined || header.trim() === '')
    throw new WebhookRejected('missing_signature', `The ${SIGNATURE_HEADER} header is missing`);
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0)
    throw new WebhookRejected(
      'invalid_signature',
      `The ${SIGNATURE_HEADER} header must read t=<unix seconds>,v1=<hex HMAC-SHA256>`,
    );
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  const matches = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  if (!matches) throw new WebhookRejected('invalid_signature', 'The signature does not match the body');
  if (Math.abs(Math.floor(nowMs / 1000) - timestamp) > toleranceSeconds)
    throw new WebhookRejected(
      'stale',
      `The signature's timestamp is more than ${toleranceSeconds} seconds from now: a replayed or delayed request`,
    );
}
