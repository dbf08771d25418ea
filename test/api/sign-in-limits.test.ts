import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../src/config.js';
import {
  ACCOUNT_BUDGET,
  ACCOUNT_WINDOW_MS,
  budgetVerdict,
  delayAfter,
  throttleVerdict,
} from '../../src/accounts/sign-in-throttle.js';
import {
  BACKEND,
  type TestApp,
  TEST_METRICS_TOKEN,
  sessionCookie,
  startTestApp,
  uniqueEmail,
} from '../support/test-app.js';

/** Issue 15 #4 and #5: sign-in limits that hold under parallel requests and cannot lock the owner out. */

const RIGHT = 'the right password';
const PARALLEL = 200;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolSize: 20 });
});
afterAll(() => t.close());

async function account(app: TestApp, prefix: string) {
  const email = uniqueEmail(prefix);
  const created = await app.app.inject({
    method: 'POST',
    url: '/api/accounts',
    payload: { email, password: RIGHT, displayName: 'Owner' },
    remoteAddress: '192.0.2.200',
  });
  expect(created.statusCode).toBe(201);
  return email;
}

const signIn = (app: TestApp, email: string, password: string, from: string, headers: Record<string, string> = {}) =>
  app.app.inject({ method: 'POST', url: '/api/sessions', payload: { email, password }, remoteAddress: from, headers });

describe('the sign-in delay rule', () => {
  it('gives a pair five attempts, then delays that double from a minute to an hour, and forgets after a quiet day', () => {
    const now = 1_000_000_000;
    expect(throttleVerdict(undefined, now)).toMatchObject({ allowed: true, counted: 1 });
    expect(throttleVerdict({ failures: 4, lastAttemptAt: now }, now)).toMatchObject({ allowed: true, counted: 5 });
    expect(throttleVerdict({ failures: 5, lastAttemptAt: now }, now)).toMatchObject({
      allowed: false,
      retryAfterSeconds: 60,
    });
    expect(throttleVerdict({ failures: 5, lastAttemptAt: now - 60_000 }, now)).toMatchObject({ allowed: true });
    expect([5, 6, 7, 8, 12, 20].map(delayAfter)).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000, 3_600_000]);
    expect(throttleVerdict({ failures: 30, lastAttemptAt: now - 86_400_000 }, now)).toMatchObject({
      allowed: true,
      counted: 1,
    });
  });
});

describe('the account-wide budget rule', () => {
  it('lets new addresses spend twenty attempts a window, then refuses until the window ends', () => {
    const now = 1_000_000_000;
    expect(ACCOUNT_BUDGET).toBe(20);
    expect(budgetVerdict(undefined, now)).toMatchObject({ allowed: true, counted: 1, windowStartedAt: now });
    expect(budgetVerdict({ failures: 19, windowStartedAt: now - 1000 }, now)).toMatchObject({
      allowed: true,
      counted: 20,
      windowStartedAt: now - 1000,
    });
    expect(budgetVerdict({ failures: 20, windowStartedAt: now - 1000 }, now)).toMatchObject({
      allowed: false,
      retryAfterSeconds: ACCOUNT_WINDOW_MS / 1000 - 1,
    });
    expect(budgetVerdict({ failures: 20, windowStartedAt: now - ACCOUNT_WINDOW_MS }, now)).toMatchObject({
      allowed: true,
      counted: 1,
      windowStartedAt: now,
    });
  });
});

