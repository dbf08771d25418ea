import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';

/**
 * A booking's checkout as GET /api/bookings/{id}/checkout tells it: the lines of the total (the session, the service
 * fee, tax where the market has it, credits), the total, whether a card is needed, and the payment once there is one.
 */
export interface Checkout {
  currency: string;
  lines: { kind: string; label: string; amountMinor: number }[];
  totalMinor: number;
  paymentMethodRequired: boolean;
  payment: null | {
    status: string;
    brand: string;
    last4: string;
    amountAuthorizedMinor: number;
    amountCapturedMinor: number;
    amountRefundedMinor: number;
  };
}

/** Under ['bookings', id], so every change to the booking refreshes it. */
export function useCheckout(id: string, enabled = true) {
  return useQuery({
    queryKey: ['bookings', id, 'checkout'],
    queryFn: () => api.get<Checkout>(`/api/bookings/${id}/checkout`),
    enabled,
  });
}
