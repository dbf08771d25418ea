import type { Kysely } from 'kysely';
import type { WebSocket } from 'ws';
import { findSessionUser, tokenHash } from '../accounts/sessions.js';
import type { Clock } from '../clock.js';
import type { DB } from '../schema.js';
import { FrameBudget } from './engine/frame-budget.js';
import type { LiveHub, LiveSubscriber } from './live-hub.js';
import { screeningLimitsOf } from '../domain/screening-exceedances.js';
import { latestScreening } from '../screening/booking-screening.js';
import type { RegionLimitView } from '../care/engine/region-limits.js';
import { type LiveSignal, type ServerFrame, overCapProblem, parseClientFrame } from './engine/live-messages.js';
import { type Party, signalsAfter, storeSignal } from './signal-store.js';

/** Close codes of the live channel (4000-4999 are the application's; the last three digits echo HTTP). */
export const LIVE_CLOSE = { signedOut: 4401, sessionEnded: 4410 } as const;

/**
 * How often an open connection checks that its sign-in still holds (expiry; signing out closes it at once through
 * the trigger on `sessions`).
 */
const REAUTH_EVERY_MS = 30_000;
/** Frames per second per connection, and the burst allowed. */
const FRAMES_PER_SECOND = 10;
const FRAME_BURST = 30;

export interface LiveConnectionDeps {
  db: Kysely<DB>;
  clock: Clock;
  hub: LiveHub;
  onError: (error: unknown) => void;
}

/**
 * One party's socket on a booking's channel. Frames are handled one at a time, in arrival order. A bad frame is
 * answered with an `error` frame and changes nothing else: the connection, its place in the series and the
 * signals already stored stay as they were.
 *
 * Resume: the client sends `resume` with the last sequence it saw; the connection replays what is stored after
 * it, holding back live signals that arrive meanwhile and then sending those it has not replayed, so nothing is
 * lost and nothing is sent twice by the replay. Clients still skip a sequence number they already have.
 */
export class LiveConnection implements LiveSubscriber {
  #highestSent = 0;
  #replaying = false;
  #held: LiveSignal[] = [];
  #work: Promise<void> = Promise.resolve();
  #lastAuthCheck = performance.now();
  #leave: () => void = () => {};
  #closed = false;
  readonly #budget = new FrameBudget(FRAMES_PER_SECOND, FRAME_BURST, performance.now());
  readonly tokenHash: string;

  constructor(
    private readonly socket: WebSocket,
    private readonly party: Party & { sessionToken: string },
    private readonly deps: LiveConnectionDeps,
  ) {
    this.tokenHash = tokenHash(party.sessionToken);
  }

  /**
   * Attaches the socket's handlers (synchronously, so no early frame is missed) and joins the booking's room. The
   * therapist's `ready` carries the screening's limits per region, for the live controls.
   */
  open(latestSeq: number, limits: RegionLimitView[]): void {
    this.#leave = this.deps.hub.join(this.party.bookingId, this);
    this.socket.on('message', (data, isBinary) => {
      // Counted on arrival, so a flood is refused before it queues any work.
      if (!this.#budget.take(performance.now()))
        return this.#send({ type: 'error', code: 'rate_limited', message: 'Too many frames; slow down' });
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- ws gives a text frame as a Buffer, whose String() is its UTF-8 text
      const raw = isBinary ? null : String(data);
      this.#work = this.#work.then(() => this.#handle(raw)).catch((error: unknown) => this.deps.onError(error));
    });
    this.socket.on('close', () => {
      this.#closed = true;
      this.#leave();
    });
    this.#send({
      type: 'ready',
      bookingId: this.party.bookingId,
      role: this.party.role,
      latestSeq,
      ...(this.party.role === 'therapist' ? { limits } : {}),
    });
  }

  deliver(signal: LiveSignal): void {
    if (this.#replaying) this.#held.push(signal);
    else this.#sendSignal(signal);
  }

  resync(): void {
    // From what this socket has now; deliveries from the rebuilt listener are held until the gap is replayed.
    const from = this.#highestSent;
    this.#replaying = true;
    this.#work = this.#work
      .then(() => this.#replayAfter(from, false))
      .catch((error: unknown) => this.deps.onError(error));
  }

  end(reason: 'checked_out' | 'signed_out'): void {
    if (this.#closed) return;
    this.#send({ type: 'ended', reason });
    this.#closed = true;
    this.#leave();
    this.socket.close(reason === 'signed_out' ? LIVE_CLOSE.signedOut : LIVE_CLOSE.sessionEnded, reason);
  }

  #send(frame: ServerFrame) {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  #sendSignal(signal: LiveSignal) {
    if (signal.seq <= this.#highestSent) return;
    this.#highestSent = signal.seq;
    this.#send({ type: 'signal', signal });
  }

  async #stillSignedIn(): Promise<boolean> {
    if (performance.now() - this.#lastAuthCheck < REAUTH_EVERY_MS) return true;
    this.#lastAuthCheck = performance.now();
    return (await findSessionUser(this.deps.db, this.party.sessionToken, this.deps.clock.now())) !== undefined;
  }

  async #handle(raw: string | null): Promise<void> {
    if (this.#closed) return;
    if (!(await this.#stillSignedIn())) return this.end('signed_out');
    if (raw === null) return this.#send({ type: 'error', code: 'validation_failed', message: 'Send JSON text frames' });
    const parsed = parseClientFrame(raw, this.party.role);
    if ('problem' in parsed) return this.#send({ type: 'error', ...parsed.problem });
    const frame = parsed.frame;
    switch (frame.type) {
      case 'ping':
        return this.#send({ type: 'pong' });
      case 'resume':
        return this.#resume(frame.lastSeq);
      default: {
        if (frame.type === 'pressure') {
          // The booking's screening as it stands now (an override during the session lifts a cap at once).
          const overCap = overCapProblem(
            frame,
            screeningLimitsOf((await latestScreening(this.deps.db, this.party.bookingId))?.decision),
          );
          if (overCap) return this.#send({ type: 'error', ...overCap });
        }
        let outcome;
        try {
          outcome = await storeSignal(this.deps.db, this.party, frame, this.deps.clock.now());
        } catch (error) {
          this.deps.onError(error);
          return this.#send({
            type: 'error',
            code: 'internal_error',
            message: 'The signal was not stored; send it again',
            clientMessageId: frame.clientMessageId,
          });
        }
        if ('notLive' in outcome) return this.end('checked_out');
        this.#send({
          type: 'ack',
          clientMessageId: frame.clientMessageId,
          seq: outcome.stored.seq,
          duplicate: outcome.duplicate,
        });
      }
    }
  }

  #resume(lastSeq: number) {
    return this.#replayAfter(lastSeq, true);
  }

  /** Sends what is stored after `lastSeq`, holding live deliveries back meanwhile. */
  async #replayAfter(lastSeq: number, announce: boolean) {
    if (this.#closed) return;
    this.#replaying = true;
    try {
      const missed = await signalsAfter(this.deps.db, this.party.bookingId, lastSeq);
      for (const signal of missed) this.#send({ type: 'signal', signal });
      const toSeq = missed.at(-1)?.seq ?? lastSeq;
      this.#highestSent = Math.max(this.#highestSent, toSeq);
      if (announce) this.#send({ type: 'replayed', fromSeq: lastSeq, toSeq });
    } finally {
      this.#replaying = false;
      const held = this.#held;
      this.#held = [];
      for (const signal of held) this.#sendSignal(signal);
    }
  }
}
