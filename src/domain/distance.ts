/**
 * Distances as a market's people read them: miles in the United States, kilometres elsewhere (`markets.distance_unit`).
 * The API always speaks kilometres; screens and messages convert at the edge, through these functions only.
 */

export type DistanceUnit = 'km' | 'mi';

export const KM_PER_MILE = 1.609344;

export const toKm = (value: number, unit: DistanceUnit) => (unit === 'mi' ? value * KM_PER_MILE : value);
export const fromKm = (km: number, unit: DistanceUnit) => (unit === 'mi' ? km / KM_PER_MILE : km);

/** "1.2 mi" or "1.9 km": one decimal, the market's unit. */
export function formatDistance(km: number, unit: DistanceUnit): string {
  return `${fromKm(km, unit).toFixed(1)} ${unit}`;
}

/** The unit of speeds in that market: "mph" or "km/h". */
export const speedUnit = (unit: DistanceUnit) => (unit === 'mi' ? 'mph' : 'km/h');

/** How far a client will travel to a studio, as offered in search: round numbers in the market's unit. */
export const SEARCH_RADII: Record<DistanceUnit, readonly number[]> = { km: [2, 5, 10, 20], mi: [1, 3, 5, 10] };

/** The search radius offered in `unit` nearest to `km`, in km (to three decimals): what the search form shows and sends. */
export function searchRadiusKm(km: number, unit: DistanceUnit): number {
  const choices = SEARCH_RADII[unit].map((value) => Math.round(toKm(value, unit) * 1000) / 1000);
  return choices.reduce((best, choice) => (Math.abs(choice - km) < Math.abs(best - km) ? choice : best));
}
