import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type {
  Aftercare,
  AftercarePlan,
  CareAlert,
  CheckIn,
  CheckInAnswer,
  ExerciseCatalogue,
} from '../../../shared/lib/api-types';

const aftercareKey = (bookingId: string) => ['aftercare', bookingId] as const;

/** The aftercare of a session: the draft for its therapist, what was sent for the client (an audited read). */
export function useAftercare(bookingId: string) {
  return useQuery({
    queryKey: aftercareKey(bookingId),
    queryFn: () => api.get<Aftercare>(`/api/bookings/${bookingId}/aftercare`),
    retry: false,
  });
}

export function useExerciseCatalogue() {
  return useQuery({
    queryKey: ['exercise-catalogue'],
    queryFn: () => api.get<ExerciseCatalogue>('/api/aftercare/exercises'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSaveAftercare(bookingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (plan: AftercarePlan) => api.put<Aftercare>(`/api/bookings/${bookingId}/aftercare`, { plan }),
    onSuccess: (saved) => client.setQueryData(aftercareKey(bookingId), saved),
  });
}

export function useSendAftercare(bookingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Aftercare>(`/api/bookings/${bookingId}/aftercare/send`),
    onSuccess: (sent) => client.setQueryData(aftercareKey(bookingId), sent),
  });
}

export function useMyAftercare() {
  return useQuery({
    queryKey: ['my-aftercare'],
    queryFn: () =>
      api.get<{
        items: {
          bookingId: string;
          sentAt: string;
          therapistName: string;
          sessionStartsAt: string;
          sessionTimeZone: string;
        }[];
      }>('/api/me/aftercare'),
  });
}

export function useMyCheckIns() {
  return useQuery({
    queryKey: ['check-ins', 'mine'],
    queryFn: () => api.get<{ items: CheckIn[] }>('/api/me/check-ins'),
  });
}

export function useCheckIn(id: string) {
  return useQuery({
    queryKey: ['check-ins', id],
    queryFn: () => api.get<CheckIn>(`/api/check-ins/${id}`),
    retry: false,
  });
}

export function useAnswerCheckIn(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (answer: CheckInAnswer) => api.post<CheckIn>(`/api/check-ins/${id}/answer`, answer),
    onSuccess: (answered) => {
      client.setQueryData(['check-ins', id], answered);
      void client.invalidateQueries({ queryKey: ['check-ins', 'mine'] });
    },
  });
}

export function useCareAlerts(status: 'open' | 'acknowledged' | 'all') {
  return useQuery({
    queryKey: ['care-alerts', status],
    queryFn: () => api.get<{ items: CareAlert[] }>('/api/care-alerts', { status }),
  });
}

export function useAcknowledgeAlert() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) =>
      api.post<CareAlert>(`/api/care-alerts/${id}/acknowledge`, { note }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['care-alerts'] }),
  });
}
