import { type Kysely, type Transaction, sql } from 'kysely';
import { z } from 'zod';
import { displayNameMap } from '../accounts/accounts-reads.js';
import type { CancellationPolicy } from '../booking/engine/cancellation-policy.js';
import type { Freshness } from '../db/read-replicas.js';
import type { DB } from '../schema.js';
import type { WeeklyRule } from '../scheduling/engine/working-hours.js';
import type { Specialty } from '../domain/specialties.js';
import { ProblemError } from '../domain/problems.js';
import type { LicenceStatus } from './therapist-tables.js';
import {
  type Place,
  type WeeklyHoursRule,
  durationSchema,
  genderSchema,
  specialtySchema,
  weeklyHoursRuleSchema,
} from './engine/therapist-schemas.js';

export const MOBILE_LOCATION = 'mobile';

/** The scheduling engine names places by key; the API names them by mode and studio. */
export function locationKey(place: Place): string {
  return place.mode === 'home' ? MOBILE_LOCATION : `studio:${place.studioId}`;
}

export function placeOfLocationKey(key: string): Place {
  return key === MOBILE_LOCATION ? { mode: 'home' } : { mode: 'studio', studioId: key.slice('studio:'.length) };
}

export const toWeeklyRule = (rule: WeeklyHoursRule): WeeklyRule => ({
  weekday: rule.weekday as WeeklyRule['weekday'],
  start: rule.start,
  end: rule.end,
  location: locationKey(rule.place),
});

export const fromWeeklyRule = (rule: WeeklyRule): WeeklyHoursRule => ({
  weekday: rule.weekday,
  start: rule.start,
  end: rule.end,
  place: placeOfLocationKey(rule.location),
});

export const serviceSchema = z
  .object({
    durationMin: durationSchema,
    priceCents: z.number().int().min(100).max(10_000_000),
    currency: z.string().regex(/^[A-Z]{3}$/, 'Use a 3-letter ISO currency code'),
  })
  .strict();

export const studioSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  timeZone: z
    .string()
    .describe("The IANA zone at the studio's coordinates: sessions there are shown in its local time"),
});

export const therapistProfileSchema = z
  .object({
    id: z.uuid(),
    displayName: z.string(),
    market: z.string(),
    gender: genderSchema,
    bio: z.string(),
    licence: z.object({
      number: z.string().nullable(),
      region: z.string().nullable(),
      expiresOn: z.string().nullable(),
      status: z.enum(['pending', 'approved', 'rejected']),
      reviewedAt: z.iso.datetime().nullable(),
      reviewNote: z.string().nullable(),
    }),
    specialties: z.array(specialtySchema),
    languages: z.array(z.string()).describe('Languages the therapist gives sessions in, as they wrote them'),
    yearsInPractice: z.number().int().nullable(),
    photo: z
      .object({
        url: z.string().describe('Changes with every upload, so it may be cached for long'),
        width: z.number().int(),
        height: z.number().int(),
      })
      .nullable(),
    timeZone: z.string(),
    services: z.array(serviceSchema),
    studios: z.array(studioSchema),
    mobileArea: z
      .object({ label: z.string().nullable(), lat: z.number(), lng: z.number(), radiusKm: z.number() })
      .nullable(),
    weeklyHours: z.array(weeklyHoursRuleSchema),
    bufferBeforeMin: z.number(),
    bufferAfterMin: z.number(),
    minNoticeMin: z.number(),
    bookingWindowDays: z.number(),
    travelSpeedKmh: z.number(),
    cancellationPolicy: z.object({
      freeUntilHoursBefore: z.number(),
      lateFeePercent: z.number(),
      graceMinutes: z.number(),
    }),
    rating: z.object({ average: z.number().nullable(), count: z.number() }),
    searchable: z.boolean().describe('Approved, licence in date, with services and weekly hours'),
  })
  .meta({ id: 'TherapistProfile' });

export type TherapistProfile = z.infer<typeof therapistProfileSchema>;

type Db = Kysely<DB> | Transaction<DB>;

export function policyOf(
  row: { cancellation_cutoff_hours: number; late_cancellation_fee_percent: number },
  graceMinutes: number,
): CancellationPolicy {
  return {
    freeUntilHoursBefore: row.cancellation_cutoff_hours,
    lateFeePercent: row.late_cancellation_fee_percent,
    graceMinutes,
  };
}

/** The licence lets the therapist appear in search: approved by an operator, and not expired on `today`. */
export function licenceIsValid(licence: { status: LicenceStatus; expiresOn: string | null }, today: string): boolean {
  return licence.status === 'approved' && licence.expiresOn !== null && licence.expiresOn >= today;
}

/** Where a photo is served; the version in the address changes with every upload. */
export const photoUrl = (therapistId: string, version: number) => `/api/therapists/${therapistId}/photo?v=${version}`;

/** Where the photo's small square thumbnail (search results, booking lines) is served. */
export const photoThumbnailUrl = (therapistId: string, version: number) =>
  `${photoUrl(therapistId, version)}&size=thumb`;

/**
 * What serving a therapist's photo needs to know, in one query and without the bytes or the rest of the profile:
 * the photo's version (null without one) and whether anybody may see it (the profile is searchable, by the same
 * rule `loadTherapistProfile` applies), or only the therapist and operators. 404 when `viewer` may not see it.
 */
