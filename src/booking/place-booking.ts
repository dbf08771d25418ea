import { formatDistance } from '../domain/distance.js';
import { type Expression, type Kysely, type OperationNodeSource, type Selectable, type Transaction, sql } from 'kysely';
import { type PreparedQuery, prepareQuery } from '../db/prepared-query.js';
import type { BookingsTable } from './booking-tables.js';
import {
  calendarOf,
  dateOverrideOf,
  licenceEndsAt,
  overrideDates,
  slotRules,
} from '../therapists/therapist-calendar.js';
import type { DB } from '../schema.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { zoneAt } from '../scheduling/engine/place-zone.js';
import { isSlotOffered } from '../scheduling/engine/slots.js';
import { type GeoPoint, haversineKm, travelMinutes } from '../scheduling/engine/travel.js';
import { MOBILE_LOCATION, policyOf } from '../therapists/therapist-profile.js';
import { activeStudioOf, distanceUnitOf, placementFacts, therapistById } from '../therapists/therapists-reads.js';
import { userNames } from '../accounts/accounts-reads.js';
import { neverPairRow } from '../ratings/pair-preferences.js';
import { todayIn } from '../therapists/today.js';
import { blockedRange, calendarLock, neighboursAfterExpiry, setTravelBefore } from './booking-lifecycle.js';

type Trx = Transaction<DB>;

/**
 * The therapist's profile and studio, read once per transaction: the hold asks for them to learn the session's
 * zone (before screening) and again to place it. Nothing in a booking transaction writes either table, so the
 * first read stands for the whole transaction (a course or a pair places several sessions in one). The placement
 * read also takes the therapist's calendar lock, which a rollback to a savepoint gives up: whoever rolls back to
 * one forgets these reads (forgetPlacementReads), so the next placement reads, and locks, again.
 */
const profileReads = new WeakMap<Trx, Map<string, Promise<unknown>>>();

/** After ROLLBACK TO SAVEPOINT: the calendar locks taken with the reads since may be gone, so read them again. */
export function forgetPlacementReads(trx: Trx): void {
  profileReads.delete(trx);
}
function onceIn<T>(trx: Trx, key: string, read: () => Promise<T>): Promise<T> {
  let reads = profileReads.get(trx);
  if (!reads) profileReads.set(trx, (reads = new Map<string, Promise<unknown>>()));
  let pending = reads.get(key) as Promise<T> | undefined;
  if (!pending) reads.set(key, (pending = read()));
  return pending;
}

/**
 * What placing the session reads about its therapist, in one statement (therapists' placementFacts): the row,
 * the studio, the service's price, the overrides and the other calendars' busy times around the session, with
 * the therapist's name (accounts' userNames) and whether the pair is kept apart (ratings' neverPairRow). Read once
 * per transaction and session: the hold asks before screening (for the zone) and again to place it. The same
 * statement takes the therapist's calendar lock (calendarLock: a statement reads the table as it was when it began,
 * so what the lock guards, the neighbouring visits, is read by a later statement), and, when the first asker passes
 * it, selects another capability's read (`screeningRead`: screening's read of the client's intake) as
 * `screening_read`.
 */
function placementFactsIn(trx: Trx, request: BookingRequest, screeningRead?: Expression<unknown>) {
  const { therapistId, clientId, durationMin, startsAt, place } = request;
  const studioId = place.mode === 'studio' ? place.studioId : null;
  return onceIn(trx, `facts:${therapistId}:${studioId ?? 'home'}:${durationMin}:${startsAt}:${clientId}`, () => {
    const endsAt = startsAt + durationMin * MINUTE;
    const dates = overrideDates(startsAt, endsAt);
    return placementFacts(trx, {
      therapistId,
      studioId,
      durationMin,
      overridesFrom: dates.from,
      overridesTo: dates.to,
      busyFrom: startsAt - DAY,
      busyTo: endsAt + DAY,
    })
      .innerJoin(userNames(trx).as('tn'), 'tn.id', 't.user_id')
      .select((eb) => [
        'tn.display_name as therapist_name',
        eb
          .exists(neverPairRow(trx, clientId, therapistId))
          .$castTo<boolean>()
          .as('kept_apart'),
        calendarLock(therapistId).as('calendar_locked'),
      ])
      .$if(screeningRead !== undefined, (qb) => qb.select(sql<unknown>`${screeningRead}`.as('screening_read')))
      .executeTakeFirst();
  });
}

