import { bodyRegion, type RegionId } from '../../domain/body-regions.js';
import { CLINICAL_SOURCES, type SourceKey } from '../../domain/clinical-sources.js';
import { FLEXIBILITY_TESTS } from '../../domain/flexibility-tests.js';
import { GUIDE_TITLES, type GuideSlug } from '../../domain/guide-links.js';
import { regionIdsInWords } from '../../domain/region-label.js';
import type { Specialty } from '../../domain/specialties.js';
import { TECHNIQUES, type TechniqueId, technique } from '../../domain/technique-catalogue.js';
import { heatIceBathItems, hydrationAndRestItems, whatToExpectItems } from '../../care/engine/aftercare-self-care.js';
import { EXERCISES, type Exercise } from '../../care/engine/exercise-catalogue.js';
import { dosageInWords } from '../../care/engine/home-programme.js';
import { RED_FLAGS, type RedFlagId, SORENESS_ESCALATION } from '../../care/engine/red-flags.js';
import { AKE_TIGHT_ABOVE } from '../../outcomes/engine/flexibility-tests.js';
import {
  CONTRAINDICATIONS,
  type ContraindicationEntry,
  ENDANGERMENT_ENTRY,
  type RuleClass,
  type ScreeningRule,
} from '../../screening/engine/contraindication-catalogue.js';
import { REFERRAL_PATTERNS, type ReferralPattern } from '../../screening/engine/referred-pain.js';
import { type CatalogueRef, sourcesOf } from './guide-catalogues.js';

/**
 * The guides, generated from the catalogues Knotwork already keeps: referred-pain patterns, techniques, the
 * aftercare's standing items, red flags, the home programme's exercises, the flexibility tests, endangerment sites
 * and the screening's contraindications. Every sentence that states a fact is a `Claim`: its words are ours, written
 * here around the entry's own data, and it names the entries it rests on and carries their source keys. Headings,
 * link texts and the page description are not claims and state no fact. Pure: same catalogues, same guides.
 */

export interface Claim {
  /** Shown in bold before the text (a condition's or an exercise's name); part of the claim. */
  lead?: string;
  text: string;
  from: CatalogueRef[];
  sources: SourceKey[];
  /** Needs a doctor today or an emergency number (the rule's urgency, a red flag's emergency): shown as urgent. */
  urgent?: boolean;
}

export interface GuideSection {
  heading: string;
  /** `list`: the claims are items of one list; `paragraphs`: each claim is a paragraph. */
  form: 'list' | 'paragraphs';
  claims: Claim[];
}

export interface Guide {
  slug: GuideSlug;
  title: string;
  /** The meta description: what the page covers (no claim). */
  description: string;
  sections: GuideSection[];
  /** Search with these filled in ("find a therapist for this"); null when the guide is not about a region. */
  search: { specialty: Specialty | null; regions: RegionId[] } | null;
  /** Every source the claims cite, with its title, in first-cited order. */
  references: { key: SourceKey; title: string }[];
}

function claim(text: string, from: CatalogueRef[], extra: { lead?: string; urgent?: boolean } = {}): Claim {
  return { ...extra, text, from, sources: sourcesOf(from) };
}

