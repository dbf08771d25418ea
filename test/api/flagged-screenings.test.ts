import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import type { IntakeInput } from '../../src/intake/engine/intake-schema.js';
import { bookSession } from '../support/booking-fixture.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import { type Session, type TestApp, call, createOperator, signUp, startTestApp } from '../support/test-app.js';

/** A local time in New York (UTC-5 in these weeks). */
const at = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let t: TestApp;
let operator: Session;
let therapist: TherapistFixture;
let otherTherapist: TherapistFixture;
const booking: Record<
  'proceed' | 'pregnant' | 'clearancePending' | 'clearanceVerified' | 'clot' | 'cancelled' | 'otherTherapist',
  string
> = {} as never;
const client: Record<'proceed' | 'pregnant' | 'heart' | 'heartVerified' | 'clot' | 'cancelled' | 'other', Session> =
  {} as never;

const clientWith = (conditions: IntakeInput['conditions']) =>
  signUp(t.app, 'client', 'Flagged Client', { intake: { ...deskWorkerIntake(), conditions } });

async function list(query = '', who: Session | null = operator) {
  const response = await call(t.app, who, { method: 'GET', url: `/api/operator/screenings${query}` });
  return response;
}
const ids = async (query = '') => {
  const response = await list(query);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as { booking: { id: string } }[]).map((i) => i.booking.id);
};

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  therapist = await createTherapist(t, { displayName: 'Flag Therapist' }, operator);
  otherTherapist = await createTherapist(t, { displayName: 'Other Therapist' }, operator);

  client.proceed = await signUp(t.app, 'client', 'Healthy Client');
  booking.proceed = (await bookSession(t, client.proceed, therapist, at('2026-11-24', '09:00'))).id;

  client.pregnant = await clientWith({ pregnancy: { weeks: 22 } });
  booking.pregnant = (await bookSession(t, client.pregnant, therapist, at('2026-11-24', '11:00'))).id;

  client.heart = await clientWith({ heartAttack: { date: '2026-06-20' } });
  booking.clearancePending = (await bookSession(t, client.heart, therapist, at('2026-11-24', '13:00'))).id;

  client.heartVerified = await clientWith({ heartAttack: { date: '2026-06-20' } });
  booking.clearanceVerified = (await bookSession(t, client.heartVerified, therapist, at('2026-11-25', '09:00'))).id;
  const document = await call(t.app, client.heartVerified, {
    method: 'POST',
    url: `/api/bookings/${booking.clearanceVerified}/clearance-documents`,
    payload: { filename: 'cardiology.pdf', contentBase64: PDF.toString('base64') },
  });
  const verified = await call(t.app, therapist.session, {
    method: 'POST',
    url: `/api/bookings/${booking.clearanceVerified}/clearance-documents/${document.json().id}/review`,
    payload: { decision: 'verify' },
  });
  expect(verified.statusCode, verified.body).toBe(200);

  // Booked while well; the calf became painful and swollen afterwards, so the confirmed session is now refused.
  client.clot = await signUp(t.app, 'client', 'Clot Client');
  booking.clot = (await bookSession(t, client.clot, therapist, at('2026-11-25', '11:00'))).id;
  const changed = await call(t.app, client.clot, {
    method: 'PUT',
    url: '/api/me/intake',
    payload: deskWorkerIntake({ conditions: { legClotSigns: { side: 'left', signs: ['swelling'] } } }),
  });
  expect(changed.json().rescreened).toEqual([{ bookingId: booking.clot, from: 'proceed', to: 'not_today' }]);

  client.cancelled = await clientWith({ fibromyalgia: true });
  booking.cancelled = (await bookSession(t, client.cancelled, therapist, at('2026-11-25', '13:00'))).id;
  expect(
    (
      await call(t.app, client.cancelled, {
        method: 'POST',
        url: `/api/bookings/${booking.cancelled}/cancel`,
        payload: {},
      })
    ).statusCode,
  ).toBe(200);

  client.other = await clientWith({ fibromyalgia: true });
  booking.otherTherapist = (await bookSession(t, client.other, otherTherapist, at('2026-11-24', '10:00'))).id;
});
afterAll(() => t.close());

