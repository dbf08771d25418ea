import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import { OWN_PROFILE_KEY } from '../../../shared/lib/own-profile';
import type { Override, OverrideInput, TherapistProfile, WeeklyHoursRule } from '../../../shared/lib/api-types';

export function useSaveWeeklyHours() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (rules: WeeklyHoursRule[]) => api.put<TherapistProfile>('/api/therapists/me/weekly-hours', { rules }),
    onSuccess: (profile) => client.setQueryData(OWN_PROFILE_KEY, profile),
  });
}

export function useOverrides(from: string) {
  return useQuery({
    queryKey: ['overrides', from],
    queryFn: () => api.get<Override[]>('/api/therapists/me/overrides', { from }),
  });
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
