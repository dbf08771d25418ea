import { describe, expect, it } from 'vitest';
import type { LiveSignal } from '../../../shared/lib/api-types';
import { mergeSignals, reconnectDelayMs } from './live-socket';

const signal = (seq: number): LiveSignal => ({
  seq,
  at: '2026-11-24T15:00:00.000Z',
  by: 'client',
  kind: 'good',
  level: null,
  region: null,
  reason: null,
  clientMessageId: `c${seq}`,
});

describe('mergeSignals', () => {
  it('keeps one signal per sequence number, in order, whatever arrives twice or late', () => {
    expect(mergeSignals([signal(1), signal(3)], [signal(3), signal(2), signal(4)]).map((s) => s.seq)).toEqual([
      1, 2, 3, 4,
    ]);
    expect(mergeSignals([], [])).toEqual([]);
  });
});

describe('reconnectDelayMs', () => {
  it('backs off from half a second to five seconds', () => {
    expect([0, 1, 2, 3, 4, 10].map(reconnectDelayMs)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });
});
