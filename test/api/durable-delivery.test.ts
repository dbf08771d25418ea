import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackgroundWork } from '../../src/background-work.js';
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { ensureMarket } from '../../src/demo/seed.js';
import { buildApp } from '../../src/http/app.js';
import { type MailSender, createSmtpSender } from '../../src/notify/mail-delivery.js';
import { bookSession } from '../support/booking-fixture.js';
import { durableDatabase } from '../support/durable-database.js';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.js';
import { createTherapist } from '../support/therapist-fixture.js';
import { BACKEND, ManualClock, TEST_NOW, type TestApp, signUp, startTestApp } from '../support/test-app.js';

let smtp: SmtpPeer;
let sender: MailSender;
beforeAll(async () => {
  smtp = await startSmtpPeer();
  sender = createSmtpSender(smtp.url);
});
afterAll(async () => {
  sender.close?.();
  await smtp.close();
});

const config = { ...loadConfig({ LOG_LEVEL: 'silent' }) };
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));

describe(`a reminder across a restart on ${BACKEND}`, () => {
  it('is sent exactly once after the server stops between scheduling and the due time and starts again', async () => {
    const storage = await durableDatabase();
    const clock = new ManualClock(TEST_NOW);
    try {
      // First life: the booking is confirmed and the confirmation goes out; the reminder is scheduled for later.
      const first = await storage.open();
      await ensureMarket(first.db);
      const app = await buildApp({ database: first, db: first.db, config, clock }, { logger: false });
      const t = { app, database: first, clock, config } as TestApp;
      const therapist = await createTherapist(t);
      const client = await signUp(app, 'client');
      // Wednesday 25 November, 10:00 in New York; the reminder is due on Tuesday at 15:00 UTC.
      await bookSession(t, client, therapist, '2026-11-25T15:00:00Z');
      await createBackgroundWork({ db: first.db, clock, config }, { sender }).runRound();
      expect(mailsTo(client.email).map((m) => m.subject)).toEqual([expect.stringMatching(/^Booking confirmed/)]);
      await app.close();
      await first.close();

      // Second life, after the due time: the polling loop main.ts runs picks the reminder up.
      clock.set('2026-11-24T15:05:00Z');
      const second = await storage.open();
      const errors: unknown[] = [];
      const loop = createBackgroundWork({ db: second.db, clock, config }, { sender }).start(10, (error) =>
        errors.push(error),
      );
      await expect
        .poll(() => [mailsTo(client.email).length, mailsTo(therapist.session.email).length], { timeout: 15_000 })
        .toEqual([2, 2]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await loop.stop();
      expect(errors).toEqual([]);
      expect(mailsTo(client.email).map((m) => m.subject)).toEqual([
        expect.stringMatching(/^Booking confirmed/),
        expect.stringMatching(/^Reminder/),
      ]);
      expect(mailsTo(therapist.session.email).map((m) => m.subject)).toEqual([
        expect.stringMatching(/^New booking/),
        expect.stringMatching(/^Reminder/),
      ]);

      // A third life changes nothing: the job and the messages are done for good.
      await second.close();
      const third = await storage.open();
      await createBackgroundWork({ db: third.db, clock, config }, { sender }).runRound();
      expect(mailsTo(client.email)).toHaveLength(2);
      await third.close();
    } finally {
      await storage.remove();
    }
  });
});

describe(`two instances on one ${BACKEND} database`, () => {
  let t: TestApp;
  let other: Database | undefined;
  beforeAll(async () => {
    t = await startTestApp();
    if (BACKEND === 'postgres') {
      const name = (
        await t.database.db
          .selectNoFrom((eb) => eb.fn<string>('current_database', []).as('db'))
          .executeTakeFirstOrThrow()
      ).db;
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${name}`;
      other = await openDatabase({ url: url.toString() }, { poolSize: 3 });
    }
  });
  afterAll(async () => {
    await other?.close();
    await t.close();
  });

  it('send every notice and reminder once, never twice, when their rounds run at the same time', async () => {
    const therapist = await createTherapist(t);
    const client = await signUp(t.app, 'client');
    // Thursday 26 November, back to back from 09:00 in New York: all within one day, so one instant has every
    // reminder due and no session begun.
    const starts = ['14:00', '15:15', '16:30', '17:45', '19:00', '20:15'].map((time) => `2026-11-26T${time}:00Z`);
    for (const start of starts) await bookSession(t, client, therapist, start);
    // PGlite is one instance by design: there the two "instances" share it, and their rounds still interleave.
    const instances = [t.database.db, other?.db ?? t.database.db].map((db) =>
      createBackgroundWork({ db, clock: t.clock, config: t.config }, { sender, mail: { batchSize: 3 } }),
    );
    const race = () =>
      Promise.all(instances.flatMap((instance) => [instance.runRound(), instance.runRound(), instance.runRound()]));

    await race();
    await race();
    const confirmations = [...mailsTo(client.email), ...mailsTo(therapist.session.email)];
    expect(confirmations).toHaveLength(2 * starts.length);
    expect(new Set(confirmations.map((m) => m.messageId)).size).toBe(2 * starts.length);

    t.clock.set('2026-11-25T21:00:00Z');
    await race();
    await race();
    const all = [...mailsTo(client.email), ...mailsTo(therapist.session.email)];
    expect(all.filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(2 * starts.length);
    expect(new Set(all.map((m) => m.messageId)).size).toBe(all.length);
  });
});
