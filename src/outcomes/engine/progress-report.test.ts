import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type StoredMeasurement, progressReport } from './progress-report.js';

const m = (
  measure: StoredMeasurement['measure'],
  key: string | null,
  sessionDate: string,
  value: number,
  detail: StoredMeasurement['detail'] = {},
): StoredMeasurement => ({
  measure,
  key,
  sessionDate,
  value,
  bookingId: null,
  detail,
});

describe('progressReport', () => {
  it('marks each session against the baseline: pain 7 -> 6 is not meaningful, 7 -> 4 is', () => {
    const [pain] = progressReport([
      m('nprs', 'low_back.left', '2026-11-06', 7),
      m('nprs', 'low_back.left', '2026-11-13', 6),
      m('nprs', 'low_back.left', '2026-11-20', 4),
    ]);
    expect(
      pain!.points.map((p) => [p.value, p.fromBaseline?.change ?? null, p.fromBaseline?.meaningful ?? null]),
    ).toEqual([
      [7, null, null],
      [6, -1, false],
      [4, -3, true],
    ]);
    expect(pain!.progress).toMatchObject({
      change: -3,
      direction: 'improved',
      meaningful: true,
      meaningfulImprovement: true,
      measurements: 3,
    });
  });

  it('bands every Oswestry and Neck Disability score', () => {
    const report = progressReport([
      m('odi', null, '2026-11-06', 42),
      m('odi', null, '2026-11-20', 30),
      m('ndi', null, '2026-11-06', 16),
    ]);
    expect(report.map((s) => [s.measure, s.points.map((p) => p.band?.id)])).toEqual([
      ['odi', ['severe', 'moderate']],
      ['ndi', ['moderate']],
    ]);
    expect(report[0]!.progress).toMatchObject({ change: -12, meaningful: true });
  });

  it('leaves flexibility changes unjudged: the reference defines no meaningful change for them', () => {
    const [ake] = progressReport([m('ake', 'right', '2026-11-06', 35), m('ake', 'right', '2026-11-20', 22)]);
    expect(ake!.progress).toMatchObject({
      change: -13,
      direction: 'improved',
      meaningful: null,
      meaningfulImprovement: null,
    });
  });

  it('starts the PSFS average again when the client rates other activities, keeping each activity’s own series', () => {
    const ratings = (...r: [string, number][]) => ({ ratings: r.map(([activity, score]) => ({ activity, score })) });
    const report = progressReport([
      m('psfs', null, '2026-11-06', 2, ratings(['Run 5 km', 2])),
      m('psfs_activity', 'run 5 km', '2026-11-06', 2),
      m('psfs', null, '2026-11-13', 4, ratings(['Run 5 km', 4], ['Garden', 4])),
      m('psfs_activity', 'run 5 km', '2026-11-13', 4),
      m('psfs_activity', 'garden', '2026-11-13', 4),
      m('psfs', null, '2026-11-20', 7, ratings(['garden', 6], ['run 5 KM', 8])),
      m('psfs_activity', 'run 5 km', '2026-11-20', 8),
      m('psfs_activity', 'garden', '2026-11-20', 6),
    ]);
    const psfs = report.find((s) => s.measure === 'psfs')!;
    expect(psfs.points.map((p) => p.value)).toEqual([4, 7]);
    expect(report.find((s) => s.key === 'run 5 km')!.points.map((p) => p.value)).toEqual([2, 4, 8]);
    expect(report.find((s) => s.key === 'run 5 km')!.progress).toMatchObject({ change: 6, meaningful: true });
  });

  it('orders series by measure, then regions in body-map order', () => {
    const report = progressReport([
      m('ake', 'left', '2026-11-06', 30),
      m('nprs', 'low_back.left', '2026-11-06', 5),
      m('nprs', 'neck.right', '2026-11-06', 3),
      m('odi', null, '2026-11-06', 20),
    ]);
    expect(report.map((s) => `${s.measure}:${s.key}`)).toEqual([
      'nprs:neck.right',
      'nprs:low_back.left',
      'odi:null',
      'ake:left',
    ]);
  });
});

describe('progressReport (properties)', () => {
  const dates = Array.from({ length: 12 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}`);
  const measurement = fc.record({
    measure: fc.constantFrom('nprs' as const, 'odi' as const, 'ake' as const),
    date: fc.constantFrom(...dates),
    value: fc.integer({ min: 0, max: 10 }),
  });

  it('keeps every measurement in exactly one series, oldest first, each point compared with the series’ first', () => {
    fc.assert(
      fc.property(fc.array(measurement, { maxLength: 30 }), (raw) => {
        const input = raw.map((r) =>
          m(r.measure, r.measure === 'nprs' ? 'calves.left' : r.measure === 'ake' ? 'left' : null, r.date, r.value),
        );
        const report = progressReport(input);
        expect(report.reduce((n, s) => n + s.points.length, 0)).toBe(input.length);
        for (const series of report) {
          const dates = series.points.map((p) => p.sessionDate);
          expect([...dates].sort()).toEqual(dates);
          const baseline = series.points[0]!.value;
          for (const point of series.points.slice(1)) expect(point.fromBaseline!.change).toBe(point.value - baseline);
          expect(series.progress.change).toBe(series.points.at(-1)!.value - baseline);
        }
      }),
    );
  });
});
