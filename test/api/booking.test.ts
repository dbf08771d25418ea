import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expireDueHolds } from '../../src/booking/hold-expiry.js';
import { MIDTOWN, type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';
import { bookingJournal } from '../../src/money/ledger-store.js';
import { payWithCard } from '../support/payment-fixture.js';

let t: TestApp;
let operator: Session;
beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
});
afterAll(() => t.close());
beforeEach(() => t.clock.set(TEST_NOW));

const MINUTE = 60_000;
/** Tuesday 24 November 2026 in New York (UTC-5). */
const tuesdayAt = (hhmm: string) => new Date(Date.parse(`2026-11-24T${hhmm}:00-05:00`)).toISOString();

const hold = (
  client: Session,
  therapist: TherapistFixture,
  start: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
) =>
  call(t.app, client, {
    method: 'POST',
    url: '/api/bookings',
    payload: {
      therapistId: therapist.id,
      durationMin: 60,
      start,
      place: { mode: 'studio', studioId: therapist.studioId },
      ...extra,
    },
    ...(headers ? { headers } : {}),
  });

const confirm = async (client: Session, id: string) =>
  call(t.app, client, {
    method: 'POST',
    url: `/api/bookings/${id}/confirm`,
    payload: await payWithCard(t.app, client),
  });

/** A therapist who visits homes within 30 km of Midtown on Tuesdays 08:00-18:00, at 30 km/h, no buffer after. */
const homeVisitTherapist = () =>
  createTherapist(
    t,
    {
      studio: null,
      mobileArea: { ...MIDTOWN, radiusKm: 30 },
      bufferAfterMin: 0,
      travelSpeedKmh: 30,
      hours: [{ weekday: 2, start: '08:00', end: '18:00', place: 'home' }],
    },
    operator,
  );

/** The travel counted before a booking (from the visit before it). */
const travelBeforeOf = async (id: string) =>
  (
    await t.database.db
      .selectFrom('bookings')
      .select('travel_before_min')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).travel_before_min;

async function book(client: Session, therapist: TherapistFixture, start: string, extra: Record<string, unknown> = {}) {
  const held = await hold(client, therapist, start, extra);
  expect(held.statusCode, held.body).toBe(201);
  const confirmed = await confirm(client, held.json().id);
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return confirmed.json();
}

