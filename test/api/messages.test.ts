import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessages } from '../../src/notify/outbox.js';
import { type TestApp, call, signUp, startTestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('message outbox', () => {
  it('writes each deduplicated message once and shows users only their own, once due', async () => {
    const alice = await signUp(t.app, 'client');
    const bob = await signUp(t.app, 'client');
    const now = t.clock.now();
    const message = { userId: alice.id, kind: 'test.hello', subject: 'Hello', text: 'Hi Alice', dedupeKey: 'hello-alice' };
    expect(await enqueueMessages(t.database.db, [message], now)).toBe(1);
    expect(await enqueueMessages(t.database.db, [message], now)).toBe(0);
    await enqueueMessages(t.database.db, [{ userId: alice.id, kind: 'test.later', subject: 'Later', text: 'Tomorrow', sendAt: now + 86_400_000 }], now);
    const mine = await call(t.app, alice, { method: 'GET', url: '/api/messages' });
    expect(mine.json().items).toMatchObject([{ kind: 'test.hello', subject: 'Hello', text: 'Hi Alice', status: 'pending' }]);
    expect((await call(t.app, bob, { method: 'GET', url: '/api/messages' })).json().items).toEqual([]);
    t.clock.advance(86_400_000);
    expect((await call(t.app, alice, { method: 'GET', url: '/api/messages' })).json().items).toHaveLength(2);
    expect((await call(t.app, null, { method: 'GET', url: '/api/messages' })).statusCode).toBe(401);
  });
});
