import type { BookingCheckout } from '../../../shared/lib/api-types';

type CheckoutFacts = Pick<BookingCheckout, 'paymentMethodRequired' | 'packageCredit'>;

/**
 * Whether confirming a course's held sessions one after another needs a card. Each session's checkout answers as if
 * it were the only one confirmed: a package credit it counts on is also counted on by the others, and `creditsLeft`
 * is what stays after that one session. So a card is needed when any session has something left to pay, or when more
 * sessions count on one package than it has credits for (those past its last credit are paid by card). Sessions
 * whose checkout is not known (still loading, or failed) need a card: asking for one is never wrong, confirming
 * without one may be.
 */
export function courseNeedsCard(checkouts: (CheckoutFacts | undefined)[]): boolean {
  const counting = new Map<string, { sessions: number; credits: number }>();
  for (const checkout of checkouts) {
    if (!checkout || checkout.paymentMethodRequired) return true;
    const credit = checkout.packageCredit;
    if (!credit) continue;
    const package_ = counting.get(credit.label) ?? { sessions: 0, credits: credit.creditsLeft + 1 };
    package_.sessions += 1;
    counting.set(credit.label, package_);
  }
  return [...counting.values()].some((p) => p.sessions > p.credits);
}
