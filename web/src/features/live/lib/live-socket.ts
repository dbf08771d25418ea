import type { LiveServerFrame, LiveSignal, RegionLimit } from '../../../shared/lib/api-types';

/** What a screen shows about its connection. */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface LiveSnapshot {
  state: LiveState;
  /** The booking's signals this page has, in sequence order, without duplicates. */
  signals: LiveSignal[];
  /** Signals sent and not yet acknowledged (they are resent after a reconnect). */
  unsent: number;
  /** The last frame the server refused, in its words. */
  lastError: string | null;
  /** The therapist's: the regions the booking's screening caps or excludes, as the server checks them. */
  limits: RegionLimit[];
}

/** Frames a page sends; the socket adds the client message id. */
export type OutgoingSignal =
  | { type: 'signal'; kind: 'less' | 'good' | 'more'; region?: string }
  | { type: 'discomfort'; level: number; region?: string }
  | { type: 'pressure'; region: string; level: number; reason?: string };

/** Adds signals to a sorted series, skipping sequence numbers already there. Pure. */
export function mergeSignals(series: readonly LiveSignal[], incoming: readonly LiveSignal[]): LiveSignal[] {
  const bySeq = new Map(series.map((s) => [s.seq, s]));
  for (const s of incoming) if (!bySeq.has(s.seq)) bySeq.set(s.seq, s);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Waits 0.5 s, 1 s, 2 s … up to 5 s between attempts. Pure. */
export const reconnectDelayMs = (attempt: number) => Math.min(500 * 2 ** attempt, 5_000);

/**
 * The browser's end of a session's live channel. It reconnects after a drop, tells the server the last sequence
 * it saw (the server replays what was missed) and resends what was not acknowledged under the same client
 * message id (the server stores it once). Closing with 4410 (checked out) or 4401 (signed out) ends it.
 */
export class LiveSocket {
  #socket: WebSocket | null = null;
  #signals: LiveSignal[] = [];
  #pending = new Map<string, OutgoingSignal & { clientMessageId: string }>();
  #state: LiveState = 'connecting';
  #lastError: string | null = null;
  #limits: RegionLimit[] = [];
  #attempt = 0;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly url: string,
    private readonly onChange: (snapshot: LiveSnapshot) => void,
  ) {}

  start() {
    this.#connect();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000, 'left');
  }

  send(signal: OutgoingSignal) {
    const frame = { ...signal, clientMessageId: crypto.randomUUID() };
    this.#pending.set(frame.clientMessageId, frame);
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(frame));
    this.#emit();
  }

  #emit() {
    this.onChange({
      state: this.#state,
      signals: this.#signals,
      unsent: this.#pending.size,
      lastError: this.#lastError,
      limits: this.#limits,
    });
  }

  #connect() {
    const socket = new WebSocket(this.url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#state = 'live';
      socket.send(JSON.stringify({ type: 'resume', lastSeq: this.#signals.at(-1)?.seq ?? 0 }));
      for (const frame of this.#pending.values()) socket.send(JSON.stringify(frame));
      this.#emit();
    };
    socket.onmessage = (event) => this.#receive(JSON.parse(String(event.data)) as LiveServerFrame);
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      if (this.#stopped || event.code === 4410 || event.code === 4401) {
        this.#state = 'ended';
        this.#emit();
        return;
      }
      this.#state = 'reconnecting';
      this.#emit();
      this.#timer = setTimeout(() => this.#connect(), reconnectDelayMs(this.#attempt++));
    };
  }

  #receive(frame: LiveServerFrame) {
    switch (frame.type) {
      case 'ready':
        this.#limits = frame.limits ?? [];
        break;
      case 'signal':
        this.#signals = mergeSignals(this.#signals, [frame.signal]);
        break;
      case 'ack':
        this.#pending.delete(frame.clientMessageId);
        break;
      case 'error':
        this.#lastError = frame.message;
        if (frame.clientMessageId) this.#pending.delete(frame.clientMessageId);
        break;
      case 'ended':
        this.#state = 'ended';
        break;
      default:
        return;
    }
    this.#emit();
  }
}

export function liveUrl(bookingId: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/api/bookings/${bookingId}/live`;
}
