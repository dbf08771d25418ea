/** Dates, times and money as people read them. Instants come from the API as ISO strings in UTC. */

export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formatMoney(cents: number, currency: string) {
  return new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);
}

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, options: Intl.DateTimeFormatOptions) {
  const key = `${zone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, ...options });
    cache.set(key, f);
  }
  return f;
}

export const formatTime = (iso: string, zone = browserZone()) => formatter(zone, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
export const formatLongDay = (iso: string, zone = browserZone()) =>
  formatter(zone, { weekday: 'long', month: 'long', day: 'numeric' }).format(new Date(iso));
export const formatDateTime = (iso: string, zone = browserZone()) =>
  `${formatter(zone, { weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(iso))}, ${formatTime(iso, zone)}`;

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function isoDateIn(instant: Date | string, zone = browserZone()): string {
  const parts = formatter(zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday) of a calendar date. */
export const isoWeekday = (isoDate: string) => ((new Date(`${isoDate}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** A calendar date as words, without converting it through any zone. */
export const formatIsoDate = (isoDate: string, options: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric' }) =>
  formatter('UTC', options).format(new Date(`${isoDate}T12:00:00Z`));

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
