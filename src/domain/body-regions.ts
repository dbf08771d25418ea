/**
 * The body map: regions a client can mark, front or back, with the muscles in each. Lateral regions exist once
 * per side; a reference to one side is `<region>.<side>` (e.g. 'hamstrings.left'), a midline region is just its id
 * (e.g. 'abdomen'). Endangerment sites carry why only broad, light pressure is safe there [WRN-END]; every
 * client gets their pressure cap, whatever the intake says.
 */

export type BodyView = 'front' | 'back';
export type Side = 'left' | 'right';

export interface Muscle {
  id: string;
  name: string;
}

export interface BodyRegion {
  id: string;
  label: string;
  view: BodyView;
  lateral: boolean;
  muscles: readonly Muscle[];
  /** Present on endangerment sites: structures at risk under deep pressure. */
  endangerment?: { structures: string; sources: readonly string[] };
}

const m = (id: string, name: string): Muscle => ({ id, name });
const ENDANGERMENT_SOURCES = ['WRN-END'] as const;

export const BODY_REGIONS = [
  // Front
  {
    id: 'head',
    label: 'Head and temples',
    view: 'front',
    lateral: false,
    muscles: [m('temporalis', 'Temporalis'), m('frontalis', 'Frontalis')],
  },
  {
    id: 'front_of_neck',
    label: 'Front of the neck',
    view: 'front',
    lateral: false,
    muscles: [],
    endangerment: { structures: 'carotid artery, jugular vein, vagus nerve, trachea', sources: ENDANGERMENT_SOURCES },
  },
  {
    id: 'sternocleidomastoid',
    label: 'Side of the neck',
    view: 'front',
    lateral: true,
    muscles: [m('sternocleidomastoid', 'Sternocleidomastoid'), m('scalenes', 'Scalenes')],
  },
  {
    id: 'chest',
    label: 'Chest',
    view: 'front',
    lateral: true,
    muscles: [m('pectoralis_major', 'Pectoralis major'), m('pectoralis_minor', 'Pectoralis minor')],
  },
  {
    id: 'armpit',
    label: 'Armpit',
    view: 'front',
    lateral: true,
    muscles: [],
    endangerment: {
      structures: 'brachial plexus, axillary artery and vein, lymph nodes',
      sources: ENDANGERMENT_SOURCES,
    },
  },
  {
    id: 'shoulder_front',
    label: 'Front of the shoulder',
    view: 'front',
    lateral: true,
    muscles: [m('anterior_deltoid', 'Anterior deltoid')],
  },
  {
    id: 'upper_arm',
    label: 'Upper arm',
    view: 'front',
    lateral: true,
    muscles: [
      m('biceps_brachii', 'Biceps brachii'),
      m('brachialis', 'Brachialis'),
      m('triceps_brachii', 'Triceps brachii'),
    ],
  },
  {
    id: 'forearm',
    label: 'Forearm',
    view: 'front',
    lateral: true,
    muscles: [m('wrist_flexors', 'Wrist flexors'), m('wrist_extensors', 'Wrist extensors')],
  },
  {
    // The wrist reaches up the forearm: the wrist bone that breaks in osteoporosis is the end of the radius, in the
    // forearm just above the joint [WRN-OST].
    id: 'wrist',
    label: 'Wrist and lower forearm',
    view: 'front',
    lateral: true,
    muscles: [],
  },
  {
    id: 'hand',
    label: 'Hand',
    view: 'front',
    lateral: true,
    muscles: [m('thenar', 'Thenar muscles'), m('hand_intrinsics', 'Hand intrinsics')],
  },
  {
    id: 'abdomen',
    label: 'Abdomen',
    view: 'front',
    lateral: false,
    muscles: [m('rectus_abdominis', 'Rectus abdominis'), m('obliques', 'Obliques')],
  },
  {
    id: 'groin',
    label: 'Groin',
    view: 'front',
    lateral: true,
    muscles: [],
    endangerment: { structures: 'femoral artery, vein and nerve, inguinal lymph nodes', sources: ENDANGERMENT_SOURCES },
  },
  {
    id: 'hip_flexors',
    label: 'Front of the hip',
    view: 'front',
    lateral: true,
    muscles: [m('iliopsoas', 'Iliopsoas'), m('tensor_fasciae_latae', 'Tensor fasciae latae')],
  },
  {
    id: 'quadriceps',
    label: 'Front of the thigh',
    view: 'front',
    lateral: true,
    muscles: [
      m('rectus_femoris', 'Rectus femoris'),
      m('vastus_lateralis', 'Vastus lateralis'),
      m('vastus_medialis', 'Vastus medialis'),
      m('vastus_intermedius', 'Vastus intermedius'),
    ],
  },
  {
    id: 'it_band',
    label: 'Outer thigh (IT band)',
    view: 'front',
    lateral: true,
    muscles: [m('iliotibial_band', 'Iliotibial band'), m('tensor_fasciae_latae', 'Tensor fasciae latae')],
  },
  {
    id: 'knee_front',
    label: 'Front of the knee (kneecap)',
    view: 'front',
    lateral: true,
    muscles: [],
  },
  { id: 'shin', label: 'Shin', view: 'front', lateral: true, muscles: [m('tibialis_anterior', 'Tibialis anterior')] },
  {
    id: 'feet',
    label: 'Foot',
    view: 'front',
    lateral: true,
    muscles: [m('plantar_fascia', 'Plantar fascia'), m('foot_intrinsics', 'Foot intrinsics')],
  },
  // Back
  {
    id: 'neck',
    label: 'Back of the neck',
    view: 'back',
    lateral: true,
    muscles: [
      m('upper_trapezius', 'Upper trapezius'),
      m('levator_scapulae', 'Levator scapulae'),
      m('splenius_capitis', 'Splenius capitis'),
      m('suboccipitals', 'Suboccipitals'),
    ],
  },
  {
    id: 'spine_cervical',
    label: 'Spine: neck (cervical)',
    view: 'back',
    lateral: false,
    muscles: [],
  },
  {
    id: 'upper_back',
    label: 'Top of the shoulder and upper back',
    view: 'back',
    lateral: true,
    muscles: [m('upper_trapezius', 'Upper trapezius'), m('levator_scapulae', 'Levator scapulae')],
  },
  {
    id: 'shoulder_blade',
    label: 'Shoulder blade',
    view: 'back',
    lateral: true,
    muscles: [
      m('infraspinatus', 'Infraspinatus'),
      m('supraspinatus', 'Supraspinatus'),
      m('teres_minor', 'Teres minor'),
      m('posterior_deltoid', 'Posterior deltoid'),
    ],
  },
  {
    id: 'mid_back',
    label: 'Mid back (between the shoulder blades)',
    view: 'back',
    lateral: true,
    muscles: [
      m('rhomboids', 'Rhomboids'),
      m('middle_trapezius', 'Middle trapezius'),
      m('thoracic_erector_spinae', 'Erector spinae (thoracic)'),
    ],
  },
  {
    id: 'spine_thoracic',
    label: 'Spine: upper and mid back (thoracic)',
    view: 'back',
    lateral: false,
    muscles: [],
  },
  {
    id: 'kidney_area',
    label: 'Kidney area',
    view: 'back',
    lateral: true,
    muscles: [],
    endangerment: {
      structures: 'kidneys, under the lowest ribs (floating ribs 11 and 12)',
      sources: ENDANGERMENT_SOURCES,
    },
  },
  {
    id: 'low_back',
    label: 'Low back',
    view: 'back',
    lateral: true,
    muscles: [
      m('erector_spinae', 'Erector spinae'),
      m('quadratus_lumborum', 'Quadratus lumborum'),
      m('multifidus', 'Multifidus'),
    ],
  },
  {
    id: 'spine_lumbar',
    label: 'Spine: low back (lumbar)',
    view: 'back',
    lateral: false,
    muscles: [],
  },
  {
    id: 'spine_sacral',
    label: 'Spine: base (sacrum)',
    view: 'back',
    lateral: false,
    muscles: [],
  },
  {
    id: 'glutes',
    label: 'Buttock',
    view: 'back',
    lateral: true,
    muscles: [
      m('gluteus_maximus', 'Gluteus maximus'),
      m('gluteus_medius', 'Gluteus medius'),
      m('gluteus_minimus', 'Gluteus minimus'),
      m('piriformis', 'Piriformis'),
    ],
  },
  {
    id: 'hamstrings',
    label: 'Back of the thigh (hamstrings)',
    view: 'back',
    lateral: true,
    muscles: [
      m('semitendinosus', 'Semitendinosus'),
      m('semimembranosus', 'Semimembranosus'),
      m('biceps_femoris', 'Biceps femoris'),
    ],
  },
  {
    id: 'back_of_knee',
    label: 'Back of the knee',
    view: 'back',
    lateral: true,
    muscles: [m('popliteus', 'Popliteus')],
    endangerment: { structures: 'popliteal artery and vein, tibial nerve', sources: ENDANGERMENT_SOURCES },
  },
  {
    id: 'calves',
    label: 'Calf',
    view: 'back',
    lateral: true,
    muscles: [m('gastrocnemius', 'Gastrocnemius'), m('soleus', 'Soleus')],
  },
] as const satisfies readonly BodyRegion[];

