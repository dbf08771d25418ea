/**
 * Packages and membership credits, as pure rules: what one credit is worth, whether a purchase can pay a session,
 * and when credits expire. Amounts are integer minor units; instants are epoch milliseconds.
 */

const DAY_MS = 86_400_000;

/** The credits a client holds from one package or one membership month, as the rules need them. */
export interface CreditHolding {
  therapistId: string | null;
  market: string;
  durationMin: number;
  creditsTotal: number;
  creditsUsed: number;
  priceMinor: number;
  /** The value of the credits in use now (redeemed and not returned). */
  valueRedeemedMinor: number;
  startsAt: number;
  expiresAt: number;
}

/** When a package bought at `now`, valid `validDays`, expires. */
export function packageExpiry(now: number, validDays: number): number {
  return now + validDays * DAY_MS;
}

/**
 * What the next credit is worth: the price divided by the credits, rounded down, and the last credit in use takes
 * what is left, so the credits of a fully used package add up to its price exactly, returns included.
 */
export function nextCreditValue(
  holding: Pick<CreditHolding, 'creditsTotal' | 'creditsUsed' | 'priceMinor' | 'valueRedeemedMinor'>,
): number {
  const { creditsTotal, creditsUsed, priceMinor, valueRedeemedMinor } = holding;
  if (creditsUsed >= creditsTotal) throw new RangeError('no credit left');
  if (creditsUsed === creditsTotal - 1) return priceMinor - valueRedeemedMinor;
  return Math.floor(priceMinor / creditsTotal);
}

/** Why a holding cannot pay a session, or null when it can. Expired credits are not redeemable. */
export function creditRefusal(
  holding: CreditHolding,
  session: { therapistId: string; market: string; durationMin: number },
  now: number,
): 'expired' | 'not_started' | 'used_up' | 'other_therapist' | 'other_market' | 'other_duration' | null {
  if (now >= holding.expiresAt) return 'expired';
  if (now < holding.startsAt) return 'not_started';
  if (holding.creditsUsed >= holding.creditsTotal) return 'used_up';
  if (holding.market !== session.market) return 'other_market';
  if (holding.therapistId !== null && holding.therapistId !== session.therapistId) return 'other_therapist';
  if (holding.durationMin !== session.durationMin) return 'other_duration';
  return null;
}

/** Of the holdings that can pay the session, the ones to use first: soonest to expire, then the oldest. */
export function redeemableInOrder<H extends CreditHolding>(
  holdings: readonly H[],
  session: { therapistId: string; market: string; durationMin: number },
  now: number,
): H[] {
  return holdings
    .filter((h) => creditRefusal(h, session, now) === null)
    .sort((a, b) => a.expiresAt - b.expiresAt || a.startsAt - b.startsAt);
}

/** The words for a credit on the checkout and the receipt: "Package credit (2 of 5)". */
export function creditLabel(label: string, creditNumber: number, creditsTotal: number): string {
  return `${label} (credit ${creditNumber} of ${creditsTotal})`;
}