export async function photoAsSeenBy(
  db: Db,
  therapistId: string,
  viewer: { id: string; role: string } | null | undefined,
  today: string,
): Promise<{ version: number | null; public: boolean }> {
  const row = await db
    .selectFrom('therapists')
    .leftJoin('therapist_photos', 'therapist_photos.therapist_id', 'therapists.user_id')
    .select(['therapists.licence_status', 'therapists.licence_expires_on', 'therapist_photos.version'])
    .select((eb) => [
      sql<number>`jsonb_array_length(${eb.ref('therapists.weekly_hours')})`.as('weekly_rules'),
      eb
        .exists(
          eb
            .selectFrom('therapist_services')
            .select('therapist_services.therapist_id')
            .whereRef('therapist_services.therapist_id', '=', 'therapists.user_id'),
        )
        .as('has_services'),
    ])
    .where('therapists.user_id', '=', therapistId)
    .executeTakeFirst();
  const searchable =
    !!row &&
    licenceIsValid({ status: row.licence_status, expiresOn: row.licence_expires_on }, today) &&
    !!row.has_services &&
    Number(row.weekly_rules) > 0;
  const privileged = viewer?.role === 'operator' || viewer?.id === therapistId;
  if (!row || (!searchable && !privileged)) throw new ProblemError('not_found', 'No such therapist');
  return { version: row.version, public: searchable };
}

type Viewer = { id: string; role: string } | null | undefined;

/**
 * How fresh a read of a therapist's public pages (profile, reviews) must be for `viewer`, when a replica may serve it
 * (DATABASE_READ_URLS; docs/ARCHITECTURE.md, scale-out):
 * - nobody signed in: `within-lag`. An anonymous reader wrote nothing there that it could miss; an edit of the
 *   therapist's or a new review reaches it within the bound (1 s), as a page already open would show it late anyway.
 * - the therapist and operators: `primary`. They read right after writing (the profile editor, a reply, a licence
 *   review, a hidden review), and they see what others do not (licence number, review note, hidden reviews).
 * - anybody else signed in (a client): `caught-up`. A client may have just rated or reviewed the therapist and must
 *   find it there, so the replica must have every commit made before the read, as search's do.
 */
export function publicPageFreshness(viewer: Viewer, therapistId: string): Freshness {
  if (!viewer) return 'within-lag';
  if (viewer.role === 'operator' || viewer.id === therapistId) return 'primary';
  return 'caught-up';
}

/** Whether `viewer` may see `profile`: anybody once the therapist is searchable, the therapist and operators always. */
export function mayViewProfile(profile: TherapistProfile | undefined, viewer: Viewer): profile is TherapistProfile {
  return !!profile && (profile.searchable || viewer?.role === 'operator' || viewer?.id === profile.id);
}

/**
 * `profile` as `viewer` may see it (see mayViewProfile), without the licence number and the review note for anybody
 * but the therapist and operators. 404 otherwise.
 */
export function profileAsSeenBy(profile: TherapistProfile | undefined, viewer: Viewer): TherapistProfile {
  if (!mayViewProfile(profile, viewer)) throw new ProblemError('not_found', 'No such therapist');
  const privileged = viewer?.role === 'operator' || viewer?.id === profile.id;
  return privileged ? profile : { ...profile, licence: { ...profile.licence, number: null, reviewNote: null } };
}

export async function loadTherapistProfile(
  db: Db,
  therapistId: string,
  graceMinutes: number,
  today: string,
): Promise<TherapistProfile | undefined> {
  const row = await db.selectFrom('therapists').selectAll().where('user_id', '=', therapistId).executeTakeFirst();
  if (!row) return undefined;
  const [names, services, studios, photo] = await Promise.all([
    displayNameMap(db, [therapistId]),
    db
      .selectFrom('therapist_services')
      .select(['duration_min', 'price_cents', 'currency'])
      .where('therapist_id', '=', therapistId)
      .orderBy('duration_min')
      .execute(),
    db
      .selectFrom('studios')
      .select(['id', 'name', 'address', 'lat', 'lng', 'time_zone as timeZone'])
      .where('therapist_id', '=', therapistId)
      .where('archived_at', 'is', null)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('therapist_photos')
      .select(['version', 'width', 'height'])
      .where('therapist_id', '=', therapistId)
      .executeTakeFirst(),
  ]);
  const weeklyHours = row.weekly_hours.map(fromWeeklyRule);
  const licence = {
    number: row.licence_number,
    region: row.licence_region,
    expiresOn: row.licence_expires_on,
    status: row.licence_status,
    reviewedAt: row.licence_reviewed_at?.toISOString() ?? null,
    reviewNote: row.licence_review_note,
  };
  return {
    id: row.user_id,
    displayName: names.get(therapistId)!,
    market: row.market,
    gender: row.gender,
    bio: row.bio,
    licence,
    specialties: row.specialties as Specialty[],
    languages: row.languages,
    yearsInPractice: row.years_in_practice,
    photo: photo ? { url: photoUrl(therapistId, photo.version), width: photo.width, height: photo.height } : null,
    timeZone: row.time_zone,
    services: services.map((s) => ({
      durationMin: s.duration_min as 60 | 90 | 120,
      priceCents: s.price_cents,
      currency: s.currency,
    })),
    studios,
    mobileArea:
      row.mobile_radius_km !== null && row.mobile_base_lat !== null && row.mobile_base_lng !== null
        ? {
            label: row.mobile_base_label,
            lat: row.mobile_base_lat,
            lng: row.mobile_base_lng,
            radiusKm: row.mobile_radius_km,
          }
        : null,
    weeklyHours,
    bufferBeforeMin: row.buffer_before_min,
    bufferAfterMin: row.buffer_after_min,
    minNoticeMin: row.min_notice_min,
    bookingWindowDays: row.booking_window_days,
    travelSpeedKmh: row.travel_speed_kmh,
    cancellationPolicy: policyOf(row, graceMinutes),
    rating: { average: row.rating_average, count: row.rating_count },
    searchable: licenceIsValid(licence, today) && services.length > 0 && weeklyHours.length > 0,
  };
}
