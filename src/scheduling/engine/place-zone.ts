import tzLookup from '@photostructure/tz-lookup';
import type { GeoPoint } from './travel.js';

/**
 * The IANA zone whose wall clock a place keeps, from its coordinates (time-zone boundary data bundled with
 * @photostructure/tz-lookup). A studio's zone is set from it when the studio is saved, and a home visit's from the
 * address's point when it is booked, so a session's time is always the local time where it happens.
 */
export function zoneAt(point: GeoPoint): string {
  return tzLookup(point.lat, point.lng);
}
