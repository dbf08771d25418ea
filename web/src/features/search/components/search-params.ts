import { type DistanceUnit, searchRadiusKm } from '../../../../../src/domain/distance';
import { addDays, browserZone, isoDateIn } from '../../../shared/lib/format';
import type { Neighbourhood } from '../../../shared/lib/markets';
import type { AvailabilityParams } from '../api/availability';

/**
 * Knotwork has no geocoder (no map service is reachable from its machines), so places are picked from the
 * markets' neighbourhoods (GET /api/markets), or from the device's location.
 */
export const CURRENT_LOCATION = 'Current location';

/** What the search form holds; it lives in the page URL so results survive reloads and the back button. */
export interface SearchForm {
  durationMin: 60 | 90 | 120;
  mode: 'studio' | 'home';
  near: string;
  lat: number;
  lng: number;
  address: string;
  radiusKm: number;
  from: string;
  to: string;
  gender: string;
  specialty: string;
  sort: 'earliest' | 'rating' | 'distance';
  page: number;
}

/** A new search, near `first` (the first neighbourhood; none while the markets are unknown). */
export function defaultSearch(first: Neighbourhood = { name: '', lat: 0, lng: 0 }): SearchForm {
  const today = isoDateIn(new Date());
  return {
    durationMin: 60,
    mode: 'studio',
    near: first.name,
    lat: first.lat,
    lng: first.lng,
    address: '',
    radiusKm: 5,
    from: today,
    to: addDays(today, 6),
    gender: '',
    specialty: '',
    sort: 'earliest',
    page: 1,
  };
}

const oneOf = <T extends string | number>(value: T | undefined, allowed: readonly T[], fallback: T): T =>
  value !== undefined && allowed.includes(value) ? value : fallback;

export function searchFromUrl(params: URLSearchParams, first?: Neighbourhood): SearchForm | null {
  if (!params.has('from')) return null;
  const d = defaultSearch(first);
  const num = (key: string, fallback: number) => {
    const n = Number(params.get(key));
    return params.has(key) && Number.isFinite(n) ? n : fallback;
  };
  return {
    durationMin: oneOf(num('duration', 60) as 60 | 90 | 120, [60, 90, 120], 60),
    mode: oneOf((params.get('mode') ?? undefined) as 'studio' | 'home' | undefined, ['studio', 'home'], 'studio'),
    near: params.get('near') ?? d.near,
    lat: num('lat', d.lat),
    lng: num('lng', d.lng),
    address: params.get('address') ?? '',
    radiusKm: num('radius', d.radiusKm),
    from: params.get('from') ?? d.from,
    to: params.get('to') ?? d.to,
    gender: params.get('gender') ?? '',
    specialty: params.get('specialty') ?? '',
    sort: oneOf(
      (params.get('sort') ?? undefined) as SearchForm['sort'] | undefined,
      ['earliest', 'rating', 'distance'],
      'earliest',
    ),
    page: Math.max(1, num('page', 1)),
  };
}

export function searchToUrl(form: SearchForm): string {
  const params = new URLSearchParams({
    duration: String(form.durationMin),
    mode: form.mode,
    near: form.near,
    lat: String(form.lat),
    lng: String(form.lng),
    from: form.from,
    to: form.to,
    sort: form.sort,
  });
  if (form.mode === 'studio') params.set('radius', String(form.radiusKm));
  if (form.mode === 'home' && form.address) params.set('address', form.address);
  if (form.gender) params.set('gender', form.gender);
  if (form.specialty) params.set('specialty', form.specialty);
  if (form.page > 1) params.set('page', String(form.page));
  return `/search?${params}`;
}

/** The API's query for a search; the radius is the nearest one offered in the market's unit. */
export function toAvailabilityParams(form: SearchForm, unit: DistanceUnit): AvailabilityParams {
  return {
    durationMin: form.durationMin,
    from: form.from,
    to: form.to,
    zone: browserZone(),
    mode: form.mode,
    lat: form.lat,
    lng: form.lng,
    ...(form.mode === 'studio' ? { radiusKm: searchRadiusKm(form.radiusKm, unit) } : {}),
    ...(form.gender ? { gender: form.gender } : {}),
    ...(form.specialty ? { specialty: form.specialty } : {}),
    sort: form.sort,
    page: form.page,
    pageSize: 10,
  };
}
