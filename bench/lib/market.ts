/**
 * Benchmark markets on PostgreSQL: therapists from the demo generator written with insertTherapists, clients
 * inserted directly (one shared argon2 hash: hashing is not what we measure), and confirmed bookings chosen by
 * the slot engine and written in bulk with SQL.
 */
import { type Kysely, sql } from 'kysely';
import { hashPassword } from '../../src/accounts/passwords.js';
import { calendarOf, licenceEndsAt, loadOverrides, slotRules } from '../../src/therapists/therapist-calendar.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../../src/scheduling/engine/calendar-date.js';
import { availableSlots, type BusyInterval } from '../../src/scheduling/engine/slots.js';
import { type GeoPoint, travelMinutes } from '../../src/scheduling/engine/travel.js';
import { intakeSchema, normalizeIntake } from '../../src/intake/engine/intake-schema.js';
import { policyOf } from '../../src/therapists/therapist-profile.js';
import { todayIn } from '../../src/therapists/today.js';
import { type GeneratedTherapist, NEW_YORK, generateTherapists, seededRandom } from '../../src/demo/demo-market.js';
import { ensureMarket, insertTherapists } from '../../src/demo/seed.js';
import type { DB } from '../../src/schema.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export { NEW_YORK, seededRandom };

/** A point uniformly spread within `km` of `centre`. */
export function pointWithin(random: () => number, centre: GeoPoint, km: number): GeoPoint {
  const r = km * Math.sqrt(random());
  const angle = random() * 2 * Math.PI;
  return {
    lat: centre.lat + (r * Math.cos(angle)) / 111.32,
    lng: centre.lng + (r * Math.sin(angle)) / (111.32 * Math.cos((centre.lat * Math.PI) / 180)),
  };
}

export const benchPasswordHash = (() => {
  let hash: Promise<string> | undefined;
  return () => (hash ??= hashPassword('bench password, never used to sign in'));
})();

/** Therapists in one transaction; returns their ids in the order of `generated`. */
export async function insertGeneratedTherapists(
  db: Kysely<DB>,
  generated: GeneratedTherapist[],
  now: number,
): Promise<string[]> {
  await ensureMarket(db);
  const passwordHash = await benchPasswordHash();
  const today = todayIn(NEW_YORK.timeZone, now);
  return db.transaction().execute((trx) =>
    insertTherapists(trx, generated, {
      marketId: NEW_YORK.id,
      passwordHash,
      today,
      licenceStatus: 'approved',
      reviewerId: null,
      now,
    }),
  );
}

export function generateMarket(options: {
  count: number;
  seed: number;
  now: number;
  spreadKm?: number;
  emailDomain?: string;
}) {
  const today = todayIn(NEW_YORK.timeZone, options.now);
  return generateTherapists({
    count: options.count,
    seed: options.seed,
    today,
    emailDomain: options.emailDomain ?? 'bench.knotwork.test',
    ...(options.spreadKm ? { spreadKm: options.spreadKm } : {}),
  });
}

