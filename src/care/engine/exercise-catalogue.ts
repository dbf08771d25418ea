import type { RegionId } from '../../domain/body-regions.js';
import type { ConditionCode } from './client-conditions.js';

/**
 * The home programme's exercises (clinical reference, section 5 and seed 000: gentle stretching, static after
 * activity; foam rolling; strengthening of glutes and core). Each entry says which regions it serves and which of
 * the client's conditions rule it out, with why and the source.
 *
 * The reference gives no doses. The holds, reps and sets here are gentle starting points for the therapist to edit
 * in the aftercare before it is sent; rules marked "(Knotwork's reading of …)" apply a reference row to self-care
 * rather than quoting it.
 */

export type ExerciseKind = 'stretch' | 'foam_roll' | 'strengthen';
export type ExercisePosition =
  'standing' | 'seated' | 'kneeling' | 'quadruped' | 'side_lying' | 'lying_on_back' | 'lying_face_down';

export interface ExclusionRule {
  condition: ConditionCode;
  /** 'always': the condition rules the exercise out; 'where_affected': only when it is at a region the exercise serves. */
  scope: 'always' | 'where_affected';
  why: string;
  sources: readonly string[];
}

export interface Dosage {
  /** How long to hold a stretch or a position, or to roll one area. */
  seconds?: number;
  reps?: number;
  sets: number;
  perSide: boolean;
  when: string;
}

export interface Exercise {
  id: string;
  name: string;
  kind: ExerciseKind;
  /** For strengthening: what it strengthens. */
  strengthens?: 'glutes' | 'core';
  position: ExercisePosition;
  instructions: readonly string[];
  dosage: Dosage;
  serves: readonly RegionId[];
  ruledOutBy: readonly ExclusionRule[];
  sources: readonly string[];
}

const rule = (
  condition: ConditionCode,
  scope: ExclusionRule['scope'],
  why: string,
  sources: readonly string[],
): ExclusionRule => ({
  condition,
  scope,
  why,
  sources,
});

/** Any exercise that moves, stretches or presses an injured, operated, broken-skin or inflamed site. */
const AT_A_SITE = [
  rule('acute_injury', 'where_affected', 'An acute injury is left alone while it is acute.', ['W-Sprain', 'W-Strain']),
  rule('recent_surgery', 'where_affected', 'The surgical site is avoided until the surgeon clears it.', [
    'NCCIH',
    'MSU',
  ]),
  rule('open_wound', 'where_affected', 'An open wound is avoided until it has healed.', ['W-Open']),
  rule('skin_infection', 'where_affected', 'Infected skin is not touched or rolled.', ['HUM']),
  rule('rheumatoid_arthritis', 'where_affected', 'Affected joints are not stretched or pressed.', ['W-RA', 'HUM']),
  rule('osteoarthritis', 'where_affected', 'An acutely inflamed joint is left alone.', ['W-OA']),
] as const;

const ON_THE_BACK_IN_PREGNANCY = rule(
  'pregnancy',
  'always',
  "Pregnancy: side-lying rather than flat on the back after about 13 weeks (Knotwork's reading of the positioning guidance, applied throughout to stay on the safe side).",
  ['MG21', 'OSB'],
);
const FACE_DOWN_IN_PREGNANCY = rule('pregnancy', 'always', 'Pregnancy: no lying face down.', ['MG21', 'OSB']);

/** Rolling is self-applied deep pressure: ruled out wherever deep pressure is. */
const ROLLING = [
  ...AT_A_SITE,
  rule('anticoagulants', 'always', 'Blood thinners or a bleeding disorder: no deep pressure, bruising risk.', [
    'NCCIH',
    'MSD',
    'MAYO',
  ]),
  rule('cancer', 'always', "Cancer: no deep pressure without the oncology team's clearance.", ['NCCIH', 'MSD', 'WALT']),
  rule('fibromyalgia', 'always', 'Fibromyalgia: pressure is capped, the tissue is pain-sensitive.', ['W-FM']),
] as const;

const ROLLING_LEGS = [
  ...ROLLING,
  rule('dvt_history', 'where_affected', 'After a blood clot: light pressure only on the legs.', ['WALT', 'UCLH']),
  rule('varicose_veins', 'where_affected', 'Varicose veins: no pressure on the veins or the affected leg.', ['W-Var']),
  rule('pregnancy', 'always', 'Pregnancy: no deep work on the legs (clot risk).', ['MG21', 'UCLH']),
] as const;

