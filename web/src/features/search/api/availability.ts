import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { AvailabilityPage } from '../../../shared/lib/api-types';

export interface AvailabilityParams {
  durationMin: 60 | 90 | 120;
  from: string;
  to: string;
  zone: string;
  mode: 'studio' | 'home';
  lat: number;
  lng: number;
  radiusKm?: number;
  gender?: string;
  specialty?: string;
  therapistId?: string;
  /** How many open times per therapist and place (the API's default is 40, at most 500). */
  slotsPerTherapist?: number;
  sort?: 'earliest' | 'rating' | 'distance';
  page?: number;
  pageSize?: number;
}

export const fetchAvailability = (params: AvailabilityParams) =>
  api.get<AvailabilityPage>('/api/availability', params as unknown as Record<string, string | number>);

export function useAvailability(params: AvailabilityParams | null) {
  return useQuery({
    queryKey: ['availability', params],
    queryFn: () => fetchAvailability(params!),
    enabled: params !== null,
    staleTime: 30_000,
  });
}
