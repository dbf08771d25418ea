import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { Brief, BookingScreening } from '../../../shared/lib/api-types';

/** The pre-session brief of a booking (an audited read of the client's health data). */
export function useBrief(bookingId: string) {
  return useQuery({
    queryKey: ['bookings', bookingId, 'brief'],
    queryFn: () => api.get<Brief>(`/api/bookings/${bookingId}/brief`),
  });
}

/** The booked therapist lifts a caution for this booking, with a reason; the booking is screened again. */
export function useOverride(bookingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { ruleId: string; reason: string }) =>
      api.post<BookingScreening>(`/api/bookings/${bookingId}/screening/overrides`, input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['bookings'] }),
  });
}
