import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type {
  BookingPage,
  ClientProgress,
  ImprovementShare,
  OutcomeCatalogue,
  OutcomeSubmission,
  TreatmentPlan,
  TreatmentPlanInput,
} from '../../../shared/lib/api-types';

/** A client's series per measure and region, side or activity (an audited read of their health data). */
export function useProgress(clientId: string) {
  return useQuery({
    queryKey: ['progress', clientId],
    queryFn: () => api.get<ClientProgress>(`/api/clients/${clientId}/progress`),
  });
}

export function useTreatmentPlans(clientId: string) {
  return useQuery({
    queryKey: ['progress', clientId, 'plans'],
    queryFn: () => api.get<TreatmentPlan[]>(`/api/clients/${clientId}/treatment-plans`),
  });
}

export function useSavePlan(clientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (plan: TreatmentPlanInput) => api.put<TreatmentPlan>(`/api/clients/${clientId}/treatment-plan`, plan),
    onSuccess: () => client.invalidateQueries({ queryKey: ['progress', clientId] }),
  });
}

/** The measures, their questionnaires and rules: reference data, fetched once. */
export function useOutcomeCatalogue() {
  return useQuery({
    queryKey: ['outcome-catalogue'],
    queryFn: () => api.get<OutcomeCatalogue>('/api/outcomes/catalogue'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSubmitOutcome(clientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (submission: OutcomeSubmission) =>
      api.post<{ measurements: unknown[]; progress: ClientProgress['series'] }>(
        `/api/clients/${clientId}/outcomes`,
        submission,
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['progress', clientId] }),
  });
}

/** The client's next sessions, which questionnaires answered now belong to. */
export function useUpcomingSessions() {
  return useQuery({
    queryKey: ['bookings', 'mine', 'questionnaire'],
    queryFn: () => api.get<BookingPage>('/api/bookings', { status: 'confirmed,checked_in', pageSize: 20 }),
  });
}

export function useImprovementShare(measure: string, sessions: number) {
  return useQuery({
    queryKey: ['improvement-share', measure, sessions],
    queryFn: () => api.get<ImprovementShare>('/api/outcomes/improvement-share', { measure, sessions }),
  });
}
