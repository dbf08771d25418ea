import { localDateOf } from '../domain/session-time.js';

/** The calendar date ('YYYY-MM-DD') in `zone` at the instant `now`. */
export function todayIn(zone: string, now: number): string {
  return localDateOf(now, zone);
}
