import { formatInstant } from '../../domain/session-time.js';
import type { RegionRef } from '../../domain/body-regions.js';
import type { AftercareItem } from './aftercare-plan.js';
import { affectedRegionIds, type ClientCondition, hasCondition } from './client-conditions.js';
import { regionIdsInWords, regionRefLabel } from '../../domain/region-label.js';

/**
 * The self-care items of the aftercare (clinical reference, section 5 and the seeds: soreness for 24-48 h, drink
 * water, a warm Epsom bath, a warm compress or ice, rest, no sprints), adjusted to the client's conditions. Each
 * adjustment adds its reason and sources to the item it changes. The reference's condition rows speak of the
 * therapist's hands; the adjustments (no heat where sensation is reduced, warm rather than hot water with
 * uncontrolled blood pressure or in pregnancy, no heat on varicose veins or an acute injury, a fluid allowance and
 * no Epsom salts unasked with kidney failure, no soaking an unhealed site) are Knotwork's reading of those rows for
 * self-care, and cite them.
 */

const HOUR = 3_600_000;

/** "Thu, Nov 26, 6:30 PM" in the session's zone, where the client is (so the zone goes unnamed). */
export function localTimeLabel(at: number, zone: string): string {
  return formatInstant(at, zone, { style: 'medium', readerZone: zone });
}

const unique = (keys: readonly string[]) => [...new Set(keys)];

/** Pressure from which work counts as deep on the Knotwork scale (4 deep, 5 very deep). */
const DEEP = 4;

export function whatToExpectItems(
  note: { sessionEndedAt: number; regionsWorked: readonly { region: RegionRef; maxPressure: number }[] },
  zone: string,
): AftercareItem[] {
  const { sessionEndedAt } = note;
  const deepest = note.regionsWorked
    .filter((w) => w.maxPressure >= DEEP)
    .map((w) => regionRefLabel(w.region).toLowerCase());
  const where =
    deepest.length > 0 ? ` You are most likely to feel it where the work was deepest: ${deepest.join('; ')}.` : '';
  return [
    {
      id: 'soreness_24_48h',
      text: `Some soreness, like after a workout, is normal after deep tissue work. It usually eases within 24-48 hours, by about ${localTimeLabel(sessionEndedAt + 48 * HOUR, zone)}.${where}`,
      why: 'Soreness ("hurts so good") the day after deep work is common and subsides within 24-48 hours.',
      sources: ['seeds'],
    },
    {
      id: 'minor_discomfort',
      text: `About 1 in 10 people notice minor discomfort that starts within 12 hours and is gone within 36 hours (by about ${localTimeLabel(sessionEndedAt + 36 * HOUR, zone)}).`,
      why: 'In one study about 10% reported minor discomfort, starting within 12 h and lasting up to 36 h.',
      sources: ['CAM07'],
    },
  ];
}

export function hydrationAndRestItems(conditions: readonly ClientCondition[]): AftercareItem[] {
  const fluidLimit = hasCondition(conditions, 'kidney_failure');
  return [
    fluidLimit
      ? {
          id: 'hydrate',
          text: 'Keep to the fluid allowance your kidney team gave you; you do not need to drink extra because of the massage.',
          why: 'Drinking water is usual advice after massage, but kidney failure often comes with a fluid limit.',
          sources: ['seeds', 'W-Renal', 'WRN-KID'],
        }
      : {
          id: 'hydrate',
          text: 'Drink water through the rest of the day.',
          why: 'Hydration is part of the usual aftercare.',
          sources: ['seeds'],
        },
    {
      id: 'rest_today',
      text: 'Take it easy for the rest of the day: walking and gentle movement are fine, but no sprints or hard training until tomorrow.',
      why: 'Rest after deep work; no sprints right after a session.',
      sources: ['seeds'],
    },
  ];
}

interface Adjustment {
  note: string;
  why: string;
  sources: readonly string[];
}

function withAdjustments(base: AftercareItem, adjustments: readonly Adjustment[]): AftercareItem {
  if (adjustments.length === 0) return base;
  return {
    ...base,
    text: [base.text, ...adjustments.map((a) => a.note)].join(' '),
    why: [base.why, ...adjustments.map((a) => a.why)].join(' '),
    sources: unique([...base.sources, ...adjustments.flatMap((a) => a.sources)]),
  };
}

