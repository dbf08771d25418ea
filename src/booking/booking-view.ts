import { type Kysely, type Transaction, sql } from 'kysely';
import { z } from 'zod';
import type { SignedInUser } from '../accounts/sessions.js';
import type { DB } from '../schema.js';
import { ProblemError } from '../domain/problems.js';
import { displayNameMap } from '../accounts/accounts-reads.js';
import { bookingGivesHealthAccess } from '../intake/engine/health-access-rule.js';
import { clearanceStatusSchema } from '../screening/engine/screening-views.js';
import { OUTCOMES, type Outcome } from '../screening/engine/screening-engine.js';
import { staffHeadline } from '../screening/engine/screening-views.js';
import { BOOKING_STATUSES, allowedActions } from './engine/booking-states.js';
import { describeCancellationPolicy } from './engine/cancellation-policy.js';
import { studioNamesOf, therapistZonesOf } from '../therapists/therapists-reads.js';

type Db = Kysely<DB> | Transaction<DB>;

export const bookingSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(BOOKING_STATUSES),
    allowedActions: z.array(z.string()),
    therapist: z.object({ id: z.uuid(), displayName: z.string(), timeZone: z.string() }),
    client: z.object({ id: z.uuid(), displayName: z.string() }),
    mode: z.enum(['studio', 'home']),
    studio: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    address: z.string(),
    lat: z.number(),
    lng: z.number(),
    durationMin: z.number(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    timeZone: z
      .string()
      .describe(
        "The IANA zone of the session's place: show startsAt and endsAt as wall-clock time there, naming the zone when the reader's differs",
      ),
    priceCents: z.number(),
    currency: z.string(),
    cancellationPolicy: z.object({
      freeUntilHoursBefore: z.number(),
      lateFeePercent: z.number(),
      graceMinutes: z.number(),
    }),
    cancellationTerms: z.string().describe('The policy in words, to show before confirming'),
    holdExpiresAt: z.iso.datetime().nullable(),
    clearanceDueAt: z.iso
      .datetime()
      .nullable()
      .describe(
        'Set when the session waited for a medical clearance (status awaiting_clearance): unless a clearance document is verified by then, the booking is released free of charge at this instant (24 hours before the start)',
      ),
    confirmedAt: z.iso.datetime().nullable(),
    cancelledAt: z.iso.datetime().nullable(),
    cancellationReason: z.string().nullable(),
    cancellationFeeCents: z.number().nullable(),
    rescheduledFrom: z.uuid().nullable(),
    rescheduledTo: z.uuid().nullable(),
    courseId: z
      .uuid()
      .nullable()
      .describe('The course this session was booked in (POST /api/bookings/courses), kept when it is moved; or null'),
    pairId: z
      .uuid()
      .nullable()
      .describe(
        'The booking for two this session is one part of (POST /api/bookings/pairs; GET /api/bookings/pairs/{id}), or null',
      ),
    createdAt: z.iso.datetime(),
    screening: z
      .object({
        outcome: z.enum(OUTCOMES),
        headline: z
          .string()
          .describe(
            'The outcome in plain words, addressed to the client for the client and about the client for staff; the reasons are at GET /api/bookings/{id}/screening',
          ),
        intakeVersion: z.number(),
        screenedAt: z.iso.datetime(),
        clearance: clearanceStatusSchema.describe(
          'pending: the booking waits for a verified clearance document (awaiting_clearance), or, confirmed before a new requirement appeared, check-in waits for it',
        ),
        documentsToReview: z.number(),
      })
      .nullable()
      .describe(
        'The health screening of this booking; null before screening, after the client erased their health data, or for a therapist whose booking no longer gives access',
      ),
  })
  .meta({
    id: 'Booking',
    description:
      'A booking as its client, its therapist or an operator sees it. The example is a fresh hold, as POST /api/bookings answers it.',
    examples: [
      {
        id: 'c4e8a2b6-1d3f-4a5b-8c7d-9e0f1a2b3c4d',
        status: 'held',
        allowedActions: ['confirm', 'await_clearance', 'expire', 'cancel'],
        therapist: {
          id: '3f2b8c1e-5d4a-4b6f-9e7d-2c1a0b9f8e7d',
          displayName: 'Maya Chen',
          timeZone: 'America/New_York',
        },
        client: { id: '9b7c5d3e-1f2a-4b4c-a6d8-e0f2a4b6c8d0', displayName: 'Ada' },
        mode: 'studio',
        studio: { id: '6a1d4e2f-7b3c-4d5e-8f9a-0b1c2d3e4f5a', name: 'Chelsea studio' },
        address: '210 W 21st St, New York',
        lat: 40.7432,
        lng: -73.9967,
        durationMin: 60,
        startsAt: '2026-11-24T15:00:00.000Z',
        endsAt: '2026-11-24T16:00:00.000Z',
        timeZone: 'America/New_York',
        priceCents: 12000,
        currency: 'USD',
        cancellationPolicy: { freeUntilHoursBefore: 24, lateFeePercent: 50, graceMinutes: 10 },
        cancellationTerms:
          'Free cancellation until 24 hours before the session; after that the fee is 50% ($60.00). Changes within 10 minutes of booking are always free.',
        holdExpiresAt: '2026-11-23T12:10:00.000Z',
        clearanceDueAt: null,
        confirmedAt: null,
        cancelledAt: null,
        cancellationReason: null,
        cancellationFeeCents: null,
        rescheduledFrom: null,
        rescheduledTo: null,
        courseId: null,
        pairId: null,
        createdAt: '2026-11-23T12:00:00.000Z',
        screening: {
          outcome: 'proceed',
          headline: 'Deep tissue massage suits you for this session.',
          intakeVersion: 1,
          screenedAt: '2026-11-23T12:00:00.000Z',
          clearance: 'not_required',
          documentsToReview: 0,
        },
      },
    ],
  });