const therapistIn = (trx: Trx, therapistId: string) =>
  onceIn(trx, `therapist:${therapistId}`, () => therapistById(trx, therapistId));
const studioIn = (trx: Trx, therapistId: string, studioId: string) =>
  onceIn(trx, `studio:${therapistId}:${studioId}`, () => activeStudioOf(trx, therapistId, studioId));

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Where the client wants the session: one of the therapist's studios, or their own address. */
export type RequestedPlace =
  { mode: 'studio'; studioId: string } | { mode: 'home'; address: string; lat: number; lng: number };

export interface BookingRequest {
  therapistId: string;
  clientId: string;
  durationMin: number;
  startsAt: number;
  place: RequestedPlace;
}

export interface PlacementSettings {
  now: number;
  holdMinutes: number;
  graceMinutes: number;
  stepMin: number;
  /** Field path prefix for errors, e.g. '' for a new booking. */
  fieldPrefix?: string;
}

/**
 * Checks that the therapist offers this session (licence, service, place, working hours, notice, window) and is not
 * busy then in their other calendars, then writes it as `status` ('held' or 'confirmed') with its blocked range, under the therapist's calendar
 * lock. Conflicts with other bookings surface as the exclusion constraint's 23P01, which the HTTP layer turns
 * into 409 slot_unavailable; nothing here pre-checks them.
 */
export async function placeBooking(
  trx: Trx,
  request: BookingRequest,
  status: 'held' | 'confirmed',
  settings: PlacementSettings,
  extra: PlacementExtra = {},
): Promise<string> {
  return (await placeBookingRow(trx, request, status, settings, extra)).booking.id;
}

/** A booking just placed: its row as inserted, the therapist's zone and name and the studio's name (null at home). */
export interface PlacedBooking {
  booking: Selectable<BookingsTable>;
  therapistZone: string;
  therapistName: string;
  studioName: string | null;
}

interface PlacementExtra {
  rescheduledFrom?: string;
  policyFrom?: { cancellation_policy: unknown };
  courseId?: string | null;
  pairId?: string | null;
  /** Another write the placing statement makes with the booking: an insert naming its id as PLACED_BOOKING_ID. */
  alsoInsert?: RowInsert;
}

/** The id of the booking being placed, for an insert written by the same statement (PlacementExtra.alsoInsert). */
export const PLACED_BOOKING_ID: Expression<string> = sql<string>`(SELECT id FROM placed)`;

/**
 * A row another capability writes with the statement placing a booking (the hold's screening): `into` builds the
 * insert of `row` into its own table, and is called with the row's values as they are (or, once per shape, with
 * placeholders for them: see prepared-query.ts), so it must hand each value to Kysely as is. Values that are
 * expressions (PLACED_BOOKING_ID) are part of the statement's shape.
 */
export interface RowInsert {
  into: (db: Kysely<DB>, row: Record<string, unknown>) => OperationNodeSource;
  row: Record<string, unknown>;
}

/** The values of the statement placing a booking (placingStatement). */
interface Placing {
  [name: string]: unknown;
  market: string;
  therapistId: string;
  clientId: string;
  status: 'held' | 'confirmed';
  mode: 'studio' | 'home';
  studioId: string | null;
  address: string;
  lat: number;
  lng: number;
  timeZone: string;
  durationMin: number;
  startsAt: Date;
  endsAt: Date;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  travelBeforeMin: number;
  blocked: string;
  priceCents: number;
  currency: string;
  cancellationPolicy: string;
  holdExpiresAt: Date | null;
  confirmedAt: Date | null;
  rescheduledFrom: string | null;
  courseId: string | null;
  pairId: string | null;
  now: Date;
  detail: string;
}

