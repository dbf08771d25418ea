import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { BookingScreening, ClearanceDocument } from '../../../shared/lib/api-types';

/** The screening of one booking (an audited read of the client's health data). */
export function useBookingScreening(bookingId: string, enabled = true) {
  return useQuery({
    queryKey: ['bookings', bookingId, 'screening'],
    queryFn: () => api.get<BookingScreening>(`/api/bookings/${bookingId}/screening`),
    enabled,
  });
}

export function useClearanceDocuments(bookingId: string, enabled = true) {
  return useQuery({
    queryKey: ['bookings', bookingId, 'clearance-documents'],
    queryFn: () => api.get<ClearanceDocument[]>(`/api/bookings/${bookingId}/clearance-documents`),
    enabled,
  });
}

/** A file as base64, the way the upload endpoint takes it (one strict JSON body, like every other endpoint). */
function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    // readAsDataURL's result is a string (a data: URL).
    reader.onload = () => resolve((reader.result as string).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}

export function useUploadClearance(bookingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) =>
      api.post<ClearanceDocument>(`/api/bookings/${bookingId}/clearance-documents`, {
        filename: file.name,
        contentBase64: await readAsBase64(file),
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['bookings', bookingId] }),
  });
}

export function useReviewClearance(bookingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      documentId,
      decision,
      note,
    }: {
      documentId: string;
      decision: 'verify' | 'reject';
      note?: string;
    }) =>
      api.post<ClearanceDocument>(`/api/bookings/${bookingId}/clearance-documents/${documentId}/review`, {
        decision,
        ...(note ? { note } : {}),
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['bookings'] }),
  });
}
