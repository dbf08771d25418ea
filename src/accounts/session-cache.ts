import { randomUUID } from 'node:crypto';
import type { Database, Unlisten } from '../db/connection.js';
import type { SessionRead, SignedInUser } from './sessions.js';

/** Where the database announces changes to sessions and users (migration 0049). */
export const SESSIONS_CHANNEL = 'knotwork_sessions';

export interface SessionCacheOptions {
  /** How many sessions are kept; the least recently used goes first (default 10,000). */
  maxEntries?: number;
  /** How long an entry is served before it is read again whatever the notices said (default 60 s). */
  maxAgeMs?: number;
  /** PostgreSQL: how often the listener sends itself a heartbeat (default 2 s). */
  heartbeatMs?: number;
  /** PostgreSQL: how long a heartbeat may take before the listener is presumed lost (default 2 s). */
  heartbeatTimeoutMs?: number;
  /** The monotonic clock (ms) for entry ages and heartbeats (default performance.now; tests move it by hand). */
  monotonicNow?: () => number;
}

interface Entry {
  user: SignedInUser;
  expiresAt: number;
  cachedAt: number;
}

/**
 * This instance's copy of session (token hash) -> signed-in user, so that a request does not read its session
 * from the database. Never trusted beyond what the database has announced:
 * - Triggers (migration 0049) announce on SESSIONS_CHANNEL every session deleted or changed and every user whose
 *   e-mail, role, name, password or closing changed; each notice drops what it names. A process that ends a session
 *   also drops it here at once (`forget`, `forgetUser`), so signing out on this instance takes effect before the
 *   notice comes back.
 * - The copy is served only while the listener is known to be up: on PGlite from LISTEN on (the listener lives in
 *   the process), on PostgreSQL while a heartbeat sent on the listening connection at most heartbeatMs +
 *   heartbeatTimeoutMs ago has come back (notices arrive in commit order, so then every change committed before it
 *   has been seen). Otherwise every lookup reads the database, and the copy is emptied when the listener is lost and
 *   again when it is back.
 * - A lookup fills the copy only if no notice (and no loss) came between the start of its read and its end, so a
 *   read that raced a sign-out cannot put the signed-out session back.
 * - Expiry is checked against the injected clock on every lookup; an entry older than maxAgeMs is read again.
 * So an entry can be wrong for as long as a notice takes to arrive, or, if the listening connection is lost without
 * a word, for at most heartbeatMs + heartbeatTimeoutMs (docs/ARCHITECTURE.md, accounts).
 */
export class SessionCache {
  readonly #database: Database;
  readonly #entries = new Map<string, Entry>();
  readonly #instance = randomUUID();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #heartbeatMs: number;
  readonly #heartbeatTimeoutMs: number;
  readonly #monotonicNow: () => number;
  /** PostgreSQL's listener can be lost apart from the process; PGlite's cannot. */
  readonly #heartbeats: boolean;
  readonly #beatWaiters = new Map<string, () => void>();
  #beat = 0;
  /** Bumped by every notice, local drop, loss and (re)connection: a read that spans a bump does not fill. */
  #epoch = 0;
  #listener: Unlisten | undefined;
  #connecting: Promise<void> | undefined;
  #queued: Promise<boolean> | undefined;
  #inFlight: Promise<boolean> | undefined;
  /** When the newest heartbeat that came back was sent (monotonic ms). */
  #confirmedAt = -Infinity;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopped = false;
  #hits = 0;
  #misses = 0;

  constructor(database: Database, options: SessionCacheOptions = {}) {
    this.#database = database;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#heartbeatMs = options.heartbeatMs ?? 2_000;
    this.#heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 2_000;
    this.#monotonicNow = options.monotonicNow ?? (() => performance.now());
    this.#heartbeats = database.backend === 'postgres';
  }

  /** Starts listening (a failure leaves the copy unused until a later attempt succeeds); never throws. */
  async start(): Promise<void> {
    this.#stopped = false;
    if (this.#heartbeats && !this.#timer) {
      this.#timer = setInterval(() => void this.checkListener().catch(() => {}), this.#heartbeatMs);
      this.#timer.unref();
    }
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#connecting?.catch(() => {});
    await this.#queued?.catch(() => {});
    await this.#inFlight?.catch(() => {});
    this.#drop();
  }

