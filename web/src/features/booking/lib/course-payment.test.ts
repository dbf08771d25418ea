import { describe, expect, it } from 'vitest';
import { courseNeedsCard } from './course-payment';

const byCard = { paymentMethodRequired: true, packageCredit: null };
const credit = (label: string, creditsLeft: number) => ({
  paymentMethodRequired: false,
  packageCredit: { label, valueMinor: 10_000, creditsLeft },
});

describe('whether a course needs a card to confirm', () => {
  it('needs one when any session has something to pay', () => {
    expect(courseNeedsCard([credit('5 × 60', 4), byCard])).toBe(true);
    expect(courseNeedsCard([byCard])).toBe(true);
  });
  it('needs none when one package has a credit for every session', () => {
    // Three sessions, each told "2 left after this one": the package holds 3.
    expect(courseNeedsCard([credit('5 × 60', 2), credit('5 × 60', 2), credit('5 × 60', 2)])).toBe(false);
    expect(courseNeedsCard([credit('A', 0), credit('B', 0)])).toBe(false);
  });
  it('needs one when more sessions count on a package than it has credits', () => {
    expect(courseNeedsCard([credit('5 × 60', 1), credit('5 × 60', 1), credit('5 × 60', 1)])).toBe(true);
    expect(courseNeedsCard([credit('A', 0), credit('A', 0)])).toBe(true);
  });
  it('needs one while a session’s total is not known', () => {
    expect(courseNeedsCard([credit('A', 4), undefined])).toBe(true);
  });
});
