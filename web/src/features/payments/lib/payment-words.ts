import type { Payment } from '../../../shared/lib/api-types';
import { formatMoney } from '../../../shared/lib/format';

/** A payment's state in words, from what was held, taken and given back. */
export function paymentStatusWords(p: Payment): string {
  if (p.status === 'authorized') return 'Held on your card, not taken yet';
  if (p.status === 'voided') return 'Released: nothing was taken';
  if (p.status === 'failed') return 'Not taken: the payment failed';
  if (p.amountRefundedMinor >= p.amountCapturedMinor) return 'Refunded in full';
  if (p.amountRefundedMinor > 0) return `Paid, ${formatMoney(p.amountRefundedMinor, p.currency)} refunded`;
  return 'Paid';
}

/** The amount a person cares about: what was held, or what was taken. */
export function paymentAmount(p: Payment): string {
  return formatMoney(p.status === 'authorized' ? p.amountAuthorizedMinor : p.amountCapturedMinor, p.currency);
}

export function paymentBadge(p: Payment): 'completed' | 'held' | 'cancelled' {
  if (p.status === 'captured') return p.amountRefundedMinor >= p.amountCapturedMinor ? 'cancelled' : 'completed';
  if (p.status === 'authorized') return 'held';
  return 'cancelled';
}
