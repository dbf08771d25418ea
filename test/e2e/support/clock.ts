import type { Clock } from '../../../src/clock.js';

/** When the journeys happen unless E2E_CLOCK says otherwise: Monday 23 November 2026, 10:00 in New York. */
export const DEFAULT_JOURNEY_START = '2026-11-23T10:00:00-05:00';

const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant the journeys start at: `E2E_CLOCK` (an ISO instant with its UTC offset, e.g.
 * `2026-11-29T23:40:00-05:00`), else DEFAULT_JOURNEY_START. Never the wall clock, so a run does not depend on the hour.
 */
export function journeyStart(setting: string | undefined): number {
  const text = setting || DEFAULT_JOURNEY_START;
  const instant = INSTANT_WITH_OFFSET.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(instant))
    throw new Error(`E2E_CLOCK must be an ISO instant with its offset, like ${DEFAULT_JOURNEY_START}; got '${text}'`);
  return instant;
}

/**
 * A clock that starts at a chosen instant and then runs at the speed of real time, so holds expire, live sessions
 * tick and background work runs as in production. The browser tests' server and every browser context they open
 * read one such clock (the browser through Playwright's `context.clock`).
 */
export class FlowingClock implements Clock {
  readonly #start: number;
  readonly #startedAt = performance.now();

  constructor(start: number = journeyStart(process.env.E2E_CLOCK)) {
    this.#start = start;
  }

  now(): number {
    return this.#start + Math.floor(performance.now() - this.#startedAt);
  }
}