/** The booking, its first event and, when given, another capability's insert (`also`), in one statement. */
function placingStatement(db: Kysely<DB>, p: Placing, also?: OperationNodeSource) {
  const placing = db
    .with('placed', (qb) =>
      qb
        .insertInto('bookings')
        .values({
          market: p.market,
          therapist_id: p.therapistId,
          client_id: p.clientId,
          status: p.status,
          mode: p.mode,
          studio_id: p.studioId,
          address: p.address,
          lat: p.lat,
          lng: p.lng,
          time_zone: p.timeZone,
          duration_min: p.durationMin,
          starts_at: p.startsAt,
          ends_at: p.endsAt,
          buffer_before_min: p.bufferBeforeMin,
          buffer_after_min: p.bufferAfterMin,
          travel_before_min: p.travelBeforeMin,
          blocked: p.blocked,
          price_cents: p.priceCents,
          currency: p.currency,
          cancellation_policy: p.cancellationPolicy,
          hold_expires_at: p.holdExpiresAt,
          confirmed_at: p.confirmedAt,
          rescheduled_from: p.rescheduledFrom,
          course_id: p.courseId,
          pair_id: p.pairId,
          created_at: p.now,
          updated_at: p.now,
        })
        .returningAll(),
    )
    .with('event', (qb) =>
      qb
        .insertInto('booking_events')
        .columns(['booking_id', 'at', 'actor_id', 'from_status', 'to_status', 'detail'])
        .expression((eb) =>
          eb
            .selectFrom('placed')
            .select([
              'placed.id',
              sql<Date>`${p.now}::timestamptz`.as('at'),
              sql<string>`${p.clientId}::uuid`.as('actor_id'),
              sql<null>`NULL::text`.as('from_status'),
              sql<string>`${p.status}::text`.as('to_status'),
              sql<string>`${p.detail}::jsonb`.as('detail'),
            ]),
        ),
    );
  // The extra CTE only widens the builder's type; what the final select of `placed` answers is the same.
  return (also ? (placing.with('also', () => sql`(${also})`) as unknown as typeof placing) : placing)
    .selectFrom('placed')
    .selectAll();
}

const isExpression = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && 'toOperationNode' in value;

/** The placing statement without another insert, built and compiled once. */
const placingAlone = prepareQuery((db, p: Placing) => placingStatement(db, p));

/**
 * The placing statement with another capability's insert, one prepared query per shape: per `into`, the row's
 * columns and the expressions among its values (by identity). The row's other values are parameters `also:<column>`.
 */
const placingWith = new Map<RowInsert['into'], Map<string, PreparedQuery<Placing, Selectable<BookingsTable>>>>();
const expressionIds = new WeakMap<object, number>();
let expressionCount = 0;

function placingWithPrepared(also: RowInsert) {
  const columns = Object.keys(also.row).sort();
  const shape = columns
    .map((column) => {
      const value = also.row[column];
      if (!isExpression(value)) return column;
      let id = expressionIds.get(value);
      if (id === undefined) expressionIds.set(value, (id = ++expressionCount));
      return `${column}=${id}`;
    })
    .join(',');
  let shapes = placingWith.get(also.into);
  if (!shapes)
    placingWith.set(also.into, (shapes = new Map<string, PreparedQuery<Placing, Selectable<BookingsTable>>>()));
  let prepared = shapes.get(shape);
  if (!prepared) {
    const fixed = also.row;
    prepared = prepareQuery((db, p: Placing) =>
      placingStatement(
        db,
        p,
        also.into(
          db,
          Object.fromEntries(
            columns.map((column) => [column, isExpression(fixed[column]) ? fixed[column] : p[`also:${column}`]]),
          ),
        ),
      ),
    );
    shapes.set(shape, prepared);
  }
  return prepared;
}

async function runPlacing(trx: Trx, p: Placing, also?: RowInsert): Promise<Selectable<BookingsTable>> {
  let params = p;
  if (also) {
    // The row's values on an object inheriting the placing's: adding keys to a copy of `p` costs about 25 µs.
    params = Object.create(p) as Placing;
    for (const [column, value] of Object.entries(also.row)) if (!isExpression(value)) params[`also:${column}`] = value;
  }
  const row = await (also ? placingWithPrepared(also) : placingAlone).executeTakeFirst(trx, params);
  if (!row) throw new Error('placing a booking returned no row');
  return row;
}

/**
 * placeBooking, answering with what it wrote and read: the booking row as inserted, the therapist's zone and the
 * studio's name, so the caller can show the new booking without reading it back.
 */
