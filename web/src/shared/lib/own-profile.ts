import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from './api-client';
import type { TherapistProfile } from './api-types';

/** The signed-in therapist's profile: set-up, hours and schedule all read it, and share one cache entry. */
export const OWN_PROFILE_KEY = ['therapist', 'me'] as const;

/** The therapist's own profile, or null before they first save one. */
export function useOwnTherapistProfile() {
  return useQuery({
    queryKey: OWN_PROFILE_KEY,
    queryFn: async () => {
      try {
        return await api.get<TherapistProfile>('/api/therapists/me');
      } catch (error) {
        if (error instanceof ApiError && error.code === 'profile_incomplete') return null;
        throw error;
      }
    },
  });
}
