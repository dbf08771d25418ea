import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { TherapistProfile } from '../../../shared/lib/api-types';

/** A therapist's public profile (name, services, studios); a 404 when they cannot be booked or do not exist. */
export function useTherapistProfile(id: string) {
  return useQuery({
    queryKey: ['therapist', id],
    queryFn: () => api.get<TherapistProfile>(`/api/therapists/${encodeURIComponent(id)}`),
    staleTime: 60_000,
  });
}