export async function placeBookingRow(
  trx: Trx,
  request: BookingRequest,
  status: 'held' | 'confirmed',
  settings: PlacementSettings,
  extra: PlacementExtra = {},
): Promise<PlacedBooking> {
  const { now } = settings;
  const field = (name: string) => `${settings.fieldPrefix ?? ''}${name}`;
  const therapist = await placementFactsIn(trx, request);
  if (!therapist) throw fieldProblem(field('therapistId'), 'unknown', 'No such therapist');
  if (
    therapist.licence_status !== 'approved' ||
    (therapist.licence_expires_on ?? '') < todayIn(therapist.time_zone, now)
  ) {
    throw new ProblemError('therapist_not_bookable', 'This therapist is not taking bookings right now');
  }
  const service = therapist.placement_service;
  if (!service)
    throw new ProblemError(
      'service_not_offered',
      `This therapist does not offer ${request.durationMin}-minute sessions`,
    );

  const place = await resolvePlace(trx, therapist, therapist.placement_studio, request.place, field);
  const calendar = calendarOf(therapist, therapist.placement_overrides.map(dateOverrideOf));
  const rules = slotRules(calendar, place, request.durationMin, settings.stepMin, now);
  if (request.startsAt >= licenceEndsAt(calendar) || !isSlotOffered(rules, request.startsAt)) {
    throw new ProblemError(
      'slot_not_offered',
      'The therapist does not work at that time and place, or it is too soon or too far ahead',
      {
        errors: [{ field: field('start'), in: 'body', code: 'not_offered', message: 'Pick one of the offered slots' }],
      },
    );
  }

  // The therapist's other calendars: a busy time there (with this session's buffers around it) refuses the slot as
  // a booking would. Those times come from the last good read of each calendar, not from this transaction.
  const external = therapist.placement_busy;
  if (
    external.length > 0 &&
    !isSlotOffered({ ...rules, busy: external.map((span) => ({ ...span, point: null })) }, request.startsAt)
  ) {
    throw new ProblemError('slot_unavailable', 'The therapist is not free at that time');
  }

  // The therapist's calendar lock was taken by the read above (placementFactsIn), a statement before the one that
  // reads the neighbours.
  const startsAt = request.startsAt;
  const endsAt = startsAt + request.durationMin * MINUTE;
  const { prev, next } = await neighboursAfterExpiry(trx, request.therapistId, startsAt, endsAt, now);
  const travelBeforeMin = prev ? travelMinutes(prev, place.point, therapist.travel_speed_kmh) : 0;
  // The next visit's travel is counted from this one from now on. Rewrite it before inserting: its old travel may
  // have been counted from a visit long before (even days), which this one now replaces. If the next visit no
  // longer fits after this one, the constraint refuses the insert below.
  if (next) {
    const needed = travelMinutes(place.point, next, therapist.travel_speed_kmh);
    if (needed !== next.travel_before_min) await setTravelBefore(trx, next, needed);
  }

  // The booking, its first event and what the caller writes with it (the hold's screening) in one statement: a
  // data-modifying CTE runs whether or not it is read. Built and compiled once per shape (placingStatement).
  const booking = await runPlacing(
    trx,
    {
      market: therapist.market,
      therapistId: request.therapistId,
      clientId: request.clientId,
      status,
      mode: request.place.mode,
      studioId: request.place.mode === 'studio' ? request.place.studioId : null,
      address: place.address,
      lat: place.point.lat,
      lng: place.point.lng,
      timeZone: place.zone,
      durationMin: request.durationMin,
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
      bufferBeforeMin: therapist.buffer_before_min,
      bufferAfterMin: therapist.buffer_after_min,
      travelBeforeMin,
      blocked: blockedRange(startsAt, endsAt, therapist.buffer_before_min, therapist.buffer_after_min, travelBeforeMin),
      priceCents: service.price_cents,
      currency: service.currency,
      cancellationPolicy: JSON.stringify(
        extra.policyFrom?.cancellation_policy ?? policyOf(therapist, settings.graceMinutes),
      ),
      holdExpiresAt: status === 'held' ? new Date(now + settings.holdMinutes * MINUTE) : null,
      confirmedAt: status === 'confirmed' ? new Date(now) : null,
      rescheduledFrom: extra.rescheduledFrom ?? null,
      courseId: extra.courseId ?? null,
      pairId: extra.pairId ?? null,
      now: new Date(now),
      detail: JSON.stringify(extra.rescheduledFrom ? { rescheduledFrom: extra.rescheduledFrom } : {}),
    },
    extra.alsoInsert,
  );
  return {
    booking,
    therapistZone: therapist.time_zone,
    therapistName: therapist.therapist_name,
    studioName: place.studioName,
  };
}

