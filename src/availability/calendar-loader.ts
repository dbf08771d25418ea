import type { Kysely } from 'kysely';
import { displayNameMap } from '../accounts/accounts-reads.js';
import { busyBookingsIn } from '../booking/booking-reads.js';
import type { DB } from '../schema.js';
import type { BusyInterval } from '../scheduling/engine/slots.js';
import type { GeoPoint } from '../scheduling/engine/travel.js';
import {
  type Gender,
  type TherapistScope,
  activeStudiosIn,
  approvedTherapists,
  externalBusyIn,
  overridesFrom,
  photoVersionsIn,
  servicesIn,
} from '../therapists/therapists-reads.js';
import { todayIn } from '../therapists/today.js';
import { photoThumbnailUrl } from '../therapists/therapist-profile.js';
import { type TherapistCalendar, calendarOf, dateOverrideOf, licenceEndsAt } from '../therapists/therapist-calendar.js';

const DAY = 86_400_000;

/** Everything search needs about one approved therapist, held in memory by the calendar cache. */
export interface CachedTherapist {
  id: string;
  displayName: string;
  market: string;
  gender: Gender;
  specialties: readonly string[];
  rating: { average: number | null; count: number };
  /** The address of the profile photo's small square thumbnail; null without a photo. */
  photoUrl: string | null;
  calendar: TherapistCalendar;
  /** The first instant the licence no longer covers. */
  licenceEndsAt: number;
  services: ReadonlyMap<number, { priceCents: number; currency: string }>;
  /** Each with its scheduling location key ('studio:<id>'). */
  studios: readonly { id: string; locationKey: string; name: string; address: string; point: GeoPoint; zone: string }[];
  mobileArea: { point: GeoPoint; radiusKm: number } | null;
  /**
   * Bookings that hold time (holds excepted), widened by their own buffers, and the busy times of the therapist's
   * other calendars (no place: no travel), sorted by start.
   */
  busy: readonly BusyInterval[];
  /** Live holds: busy until they expire; sorted by start. */
  holds: readonly (BusyInterval & { expiresAt: number })[];
}

type Scope = TherapistScope;

/**
 * Approved therapists with a licence still in date, with their services, studios, overrides from yesterday on
 * and bookings and busy times of their other calendars that have not ended a day ago, in eight batched queries (names
 * come from accounts, bookings from booking). Instants come back as epoch
 * milliseconds computed by the database: decoding thousands of timestamps is what made search slow.
 */
export async function loadCachedTherapists(
  db: Kysely<DB>,
  scope: Scope,
  now: number,
): Promise<Map<string, CachedTherapist>> {
  const yesterday = todayIn('UTC', now - DAY);
  const therapists = await approvedTherapists(db, scope, yesterday);
  const loaded = new Map<string, CachedTherapist>();
  if (therapists.length === 0) return loaded;
  const ids = 'all' in scope ? { all: true as const } : { ids: therapists.map((t) => t.user_id) };

  const [names, services, studios, overrides, bookings, external, photos] = await Promise.all([
    displayNameMap(
      db,
      therapists.map((t) => t.user_id),
    ),
    servicesIn(db, ids),
    activeStudiosIn(db, ids),
    overridesFrom(db, ids, todayIn('UTC', now - 2 * DAY)),
    busyBookingsIn(db, ids, now),
    externalBusyIn(db, ids, now - DAY),
    photoVersionsIn(db, ids),
  ]);
  const photoVersionOf = new Map(photos.map((p) => [p.therapist_id, p.version]));

  const group = <T extends { therapist_id: string }>(rows: T[]) => {
    const byTherapist = new Map<string, T[]>();
    for (const row of rows) {
      const list = byTherapist.get(row.therapist_id);
      if (list) list.push(row);
      else byTherapist.set(row.therapist_id, [row]);
    }
    return byTherapist;
  };
  const servicesOf = group(services);
  const studiosOf = group(studios);
  const overridesOf = group(overrides);
  const bookingsOf = group(bookings);
  const externalOf = group(external);

  for (const row of therapists) {
    const calendar = calendarOf(row, (overridesOf.get(row.user_id) ?? []).map(dateOverrideOf));
    const busy: BusyInterval[] = [];
    const holds: (BusyInterval & { expiresAt: number })[] = [];
    for (const b of bookingsOf.get(row.user_id) ?? []) {
      const interval = { start: b.busy_start, end: b.busy_end, point: { lat: b.lat, lng: b.lng } };
      if (b.status === 'held') holds.push({ ...interval, expiresAt: b.hold_expires! });
      else busy.push(interval);
    }
    for (const b of externalOf.get(row.user_id) ?? []) busy.push({ start: b.busy_start, end: b.busy_end, point: null });
    busy.sort((a, b) => a.start - b.start);
    holds.sort((a, b) => a.start - b.start);
    loaded.set(row.user_id, {
      id: row.user_id,
      displayName: names.get(row.user_id)!,
      market: row.market,
      gender: row.gender,
      specialties: row.specialties,
      rating: { average: row.rating_average, count: row.rating_count },
      photoUrl: photoVersionOf.has(row.user_id)
        ? photoThumbnailUrl(row.user_id, photoVersionOf.get(row.user_id)!)
        : null,
      calendar,
      licenceEndsAt: licenceEndsAt(calendar),
      services: new Map(
        (servicesOf.get(row.user_id) ?? []).map((s) => [
          s.duration_min,
          { priceCents: s.price_cents, currency: s.currency },
        ]),
      ),
      studios: (studiosOf.get(row.user_id) ?? []).map((s) => ({
        id: s.id,
        locationKey: `studio:${s.id}`,
        name: s.name,
        address: s.address,
        point: { lat: s.lat, lng: s.lng },
        zone: s.time_zone,
      })),
      mobileArea:
        row.mobile_radius_km !== null && row.mobile_base_lat !== null && row.mobile_base_lng !== null
          ? { point: { lat: row.mobile_base_lat, lng: row.mobile_base_lng }, radiusKm: row.mobile_radius_km }
          : null,
      busy,
      holds,
    });
  }
  return loaded;
}
