import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../../shared/lib/api-client';
import type { Incident, IncidentInput, IncidentMove, LiveSeries } from '../../../shared/lib/api-types';
import { type LiveSnapshot, LiveSocket, type OutgoingSignal, liveUrl } from '../lib/live-socket';

/** The session's live channel while `open`; the snapshot re-renders on every frame. */
export function useLiveChannel(bookingId: string, open: boolean) {
  const [snapshot, setSnapshot] = useState<LiveSnapshot>({
    state: 'connecting',
    signals: [],
    unsent: 0,
    lastError: null,
    limits: [],
  });
  const socket = useRef<LiveSocket | null>(null);
  useEffect(() => {
    if (!open) return;
    const live = new LiveSocket(liveUrl(bookingId), setSnapshot);
    socket.current = live;
    live.start();
    return () => {
      live.stop();
      socket.current = null;
    };
  }, [bookingId, open]);
  return { ...snapshot, send: (signal: OutgoingSignal) => socket.current?.send(signal) };
}

/** The whole series with its summary (an audited read), for a session that is over. */
export function useLiveSeries(bookingId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['live-series', bookingId],
    queryFn: () => api.get<LiveSeries>(`/api/bookings/${bookingId}/live/signals`),
    enabled,
  });
}

export function useBookingIncidents(bookingId: string) {
  return useQuery({
    queryKey: ['incidents', 'booking', bookingId],
    queryFn: () => api.get<Incident[]>(`/api/bookings/${bookingId}/incidents`),
  });
}

export function useReportIncident(bookingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: IncidentInput) => api.post<Incident>(`/api/bookings/${bookingId}/incidents`, input),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['incidents'] }),
  });
}

/** "Never" for the other person: no more bookings between the two of you. */
export function useBlock() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.put(`/api/me/pair-preferences/${userId}`, { preference: 'never' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['pair-preferences'] }),
  });
}

export interface IncidentQueueFilter {
  status: string;
  kind: string;
}

export function useIncidentQueue(filter: IncidentQueueFilter) {
  return useQuery({
    queryKey: ['incidents', 'queue', filter],
    queryFn: () => api.get<Incident[]>('/api/operator/incidents', { status: filter.status, kind: filter.kind }),
  });
}

export function useMoveIncident() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...move }: IncidentMove & { id: string }) =>
      api.post<Incident>(`/api/operator/incidents/${id}/transitions`, move),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['incidents'] }),
  });
}
