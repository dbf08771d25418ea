export type GeoPoint = { lat: number; lng: number };

/** Mean Earth radius (IUGG), the usual choice for haversine distances. */
const EARTH_RADIUS_KM = 6371.0088;
const TRAVEL_ROUNDING_MIN = 5;
// Distances come out of trigonometry, so an exact 40-minute trip may compute as 40.000000001 minutes;
// without this tolerance (in 5-minute units) it would be rounded up to 45.
const ROUNDING_TOLERANCE_UNITS = 1e-6;

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in km. */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  return haversineKmBetween(a.lat, a.lng, b.lat, b.lng);
}

/** haversineKm from coordinates (the same arithmetic, so the same result to the last bit). */
export function haversineKmBetween(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const dLat = toRadians(bLat - aLat);
  const dLng = toRadians(bLng - aLng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(aLat)) * Math.cos(toRadians(bLat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Minutes to allow for travelling from a to b, rounded up to the next 5 minutes. Zero when either place is
 * unknown or both are the same place (two sessions at one studio).
 */
export function travelMinutes(a: GeoPoint | null, b: GeoPoint | null, speedKmh: number): number {
  if (!a || !b || (a.lat === b.lat && a.lng === b.lng)) return 0;
  if (!(speedKmh > 0)) throw new RangeError(`travel speed must be positive, got ${speedKmh} km/h`);
  const minutes = (haversineKm(a, b) / speedKmh) * 60;
  if (minutes === 0) return 0;
  const roundingUnits = Math.ceil(minutes / TRAVEL_ROUNDING_MIN - ROUNDING_TOLERANCE_UNITS);
  return Math.max(1, roundingUnits) * TRAVEL_ROUNDING_MIN;
}
