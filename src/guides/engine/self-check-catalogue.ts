import type { RegionId } from '../../domain/body-regions.js';
import type { SourceKey } from '../../domain/clinical-sources.js';
import type { Specialty } from '../../domain/specialties.js';

/**
 * The self-check's own explanations, in our words, each with the sources in clinical-reference.md it rests on. What
 * the other catalogues already say (referred-pain patterns, techniques, the home programme, aftercare's heat or ice,
 * the screening's messages) is taken from them, not repeated here (self-check.ts).
 */

interface Text {
  title: string;
  text: string;
  sources: readonly SourceKey[];
}

export const SELF_CHECK_TEXTS = {
  knots: {
    title: 'Knots and trigger points',
    text: 'What people call a knot is usually a trigger point: a small, tight, tender spot in a muscle. Pressing it hurts, and it can send pain to another place nearby.',
    sources: ['TRAV-IC', 'seed-001'],
  },
  causeSitting: (hours: number): { text: string; sources: readonly SourceKey[] } => ({
    text:
      hours > 0
        ? `Long hours sitting (about ${hours} a day, you said) and the posture that goes with them are among the usual causes.`
        : 'Sitting for long stretches, and the posture that goes with it, is among the usual causes.',
    sources: ['seed-001'],
  }),
  causeInactivity: {
    text: 'Too little movement is another common cause, which is why moving often helps.',
    sources: ['seed-004'],
  },
  causeOveruse: {
    text: 'Overuse, the same movement again and again in training or at work, is another.',
    sources: ['seed-001'],
  },
  causeOldInjury: {
    text: 'An old injury can leave a muscle guarded and tight long after it has healed.',
    sources: ['seed-004'],
  },
  hamstringsPelvis: {
    title: 'Tight hamstrings pull on the pelvis',
    text: 'The hamstrings are three muscles that run from the sit bones at the base of the pelvis to just below the knee; they bend the knee and swing the leg back. When they are short and tight they hold the pelvis from below, so bending forward asks more of the low back.',
    withBack:
      'That is one reason tight hamstrings and a sore low back so often come together, and why a therapist works on both.',
    sources: ['seed-000'],
  },
  tenderLegs: {
    title: 'Why firm pressure on tight legs can hurt',
    text: 'A tight muscle with trigger points in it is sore to press, so firm pressure on tight legs can hurt more than you expect. In trigger point work the therapist presses to about 7 out of 10 on your own scale, holds for up to about a minute and eases off as the spot lets go; you say when it is too much.',
    backOfKnee:
      'The back of the knee is different: an artery, a vein and a nerve run close to the surface there, so it only ever gets broad, light pressure.',
    backOfKneeSources: ['WRN-END'],
    sources: ['TRAV-IC', 'IC-MA'],
  },
  longStanding: {
    title: 'It has been like this for months',
    text: 'Tightness that has built up over months rarely changes in one visit: a lasting difference usually takes a few sessions.',
    sources: ['seeds'],
  },
  feelsLike: {
    title: 'What it feels like',
    text: 'Deep tissue work is slow and firm, on a scale from 1 (light) to 5 (very deep); a therapist uses thumbs, knuckles, the forearm or the elbow, the forearm for large muscles such as the calves and buttocks. It should feel strong but bearable: you can ask for less or more at any time.',
    sources: ['JOHN-STR', 'JOHN-DT'],
  },
  afterwards: {
    title: 'Afterwards',
    text: 'Feeling sore the next day, as after a workout, is common and usually eases within a day or two. About one person in ten notices some minor discomfort that is gone within about a day and a half.',
    sources: ['seeds', 'CAM07'],
  },
  fewSessions: {
    title: 'How many sessions',
    text: 'One session can ease things for a while; a lasting change usually takes a few, with the stretching and strengthening below in between.',
    sources: ['seeds', 'seed-000'],
  },
  hydrate: {
    title: 'Drink enough water',
    text: 'Not drinking enough is one of the causes of knots: keep a glass of water within reach through the day.',
    sources: ['seed-004', 'seeds'],
  },
  freshInjury: {
    title: 'A fresh injury',
    text: 'In the first three days after an injury, leave the injured place alone: no massage, no stretching into pain and no heat there; ice wrapped in a cloth is fine.',
    sources: ['W-Sprain', 'W-Strain'],
  },
} as const satisfies Record<
  string,
  Text | ((hours: number) => { text: string; sources: readonly SourceKey[] }) | object
>;

/** Which specialty a marked place calls for, in search's words (src/domain/specialties.ts). */
export const SPECIALTY_OF_REGION: Partial<Record<RegionId, Specialty>> = {
  hamstrings: 'hamstrings',
  back_of_knee: 'hamstrings',
  low_back: 'low_back',
  spine_lumbar: 'low_back',
  spine_sacral: 'low_back',
  glutes: 'low_back',
  neck: 'neck_shoulders',
  spine_cervical: 'neck_shoulders',
  sternocleidomastoid: 'neck_shoulders',
  upper_back: 'neck_shoulders',
  shoulder_blade: 'neck_shoulders',
  shoulder_front: 'neck_shoulders',
  calves: 'sports',
  quadriceps: 'sports',
  it_band: 'sports',
  shin: 'sports',
  mid_back: 'trigger_point',
  spine_thoracic: 'trigger_point',
};
