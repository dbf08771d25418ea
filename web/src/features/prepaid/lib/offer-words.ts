/** What a package, a plan or a gift card amount says to the person choosing it (pure; offer-words.test.ts). */

const DAY_MS = 86_400_000;

/** "5 × 90 minutes" */
export const sessionsWords = (sessions: number, durationMin: number) =>
  sessions === 1 ? `1 session of ${durationMin} minutes` : `${sessions} × ${durationMin} minutes`;

/** A package's price against the same sessions booked one by one at `singlePriceMinor`; null when it saves nothing. */
export function savingOf(
  offer: { sessions: number; priceMinor: number },
  singlePriceMinor: number | undefined,
): { minor: number; percent: number; singlesMinor: number } | null {
  if (singlePriceMinor === undefined) return null;
  const singlesMinor = offer.sessions * singlePriceMinor;
  const minor = singlesMinor - offer.priceMinor;
  if (minor <= 0) return null;
  return { minor, percent: Math.floor((minor * 100) / singlesMinor), singlesMinor };
}

/** The price of one session of a package, rounded down to the cent (the last credit carries what is left). */
export const perSessionMinor = (offer: { sessions: number; priceMinor: number }) =>
  Math.floor(offer.priceMinor / offer.sessions);

/** The instant a package bought at `now` expires: `validDays` after buying, as the server counts. */
export const expiresAfter = (now: number, validDays: number) => now + validDays * DAY_MS;

/** "15% off" from basis points, with a decimal only when there is one ("12.5% off"). */
export const discountWords = (basisPoints: number) => `${basisPoints / 100}% off`;

/** The gift card amounts a buyer picks from, in cents, and the API's limits for an amount of their own. */
export const GIFT_CARD_PRESETS = [5_000, 10_000, 15_000, 20_000] as const;
export const GIFT_CARD_MIN_MINOR = 500;
export const GIFT_CARD_MAX_MINOR = 100_000;
