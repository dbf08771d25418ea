import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.js';
import { epochDayFromIsoDate } from '../scheduling/calendar-date.js';
import { availableSlots } from '../scheduling/slots.js';
import { type GeoPoint, haversineKm } from '../scheduling/travel.js';
import { localToInstant } from '../scheduling/zoned-time.js';
import type { Specialty } from '../therapists/specialty-catalogue.js';
import type { Gender } from '../therapists/therapist-tables.js';
import { MOBILE_LOCATION } from '../therapists/therapist-profile.js';
import { type TherapistCalendar, calendarOf, licenceEndsAt, loadBusy, loadOverrides, slotRules } from './therapist-calendar.js';

export interface AvailabilityQuery {
  durationMin: number;
  /** Calendar dates in the client's zone, inclusive. */
  from: string;
  to: string;
  zone: string;
  mode: 'studio' | 'home';
  point: GeoPoint;
  /** Studio mode: how far the client will go. Home mode: the therapist's own radius decides. */
  radiusKm: number;
  gender?: Gender;
  specialty?: Specialty;
  therapistId?: string;
  sort: 'earliest' | 'rating' | 'distance';
  page: number;
  pageSize: number;
  slotsPerTherapist: number;
}

export interface Offer {
  place: { mode: 'studio'; studioId: string; name: string; address: string } | { mode: 'home' };
  distanceKm: number;
  slots: number[];
  moreSlots: boolean;
}

export interface AvailabilityResult {
  therapist: { id: string; displayName: string; gender: Gender; specialties: string[]; rating: { average: number | null; count: number } };
  priceCents: number;
  currency: string;
  earliest: number;
  distanceKm: number;
  offers: Offer[];
}

export interface AvailabilityPage {
  total: number;
  results: AvailabilityResult[];
}

interface Candidate {
  calendar: TherapistCalendar;
  therapist: AvailabilityResult['therapist'];
  priceCents: number;
  currency: string;
  places: { location: string; point: GeoPoint; distanceKm: number; place: Offer['place'] }[];
}

const KM_PER_DEGREE_LAT = 111.32;
const MAX_MOBILE_RADIUS_KM = 100;

/** The instants [from 00:00, day after `to` 00:00) in the client's zone. */
export function searchWindow(query: Pick<AvailabilityQuery, 'from' | 'to' | 'zone'>): { from: number; to: number } {
  return {
    from: localToInstant(query.zone, epochDayFromIsoDate(query.from)!, 0),
    to: localToInstant(query.zone, epochDayFromIsoDate(query.to)! + 1, 0),
  };
}

function boundingBox(point: GeoPoint, km: number) {
  const dLat = km / KM_PER_DEGREE_LAT;
  const dLng = km / (KM_PER_DEGREE_LAT * Math.max(Math.cos((point.lat * Math.PI) / 180), 0.01));
  return { minLat: point.lat - dLat, maxLat: point.lat + dLat, minLng: point.lng - dLng, maxLng: point.lng + dLng };
}

async function findCandidates(db: Kysely<DB>, query: AvailabilityQuery): Promise<Candidate[]> {
  const box = boundingBox(query.point, query.mode === 'studio' ? query.radiusKm : MAX_MOBILE_RADIUS_KM);
  let base = db
    .selectFrom('therapists as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .innerJoin('therapist_services as svc', (join) =>
      join.onRef('svc.therapist_id', '=', 't.user_id').on('svc.duration_min', '=', query.durationMin),
    )
    .select([
      't.user_id',
      'u.display_name',
      't.gender',
      't.specialties',
      't.rating_average',
      't.rating_count',
      't.time_zone',
      't.weekly_hours',
      't.buffer_before_min',
      't.buffer_after_min',
      't.min_notice_min',
      't.booking_window_days',
      't.travel_speed_kmh',
      't.licence_expires_on',
      't.mobile_base_lat',
      't.mobile_base_lng',
      't.mobile_radius_km',
      'svc.price_cents',
      'svc.currency',
    ])
    .where('t.licence_status', '=', 'approved')
    .where('t.licence_expires_on', '>=', query.from);
  if (query.gender) base = base.where('t.gender', '=', query.gender);
  if (query.specialty) base = base.where(sql<boolean>`t.specialties @> ARRAY[${query.specialty}]::text[]`);
  if (query.therapistId) base = base.where('t.user_id', '=', query.therapistId);

  const candidates = new Map<string, Candidate>();
  const candidateOf = (row: Awaited<ReturnType<typeof base.execute>>[number]): Candidate => {
    let candidate = candidates.get(row.user_id);
    if (!candidate) {
      candidate = {
        calendar: calendarOf(row, []),
        therapist: {
          id: row.user_id,
          displayName: row.display_name,
          gender: row.gender as Gender,
          specialties: row.specialties,
          rating: { average: row.rating_average, count: row.rating_count },
        },
        priceCents: row.price_cents,
        currency: row.currency,
        places: [],
      };
      candidates.set(row.user_id, candidate);
    }
    return candidate;
  };

  if (query.mode === 'studio') {
    const rows = await base
      .innerJoin('studios as s', 's.therapist_id', 't.user_id')
      .select(['s.id as studio_id', 's.name as studio_name', 's.address as studio_address', 's.lat as studio_lat', 's.lng as studio_lng'])
      .where('s.archived_at', 'is', null)
      .where('s.lat', '>=', box.minLat)
      .where('s.lat', '<=', box.maxLat)
      .where('s.lng', '>=', box.minLng)
      .where('s.lng', '<=', box.maxLng)
      .execute();
    for (const row of rows) {
      const point = { lat: row.studio_lat, lng: row.studio_lng };
      const distanceKm = haversineKm(query.point, point);
      if (distanceKm > query.radiusKm) continue;
      candidateOf(row).places.push({
        location: `studio:${row.studio_id}`,
        point,
        distanceKm,
        place: { mode: 'studio', studioId: row.studio_id, name: row.studio_name, address: row.studio_address },
      });
    }
  } else {
    const rows = await base
      .where('t.mobile_radius_km', 'is not', null)
      .where('t.mobile_base_lat', '>=', box.minLat)
      .where('t.mobile_base_lat', '<=', box.maxLat)
      .where('t.mobile_base_lng', '>=', box.minLng)
      .where('t.mobile_base_lng', '<=', box.maxLng)
      .execute();
    for (const row of rows) {
      const distanceKm = haversineKm({ lat: row.mobile_base_lat!, lng: row.mobile_base_lng! }, query.point);
      if (distanceKm > row.mobile_radius_km!) continue;
      candidateOf(row).places.push({ location: MOBILE_LOCATION, point: query.point, distanceKm, place: { mode: 'home' } });
    }
  }
  return [...candidates.values()];
}