export type BookingView = z.infer<typeof bookingSchema>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Port: what screening (above booking) says about bookings' latest screenings, by booking id; a booking never
 * screened is absent. src/http/app.ts wires screening's implementation into the booking routes; capabilities above
 * screening pass it themselves.
 */
export type ScreeningSummaryReader = (db: Db, bookingIds: readonly string[]) => Promise<Map<string, ScreeningSummary>>;

export interface ScreeningSummary {
  outcome: Outcome;
  /** The decision's headline, addressed to the client. */
  headline: string;
  medicalUrgency: 'same_day' | 'emergency' | null;
  intakeVersion: number;
  screenedAt: Date;
  clearance: 'not_required' | 'pending' | 'verified';
  documentsToReview: number;
}

/** Bookings as stored (booking's own tables only), aliased `b`; callers add their filters, then make views of the rows. */
export function bookingRows(db: Db) {
  return db
    .selectFrom('bookings as b')
    .selectAll('b')
    .select(
      sql<string | null>`(SELECT r.id FROM bookings r WHERE r.rescheduled_from = b.id LIMIT 1)`.as('rescheduled_to'),
    );
}

export type BookingRow = Awaited<ReturnType<ReturnType<typeof bookingRows>['executeTakeFirstOrThrow']>>;

/** What other capabilities say about a booking's people and place: names from accounts, zone and studio from therapists. */
export interface PartyNames {
  therapist_name: string;
  therapist_zone: string;
  client_name: string;
  studio_name: string | null;
}

/** The rows with their parties' names, the therapist's zone and the studio's name, in three queries whatever their number. */
export async function withPartyNames<R extends { therapist_id: string; client_id: string; studio_id: string | null }>(
  db: Db,
  rows: readonly R[],
): Promise<(R & PartyNames)[]> {
  if (rows.length === 0) return [];
  const [names, zones, studios] = await Promise.all([
    displayNameMap(
      db,
      rows.flatMap((r) => [r.therapist_id, r.client_id]),
    ),
    therapistZonesOf(
      db,
      rows.map((r) => r.therapist_id),
    ),
    studioNamesOf(
      db,
      rows.flatMap((r) => (r.studio_id ? [r.studio_id] : [])),
    ),
  ]);
  return rows.map((r) => ({
    ...r,
    therapist_name: names.get(r.therapist_id)!,
    therapist_zone: zones.get(r.therapist_id)!,
    client_name: names.get(r.client_id)!,
    studio_name: r.studio_id ? (studios.get(r.studio_id) ?? null) : null,
  }));
}

/** One booking as stored, with its parties' names (throws when there is none). */
export async function namedBookingById(db: Db, id: string): Promise<BookingRow & PartyNames> {
  const [row] = await withPartyNames(db, [await bookingRows(db).where('b.id', '=', id).executeTakeFirstOrThrow()]);
  return row!;
}

type ViewRow = BookingRow & PartyNames;

/**
 * The screening outcome and clearance status are booking state, shown to those who may read the client's health
 * data; what explains them (conditions, flags, reasons, documents) is read only through the audited endpoints.
 */
function screeningSummary(
  row: ViewRow,
  s: ScreeningSummary | undefined,
  viewer: SignedInUser,
): BookingView['screening'] {
  if (!s) return null;
  const therapistAccess = viewer.id === row.therapist_id && bookingGivesHealthAccess(row.status);
  if (viewer.role !== 'operator' && viewer.id !== row.client_id && !therapistAccess) return null;
  return {
    outcome: s.outcome,
    headline: viewer.id === row.client_id ? s.headline : staffHeadline(s.outcome, s.medicalUrgency),
    intakeVersion: s.intakeVersion,
    screenedAt: s.screenedAt.toISOString(),
    clearance: s.clearance,
    documentsToReview: s.documentsToReview,
  };
}