/** Client accounts inserted directly, in batches; returns their ids. */
export async function insertClients(db: Kysely<DB>, count: number, prefix = 'bench-client'): Promise<string[]> {
  const passwordHash = await benchPasswordHash();
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += 1000) {
    const rows = await db
      .insertInto('users')
      .values(
        Array.from({ length: Math.min(1000, count - offset) }, (_, k) => ({
          email: `${prefix}${offset + k}@bench.knotwork.test`,
          password_hash: passwordHash,
          role: 'client' as const,
          display_name: `Bench Client ${offset + k}`,
        })),
      )
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * Gives every client a consultation (booking needs one: 422 intake_required otherwise): a healthy desk worker
 * with tight hamstrings and low-back knots, whose screening lets deep tissue go ahead. Written directly as
 * version 1 of each client's intake, validated by the app's own schema first.
 */
export async function insertIntakes(db: Kysely<DB>, clientIds: string[], now: number): Promise<void> {
  const intake = normalizeIntake(
    intakeSchema.parse({
      bodyMap: [
        { region: 'hamstrings.left', tightness: 8, pain: 3 },
        { region: 'hamstrings.right', tightness: 7, pain: 2 },
        { region: 'low_back.left', tightness: 6, pain: 5, note: 'Knots that hurt when pressed' },
      ],
      goals: ['Touch my toes again'],
      activity: { level: 'light', deskHoursPerDay: 9 },
      causes: ['posture', 'inactivity'],
      injuries: [],
      surgeries: [],
      medications: [],
      conditions: {},
      pressure: { preference: 4, avoidRegions: [] },
      consent: { treatment: true, dataProcessing: true },
    }),
    todayIn('UTC', now),
  );
  const data = JSON.stringify(intake);
  for (let offset = 0; offset < clientIds.length; offset += 1000) {
    await db
      .insertInto('intake_versions')
      .values(
        clientIds
          .slice(offset, offset + 1000)
          .map((id) => ({ client_id: id, version: 1, data, created_at: new Date(now) })),
      )
      .execute();
  }
}

interface BookingRow {
  therapistId: string;
  clientId: string;
  mode: 'studio' | 'home';
  studioId: string | null;
  address: string;
  point: GeoPoint;
  durationMin: number;
  startsAt: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  travelBeforeMin: number;
  priceCents: number;
  currency: string;
  policy: string;
}

export interface BookingFill {
  bookings: number;
  therapists: number;
  /** Therapists who got fewer than asked for because their calendar (or the tries) ran out. */
  short: number;
  generateSeconds: number;
  insertSeconds: number;
}

/**
 * Gives every therapist in the database about `perTherapist` confirmed bookings over the next `days` days:
 * for each, a random day, place (a studio or a client's home near the mobile base) and duration, and a random
 * start among the slots the engine still offers, so the bookings respect hours, notice, buffers and travel and
 * never overlap. Each booking's travel_before is the travel from the therapist's previous visit, as
 * placeBooking computes it, and `blocked` is derived in SQL exactly as the CHECK constraint requires.
 */
export async function fillBookings(
  db: Kysely<DB>,
  options: {
    perTherapist: number;
    days: number;
    now: number;
    stepMin: number;
    clientIds: string[];
    seed: number;
    graceMinutes?: number;
  },
): Promise<BookingFill> {
  const started = performance.now();
  const random = seededRandom(options.seed);
  const { now } = options;
  const therapists = await db
    .selectFrom('therapists')
    .selectAll()
    .where('licence_status', '=', 'approved')
    .orderBy('user_id')
    .execute();
  const studios = await db
    .selectFrom('studios')
    .select(['id', 'therapist_id', 'lat', 'lng', 'address'])
    .where('archived_at', 'is', null)
    .execute();
  const services = await db.selectFrom('therapist_services').selectAll().execute();
  const overrides = await loadOverrides(
    db,
    therapists.map((t) => t.user_id),
    now,
    now + (options.days + 1) * DAY,
  );
  const studiosOf = groupBy(studios, (s) => s.therapist_id);
  const servicesOf = groupBy(services, (s) => s.therapist_id);
  const clientBusy = new Map<string, [number, number][]>();
  const rows: BookingRow[] = [];
  let short = 0;

  for (const therapist of therapists) {
    const calendar = calendarOf(therapist, overrides.get(therapist.user_id) ?? []);
    const licenceEnd = licenceEndsAt(calendar);
    const offered = servicesOf.get(therapist.user_id) ?? [];
    const durations = offered.flatMap((s) =>
      s.duration_min === 60 ? [s, s, s] : s.duration_min === 90 ? [s, s] : [s],
    );
    const ownStudios = studiosOf.get(therapist.user_id) ?? [];
    const mobileBase =
      therapist.mobile_base_lat === null
        ? null
        : { lat: therapist.mobile_base_lat, lng: therapist.mobile_base_lng!, radiusKm: therapist.mobile_radius_km! };
    const placeCount = ownStudios.length + (mobileBase ? 1 : 0);
    if (durations.length === 0 || placeCount === 0) continue;
    const policy = JSON.stringify(policyOf(therapist, options.graceMinutes ?? 10));
    const busy: BusyInterval[] = [];
    const mine: BookingRow[] = [];
    for (let attempt = 0; attempt < options.perTherapist * 4 && mine.length < options.perTherapist; attempt++) {
      const service = durations[Math.floor(random() * durations.length)]!;
      const which = Math.floor(random() * placeCount);
      const studio = ownStudios[which];
      const point = studio
        ? { lat: studio.lat, lng: studio.lng }
        : pointWithin(random, mobileBase!, Math.min(mobileBase!.radiusKm, 8));
      const place = { location: studio ? `studio:${studio.id}` : 'mobile', point };
      const from = now + Math.floor(random() * options.days) * DAY;
      const slots = availableSlots({
        ...slotRules(calendar, place, service.duration_min, options.stepMin, now),
        from,
        to: Math.min(from + DAY, licenceEnd),
        busy,
      });
      if (slots.length === 0) continue;
      const startsAt = slots[Math.floor(random() * slots.length)]!;
      const endsAt = startsAt + service.duration_min * MINUTE;
      let clientId: string | undefined;
      for (let k = 0; k < 20 && !clientId; k++) {
        const candidate = options.clientIds[Math.floor(random() * options.clientIds.length)]!;
        const taken = clientBusy.get(candidate) ?? [];
        if (!taken.some(([s, e]) => s < endsAt && startsAt < e)) clientId = candidate;
      }
      if (!clientId) continue;
      const taken = clientBusy.get(clientId);
      if (taken) taken.push([startsAt, endsAt]);
      else clientBusy.set(clientId, [[startsAt, endsAt]]);
      busy.push({
        start: startsAt - therapist.buffer_before_min * MINUTE,
        end: endsAt + therapist.buffer_after_min * MINUTE,
        point,
      });
      mine.push({
        therapistId: therapist.user_id,
        clientId,
        mode: studio ? 'studio' : 'home',
        studioId: studio?.id ?? null,
        address: studio ? studio.address : `${100 + Math.floor(random() * 800)} Bench Street, New York, NY`,
        point,
        durationMin: service.duration_min,
        startsAt,
        bufferBeforeMin: therapist.buffer_before_min,
        bufferAfterMin: therapist.buffer_after_min,
        travelBeforeMin: 0,
        priceCents: service.price_cents,
        currency: service.currency,
        policy,
      });
    }
    if (mine.length < options.perTherapist) short++;
    // Travel from the previous visit, as placeBooking records it once all of them exist.
    mine.sort((a, b) => a.startsAt - b.startsAt);
    for (let i = 1; i < mine.length; i++)
      mine[i]!.travelBeforeMin = travelMinutes(mine[i - 1]!.point, mine[i]!.point, therapist.travel_speed_kmh);
    rows.push(...mine);
  }
  const generated = performance.now();
  await insertBookingRows(db, rows, now);
  return {
    bookings: rows.length,
    therapists: therapists.length,
    short,
    generateSeconds: (generated - started) / 1000,
    insertSeconds: (performance.now() - generated) / 1000,
  };
}

async function insertBookingRows(db: Kysely<DB>, rows: BookingRow[], now: number) {
  const at = new Date(now).toISOString();
  for (let offset = 0; offset < rows.length; offset += 5000) {
    const chunk = rows.slice(offset, offset + 5000);
    const column = <T>(get: (r: BookingRow) => T) => sql.val(chunk.map(get));
    await sql`
      INSERT INTO bookings (market, therapist_id, client_id, status, mode, studio_id, address, lat, lng, time_zone, duration_min,
        starts_at, ends_at, buffer_before_min, buffer_after_min, travel_before_min, blocked, price_cents, currency,
        cancellation_policy, confirmed_at, created_at, updated_at)
      SELECT ${NEW_YORK.id}, x.therapist_id, x.client_id, 'confirmed', x.mode, x.studio_id, x.address, x.lat, x.lng, ${NEW_YORK.timeZone}, x.duration_min,
        x.starts_at, x.starts_at + make_interval(mins => x.duration_min), x.bb, x.ba, x.tb,
        tstzrange(x.starts_at - make_interval(mins => x.bb + x.tb),
                  (x.starts_at + make_interval(mins => x.duration_min)) + make_interval(mins => x.ba), '[)'),
        x.price_cents, x.currency, x.policy::jsonb, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
      FROM unnest(
        ${column((r) => r.therapistId)}::uuid[], ${column((r) => r.clientId)}::uuid[], ${column((r) => r.mode)}::text[],
        ${column((r) => r.studioId)}::uuid[], ${column((r) => r.address)}::text[], ${column((r) => r.point.lat)}::float8[],
        ${column((r) => r.point.lng)}::float8[], ${column((r) => r.durationMin)}::int[],
        ${column((r) => new Date(r.startsAt).toISOString())}::timestamptz[], ${column((r) => r.bufferBeforeMin)}::int[],
        ${column((r) => r.bufferAfterMin)}::int[], ${column((r) => r.travelBeforeMin)}::int[], ${column((r) => r.priceCents)}::int[],
        ${column((r) => r.currency)}::text[], ${column((r) => r.policy)}::text[]
      ) AS x(therapist_id, client_id, mode, studio_id, address, lat, lng, duration_min, starts_at, bb, ba, tb, price_cents, currency, policy)
    `.execute(db);
  }
}

/** The date `days` after today in New York, as 'YYYY-MM-DD'. */
export function newYorkDate(now: number, days: number): string {
  return isoDateFromEpochDay(epochDayFromIsoDate(todayIn(NEW_YORK.timeZone, now))! + days);
}
