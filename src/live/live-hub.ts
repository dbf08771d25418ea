import type { Database } from '../db/connection.js';
import type { LiveSignal, ServerFrame } from './live-messages.js';
import { LIVE_CHANNEL, type LiveNotice } from './signal-store.js';

/** One socket on a booking's channel, as the hub sees it. */
export interface LiveSubscriber {
  /** A signal committed for the booking (maybe one this subscriber already has; it skips those by sequence). */
  deliver(signal: LiveSignal): void;
  /** The session was checked out: say so and close. */
  end(reason: Extract<ServerFrame, { type: 'ended' }>['reason']): void;
  /** The SHA-256 of the sign-in the socket was opened with. */
  readonly tokenHash: string;
}

/**
 * Fan-out for one app instance. Every instance LISTENs on the live channel and forwards each notification to
 * its own sockets on that booking, so a client connected to one instance reaches a therapist on another. A
 * signal reaches sockets only through the database (stored, then notified on commit), never directly, so every
 * socket sees the same series in the same order whichever instance it is on.
 */
export class LiveHub {
  readonly #rooms = new Map<string, Set<LiveSubscriber>>();
  #unlisten: (() => Promise<void>) | null = null;

  async start(database: Database): Promise<void> {
    this.#unlisten = await database.listen(LIVE_CHANNEL, (payload) => this.#dispatch(payload));
  }

  async stop(): Promise<void> {
    const unlisten = this.#unlisten;
    this.#unlisten = null;
    await unlisten?.();
  }

  join(bookingId: string, subscriber: LiveSubscriber): () => void {
    let room = this.#rooms.get(bookingId);
    if (!room) {
      room = new Set();
      this.#rooms.set(bookingId, room);
    }
    room.add(subscriber);
    return () => {
      room.delete(subscriber);
      if (room.size === 0 && this.#rooms.get(bookingId) === room) this.#rooms.delete(bookingId);
    };
  }

  /** Sockets on this instance (metrics, tests). */
  get connections(): number {
    let count = 0;
    for (const room of this.#rooms.values()) count += room.size;
    return count;
  }

  #dispatch(payload: string) {
    let notice: LiveNotice;
    try {
      notice = JSON.parse(payload) as LiveNotice;
    } catch {
      return;
    }
    if (notice.type === 'signed_out') {
      for (const room of this.#rooms.values()) for (const subscriber of [...room]) if (subscriber.tokenHash === notice.tokenHash) subscriber.end('signed_out');
      return;
    }
    const room = this.#rooms.get(notice.bookingId);
    if (!room) return;
    for (const subscriber of [...room]) {
      if (notice.type === 'signal') subscriber.deliver(notice.signal);
      else subscriber.end(notice.reason);
    }
  }
}
