import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { ReviewPage, TherapistProfile } from '../../../shared/lib/api-types';

export const REVIEW_PAGE_SIZE = 10;

export const useTherapistProfile = (id: string) =>
  useQuery({ queryKey: ['therapist', id], queryFn: () => api.get<TherapistProfile>(`/api/therapists/${id}`) });

export const useReviews = (therapistId: string, page: number) =>
  useQuery({
    queryKey: ['reviews', therapistId, page],
    queryFn: () => api.get<ReviewPage>(`/api/therapists/${therapistId}/reviews`, { page, pageSize: REVIEW_PAGE_SIZE }),
  });

function useReviewMutation<T>(therapistId: string, request: (input: T) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: () => client.invalidateQueries({ queryKey: ['reviews', therapistId] }),
  });
}

export const useReplyToReview = (therapistId: string, reviewId: string) =>
  useReviewMutation(therapistId, (text: string) => api.post(`/api/reviews/${reviewId}/reply`, { text }));

export const useHideReview = (therapistId: string, reviewId: string) =>
  useReviewMutation(therapistId, (reason: string) => api.post(`/api/reviews/${reviewId}/hide`, { reason }));
