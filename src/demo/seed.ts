import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { hashPassword } from '../accounts/passwords.js';
import { authorizeConfirmedBookings } from '../booking/booking-payments.js';
import { type BulkAuthorizingProvider, defaultPaymentMethod, savePaymentMethod } from '../money/payment-service.js';
import { demoIntakes } from './demo-intakes.js';
import { seedDemoRecords } from './demo-records.js';
import { seedDemoMoney } from './demo-money.js';
import { seedDemoBookings } from './demo-bookings.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../scheduling/engine/calendar-date.js';
import { zoneAt } from '../scheduling/engine/place-zone.js';
import { type Market, addMarket } from '../therapists/markets.js';
import { todayIn } from '../therapists/today.js';
import type { WeeklyRule } from '../scheduling/engine/working-hours.js';
import { type GeneratedTherapist, NEW_YORK, generateTherapists } from './demo-market.js';
import type { DB } from '../schema.js';

export const DEMO_PASSWORD = 'knotwork-demo';

export interface DemoLogins {
  client: string;
  therapist: string;
  operator: string;
  password: string;
}

/** The demo market (New York City) with its neighbourhoods, unless it is there already. */
export async function ensureMarket(db: Kysely<DB>, market: Market = NEW_YORK) {
  await addMarket(db, market);
}

/**
 * Writes generated therapists with their services, studios, hours and overrides in a few batched statements.
 * Returns their user ids in the same order.
 */
export async function insertTherapists(
  trx: Transaction<DB>,
  therapists: GeneratedTherapist[],
  options: {
    marketId: string;
    passwordHash: string;
    today: string;
    licenceStatus: 'approved' | 'pending';
    reviewerId: string | null;
    now: number;
  },
): Promise<string[]> {
  if (therapists.length === 0) return [];
  const ids = therapists.map(() => randomUUID());
  const studioIds = therapists.map((t) => t.studios.map(() => randomUUID()));
  const todayDay = epochDayFromIsoDate(options.today)!;
  const placeKey = (i: number, place: number | 'home' | undefined) =>
    place === 'home' || place === undefined ? 'mobile' : `studio:${studioIds[i]![place]}`;
  const chunks = <T>(rows: T[], size = 500) =>
    Array.from({ length: Math.ceil(rows.length / size) }, (_, n) => rows.slice(n * size, (n + 1) * size));

  for (const chunk of chunks(therapists.map((t, i) => ({ t, i })))) {
    await trx
      .insertInto('users')
      .values(
        chunk.map(({ t, i }) => ({
          id: ids[i]!,
          email: t.email,
          password_hash: options.passwordHash,
          role: 'therapist' as const,
          display_name: t.displayName,
        })),
      )
      .execute();
    await trx
      .insertInto('therapists')
      .values(
        chunk.map(({ t, i }) => ({
          user_id: ids[i]!,
          market: options.marketId,
          gender: t.gender,
          bio: t.bio,
          licence_number: t.licence.number,
          licence_region: t.licence.region,
          licence_expires_on: t.licence.expiresOn,
          licence_status: options.licenceStatus,
          licence_reviewed_by: options.reviewerId,
          licence_reviewed_at: options.licenceStatus === 'approved' ? new Date(options.now) : null,
          specialties: sql<string[]>`${sql.val(t.specialties)}::text[]`,
          time_zone: t.timeZone,
          weekly_hours: JSON.stringify(
            t.weeklyHours.map((r): WeeklyRule => ({
              weekday: r.weekday as WeeklyRule['weekday'],
              start: r.start,
              end: r.end,
              location: placeKey(i, r.place),
            })),
          ),
          buffer_before_min: t.bufferBeforeMin,
          buffer_after_min: t.bufferAfterMin,
          min_notice_min: t.minNoticeMin,
          booking_window_days: t.bookingWindowDays,
          travel_speed_kmh: t.travelSpeedKmh,
          mobile_base_label: t.mobileArea?.label ?? null,
          mobile_base_lat: t.mobileArea?.lat ?? null,
          mobile_base_lng: t.mobileArea?.lng ?? null,
          mobile_radius_km: t.mobileArea?.radiusKm ?? null,
          cancellation_cutoff_hours: t.cancellation.freeUntilHoursBefore,
          late_cancellation_fee_percent: t.cancellation.lateFeePercent,
        })),
      )
      .execute();
    await trx
      .insertInto('therapist_services')
      .values(
        chunk.flatMap(({ t, i }) =>
          t.services.map((s) => ({
            therapist_id: ids[i]!,
            duration_min: s.durationMin,
            price_cents: s.priceCents,
            currency: s.currency,
          })),
        ),
      )
      .execute();
    const studios = chunk.flatMap(({ t, i }) =>
      t.studios.map((s, n) => ({ id: studioIds[i]![n]!, therapist_id: ids[i]!, ...s, time_zone: zoneAt(s) })),
    );
    if (studios.length > 0) await trx.insertInto('studios').values(studios).execute();
    const overrides = chunk.flatMap(({ t, i }) =>
      t.overrides.map((o) => ({
        therapist_id: ids[i]!,
        on_date: isoDateFromEpochDay(todayDay + o.dayOffset),
        kind: o.kind,
        intervals: JSON.stringify(
          o.intervals.map((iv) =>
            o.kind === 'extra'
              ? { start: iv.start, end: iv.end, location: placeKey(i, iv.place) }
              : { start: iv.start, end: iv.end },
          ),
        ),
        note: o.note,
      })),
    );
    if (overrides.length > 0) await trx.insertInto('schedule_overrides').values(overrides).execute();
  }
  return ids;
}