describe('holding and confirming', () => {
  it('holds a slot for 10 minutes with the cancellation terms, then confirms it and records the charge', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const held = await hold(client, therapist, tuesdayAt('10:00'));
    expect(held.statusCode, held.body).toBe(201);
    const booking = held.json();
    expect(booking).toMatchObject({
      status: 'held',
      startsAt: '2026-11-24T15:00:00.000Z',
      endsAt: '2026-11-24T16:00:00.000Z',
      priceCents: 12_000,
      holdExpiresAt: new Date(TEST_NOW + 10 * MINUTE).toISOString(),
      cancellationPolicy: { freeUntilHoursBefore: 24, lateFeePercent: 50, graceMinutes: 10 },
      allowedActions: ['confirm', 'await_clearance', 'expire', 'cancel'],
    });
    expect(booking.cancellationTerms).toContain('Free cancellation until 24 hours before the session');
    const confirmed = await confirm(client, booking.id);
    expect(confirmed.json()).toMatchObject({
      status: 'confirmed',
      holdExpiresAt: null,
      confirmedAt: new Date(TEST_NOW).toISOString(),
    });
    const ledger = await bookingJournal(t.database.db, booking.id);
    expect(ledger).toEqual([{ kind: 'charge', amountMinor: 12_000 }]);
    const events = await t.database.db
      .selectFrom('booking_events')
      .select(['from_status', 'to_status'])
      .where('booking_id', '=', booking.id)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { from_status: null, to_status: 'held' },
      { from_status: 'held', to_status: 'confirmed' },
    ]);
  });

  it('refuses the same or an overlapping time to anybody else with 409, and honours the buffer after a session', async () => {
    const therapist = await createTherapist(t, { bufferAfterMin: 15 }, operator);
    const first = await signUp(t.app, 'client');
    const second = await signUp(t.app, 'client');
    await book(first, therapist, tuesdayAt('10:00'));
    for (const start of ['10:00', '10:30', '09:15', '11:00']) {
      const clash = await hold(second, therapist, tuesdayAt(start));
      expect(clash.statusCode, start).toBe(409);
      expect(clash.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(clash.json()).toMatchObject({ code: 'slot_unavailable', status: 409 });
    }
    expect((await hold(second, therapist, tuesdayAt('11:15'))).statusCode).toBe(201);
    expect((await hold(second, therapist, tuesdayAt('08:45'))).statusCode).toBe(422);
  });

  it('lets a hold lapse after 10 minutes: the slot is searchable and bookable again, and the late confirm is refused', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const slow = await signUp(t.app, 'client');
    const fast = await signUp(t.app, 'client');
    const held = (await hold(slow, therapist, tuesdayAt('13:00'))).json();
    const search = async () => {
      const response = await call(t.app, fast, {
        method: 'GET',
        url: `/api/availability?durationMin=60&from=2026-11-24&to=2026-11-24&zone=America/New_York&mode=studio&lat=${MIDTOWN.lat}&lng=${MIDTOWN.lng}&radiusKm=1&slotsPerTherapist=100`,
      });
      const result = response
        .json()
        .results.find((r: { therapist: { id: string } }) => r.therapist.id === therapist.id);
      return (result?.offers[0]?.slots ?? []) as string[];
    };
    expect(await search()).not.toContain('2026-11-24T18:00:00.000Z');
    t.clock.advance(10 * MINUTE);
    expect(await search()).toContain('2026-11-24T18:00:00.000Z');
    expect((await hold(fast, therapist, tuesdayAt('13:00'))).statusCode).toBe(201);
    const late = await confirm(slow, held.id);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('hold_expired');
    const stale = await t.database.db
      .selectFrom('bookings')
      .select('status')
      .where('id', '=', held.id)
      .executeTakeFirstOrThrow();
    expect(stale.status).toBe('expired');
  });

  it('sweeps lapsed holds to expired with a recorded reason, leaving live holds alone', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const lapsed = (await hold(client, therapist, tuesdayAt('09:30'))).json();
    t.clock.advance(6 * MINUTE);
    const live = (await hold(client, therapist, tuesdayAt('14:30'))).json();
    t.clock.advance(5 * MINUTE);
    expect(await expireDueHolds(t.database.db, t.clock.now())).toBeGreaterThanOrEqual(1);
    const statuses = await t.database.db
      .selectFrom('bookings')
      .select(['id', 'status'])
      .where('id', 'in', [lapsed.id, live.id])
      .execute();
    expect(Object.fromEntries(statuses.map((b) => [b.id, b.status]))).toEqual({
      [lapsed.id]: 'expired',
      [live.id]: 'held',
    });
    const event = await t.database.db
      .selectFrom('booking_events')
      .select(['actor_id', 'to_status', 'detail'])
      .where('booking_id', '=', lapsed.id)
      .where('to_status', '=', 'expired')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ actor_id: null, to_status: 'expired', detail: { reason: 'hold_timeout' } });
  });

  it('confirms only your own hold, and shows bookings only to their client, their therapist and operators', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const owner = await signUp(t.app, 'client');
    const stranger = await signUp(t.app, 'client');
    const held = (await hold(owner, therapist, tuesdayAt('15:00'))).json();
    expect((await confirm(stranger, held.id)).statusCode).toBe(404);
    expect((await call(t.app, stranger, { method: 'GET', url: `/api/bookings/${held.id}` })).statusCode).toBe(404);
    expect((await call(t.app, therapist.session, { method: 'GET', url: `/api/bookings/${held.id}` })).statusCode).toBe(
      200,
    );
    expect((await call(t.app, operator, { method: 'GET', url: `/api/bookings/${held.id}` })).statusCode).toBe(200);
    const mine = await call(t.app, stranger, { method: 'GET', url: '/api/bookings' });
    expect(mine.json().total).toBe(0);
    const theirs = await call(t.app, therapist.session, { method: 'GET', url: '/api/bookings?status=held' });
    expect(theirs.json().items.map((b: { id: string }) => b.id)).toEqual([held.id]);
  });

  it('refuses times the therapist does not offer: outside hours, within notice, unaligned, unknown durations', async () => {
    const therapist = await createTherapist(t, { minNoticeMin: 24 * 60 }, operator);
    const client = await signUp(t.app, 'client');
    for (const start of [
      tuesdayAt('07:00'),
      tuesdayAt('16:30'),
      tuesdayAt('10:07'),
      '2026-11-23T20:00:00Z',
      '2026-11-28T15:00:00Z',
    ]) {
      const response = await hold(client, therapist, start);
      expect(response.statusCode, start).toBe(422);
      expect(response.json()).toMatchObject({ code: 'slot_not_offered', field: 'start' });
    }
    const longer = await hold(client, therapist, tuesdayAt('10:00'), { durationMin: 90 });
    expect(longer.statusCode).toBe(201);
    await t.database.db
      .deleteFrom('therapist_services')
      .where('therapist_id', '=', therapist.id)
      .where('duration_min', '=', 120)
      .execute();
    const unsupported = await hold(client, therapist, tuesdayAt('13:00'), { durationMin: 120 });
    expect(unsupported.json().code).toBe('service_not_offered');
  });

  it('does not book therapists whose licence is pending or has expired', async () => {
    const pending = await createTherapist(t, { approve: false }, operator);
    const client = await signUp(t.app, 'client');
    expect((await hold(client, pending, tuesdayAt('10:00'))).json().code).toBe('therapist_not_bookable');
    const expiring = await createTherapist(t, { licenceExpiresOn: '2026-11-25' }, operator);
    expect((await hold(client, expiring, tuesdayAt('10:00'))).statusCode).toBe(201);
    expect((await hold(client, expiring, '2026-11-26T15:00:00Z')).json().code).toBe('slot_not_offered');
    t.clock.set('2026-11-26T12:00:00Z');
    expect((await hold(client, expiring, '2026-11-27T15:00:00Z')).json().code).toBe('therapist_not_bookable');
  });

  it('never lets a client be in two sessions at once', async () => {
    const a = await createTherapist(t, {}, operator);
    const b = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    await book(client, a, tuesdayAt('11:00'));
    const second = await hold(client, b, tuesdayAt('11:30'));
    expect(second.statusCode).toBe(201);
    const clash = await confirm(client, second.json().id);
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('client_double_booked');
  });
});