describe('flagged screenings for operators', () => {
  it('lists upcoming bookings whose screening is not proceed, soonest first, with the conditions behind each', async () => {
    const response = await list();
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json();
    expect(page.items.map((i: { booking: { id: string } }) => i.booking.id)).toEqual([
      booking.otherTherapist,
      booking.pregnant,
      booking.clearancePending,
      booking.clearanceVerified,
      booking.clot,
    ]);
    expect(page.total).toBe(5);
    const byId = new Map(page.items.map((i: { booking: { id: string } }) => [i.booking.id, i]));
    expect(byId.get(booking.pregnant)).toMatchObject({
      booking: { status: 'confirmed', client: { id: client.pregnant.id }, screening: { outcome: 'adapt' } },
      screening: {
        outcome: 'adapt',
        clearance: { status: 'not_required', requiredFor: [] },
        flags: expect.arrayContaining([
          expect.objectContaining({ ruleId: 'pregnancy', class: 'R', overridden: false }),
        ]),
      },
    });
    expect(byId.get(booking.clearancePending)).toMatchObject({
      // Not confirmed: it waits for the clearance until 24 hours before its start.
      booking: { status: 'awaiting_clearance', clearanceDueAt: expect.any(String), confirmedAt: null },
      screening: {
        outcome: 'clearance_required',
        clearance: { status: 'pending', requiredFor: ['heart.clearance'] },
        documentsToReview: 0,
      },
    });
    expect(byId.get(booking.clearanceVerified)).toMatchObject({
      booking: { status: 'confirmed' },
      screening: { clearance: { status: 'verified' } },
    });
    expect(byId.get(booking.clot)).toMatchObject({
      screening: {
        outcome: 'not_today',
        medicalUrgency: 'same_day',
        headline: expect.stringMatching(/medical advice today/),
        flags: [expect.objectContaining({ ruleId: 'blood_clot.suspected', class: 'A', urgency: 'same_day' })],
      },
    });
  });

  it('filters by outcome, clearance, status, therapist and dates, and pages', async () => {
    expect(await ids('?outcome=not_today')).toEqual([booking.clot]);
    expect(await ids('?outcome=adapt,not_today&therapistId=' + therapist.id)).toEqual([booking.pregnant, booking.clot]);
    expect(await ids('?clearance=pending')).toEqual([booking.clearancePending]);
    expect(await ids('?clearance=verified')).toEqual([booking.clearanceVerified]);
    expect(await ids('?clearance=not_required')).toEqual([booking.otherTherapist, booking.pregnant, booking.clot]);
    expect(await ids('?status=cancelled')).toEqual([booking.cancelled]);
    expect(await ids('?from=2026-11-25&to=2026-11-25')).toEqual([booking.clearanceVerified, booking.clot]);
    const second = (await list('?pageSize=2&page=2')).json();
    expect(second).toMatchObject({ page: 2, pageSize: 2, total: 5 });
    expect(second.items.map((i: { booking: { id: string } }) => i.booking.id)).toEqual([
      booking.clearancePending,
      booking.clearanceVerified,
    ]);
  });

  it('records each listed booking as an operator read of that client’s screening', async () => {
    const readsOf = (clientId: string) =>
      t.database.db
        .selectFrom('audit_log')
        .select(['actor_id', 'actor_role', 'subject_type', 'subject_id', 'detail'])
        .where('action', '=', 'health.read')
        .where('subject_user_id', '=', clientId)
        .where('actor_id', '=', operator.id)
        .execute();
    const before = (await readsOf(client.clot.id)).length;
    const untouched = (await readsOf(client.proceed.id)).length;
    await ids('?outcome=not_today');
    const after = await readsOf(client.clot.id);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({
      actor_role: 'operator',
      subject_type: 'screening',
      subject_id: booking.clot,
      detail: { basis: 'operator', list: 'flagged_screenings' },
    });
    expect(await readsOf(client.proceed.id)).toHaveLength(untouched);
    const export_ = (await call(t.app, client.clot, { method: 'GET', url: '/api/me/health-data' })).json();
    expect(export_.accessLog).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: expect.objectContaining({ role: 'operator' }),
          record: 'screening',
          subjectId: booking.clot,
        }),
      ]),
    );
  });

  it('is for operators only, and a refused request writes nothing', async () => {
    const count = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    expect((await list('', client.pregnant)).json()).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await list('', therapist.session)).json()).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await list('', null)).json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(await count()).toBe(before);
  });
});
