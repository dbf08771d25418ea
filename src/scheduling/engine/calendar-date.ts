/** Plain calendar arithmetic: dates as epoch day numbers (days since 1970-01-01), times as minutes of day. */

export const MS_PER_MINUTE = 60_000;
export const MINUTES_PER_DAY = 1440;
export const MS_PER_DAY = 86_400_000;

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Inverse of epochDayFromCivil (Hinnant's civil_from_days). */
export function civilFromEpochDay(epochDay: number): { year: number; month: number; day: number } {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysInMonth(year: number, month: number): number {
  const firstOfNextMonth = month === 12 ? epochDayFromCivil(year + 1, 1, 1) : epochDayFromCivil(year, month + 1, 1);
  return firstOfNextMonth - epochDayFromCivil(year, month, 1);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch day of 'YYYY-MM-DD', or null when the text is not a real calendar date. */
export function epochDayFromIsoDate(text: string): number | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return epochDayFromCivil(year, month, day);
}

export function isIsoDate(text: string): boolean {
  return epochDayFromIsoDate(text) !== null;
}

export function isoDateFromEpochDay(epochDay: number): string {
  const { year, month, day } = civilFromEpochDay(epochDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** ISO weekday, Monday = 1 .. Sunday = 7; 1970-01-01 was a Thursday. */
export function isoWeekday(epochDay: number): IsoWeekday {
  return (((((epochDay + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

const HH_MM = /^(\d{2}):(\d{2})$/;

/** Minutes after midnight of 'HH:MM' (00:00 .. 24:00), or null when the text is not such a time. */
export function minuteOfDayFromHhMm(text: string): number | null {
  const match = HH_MM.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

export function isHhMm(text: string): boolean {
  return minuteOfDayFromHhMm(text) !== null;
}

export function hhMmFromMinuteOfDay(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}
