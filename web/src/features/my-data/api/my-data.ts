import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { HealthDataErasure, HealthDataErasurePlan } from '../../../shared/lib/api-types';

/** The JSON and FHIR downloads: plain links, the session cookie goes with them. */
export const JSON_EXPORT_URL = '/api/me/health-data';
export const FHIR_EXPORT_URL = '/api/me/health-data/fhir';

/** What erasure deletes at once and what it keeps, as the server will do it. */
export const useErasurePlan = () =>
  useQuery({
    queryKey: ['health-data-erasure'],
    queryFn: () => api.get<HealthDataErasurePlan>('/api/me/health-data/erasure'),
  });

export const useEraseHealthData = () =>
  useMutation({ mutationFn: () => api.delete<HealthDataErasure>('/api/me/health-data') });