describe('idempotency', () => {
  it('returns the first response for a retried request with the same Idempotency-Key, even when racing', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const key = { 'idempotency-key': 'retry-me-1' };
    const [a, b] = await Promise.all([
      hold(client, therapist, tuesdayAt('09:00'), {}, key),
      hold(client, therapist, tuesdayAt('09:00'), {}, key),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).toBe(b.json().id);
    const again = await hold(client, therapist, tuesdayAt('09:00'), {}, key);
    expect(again.json().id).toBe(a.json().id);
    const rows = await t.database.db
      .selectFrom('bookings')
      .select('id')
      .where('therapist_id', '=', therapist.id)
      .execute();
    expect(rows).toHaveLength(1);
    const reused = await hold(client, therapist, tuesdayAt('14:00'), {}, key);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('idempotency_key_reused');
  });
});

describe('cancelling', () => {
  it('is free before the cut-off and the slot can be booked again', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const first = await signUp(t.app, 'client');
    const second = await signUp(t.app, 'client');
    const booking = await book(first, therapist, tuesdayAt('14:00'));
    t.clock.advance(20 * MINUTE);
    const quote = await call(t.app, first, { method: 'GET', url: `/api/bookings/${booking.id}/cancellation-quote` });
    expect(quote.json()).toEqual({ feeCents: 0, reason: 'before_cutoff', currency: 'USD' });
    const cancelled = await call(t.app, first, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/cancel`,
      payload: { reason: 'Sore throat' },
    });
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      cancellationFeeCents: 0,
      cancellationReason: 'Sore throat',
    });
    expect((await book(second, therapist, tuesdayAt('14:00'))).status).toBe('confirmed');
    const again = await call(t.app, first, { method: 'POST', url: `/api/bookings/${booking.id}/cancel`, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('invalid_transition');
  });

  it('charges the late fee after the cut-off, except in the grace period and when the therapist cancels', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    t.clock.set(tuesdayAt('07:00'));
    const early = await book(client, therapist, tuesdayAt('09:00'));
    t.clock.advance(5 * MINUTE);
    const inGrace = await call(t.app, client, { method: 'POST', url: `/api/bookings/${early.id}/cancel` });
    expect(inGrace.json()).toMatchObject({ status: 'cancelled', cancellationFeeCents: 0 });

    const late = await book(client, therapist, tuesdayAt('10:00'));
    t.clock.advance(11 * MINUTE);
    const charged = await call(t.app, client, { method: 'POST', url: `/api/bookings/${late.id}/cancel` });
    expect(charged.json()).toMatchObject({ status: 'cancelled', cancellationFeeCents: 6_000 });
    const ledger = await bookingJournal(t.database.db, late.id);
    expect(ledger).toEqual([
      { kind: 'charge', amountMinor: 12_000 },
      { kind: 'refund', amountMinor: 12_000 },
      { kind: 'cancellation_fee', amountMinor: 6_000 },
    ]);

    const byTherapist = await book(client, therapist, tuesdayAt('12:00'));
    t.clock.advance(11 * MINUTE);
    const therapistCancels = await call(t.app, therapist.session, {
      method: 'POST',
      url: `/api/bookings/${byTherapist.id}/cancel`,
      payload: { reason: 'Ill' },
    });
    expect(therapistCancels.json()).toMatchObject({ status: 'cancelled', cancellationFeeCents: 0 });
  });
});

describe('rescheduling', () => {
  it('moves a booking atomically, including onto a time overlapping its own old slot', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const original = await book(client, therapist, tuesdayAt('10:00'));
    const moved = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${original.id}/reschedule`,
      payload: { start: tuesdayAt('10:30') },
    });
    expect(moved.statusCode, moved.body).toBe(201);
    expect(moved.json()).toMatchObject({
      status: 'confirmed',
      startsAt: '2026-11-24T15:30:00.000Z',
      rescheduledFrom: original.id,
    });
    const old = (await call(t.app, client, { method: 'GET', url: `/api/bookings/${original.id}` })).json();
    expect(old).toMatchObject({ status: 'rescheduled', rescheduledTo: moved.json().id });
  });

  it('leaves the original untouched when the new time is taken', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const other = await signUp(t.app, 'client');
    const original = await book(client, therapist, tuesdayAt('10:00'));
    await book(other, therapist, tuesdayAt('14:00'));
    const refused = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${original.id}/reschedule`,
      payload: { start: tuesdayAt('14:00') },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('slot_unavailable');
    const still = (await call(t.app, client, { method: 'GET', url: `/api/bookings/${original.id}` })).json();
    expect(still).toMatchObject({ status: 'confirmed', startsAt: '2026-11-24T15:00:00.000Z', rescheduledTo: null });
    const count = await t.database.db
      .selectFrom('bookings')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('client_id', '=', client.id)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });
});

describe('travel between at-home visits', () => {
  /** About 20 km north of Midtown: 40 minutes at 30 km/h. */
  const FAR = { lat: MIDTOWN.lat + 0.1797, lng: MIDTOWN.lng };
  const homeVisit = (point: { lat: number; lng: number }) => ({
    place: { mode: 'home', address: '5 Client Road', ...point },
  });

  it('keeps the travel time free after and before a visit, and refuses addresses outside the radius', async () => {
    const therapist = await homeVisitTherapist();
    const near = await signUp(t.app, 'client');
    const far = await signUp(t.app, 'client');
    await book(near, therapist, tuesdayAt('10:00'), homeVisit(MIDTOWN));
    expect((await hold(far, therapist, tuesdayAt('11:30'), homeVisit(FAR))).statusCode).toBe(409);
    expect((await hold(far, therapist, tuesdayAt('08:30'), homeVisit(FAR))).statusCode).toBe(409);
    const after = await hold(far, therapist, tuesdayAt('11:45'), homeVisit(FAR));
    expect(after.statusCode, after.body).toBe(201);
    const travel = await t.database.db
      .selectFrom('bookings')
      .select('travel_before_min')
      .where('id', '=', after.json().id)
      .executeTakeFirstOrThrow();
    expect(travel.travel_before_min).toBe(40);
    expect((await hold(far, therapist, tuesdayAt('08:15'), homeVisit(FAR))).statusCode).toBe(201);
    const outside = await hold(
      far,
      therapist,
      tuesdayAt('15:00'),
      homeVisit({ lat: MIDTOWN.lat + 0.5, lng: MIDTOWN.lng }),
    );
    expect(outside.statusCode).toBe(422);
    expect(outside.json()).toMatchObject({ code: 'outside_service_area', field: 'place.address' });
  });

  it('counts the travel to the next visit when a visit is slotted in before it, and frees it on cancellation', async () => {
    const therapist = await homeVisitTherapist();
    const a = await signUp(t.app, 'client');
    const b = await signUp(t.app, 'client');
    const later = await book(a, therapist, tuesdayAt('12:00'), homeVisit(FAR));
    expect((await hold(b, therapist, tuesdayAt('10:30'), homeVisit(MIDTOWN))).statusCode).toBe(409);
    const before = await book(b, therapist, tuesdayAt('10:15'), homeVisit(MIDTOWN));
    expect(await travelBeforeOf(later.id)).toBe(40);
    await call(t.app, b, { method: 'POST', url: `/api/bookings/${before.id}/cancel` });
    expect(await travelBeforeOf(later.id)).toBe(0);
  });
  it('stops counting travel from a hold that lapsed: the next hold expires it, with its event, and frees that travel', async () => {
    const therapist = await homeVisitTherapist();
    const a = await signUp(t.app, 'client');
    const b = await signUp(t.app, 'client');
    const lapsing = await hold(a, therapist, tuesdayAt('10:15'), homeVisit(MIDTOWN));
    expect(lapsing.statusCode, lapsing.body).toBe(201);
    const later = await book(b, therapist, tuesdayAt('12:00'), homeVisit(FAR));
    expect(await travelBeforeOf(later.id)).toBe(40);
    t.clock.advance(11 * MINUTE);
    const next = await hold(b, therapist, tuesdayAt('14:00'), homeVisit(FAR));
    expect(next.statusCode, next.body).toBe(201);
    expect(await travelBeforeOf(later.id)).toBe(0);
    expect(await travelBeforeOf(next.json().id)).toBe(0);
    const events = await t.database.db
      .selectFrom('booking_events')
      .select(['actor_id', 'from_status', 'to_status', 'detail'])
      .where('booking_id', '=', lapsing.json().id)
      .orderBy('id')
      .execute();
    expect(events.slice(1)).toEqual([
      { actor_id: null, from_status: 'held', to_status: 'expired', detail: { reason: 'hold_timeout' } },
    ]);
  });
  it('slots a visit in before another at the same address, even when that one counted travel from a visit days earlier', async () => {
    const therapist = await createTherapist(
      t,
      {
        studio: null,
        mobileArea: { ...MIDTOWN, radiusKm: 30 },
        bufferAfterMin: 0,
        travelSpeedKmh: 30,
        hours: [1, 2].map((weekday) => ({ weekday, start: '08:00', end: '18:00', place: 'home' as const })),
      },
      operator,
    );
    const a = await signUp(t.app, 'client');
    const b = await signUp(t.app, 'client');
    await book(a, therapist, '2026-11-23T20:00:00Z', homeVisit(FAR));
    const tuesday = await book(a, therapist, tuesdayAt('11:00'), homeVisit(MIDTOWN));
    const before = await t.database.db
      .selectFrom('bookings')
      .select('travel_before_min')
      .where('id', '=', tuesday.id)
      .executeTakeFirstOrThrow();
    expect(before.travel_before_min).toBe(40);
    const squeezed = await hold(b, therapist, tuesdayAt('10:00'), homeVisit(MIDTOWN));
    expect(squeezed.statusCode, squeezed.body).toBe(201);
    const after = await t.database.db
      .selectFrom('bookings')
      .select('travel_before_min')
      .where('id', '=', tuesday.id)
      .executeTakeFirstOrThrow();
    expect(after.travel_before_min).toBe(0);
  });
});

describe('the database itself refuses overlaps', () => {
  it('rejects an overlapping active row with SQLSTATE 23P01, whatever the application does', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const booking = await book(client, therapist, tuesdayAt('10:00'));
    const copy = await t.database.db
      .selectFrom('bookings')
      .selectAll()
      .where('id', '=', booking.id)
      .executeTakeFirstOrThrow();
    const { id: _id, ...rest } = copy;
    const insertOverlap = (status: string) =>
      t.database.db
        .insertInto('bookings')
        .values({
          ...rest,
          status: status as 'held',
          client_id: copy.client_id,
          hold_expires_at: new Date(TEST_NOW),
          confirmed_at: null,
          starts_at: new Date(Date.parse(tuesdayAt('10:30'))),
          ends_at: new Date(Date.parse(tuesdayAt('11:30'))),
          blocked: `[${new Date(Date.parse(tuesdayAt('10:30'))).toISOString()},${new Date(Date.parse(tuesdayAt('11:45'))).toISOString()})`,
          cancellation_policy: JSON.stringify(copy.cancellation_policy),
        })
        .execute();
    await expect(insertOverlap('held')).rejects.toMatchObject({
      code: '23P01',
      constraint: 'bookings_therapist_no_overlap',
    });
    await expect(insertOverlap('cancelled')).resolves.toBeDefined();
  });
});
