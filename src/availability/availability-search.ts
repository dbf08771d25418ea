import { epochDayFromIsoDate } from '../scheduling/engine/calendar-date.js';
import { type BusyInterval, type SlotQuery, slotsWithin } from '../scheduling/engine/slots.js';
import { zoneAt } from '../scheduling/engine/place-zone.js';
import { type GeoPoint, haversineKm } from '../scheduling/engine/travel.js';
import { localDay, localEpochDayOf, localToInstant } from '../scheduling/engine/zoned-time.js';
import type { Specialty } from '../domain/specialties.js';
import { bayesianAverage } from '../domain/ratings.js';
import type { Gender } from '../therapists/therapists-reads.js';
import { MOBILE_LOCATION } from '../therapists/therapist-profile.js';
import type { CachedCalendars } from './cached-calendars.js';
import type { CalendarCache } from './calendar-cache.js';
import type { CachedTherapist } from './calendar-loader.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

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
  /** The place's IANA zone: its slots are shown as local time there. */
  timeZone: string;
  distanceKm: number;
  slots: number[];
  moreSlots: boolean;
}

export interface AvailabilityResult {
  therapist: {
    id: string;
    displayName: string;
    gender: Gender;
    specialties: string[];
    rating: { average: number | null; count: number };
    photoUrl: string | null;
  };
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

export interface Place {
  location: string;
  point: GeoPoint;
  zone: string;
  distanceKm: number;
  place: Offer['place'];
}

/** A therapist who can take the session, as ranking sees them: no more than sorting needs. */
interface Ranked {
  therapist: CachedTherapist;
  earliest: number;
  distanceKm: number;
  /** The Bayesian average of the therapist's ratings towards their market's mean (`domain/ratings.ts`). */
  ratingScore: number;
}

/** The instants [from 00:00, day after `to` 00:00) in the client's zone. */
export function searchWindow(query: Pick<AvailabilityQuery, 'from' | 'to' | 'zone'>): { from: number; to: number } {
  return {
    from: localToInstant(query.zone, epochDayFromIsoDate(query.from)!, 0),
    to: localToInstant(query.zone, epochDayFromIsoDate(query.to)! + 1, 0),
  };
}

/** A degree of latitude is at least this long; a cheap, never-wrong reject before the exact distance. */
const MIN_KM_PER_DEGREE_LAT = 110.5;

/** Whether two points are certainly further apart than `km`, judged by latitude alone. */
const surelyBeyond = (a: GeoPoint, b: GeoPoint, km: number) => Math.abs(a.lat - b.lat) * MIN_KM_PER_DEGREE_LAT > km;

function matchesFilters(therapist: CachedTherapist, query: AvailabilityQuery, windowFrom: number): boolean {
  return (
    therapist.licenceEndsAt > windowFrom &&
    therapist.services.has(query.durationMin) &&
    (!query.gender || therapist.gender === query.gender) &&
    (!query.specialty || therapist.specialties.includes(query.specialty)) &&
    (!query.therapistId || therapist.id === query.therapistId) &&
    !query.keptApart?.has(therapist.id)
  );
}

/** The places where this therapist could see the client: studios within the radius, or the client's home. */
export function placesFor(
  therapist: CachedTherapist,
  query: Pick<AvailabilityQuery, 'mode' | 'point' | 'radiusKm'>,
): Place[] {
  const places: Place[] = [];
  if (query.mode === 'studio') {
    for (const studio of therapist.studios) {
      if (surelyBeyond(query.point, studio.point, query.radiusKm)) continue;
      const distanceKm = haversineKm(query.point, studio.point);
      if (distanceKm > query.radiusKm) continue;
      places.push({
        location: studio.locationKey,
        point: studio.point,
        zone: studio.zone,
        distanceKm,
        place: { mode: 'studio', studioId: studio.id, name: studio.name, address: studio.address },
      });
    }
  } else if (
    therapist.mobileArea &&
    !surelyBeyond(therapist.mobileArea.point, query.point, therapist.mobileArea.radiusKm)
  ) {
    const distanceKm = haversineKm(therapist.mobileArea.point, query.point);
    if (distanceKm <= therapist.mobileArea.radiusKm) {
      places.push({
        location: MOBILE_LOCATION,
        point: query.point,
        zone: zoneAt(query.point),
        distanceKm,
        place: { mode: 'home' },
      });
    }
  }
  return places;
}

/** Bookings plus the holds that have not yet lapsed at `now`, sorted by start (both lists are kept sorted: a merge). */
export function busyAt(therapist: CachedTherapist, now: number): readonly BusyInterval[] {
  if (therapist.holds.length === 0) return therapist.busy;
  const live = therapist.holds.filter((hold) => hold.expiresAt > now);
  if (live.length === 0) return therapist.busy;
  const { busy } = therapist;
  const merged: BusyInterval[] = [];
  let b = 0;
  for (const hold of live) {
    while (b < busy.length && busy[b]!.start <= hold.start) merged.push(busy[b++]!);
    merged.push(hold);
  }
  while (b < busy.length) merged.push(busy[b++]!);
  return merged;
}

const byEarliest = (a: Ranked, b: Ranked) =>
  a.earliest - b.earliest || b.ratingScore - a.ratingScore || a.therapist.id.localeCompare(b.therapist.id);

const SORTS: Record<AvailabilityQuery['sort'], (a: Ranked, b: Ranked) => number> = {
  earliest: byEarliest,
  rating: (a, b) =>
    b.ratingScore - a.ratingScore || b.therapist.rating.count - a.therapist.rating.count || byEarliest(a, b),
  distance: (a, b) => a.distanceKm - b.distanceKm || byEarliest(a, b),
};

/**
 * Therapists who can take the session, each with the earliest start and, for the requested page only, the
 * slots per place. Ranking needs only each therapist's earliest start, which the engine finds with limit 1 over
 * working intervals the cache keeps; full slot lists and result objects are made for the handful on the page.
 * The ranking loop reuses one engine query and allocates little: at thousands of therapists per search,
 * garbage collection, not arithmetic, is what costs.
 */
export async function searchAvailability(
  cache: CalendarCache,
  query: AvailabilityQuery,
  now: number,
  stepMin: number,
): Promise<AvailabilityPage> {
  await cache.fresh(now);
  return searchCalendars(cache.calendars, query, now, stepMin);
}

/** searchAvailability over calendars already current (synchronous: nothing changes them meanwhile). */
export function searchCalendars(
  calendars: CachedCalendars,
  query: AvailabilityQuery,
  now: number,
  stepMin: number,
): AvailabilityPage {
  const window = searchWindow(query);
  const engineQuery: SlotQuery = {
    zone: '',
    weekly: [],
    overrides: [],
    location: '',
    point: null,
    durationMin: query.durationMin,
    stepMin,
    bufferBeforeMin: 0,
    bufferAfterMin: 0,
    travelSpeedKmh: 1,
    minNoticeMin: 0,
    windowDays: 0,
    now,
    from: window.from,
    to: window.to,
    busy: [],
    busySorted: true,
    limit: 1,
  };
  const slotsAt = (
    therapist: CachedTherapist,
    location: string,
    point: GeoPoint,
    limit: number,
    from = window.from,
    to = window.to,
  ): number[] => {
    const { calendar } = therapist;
    engineQuery.zone = calendar.zone;
    engineQuery.location = location;
    engineQuery.point = point;
    engineQuery.bufferBeforeMin = calendar.bufferBeforeMin;
    engineQuery.bufferAfterMin = calendar.bufferAfterMin;
    engineQuery.travelSpeedKmh = calendar.travelSpeedKmh;
    engineQuery.minNoticeMin = calendar.minNoticeMin;
    engineQuery.windowDays = calendar.windowDays;
    engineQuery.from = from;
    engineQuery.to = Math.min(to, therapist.licenceEndsAt);
    engineQuery.busy = busyAt(therapist, now);
    engineQuery.limit = limit;
    return slotsWithin(calendars.working(therapist, location, now, query.durationMin), engineQuery);
  };

  /**
   * The earliest start at the place, as slotsAt(…, 1) finds it, day by day from the cache's earliest start per
   * day: a day without one is skipped; at a studio a day's earliest is the answer once notice allows it; at home
   * (travel to the client's address counts) it is a lower bound, and the engine looks from there within the day.
   */
  const earliestAt = (therapist: CachedTherapist, location: string, point: GeoPoint, atStudio: boolean): number => {
    if (!calendars.shortcuts) return slotsAt(therapist, location, point, 1)[0] ?? Infinity;
    const { calendar } = therapist;
    const from = Math.max(window.from, now + calendar.minNoticeMin * MINUTE);
    const to = Math.min(window.to, therapist.licenceEndsAt, now + calendar.windowDays * DAY);
    if (from >= to) return Infinity;
    const busy = busyAt(therapist, now);
    for (let day = localEpochDayOf(calendar.zone, from); ; day++) {
      const { startMs, endMs } = localDay(calendar.zone, day);
      if (startMs >= to) return Infinity;
      const first = calendars.days.earliestOn(
        therapist,
        location,
        atStudio ? point : null,
        query.durationMin,
        stepMin,
        day,
        busy,
        now,
      );
      if (first === undefined) continue;
      if (first >= to) return Infinity;
      if (atStudio && first >= from) return first;
      const found = slotsAt(therapist, location, point, 1, Math.max(from, first), Math.min(to, endMs))[0];
      if (found !== undefined) return found;
    }
  };

  const marketMeans = calendars.marketMeans();
  const ranked: Ranked[] = [];
  for (const therapist of calendars.near(query)) {
    if (!matchesFilters(therapist, query, window.from)) continue;
    let earliest = Infinity;
    let distanceKm = Infinity;
    if (query.mode === 'studio') {
      for (const studio of therapist.studios) {
        if (surelyBeyond(query.point, studio.point, query.radiusKm)) continue;
        const distance = haversineKm(query.point, studio.point);
        if (distance > query.radiusKm) continue;
        const first = earliestAt(therapist, studio.locationKey, studio.point, true);
        if (first < earliest) earliest = first;
        if (first !== Infinity && distance < distanceKm) distanceKm = distance;
      }
    } else {
      const area = therapist.mobileArea;
      if (!area || surelyBeyond(area.point, query.point, area.radiusKm)) continue;
      distanceKm = haversineKm(area.point, query.point);
      if (distanceKm > area.radiusKm) continue;
      earliest = earliestAt(therapist, MOBILE_LOCATION, query.point, false);
    }
    if (earliest !== Infinity) {
      const ratingScore = bayesianAverage(therapist.rating, marketMeans.get(therapist.market)!);
      ranked.push({ therapist, earliest, distanceKm, ratingScore });
    }
  }
  ranked.sort(SORTS[query.sort]);

  const results = ranked
    .slice((query.page - 1) * query.pageSize, query.page * query.pageSize)
    .map(({ therapist, earliest, distanceKm }) => {
      const service = therapist.services.get(query.durationMin)!;
      const offers = placesFor(therapist, query)
        .map((place) => {
          const slots = slotsAt(therapist, place.location, place.point, query.slotsPerTherapist + 1);
          return {
            place: place.place,
            timeZone: place.zone,
            distanceKm: Math.round(place.distanceKm * 10) / 10,
            slots: slots.slice(0, query.slotsPerTherapist),
            moreSlots: slots.length > query.slotsPerTherapist,
          };
        })
        .filter((offer) => offer.slots.length > 0)
        .sort((a, b) => a.slots[0]! - b.slots[0]!);
      return {
        therapist: {
          id: therapist.id,
          displayName: therapist.displayName,
          gender: therapist.gender,
          specialties: [...therapist.specialties],
          rating: therapist.rating,
          photoUrl: therapist.photoUrl,
        },
        priceCents: service.priceCents,
        currency: service.currency,
        earliest,
        distanceKm: Math.round(distanceKm * 10) / 10,
        offers,
      };
    });
  return { total: ranked.length, results };
}
