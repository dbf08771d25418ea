import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { ExternalCalendar } from '../../../shared/lib/api-types';

const EXTERNAL_CALENDARS = ['external-calendars'] as const;
const PATH = '/api/therapists/me/external-calendars';

export function useExternalCalendars() {
  return useQuery({
    queryKey: EXTERNAL_CALENDARS,
    queryFn: () => api.get<{ items: ExternalCalendar[] }>(PATH),
  });
}

function useCalendarMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: EXTERNAL_CALENDARS }),
  });
}

/** Adds the calendar by its secret address; the answer is its first read (busy times, or why it failed). */
export const useAddExternalCalendar = () =>
  useCalendarMutation((url: string) => api.post<ExternalCalendar>(PATH, { url: url.trim() }));
export const useRefreshExternalCalendar = () =>
  useCalendarMutation((id: string) => api.post<ExternalCalendar>(`${PATH}/${id}/refresh`));
export const useRemoveExternalCalendar = () => useCalendarMutation((id: string) => api.delete(`${PATH}/${id}`));
