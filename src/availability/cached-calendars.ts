import { meanOfAll } from '../domain/ratings.js';
import type { GeoPoint } from '../scheduling/engine/travel.js';
import { workingIntervals } from '../scheduling/engine/working-hours.js';
import type { CachedTherapist } from './calendar-loader.js';
import { DayCache } from './day-cache.js';
import { SpatialIndex } from './spatial-index.js';

const DAY = 86_400_000;

/**
 * The approved therapists search sees, in memory, with what search derives from them and keeps: the working
 * intervals per place, and, as shortcuts (on unless `shortcuts: false`, which visits and computes everything per
 * search, as before, for comparison and diagnosis):
 * - a spatial index of their studios and travel areas (`SpatialIndex`), kept with every change, so a search visits
 *   only the therapists who could serve its point;
 * - each market's mean rating, computed once per change instead of once per search;
 * - each therapist's earliest start per day (`DayCache`).
 *
 * A therapist's object is replaced whenever it is reloaded (CalendarCache does that on every change notice), and
 * everything derived per therapist hangs off the object (a WeakMap, or a symbol-keyed field: `DayCache`), so it goes
 * with it: nothing outlives a change.
 */
export class CachedCalendars {
  readonly shortcuts: boolean;
  #therapists = new Map<string, CachedTherapist>();
  #index = new SpatialIndex<CachedTherapist>();
  #marketMeans: Map<string, number> | undefined;
  /** Each therapist's earliest start per day at a place. */
  readonly days = new DayCache();
  /** Working intervals per therapist and place, over a horizon around the day they were computed. */
  readonly #working = new WeakMap<
    CachedTherapist,
    Map<string, { validUntil: number; from: number; to: number; intervals: number[] }>
  >();

  constructor(options: { shortcuts: boolean }) {
    this.shortcuts = options.shortcuts;
  }

  /** Everything anew (a full load). */
  replaceAll(therapists: Map<string, CachedTherapist>): void {
    const index = new SpatialIndex<CachedTherapist>();
    for (const therapist of therapists.values()) indexTherapist(index, therapist);
    this.#therapists = therapists;
    this.#index = index;
    this.#marketMeans = undefined;
  }

  /** The therapists `ids` as reloaded: those missing from `loaded` are no longer searchable. */
  replace(ids: readonly string[], loaded: ReadonlyMap<string, CachedTherapist>): void {
    for (const id of ids) {
      const therapist = loaded.get(id);
      if (therapist) {
        this.#therapists.set(id, therapist);
        indexTherapist(this.#index, therapist);
      } else {
        this.#therapists.delete(id);
        this.#index.delete(id);
      }
    }
    this.#marketMeans = undefined;
  }

  /**
   * The therapists a search from `point` could find: with the index, those with a studio that may lie within
   * `radiusKm` (studio) or whose travel area may reach the point (home), a superset of those that do; without it,
   * everyone.
   */
  near(query: { mode: 'studio' | 'home'; point: GeoPoint; radiusKm: number }): Iterable<CachedTherapist> {
    if (!this.shortcuts) return this.#therapists.values();
    return query.mode === 'studio'
      ? this.#index.withStudiosNear(query.point, query.radiusKm)
      : this.#index.withAreasReaching(query.point);
  }

  /** Each market's mean rating over its therapists: the prior search ranks with. */
  marketMeans(): ReadonlyMap<string, number> {
    if (!this.shortcuts || !this.#marketMeans) this.#marketMeans = meanRatingByMarket(this.#therapists.values());
    return this.#marketMeans;
  }

  /**
   * The therapist's working intervals at a place over a horizon that covers every slot they can offer from
   * `now` (notice and booking window included), computed once and reused until `now` moves on a day.
   */
  working(therapist: CachedTherapist, location: string, now: number, durationMin: number): number[] {
    let byPlace = this.#working.get(therapist);
    if (!byPlace) {
      byPlace = new Map();
      this.#working.set(therapist, byPlace);
    }
    const cached = byPlace.get(location);
    const needTo = now + therapist.calendar.windowDays * DAY + durationMin * 60_000;
    if (cached && now >= cached.from && now <= cached.validUntil && needTo <= cached.to) return cached.intervals;
    const from = now - DAY;
    const to = now + (therapist.calendar.windowDays + 2) * DAY;
    const intervals = workingIntervals({ ...therapist.calendar, location, from, to });
    byPlace.set(location, { validUntil: now + DAY, from, to, intervals });
    return intervals;
  }
}

function indexTherapist(index: SpatialIndex<CachedTherapist>, therapist: CachedTherapist): void {
  index.set(
    therapist.id,
    therapist,
    therapist.studios.map((studio) => studio.point),
    therapist.mobileArea,
  );
}

/** Each market's mean rating over all its searchable therapists' ratings: the prior of the Bayesian average. */
function meanRatingByMarket(therapists: Iterable<CachedTherapist>): Map<string, number> {
  const byMarket = new Map<string, CachedTherapist['rating'][]>();
  for (const t of therapists) {
    const list = byMarket.get(t.market);
    if (list) list.push(t.rating);
    else byMarket.set(t.market, [t.rating]);
  }
  return new Map([...byMarket].map(([market, ratings]) => [market, meanOfAll(ratings)]));
}
