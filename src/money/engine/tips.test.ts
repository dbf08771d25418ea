import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TIP_EDIT_MS,
  TIP_WINDOW_MS,
  canWithdrawTip,
  decideTip,
  tipAmount,
  tipClosesAt,
  tipPresets,
  tipState,
} from './tips.js';

const DONE = Date.parse('2026-11-23T15:00:00Z');
const MIN = 60_000;

describe('tip presets and amounts', () => {
  it('offers 15, 20 and 25 % of the price, rounded half up to whole minor units', () => {
    expect(tipPresets(12_000)).toEqual([
      { percent: 15, amountMinor: 1_800 },
      { percent: 20, amountMinor: 2_400 },
      { percent: 25, amountMinor: 3_000 },
    ]);
    // 15 % of 9,990 is 1,498.5: half up.
    expect(tipPresets(9_990)[0]).toEqual({ percent: 15, amountMinor: 1_499 });
    expect(tipPresets(0)).toEqual([]);
  });

  it('takes a preset by its percent and refuses any other percent, naming the field', () => {
    expect(tipAmount({ percent: 20 }, 10_000)).toEqual({ ok: true, amountMinor: 2_000, percent: 20 });
    expect(tipAmount({ percent: 18 }, 10_000)).toMatchObject({ ok: false, field: 'percent' });
  });

  it('takes a custom amount from 1 minor unit to the whole price, and nothing outside', () => {
    expect(tipAmount({ amountMinor: 1 }, 10_000)).toEqual({ ok: true, amountMinor: 1, percent: null });
    expect(tipAmount({ amountMinor: 10_000 }, 10_000)).toEqual({ ok: true, amountMinor: 10_000, percent: null });
    for (const bad of [0, -5, 10_001, 12.5, Number.NaN]) {
      expect(tipAmount({ amountMinor: bad }, 10_000)).toMatchObject({ ok: false, field: 'amountMinor' });
    }
  });

  it('never makes a preset above the price or below one minor unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (price) => {
        for (const p of tipPresets(price)) {
          expect(p.amountMinor).toBeGreaterThanOrEqual(1);
          expect(p.amountMinor).toBeLessThanOrEqual(price);
          expect(tipAmount({ percent: p.percent }, price)).toEqual({ ok: true, ...p });
        }
      }),
    );
  });
});

describe('the tip window', () => {
  const base = { bookingStatus: 'completed', completedAt: DONE, tip: null };

  it('is not yet open before check-out, open for 72 hours after, then closed', () => {
    expect(tipState({ ...base, bookingStatus: 'checked_in', completedAt: null, now: DONE - MIN })).toBe('not_yet');
    expect(tipState({ ...base, bookingStatus: 'confirmed', completedAt: null, now: DONE - MIN })).toBe('not_yet');
    expect(tipState({ ...base, now: DONE })).toBe('open');
    expect(tipState({ ...base, now: DONE + TIP_WINDOW_MS - 1 })).toBe('open');
    expect(tipState({ ...base, now: DONE + TIP_WINDOW_MS })).toBe('closed');
    expect(tipClosesAt(DONE)).toBe(DONE + 72 * 3_600_000);
  });

  it('is closed for a session that did not take place', () => {
    for (const status of ['cancelled', 'no_show', 'expired']) {
      expect(tipState({ ...base, bookingStatus: status, completedAt: null, now: DONE })).toBe('closed');
    }
  });

  it('says given once a tip is pending or charged, and open again after a failed charge', () => {
    const tip = { status: 'pending' as const, editableUntil: DONE + 15 * MIN };
    expect(tipState({ ...base, tip, now: DONE + TIP_WINDOW_MS + 1 })).toBe('given');
    expect(tipState({ ...base, tip: { ...tip, status: 'charged' }, now: DONE })).toBe('given');
    expect(tipState({ ...base, tip: { ...tip, status: 'failed' }, now: DONE })).toBe('open');
  });
});

describe('giving, changing and withdrawing a tip', () => {
  const base = { bookingStatus: 'completed', completedAt: DONE };

  it('creates a tip inside the window, changeable for 15 minutes', () => {
    expect(decideTip({ ...base, tip: null, now: DONE + MIN })).toEqual({
      action: 'create',
      editableUntil: DONE + MIN + TIP_EDIT_MS,
    });
  });

  it('refuses before check-out and after 72 hours, with their own codes', () => {
    expect(decideTip({ bookingStatus: 'checked_in', completedAt: null, tip: null, now: DONE })).toMatchObject({
      action: 'refuse',
      code: 'session_not_taken_place',
    });
    expect(decideTip({ ...base, tip: null, now: DONE + TIP_WINDOW_MS })).toMatchObject({
      action: 'refuse',
      code: 'tip_window_closed',
    });
  });

  it('changes a pending tip until it is charged, and never a second tip', () => {
    const pending = { status: 'pending' as const, editableUntil: DONE + 20 * MIN };
    expect(decideTip({ ...base, tip: pending, now: DONE + 19 * MIN })).toEqual({ action: 'update' });
    expect(decideTip({ ...base, tip: pending, now: DONE + 20 * MIN })).toMatchObject({ code: 'tip_not_editable' });
    expect(decideTip({ ...base, tip: { ...pending, status: 'charged' }, now: DONE + 30 * MIN })).toMatchObject({
      code: 'tip_not_editable',
    });
    // A pending tip given just before the window closed stays changeable for its own 15 minutes.
    const late = { status: 'pending' as const, editableUntil: DONE + TIP_WINDOW_MS + 10 * MIN };
    expect(decideTip({ ...base, tip: late, now: DONE + TIP_WINDOW_MS + MIN })).toEqual({ action: 'update' });
  });

  it('lets a tip whose charge failed be given again inside the window', () => {
    const failed = { status: 'failed' as const, editableUntil: DONE + 15 * MIN };
    expect(decideTip({ ...base, tip: failed, now: DONE + 60 * MIN })).toMatchObject({ action: 'create' });
    expect(decideTip({ ...base, tip: failed, now: DONE + TIP_WINDOW_MS })).toMatchObject({ code: 'tip_window_closed' });
  });

  it('withdraws only a pending tip still changeable', () => {
    const pending = { status: 'pending' as const, editableUntil: DONE + 15 * MIN };
    expect(canWithdrawTip(pending, DONE + 14 * MIN)).toBe(true);
    expect(canWithdrawTip(pending, DONE + 15 * MIN)).toBe(false);
    expect(canWithdrawTip({ ...pending, status: 'charged' }, DONE)).toBe(false);
  });
});
