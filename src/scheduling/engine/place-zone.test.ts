import { describe, expect, it } from 'vitest';
import { zoneAt } from './place-zone.js';

describe('zoneAt', () => {
  it.each([
    ['Union Square, Manhattan', 40.7359, -73.9911, 'America/New_York'],
    ['Jersey City, across the river', 40.7178, -74.0431, 'America/New_York'],
    ['Downtown Los Angeles', 34.0522, -118.2437, 'America/Los_Angeles'],
    ['The Loop, Chicago', 41.8781, -87.6298, 'America/Chicago'],
    ['Phoenix, no daylight saving', 33.4484, -112.074, 'America/Phoenix'],
    ['Westminster, London', 51.4995, -0.1248, 'Europe/London'],
    ['New Delhi, half-hour offset', 28.6139, 77.209, 'Asia/Kolkata'],
  ])('%s keeps %s time', (_place, lat, lng, zone) => {
    expect(zoneAt({ lat, lng })).toBe(zone);
  });
});