  /** Whether the copy may be served now. */
  get trusted(): boolean {
    if (!this.#listener) return false;
    return (
      !this.#heartbeats || this.#monotonicNow() - this.#confirmedAt <= this.#heartbeatMs + this.#heartbeatTimeoutMs
    );
  }

  /** Lookups answered from the copy and from the database (metrics, tests). */
  stats(): { hits: number; misses: number; entries: number } {
    return { hits: this.#hits, misses: this.#misses, entries: this.#entries.size };
  }

  /**
   * The signed-in user of the session with this token hash at `now` (the injected clock), from the copy when it may
   * be trusted, else from `read` (the database), whose answer is kept for the next time.
   */
  async lookup(
    hash: string,
    now: number,
    read: () => Promise<SessionRead | undefined>,
  ): Promise<SignedInUser | undefined> {
    const epoch = this.#epoch;
    if (this.trusted) {
      const entry = this.#entries.get(hash);
      if (entry) {
        this.#entries.delete(hash);
        if (entry.expiresAt > now && this.#monotonicNow() - entry.cachedAt <= this.#maxAgeMs) {
          this.#entries.set(hash, entry);
          this.#hits++;
          return { ...entry.user };
        }
      }
    }
    this.#misses++;
    const found = await read();
    if (!found || found.expiresAt <= now) return undefined;
    if (this.#epoch === epoch && this.trusted) {
      this.#entries.set(hash, { user: { ...found.user }, expiresAt: found.expiresAt, cachedAt: this.#monotonicNow() });
      if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    }
    return found.user;
  }

  /** Drops a session this process has just ended (the notice will come too). */
  forget(hash: string): void {
    this.#epoch++;
    this.#entries.delete(hash);
  }

  /** Drops every session of a user this process has just changed or signed out (the notices will come too). */
  forgetUser(userId: string): void {
    this.#epoch++;
    for (const [hash, entry] of this.#entries) if (entry.user.id === userId) this.#entries.delete(hash);
  }

  /**
   * Sends a heartbeat on the listening connection and waits for it: once true, every notice committed before the
   * call has been applied. False (the listener is then rebuilt, the copy emptied) if it did not come back in time.
   */
  checkListener(): Promise<boolean> {
    // A heartbeat already on its way may have been sent before this call: wait for it, then send one of its own
    // (shared by every call that queued meanwhile).
    this.#queued ??= (async () => {
      await this.#inFlight?.catch(() => {});
      this.#queued = undefined;
      const sending = this.#heartbeat();
      this.#inFlight = sending;
      return sending;
    })();
    return this.#queued;
  }

  async #heartbeat(): Promise<boolean> {
    const listener = this.#listener;
    if (!listener) {
      if (!this.#stopped) await this.#connect();
      return this.#listener !== undefined;
    }
    const token = `beat:${this.#instance}:${++this.#beat}`;
    const sentAt = this.#monotonicNow();
    const arrived = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.#heartbeatTimeoutMs);
      this.#beatWaiters.set(token, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    try {
      const sent = listener.notify(token).then(
        () => true,
        () => false,
      );
      if ((await sent) && (await arrived)) {
        if (this.#listener === listener) this.#confirmedAt = Math.max(this.#confirmedAt, sentAt);
        return true;
      }
    } finally {
      this.#beatWaiters.delete(token);
    }
    if (this.#listener === listener) this.#lost();
    if (!this.#stopped) await this.#connect();
    return false;
  }

  #connect(): Promise<void> {
    this.#connecting ??= (async () => {
      if (this.#listener || this.#stopped) return;
      let listener: Unlisten | undefined;
      let dead = false;
      try {
        listener = await this.#database.listen(
          SESSIONS_CHANNEL,
          (payload) => this.#notice(payload),
          () => {
            dead = true;
            if (listener && this.#listener === listener) this.#lost();
          },
        );
      } catch {
        return; // Tried again at the next heartbeat; meanwhile every lookup reads the database.
      }
      if (this.#stopped || dead) {
        await listener().catch(() => {});
        return;
      }
      // Whatever was cached before is not known to have been told of the changes made while nobody listened.
      this.#entries.clear();
      this.#epoch++;
      this.#confirmedAt = this.#monotonicNow();
      this.#listener = listener;
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /** The listener is gone or mute: trust nothing cached and stop listening on it. */
  #lost(): void {
    this.#drop();
    if (!this.#stopped) void this.#connect();
  }

  #drop(): void {
    const listener = this.#listener;
    this.#listener = undefined;
    this.#confirmedAt = -Infinity;
    this.#entries.clear();
    this.#epoch++;
    if (listener) void listener().catch(() => {});
  }

  #notice(payload: string): void {
    if (payload.startsWith('beat:')) {
      this.#beatWaiters.get(payload)?.();
      return;
    }
    if (payload.startsWith('s:')) this.forget(payload.slice(2));
    else if (payload.startsWith('u:')) this.forgetUser(payload.slice(2));
    else {
      this.#epoch++;
      this.#entries.clear();
    }
  }
}
