import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { CalendarFeed, NewCalendarFeed } from '../../../shared/lib/api-types';

const FEEDS = ['calendar-feeds'] as const;

export function useCalendarFeeds() {
  return useQuery({ queryKey: FEEDS, queryFn: () => api.get<{ items: CalendarFeed[] }>('/api/calendar-feeds') });
}

function useFeedMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: FEEDS }) });
}

/** A new private feed; its URL is in this answer only. */
export const useCreateFeed = () =>
  useFeedMutation((label: string) =>
    api.post<NewCalendarFeed>('/api/calendar-feeds', label.trim() ? { label: label.trim() } : {}),
  );
/** Replaces a feed's URL: the old one stops working, the new one is in this answer only. */
export const useRotateFeed = () =>
  useFeedMutation((id: string) => api.post<NewCalendarFeed>(`/api/calendar-feeds/${id}/rotate`));
export const useRevokeFeed = () =>
  useFeedMutation((id: string) => api.delete<CalendarFeed>(`/api/calendar-feeds/${id}`));