export type RegionId = (typeof BODY_REGIONS)[number]['id'];

/** A marked place on the body: a midline region's id, or a lateral region's id with its side. */
export type RegionRef = string;

const byId = new Map<string, BodyRegion>(BODY_REGIONS.map((r) => [r.id, r]));

export function bodyRegion(id: string): BodyRegion | undefined {
  return byId.get(id);
}

/** Every valid reference: 'abdomen', 'hamstrings.left', 'hamstrings.right', … */
export const REGION_REFS: readonly RegionRef[] = BODY_REGIONS.flatMap((r) =>
  r.lateral ? [`${r.id}.left`, `${r.id}.right`] : [r.id],
);

const validRefs = new Set(REGION_REFS);

export function isRegionRef(value: string): boolean {
  return validRefs.has(value);
}

/** The region and side of a reference, or undefined when it is not one. */
export function parseRegionRef(ref: string): { region: BodyRegion; side: Side | null } | undefined {
  if (!validRefs.has(ref)) return undefined;
  const [id, side] = ref.split('.') as [string, Side | undefined];
  return { region: byId.get(id)!, side: side ?? null };
}

/** Both sides of a lateral region, or the region itself: what "the whole region" means for a rule. */
export function refsOfRegion(id: string): RegionRef[] {
  const region = byId.get(id);
  if (!region) return [];
  return region.lateral ? [`${id}.left`, `${id}.right`] : [id];
}

