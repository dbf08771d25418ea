import { epochDayFromIsoDate } from '../scheduling/calendar-date.js';
import { type BusyInterval, slotsWithin } from '../scheduling/slots.js';
import { type GeoPoint, haversineKm } from '../scheduling/travel.js';
import { localToInstant } from '../scheduling/zoned-time.js';
import type { Specialty } from '../therapists/specialty-catalogue.js';
import type { Gender } from '../therapists/therapist-tables.js';
import { MOBILE_LOCATION } from '../therapists/therapist-profile.js';
import type { CalendarCache } from './calendar-cache.js';
import type { CachedTherapist } from './calendar-loader.js';
import { slotRules } from './therapist-calendar.js';

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
  /** Only this therapist (e.g. to reschedule with them). */
  therapistId?: string;
  /** Therapists kept apart from the signed-in client ("never" by either side), left out. */
  keptApart?: ReadonlySet<string>;
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

interface Place {
  location: string;
  point: GeoPoint;
  distanceKm: number;
  place: Offer['place'];
}

interface Candidate {
  therapist: CachedTherapist;
  priceCents: number;
  currency: string;
  places: Place[];
}

/** The instants [from 00:00, day after `to` 00:00) in the client's zone. */
export function searchWindow(query: Pick<AvailabilityQuery, 'from' | 'to' | 'zone'>): { from: number; to: number } {
  return {
    from: localToInstant(query.zone, epochDayFromIsoDate(query.from)!, 0),
    to: localToInstant(query.zone, epochDayFromIsoDate(query.to)! + 1, 0),
  };
}

/** Therapists who offer the service, match the filters, and have a place within reach of the client. */
function candidatesFor(therapists: Iterable<CachedTherapist>, query: AvailabilityQuery, window: { from: number }): Candidate[] {
  const candidates: Candidate[] = [];
  for (const therapist of therapists) {
    if (therapist.licenceEndsAt <= window.from) continue;
    const service = therapist.services.get(query.durationMin);
    if (!service) continue;
    if (query.gender && therapist.gender !== query.gender) continue;
    if (query.specialty && !therapist.specialties.includes(query.specialty)) continue;
    if (query.therapistId && therapist.id !== query.therapistId) continue;
    if (query.keptApart?.has(therapist.id)) continue;
    const places: Place[] = [];
    if (query.mode === 'studio') {
      for (const studio of therapist.studios) {
        const distanceKm = haversineKm(query.point, studio.point);
        if (distanceKm > query.radiusKm) continue;
        places.push({
          location: `studio:${studio.id}`,
          point: studio.point,
          distanceKm,
          place: { mode: 'studio', studioId: studio.id, name: studio.name, address: studio.address },
        });
      }
    } else if (therapist.mobileArea) {
      const distanceKm = haversineKm(therapist.mobileArea.point, query.point);
      if (distanceKm <= therapist.mobileArea.radiusKm) {
        places.push({ location: MOBILE_LOCATION, point: query.point, distanceKm, place: { mode: 'home' } });
      }
    }
    if (places.length > 0) candidates.push({ therapist, priceCents: service.priceCents, currency: service.currency, places });
  }
  return candidates;
}

/** Bookings plus the holds that have not yet lapsed at `now`. */
function busyAt(therapist: CachedTherapist, now: number): readonly BusyInterval[] {
  if (therapist.holds.length === 0) return therapist.busy;
  const live = therapist.holds.filter((hold) => hold.expiresAt > now);
  return live.length === 0 ? therapist.busy : [...therapist.busy, ...live].sort((a, b) => a.start - b.start);
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
 * limit 1 over working intervals the cache keeps; full slot lists are computed for the handful on the page.
 */
export async function searchAvailability(cache: CalendarCache, query: AvailabilityQuery, now: number, stepMin: number): Promise<AvailabilityPage> {
  const window = searchWindow(query);
  const therapists = await cache.fresh(now);
  const slotsAt = (candidate: Candidate, place: Place, limit: number) => {
    const { therapist } = candidate;
    return slotsWithin(cache.working(therapist, place.location, now, query.durationMin), {
      ...slotRules(therapist.calendar, place, query.durationMin, stepMin, now),
      from: window.from,
      to: Math.min(window.to, therapist.licenceEndsAt),
      busy: busyAt(therapist, now),
      limit,
    });
  };

  const ranked: { result: AvailabilityResult; candidate: Candidate }[] = [];
  for (const candidate of candidatesFor(therapists, query, window)) {
    let earliest = Infinity;
    for (const place of candidate.places) {
      const first = slotsAt(candidate, place, 1)[0];
      if (first !== undefined && first < earliest) earliest = first;
    }
    if (earliest === Infinity) continue;
    const { therapist } = candidate;
    ranked.push({
      candidate,
      result: {
        therapist: {
          id: therapist.id,
          displayName: therapist.displayName,
          gender: therapist.gender,
          specialties: [...therapist.specialties],
          rating: therapist.rating,
        },
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
    result.offers = candidate.places
      .map((place) => {
        const slots = slotsAt(candidate, place, query.slotsPerTherapist + 1);
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