const ROLLING_SPINE = [
  ...ROLLING,
  rule('osteoporosis', 'always', 'Osteoporosis: no pressure over the spine or ribs.', ['W-Ost', 'WRN-OST', 'MSD']),
  rule('herniated_disc', 'always', 'Herniated disc: no deep pressure on the spine.', ['W-Disc', 'YIN14']),
] as const;

const ROUNDING_THE_SPINE = [
  rule(
    'osteoporosis',
    'always',
    "Osteoporosis: avoid bending the spine forward (Knotwork's reading of the caution over fragile bone).",
    ['W-Ost', 'WRN-OST'],
  ),
  rule(
    'herniated_disc',
    'always',
    "Herniated disc: avoid loading the spine in forward bending (Knotwork's reading of the caution on the spine).",
    ['W-Disc', 'YIN14'],
  ),
] as const;

const STRETCH_HOLD: Dosage = {
  seconds: 30,
  sets: 2,
  perSide: true,
  when: 'Once or twice a day, after activity, gently: a stretch, never pain.',
};
const ROLL_DOSE: Dosage = {
  seconds: 45,
  sets: 1,
  perSide: true,
  when: 'Once a day, from the day after the session; slowly, at a pressure you can relax into.',
};
const STRETCH_SOURCES = ['seed-000', 'seeds'] as const;
const ROLL_SOURCES = ['seed-000'] as const;
const STRENGTH_SOURCES = ['seed-000'] as const;

