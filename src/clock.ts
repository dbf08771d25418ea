/** The only source of "now" outside tests; pure modules take `now` as an argument instead. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
