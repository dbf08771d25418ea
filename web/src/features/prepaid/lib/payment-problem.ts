import { ApiError } from '../../../shared/lib/api-client';

/** Problems of the payment itself, said at the card: a decline in the processor's words, no card chosen. */
const PAYMENT_CODES = new Set(['payment_declined', 'payment_method_required']);

/** What to say at the chosen card after a purchase failed, or undefined when the card is not the problem. */
export function paymentProblem(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const atField = error.fieldMessage('paymentMethodId');
  if (atField) return atField;
  return PAYMENT_CODES.has(error.code) ? error.problem.detail || error.problem.title : undefined;
}
