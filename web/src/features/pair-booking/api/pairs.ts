import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { components, paths } from '../../../shared/lib/api-schema';

export type PairAvailability = components['schemas']['PairAvailability'];
export type BookingPair = components['schemas']['BookingPair'];
export type PairRequest = NonNullable<
  paths['/api/bookings/pairs']['post']['requestBody']
>['content']['application/json'];

export interface PairSearch {
  durationMin: 60 | 90 | 120;
  from: string;
  to: string;
  zone: string;
  lat: number;
  lng: number;
  firstGender?: string;
  secondGender?: string;
  /** How many start times, earliest first. */
  limit?: number;
}

export function usePairAvailability(search: PairSearch | null) {
  return useQuery({
    queryKey: ['availability-pairs', search],
    queryFn: () =>
      api.get<PairAvailability>('/api/availability/pairs', search as unknown as Record<string, string | number>),
    enabled: search !== null,
    staleTime: 30_000,
  });
}

export const useHoldPair = () =>
  useMutation({ mutationFn: (body: PairRequest) => api.post<BookingPair>('/api/bookings/pairs', body) });

export function usePair(id: string) {
  return useQuery({ queryKey: ['booking-pair', id], queryFn: () => api.get<BookingPair>(`/api/bookings/pairs/${id}`) });
}

export function useCancelPair(id: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<BookingPair>(`/api/bookings/pairs/${id}/cancel`, {}),
    onSuccess: (pair) => {
      queries.setQueryData(['booking-pair', id], pair);
      void queries.invalidateQueries({ queryKey: ['bookings'] });
    },
  });
}
