import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { hashPassword } from '../accounts/passwords.js';
import { loadBusy } from '../booking/booking-reads.js';
import { calendarOf, loadOverrides, slotRules } from '../therapists/therapist-calendar.js';
import { placeBooking } from '../booking/place-booking.js';
import { confirmScreenedHold } from '../booking/booking-service.js';
import { authorizeConfirmedBooking } from '../booking/booking-payments.js';
import type { PaymentProvider } from '../money/engine/payment-provider.js';
import { defaultPaymentMethod, savePaymentMethod } from '../money/payment-service.js';
import { ProblemError } from '../domain/problems.js';
import { demoIntakes } from './demo-intakes.js';
import { seedDemoRecords } from './demo-records.js';
import { seedDemoMoney } from './demo-money.js';
import { screenBooking } from '../screening/booking-screening.js';
import { clearanceStatus } from '../screening/engine/screening-views.js';
import { verifiedClearanceCovers } from '../screening/screening-reads.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../scheduling/engine/calendar-date.js';
import { zoneAt } from '../scheduling/engine/place-zone.js';
import { availableSlots } from '../scheduling/engine/slots.js';
import { type Market, addMarket } from '../therapists/markets.js';
import { todayIn } from '../therapists/today.js';
import type { WeeklyRule } from '../scheduling/engine/working-hours.js';
import { type GeneratedTherapist, NEW_YORK, generateTherapists, seededRandom } from './demo-market.js';
import type { DB } from '../schema.js';

export const DEMO_PASSWORD = 'knotwork-demo';

export interface DemoLogins {
  client: string;
  therapist: string;
  operator: string;
  password: string;
}

const DAY = 86_400_000;

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
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const today = todayIn(NEW_YORK.timeZone, now);
  // All or nothing: a first start killed half way leaves an empty database, seeded whole by the next start (a
  // demo seeded in pieces would stay half there for good, since the seed runs only on an empty database).
  const seeded = await db.transaction().execute(async (trx) => {
    // Serialises two starts on one PostgreSQL database: the second waits, then finds the users and stops.
    await sql`SELECT pg_advisory_xact_lock(hashtext('knotwork:demo-seed'))`.execute(trx);
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return false;
    await ensureMarket(trx);
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
    const generated = generateTherapists({ count: 67, seed: 2026, today });
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
    await seedBookings(trx, clientIds, now, options);
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

/**
 * A few sessions per therapist over the coming week, written through the real booking path: held, screened, then
 * confirmed and charged, or awaiting clearance when the client's screening asks for one (client4@, heart attack).
 */
async function seedBookings(
  trx: Transaction<DB>,
  clientIds: string[],
  now: number,
  options: { stepMin: number; graceMinutes: number },
) {
  const random = seededRandom(7);
  const therapists = await trx
    .selectFrom('therapists')
    .selectAll()
    .where('licence_status', '=', 'approved')
    // Natural order (therapist@, therapist2@ … therapist10@), so the demo therapist is first and sees the demo client.
    .orderBy(sql`(SELECT length(email) FROM users WHERE users.id = therapists.user_id)`)
    .orderBy(sql`(SELECT email FROM users WHERE users.id = therapists.user_id)`)
    .execute();
  const studios = await trx.selectFrom('studios').select(['id', 'therapist_id', 'lat', 'lng']).execute();
  const overrides = await loadOverrides(
    trx,
    therapists.map((t) => t.user_id),
    now,
    now + 8 * DAY,
  );
  for (const [n, therapist] of therapists.entries()) {
    const calendar = calendarOf(therapist, overrides.get(therapist.user_id) ?? []);
    const ownStudios = studios.filter((s) => s.therapist_id === therapist.user_id);
    for (let k = 0; k < 3; k++) {
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
      const busy = (await loadBusy(trx, [therapist.user_id], from, from + DAY, now)).get(therapist.user_id) ?? [];
      const slots = availableSlots({
        ...slotRules(calendar, place, 60, options.stepMin, now),
        from,
        to: from + DAY,
        busy,
      });
      if (slots.length === 0) continue;
      const startsAt = slots[Math.floor(random() * slots.length)]!;
      const clientId = n === 0 && k < 2 ? clientIds[0]! : clientIds[1 + Math.floor(random() * (clientIds.length - 1))]!;
      // A savepoint per booking: a refused one is rolled back alone, not the seed's transaction.
      await sql`SAVEPOINT demo_booking`.execute(trx);
      try {
        const id = await placeBooking(
          trx,
          {
            therapistId: therapist.user_id,
            clientId,
            durationMin: 60,
            startsAt,
            place: studio
              ? { mode: 'studio', studioId: studio.id }
              : { mode: 'home', address: `${100 + k} Demo Street, New York, NY`, ...place.point },
          },
          'held',
          { now, holdMinutes: 10, graceMinutes: options.graceMinutes, stepMin: options.stepMin },
        );
        // Screened and confirmed as the client's confirm does: charged, or awaiting a clearance (uncharged, due 24
        // hours ahead, released then unless verified) when the screening asks for one nobody has verified yet.
        const { screening } = await screenBooking(trx, id, 'confirm', now);
        const pending =
          screening.clearanceRuleIds.length > 0 &&
          clearanceStatus(screening.clearanceRuleIds, await verifiedClearanceCovers(trx, id)) === 'pending';
        await confirmScreenedHold(trx, id, now, pending);
        await sql`RELEASE SAVEPOINT demo_booking`.execute(trx);
      } catch (error) {
        // A client may already be busy then (client overlap constraint), or a session needing a clearance may be too
        // soon to wait for it: skip that one, the demo has plenty.
        const skipped =
          (error as { code?: string }).code === '23P01' ||
          (error instanceof ProblemError && error.code === 'clearance_too_late');
        if (!skipped) throw error;
        await sql`ROLLBACK TO SAVEPOINT demo_booking`.execute(trx);
      }
    }
  }
}

/** A provider the demo can save cards with: the test processor tokenises a card number itself (its hosted form). */
export type DemoCardProvider = PaymentProvider & {
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
  for (const client of clients) {
    let card = await defaultPaymentMethod(db, client.id);
    if (!card) {
      const { token } = await provider.tokenizeCard({ number: '4242424242424242', expMonth: 12, expYear, cvc: '123' });
      card = await savePaymentMethod(db, provider, client.id, token, now);
    }
    const bookings = await db
      .selectFrom('bookings')
      .select('id')
      .where('client_id', '=', client.id)
      .where('status', 'in', ['confirmed', 'awaiting_clearance'])
      .orderBy('starts_at')
      .execute();
    for (const booking of bookings) await authorizeConfirmedBooking(db, provider, booking.id, card.id, now);
  }
  await seedDemoMoney(db, provider, now);
}
