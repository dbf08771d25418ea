import { randomUUID } from 'node:crypto';
import { type Insertable, type Transaction, sql } from 'kysely';
import { blockedRange } from '../booking/booking-lifecycle.js';
import { CLEARANCE_DEADLINE_JOB } from '../booking/booking-service.js';
import { BLOCKING_STATUSES } from '../booking/engine/booking-states.js';
import { clearanceDeadline } from '../booking/engine/clearance-deadline.js';
import { recordCharge } from '../booking/ledger.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import { zoneAt } from '../scheduling/engine/place-zone.js';
import { type BusyInterval, availableSlots } from '../scheduling/engine/slots.js';
import { type GeoPoint, travelMinutes } from '../scheduling/engine/travel.js';
import { newSessionScreener, recordScreenings } from '../screening/booking-screening.js';
import type { SessionScreening } from '../screening/booking-screening.js';
import { clearanceStatus } from '../screening/engine/screening-views.js';
import { calendarOf, loadOverrides, slotRules } from '../therapists/therapist-calendar.js';
import { policyOf } from '../therapists/therapist-profile.js';
import type { DB } from '../schema.js';
import { seededRandom } from './demo-market.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DURATION_MIN = 60;

/** A demo session chosen in memory, as the hold would have placed it and the confirm moved it on. */
interface DemoBooking {
  id: string;
  therapistId: string;
  clientId: string;
  startsAt: number;
  endsAt: number;
  point: GeoPoint;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  travelBeforeMin: number;
  speedKmh: number;
  status: 'confirmed' | 'awaiting_clearance';
  clearanceDueAt: number | null;
  screening: SessionScreening;
  row: Pick<
    Insertable<DB['bookings']>,
    | 'market'
    | 'therapist_id'
    | 'client_id'
    | 'mode'
    | 'studio_id'
    | 'address'
    | 'lat'
    | 'lng'
    | 'time_zone'
    | 'duration_min'
    | 'price_cents'
    | 'currency'
    | 'cancellation_policy'
  >;
}

/** A visit already in the calendar before the seed's sessions (the demo records' past sessions): travel counts from it. */
interface Visit {
  startsAt: number;
  endsAt: number;
  point: GeoPoint;
}

/**
 * A few sessions per therapist over the coming week, as the real hold, screening and confirm would leave them, but
 * chosen in memory and written in a few multi-row statements (issue 19: the demo market written in bulk):
 *
 * - each slot is one the slot engine offers then, with the therapist's sessions chosen so far as their busy times
 *   (what loadBusy would read); a session overlapping one of its client's is skipped, as the client overlap
 *   constraint would refuse it (the constraint still judges the insert);
 * - each session is screened against its client's intake as the confirm screens it; a session needing a clearance
 *   nobody has verified waits for it (awaiting_clearance, due 24 hours ahead, with its release job), or is skipped
 *   when that is already past (clearance_too_late); the rest are confirmed and charged (the ledger's own recordCharge);
 * - each therapist's travel before a visit is counted from the visit before it, as placement leaves it;
 * - each booking has its two events (placed as a hold by the client, then confirmed or awaiting clearance).
 *
 * The same seeded choices as placing them one by one through the booking path, which this replaced: that took 25
 * SQL statements per session, most of the demo's first start.
 */
