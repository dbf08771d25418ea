/**
 * Every time a person reads, in words: the one formatter of server pages, e-mails, calendar files and the web app.
 *
 * A session happens at a place, so its time is the wall-clock time there, in the session's own zone (stored on the
 * booking). The zone is named whenever the reader's clock would read differently at that instant, and always when
 * the reader's zone is unknown (an e-mail may be read anywhere). Other instants (when a message was sent, when a
 * note was signed) are shown in the reader's own zone, through the same function.
 *
 * The words are assembled from Intl's parts, with plain spaces, so they are the same in Node and in every
 * browser whatever its ICU version puts between "9:30" and "AM". Plain data in, a string out: no I/O, no clock.
 */

export type Instant = number | string | Date;

/**
 * - `full`: "Tuesday, November 24, 2026, 9:30 AM Eastern Standard Time" (e-mails, printable pages)
 * - `long`: "Tuesday, November 24, 9:30 AM EST" (a booking's own page)
 * - `medium`: "Tue, Nov 24, 9:30 AM" (lists)
 * - `time`: "9:30 AM" (inside a day that is already named)
 * - `day`: "Tuesday, November 24" (a heading over the times of one local day; never names a zone)
 * - `date`: "Tuesday, November 24, 2026" (never names a zone)
 */
export type TimeStyle = 'full' | 'long' | 'medium' | 'time' | 'day' | 'date';

export interface TimeWording {
  style?: TimeStyle;
  /**
   * The reader's IANA zone. Unset or null: unknown, and the zone is always named. The web app passes the
   * browser's zone; e-mails leave it unset.
   */
  readerZone?: string | null;
}

/** Shared by every caller in the same minute (see partsOf): never changed once made. */
interface Parts {
  readonly weekday: string;
  readonly shortWeekday: string;
  readonly month: string;
  readonly shortMonth: string;
  readonly day: string;
  readonly year: string;
  readonly hour: string;
  readonly minute: string;
  readonly period: string;
  readonly isoDate: string;
  readonly offsetMinutes: number;
}

const formatters = new Map<
  string,
  { parts: Intl.DateTimeFormat; longName: Intl.DateTimeFormat; shortName: Intl.DateTimeFormat }
>();

function formattersFor(zone: string) {
  let f = formatters.get(zone);
  if (!f) {
    f = {
      parts: new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        weekday: 'long',
        month: 'long',
        day: 'numeric',
        year: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h12',
      }),
      longName: new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'long' }),
      shortName: new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }),
    };
    formatters.set(zone, f);
  }
  return f;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function toMs(at: Instant): number {
  return typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
}

/**
 * Since 1972 every zone's offset is a whole number of minutes (Liberia's -0:44:30 was the last other), so an
 * instant's parts are those of every instant in the same UTC minute: kept per zone and minute, as a request reads
 * "today" and a booking's times several times over. Intl's formatToParts is the costly step (tens of µs).
 */
const WHOLE_MINUTE_OFFSETS_FROM = Date.UTC(1973, 0, 1);
const MINUTE_PARTS_KEPT = 512;
const minuteParts = new Map<string, Parts>();

function partsOf(ms: number, zone: string): Parts {
  if (!(ms >= WHOLE_MINUTE_OFFSETS_FROM) || !Number.isFinite(ms)) return computePartsOf(ms, zone);
  const key = `${zone} ${Math.floor(ms / 60_000)}`;
  let parts = minuteParts.get(key);
  if (!parts) {
    parts = computePartsOf(ms, zone);
    if (minuteParts.size >= MINUTE_PARTS_KEPT) minuteParts.clear();
    minuteParts.set(key, parts);
  }
  return parts;
}

function computePartsOf(ms: number, zone: string): Parts {
  const p: Record<string, string> = {};
  for (const part of formattersFor(zone).parts.formatToParts(ms)) p[part.type] = part.value;
  const monthIndex = MONTHS.indexOf(p.month!);
  const hour12 = Number(p.hour);
  const hour24 = (hour12 % 12) + (p.dayPeriod === 'PM' ? 12 : 0);
  const isoDate = `${p.year}-${String(monthIndex + 1).padStart(2, '0')}-${p.day!.padStart(2, '0')}`;
  const localMs = Date.UTC(Number(p.year), monthIndex, Number(p.day), hour24, Number(p.minute), Number(p.second));
  return {
    weekday: p.weekday!,
    shortWeekday: p.weekday!.slice(0, 3),
    month: p.month!,
    shortMonth: p.month!.slice(0, 3),
    day: p.day!,
    year: p.year!,
    hour: String(hour12),
    minute: p.minute!,
    period: p.dayPeriod!,
    isoDate,
    offsetMinutes: Math.round((localMs - Math.floor(ms / 1000) * 1000) / 60_000),
  };
}

