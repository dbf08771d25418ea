import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, call, sessionCookie, startTestApp, uniqueEmail } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const signUp = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/accounts', payload });

describe('accounts', () => {
  it('signs a client up, stores an argon2id hash, and keeps the session in an HttpOnly cookie', async () => {
    const email = uniqueEmail('Client').toUpperCase();
    const response = await signUp({ email, password: 'a long enough password', displayName: 'Ana' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ email: email.toLowerCase(), role: 'client', displayName: 'Ana' });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/kw_session=[\w-]{40,}/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const stored = await t.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', email.toLowerCase())
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const sessions = await t.database.db.selectFrom('sessions').select('token_hash').execute();
    const token = sessionCookie(response).split('=')[1]!;
    expect(sessions.some((s) => s.token_hash === token)).toBe(false);
  });

  it('answers /api/me for the signed-in user and 401 for anybody else', async () => {
    const response = await signUp({
      email: uniqueEmail('me'),
      password: 'a long enough password',
      displayName: 'Me',
      role: 'therapist',
    });
    const cookie = sessionCookie(response);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ role: 'therapist', displayName: 'Me' });
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(anonymous.json().code).toBe('unauthenticated');
    const forged = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: 'kw_session=forged-token' },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('refuses a second account with the same e-mail, naming the field', async () => {
    const email = uniqueEmail('dup');
    await signUp({ email, password: 'a long enough password', displayName: 'One' });
    const again = await signUp({ email: email.toUpperCase(), password: 'another long password', displayName: 'Two' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'email_taken', field: 'email' });
  });

  it('does not let anyone sign up as an operator', async () => {
    const response = await signUp({
      email: uniqueEmail('op'),
      password: 'a long enough password',
      displayName: 'Op',
      role: 'operator',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', field: 'role' });
  });

  it('signs in and out; the old cookie stops working', async () => {
    const email = uniqueEmail('inout');
    await signUp({ email, password: 'a long enough password', displayName: 'In Out' });
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { email, password: 'a long enough password' },
    });
    expect(signIn.statusCode).toBe(200);
    const cookie = sessionCookie(signIn);
    const out = await t.app.inject({ method: 'DELETE', url: '/api/sessions/current', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('expires sessions after 30 days', async () => {
    const response = await signUp({
      email: uniqueEmail('expiry'),
      password: 'a long enough password',
      displayName: 'Old',
    });
    const cookie = sessionCookie(response);
    t.clock.advance(29 * 86_400_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    t.clock.advance(2 * 86_400_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('slows sign-in from an address after five failures at an e-mail, with Retry-After, and lets it go on after the wait', async () => {
    const email = uniqueEmail('throttle');
    await signUp({ email, password: 'the right password', displayName: 'Throttled' });
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/sessions', payload: { email, password } });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password')).statusCode).toBe(401);
    const slowed = await attempt('the right password');
    expect(slowed.statusCode).toBe(429);
    expect(slowed.json().code).toBe('rate_limited');
    expect(Number(slowed.headers['retry-after'])).toBe(60);
    t.clock.advance(60_000);
    expect((await attempt('the right password')).statusCode).toBe(200);
  });

  it('gives the same answer for an unknown e-mail as for a wrong password', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { email: uniqueEmail('nobody'), password: 'whatever it is' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('invalid_credentials');
  });

  it('refuses writes from other origins and cross-site requests, and allows same-origin ones', async () => {
    const payload = { email: uniqueEmail('csrf'), password: 'a long enough password', displayName: 'X' };
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload,
      headers: { origin: 'https://evil.example', host: 'localhost:3000' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('cross_origin_refused');
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload,
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload,
      headers: { origin: 'http://localhost:3000', host: 'localhost:3000' },
    });
    expect(own.statusCode).toBe(201);
    const read = await t.app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(read.statusCode).toBe(200);
  });

  it('lets a signed-in client see nothing of the operator area', async () => {
    const response = await signUp({
      email: uniqueEmail('nosy'),
      password: 'a long enough password',
      displayName: 'Nosy',
    });
    const licences = await call(
      t.app,
      { id: '', email: '', cookie: sessionCookie(response) },
      { method: 'GET', url: '/api/operator/licences' },
    );
    expect(licences.statusCode).toBe(403);
    expect(licences.json().code).toBe('forbidden');
  });
});
