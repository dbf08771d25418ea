import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/connection.js';
import { CachedCalendars } from './cached-calendars.js';
import { type CachedTherapist, loadCachedTherapists } from './calendar-loader.js';
import type { TherapistScope } from '../therapists/therapists-reads.js';

export const CALENDAR_CHANNEL = 'knotwork_calendar';

/** How the cache reads therapists; called only after a barrier, so it must see every commit made before the call. */
type CalendarLoad = (scope: TherapistScope, now: number) => Promise<Map<string, CachedTherapist>>;

/**
 * Search's in-memory copy of every approved therapist's calendar and upcoming bookings, one per app instance.
 *
 * Freshness: database triggers announce each changed therapist on CALENDAR_CHANNEL (migration 0006), and
 * before answering, `fresh()` sends a barrier notification of its own and waits for it to come back. Notifications
 * arrive in commit order, so by then every change committed before the search began has been announced, and
 * the announced therapists are reloaded. Search therefore sees every committed write, as reading the tables would,
 * at the cost of one tiny round trip instead of thousands of rows. Booking never trusts this copy: the database
 * constraint decides.
 * What is kept besides the rows (a spatial index, market means, working hours and earliest starts per day) is
 * `CachedCalendars`'.
 */
export class CalendarCache {
  readonly #database: Database;
  readonly #instance = randomUUID();
  #dirty = new Set<string>();
  #everythingStale = true;
  #started: Promise<void> | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #barrierSeq = 0;
  readonly #barrierWaiters = new Map<string, () => void>();
  #barrierQueued: Promise<void> | undefined;
  #barrierInFlight: Promise<void> | undefined;
  #reloading: Promise<void> | undefined;
  /** How long a barrier may take before the listener is presumed lost and rebuilt. */
  readonly #barrierTimeoutMs: number;
  /** The cached therapists and what search keeps about them; current right after `fresh`. */
  readonly calendars: CachedCalendars;

  /** Reads the therapists: from the primary, or where the caller says (a caught-up replica: see db/read-replicas.ts). */
  readonly #load: CalendarLoad;

  constructor(
    database: Database,
    options: { barrierTimeoutMs?: number; shortcuts?: boolean; load?: CalendarLoad } = {},
  ) {
    this.#database = database;
    this.#barrierTimeoutMs = options.barrierTimeoutMs ?? 5_000;
    this.#load = options.load ?? ((scope, now) => loadCachedTherapists(database.db, scope, now));
    this.calendars = new CachedCalendars({ shortcuts: options.shortcuts ?? true });
  }

  /** Brings `calendars` up to every commit before this call (read them right after, before awaiting anything). */
  async fresh(now: number): Promise<void> {
    this.#started ??= this.#listen();
    await this.#started;
    await this.#barrier();
    await this.#reload(now);
  }

  async close(): Promise<void> {
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    if (unlisten) await unlisten().catch(() => {});
  }

  async #listen(): Promise<void> {
    this.#unlisten = await this.#database.listen(CALENDAR_CHANNEL, (payload) => {
      if (payload.startsWith('barrier:')) this.#barrierWaiters.get(payload)?.();
      else this.#dirty.add(payload);
    });
  }

  /** Resolves once a barrier sent after this call began has come back through the listener. */
  #barrier(): Promise<void> {
    this.#barrierQueued ??= (async () => {
      await this.#barrierInFlight?.catch(() => {});
      this.#barrierQueued = undefined;
      const sending = this.#sendBarrier();
      this.#barrierInFlight = sending;
      await sending;
    })();
    return this.#barrierQueued;
  }

  async #sendBarrier(): Promise<void> {
    const token = `barrier:${this.#instance}:${++this.#barrierSeq}`;
    const arrived = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.#barrierTimeoutMs);
      this.#barrierWaiters.set(token, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    try {
      await sql`SELECT pg_notify(${CALENDAR_CHANNEL}, ${token})`.execute(this.#database.db);
      if (!(await arrived)) await this.#relisten();
    } finally {
      this.#barrierWaiters.delete(token);
    }
  }

  /** The listener went quiet (e.g. its connection dropped): listen again and trust nothing cached. */
  async #relisten(): Promise<void> {
    await this.close();
    this.#everythingStale = true;
    this.#started = this.#listen();
    await this.#started;
  }

  /** Reloads until nothing announced is pending; a reload already under way is waited for, never trusted blindly. */
  async #reload(now: number): Promise<void> {
    for (;;) {
      if (this.#reloading) {
        await this.#reloading;
        continue;
      }
      if (!this.#everythingStale && this.#dirty.size === 0) return;
      this.#reloading = this.#reloadOnce(now).finally(() => {
        this.#reloading = undefined;
      });
    }
  }

  async #reloadOnce(now: number): Promise<void> {
    if (this.#everythingStale) {
      this.#everythingStale = false;
      this.#dirty.clear();
      this.calendars.replaceAll(await this.#load({ all: true }, now));
      return;
    }
    const ids = [...this.#dirty];
    this.#dirty.clear();
    const loaded = await this.#load({ ids }, now);
    this.calendars.replace(ids, loaded);
  }
}