export const ENDANGERMENT_REFS: readonly RegionRef[] = BODY_REGIONS.filter((r) => 'endangerment' in r).flatMap((r) =>
  refsOfRegion(r.id),
);

/**
 * Anatomical groups the clinical catalogues name ("legs", "spine", …). Lateral members stand for both sides.
 * Only mappings a rule needs live here; they are deliberately broad (a rule errs towards covering too much).
 */
export const REGION_GROUPS = {
  legs: [
    'groin',
    'hip_flexors',
    'quadriceps',
    'it_band',
    'hamstrings',
    'knee_front',
    'back_of_knee',
    'shin',
    'calves',
    'feet',
  ],
  /** The bones themselves and the back regions over them (see SPINE_SEGMENTS). */
  spine: ['spine_cervical', 'spine_thoracic', 'spine_lumbar', 'spine_sacral', 'neck', 'mid_back', 'low_back'],
  ribs: ['chest', 'mid_back', 'kidney_area'],
  hips: ['glutes', 'hip_flexors'],
  /** The wrist and the forearm it reaches into: the fragile bone is the end of the radius [WRN-OST]. */
  wrists: ['wrist', 'forearm'],
  loin: ['kidney_area', 'low_back'],
  extremities: ['feet', 'hand'],
} as const satisfies Record<string, readonly RegionId[]>;