const CLIENT_NAMES = [
  'Jamie Fox',
  'Morgan Lee',
  'Casey Brooks',
  'Taylor Reyes',
  'Drew Kim',
  'Avery Singh',
  'Parker Osei',
  'Emerson Wolfe',
];

/**
 * The demo: one market (New York City), 64 approved therapists, 3 awaiting licence review, 8 clients with their
 * consultations and an operator, three weeks of session records between the demo client and the demo therapist,
 * and some screened bookings over the next days (confirmed, or awaiting a clearance). Runs only on an empty database.
 */
export async function seedDemoData(
  db: Kysely<DB>,
  now: number,
  options: { stepMin: number; graceMinutes: number; paymentProvider?: DemoCardProvider },
): Promise<DemoLogins | undefined> {
  if (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) return undefined;
  // Hashed on libuv's thread pool while the seed's transaction starts and the market is generated.
  const hashing = hashPassword(DEMO_PASSWORD);
  hashing.catch(() => {});
  const today = todayIn(NEW_YORK.timeZone, now);
  // All or nothing: a first start killed half way leaves an empty database, seeded whole by the next start (a
  // demo seeded in pieces would stay half there for good, since the seed runs only on an empty database).
  const seeded = await db.transaction().execute(async (trx) => {
    // Serialises two starts on one PostgreSQL database: the second waits, then finds the users and stops.
    await sql`SELECT pg_advisory_xact_lock(hashtext('knotwork:demo-seed'))`.execute(trx);
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return false;
    await ensureMarket(trx);
    const generated = generateTherapists({ count: 67, seed: 2026, today });
    const passwordHash = await hashing;
    const operator = await trx
      .insertInto('users')
      .values({
        email: 'operator@knotwork.test',
        password_hash: passwordHash,
        role: 'operator',
        display_name: 'Olivia Operator',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const clients = await trx
      .insertInto('users')
      .values(
        CLIENT_NAMES.map((name, i) => ({
          email: i === 0 ? 'client@knotwork.test' : `client${i + 1}@knotwork.test`,
          password_hash: passwordHash,
          role: 'client' as const,
          display_name: name,
          // 555-01xx: numbers set aside for fiction, so a demo care alert's "call the client" rings no one.
          phone: `+1212555${String(100 + i).padStart(4, '0')}`,
        })),
      )
      .returning('id')
      .execute();
    const intakes = demoIntakes(today);
    await trx
      .insertInto('intake_versions')
      .values(
        clients.map((c, i) => ({
          client_id: c.id,
          version: 1,
          data: JSON.stringify(intakes[i % intakes.length]),
          created_at: new Date(now),
        })),
      )
      .execute();
    const common = { marketId: NEW_YORK.id, passwordHash, today, now };
    await insertTherapists(trx, generated.slice(0, 64), {
      ...common,
      licenceStatus: 'approved',
      reviewerId: operator.id,
    });
    await insertTherapists(
      trx,
      generated.slice(64).map((t, i) => ({ ...t, email: `applicant${i + 1}@knotwork.test` })),
      { ...common, licenceStatus: 'pending', reviewerId: null },
    );
    const clientIds = clients.map((c) => c.id);
    const demoTherapist = await trx
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'therapist@knotwork.test')
      .executeTakeFirstOrThrow();
    await seedDemoRecords(trx, clientIds[0]!, demoTherapist.id, now, options.stepMin);
    await seedDemoBookings(trx, clientIds, now, options);
    return true;
  });
  if (!seeded) return undefined;
  if (options.paymentProvider) await seedDemoPayments(db, options.paymentProvider, now);
  return {
    client: 'client@knotwork.test',
    therapist: 'therapist@knotwork.test',
    operator: 'operator@knotwork.test',
    password: DEMO_PASSWORD,
  };
}

/** A provider the demo can save cards with: the test processor tokenises a card number itself (its hosted form). */
export type DemoCardProvider = BulkAuthorizingProvider & {
  tokenizeCard?(card: { number: string; expMonth: number; expYear: number; cvc: string }): Promise<{ token: string }>;
};

/**
 * The demo's money (issue 16), a second phase after the seed's transaction because a provider is another system:
 * every demo client gets a saved test card (Visa 4242…), and every confirmed or awaiting-clearance demo booking an
 * authorisation of its total on it, as the client's confirm takes. Each step is skipped when already done, so running
 * it again adds nothing. Then the money of a marketplace in use (demo-money.ts): past sessions captured at check-out
 * with their receipts, a tip, a partial refund, a late fee, a package, a membership, a gift card and a payout.
 */
export async function seedDemoPayments(db: Kysely<DB>, provider: DemoCardProvider, now: number): Promise<void> {
  if (!provider.tokenizeCard) return;
  const clients = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'client')
    .where('email', 'like', '%@knotwork.test')
    .orderBy('email')
    .execute();
  const expYear = new Date(now).getUTCFullYear() + 3;
  const cardOf = new Map<string, string>();
  for (const client of clients) {
    let card = await defaultPaymentMethod(db, client.id);
    if (!card) {
      const { token } = await provider.tokenizeCard({ number: '4242424242424242', expMonth: 12, expYear, cvc: '123' });
      card = await savePaymentMethod(db, provider, client.id, token, now);
    }
    cardOf.set(client.id, card.id);
  }
  // Every upcoming session at once (authorizeConfirmedBookings skips those authorised already): the rows each
  // client's confirm would write, in a few statements instead of about ten per session.
  const bookings = clients.length
    ? await db
        .selectFrom('bookings')
        .select(['id', 'client_id'])
        .where('client_id', 'in', [...cardOf.keys()])
        .where('status', 'in', ['confirmed', 'awaiting_clearance'])
        .orderBy('starts_at')
        .execute()
    : [];
  await authorizeConfirmedBookings(
    db,
    provider,
    bookings.map((b) => ({ bookingId: b.id, paymentMethodId: cardOf.get(b.client_id)! })),
    now,
  );
  await seedDemoMoney(db, provider, now);
}
