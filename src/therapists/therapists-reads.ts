import { type Kysely, type Transaction, sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { type GeoBox, boxAround } from '../domain/geo-box.js';
import type { DB } from '../schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What other capabilities may learn about therapists, their services, studios, markets and schedule overrides,
 * without naming those tables: each function answers one question in one query (lists with `in` or `ANY`, never one
 * query per therapist). Pass the caller's `trx` inside a transaction.
 */

import type { Gender } from './therapist-tables.js';

export type { Gender };

/** Every therapist, or only these: how the batched reads below are scoped. */
export type TherapistScope = { all: true } | { ids: readonly string[] };

const inScope = (scope: TherapistScope, column: string) =>
  'all' in scope ? sql<boolean>`true` : sql<boolean>`${sql.ref(column)} = ANY(${sql.val(scope.ids)}::uuid[])`;

/** The therapist's whole row (profile, hours, policy, licence); undefined when there is none. */
export function therapistById(db: Db, therapistId: string) {
  return db.selectFrom('therapists').selectAll().where('user_id', '=', therapistId).executeTakeFirst();
}

/** The therapist's IANA time zone (throws when there is no such therapist). */
export async function therapistTimeZone(db: Db, therapistId: string): Promise<string> {
  const row = await db
    .selectFrom('therapists')
    .select('time_zone')
    .where('user_id', '=', therapistId)
    .executeTakeFirstOrThrow();
  return row.time_zone;
}

/** The market's IANA time zone; UTC for a market there is not. */
export async function marketTimeZone(db: Db, market: string): Promise<string> {
  const row = await db.selectFrom('markets').select('time_zone').where('id', '=', market).executeTakeFirst();
  return row?.time_zone ?? 'UTC';
}

/** Studios' names (archived ones too), as a derived table other capabilities may join. */
export function studioNames(db: Db) {
  return db.selectFrom('studios').select(['id', 'name']);
}

/** The therapists' IANA time zones by id. */
export async function therapistZonesOf(db: Db, therapistIds: readonly string[]): Promise<Map<string, string>> {
  if (therapistIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('therapists')
    .select(['user_id', 'time_zone'])
    .where('user_id', 'in', [...new Set(therapistIds)])
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.time_zone]));
}

/** How fast the therapist travels between visits, in km/h (throws when there is no such therapist). */
export async function travelSpeedOf(db: Db, therapistId: string): Promise<number> {
  const row = await db
    .selectFrom('therapists')
    .select('travel_speed_kmh')
    .where('user_id', '=', therapistId)
    .executeTakeFirstOrThrow();
  return row.travel_speed_kmh;
}

