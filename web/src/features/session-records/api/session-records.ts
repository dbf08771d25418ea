import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type {
  AmendmentInput,
  Attendance,
  NoteDraft,
  NoteDraftInput,
  RatingInput,
  RatingStatus,
  SessionRecord,
  StoredNote,
} from '../../../shared/lib/api-types';

const recordKey = (id: string) => ['session-record', id] as const;

/** Attendance, the note and the measurements of one session (an audited read of the client's health data). */
export function useSessionRecord(id: string) {
  return useQuery({
    queryKey: recordKey(id),
    queryFn: () => api.get<SessionRecord>(`/api/bookings/${id}/session-record`),
  });
}

/**
 * A note drafted from a template within the booking's screening; without choices, the best fit for the focus.
 * Drafted afresh each time the note opens, since the live record may have added reasons since.
 */
export function useNoteDraft(id: string, choice: { template?: string; sides?: string }, enabled: boolean) {
  return useQuery({
    queryKey: ['note-draft', id, choice.template ?? '', choice.sides ?? ''],
    queryFn: () => api.get<NoteDraft>(`/api/bookings/${id}/note/draft`, choice),
    enabled,
  });
}

/** After any change to a session: its record, and the booking lists and views that show its status. */
function useRefreshSession(id: string) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: recordKey(id) });
    void client.invalidateQueries({ queryKey: ['bookings'] });
    void client.invalidateQueries({ queryKey: ['rating', id] });
    void client.invalidateQueries({ queryKey: ['progress'] });
  };
}

/** Check-in carries the client's pain now (their answer when asked, per region); the others carry nothing. */
export type AttendanceAction = { action: 'check-in'; painNow: PainNow } | { action: 'check-out' | 'no-show' };
export type PainNow = { region: string; score: number }[];

export function useAttendance(id: string) {
  const refresh = useRefreshSession(id);
  return useMutation({
    mutationFn: (input: AttendanceAction) =>
      api.post<Attendance>(
        `/api/bookings/${id}/${input.action}`,
        input.action === 'check-in' ? { painNow: input.painNow } : undefined,
      ),
    onSuccess: refresh,
  });
}

export function useSaveNote(id: string) {
  const refresh = useRefreshSession(id);
  return useMutation({
    mutationFn: (input: NoteDraftInput) => api.put<StoredNote>(`/api/bookings/${id}/note`, input),
    onSuccess: refresh,
  });
}

export function useSignNote(id: string) {
  const refresh = useRefreshSession(id);
  return useMutation({
    mutationFn: (input: NoteDraftInput) => api.post<StoredNote>(`/api/bookings/${id}/note/sign`, input),
    onSuccess: refresh,
  });
}

export function useAmendNote(id: string) {
  const refresh = useRefreshSession(id);
  return useMutation({
    mutationFn: (input: AmendmentInput) => api.post<StoredNote>(`/api/bookings/${id}/note/amendments`, input),
    onSuccess: refresh,
  });
}

export function useRatingStatus(id: string) {
  return useQuery({ queryKey: ['rating', id], queryFn: () => api.get<RatingStatus>(`/api/bookings/${id}/rating`) });
}

export function useRate(id: string) {
  const refresh = useRefreshSession(id);
  return useMutation({
    mutationFn: (input: RatingInput) => api.post(`/api/bookings/${id}/rating`, input),
    onSuccess: refresh,
  });
}