export const EXERCISES: readonly Exercise[] = [
  // Stretches
  {
    id: 'hamstring_stretch_lying',
    name: 'Lying hamstring stretch with a strap',
    kind: 'stretch',
    position: 'lying_on_back',
    instructions: [
      'Lie on your back with a strap or towel around one foot.',
      'Keep the knee straight and raise the leg until you feel a gentle stretch behind the thigh.',
      'Keep the other leg relaxed on the floor.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['hamstrings'],
    ruledOutBy: [...AT_A_SITE, ON_THE_BACK_IN_PREGNANCY],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'hamstring_stretch_standing',
    name: 'Standing hamstring stretch',
    kind: 'stretch',
    position: 'standing',
    instructions: [
      'Put one heel on a low step with the knee straight.',
      'Keeping your back straight, hinge forward at the hips until you feel a gentle stretch behind the thigh.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['hamstrings'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'calf_stretch_straight_knee',
    name: 'Wall calf stretch, knee straight',
    kind: 'stretch',
    position: 'standing',
    instructions: [
      'Hands on a wall, step one foot back.',
      'Keep the back knee straight and the heel down; lean in until you feel the stretch in the calf.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['calves'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'calf_stretch_bent_knee',
    name: 'Wall calf stretch, knee bent',
    kind: 'stretch',
    position: 'standing',
    instructions: [
      'As the straight-knee stretch, but bend the back knee slightly, heel down, to reach the lower calf (soleus).',
    ],
    dosage: STRETCH_HOLD,
    serves: ['calves', 'feet'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'quad_stretch_standing',
    name: 'Standing thigh stretch',
    kind: 'stretch',
    position: 'standing',
    instructions: [
      'Hold a wall or chair for balance.',
      'Bend one knee and hold the ankle behind you, knees together, until you feel a stretch at the front of the thigh.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['quadriceps'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'hip_flexor_stretch_kneeling',
    name: 'Half-kneeling hip flexor stretch',
    kind: 'stretch',
    position: 'kneeling',
    instructions: [
      'Kneel on one knee (on a cushion), the other foot flat in front.',
      'Tuck your pelvis under and shift gently forward until you feel a stretch at the front of the hip.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['hip_flexors', 'quadriceps'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'it_band_stretch_standing',
    name: 'Standing outer-thigh stretch',
    kind: 'stretch',
    position: 'standing',
    instructions: [
      'Stand side-on to a wall, cross the outside leg behind the other.',
      'Lean your hip gently towards the wall until you feel the stretch along the outer thigh.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['it_band'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'glute_stretch_lying',
    name: 'Lying figure-four buttock stretch',
    kind: 'stretch',
    position: 'lying_on_back',
    instructions: [
      'Lie on your back, knees bent.',
      'Cross one ankle over the other knee and draw the legs gently towards you until you feel the stretch in the buttock.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['glutes'],
    ruledOutBy: [...AT_A_SITE, ON_THE_BACK_IN_PREGNANCY],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'glute_stretch_seated',
    name: 'Seated figure-four buttock stretch',
    kind: 'stretch',
    position: 'seated',
    instructions: [
      'Sit tall on a chair and rest one ankle on the other knee.',
      'Keeping your back straight, lean forward from the hips until you feel the stretch in the buttock.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['glutes'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'knees_to_chest',
    name: 'Knees to chest',
    kind: 'stretch',
    position: 'lying_on_back',
    instructions: [
      'Lie on your back and draw both knees gently towards your chest with your hands.',
      'Relax your low back into the floor.',
    ],
    dosage: { ...STRETCH_HOLD, perSide: false },
    serves: ['low_back'],
    ruledOutBy: [...AT_A_SITE, ON_THE_BACK_IN_PREGNANCY, ...ROUNDING_THE_SPINE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'cat_cow',
    name: 'Cat-cow',
    kind: 'stretch',
    position: 'quadruped',
    instructions: [
      'On hands and knees, slowly round your back up, then let it sag gently, moving with your breath.',
      'Stay within a comfortable range.',
    ],
    dosage: { reps: 8, sets: 2, perSide: false, when: 'Once or twice a day, slowly.' },
    serves: ['low_back', 'mid_back'],
    ruledOutBy: [...AT_A_SITE, ...ROUNDING_THE_SPINE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'thread_the_needle',
    name: 'Thread the needle',
    kind: 'stretch',
    position: 'quadruped',
    instructions: [
      'On hands and knees, slide one arm under the other, palm up, letting your shoulder and head lower towards the floor.',
      'Feel the stretch between the shoulder blades.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['mid_back', 'shoulder_blade'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'upper_trapezius_stretch',
    name: 'Side-of-neck stretch',
    kind: 'stretch',
    position: 'seated',
    instructions: [
      'Sit tall and hold the seat with one hand.',
      'Tilt your ear towards the other shoulder until you feel a gentle stretch along the side of the neck.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['neck', 'upper_back', 'sternocleidomastoid'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'levator_scapulae_stretch',
    name: 'Neck-to-armpit stretch',
    kind: 'stretch',
    position: 'seated',
    instructions: [
      'Sit tall and hold the seat with one hand.',
      'Turn your nose towards the other armpit and let your head lower gently until you feel the stretch at the back of the neck.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['neck', 'upper_back'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'doorway_chest_stretch',
    name: 'Doorway chest stretch',
    kind: 'stretch',
    position: 'standing',
    instructions: [
      'Forearm on a door frame, elbow at shoulder height.',
      'Step gently through until you feel a stretch across the chest and the front of the shoulder.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['chest', 'shoulder_front'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'cross_body_shoulder_stretch',
    name: 'Cross-body shoulder stretch',
    kind: 'stretch',
    position: 'standing',
    instructions: [
      'Bring one arm across your chest and hold it above the elbow with the other hand.',
      'Feel the stretch at the back of the shoulder.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['shoulder_blade', 'upper_arm'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'wrist_stretch',
    name: 'Wrist and forearm stretch',
    kind: 'stretch',
    position: 'standing',
    instructions: [
      'Arm straight in front, palm up; with the other hand ease the fingers back.',
      'Then palm down and ease the hand down.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['forearm', 'hand'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  {
    id: 'toe_stretch',
    name: 'Seated toe and arch stretch',
    kind: 'stretch',
    position: 'seated',
    instructions: [
      'Sit with one foot across the other knee.',
      'Pull your toes back gently until you feel the stretch along the arch.',
    ],
    dosage: STRETCH_HOLD,
    serves: ['feet'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRETCH_SOURCES,
  },
  // Foam rolling
  {
    id: 'roll_calves',
    name: 'Foam roll the calves',
    kind: 'foam_roll',
    position: 'seated',
    instructions: [
      'Sit with the roller under one calf, hands behind you.',
      'Roll slowly from just below the knee to above the ankle; pause on tender spots, never on bone or the back of the knee.',
    ],
    dosage: ROLL_DOSE,
    serves: ['calves'],
    ruledOutBy: ROLLING_LEGS,
    sources: ROLL_SOURCES,
  },
  {
    id: 'roll_hamstrings',
    name: 'Foam roll the hamstrings',
    kind: 'foam_roll',
    position: 'seated',
    instructions: [
      'Sit with the roller under the back of one thigh, hands behind you.',
      'Roll slowly between the buttock crease and just above the knee.',
    ],
    dosage: ROLL_DOSE,
    serves: ['hamstrings'],
    ruledOutBy: ROLLING_LEGS,
    sources: ROLL_SOURCES,
  },
  {
    id: 'roll_quadriceps',
    name: 'Foam roll the front and outer thigh',
    kind: 'foam_roll',
    position: 'lying_face_down',
    instructions: [
      'Lie face down on your forearms with the roller under one thigh.',
      'Roll slowly between the hip and just above the knee, turning slightly outwards for the outer thigh.',
    ],
    dosage: ROLL_DOSE,
    serves: ['quadriceps', 'it_band'],
    ruledOutBy: [...ROLLING_LEGS, FACE_DOWN_IN_PREGNANCY],
    sources: ROLL_SOURCES,
  },
  {
    id: 'roll_glutes',
    name: 'Roll the buttock on a ball or roller',
    kind: 'foam_roll',
    position: 'seated',
    instructions: [
      'Sit on the roller or a ball, cross one ankle over the other knee and lean towards that side.',
      'Roll slowly over the buttock; pause on tender spots.',
    ],
    dosage: ROLL_DOSE,
    serves: ['glutes'],
    ruledOutBy: ROLLING,
    sources: ROLL_SOURCES,
  },
  {
    id: 'roll_upper_back',
    name: 'Foam roll the upper back',
    kind: 'foam_roll',
    position: 'lying_on_back',
    instructions: [
      'Lie back with the roller across your upper back, hands supporting your head, hips on the floor.',
      'Roll slowly between the shoulder blades; never roll the low back or the neck.',
    ],
    dosage: { ...ROLL_DOSE, perSide: false },
    serves: ['upper_back', 'mid_back', 'shoulder_blade'],
    ruledOutBy: [...ROLLING_SPINE, ON_THE_BACK_IN_PREGNANCY],
    sources: ROLL_SOURCES,
  },
  {
    id: 'roll_foot',
    name: 'Roll the sole of the foot on a ball',
    kind: 'foam_roll',
    position: 'seated',
    instructions: ['Seated, roll a ball slowly under one foot from heel to the ball of the foot.'],
    dosage: ROLL_DOSE,
    serves: ['feet'],
    ruledOutBy: [
      ...ROLLING,
      rule(
        'diabetes_neuropathy',
        'where_affected',
        'Reduced sensation: pressure cannot be judged, so light pressure only.',
        ['WRN-DM', 'CEI'],
      ),
    ],
    sources: ROLL_SOURCES,
  },
  // Strengthening (glutes and core)
  {
    id: 'glute_bridge',
    name: 'Glute bridge',
    kind: 'strengthen',
    strengthens: 'glutes',
    position: 'lying_on_back',
    instructions: [
      'Lie on your back, knees bent, feet flat.',
      'Squeeze your buttocks and lift your hips until knees, hips and shoulders line up; hold 2 seconds and lower slowly.',
    ],
    dosage: { reps: 10, sets: 2, perSide: false, when: 'Every other day, from the day after the session.' },
    serves: ['glutes', 'hamstrings', 'low_back'],
    ruledOutBy: [...AT_A_SITE, ON_THE_BACK_IN_PREGNANCY],
    sources: STRENGTH_SOURCES,
  },
  {
    id: 'clamshell',
    name: 'Clamshell',
    kind: 'strengthen',
    strengthens: 'glutes',
    position: 'side_lying',
    instructions: [
      'Lie on your side, hips and knees bent, feet together.',
      'Keeping your feet together and pelvis still, open the top knee, then lower slowly.',
    ],
    dosage: { reps: 12, sets: 2, perSide: true, when: 'Every other day, from the day after the session.' },
    serves: ['glutes'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRENGTH_SOURCES,
  },
  {
    id: 'dead_bug',
    name: 'Dead bug',
    kind: 'strengthen',
    strengthens: 'core',
    position: 'lying_on_back',
    instructions: [
      'Lie on your back, arms up, hips and knees bent at right angles.',
      'Keeping your low back gently on the floor, lower the opposite arm and leg slowly, return, and switch.',
    ],
    dosage: { reps: 8, sets: 2, perSide: true, when: 'Every other day, from the day after the session.' },
    serves: ['abdomen', 'low_back'],
    ruledOutBy: [...AT_A_SITE, ON_THE_BACK_IN_PREGNANCY],
    sources: STRENGTH_SOURCES,
  },
  {
    id: 'bird_dog',
    name: 'Bird dog',
    kind: 'strengthen',
    strengthens: 'core',
    position: 'quadruped',
    instructions: [
      'On hands and knees, back flat.',
      'Reach one arm forward and the opposite leg back, hold 3 seconds without letting the back sag, return, and switch.',
    ],
    dosage: { reps: 8, sets: 2, perSide: true, seconds: 3, when: 'Every other day, from the day after the session.' },
    serves: ['abdomen', 'low_back', 'glutes'],
    ruledOutBy: [...AT_A_SITE],
    sources: STRENGTH_SOURCES,
  },
];
