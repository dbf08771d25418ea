import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackgroundWork } from '../../src/background-work.js';
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
    const message = {
      userId: alice.id,
      kind: 'test.hello',
      subject: 'Hello',
      text: 'Hi Alice',
      dedupeKey: 'hello-alice',
    };
    expect(await enqueueMessages(t.database.db, [message], now)).toBe(1);
    expect(await enqueueMessages(t.database.db, [message], now)).toBe(0);
    await enqueueMessages(
      t.database.db,
      [{ userId: alice.id, kind: 'test.later', subject: 'Later', text: 'Tomorrow', sendAt: now + 86_400_000 }],
      now,
    );
    const mine = await call(t.app, alice, { method: 'GET', url: '/api/messages' });
    expect(mine.json().items).toMatchObject([
      { kind: 'test.hello', subject: 'Hello', text: 'Hi Alice', status: 'pending' },
    ]);
    expect((await call(t.app, bob, { method: 'GET', url: '/api/messages' })).json().items).toEqual([]);
    t.clock.advance(86_400_000);
    expect((await call(t.app, alice, { method: 'GET', url: '/api/messages' })).json().items).toHaveLength(2);
    expect((await call(t.app, null, { method: 'GET', url: '/api/messages' })).statusCode).toBe(401);
  });

  it('keeps messages in the in-app inbox, marked as not e-mailed, when no SMTP server is configured', async () => {
    const carol = await signUp(t.app, 'client');
    const now = t.clock.now();
    await enqueueMessages(
      t.database.db,
      [{ userId: carol.id, kind: 'test.no_smtp', subject: 'Only here', text: 'Read me in the app' }],
      now,
    );
    await enqueueMessages(
      t.database.db,
      [{ userId: carol.id, kind: 'test.no_smtp_later', subject: 'Later', text: 'Not yet', sendAt: now + 3_600_000 }],
      now,
    );
    await createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender: null }).runRound();
    const rows = await t.database.db
      .selectFrom('messages')
      .select(['subject', 'status'])
      .where('user_id', '=', carol.id)
      .orderBy('subject')
      .execute();
    expect(rows).toEqual([
      { subject: 'Later', status: 'pending' },
      { subject: 'Only here', status: 'in_app' },
    ]);
    const inbox = await call(t.app, carol, { method: 'GET', url: '/api/messages' });
    expect(inbox.json().items).toMatchObject([{ subject: 'Only here', status: 'in_app', sentAt: null }]);
  });
});
