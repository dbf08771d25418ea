import { epochDayFromIsoDate, isoDateFromEpochDay } from '../scheduling/engine/calendar-date.js';
import type { Intake } from '../intake/engine/intake-schema.js';

/**
 * Consultations for the demo clients, in the order of the demo's client list, so that the demo briefs are
 * meaningful: the first client is the typical desk worker with tight hamstrings and low-back knots; others bring
 * pregnancy, a disc problem on blood thinners, and a recent heart attack that needs clearance.
 */
export function demoIntakes(today: string): Intake[] {
  const daysAgo = (days: number) => isoDateFromEpochDay(epochDayFromIsoDate(today)! - days);
  const consent = { treatment: true, dataProcessing: true };
  const noHistory = { injuries: [], surgeries: [], medications: [] };
  return [
    {
      bodyMap: [
        {
          region: 'hamstrings.left',
          tightness: 8,
          pain: 4,
          note: 'Cannot touch my toes; pulls behind the knee when I bend',
        },
        { region: 'hamstrings.right', tightness: 7, pain: 3 },
        {
          region: 'low_back.left',
          tightness: 7,
          pain: 6,
          note: 'Knots that hurt when pressed, worse after long meetings',
        },
        { region: 'low_back.right', tightness: 6, pain: 4 },
        { region: 'glutes.left', tightness: 5, pain: 3 },
        { region: 'upper_back.right', tightness: 6, pain: 2 },
      ],
      goals: ['Touch my toes again', 'Get through a workday without low-back pain', 'Start running twice a week'],
      activity: { level: 'light', deskHoursPerDay: 9 },
      causes: ['posture', 'inactivity', 'stress'],
      ...noHistory,
      injuries: [
        {
          kind: 'strain',
          regions: ['hamstrings.left'],
          date: daysAgo(400),
          description: 'Pulled it sprinting for a bus',
        },
      ],
      conditions: {},
      pressure: { preference: 4, avoidRegions: [] },
      consent,
    },
    {
      bodyMap: [
        { region: 'low_back.left', tightness: 6, pain: 5 },
        { region: 'low_back.right', tightness: 6, pain: 5 },
        { region: 'calves.left', tightness: 5, pain: 2 },
        { region: 'neck.right', tightness: 5, pain: 2 },
      ],
      goals: ['Ease low-back ache as the pregnancy goes on', 'Sleep better'],
      activity: { level: 'moderate', deskHoursPerDay: 6 },
      causes: ['posture', 'sleep_position'],
      ...noHistory,
      conditions: { pregnancy: { weeks: 22, asOf: today } },
      pressure: { preference: 3, avoidRegions: ['abdomen'] },
      consent,
    },
    {
      bodyMap: [
        { region: 'low_back.right', tightness: 8, pain: 7, note: 'Disc bulge at L5; flares when lifting' },
        { region: 'glutes.right', tightness: 7, pain: 5 },
        { region: 'hamstrings.right', tightness: 6, pain: 3 },
      ],
      goals: ['Lift my kids without back pain'],
      activity: { level: 'light', deskHoursPerDay: 8 },
      causes: ['posture', 'overuse', 'previous_injuries'],
      injuries: [],
      surgeries: [],
      medications: ['Apixaban 5 mg twice daily'],
      conditions: {
        herniatedDisc: { levels: ['lumbar'] },
        bleedingRisk: { causes: ['anticoagulants'], medication: 'apixaban' },
      },
      pressure: { preference: 4, avoidRegions: [] },
      consent,
    },
    {
      bodyMap: [
        { region: 'calves.left', tightness: 7, pain: 2 },
        { region: 'calves.right', tightness: 7, pain: 2 },
        { region: 'it_band.left', tightness: 8, pain: 4 },
        { region: 'quadriceps.left', tightness: 6, pain: 1 },
      ],
      goals: ['Back to 10 km runs', 'Loosen the IT band'],
      activity: { level: 'active', deskHoursPerDay: 4 },
      causes: ['overuse'],
      injuries: [],
      surgeries: [],
      medications: ['Aspirin 81 mg', 'Atorvastatin'],
      conditions: {
        heartAttack: { date: daysAgo(150) },
        hypertension: { systolic: 138, diastolic: 84, measuredOn: daysAgo(10) },
      },
      pressure: { preference: 3, avoidRegions: [] },
      consent,
    },
    ...[5, 6, 7, 8].map((n): Intake => ({
      bodyMap: [
        { region: 'upper_back.left', tightness: 6 + (n % 3), pain: 3 },
        { region: 'upper_back.right', tightness: 6, pain: 3 + (n % 2) },
        { region: 'neck.left', tightness: 5, pain: 2 },
        { region: 'mid_back.left', tightness: 5, pain: 2 },
      ],
      goals: ['Less neck and shoulder tension'],
      activity: { level: n % 2 === 0 ? 'moderate' : 'sedentary', deskHoursPerDay: 7 + (n % 3) },
      causes: ['posture', 'stress'],
      ...noHistory,
      conditions: {},
      pressure: { preference: 3 + (n % 2), avoidRegions: [] },
      consent,
    })),
  ];
}