export async function seedDemoBookings(
  trx: Transaction<DB>,
  clientIds: string[],
  now: number,
  options: { stepMin: number; graceMinutes: number },
): Promise<void> {
  const random = seededRandom(7);
  const therapists = await trx
    .selectFrom('therapists')
    .selectAll()
    .where('licence_status', '=', 'approved')
    // Natural order (therapist@, therapist2@ … therapist10@), so the demo therapist is first and sees the demo client.
    .orderBy(sql`(SELECT length(email) FROM users WHERE users.id = therapists.user_id)`)
    .orderBy(sql`(SELECT email FROM users WHERE users.id = therapists.user_id)`)
    .execute();
  const therapistIds = therapists.map((t) => t.user_id);
  const studios = await trx
    .selectFrom('studios')
    .select(['id', 'therapist_id', 'lat', 'lng', 'address', 'time_zone'])
    .where('archived_at', 'is', null)
    .execute();
  const prices = new Map(
    (
      await trx
        .selectFrom('therapist_services')
        .select(['therapist_id', 'price_cents', 'currency'])
        .where('duration_min', '=', DURATION_MIN)
        .execute()
    ).map((s) => [s.therapist_id, s]),
  );
  const earlier = await trx
    .selectFrom('bookings')
    .select(['therapist_id', 'starts_at', 'ends_at', 'lat', 'lng'])
    .where('therapist_id', '=', sql<string>`ANY(${sql.val(therapistIds)}::uuid[])`)
    .where('status', 'in', BLOCKING_STATUSES)
    .execute();
  const overrides = await loadOverrides(trx, therapistIds, now, now + 8 * DAY);
  const screenFor = await newSessionScreener(trx, clientIds);

  const placed: DemoBooking[] = [];
  const ofTherapist = new Map<string, DemoBooking[]>();
  const ofClient = new Map<string, DemoBooking[]>();
  for (const [n, therapist] of therapists.entries()) {
    const calendar = calendarOf(therapist, overrides.get(therapist.user_id) ?? []);
    const ownStudios = studios.filter((s) => s.therapist_id === therapist.user_id);
    const mine: DemoBooking[] = [];
    ofTherapist.set(therapist.user_id, mine);
    const visitsBefore: Visit[] = earlier
      .filter((b) => b.therapist_id === therapist.user_id)
      .map((b) => ({
        startsAt: b.starts_at.getTime(),
        endsAt: b.ends_at.getTime(),
        point: { lat: b.lat, lng: b.lng },
      }));
    for (let k = 0; k < 3; k++) {
      // The same random draws, in the same order, as the hold-by-hold seed.
      const homePoint =
        therapist.mobile_base_lat === null
          ? null
          : {
              lat: therapist.mobile_base_lat + (random() - 0.5) * 0.02,
              lng: therapist.mobile_base_lng! + (random() - 0.5) * 0.02,
            };
      const studio =
        ownStudios.length > 0 && (homePoint === null || random() < 0.6)
          ? ownStudios[Math.floor(random() * ownStudios.length)]!
          : undefined;
      const place = studio
        ? { location: `studio:${studio.id}`, point: { lat: studio.lat, lng: studio.lng } }
        : { location: 'mobile', point: homePoint! };
      const from = now + (1 + Math.floor(random() * 6)) * DAY;
      const slots = availableSlots({
        ...slotRules(calendar, place, DURATION_MIN, options.stepMin, now),
        from,
        to: from + DAY,
        busy: busyNear(mine, from, from + DAY),
      });
      if (slots.length === 0) continue;
      const startsAt = slots[Math.floor(random() * slots.length)]!;
      const clientId = n === 0 && k < 2 ? clientIds[0]! : clientIds[1 + Math.floor(random() * (clientIds.length - 1))]!;
      const endsAt = startsAt + DURATION_MIN * MINUTE;
      // The client is busy then: the client overlap constraint would refuse the hold.
      if ((ofClient.get(clientId) ?? []).some((b) => b.startsAt < endsAt && startsAt < b.endsAt)) continue;
      const timeZone = studio ? studio.time_zone : zoneAt(place.point);
      const screening = screenFor({ clientId, startsAt, timeZone }, now);
      const pending =
        screening.clearanceRuleIds.length > 0 && clearanceStatus(screening.clearanceRuleIds, []) === 'pending';
      const clearanceDueAt = pending ? clearanceDeadline(startsAt) : null;
      // Too soon to wait for a clearance (clearance_too_late): the hold would be rolled back.
      if (clearanceDueAt !== null && clearanceDueAt <= now) continue;
      const service = prices.get(therapist.user_id)!;
      const booking: DemoBooking = {
        id: randomUUID(),
        therapistId: therapist.user_id,
        clientId,
        startsAt,
        endsAt,
        point: place.point,
        bufferBeforeMin: therapist.buffer_before_min,
        bufferAfterMin: therapist.buffer_after_min,
        travelBeforeMin: 0,
        speedKmh: therapist.travel_speed_kmh,
        status: pending ? 'awaiting_clearance' : 'confirmed',
        clearanceDueAt,
        screening,
        row: {
          market: therapist.market,
          therapist_id: therapist.user_id,
          client_id: clientId,
          mode: studio ? 'studio' : 'home',
          studio_id: studio?.id ?? null,
          address: studio ? studio.address : `${100 + k} Demo Street, New York, NY`,
          lat: place.point.lat,
          lng: place.point.lng,
          time_zone: timeZone,
          duration_min: DURATION_MIN,
          price_cents: service.price_cents,
          currency: service.currency,
          cancellation_policy: JSON.stringify(policyOf(therapist, options.graceMinutes)),
        },
      };
      mine.push(booking);
      countTravel(mine, visitsBefore);
      placed.push(booking);
      ofClient.set(clientId, [...(ofClient.get(clientId) ?? []), booking]);
    }
  }
  if (placed.length === 0) return;

  const at = new Date(now);
  const rows = await trx
    .insertInto('bookings')
    .values(
      placed.map((b) => ({
        ...b.row,
        id: b.id,
        status: b.status,
        starts_at: new Date(b.startsAt),
        ends_at: new Date(b.endsAt),
        buffer_before_min: b.bufferBeforeMin,
        buffer_after_min: b.bufferAfterMin,
        travel_before_min: b.travelBeforeMin,
        blocked: blockedRange(b.startsAt, b.endsAt, b.bufferBeforeMin, b.bufferAfterMin, b.travelBeforeMin),
        hold_expires_at: null,
        confirmed_at: b.status === 'confirmed' ? at : null,
        clearance_due_at: b.clearanceDueAt === null ? null : new Date(b.clearanceDueAt),
        created_at: at,
        updated_at: at,
      })),
    )
    .returningAll()
    .execute();
  // Placed as a hold by the client, then moved on by the confirm (no one signed in: the seed), in that order.
  await trx
    .insertInto('booking_events')
    .values([
      ...placed.map((b) => ({
        booking_id: b.id,
        at,
        actor_id: b.clientId,
        from_status: null,
        to_status: 'held' as const,
        detail: JSON.stringify({}),
      })),
      ...placed.map((b) => ({
        booking_id: b.id,
        at,
        actor_id: null,
        from_status: 'held' as const,
        to_status: b.status,
        detail: JSON.stringify(b.clearanceDueAt === null ? {} : { clearanceDueAt: b.clearanceDueAt }),
      })),
    ])
    .execute();
  await recordScreenings(
    trx,
    placed.map((b) => ({ bookingId: b.id, stage: 'confirm' as const, screening: b.screening, now })),
  );
  for (const b of placed) {
    if (b.clearanceDueAt === null) continue;
    await scheduleJob(
      trx,
      {
        kind: CLEARANCE_DEADLINE_JOB,
        payload: { bookingId: b.id },
        runAt: b.clearanceDueAt,
        dedupeKey: `${CLEARANCE_DEADLINE_JOB}:${b.id}`,
      },
      now,
    );
  }
  for (const row of rows) if (row.status === 'confirmed') await recordCharge(trx, row, now);
}