/** Locks the therapist's row for the rest of the transaction (throws when there is none). */
export async function lockTherapist(trx: Transaction<DB>, therapistId: string): Promise<void> {
  await trx
    .selectFrom('therapists')
    .select('user_id')
    .where('user_id', '=', therapistId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Sets the rating search shows for the therapist (the mean of their clients' ratings, and how many). */
export async function setTherapistRating(
  trx: Transaction<DB>,
  therapistId: string,
  rating: { average: number | null; count: number },
): Promise<void> {
  await trx
    .updateTable('therapists')
    .set({ rating_average: rating.average, rating_count: rating.count })
    .where('user_id', '=', therapistId)
    .execute();
}

/** One of the therapist's studios that is not archived; undefined otherwise. */
export function activeStudioOf(db: Db, therapistId: string, studioId: string) {
  return db
    .selectFrom('studios')
    .select(['address', 'lat', 'lng', 'time_zone', 'name'])
    .where('id', '=', studioId)
    .where('therapist_id', '=', therapistId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
}

/** Studios' names by id, archived ones too. */
export async function studioNamesOf(db: Db, studioIds: readonly string[]): Promise<Map<string, string>> {
  if (studioIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('studios')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(studioIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The therapist's studios' ids and names, archived ones too (extra hours written before a studio closed still name it). */
export function studioNamesOfTherapist(db: Db, therapistId: string) {
  return db.selectFrom('studios').select(['id', 'name']).where('therapist_id', '=', therapistId).execute();
}

/** The unit distances are shown in for the market (throws when there is no such market). */
export async function distanceUnitOf(db: Db, market: string): Promise<'km' | 'mi'> {
  const row = await db.selectFrom('markets').select('distance_unit').where('id', '=', market).executeTakeFirstOrThrow();
  return row.distance_unit;
}

/** A therapist's market as its note-retention rule reads it: name, zone and retention in years. */
export interface NoteRetentionRule {
  market: string;
  marketName: string;
  timeZone: string;
  years: number;
}

/** Each therapist's market's note-retention rule, by therapist id, in one query. */
export async function noteRetentionRulesOf(
  db: Db,
  therapistIds: readonly string[],
): Promise<Map<string, NoteRetentionRule>> {
  if (therapistIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('therapists as t')
    .innerJoin('markets as m', 'm.id', 't.market')
    .select(['t.user_id', 'm.id', 'm.name', 'm.time_zone', 'm.note_retention_years'])
    .where('t.user_id', 'in', [...new Set(therapistIds)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.user_id,
      { market: r.id, marketName: r.name, timeZone: r.time_zone, years: r.note_retention_years },
    ]),
  );
}

/** One therapist's schedule overrides, whole rows, on dates from `fromDate` to `toDate`, by date and creation. */
export function overrideRowsOf(db: Db, therapistId: string, fromDate: string, toDate: string) {
  return db
    .selectFrom('schedule_overrides')
    .selectAll()
    .where('therapist_id', '=', therapistId)
    .where('on_date', '>=', fromDate)
    .where('on_date', '<=', toDate)
    .orderBy('on_date')
    .orderBy('created_at')
    .execute();
}

/** Approved therapists (whole rows) whose licence runs at least until `licencedOn`. */
export function approvedTherapists(db: Db, scope: TherapistScope, licencedOn: string) {
  return db
    .selectFrom('therapists')
    .selectAll()
    .where('licence_status', '=', 'approved')
    .where('licence_expires_on', '>=', licencedOn)
    .where(inScope(scope, 'user_id'))
    .execute();
}

/** The therapists' services (length, price, currency). */
export function servicesIn(db: Db, scope: TherapistScope) {
  return db
    .selectFrom('therapist_services')
    .select(['therapist_id', 'duration_min', 'price_cents', 'currency'])
    .where(inScope(scope, 'therapist_id'))
    .execute();
}

/** The version of each therapist's profile photo, for those who have one (the bytes stay behind). */
export function photoVersionsIn(db: Db, scope: TherapistScope) {
  return db
    .selectFrom('therapist_photos')
    .select(['therapist_id', 'version'])
    .where(inScope(scope, 'therapist_id'))
    .execute();
}

/** The therapists' studios that are not archived. */
export function activeStudiosIn(db: Db, scope: TherapistScope) {
  return db
    .selectFrom('studios')
    .select(['id', 'therapist_id', 'name', 'address', 'lat', 'lng', 'time_zone'])
    .where('archived_at', 'is', null)
    .where(inScope(scope, 'therapist_id'))
    .execute();
}

/** The therapists' schedule overrides on dates from `fromDate` on. */
export function overridesFrom(db: Db, scope: TherapistScope, fromDate: string) {
  return db
    .selectFrom('schedule_overrides')
    .select(['therapist_id', 'on_date', 'kind', 'intervals'])
    .where('on_date', '>=', fromDate)
    .where(inScope(scope, 'therapist_id'))
    .execute();
}

/** Therapists' own zones, as a derived table to join: `.innerJoin(therapistZones(db).as('t'), 't.user_id', 'x.therapist_id')`. */
export function therapistZones(db: Db) {
  return db.selectFrom('therapists').select(['user_id', 'time_zone']);
}

/** The therapists' licence numbers and regions by id (a superbill prints them); null where none is on file. */
export async function licencesOf(
  db: Db,
  therapistIds: readonly string[],
): Promise<Map<string, { licenceNumber: string | null; licenceRegion: string | null }>> {
  if (therapistIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('therapists')
    .select(['user_id', 'licence_number', 'licence_region'])
    .where('user_id', 'in', [...new Set(therapistIds)])
    .execute();
  return new Map(rows.map((r) => [r.user_id, { licenceNumber: r.licence_number, licenceRegion: r.licence_region }]));
}

/**
 * The busy times of the therapists' other calendars (their last good reads) that end after `after`, as epoch
 * milliseconds computed by the database (search's calendar cache holds them with the bookings).
 */
export function externalBusyIn(db: Db, scope: TherapistScope, after: number) {
  return db
    .selectFrom('external_busy_times')
    .select([
      'therapist_id',
      sql<number>`(extract(epoch FROM starts_at) * 1000)::float8`.as('busy_start'),
      sql<number>`(extract(epoch FROM ends_at) * 1000)::float8`.as('busy_end'),
    ])
    .where('ends_at', '>', new Date(after))
    .where(inScope(scope, 'therapist_id'))
    .execute();
}

/** What placing one session asks about its therapist (see placementFacts). */
export interface PlacementQuestion {
  therapistId: string;
  /** The studio asked for; null at the client's home. */
  studioId: string | null;
  durationMin: number;
  /** The schedule overrides on dates from `overridesFrom` to `overridesTo` ('YYYY-MM-DD'). */
  overridesFrom: string;
  overridesTo: string;
  /** The busy times of the other calendars overlapping [busyFrom, busyTo), epoch ms. */
  busyFrom: number;
  busyTo: number;
}

/**
 * Everything placing a session reads about its therapist, as one statement: the therapist's whole row (`t`, none
 * when there is no such therapist) with the studio asked for when it is theirs and not archived
 * (`placement_studio`, else null), the price of a session of that length (`placement_service`, null when not
 * offered), the schedule overrides on the dates asked (`placement_overrides`) and the busy times of their other
 * calendars overlapping the span asked, by start, in epoch ms computed by the database (`placement_busy`). Returned
 * as a query so the caller may add its own columns (another capability's derived query) before running it.
 */
export function placementFacts(db: Db, q: PlacementQuestion) {
  const epochMs = (column: 'starts_at' | 'ends_at') =>
    sql<number>`floor(extract(epoch FROM ${sql.ref(column)}) * 1000)::float8`;
  return db
    .selectFrom('therapists as t')
    .selectAll('t')
    .select((eb) => [
      (q.studioId === null
        ? sql<null>`NULL`
        : jsonObjectFrom(
            eb
              .selectFrom('studios as s')
              .select(['s.address', 's.lat', 's.lng', 's.time_zone', 's.name'])
              .where('s.id', '=', q.studioId)
              .whereRef('s.therapist_id', '=', 't.user_id')
              .where('s.archived_at', 'is', null),
          )
      ).as('placement_studio'),
      jsonObjectFrom(
        eb
          .selectFrom('therapist_services as ts')
          .select(['ts.price_cents', 'ts.currency'])
          .whereRef('ts.therapist_id', '=', 't.user_id')
          .where('ts.duration_min', '=', q.durationMin),
      ).as('placement_service'),
      jsonArrayFrom(
        eb
          .selectFrom('schedule_overrides as so')
          .select(['so.on_date', 'so.kind', 'so.intervals'])
          .whereRef('so.therapist_id', '=', 't.user_id')
          .where('so.on_date', '>=', q.overridesFrom)
          .where('so.on_date', '<=', q.overridesTo),
      ).as('placement_overrides'),
      jsonArrayFrom(
        eb
          .selectFrom('external_busy_times as eb')
          .select([epochMs('starts_at').as('start'), epochMs('ends_at').as('end')])
          .whereRef('eb.therapist_id', '=', 't.user_id')
          .where('eb.ends_at', '>', new Date(q.busyFrom))
          .where('eb.starts_at', '<', new Date(q.busyTo))
          .orderBy('eb.starts_at'),
      ).as('placement_busy'),
    ])
    .where('t.user_id', '=', q.therapistId);
}

/** What a client looks for, as far as the database can narrow it: a place near them, a length, a kind of therapist. */
export interface ServiceWanted {
  durationMin: number;
  mode: 'studio' | 'home';
  point: { lat: number; lng: number };
  /** Studio mode: how far the client will go. Home mode: unused (the therapist's own travel area decides). */
  radiusKm: number;
  gender?: Gender | null;
  specialty?: string | null;
}

/** The furthest a therapist's travel area reaches (therapists.mobile_radius_km's CHECK). */
const MAX_MOBILE_RADIUS_KM = 100;

/**
 * Approved therapists (licence running at least until `licencedOn`) who offer the length and may serve the point:
 * with a studio that is not archived inside the box around it (studio mode), or a travel area whose base lies close
 * enough that it may reach it (home mode), by id. A superset of those whose place is within the exact distance (the
 * caller measures that); every one who is, is in it. Answered from studios_position_idx / therapists_mobile_base_idx,
 * so it reads the therapists near the point, not the market.
 */
export async function therapistsWhoCouldServe(db: Db, wanted: ServiceWanted, licencedOn: string): Promise<string[]> {
  const within = (lat: string, lng: string, box: GeoBox) =>
    box.west === undefined
      ? sql<boolean>`${sql.ref(lat)} BETWEEN ${box.south} AND ${box.north}`
      : sql<boolean>`${sql.ref(lat)} BETWEEN ${box.south} AND ${box.north} AND ${sql.ref(lng)} BETWEEN ${box.west} AND ${box.east!}`;
  // The length through a correlated subplan (looked up per therapist found by its index), never a join the
  // planner could answer by reading every therapist's services.
  const kind = sql<boolean>`${wanted.durationMin}::int = ANY (ARRAY(SELECT ts.duration_min FROM therapist_services ts WHERE ts.therapist_id = t.user_id))
    ${wanted.gender ? sql`AND t.gender = ${wanted.gender}` : sql``}
    ${wanted.specialty ? sql`AND ${wanted.specialty}::text = ANY(t.specialties)` : sql``}`;
  const rows =
    wanted.mode === 'studio'
      ? await sql<{ user_id: string }>`
          SELECT DISTINCT t.user_id FROM studios s JOIN therapists t ON t.user_id = s.therapist_id
          WHERE s.archived_at IS NULL AND ${within('s.lat', 's.lng', boxAround(wanted.point, wanted.radiusKm))}
            AND t.licence_status = 'approved' AND t.licence_expires_on >= ${licencedOn}::date AND ${kind}
          ORDER BY t.user_id`.execute(db)
      : await sql<{ user_id: string }>`
          SELECT t.user_id FROM therapists t
          WHERE t.mobile_radius_km IS NOT NULL AND t.licence_status = 'approved'
            AND ${within('t.mobile_base_lat', 't.mobile_base_lng', boxAround(wanted.point, MAX_MOBILE_RADIUS_KM))}
            AND abs(t.mobile_base_lat - ${wanted.point.lat}) * 110.5 <= t.mobile_radius_km
            AND t.licence_expires_on >= ${licencedOn}::date AND ${kind}
          ORDER BY t.user_id`.execute(db);
  return rows.rows.map((r) => r.user_id);
}