const byEarliest = (a: AvailabilityResult, b: AvailabilityResult) =>
  a.earliest - b.earliest || (b.therapist.rating.average ?? 0) - (a.therapist.rating.average ?? 0) || a.therapist.id.localeCompare(b.therapist.id);

const SORTS: Record<AvailabilityQuery['sort'], (a: AvailabilityResult, b: AvailabilityResult) => number> = {
  earliest: byEarliest,
  rating: (a, b) =>
    (b.therapist.rating.average ?? -1) - (a.therapist.rating.average ?? -1) ||
    b.therapist.rating.count - a.therapist.rating.count ||
    byEarliest(a, b),
  distance: (a, b) => a.distanceKm - b.distanceKm || byEarliest(a, b),
};

/**
 * Therapists who can take the session, each with the earliest start and, for the requested page only, the
 * slots per place. Ranking needs only each therapist's earliest start, which the engine finds cheaply with
 * limit 1; full slot lists are computed for the handful of therapists on the page.
 */
export async function searchAvailability(db: Kysely<DB>, query: AvailabilityQuery, now: number, stepMin: number): Promise<AvailabilityPage> {
  const window = searchWindow(query);
  const candidates = await findCandidates(db, query);
  const ids = candidates.map((c) => c.calendar.therapistId);
  const [overrides, busy] = await Promise.all([
    loadOverrides(db, ids, window.from, window.to),
    loadBusy(db, ids, window.from, window.to, now),
  ]);

  const ranked: { result: AvailabilityResult; candidate: Candidate }[] = [];
  for (const candidate of candidates) {
    const calendar = { ...candidate.calendar, overrides: overrides.get(candidate.calendar.therapistId) ?? [] };
    candidate.calendar = calendar;
    const to = Math.min(window.to, licenceEndsAt(calendar));
    const therapistBusy = busy.get(calendar.therapistId) ?? [];
    let earliest = Infinity;
    for (const place of candidate.places) {
      const first = availableSlots({
        ...slotRules(calendar, place, query.durationMin, stepMin, now),
        from: window.from,
        to,
        busy: therapistBusy,
        limit: 1,
      })[0];
      if (first !== undefined && first < earliest) earliest = first;
    }
    if (earliest === Infinity) continue;
    ranked.push({
      candidate,
      result: {
        therapist: candidate.therapist,
        priceCents: candidate.priceCents,
        currency: candidate.currency,
        earliest,
        distanceKm: Math.min(...candidate.places.map((p) => p.distanceKm)),
        offers: [],
      },
    });
  }
  ranked.sort((a, b) => SORTS[query.sort](a.result, b.result));

  const pageItems = ranked.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
  for (const { candidate, result } of pageItems) {
    const to = Math.min(window.to, licenceEndsAt(candidate.calendar));
    const therapistBusy = busy.get(candidate.calendar.therapistId) ?? [];
    result.offers = candidate.places
      .map((place) => {
        const slots = availableSlots({
          ...slotRules(candidate.calendar, place, query.durationMin, stepMin, now),
          from: window.from,
          to,
          busy: therapistBusy,
          limit: query.slotsPerTherapist + 1,
        });
        return {
          place: place.place,
          distanceKm: Math.round(place.distanceKm * 10) / 10,
          slots: slots.slice(0, query.slotsPerTherapist),
          moreSlots: slots.length > query.slotsPerTherapist,
        };
      })
      .filter((offer) => offer.slots.length > 0)
      .sort((a, b) => a.slots[0]! - b.slots[0]!);
    result.distanceKm = Math.round(result.distanceKm * 10) / 10;
  }
  return { total: ranked.length, results: pageItems.map((p) => p.result) };
}
