import { describe, expect, it } from 'vitest';
import { limitWords, screeningLimitsFrom } from './region-limits';

const limits = [
  { region: 'front_of_neck', label: 'Front of the neck', excluded: false, cap: 1, reasons: ['Endangerment sites'] },
  { region: 'feet.left', label: 'Foot, left', excluded: true, cap: null, reasons: ['Open wound'] },
  { region: 'calves.left', label: 'Calf, left', excluded: false, cap: 3, reasons: [] },
];

describe('region limits on screen', () => {
  it('become the caps and exclusions the care module checks', () => {
    expect(screeningLimitsFrom(limits)).toEqual({
      caps: { front_of_neck: 1, 'calves.left': 3 },
      excluded: ['feet.left'],
    });
  });

  it('read as a few words on a control', () => {
    expect(limits.map(limitWords)).toEqual(['up to 1 · Light', 'leave out', 'up to 3 · Firm']);
  });
});
