import { describe, expect, it } from 'vitest';
import { akeTightness, flexibilityResult, inchesToCm, sitAndReachVersusYmcaAverage } from './flexibility-tests.js';

describe('flexibility tests', () => {
  it('AKE: tight above 33.0 degrees for men and 23.4 for women; unclassified without sex', () => {
    expect(akeTightness(33.0, 'male')).toBe('not_tight');
    expect(akeTightness(33.1, 'male')).toBe('tight');
    expect(akeTightness(23.4, 'female')).toBe('not_tight');
    expect(akeTightness(23.5, 'female')).toBe('tight');
    expect(akeTightness(40, null)).toBe('unclassified');
  });

  it('SLR is the mean of two trials, sit-and-reach the best of three, AKE a single reading', () => {
    expect(flexibilityResult('slr', [58, 63])).toBe(60.5);
    expect(flexibilityResult('sit_and_reach', [38, 41.5, 40])).toBe(41.5);
    expect(flexibilityResult('ake', [27])).toBe(27);
    expect(() => flexibilityResult('slr', [58])).toThrow(RangeError);
    expect(() => flexibilityResult('sit_and_reach', [38, 41])).toThrow(RangeError);
  });

  it('compares sit-and-reach in cm with the YMCA 18-25 average given in inches (1 in = 2.54 cm)', () => {
    expect(inchesToCm(16)).toBeCloseTo(40.64, 10);
    expect(sitAndReachVersusYmcaAverage(45, 'male', 22)).toBeCloseTo(45 - 40.64, 10);
    expect(sitAndReachVersusYmcaAverage(45, 'female', 22)).toBeCloseTo(45 - 48.26, 10);
    expect(sitAndReachVersusYmcaAverage(45, 'female', 40)).toBeNull();
    expect(sitAndReachVersusYmcaAverage(45, null, 22)).toBeNull();
  });
});