describe(`sign-in limits on ${BACKEND}`, () => {
  const codes = (answers: { code: string }[]) => ({
    checked: answers.filter((a) => a.code === 'invalid_credentials').length,
    refused: answers.filter((a) => a.code === 'rate_limited').length,
  });

  it(`lets ${PARALLEL} parallel wrong passwords from one address check at most five (in-process burst)`, async () => {
    const email = await account(t, 'burst');
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        signIn(t, email, 'a wrong guess at it', '127.0.0.1').then((r) => r.json<{ code: string }>()),
      ),
    );
    expect(codes(answers)).toEqual({ checked: 5, refused: PARALLEL - 5 });
  }, 60_000);

  it(`lets ${PARALLEL} parallel wrong passwords over HTTP check at most five`, async () => {
    const email = await account(t, 'parallel');
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        fetch(`${base}/api/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'a wrong guess at it' }),
        }).then(async (r) => (await r.json()) as { code: string }),
      ),
    );
    expect(codes(answers)).toEqual({ checked: 5, refused: PARALLEL - 5 });
  }, 60_000);

  it('slows an attacker’s address without locking the owner out elsewhere; waiting or the right password goes on', async () => {
    const email = await account(t, 'owner');
    const attacker = '198.51.100.7';
    for (let i = 0; i < 5; i++) expect((await signIn(t, email, 'guess number one', attacker)).statusCode).toBe(401);
    const slowed = await signIn(t, email, 'guess number two', attacker);
    expect(slowed.statusCode).toBe(429);
    expect(slowed.json()).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 60 });
    expect(slowed.headers['retry-after']).toBe('60');
    expect(slowed.json().detail).toMatch(/sign-in link/);
    // The owner, from home, is not held up by any of it.
    const owner = await signIn(t, email, RIGHT, '203.0.113.9');
    expect(owner.statusCode).toBe(200);
    // The attacker waits a minute for one more guess, then two minutes.
    t.clock.advance(60_000);
    expect((await signIn(t, email, 'guess number three', attacker)).statusCode).toBe(401);
    t.clock.advance(60_000);
    expect((await signIn(t, email, 'guess number four', attacker)).json().retryAfterSeconds).toBe(60);
    t.clock.advance(60_000);
    // The right password, after the wait, signs in and clears the pair.
    expect((await signIn(t, email, RIGHT, attacker)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn(t, email, 'guess again', attacker)).statusCode).toBe(401);
  });

  it('sends a sign-in link as the way out: it signs in once, clears the slowed pair, and expires', async () => {
    const email = await account(t, 'link');
    const home = '192.0.2.44';
    for (let i = 0; i < 6; i++) await signIn(t, email, 'forgot it again', home);
    expect((await signIn(t, email, RIGHT, home)).statusCode).toBe(429);

    const ask = () =>
      t.app.inject({ method: 'POST', url: '/api/sign-in-links', payload: { email }, remoteAddress: home });
    expect((await ask()).statusCode).toBe(204);
    const token = await latestLinkToken(email);
    const use = (value: string) =>
      t.app.inject({ method: 'POST', url: '/api/sessions/link', payload: { token: value }, remoteAddress: home });
    const used = await use(token);
    expect(used.statusCode).toBe(200);
    expect(used.json()).toMatchObject({ email });
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: sessionCookie(used) } });
    expect(me.json()).toMatchObject({ email });
    const again = await use(token);
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('sign_in_link_invalid');
    // The pair at home starts again.
    expect((await signIn(t, email, RIGHT, home)).statusCode).toBe(200);

    expect((await ask()).statusCode).toBe(204);
    const late = await latestLinkToken(email);
    t.clock.advance(16 * 60_000);
    expect((await use(late)).json().code).toBe('sign_in_link_invalid');
  });

  it('gives back the budget an owner’s right password from a new address spent: only failures use it up', async () => {
    const email = await account(t, 'refund');
    const from = (i: number) => `198.19.0.${i + 1}`;
    for (let i = 0; i < ACCOUNT_BUDGET - 1; i++)
      expect((await signIn(t, email, 'wrong again', from(i))).statusCode).toBe(401);
    // The owner on holiday: counted before the check, then given back.
    expect((await signIn(t, email, RIGHT, '203.0.113.77')).statusCode).toBe(200);
    expect((await signIn(t, email, 'wrong again', from(100))).statusCode).toBe(401);
    expect((await signIn(t, email, 'wrong again', from(101))).json().code).toBe('sign_in_link_required');
    // The holiday address is known now: it is not refused by the spent budget.
    expect((await signIn(t, email, RIGHT, '203.0.113.77')).statusCode).toBe(200);
  });

  it('signs the owner in from several tabs at once: each is let in or told to wait, none meets a 500', async () => {
    // A right password clears the pair's row; an attempt reserved beside it must still find (or make) a row to count
    // on. Six at once from where the account was made: five free attempts are let in, and the sixth waits unless a sign-in cleared the pair first.
    for (let round = 0; round < 20; round++) {
      const email = await account(t, 'tabs');
      const answers = await Promise.all(Array.from({ length: 6 }, () => signIn(t, email, RIGHT, '192.0.2.200')));
      const codes = answers.map((a) => a.statusCode);
      expect(
        codes.filter((code) => code !== 200 && code !== 429),
        codes.join(),
      ).toEqual([]);
      expect(codes.filter((code) => code === 200).length).toBeGreaterThanOrEqual(5);
    }
  });

  it('answers a link request for an unknown e-mail the same way, and sends nothing', async () => {
    const before = await t.database.db.selectFrom('messages').select('id').execute();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/sign-in-links',
      payload: { email: uniqueEmail('nobody') },
    });
    expect(response.statusCode).toBe(204);
    expect(await t.database.db.selectFrom('messages').select('id').execute()).toHaveLength(before.length);
  });
});

/** The token of the link e-mailed last: the one among the account's link e-mails that was not seen before. */
const seen = new Set<string>();
async function latestLinkToken(email: string, app: TestApp = t): Promise<string> {
  const messages = await app.database.db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.user_id')
    .select('messages.body_text')
    .where('users.email', '=', email)
    .where('messages.kind', '=', 'account.sign_in_link')
    .execute();
  const tokens = messages.map((m) => /^http:\/\/localhost:\d+\/sign-in\/link#([\w-]+)$/m.exec(m.body_text)?.[1]);
  const fresh = tokens.filter((token) => token !== undefined && !seen.has(token));
  expect(fresh).toHaveLength(1);
  seen.add(fresh[0]!);
  return fresh[0]!;
}

describe('weak passwords', () => {
  it.each([
    ['aaaaaaaaaa', /repeat/i],
    ['password12', /common/i],
    ['          ', /spaces/i],
    ['qwertyuiop', /./],
  ])('refuses %j at the password field with weak_password and why', async (password, why) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload: { email: uniqueEmail('weak'), password, displayName: 'Weak' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ code: 'validation_failed', field: 'password' });
    expect(problem.errors[0]).toMatchObject({ field: 'password', code: 'weak_password' });
    expect(problem.errors[0].message).toMatch(why);
  });

  it('counts the person’s own name and e-mail as easy to guess', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload: { email: 'zebediah.quartermain@example.test', password: 'zebediahquartermain', displayName: 'Zebediah' },
    });
    expect(response.json().errors[0]).toMatchObject({ field: 'password', code: 'weak_password' });
  });
});

describe('/metrics', () => {
  it('answers 401 without the bearer token, and the metrics with it', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('unauthenticated');
    const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const right = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
    });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('knotwork_http_requests_total');
  });
});

describe('with real per-address limits, TRUST_PROXY on and no metrics token', () => {
  let p: TestApp;
  beforeAll(async () => {
    p = await startTestApp({
      config: {
        trustProxy: parseTrustProxy('1'),
        metricsToken: undefined,
        rateLimits: { signInsPerMinute: 12, signUpsPerHour: 2, signInLinksPerHour: 2 },
      },
    });
  });
  afterAll(() => p.close());

  it('reads TRUST_PROXY as off, all, a number of hops or proxy addresses', () => {
    expect(['', '0', 'false'].map(parseTrustProxy)).toEqual([false, false, false]);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.1, 10.1.0.0/16')).toEqual(['10.0.0.1', '10.1.0.0/16']);
  });

  it('counts sign-in by the forwarded address behind a trusted proxy, and by the connection without one', async () => {
    const proxy = '10.0.0.2';
    const email = await account(p, 'proxied');
    const via = (client: string, password: string) => signIn(p, email, password, proxy, { 'x-forwarded-for': client });
    for (let i = 0; i < 5; i++) expect((await via('198.51.100.1', 'wrong guess here')).statusCode).toBe(401);
    expect((await via('198.51.100.1', RIGHT)).statusCode).toBe(429);
    // Another client behind the same proxy is another address.
    expect((await via('198.51.100.2', RIGHT)).statusCode).toBe(200);

    // Without TRUST_PROXY (the suite's main server), X-Forwarded-For is ignored: the proxy is the address.
    const direct = await account(t, 'direct');
    for (let i = 0; i < 5; i++)
      await signIn(t, direct, 'wrong guess here', proxy, { 'x-forwarded-for': `198.51.100.${10 + i}` });
    const spoofed = await signIn(t, direct, RIGHT, proxy, { 'x-forwarded-for': '198.51.100.99' });
    expect(spoofed.statusCode).toBe(429);
  });

  it('limits sign-ups per address with @fastify/rate-limit, as problem+json', async () => {
    const from = '192.0.2.77';
    const up = () =>
      p.app.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: { email: uniqueEmail('many'), password: RIGHT, displayName: 'Many' },
        remoteAddress: from,
      });
    expect((await up()).statusCode).toBe(201);
    expect((await up()).statusCode).toBe(201);
    const third = await up();
    expect(third.statusCode).toBe(429);
    expect(third.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(third.json().code).toBe('rate_limited');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
  });

  it(`limits ${PARALLEL} parallel sign-ins from one address across accounts to the address's allowance`, async () => {
    const from = '192.0.2.88';
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => signIn(p, uniqueEmail(`spray${i}`), 'any password at all', from)),
    );
    expect(answers.filter((a) => a.statusCode === 401)).toHaveLength(12);
    expect(answers.filter((a) => a.json().code === 'rate_limited')).toHaveLength(PARALLEL - 12);
    // Another address is not held up.
    expect((await signIn(p, uniqueEmail('other'), 'any password at all', '192.0.2.89')).statusCode).toBe(401);
  });

  it(`lets ${PARALLEL} parallel wrong passwords from ${PARALLEL} new addresses check at most the account's budget`, async () => {
    const email = await account(p, 'spread');
    const proxy = '10.0.0.3';
    const via = (client: string, password: string) => signIn(p, email, password, proxy, { 'x-forwarded-for': client });
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        via(`198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`, 'a wrong guess at it').then((r) =>
          r.json<{ code: string }>(),
        ),
      ),
    );
    const count = (code: string) => answers.filter((a) => a.code === code).length;
    expect({ checked: count('invalid_credentials'), link: count('sign_in_link_required') }).toEqual({
      checked: ACCOUNT_BUDGET,
      link: PARALLEL - ACCOUNT_BUDGET,
    });

    // The owner, from the address the account was made and signed in from, is not held up; it still has its pair's
    // five attempts, no more.
    expect((await signIn(p, email, RIGHT, '192.0.2.200')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn(p, email, 'oops wrong', '192.0.2.200')).statusCode).toBe(401);
    expect((await signIn(p, email, RIGHT, '192.0.2.200')).json().code).toBe('rate_limited');

    // A new address, even with the right password, is told to use the link; the link signs it in and makes it known.
    const travelling = '203.0.113.50';
    const refused = await via(travelling, RIGHT);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ code: 'sign_in_link_required' });
    expect(refused.json().detail).toMatch(/sign-in link/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const ask = await p.app.inject({
      method: 'POST',
      url: '/api/sign-in-links',
      payload: { email },
      remoteAddress: proxy,
      headers: { 'x-forwarded-for': travelling },
    });
    expect(ask.statusCode).toBe(204);
    const used = await p.app.inject({
      method: 'POST',
      url: '/api/sessions/link',
      payload: { token: await latestLinkToken(email, p) },
      remoteAddress: proxy,
      headers: { 'x-forwarded-for': travelling },
    });
    expect(used.statusCode).toBe(200);
    expect((await via(travelling, RIGHT)).statusCode).toBe(200);
    // Other new addresses are still refused, until the window ends.
    expect((await via('203.0.113.51', RIGHT)).json().code).toBe('sign_in_link_required');
    p.clock.advance(ACCOUNT_WINDOW_MS);
    expect((await via('203.0.113.51', RIGHT)).statusCode).toBe(200);
  }, 60_000);

  it('does not serve /metrics at all without a METRICS_TOKEN', async () => {
    expect((await p.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });
});
