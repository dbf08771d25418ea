import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../../shared/lib/api-client';
import type { Override, OverrideInput, TherapistProfile, WeeklyHoursRule } from '../../../shared/lib/api-types';

const PROFILE_KEY = ['therapist', 'me'] as const;

export function useProfileForHours() {
  return useQuery({
    queryKey: PROFILE_KEY,
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

export function useSaveWeeklyHours() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (rules: WeeklyHoursRule[]) => api.put<TherapistProfile>('/api/therapists/me/weekly-hours', { rules }),
    onSuccess: (profile) => client.setQueryData(PROFILE_KEY, profile),
  });
}

export function useOverrides(from: string) {
  return useQuery({ queryKey: ['overrides', from], queryFn: () => api.get<Override[]>('/api/therapists/me/overrides', { from }) });
}

export function useAddOverride() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: OverrideInput) => api.post<Override>('/api/therapists/me/overrides', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['overrides'] }),
  });
}

export function useDeleteOverride() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/therapists/me/overrides/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['overrides'] }),
  });
}
