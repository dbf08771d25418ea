import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/connection.js';
import type { LiveSignal, ServerFrame } from './engine/live-messages.js';
import { LIVE_CHANNEL, type LiveNotice } from './signal-store.js';

/** One socket on a booking's channel, as the hub sees it. */
export interface LiveSubscriber {
  /** A signal committed for the booking (maybe one this subscriber already has; it skips those by sequence). */
  deliver(signal: LiveSignal): void;
  /** The session was checked out, or the sign-in ended: say so and close. */
  end(reason: Extract<ServerFrame, { type: 'ended' }>['reason']): void;
  /** Notifications may have been missed: send whatever is stored after what this socket has. */
  resync(): void;
  /** The SHA-256 of the sign-in the socket was opened with. */
  readonly tokenHash: string;
}

export interface LiveHubOptions {
  /** How often the hub checks that its LISTEN still works. */
  heartbeatMs?: number;
  /** How long a heartbeat may take before the listener is presumed lost and rebuilt. */
  heartbeatTimeoutMs?: number;
}

/**
 * Fan-out for one app instance. Every instance LISTENs on the live channel and forwards each notification to
 * its own sockets on that booking, so a client connected to one instance reaches a therapist on another. A
 * signal reaches sockets only through the database (stored, then notified on commit), never directly, so every
 * socket sees the same series in the same order whichever instance it is on.
 *
 * A listening connection can be lost silently. The hub sends itself a heartbeat notification every few seconds;
 * when one does not come back in time it listens again and has every socket resync from the table, so nothing
 * committed meanwhile is missed.
 */
export class LiveHub {
  readonly #rooms = new Map<string, Set<LiveSubscriber>>();
  readonly #instance = randomUUID();
  readonly #heartbeatMs: number;
  readonly #heartbeatTimeoutMs: number;
  readonly #waiting = new Map<string, () => void>();
  #database: Database | null = null;
  #unlisten: (() => Promise<void>) | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #beat = 0;
  #checking: Promise<boolean> | null = null;

  constructor(options: LiveHubOptions = {}) {
    this.#heartbeatMs = options.heartbeatMs ?? 10_000;
    this.#heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 3_000;
  }

  async start(database: Database): Promise<void> {
    this.#database = database;
    await this.#listen();
    this.#timer = setInterval(() => void this.checkListener().catch(() => {}), this.#heartbeatMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#checking?.catch(() => {});
    const unlisten = this.#unlisten;
    this.#unlisten = null;
    this.#database = null;
    await unlisten?.().catch(() => {});
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

  /**
   * Sends a heartbeat through the channel and waits for it. Returns false when it did not come back: the
   * listener has then been rebuilt and every socket told to resync.
   */
  checkListener(): Promise<boolean> {
    this.#checking ??= this.#heartbeat().finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  async #heartbeat(): Promise<boolean> {
    const database = this.#database;
    if (!database) return true;
    const token = `${this.#instance}:${++this.#beat}`;
    const arrived = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.#heartbeatTimeoutMs);
      this.#waiting.set(token, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    try {
      await sql`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify({ type: 'heartbeat', token })})`.execute(
        database.db,
      );
      if (await arrived) return true;
    } finally {
      this.#waiting.delete(token);
    }
    if (this.#database !== database) return true;
    const lost = this.#unlisten;
    this.#unlisten = null;
    await lost?.().catch(() => {});
    await this.#listen();
    for (const room of this.#rooms.values()) for (const subscriber of room) subscriber.resync();
    return false;
  }

  async #listen() {
    this.#unlisten = await this.#database!.listen(LIVE_CHANNEL, (payload) => this.#dispatch(payload));
  }

  #dispatch(payload: string) {
    let notice: LiveNotice | { type: 'heartbeat'; token: string };
    try {
      notice = JSON.parse(payload) as LiveNotice | { type: 'heartbeat'; token: string };
    } catch {
      return;
    }
    if (notice.type === 'heartbeat') {
      this.#waiting.get(notice.token)?.();
      return;
    }
    if (notice.type === 'signed_out') {
      for (const room of this.#rooms.values())
        for (const subscriber of [...room]) if (subscriber.tokenHash === notice.tokenHash) subscriber.end('signed_out');
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
