import { describe, expect, it } from 'vitest';
import { improvementShareByTherapist } from './improvement-share.js';
import { type SessionValue, seriesForImprovementShare } from './improvement-series.js';

const v = (
  therapistId: string,
  clientId: string,
  key: string | null,
  sessionDate: string,
  value: number,
): SessionValue => ({ therapistId, clientId, key, sessionDate, value });

describe('seriesForImprovementShare', () => {
  it('takes, per client and therapist, the pain region that hurt most at the first session', () => {
    const series = seriesForImprovementShare([
      v('t1', 'a', 'low_back.left', '2026-11-06', 7),
      v('t1', 'a', 'hamstrings.left', '2026-11-06', 4),
      v('t1', 'a', 'neck.left', '2026-11-13', 9),
      v('t1', 'a', 'low_back.left', '2026-11-13', 5),
      v('t1', 'a', 'hamstrings.left', '2026-11-13', 4),
      v('t2', 'a', 'neck.left', '2026-11-08', 6),
    ]);
    expect(series).toEqual([
      {
        therapistId: 't1',
        clientId: 'a',
        points: [
          { sessionDate: '2026-11-06', value: 7 },
          { sessionDate: '2026-11-13', value: 5 },
        ],
      },
      { therapistId: 't2', clientId: 'a', points: [{ sessionDate: '2026-11-08', value: 6 }] },
    ]);
    expect(improvementShareByTherapist('nprs', 1, series)).toEqual([
      { therapistId: 't1', eligible: 1, improved: 1, share: 1, tooFewSessions: 0 },
      { therapistId: 't2', eligible: 0, improved: 0, share: null, tooFewSessions: 1 },
    ]);
  });

  it('keeps whole-person measures as one series per client', () => {
    expect(
      seriesForImprovementShare([
        v('t1', 'a', null, '2026-11-06', 40),
        v('t1', 'b', null, '2026-11-06', 20),
        v('t1', 'a', null, '2026-11-13', 28),
      ]),
    ).toEqual([
      {
        therapistId: 't1',
        clientId: 'a',
        points: [
          { sessionDate: '2026-11-06', value: 40 },
          { sessionDate: '2026-11-13', value: 28 },
        ],
      },
      { therapistId: 't1', clientId: 'b', points: [{ sessionDate: '2026-11-06', value: 20 }] },
    ]);
  });
});