const regionsInWords = (condition: ClientCondition) => regionIdsInWords(affectedRegionIds(condition));

export function heatIceBathItems(conditions: readonly ClientCondition[]): AftercareItem[] {
  const has = (code: ClientCondition['code']) => hasCondition(conditions, code);
  const find = (code: ClientCondition['code']) => conditions.find((c) => c.code === code);

  const unhealedSkin = conditions.filter(
    (c) => c.code === 'recent_surgery' || c.code === 'open_wound' || c.code === 'skin_infection',
  );
  const bath: AftercareItem =
    unhealedSkin.length > 0
      ? {
          id: 'bath',
          text: 'Shower rather than bath until your wound or skin has healed; do not soak it.',
          why: 'A surgical site, open wound or skin infection is avoided until healed: no soaking.',
          sources: unique(
            unhealedSkin.flatMap((c) =>
              c.code === 'recent_surgery' ? ['NCCIH', 'MSU'] : c.code === 'open_wound' ? ['W-Open'] : ['HUM'],
            ),
          ),
        }
      : withAdjustments(
          {
            id: 'bath',
            text: has('kidney_failure')
              ? 'A warm bath this evening or tomorrow, for about 15-20 minutes, can ease soreness. Ask your kidney team before adding Epsom salts (they contain magnesium).'
              : 'A warm bath with Epsom salts this evening or tomorrow, for about 15-20 minutes, can ease soreness.',
            why: 'A warm bath with Epsom salts is part of the usual aftercare.',
            sources: has('kidney_failure') ? ['seeds', 'W-Renal', 'WRN-KID'] : ['seeds'],
          },
          [
            ...(conditions.some((c) => c.code === 'high_blood_pressure' && !c.controlled)
              ? [
                  {
                    note: 'Keep it warm, not hot, and skip saunas and hot tubs until your blood pressure is under control.',
                    why: 'High blood pressure is a caution; very hot water adds strain.',
                    sources: ['HUM', 'W-HTN'],
                  },
                ]
              : []),
            ...(has('pregnancy')
              ? [
                  {
                    note: 'In pregnancy keep the water warm, not hot.',
                    why: 'Pregnancy: avoid overheating.',
                    sources: ['MG21'],
                  },
                ]
              : []),
            ...(has('diabetes_neuropathy')
              ? [
                  {
                    note: 'Test the water with your elbow or a thermometer first: your feet may not feel how hot it is.',
                    why: 'Reduced sensation cannot judge heat.',
                    sources: ['WRN-DM', 'CEI'],
                  },
                ]
              : []),
          ],
        );

  const neuropathy = find('diabetes_neuropathy');
  const varicose = find('varicose_veins');
  const injury = find('acute_injury');
  const compress = withAdjustments(
    {
      id: 'compress',
      text: 'On sore areas, a warm compress or, if you prefer, ice wrapped in a cloth, for 15-20 minutes at a time.',
      why: 'A warm compress or ice is part of the usual aftercare.',
      sources: ['seeds'],
    },
    [
      ...(neuropathy
        ? [
            {
              note: `No heat pads, hot-water bottles or ice on areas with reduced feeling (${regionsInWords(neuropathy)}).`,
              why: 'Reduced sensation cannot judge heat or cold.',
              sources: ['WRN-DM', 'CEI'],
            },
          ]
        : []),
      ...(varicose
        ? [
            {
              note: `No heat on legs with varicose veins (${regionsInWords(varicose)}).`,
              why: 'Varicose veins are a caution in the legs; heat widens veins.',
              sources: ['W-Var'],
            },
          ]
        : []),
      ...(injury
        ? [
            {
              note: `On the injured area (${regionsInWords(injury)}) use ice, not heat, for the first few days.`,
              why: 'An acute injury is not heated.',
              sources: ['W-Sprain', 'W-Strain'],
            },
          ]
        : []),
    ],
  );
  return [bath, compress];
}
