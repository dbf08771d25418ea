import { describe, expect, it } from 'vitest';
import { KM_PER_MILE, SEARCH_RADII, formatDistance, fromKm, searchRadiusKm, speedUnit, toKm } from './distance.js';

describe('distances in the market’s unit', () => {
  it('converts at the edge and writes one decimal', () => {
    expect(KM_PER_MILE).toBe(1.609344);
    expect(formatDistance(1.609344, 'mi')).toBe('1.0 mi');
    expect(formatDistance(8, 'mi')).toBe('5.0 mi');
    expect(formatDistance(8, 'km')).toBe('8.0 km');
    for (const value of [0.5, 3, 12.7])
      for (const unit of ['km', 'mi'] as const) expect(fromKm(toKm(value, unit), unit)).toBeCloseTo(value, 10);
    expect(speedUnit('mi')).toBe('mph');
    expect(SEARCH_RADII.mi.map((mi) => toKm(mi, 'mi')).every((km) => km <= 20)).toBe(true);
    expect(searchRadiusKm(5, 'km')).toBe(5);
    expect(searchRadiusKm(5, 'mi')).toBe(4.828);
    expect(searchRadiusKm(100, 'mi')).toBe(16.093);
  });
});
