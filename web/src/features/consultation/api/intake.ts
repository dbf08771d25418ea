import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, withQuery } from '../../../shared/lib/api-client';
import type { IntakeInput, IntakeVersion, MyScreening, SavedIntake } from '../../../shared/lib/api-types';
import { browserZone } from '../../../shared/lib/format';

const INTAKE = ['intake', 'me'] as const;
const SCREENING = ['screening', 'me'] as const;
/** The answer to the last save, kept so the page after it can say what the save changed. */
export const LAST_SAVE = ['intake', 'last-save'] as const;

/** The latest version of the client's consultation, or null before the first one. */
export function useMyIntake(enabled = true) {
  return useQuery({
    queryKey: INTAKE,
    enabled,
    queryFn: async () => {
      try {
        return await api.get<IntakeVersion>('/api/me/intake');
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_found') return null;
        throw error;
      }
    },
  });
}

/** Whether deep tissue suits the client today (their today, in the browser's zone), from their latest consultation. */
export function useMyScreening(enabled: boolean) {
  return useQuery({
    queryKey: SCREENING,
    queryFn: () => api.get<MyScreening>('/api/me/screening', { zone: browserZone() }),
    enabled,
    staleTime: 0,
  });
}

export function useSaveIntake() {
  const client = useQueryClient();
  return useMutation({
    // The zone makes the preview and the dates the server fills in the client's day, not UTC's.
    mutationFn: (intake: IntakeInput) =>
      api.put<SavedIntake>(withQuery('/api/me/intake', { zone: browserZone() }), intake),
    onSuccess: (saved) => {
      client.setQueryData(INTAKE, saved.version);
      client.setQueryData(LAST_SAVE, saved);
      void client.invalidateQueries({ queryKey: SCREENING });
      // Upcoming bookings were screened again.
      void client.invalidateQueries({ queryKey: ['bookings'] });
    },
  });
}