/** The therapist's sessions whose blocked time is within six hours of [from, to), as loadBusy reads them. */
function busyNear(bookings: DemoBooking[], from: number, to: number): BusyInterval[] {
  const slack = 6 * HOUR;
  return bookings
    .filter(
      (b) =>
        b.startsAt - (b.bufferBeforeMin + b.travelBeforeMin) * MINUTE < to + slack &&
        b.endsAt + b.bufferAfterMin * MINUTE > from - slack,
    )
    .map((b) => ({
      start: b.startsAt - b.bufferBeforeMin * MINUTE,
      end: b.endsAt + b.bufferAfterMin * MINUTE,
      point: b.point,
    }));
}

/**
 * Each session's travel from the therapist's visit before it (the last one ending by its start), as placement
 * leaves it: a hold counts its own travel, and rewrites the next visit's.
 */
function countTravel(bookings: DemoBooking[], before: Visit[]) {
  const visits = [...before, ...bookings];
  for (const b of bookings) {
    let prev: Visit | DemoBooking | undefined;
    for (const v of visits) if (v.endsAt <= b.startsAt && (!prev || v.endsAt > prev.endsAt)) prev = v;
    b.travelBeforeMin = prev ? travelMinutes(prev.point, b.point, b.speedKmh) : 0;
  }
}
