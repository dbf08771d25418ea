/**
 * A latitude/longitude box that holds every point within `radiusKm` of a centre (great-circle distance): what a
 * B-tree index on (lat, lng) can be asked for, a superset that the caller still narrows by the exact distance.
 * Pure.
 *
 * Why it is never too small (as the calendar cache's spatial index argues): within distance r, |Δφ| ≤ r/R and
 * |sin(Δλ/2)| ≤ r / (2R·√(cos φ1·cos φ_far)), φ_far the band's latitude furthest from the equator. Near a pole, or
 * when the longitudes would wrap around ±180°, the box takes every longitude (`west`/`east` undefined). Radii are
 * widened a little against rounding.
 */
export interface GeoBox {
  south: number;
  north: number;
  /** Undefined: every longitude. */
  west?: number;
  east?: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const MARGIN = 1.001;
const POLE_MARGIN_DEGREES = 0.5;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;
const toDegrees = (radians: number) => (radians * 180) / Math.PI;

export function boxAround(centre: { lat: number; lng: number }, radiusKm: number): GeoBox {
  const r = Math.max(0, radiusKm) * MARGIN;
  const dLat = toDegrees(r / EARTH_RADIUS_KM) * MARGIN;
  const south = centre.lat - dLat;
  const north = centre.lat + dLat;
  const farthest = Math.max(Math.abs(south), Math.abs(north));
  if (farthest >= 90 - POLE_MARGIN_DEGREES) return { south, north };
  const bound = r / (2 * EARTH_RADIUS_KM * Math.sqrt(Math.cos(toRadians(centre.lat)) * Math.cos(toRadians(farthest))));
  if (bound >= 0.99) return { south, north };
  const dLng = 2 * toDegrees(Math.asin(bound)) * MARGIN;
  const west = centre.lng - dLng;
  const east = centre.lng + dLng;
  if (west < -180 || east > 180) return { south, north };
  return { south, north, west, east };
}
