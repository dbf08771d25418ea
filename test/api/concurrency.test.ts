import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/accounts/passwords.js';
import { createSession } from '../../src/accounts/sessions.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import { BACKEND, type TestApp, createOperator, startTestApp, uniqueEmail } from '../support/test-app.js';
import { payWithCard } from '../support/payment-fixture.js';

const THERAPISTS = 10;
const STARTS = ['09:00', '10:15', '11:30', '12:45', '14:00'];
const ATTEMPTS = 500;

let t: TestApp;
let baseUrl: string;
let therapists: TherapistFixture[];
let cookies: string[];
const cards: string[] = [];

beforeAll(async () => {
  t = await startTestApp({ poolSize: 50 });
  const operator = await createOperator(t);
  therapists = [];
  for (let i = 0; i < THERAPISTS; i++) therapists.push(await createTherapist(t, { bufferAfterMin: 15 }, operator));
  // Clients are created directly: 500 argon2 sign-ups would measure hashing, not booking.
  const passwordHash = await hashPassword('irrelevant password');
  const clients = await t.database.db
    .insertInto('users')
    .values(
      Array.from({ length: ATTEMPTS }, (_, i) => ({
        email: uniqueEmail(`racer${i}`),
        password_hash: passwordHash,
        role: 'client' as const,
        display_name: `Racer ${i}`,
      })),
    )
    .returning('id')
    .execute();
  // Each has completed the consultation, which booking requires.
  const intake = JSON.stringify(deskWorkerIntake());
  await t.database.db
    .insertInto('intake_versions')
    .values(clients.map((c) => ({ client_id: c.id, version: 1, data: intake, created_at: new Date(t.clock.now()) })))
    .execute();
  cookies = await Promise.all(
    clients.map(async (c) => `kw_session=${await createSession(t.database.db, c.id, t.clock.now(), 1)}`),
  );
  // And has saved a card to pay with (a confirm authorises the session's total on it).
  for (const [i, c] of clients.entries()) {
    cards.push((await payWithCard(t.app, { id: c.id, email: '', cookie: cookies[i]! })).paymentMethodId);
  }
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
}, 300_000);
afterAll(() => t.close());

describe(`contended booking on ${BACKEND}`, () => {
  it(`${ATTEMPTS} parallel attempts on ${THERAPISTS * STARTS.length} slots: one winner per slot, the rest 409, no 5xx, no overlaps`, async () => {
    const slots = therapists.flatMap((therapist) =>
      STARTS.map((hhmm) => ({ therapist, start: new Date(Date.parse(`2026-11-24T${hhmm}:00-05:00`)).toISOString() })),
    );
    const attempt = async (i: number) => {
      const slot = slots[i % slots.length]!;
      const headers = { 'content-type': 'application/json', cookie: cookies[i]! };
      const held = await fetch(`${baseUrl}/api/bookings`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          therapistId: slot.therapist.id,
          durationMin: 60,
          start: slot.start,
          place: { mode: 'studio', studioId: slot.therapist.studioId },
        }),
      });
      if (held.status !== 201) return { hold: held.status, code: ((await held.json()) as { code: string }).code };
      const { id } = (await held.json()) as { id: string };
      const confirmed = await fetch(`${baseUrl}/api/bookings/${id}/confirm`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ paymentMethodId: cards[i] }),
      });
      return { hold: 201, confirm: confirmed.status };
    };
    const outcomes = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => attempt(i)));

    const confirmed = outcomes.filter((o) => o.confirm === 200).length;
    const conflicts = outcomes.filter((o) => o.hold === 409 && o.code === 'slot_unavailable').length;
    expect(outcomes.filter((o) => o.hold >= 500 || (o.confirm ?? 0) >= 500)).toEqual([]);
    expect(confirmed).toBe(slots.length);
    expect(conflicts).toBe(ATTEMPTS - slots.length);

    const overlaps = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM bookings a JOIN bookings b
        ON a.therapist_id = b.therapist_id AND a.id < b.id AND a.blocked && b.blocked
      WHERE a.status IN ('held', 'confirmed', 'checked_in', 'completed', 'no_show')
        AND b.status IN ('held', 'confirmed', 'checked_in', 'completed', 'no_show')`.execute(t.database.db);
    expect(overlaps.rows[0]!.n).toBe(0);
    const perSlot = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM bookings WHERE status = 'confirmed' GROUP BY therapist_id, starts_at`.execute(
      t.database.db,
    );
    expect(perSlot.rows.map((r) => r.n)).toEqual(Array(slots.length).fill(1));
  }, 300_000);
});
