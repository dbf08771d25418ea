/**
 * The rules of a tip, pure: what the presets come to, which amounts are allowed, when the window is open, and what a
 * client's "tip this much" does to the tip they may already have. Amounts are integer minor units of the session's
 * currency; percentages become amounts through `applyRate`, the one rounding rule for money.
 *
 * A tip may be given from the session's check-out (the booking's completion) for 72 hours, once. It stays pending,
 * changeable and withdrawable, for 15 minutes after it is first given, and is charged then. A custom amount is at
 * least one minor unit and at most the session's price: a tip bigger than the session is far more often a slip of the
 * finger (an extra zero) than generosity, and a limit that follows the price holds in every currency, where a fixed
 * cap would not.
 */
import { applyRate } from './checkout.js';

export const TIP_PRESET_PERCENTS = [15, 20, 25] as const;
/** How long after check-out a tip can be given. */
export const TIP_WINDOW_MS = 72 * 3_600_000;
/** How long a tip can be changed or withdrawn after it is first given; it is charged then. */
export const TIP_EDIT_MS = 15 * 60_000;

export interface TipPreset {
  percent: number;
  amountMinor: number;
}

/** The preset percentages of `priceMinor`, each rounded to whole minor units; presets that come to nothing are left out. */
export function tipPresets(priceMinor: number): TipPreset[] {
  return TIP_PRESET_PERCENTS.map((percent) => ({ percent, amountMinor: applyRate(priceMinor, percent * 100) })).filter(
    (p) => p.amountMinor > 0,
  );
}

export type TipChoice = { percent: number } | { amountMinor: number };

export type TipAmount =
  | { ok: true; amountMinor: number; percent: number | null }
  | { ok: false; field: 'percent' | 'amountMinor'; message: string };

/** The amount a choice comes to for a session of `priceMinor`, or why it is not allowed (naming the field). */
export function tipAmount(choice: TipChoice, priceMinor: number): TipAmount {
  if ('percent' in choice) {
    const preset = tipPresets(priceMinor).find((p) => p.percent === choice.percent);
    if (!preset) {
      return {
        ok: false,
        field: 'percent',
        message: `Choose ${TIP_PRESET_PERCENTS.join(', ')} percent, or type an amount`,
      };
    }
    return { ok: true, amountMinor: preset.amountMinor, percent: preset.percent };
  }
  const amount = choice.amountMinor;
  if (!Number.isSafeInteger(amount) || amount < 1) {
    return { ok: false, field: 'amountMinor', message: 'A tip is a whole number of cents, at least 1' };
  }
  if (amount > priceMinor) {
    return { ok: false, field: 'amountMinor', message: 'A tip can be at most the price of the session' };
  }
  return { ok: true, amountMinor: amount, percent: null };
}

/** When tips for a session completed at `completedAt` close. */
export const tipClosesAt = (completedAt: number): number => completedAt + TIP_WINDOW_MS;

export interface ExistingTip {
  status: 'pending' | 'charged' | 'failed';
  editableUntil: number;
}

export type TipState = 'not_yet' | 'open' | 'given' | 'closed';

/**
 * Where tipping a session stands: `not_yet` before check-out, `given` once a tip exists (pending or charged),
 * `open` within the window otherwise (a tip whose charge failed may be given again), `closed` after it or when the
 * session did not take place.
 */
export function tipState(input: {
  bookingStatus: string;
  completedAt: number | null;
  tip: ExistingTip | null;
  now: number;
}): TipState {
  if (input.tip && input.tip.status !== 'failed') return 'given';
  if (input.bookingStatus === 'completed' && input.completedAt !== null) {
    return input.now < tipClosesAt(input.completedAt) ? 'open' : 'closed';
  }
  return ['cancelled', 'no_show', 'expired'].includes(input.bookingStatus) ? 'closed' : 'not_yet';
}

export type TipDecision =
  /** A first tip (or one given again after its charge failed): charged at `editableUntil`. */
  | { action: 'create'; editableUntil: number }
  /** A pending tip changed: still charged at its own `editableUntil`. */
  | { action: 'update' }
  | { action: 'refuse'; code: 'session_not_taken_place' | 'tip_window_closed' | 'tip_not_editable'; message: string };

/** What giving (or changing) a tip at `now` does, given the session and the tip it may already have. */
export function decideTip(input: {
  bookingStatus: string;
  completedAt: number | null;
  tip: ExistingTip | null;
  now: number;
}): TipDecision {
  const { tip, now } = input;
  if (tip?.status === 'pending') {
    return now < tip.editableUntil
      ? { action: 'update' }
      : { action: 'refuse', code: 'tip_not_editable', message: 'This tip is being charged and can no longer change' };
  }
  if (tip?.status === 'charged') {
    return { action: 'refuse', code: 'tip_not_editable', message: 'You have already tipped for this session' };
  }
  const state = tipState(input);
  if (state === 'not_yet') {
    return { action: 'refuse', code: 'session_not_taken_place', message: 'You can tip once the session is over' };
  }
  if (state === 'closed') {
    return {
      action: 'refuse',
      code: 'tip_window_closed',
      message: 'Tips can be given for 72 hours after the session',
    };
  }
  return { action: 'create', editableUntil: now + TIP_EDIT_MS };
}

/** Whether a tip can be withdrawn at `now`: only while pending and changeable. */
export const canWithdrawTip = (tip: ExistingTip, now: number): boolean =>
  tip.status === 'pending' && now < tip.editableUntil;
