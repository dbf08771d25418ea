import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { PURGE_RESTRICTED_NOTES_JOB, purgeRestrictedNotes } from '../../src/records/note-retention.js';
import { bookSession } from '../support/booking-fixture.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

/**
 * Issue 17, My data: erasure keeps signed session notes restricted for the market's retention period (New York: 6
 * years, src/demo/demo-market.ts), deletes drafts and everything else at once, and a durable job purges the kept
 * notes when their time comes. Dates come from the injected clock.
 */

let t: TestApp;
let operator: Session;
let background: BackgroundWork;

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  background = createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender: null });
});
afterAll(() => t.close());

const DAY = 86_400_000;
const MINUTE = 60_000;
const get = (who: Session | null, url: string) => call(t.app, who, { method: 'GET', url });
const send = (who: Session, method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  call(t.app, who, { method, url, ...(payload === undefined ? {} : { payload }) });

async function holdSession(therapist: TherapistFixture, booking: { id: string; startsAt: string; endsAt: string }) {
  t.clock.set(Date.parse(booking.startsAt) - 5 * MINUTE);
  const checkedIn = await send(therapist.session, 'POST', `/api/bookings/${booking.id}/check-in`, {
    painNow: [{ region: 'low_back.left', score: 6 }],
  });
  expect(checkedIn.statusCode, checkedIn.body).toBe(200);
  t.clock.set(Date.parse(booking.endsAt) + 2 * MINUTE);
  expect((await send(therapist.session, 'POST', `/api/bookings/${booking.id}/check-out`)).statusCode).toBe(200);
}

const note = (assessment = 'Less tender after stripping') => ({
  painBefore: [{ region: 'low_back.left', score: 6 }],
  findings: { palpation: [], rangeOfMotion: [] },
  regionsWorked: [
    { region: 'low_back.left', techniques: ['stripping'], tools: ['forearm'], maxPressure: 3, minutes: 20 },
  ],
  painAfter: [{ region: 'low_back.left', score: 3 }],
  assessment,
  plan: 'Re-test next week',
  freeText: '',
});

const notesOf = (clientId: string) =>
  t.database.db
    .selectFrom('session_notes')
    .select(['id', 'booking_id', 'status', 'restricted_until'])
    .where('client_id', '=', clientId)
    .orderBy('created_at')
    .execute();
const amendmentsOf = (noteId: string) =>
  t.database.db.selectFrom('session_note_amendments').select('id').where('note_id', '=', noteId).execute();
const auditOf = (clientId: string, action: string) =>
  t.database.db
    .selectFrom('audit_log')
    .select(['actor_id', 'detail'])
    .where('subject_user_id', '=', clientId)
    .where('action', '=', action)
    .orderBy('id')
    .execute();

describe('erasure keeps signed notes restricted, then purges them', () => {
  let therapist: TherapistFixture;
  let client: Session;
  let signedBooking: { id: string; startsAt: string; endsAt: string };
  let draftBooking: { id: string; startsAt: string; endsAt: string };
  let upcoming: { id: string };
  let erasedAt: number;
  // The erasure falls on Saturday 28 November 2026 in New York; kept through the same date six years on.
  const purgeAt = Date.parse('2032-11-29T05:00:00Z');

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
    client = await signUp(t.app, 'client', 'Sam Client');
    expect((await send(client, 'PUT', '/api/me/intake', deskWorkerIntake())).statusCode).toBe(200);
    signedBooking = await bookSession(t, client, therapist, new Date(TEST_NOW + 2 * DAY + 120 * MINUTE).toISOString());
    draftBooking = await bookSession(t, client, therapist, new Date(TEST_NOW + 3 * DAY + 120 * MINUTE).toISOString());
    upcoming = await bookSession(t, client, therapist, new Date(TEST_NOW + 9 * DAY + 120 * MINUTE).toISOString());
    await holdSession(therapist, signedBooking);
    const signed = await send(therapist.session, 'POST', `/api/bookings/${signedBooking.id}/note/sign`, {
      note: note(),
    });
    expect(signed.statusCode, signed.body).toBe(200);
    const amended = await send(therapist.session, 'POST', `/api/bookings/${signedBooking.id}/note/amendments`, {
      note: note('Less tender after stripping; prefers the forearm'),
      reason: 'Added the client’s preference',
    });
    expect(amended.statusCode, amended.body).toBe(201);
    await holdSession(therapist, draftBooking);
    const draft = await send(therapist.session, 'PUT', `/api/bookings/${draftBooking.id}/note`, { note: note() });
    expect(draft.statusCode, draft.body).toBe(200);
    erasedAt = Date.parse('2026-11-28T15:00:00Z');
    t.clock.set(erasedAt);
  });

  it('tells the client beforehand how many signed notes are kept, and until which day in the market’s words', async () => {
    const plan = await get(client, '/api/me/health-data/erasure');
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().keptRestricted).toEqual([
      {
        count: 1,
        until: new Date(purgeAt).toISOString(),
        lastDay: '2032-11-28',
        sentence:
          '1 signed session note is kept for 6 years, as clinical records in New York City must be: restricted, so no one reads them (your therapist neither), and deleted after Sunday, November 28, 2032.',
      },
    ]);
    expect(plan.json().erases).toContain(
      'draft session notes (signed ones are kept restricted, then deleted: see below)',
    );
  });

  it('deletes the draft at once and restricts the signed note with its amendment, audited', async () => {
    const erased = await send(client, 'DELETE', '/api/me/health-data');
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().erased).toMatchObject({ sessionNotes: 1, signedNotesRestricted: 1 });
    expect(erased.json().keptRestricted).toEqual([
      expect.objectContaining({ count: 1, until: new Date(purgeAt).toISOString() }),
    ]);
    const rows = await notesOf(client.id);
    expect(rows).toEqual([
      expect.objectContaining({ booking_id: signedBooking.id, status: 'signed', restricted_until: new Date(purgeAt) }),
    ]);
    expect(await amendmentsOf(rows[0]!.id)).toHaveLength(1);
    expect(await auditOf(client.id, 'health.erased')).toEqual([
      {
        actor_id: client.id,
        detail: expect.objectContaining({
          sessionNotes: 1,
          signedNotesRestricted: 1,
          keptRestrictedUntil: [new Date(purgeAt).toISOString()],
        }),
      },
    ]);
    const jobs = await t.database.db
      .selectFrom('jobs')
      .select(['run_at', 'status', 'payload'])
      .where('kind', '=', PURGE_RESTRICTED_NOTES_JOB)
      .execute();
    expect(jobs).toEqual([{ run_at: new Date(purgeAt), status: 'pending', payload: { clientId: client.id } }]);
    // Nothing more to restrict: a second look, or a second erasure, keeps the first date.
    expect((await get(client, '/api/me/health-data/erasure')).json().keptRestricted).toEqual([]);
    const again = await send(client, 'DELETE', '/api/me/health-data');
    expect(again.json().erased).toMatchObject({ sessionNotes: 0, signedNotesRestricted: 0 });
    expect((await notesOf(client.id))[0]!.restricted_until).toEqual(new Date(purgeAt));
  });

  it('hides the restricted note from every read: the therapist who wrote it, the client, operators, exports, the brief', async () => {
    for (const who of [therapist.session, client, operator]) {
      const record = await get(who, `/api/bookings/${signedBooking.id}/session-record`);
      expect(record.statusCode, record.body).toBe(200);
      expect(record.json()).toMatchObject({ note: null, attendance: { status: 'completed' } });
    }
    expect((await get(client, '/api/me/health-data')).json().sessionNotes).toEqual([]);
    const fhir = (await get(client, '/api/me/health-data/fhir')).json();
    expect(fhir.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).not.toContain(
      'Procedure',
    );
    expect(JSON.stringify(fhir)).not.toContain('Less tender');
    // The client consults again; the next session's brief lists the earlier one without its note.
    expect((await send(client, 'PUT', '/api/me/intake', deskWorkerIntake())).statusCode).toBe(200);
    const brief = await get(therapist.session, `/api/bookings/${upcoming.id}/brief`);
    expect(brief.statusCode, brief.body).toBe(200);
    const previous = brief.json().previousSessions.find((p: { bookingId: string }) => p.bookingId === signedBooking.id);
    expect(previous.sessionRecord.note).toBeNull();
    expect(brief.body).not.toContain('Less tender');
  });

  it('shows it to an operator’s legal-hold read only, with the reason recorded in the client’s access log', async () => {
    const url = `/api/operator/clients/${client.id}/restricted-notes`;
    const reason = 'Complaint 2026-114 to the state board';
    const held = await get(operator, `${url}?reason=${encodeURIComponent(reason)}`);
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json()).toEqual([
      {
        restrictedUntil: new Date(purgeAt).toISOString(),
        note: expect.objectContaining({
          bookingId: signedBooking.id,
          status: 'signed',
          amendments: [expect.objectContaining({ reason: 'Added the client’s preference' })],
        }),
      },
    ]);
    expect(await auditOf(client.id, 'health.read').then((rows) => rows.at(-1))).toEqual({
      actor_id: operator.id,
      detail: { basis: 'operator', reason },
    });
    const log = await t.database.db
      .selectFrom('audit_log')
      .select('subject_type')
      .where('subject_user_id', '=', client.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(log.subject_type).toBe('restricted_notes');
    for (const who of [therapist.session, client]) {
      expect((await get(who, `${url}?reason=${encodeURIComponent(reason)}`)).statusCode).toBe(403);
    }
    const noReason = await get(operator, url);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect((await get(operator, `${url}?reason=because`)).statusCode).toBe(400);
  });

  it('lets no one write or amend the restricted note, and the database refuses any other change to it', async () => {
    const rewrite = await send(therapist.session, 'PUT', `/api/bookings/${signedBooking.id}/note`, { note: note() });
    expect(rewrite.statusCode).toBe(409);
    expect(rewrite.json().code).toBe('note_signed');
    const amend = await send(therapist.session, 'POST', `/api/bookings/${signedBooking.id}/note/amendments`, {
      note: note('Rewritten after the erasure'),
      reason: 'Trying to change a restricted note',
    });
    expect(amend.statusCode).toBe(404);
    const id = (await notesOf(client.id))[0]?.id;
    // Outside an erasure the date cannot move; inside one, nothing but a first date may be set.
    await expect(
      t.database.db
        .updateTable('session_notes')
        .set({ restricted_until: new Date(erasedAt) })
        .where('id', '=', id!)
        .execute(),
    ).rejects.toThrow(/cannot be changed/);
    await expect(
      t.database.db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('knotwork.erasing_health_data', 'on', true)`.execute(trx);
        await trx
          .updateTable('session_notes')
          .set({ restricted_until: new Date(erasedAt) })
          .where('id', '=', id!)
          .execute();
      }),
    ).rejects.toThrow(/cannot be changed/);
    await expect(t.database.db.deleteFrom('session_notes').where('id', '=', id!).execute()).rejects.toThrow(
      /cannot be changed/,
    );
  });

  it('keeps the note until its day has passed, then the job deletes it with its amendment, once, audited', async () => {
    const id = (await notesOf(client.id))[0]?.id;
    // The day before, and the last minute of the last day: the job is not due, and run early it deletes nothing.
    for (const at of [purgeAt - DAY, purgeAt - MINUTE]) {
      t.clock.set(at);
      await background.runRound();
      expect(await notesOf(client.id)).toHaveLength(1);
      expect(await t.database.db.transaction().execute((trx) => purgeRestrictedNotes(trx, client.id, at))).toEqual({
        notes: 0,
        amendments: 0,
      });
    }
    expect(await auditOf(client.id, 'health.restricted_notes_purged')).toEqual([]);

    t.clock.set(purgeAt + MINUTE);
    const round = await background.runRound();
    expect(round.jobs.done).toBeGreaterThanOrEqual(1);
    expect(await notesOf(client.id)).toEqual([]);
    expect(await amendmentsOf(id!)).toEqual([]);
    expect(
      (
        await t.database.db.selectFrom('jobs').select('status').where('kind', '=', PURGE_RESTRICTED_NOTES_JOB).execute()
      ).map((j) => j.status),
    ).toEqual(['done']);
    expect(await auditOf(client.id, 'health.restricted_notes_purged')).toEqual([
      { actor_id: null, detail: { notes: 1, amendments: 1 } },
    ]);

    // Idempotent: run again, nothing to delete and no second audit row.
    expect(
      await t.database.db.transaction().execute((trx) => purgeRestrictedNotes(trx, client.id, purgeAt + DAY)),
    ).toEqual({ notes: 0, amendments: 0 });
    expect(await auditOf(client.id, 'health.restricted_notes_purged')).toHaveLength(1);
    // The legal-hold read has nothing left to show.
    const operatorAgain = await createOperator(t);
    const held = await get(
      operatorAgain,
      `/api/operator/clients/${client.id}/restricted-notes?reason=${encodeURIComponent('Checking the purge ran')}`,
    );
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json()).toEqual([]);
    // The session itself stays, as erasure promised (six years on, everyone's sign-in has expired: read the row).
    expect(
      await t.database.db.selectFrom('bookings').select('status').where('id', '=', signedBooking.id).execute(),
    ).toEqual([{ status: 'completed' }]);
  });
});

describe('erasure in a market with another retention period', () => {
  it('keeps notes as long as the therapist’s market says, counted in that market’s zone', async () => {
    t.clock.set(TEST_NOW);
    const therapist = await createTherapist(t, { displayName: 'Lee Long' }, operator);
    const client = await signUp(t.app, 'client');
    expect((await send(client, 'PUT', '/api/me/intake', deskWorkerIntake())).statusCode).toBe(200);
    const booking = await bookSession(t, client, therapist, new Date(TEST_NOW + 2 * DAY + 120 * MINUTE).toISOString());
    await holdSession(therapist, booking);
    expect(
      (await send(therapist.session, 'POST', `/api/bookings/${booking.id}/note/sign`, { note: note() })).statusCode,
    ).toBe(200);
    await t.database.db.updateTable('markets').set({ note_retention_years: 10 }).where('id', '=', 'nyc').execute();
    try {
      // 03:00 UTC on 1 December is still 30 November in New York.
      t.clock.set(Date.parse('2026-12-01T03:00:00Z'));
      const plan = (await get(client, '/api/me/health-data/erasure')).json();
      expect(plan.keptRestricted).toEqual([
        expect.objectContaining({
          count: 1,
          lastDay: '2036-11-30',
          until: '2036-12-01T05:00:00.000Z',
          sentence: expect.stringContaining('kept for 10 years'),
        }),
      ]);
    } finally {
      await t.database.db.updateTable('markets').set({ note_retention_years: 6 }).where('id', '=', 'nyc').execute();
    }
  });

  it('has nothing to keep for a client without signed notes, and tells only the client', async () => {
    const client = await signUp(t.app, 'client');
    expect((await get(client, '/api/me/health-data/erasure')).json().keptRestricted).toEqual([]);
    const therapist = await signUp(t.app, 'therapist');
    expect((await get(therapist, '/api/me/health-data/erasure')).statusCode).toBe(403);
    expect((await get(null, '/api/me/health-data/erasure')).statusCode).toBe(401);
  });
});