export type RegionGroup = keyof typeof REGION_GROUPS;

export function refsOfGroup(group: RegionGroup): RegionRef[] {
  return REGION_GROUPS[group].flatMap((id) => refsOfRegion(id));
}

/** Limbs from the trunk outwards; regions on one level are side by side, later levels are further out. */
const LIMB_LEVELS: readonly (readonly RegionId[])[][] = [
  [
    ['groin', 'hip_flexors'],
    ['quadriceps', 'it_band', 'hamstrings'],
    ['knee_front', 'back_of_knee'],
    ['shin', 'calves'],
    ['feet'],
  ],
  [['armpit', 'shoulder_front'], ['upper_arm'], ['forearm'], ['wrist'], ['hand']],
];

/**
 * The places further out along the same limb on the same side (e.g. a varicose vein in the left calf puts the
 * left foot at risk too). Empty for the trunk, the head and the ends of limbs.
 */
export function refsDistalTo(ref: RegionRef): RegionRef[] {
  const parsed = parseRegionRef(ref);
  if (!parsed || parsed.side === null) return [];
  for (const limb of LIMB_LEVELS) {
    const level = limb.findIndex((ids) => ids.includes(parsed.region.id as RegionId));
    if (level >= 0) return limb.slice(level + 1).flatMap((ids) => ids.map((id) => `${id}.${parsed.side}`));
  }
  return [];
}

/**
 * Regions that touch on the body, each pair once. A site-bearing condition (an injury, a wound, a fracture, an
 * arthritic joint, a tumour or metastasis) protects the regions next to the one the client tapped too, so that
 * protection does not depend on which of two neighbouring regions they chose (a graze on the knee tapped as the
 * shin still keeps deep pressure off the knee). Lateral regions touch on the same side; a midline region touches
 * both sides of a lateral one.
 */
const TOUCHING: readonly (readonly [RegionId, RegionId])[] = [
  // Head and neck
  ['head', 'front_of_neck'],
  ['head', 'sternocleidomastoid'],
  ['head', 'neck'],
  ['head', 'spine_cervical'],
  ['front_of_neck', 'sternocleidomastoid'],
  ['front_of_neck', 'chest'],
  ['sternocleidomastoid', 'chest'],
  ['sternocleidomastoid', 'neck'],
  ['sternocleidomastoid', 'upper_back'],
  ['neck', 'spine_cervical'],
  ['neck', 'upper_back'],
  // Arm
  ['chest', 'armpit'],
  ['chest', 'shoulder_front'],
  ['chest', 'abdomen'],
  ['armpit', 'shoulder_front'],
  ['armpit', 'upper_arm'],
  ['armpit', 'shoulder_blade'],
  ['shoulder_front', 'upper_arm'],
  ['shoulder_front', 'upper_back'],
  ['upper_arm', 'shoulder_blade'],
  ['upper_arm', 'forearm'],
  ['forearm', 'wrist'],
  ['wrist', 'hand'],
  // Trunk and spine
  ['upper_back', 'shoulder_blade'],
  ['upper_back', 'mid_back'],
  ['upper_back', 'spine_cervical'],
  ['upper_back', 'spine_thoracic'],
  ['shoulder_blade', 'mid_back'],
  ['mid_back', 'spine_thoracic'],
  ['mid_back', 'kidney_area'],
  ['kidney_area', 'low_back'],
  ['kidney_area', 'spine_thoracic'],
  ['kidney_area', 'spine_lumbar'],
  ['low_back', 'spine_lumbar'],
  ['low_back', 'spine_sacral'],
  ['low_back', 'glutes'],
  ['spine_cervical', 'spine_thoracic'],
  ['spine_thoracic', 'spine_lumbar'],
  ['spine_lumbar', 'spine_sacral'],
  ['spine_sacral', 'glutes'],
  ['abdomen', 'hip_flexors'],
  ['abdomen', 'groin'],
  // Leg
  ['groin', 'hip_flexors'],
  ['groin', 'quadriceps'],
  ['hip_flexors', 'quadriceps'],
  ['hip_flexors', 'it_band'],
  ['hip_flexors', 'glutes'],
  ['glutes', 'it_band'],
  ['glutes', 'hamstrings'],
  ['quadriceps', 'it_band'],
  ['quadriceps', 'hamstrings'],
  ['quadriceps', 'knee_front'],
  ['it_band', 'hamstrings'],
  ['it_band', 'knee_front'],
  ['hamstrings', 'back_of_knee'],
  ['knee_front', 'back_of_knee'],
  ['knee_front', 'shin'],
  ['back_of_knee', 'calves'],
  ['back_of_knee', 'shin'],
  ['shin', 'calves'],
  ['shin', 'feet'],
  ['calves', 'feet'],
];

