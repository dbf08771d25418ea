import type { Clock } from '../../../src/clock.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../../../src/scheduling/engine/calendar-date.js';
import { localEpochDayOf } from '../../../src/scheduling/engine/zoned-time.js';

/** The calendar date in New York, where the journeys' browsers and therapists are, at an instant. */
export const dateInNewYork = (instant: number | string) =>
  isoDateFromEpochDay(localEpochDayOf('America/New_York', typeof instant === 'string' ? Date.parse(instant) : instant));

/** Today in New York by the journeys' clock (the server's, which the browsers share). */
export const todayInNewYork = (clock: Clock) => dateInNewYork(clock.now());

export const addDaysIso = (isoDate: string, days: number) => isoDateFromEpochDay(epochDayFromIsoDate(isoDate)! + days);

/** The same date `years` later (29 February becomes 28 February in a year without it). */
export const addYearsIso = (isoDate: string, years: number) => {
  const [year, month, day] = isoDate.split('-');
  const later = `${Number(year) + years}-${month}-${day}`;
  return epochDayFromIsoDate(later) === null ? `${Number(year) + years}-${month}-28` : later;
};
