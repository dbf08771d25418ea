import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../../../shared/lib/api-client';
import type { Booking, BookingPage, BookingStatus, CancellationQuote } from '../../../shared/lib/api-types';

export const UPCOMING: BookingStatus[] = ['held', 'awaiting_clearance', 'confirmed', 'checked_in'];
export const HISTORY: BookingStatus[] = ['completed', 'no_show', 'cancelled', 'expired', 'rescheduled'];

export function useMyBookings(statuses: BookingStatus[]) {
  return useQuery({
    queryKey: ['bookings', 'mine', statuses],
    queryFn: () => api.get<BookingPage>('/api/bookings', { status: statuses.join(','), pageSize: 100 }),
  });
}

export function useBooking(id: string) {
  return useQuery({ queryKey: ['bookings', id], queryFn: () => api.get<Booking>(`/api/bookings/${id}`) });
}

export function useCancellationQuote(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['bookings', id, 'quote'],
    queryFn: () => api.get<CancellationQuote>(`/api/bookings/${id}/cancellation-quote`),
    enabled,
    staleTime: 0,
  });
}

export interface HoldInput {
  therapistId: string;
  durationMin: 60 | 90 | 120;
  start: string;
  place: { mode: 'studio'; studioId: string } | { mode: 'home'; address: string; lat: number; lng: number };
  /** Body-map regions to work on; absent: the regions marked on the consultation. */
  focusRegions?: string[];
}

/** Every change to a booking can change lists, quotes and search results. */
function useInvalidateBookings() {
  const client = useQueryClient();
  return (booking: Booking) => {
    client.setQueryData(['bookings', booking.id], booking);
    void client.invalidateQueries({ queryKey: ['bookings'] });
    void client.invalidateQueries({ queryKey: ['availability'] });
    void client.invalidateQueries({ queryKey: ['therapist-slots'] });
  };
}

export function useHold() {
  const refresh = useInvalidateBookings();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: HoldInput) =>
      api.post<Booking>('/api/bookings', input, { 'idempotency-key': newIdempotencyKey() }),
    onSuccess: refresh,
    // Someone else may have just taken the time: show the times that are still open.
    onError: () => client.invalidateQueries({ queryKey: ['availability'] }),
  });
}

export function useConfirm() {
  const refresh = useInvalidateBookings();
  return useMutation({
    /**
     * `paymentMethodId`: the saved card to authorise the total on (none when nothing is left to pay by card);
     * `giftCardCode`: a gift card paying part or all of the total. A package credit is used when one can pay.
     */
    mutationFn: ({
      id,
      paymentMethodId,
      giftCardCode,
    }: {
      id: string;
      paymentMethodId?: string | undefined;
      giftCardCode?: string | undefined;
    }) =>
      api.post<Booking>(`/api/bookings/${id}/confirm`, {
        ...(paymentMethodId ? { paymentMethodId } : {}),
        ...(giftCardCode ? { giftCardCode } : {}),
      }),
    onSuccess: refresh,
  });
}

export function useCancel() {
  const refresh = useInvalidateBookings();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<Booking>(`/api/bookings/${id}/cancel`, reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: refresh,
  });
}

export function useReschedule() {
  const refresh = useInvalidateBookings();
  return useMutation({
    mutationFn: ({ id, start }: { id: string; start: string }) =>
      api.post<Booking>(`/api/bookings/${id}/reschedule`, { start }, { 'idempotency-key': newIdempotencyKey() }),
    onSuccess: refresh,
  });
}
