import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../../../shared/lib/api-client';
import type { BookingCourse, BookingCourseInput } from '../../../shared/lib/api-types';

/** What each session of a course would answer (available, taken with alternatives, refused with a reason); holds nothing. */
export function usePreviewCourse() {
  return useMutation({
    mutationFn: (input: BookingCourseInput) => api.post<BookingCourse>('/api/bookings/courses/preview', input),
  });
}

/** Holds every session sent, or none (409 course_unavailable, listing each that cannot be held). */
export function useHoldCourse() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: BookingCourseInput) =>
      api.post<BookingCourse>('/api/bookings/courses', input, { 'idempotency-key': newIdempotencyKey() }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['bookings'] });
      void client.invalidateQueries({ queryKey: ['availability'] });
      void client.invalidateQueries({ queryKey: ['therapist-slots'] });
    },
  });
}
