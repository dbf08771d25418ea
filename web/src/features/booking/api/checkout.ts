import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { BookingCheckout } from '../../../shared/lib/api-types';

export type Checkout = BookingCheckout;

/**
 * Under ['bookings', id], so every change to the booking refreshes it. With `giftCardCode`, a preview of what the
 * gift card would pay at confirm (a bad code fails with its problem at `giftCardCode`).
 */
export function useCheckout(id: string, enabled = true, giftCardCode?: string) {
  return useQuery({ ...checkoutQuery(id, giftCardCode), enabled });
}

/** A booking's checkout as a query, for the screens that ask for several at once (a course's sessions). */
export function checkoutQuery(id: string, giftCardCode?: string) {
  const query = giftCardCode ? `?giftCardCode=${encodeURIComponent(giftCardCode)}` : '';
  return queryOptions({
    queryKey: ['bookings', id, 'checkout', giftCardCode ?? null],
    queryFn: () => api.get<Checkout>(`/api/bookings/${id}/checkout${query}`),
    retry: false,
  });
}