const ref = (catalogue: CatalogueRef['catalogue'], id: string): CatalogueRef => ({ catalogue, id });
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const withStop = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
const regionLabel = (id: string) => bodyRegion(id)?.label.toLowerCase() ?? id.replaceAll('_', ' ');
/** "a, b and c" */
const listInWords = (items: readonly string[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six'];
const countInWords = (n: number) => NUMBER_WORDS[n] ?? String(n);

// ---------------------------------------------------------------------------------------------------------------
// Claims built from one kind of entry each

function referralClaim(p: ReferralPattern): Claim {
  return claim(
    `A trigger point in the ${p.muscleName.toLowerCase()}, in the ${regionLabel(p.locatedIn)}, can be felt at the ${p.pattern}.`,
    [ref('referral', p.muscle)],
  );
}

/** Patterns felt in any of `regions` that start in a muscle elsewhere. */
function referredInto(regions: readonly RegionId[]): Claim[] {
  return REFERRAL_PATTERNS.filter(
    (p) => p.painFeltAt.some((r) => regions.includes(r)) && !regions.includes(p.locatedIn),
  ).map((p) =>
    claim(
      `Pain in the ${listInWords(p.painFeltAt.filter((r) => regions.includes(r)).map(regionLabel))} may start in the ${p.muscleName.toLowerCase()}, which lies in the ${regionLabel(p.locatedIn)}.`,
      [ref('referral', p.muscle)],
    ),
  );
}

function techniqueClaim(id: TechniqueId): Claim {
  const t = technique(id);
  return claim(`${t.name}: ${lowerFirst(t.description)}`, [ref('technique', id)]);
}

/** The technique's note on what it does, in our words: it raises the pressure a spot tolerates; modest evidence. */
function compressionEffectClaim(): Claim {
  return claim(
    'Pressing a trigger point this way raises how much pressure it takes before it hurts, although the evidence for this is modest.',
    [ref('technique', 'trigger_point_compression')],
  );
}

function exerciseClaim(e: Exercise): Claim {
  return claim(`${e.instructions.join(' ')} ${dosageInWords(e)}`, [ref('exercise', e.id)], { lead: e.name });
}

function exercisesFor(regions: readonly RegionId[], kinds: readonly Exercise['kind'][]): Claim[] {
  return EXERCISES.filter((e) => kinds.includes(e.kind) && e.serves.some((r) => regions.includes(r))).map(
    exerciseClaim,
  );
}

function redFlagClaim(id: RedFlagId): Claim {
  const flag = RED_FLAGS.find((f) => f.id === id)!;
  return claim(`${flag.sign} It can be a sign of ${flag.concern}. ${flag.action}`, [ref('red_flag', id)], {
    urgent: flag.level === 'emergency',
  });
}

function sorenessEscalationClaim(): Claim {
  return claim(`${SORENESS_ESCALATION.sign} ${SORENESS_ESCALATION.action}`, [ref('red_flag', 'soreness_escalation')]);
}

/** The rules of an entry that change the session (not the notes about a detail the client did not know). */
function actingRules(entry: ContraindicationEntry): ScreeningRule[] {
  return entry.rules.filter((r) => r.effects.some((e) => !(e.kind === 'advice' && e.topic === 'therapist')));
}

function contraindicationClaim(entry: ContraindicationEntry, lead?: string): Claim {
  const rules = actingRules(entry);
  return claim(rules.map((r) => withStop(r.clientMessage)).join(' '), [ref('contraindication', entry.id)], {
    lead: lead ?? CONDITION_NAMES[entry.id] ?? entry.condition,
    urgent: rules.some((r) => r.urgency !== undefined),
  });
}

const entry = (id: string) => CONTRAINDICATIONS.find((e) => e.id === id)!;

/** The conditions in plain words for a reader who has not filled in a consultation. */
const CONDITION_NAMES: Record<string, string> = {
  blood_clot: 'A blood clot, or a painful, swollen, warm or red calf',
  dvt_history: 'A blood clot in the past',
  bleeding_risk: 'Blood thinners, a bleeding disorder or low platelets',
  fever: 'A fever or an infection',
  open_wound: 'An open or unhealed wound',
  skin_infection: 'A skin infection or a contagious rash',
  osteoporosis: 'Osteoporosis',
  acute_fracture: 'A broken bone that is still healing',
  acute_injury: 'A fresh sprain, strain or other injury',
  herniated_disc: 'A herniated (slipped) disc',
  spinal_red_flags: 'Back or neck pain with numbness, bladder changes or weak legs',
  rheumatoid_arthritis: 'Rheumatoid arthritis',
  osteoarthritis: 'An osteoarthritic joint that is inflamed',
  varicose_veins: 'Varicose veins',
  recent_surgery: 'An operation in the last few weeks',
  cancer: 'Cancer, now or recently treated',
  diabetes_neuropathy: 'Diabetes with numb or tingling feet or hands',
  hypertension: 'High blood pressure',
  heart: 'A recent heart attack or unstable angina',
  kidney_failure: 'Kidney failure',
  fibromyalgia: 'Fibromyalgia',
  pregnancy: 'Pregnancy',
};

/** The strictest class among an entry's acting rules: A (no massage) before L (not there) before R (adapted). */
function strictestClass(entry: ContraindicationEntry): RuleClass {
  const classes = actingRules(entry).map((r) => r.class);
  return classes.includes('A') ? 'A' : classes.includes('L') ? 'L' : 'R';
}

const aftercareItem = (id: string) =>
  [
    ...whatToExpectItems({ sessionEndedAt: 0, regionsWorked: [] }, 'UTC'),
    ...hydrationAndRestItems([]),
    ...heatIceBathItems([]),
  ].find((i) => i.id === id)!;

/** An aftercare item as the guide says it: its reason for the facts, its advice for what to do. */
const aftercareWhy = (id: string) => claim(aftercareItem(id).why, [ref('aftercare', id)]);
const aftercareAdvice = (id: string) => claim(aftercareItem(id).text, [ref('aftercare', id)]);

function endangermentClaims(regions: readonly RegionId[]): Claim[] {
  return regions.map((id) => {
    const region = bodyRegion(id)!;
    return claim(
      `The ${region.label.toLowerCase()} only ever gets broad, light pressure: the ${region.endangerment!.structures} lie close to the surface there.`,
      [ref('endangerment_site', id)],
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The guides

const selfCareHeading = 'What you can do yourself';
const doctorHeading = 'When to see a doctor first';

function tightHamstrings(): Omit<Guide, 'references'> {
  const hamstringMuscles = REFERRAL_PATTERNS.filter((p) => p.locatedIn === 'hamstrings');
  const ake = FLEXIBILITY_TESTS.find((t) => t.id === 'ake')!;
  const bridge = EXERCISES.find((e) => e.id === 'glute_bridge')!;
  return {
    slug: 'tight-hamstrings',
    title: GUIDE_TITLES['tight-hamstrings'],
    description:
      'Where tight hamstrings are felt, how a therapist measures them, what a deep tissue session does for them and what you can do at home.',
    search: { specialty: 'hamstrings', regions: ['hamstrings'] },
    sections: [
      {
        heading: 'Where tight hamstrings are felt',
        form: 'paragraphs',
        claims: [
          claim(
            `The hamstrings are ${countInWords(hamstringMuscles.length)} muscles at the back of the thigh: the ${listInWords(hamstringMuscles.map((p) => p.muscleName.toLowerCase()))}.`,
            hamstringMuscles.map((p) => ref('referral', p.muscle)),
          ),
          ...hamstringMuscles.map(referralClaim),
          ...referredInto(['hamstrings']),
        ],
      },
      {
        heading: 'How tight is tight',
        form: 'paragraphs',
        claims: [
          claim(
            `A therapist can measure the hamstrings with the ${ake.name.toLowerCase()} test: you lie on your back with the hip bent to 90 degrees and straighten the knee, and the angle still missing is recorded.`,
            [ref('flexibility_test', 'ake')],
          ),
          claim(
            `The hamstrings count as tight when more than ${AKE_TIGHT_ABOVE.male} degrees are missing for men, or more than ${AKE_TIGHT_ABOVE.female} degrees for women.`,
            [ref('flexibility_test', 'ake')],
          ),
        ],
      },
      {
        heading: 'Tight hamstrings, the pelvis and the low back',
        form: 'paragraphs',
        claims: [
          claim(
            `The hamstrings, buttocks and low back work together, which is why the home programme pairs hamstring work with strengthening: the ${bridge.name.toLowerCase()} works the ${regionIdsInWords(bridge.serves)} at once.`,
            [ref('exercise', bridge.id)],
          ),
          ...referredInto(['low_back']).slice(0, 2),
        ],
      },
      {
        heading: 'What a deep tissue session does',
        form: 'list',
        claims: (['stripping', 'myofascial_release', 'trigger_point_compression'] as const).map(techniqueClaim),
      },
      {
        heading: selfCareHeading,
        form: 'list',
        claims: [
          ...exercisesFor(['hamstrings'], ['stretch', 'foam_roll']),
          ...EXERCISES.filter((e) => e.kind === 'strengthen' && e.serves.includes('hamstrings')).map(exerciseClaim),
        ],
      },
      {
        heading: doctorHeading,
        form: 'list',
        claims: [contraindicationClaim(entry('blood_clot')), redFlagClaim('numbness_or_radiating_pain')],
      },
    ],
  };
}

const BACK: RegionId[] = ['upper_back', 'mid_back', 'low_back', 'shoulder_blade'];

function knotsInTheBack(): Omit<Guide, 'references'> {
  const backPatterns = REFERRAL_PATTERNS.filter((p) => BACK.includes(p.locatedIn));
  return {
    slug: 'knots-in-the-back',
    title: GUIDE_TITLES['knots-in-the-back'],
    description:
      'What a knot in the back is, where back muscles send their pain, how deep tissue work releases a knot and what you can do at home.',
    search: { specialty: 'trigger_point', regions: BACK },
    sections: [
      {
        heading: 'A knot is often a trigger point',
        form: 'paragraphs',
        claims: [
          claim(
            `What people call a knot is often a trigger point: a tender spot in a muscle that can also be felt somewhere else. In the back, they are often found in the ${listInWords(backPatterns.map((p) => p.muscleName.toLowerCase()))}.`,
            backPatterns.map((p) => ref('referral', p.muscle)),
          ),
        ],
      },
      { heading: 'Where back muscles send their pain', form: 'list', claims: backPatterns.map(referralClaim) },
      {
        heading: 'How a therapist works on a knot',
        form: 'list',
        claims: [
          techniqueClaim('trigger_point_compression'),
          compressionEffectClaim(),
          techniqueClaim('stripping'),
          techniqueClaim('myofascial_release'),
        ],
      },
      { heading: selfCareHeading, form: 'list', claims: exercisesFor(BACK, ['stretch', 'foam_roll']) },
      {
        heading: doctorHeading,
        form: 'list',
        claims: [
          contraindicationClaim(entry('spinal_red_flags')),
          contraindicationClaim(entry('herniated_disc')),
          contraindicationClaim(entry('osteoporosis')),
        ],
      },
    ],
  };
}

function backPainRelief(): Omit<Guide, 'references'> {
  return {
    slug: 'back-pain-relief',
    title: GUIDE_TITLES['back-pain-relief'],
    description:
      'Where low back pain can come from, what a deep tissue session does for it, how the session is adapted to your back and when to see a doctor instead.',
    search: { specialty: 'low_back', regions: ['low_back'] },
    sections: [
      {
        heading: 'Back pain does not always start in the back',
        form: 'list',
        claims: [
          ...REFERRAL_PATTERNS.filter((p) => p.locatedIn === 'low_back').map(referralClaim),
          ...referredInto(['low_back']),
        ],
      },
      {
        heading: 'What a deep tissue session does',
        form: 'list',
        claims: (['trigger_point_compression', 'myofascial_release', 'direct_pressure'] as const).map(techniqueClaim),
      },
      {
        heading: 'How the session is adapted to your back',
        form: 'list',
        claims: [contraindicationClaim(entry('herniated_disc')), contraindicationClaim(entry('osteoporosis'))],
      },
      {
        heading: selfCareHeading,
        form: 'list',
        claims: exercisesFor(['low_back'], ['stretch', 'foam_roll', 'strengthen']),
      },
      {
        heading: doctorHeading,
        form: 'list',
        claims: [
          contraindicationClaim(entry('spinal_red_flags')),
          redFlagClaim('saddle_numbness_bladder_or_leg_weakness'),
          redFlagClaim('numbness_or_radiating_pain'),
        ],
      },
    ],
  };
}

const LEGS: RegionId[] = ['hamstrings', 'calves', 'quadriceps', 'it_band'];

function legsHurtWhenMassaged(): Omit<Guide, 'references'> {
  const legPatterns = REFERRAL_PATTERNS.filter((p) => ['calves', 'hamstrings'].includes(p.locatedIn));
  return {
    slug: 'legs-hurt-when-massaged',
    title: GUIDE_TITLES['legs-hurt-when-massaged'],
    description:
      'Why firm pressure on tight legs can hurt, how much discomfort is expected, which places on the legs are kept light and when leg pain needs a doctor instead.',
    search: { specialty: 'sports', regions: LEGS },
    sections: [
      {
        heading: 'Tight leg muscles are often tender',
        form: 'list',
        claims: [...legPatterns.map(referralClaim), ...referredInto(['calves', 'hamstrings']).slice(0, 2)],
      },
      {
        heading: 'How much discomfort is expected',
        form: 'paragraphs',
        claims: [techniqueClaim('trigger_point_compression'), compressionEffectClaim()],
      },
      {
        heading: 'Places that are always kept light',
        form: 'list',
        claims: endangermentClaims(['back_of_knee', 'groin']),
      },
      {
        heading: 'When leg pain needs a doctor, not a massage',
        form: 'list',
        claims: [
          contraindicationClaim(entry('blood_clot')),
          contraindicationClaim(entry('dvt_history')),
          contraindicationClaim(entry('varicose_veins')),
        ],
      },
      {
        heading: selfCareHeading,
        form: 'list',
        claims: exercisesFor(['calves', 'quadriceps', 'it_band'], ['stretch', 'foam_roll']),
      },
    ],
  };
}

function whatToExpect(): Omit<Guide, 'references'> {
  const blocking = CONTRAINDICATIONS.filter((e) => strictestClass(e) === 'A');
  return {
    slug: 'what-to-expect',
    title: GUIDE_TITLES['what-to-expect'],
    description:
      'What happens before, during and after a deep tissue session on Knotwork: the health questions, the techniques and pressure, and the first two days after.',
    search: null,
    sections: [
      {
        heading: 'Before the session',
        form: 'paragraphs',
        claims: [
          claim(
            `Your health answers are checked before the session, because some conditions mean no massage on the day: ${blocking.map((e) => lowerFirst(CONDITION_NAMES[e.id] ?? e.condition)).join('; ')}.`,
            blocking.map((e) => ref('contraindication', e.id)),
          ),
          claim(
            'Other conditions keep an area out of the session, or keep the pressure lighter; the guide on who should not have deep tissue massage lists each one.',
            CONTRAINDICATIONS.filter((e) => strictestClass(e) !== 'A').map((e) => ref('contraindication', e.id)),
          ),
        ],
      },
      {
        heading: 'During the session',
        form: 'list',
        claims: [
          ...TECHNIQUES.map((t) => techniqueClaim(t.id)),
          claim(withStop(ENDANGERMENT_ENTRY.rules[0]!.clientMessage), [ref('contraindication', ENDANGERMENT_ENTRY.id)]),
        ],
      },
      {
        heading: 'After the session',
        form: 'list',
        claims: [
          aftercareWhy('soreness_24_48h'),
          aftercareWhy('minor_discomfort'),
          aftercareAdvice('hydrate'),
          aftercareAdvice('rest_today'),
          aftercareAdvice('compress'),
        ],
      },
      {
        heading: 'Get help at once if',
        form: 'list',
        claims: [redFlagClaim('chest_pain_or_breathlessness'), redFlagClaim('clot_in_leg')],
      },
    ],
  };
}

function sorenessAfterMassage(): Omit<Guide, 'references'> {
  return {
    slug: 'soreness-after-massage',
    title: GUIDE_TITLES['soreness-after-massage'],
    description:
      'How long soreness after deep tissue massage usually lasts, what eases it, and the signs that are not ordinary soreness.',
    search: null,
    sections: [
      {
        heading: 'What is normal',
        form: 'paragraphs',
        claims: [aftercareWhy('soreness_24_48h'), aftercareWhy('minor_discomfort')],
      },
      {
        heading: 'What eases it',
        form: 'list',
        claims: ['hydrate', 'rest_today', 'bath', 'compress'].map(aftercareAdvice),
      },
      {
        heading: 'When it is not ordinary soreness',
        form: 'list',
        claims: [sorenessEscalationClaim(), ...RED_FLAGS.map((f) => redFlagClaim(f.id))],
      },
    ],
  };
}

const CLASS_SECTIONS: { cls: RuleClass; heading: string }[] = [
  { cls: 'A', heading: 'No massage while this applies' },
  { cls: 'L', heading: 'Massage, but not on the affected area' },
  { cls: 'R', heading: 'Massage adapted: lighter pressure, another position or a doctor’s note first' },
];

/** From the screening's own catalogue, entry by entry, so the guide says what the screening does. */
function whoShouldNot(): Omit<Guide, 'references'> {
  return {
    slug: 'who-should-not-have-deep-tissue',
    title: GUIDE_TITLES['who-should-not-have-deep-tissue'],
    description:
      'The conditions that rule out deep tissue massage, keep an area out of it or change how it is given, exactly as Knotwork’s health screening applies them.',
    search: null,
    sections: [
      ...CLASS_SECTIONS.map(({ cls, heading }) => ({
        heading,
        form: 'list' as const,
        claims: CONTRAINDICATIONS.filter((e) => strictestClass(e) === cls).map((e) => contraindicationClaim(e)),
      })),
      {
        heading: 'For everyone',
        form: 'paragraphs',
        claims: [contraindicationClaim(ENDANGERMENT_ENTRY, 'Places kept light')],
      },
    ],
  };
}

const BUILDERS: Record<GuideSlug, () => Omit<Guide, 'references'>> = {
  'tight-hamstrings': tightHamstrings,
  'knots-in-the-back': knotsInTheBack,
  'back-pain-relief': backPainRelief,
  'legs-hurt-when-massaged': legsHurtWhenMassaged,
  'what-to-expect': whatToExpect,
  'soreness-after-massage': sorenessAfterMassage,
  'who-should-not-have-deep-tissue': whoShouldNot,
};

export function guideClaims(guide: Pick<Guide, 'sections'>): Claim[] {
  return guide.sections.flatMap((s) => s.claims);
}

/** One guide, with its references gathered from its claims. */
export function buildGuide(slug: GuideSlug): Guide {
  const guide = BUILDERS[slug]();
  const keys = [...new Set(guideClaims(guide).flatMap((c) => c.sources))];
  return { ...guide, references: keys.map((key) => ({ key, title: CLINICAL_SOURCES[key] })) };
}