const touching = new Map<string, Set<RegionId>>();
for (const [a, b] of TOUCHING) {
  touching.set(a, (touching.get(a) ?? new Set()).add(b));
  touching.set(b, (touching.get(b) ?? new Set()).add(a));
}

/** The regions an id touches (ids, no sides): for tables and tests. */
export function regionsTouching(id: string): RegionId[] {
  return [...(touching.get(id) ?? [])];
}

/** The places next to a reference: same side for lateral regions, both sides of a lateral one from the midline. */
export function refsNextTo(ref: RegionRef): RegionRef[] {
  const parsed = parseRegionRef(ref);
  if (!parsed) return [];
  return sortRegionRefs(
    regionsTouching(parsed.region.id).flatMap((id) => {
      const other = byId.get(id)!;
      if (!other.lateral) return [id];
      return parsed.side ? [`${id}.${parsed.side}`] : refsOfRegion(id);
    }),
  );
}

/**
 * The spine, neck to sacrum, with the back regions over each segment. Bone under those back regions is the spine,
 * so a bone metastasis tapped on the back of the neck, the mid back or the low back is a spinal one.
 */
export const SPINE_SEGMENTS = {
  spine_cervical: ['neck'],
  spine_thoracic: ['upper_back', 'mid_back'],
  spine_lumbar: ['low_back'],
  spine_sacral: ['low_back'],
} as const satisfies Record<string, readonly RegionId[]>;

const spineSegmentIds = Object.keys(SPINE_SEGMENTS);
const overSpineIds = new Set<string>(Object.values(SPINE_SEGMENTS).flat());

/** Whether a reference is a spine segment or a back region over one. */
export function isOnSpine(ref: RegionRef): boolean {
  const parsed = parseRegionRef(ref);
  return !!parsed && (spineSegmentIds.includes(parsed.region.id) || overSpineIds.has(parsed.region.id));
}

/** Every spine segment and both sides of every back region over one. */
export function refsOfWholeSpine(): RegionRef[] {
  return sortRegionRefs([...spineSegmentIds, ...[...overSpineIds].flatMap((id) => refsOfRegion(id))]);
}

/** The label a person reads: 'Calf (left)', 'Abdomen'. */
export function regionRefLabel(ref: RegionRef): string {
  const parsed = parseRegionRef(ref);
  if (!parsed) return ref;
  return parsed.side ? `${parsed.region.label} (${parsed.side})` : parsed.region.label;
}

/** Sorts references in catalogue order (front to back, head to foot), left before right. */
export function sortRegionRefs(refs: Iterable<RegionRef>): RegionRef[] {
  const order = new Map(REGION_REFS.map((ref, i) => [ref, i]));
  return [...new Set(refs)].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
}