/**
 * The zone of the place asked for (the studio's, or the home address's), known before anything is checked or
 * placed, so the session can be screened for its local day first. Bad input is answered here, naming the field:
 * an unknown therapist, or a studio that is not theirs.
 */
export async function requestedZone(
  trx: Trx,
  therapistId: string,
  place: RequestedPlace,
  fieldPrefix = '',
): Promise<string> {
  if (!(await therapistIn(trx, therapistId)))
    throw fieldProblem(`${fieldPrefix}therapistId`, 'unknown', 'No such therapist');
  if (place.mode === 'home') return zoneAt({ lat: place.lat, lng: place.lng });
  const studio = await studioIn(trx, therapistId, place.studioId);
  if (!studio) throw fieldProblem(`${fieldPrefix}place.studioId`, 'unknown_studio', 'Not a studio of this therapist');
  return studio.time_zone;
}

/**
 * requestedZone for a session about to be placed, from the one read placing it makes (placementFactsIn), with
 * whether the client and the therapist are kept apart (a "never" by either side), and the value of `screeningRead`
 * (a column another capability gives, selected by that read): undefined when the session's read was already made
 * without it.
 */
export async function requestedSession(
  trx: Trx,
  request: BookingRequest,
  fieldPrefix = '',
  screeningRead?: Expression<unknown>,
): Promise<{ timeZone: string; keptApart: boolean; screeningRead: unknown }> {
  const facts = await placementFactsIn(trx, request, screeningRead);
  if (!facts) throw fieldProblem(`${fieldPrefix}therapistId`, 'unknown', 'No such therapist');
  const { place } = request;
  const read = { keptApart: facts.kept_apart, screeningRead: facts.screening_read };
  if (place.mode === 'home') return { timeZone: zoneAt({ lat: place.lat, lng: place.lng }), ...read };
  if (!facts.placement_studio)
    throw fieldProblem(`${fieldPrefix}place.studioId`, 'unknown_studio', 'Not a studio of this therapist');
  return { timeZone: facts.placement_studio.time_zone, ...read };
}

interface Studio {
  address: string;
  lat: number;
  lng: number;
  time_zone: string;
  name: string;
}

async function resolvePlace(
  trx: Trx,
  therapist: {
    user_id: string;
    market: string;
    mobile_base_lat: number | null;
    mobile_base_lng: number | null;
    mobile_radius_km: number | null;
  },
  studio: Studio | null,
  requested: RequestedPlace,
  field: (name: string) => string,
): Promise<{ location: string; point: GeoPoint; address: string; zone: string; studioName: string | null }> {
  if (requested.mode === 'studio') {
    if (!studio) throw fieldProblem(field('place.studioId'), 'unknown_studio', 'Not a studio of this therapist');
    return {
      location: `studio:${requested.studioId}`,
      point: { lat: studio.lat, lng: studio.lng },
      address: studio.address,
      zone: studio.time_zone,
      studioName: studio.name,
    };
  }
  const { mobile_base_lat: lat, mobile_base_lng: lng, mobile_radius_km: radius } = therapist;
  if (lat === null || lng === null || radius === null) {
    throw new ProblemError('outside_service_area', 'This therapist does not visit clients at home');
  }
  const distance = haversineKm({ lat, lng }, requested);
  if (distance > radius) {
    const unit = await distanceUnitOf(trx, therapist.market);
    throw new ProblemError(
      'outside_service_area',
      `The address is ${formatDistance(distance, unit)} away; this therapist travels up to ${formatDistance(radius, unit)}`,
      {
        errors: [
          {
            field: field('place.address'),
            in: 'body',
            code: 'outside_service_area',
            message: 'Outside the service area',
          },
        ],
      },
    );
  }
  const point = { lat: requested.lat, lng: requested.lng };
  return { location: MOBILE_LOCATION, point, address: requested.address, zone: zoneAt(point), studioName: null };
}
