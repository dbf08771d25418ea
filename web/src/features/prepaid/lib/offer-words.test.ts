import { describe, expect, it } from 'vitest';
import { discountWords, expiresAfter, perSessionMinor, savingOf, sessionsWords } from './offer-words';

describe('what a package says', () => {
  it('names its sessions', () => {
    expect(sessionsWords(5, 90)).toBe('5 × 90 minutes');
    expect(sessionsWords(1, 60)).toBe('1 session of 60 minutes');
  });
  it('saves against the same sessions booked one by one, and says nothing when it does not', () => {
    expect(savingOf({ sessions: 5, priceMinor: 60_000 }, 14_000)).toEqual({
      minor: 10_000,
      percent: 14,
      singlesMinor: 70_000,
    });
    expect(savingOf({ sessions: 5, priceMinor: 70_000 }, 14_000)).toBeNull();
    expect(savingOf({ sessions: 5, priceMinor: 60_000 }, undefined)).toBeNull();
  });
  it('prices one session rounded down to the cent', () => {
    expect(perSessionMinor({ sessions: 3, priceMinor: 10_000 })).toBe(3_333);
  });
  it('expires validDays after buying', () => {
    expect(expiresAfter(Date.UTC(2026, 0, 1), 30)).toBe(Date.UTC(2026, 0, 31));
  });
  it('says a member discount in percent', () => {
    expect(discountWords(1_500)).toBe('15% off');
    expect(discountWords(1_250)).toBe('12.5% off');
  });
});