/** Whether `zone` is an IANA zone this runtime knows (a zone read back from an address is checked with it). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    formattersFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's name at that instant, so summer and winter read correctly: "Eastern Standard Time" or "EST". */
export function zoneName(zone: string, at: Instant, length: 'long' | 'short' = 'long'): string {
  const f = formattersFor(zone)[length === 'long' ? 'longName' : 'shortName'];
  return f.formatToParts(toMs(at)).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/** Whether a reader in `readerZone` would need to be told the zone: their clock reads differently at that instant. */
export function zoneDiffers(zone: string, readerZone: string | null | undefined, at: Instant): boolean {
  if (!readerZone) return true;
  if (readerZone === zone) return false;
  const ms = toMs(at);
  return partsOf(ms, zone).offsetMinutes !== partsOf(ms, readerZone).offsetMinutes;
}

/** The calendar date ("2026-11-24") of an instant in a zone. */
export function localDateOf(at: Instant, zone: string): string {
  return partsOf(toMs(at), zone).isoDate;
}

/** The local date and time ("2026-11-24T18:00") of an instant in a zone: what a course's first session is asked as. */
export function localDateTimeOf(at: Instant, zone: string): string {
  const ms = toMs(at);
  return new Date(ms + partsOf(ms, zone).offsetMinutes * 60_000).toISOString().slice(0, 16);
}

const clock = (p: Parts) => `${p.hour}:${p.minute} ${p.period}`;

function dateWords(p: Parts, style: TimeStyle): string {
  switch (style) {
    case 'full':
    case 'date':
      return `${p.weekday}, ${p.month} ${p.day}, ${p.year}`;
    case 'long':
    case 'day':
      return `${p.weekday}, ${p.month} ${p.day}`;
    case 'medium':
      return `${p.shortWeekday}, ${p.shortMonth} ${p.day}`;
    case 'time':
      return '';
  }
}

function zoneSuffix(zone: string, ms: number, wording: TimeWording): string {
  const style = wording.style ?? 'medium';
  if (style === 'day' || style === 'date' || !zoneDiffers(zone, wording.readerZone, ms)) return '';
  return ` ${zoneName(zone, ms, style === 'full' ? 'long' : 'short')}`;
}

/**
 * One instant as words in `zone`: "Tue, Nov 24, 9:30 AM EST" for a reader elsewhere, "Tue, Nov 24, 9:30 AM" for a
 * reader whose clock reads the same.
 */
export function formatInstant(at: Instant, zone: string, wording: TimeWording = {}): string {
  const ms = toMs(at);
  const style = wording.style ?? 'medium';
  const p = partsOf(ms, zone);
  const date = dateWords(p, style);
  if (style === 'day' || style === 'date') return date;
  const time = clock(p);
  return `${date ? `${date}, ` : ''}${time}${zoneSuffix(zone, ms, wording)}`;
}

/**
 * A session from start to end, in the session's zone: "Tuesday, November 24, 2026, 9:30–10:30 AM Eastern Standard
 * Time". The end's day is named too when the session runs past midnight.
 */
export function formatSessionTime(startsAt: Instant, endsAt: Instant, zone: string, wording: TimeWording = {}): string {
  const style = wording.style ?? 'medium';
  if (style === 'day' || style === 'date') return formatInstant(startsAt, zone, wording);
  const startMs = toMs(startsAt);
  const endMs = toMs(endsAt);
  const s = partsOf(startMs, zone);
  const e = partsOf(endMs, zone);
  const date = dateWords(s, style);
  // Across a daylight-saving change the clock reads "1:45 AM–1:45 AM": each end carries its own zone name.
  if (e.offsetMinutes !== s.offsetMinutes) {
    const name = (ms: number) => zoneName(zone, ms, style === 'full' ? 'long' : 'short');
    const endDay = e.isoDate !== s.isoDate ? `${dateWords(e, style === 'time' ? 'medium' : style)}, ` : '';
    return `${date ? `${date}, ` : ''}${clock(s)} ${name(startMs)}–${endDay}${clock(e)} ${name(endMs)}`;
  }
  let range: string;
  if (e.isoDate !== s.isoDate) range = `${clock(s)}–${dateWords(e, style === 'time' ? 'medium' : style)}, ${clock(e)}`;
  else if (s.period === e.period) range = `${s.hour}:${s.minute}–${clock(e)}`;
  else range = `${clock(s)}–${clock(e)}`;
  return `${date ? `${date}, ` : ''}${range}${zoneSuffix(zone, startMs, wording)}`;
}

const calendarFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A calendar date that is not an instant (a licence's expiry, a day off, a session's date in a progress chart):
 * "Tue, Nov 24" by default, or with the date fields asked for. No zone is involved: the date is shown as written.
 */
export function formatCalendarDate(
  isoDate: string,
  fields: Pick<Intl.DateTimeFormatOptions, 'weekday' | 'year' | 'month' | 'day'> = {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  },
): string {
  const key = JSON.stringify(fields);
  let f = calendarFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { ...fields, timeZone: 'UTC' });
    calendarFormatters.set(key, f);
  }
  return f.format(Date.parse(`${isoDate}T12:00:00Z`));
}

/** The zone this process or browser runs in: the reader's zone on a screen. */
export function hostZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Number formats by currency and whether cents show: building one costs more than most of what formats with it. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** "$120" or "$120.50": money as every screen, page and message writes it. */
export function formatMoney(cents: number, currency: string): string {
  const digits = cents % 100 === 0 ? 0 : 2;
  const key = `${currency}/${digits}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits });
    moneyFormats.set(key, format);
  }
  return format.format(cents / 100);
}