/** Views of the rows as `viewer` sees them, in order; a fixed number of queries whatever the number of rows. */
export async function toBookingViews(
  db: Db,
  rows: readonly BookingRow[],
  viewer: SignedInUser,
  screenings: ScreeningSummaryReader,
): Promise<BookingView[]> {
  if (rows.length === 0) return [];
  const [named, summaries] = await Promise.all([
    withPartyNames(db, rows),
    screenings(
      db,
      rows.map((r) => r.id),
    ),
  ]);
  return named.map((row) => toBookingView(row, summaries.get(row.id), viewer));
}

/** The view of one booking, read by id (throws when there is none; no visibility check: see loadVisibleBooking). */
export async function bookingViewById(
  db: Db,
  id: string,
  viewer: SignedInUser,
  screenings: ScreeningSummaryReader,
): Promise<BookingView> {
  const row = await bookingRows(db).where('b.id', '=', id).executeTakeFirstOrThrow();
  return (await toBookingViews(db, [row], viewer, screenings))[0]!;
}

function toBookingView(row: ViewRow, screening: ScreeningSummary | undefined, viewer: SignedInUser): BookingView {
  return {
    id: row.id,
    status: row.status,
    allowedActions: allowedActions(row.status),
    therapist: { id: row.therapist_id, displayName: row.therapist_name, timeZone: row.therapist_zone },
    client: { id: row.client_id, displayName: row.client_name },
    mode: row.mode,
    studio: row.studio_id && row.studio_name ? { id: row.studio_id, name: row.studio_name } : null,
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    durationMin: row.duration_min,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    timeZone: row.time_zone,
    priceCents: row.price_cents,
    currency: row.currency,
    cancellationPolicy: row.cancellation_policy,
    cancellationTerms: describeCancellationPolicy(row.cancellation_policy, row.price_cents, row.currency),
    holdExpiresAt: iso(row.hold_expires_at),
    clearanceDueAt: iso(row.clearance_due_at),
    confirmedAt: iso(row.confirmed_at),
    cancelledAt: iso(row.cancelled_at),
    cancellationReason: row.cancellation_reason,
    cancellationFeeCents: row.cancellation_fee_cents,
    rescheduledFrom: row.rescheduled_from,
    rescheduledTo: row.rescheduled_to,
    courseId: row.course_id,
    pairId: row.pair_id,
    createdAt: row.created_at.toISOString(),
    screening: screeningSummary(row, screening, viewer),
  };
}

/**
 * The view of a booking this request just wrote, from the row the write returned, without reading it back. Only
 * for a booking nothing was rescheduled to (a new hold, a hold just confirmed: both are too young to have been
 * moved). What the write did not see is read: the therapist's name and, unless given, the zone and studio name
 * (the viewer's own name is the signed-in user's), and, unless given, screening's summary.
 */
export async function viewOfWritten(
  db: Db,
  row: Omit<BookingRow, 'rescheduled_to'>,
  viewer: SignedInUser,
  screenings: ScreeningSummaryReader,
  known?: { therapistZone: string; studioName: string | null; therapistName?: string; screening?: ScreeningSummary },
): Promise<BookingView> {
  const unmoved = { ...row, rescheduled_to: null };
  let named: ViewRow;
  if (known && viewer.id === row.client_id) {
    const therapistName = known.therapistName ?? (await displayNameMap(db, [row.therapist_id])).get(row.therapist_id)!;
    named = {
      ...unmoved,
      therapist_name: therapistName,
      therapist_zone: known.therapistZone,
      client_name: viewer.displayName,
      studio_name: known.studioName,
    };
  } else {
    named = (await withPartyNames(db, [unmoved]))[0]!;
  }
  const screening = known?.screening ?? (await screenings(db, [row.id])).get(row.id);
  return toBookingView(named, screening, viewer);
}

/** A booking as its client, its therapist or an operator sees it; anybody else gets 404, not a hint it exists. */
export async function loadVisibleBooking(
  db: Db,
  id: string,
  viewer: SignedInUser,
  screenings: ScreeningSummaryReader,
): Promise<BookingView> {
  const row = await bookingRows(db).where('b.id', '=', id).executeTakeFirst();
  if (!row || !canSeeBooking(viewer, row)) throw new ProblemError('not_found', 'No such booking');
  return (await toBookingViews(db, [row], viewer, screenings))[0]!;
}

export function canSeeBooking(viewer: SignedInUser, booking: { client_id: string; therapist_id: string }): boolean {
  return viewer.role === 'operator' || viewer.id === booking.client_id || viewer.id === booking.therapist_id;
}
