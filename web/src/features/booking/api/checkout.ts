import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { BookingCheckout } from '../../../shared/lib/api-types';

export type Checkout = BookingCheckout;

/** Under ['bookings', id], so every change to the booking refreshes it. */
export function useCheckout(id: string, enabled = true) {
  return useQuery({
    queryKey: ['bookings', id, 'checkout'],
    queryFn: () => api.get<Checkout>(`/api/bookings/${id}/checkout`),
    enabled,
  });
}
