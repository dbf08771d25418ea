import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { type IncomingMessage, get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { ExternalCalendarErrorCode } from './therapist-tables.js';

export interface CalendarFetchOptions {
  /** Whether addresses of private networks (loopback, LAN, link-local) may be read; off in production. */
  allowPrivateAddresses: boolean;
  timeoutMs: number;
  maxBytes: number;
}

export type CalendarFetchOutcome =
  { ok: true; text: string } | { ok: false; code: ExternalCalendarErrorCode; message: string };

const MAX_REDIRECTS = 3;

/** Loopback, private, shared, link-local, multicast and reserved ranges: never the Internet's calendars. */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is on a private network (IPv4-mapped IPv6 addresses are judged as their IPv4). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

class PrivateAddressError extends Error {}
class TooLargeError extends Error {}

/**
 * Resolves names as usual but refuses private addresses, checked on the address actually connected to (so a name
 * that changes its answer between a check and the connection cannot slip through).
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    if (addresses.some((a) => isPrivateAddress(a.address))) return callback(new PrivateAddressError(hostname), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
};

/** The host of a URL as an address, when it is one (`[::1]` -> `::1`). */
const literalAddress = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/**
 * Reads a calendar's ICS text over HTTP(S), following up to three redirects, within a time and size budget.
 * Every failure comes back as a code and words for the therapist; nothing is thrown, and the address itself is
 * never part of the words (it is a secret).
 */
export async function fetchCalendarText(address: string, options: CalendarFetchOptions): Promise<CalendarFetchOutcome> {
  let url = new URL(address);
  const signal = AbortSignal.timeout(options.timeoutMs);
  for (let redirects = 0; ; redirects++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return {
        ok: false,
        code: 'unreachable',
        message: 'The calendar’s server sent us to an address that is not http(s)',
      };
    }
    if (!options.allowPrivateAddresses && isPrivateAddress(literalAddress(url))) {
      return { ok: false, code: 'private_address', message: 'The address points into a private network' };
    }
    let response: IncomingMessage;
    try {
      response = await request(url, options, signal);
    } catch (error) {
      return failure(error, options);
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.resume();
      if (redirects >= MAX_REDIRECTS)
        return { ok: false, code: 'too_many_redirects', message: 'The calendar’s server redirected too many times' };
      url = new URL(location, url);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      return {
        ok: false,
        code: 'http_status',
        message: `The calendar’s server answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
      };
    }
    try {
      return { ok: true, text: await readBody(response, options.maxBytes) };
    } catch (error) {
      return failure(error, options);
    }
  }
}

function request(url: URL, options: CalendarFetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const outgoing = get(
      url,
      {
        signal,
        headers: { accept: 'text/calendar, */*;q=0.5', 'user-agent': 'Knotwork calendar reader' },
        ...(options.allowPrivateAddresses ? {} : { lookup: guardedLookup }),
      },
      resolve,
    );
    outgoing.on('error', reject);
  });
}

function readBody(response: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy(new TooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('close', () => {
      if (!response.complete) reject(new Error('The connection closed before the calendar was read'));
    });
  });
}

function failure(error: unknown, options: CalendarFetchOptions): CalendarFetchOutcome {
  if (error instanceof TooLargeError)
    return {
      ok: false,
      code: 'too_large',
      message: `The calendar is larger than ${Math.round(options.maxBytes / 1_000_000)} MB`,
    };
  if (error instanceof PrivateAddressError || (error as { cause?: unknown })?.cause instanceof PrivateAddressError)
    return { ok: false, code: 'private_address', message: 'The address points into a private network' };
  const name = (error as { name?: string })?.name;
  if (name === 'AbortError' || name === 'TimeoutError')
    return {
      ok: false,
      code: 'timeout',
      message: `The calendar’s server did not answer within ${Math.round(options.timeoutMs / 1000)} seconds`,
    };
  const code = (error as { code?: string })?.code;
  return {
    ok: false,
    code: 'unreachable',
    message: `The calendar’s server could not be reached${code ? ` (${code})` : ''}`,
  };
}
