import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { Booking, WaitlistEntry } from '../../../shared/lib/api-types';

export interface JoinInput {
  therapistId?: string;
  durationMin: 60 | 90 | 120;
  mode: 'studio' | 'home';
  lat: number;
  lng: number;
  radiusKm: number;
  address?: string;
  gender?: string;
  specialty?: string;
  from: string;
  to: string;
  fromTime: string;
  toTime: string;
}

export interface ClaimInput {
  id: string;
  therapistId: string;
  start: string;
  studioId?: string;
}

export const useWaitlist = () =>
  useQuery({
    queryKey: ['waitlist'],
    queryFn: () => api.get<{ items: WaitlistEntry[] }>('/api/waitlist'),
  });

export function useJoinWaitlist() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: JoinInput) => api.post<WaitlistEntry>('/api/waitlist', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['waitlist'] }),
  });
}

export function useLeaveWaitlist() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/waitlist/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['waitlist'] }),
  });
}

/** Claims an offered time: on success the hold is a booking like any other (confirm it on its page). */
export function useClaimWaitlist() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ClaimInput) =>
      api.post<{ entry: WaitlistEntry; booking: Booking }>(`/api/waitlist/${id}/claim`, body),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['waitlist'] });
      void client.invalidateQueries({ queryKey: ['bookings'] });
    },
  });
}
