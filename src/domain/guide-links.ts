/**
 * The public guides (server-rendered pages under /guides, src/guides/) by their fixed addresses, and which guides
 * belong to the regions a session worked. On the ground floor because the booking confirmation (notify), the brief,
 * the aftercare and the web app all link to them, and none of them may import the guides capability.
 */
export const GUIDE_SLUGS = [
  'tight-hamstrings',
  'knots-in-the-back',
  'back-pain-relief',
  'legs-hurt-when-massaged',
  'what-to-expect',
  'soreness-after-massage',
  'who-should-not-have-deep-tissue',
] as const;

export type GuideSlug = (typeof GUIDE_SLUGS)[number];

/** The question each guide answers, as its link reads. */
export const GUIDE_TITLES: Record<GuideSlug, string> = {
  'tight-hamstrings': 'Why are my hamstrings so tight?',
  'knots-in-the-back': 'What is a knot in my back?',
  'back-pain-relief': 'Will deep tissue massage help my back pain?',
  'legs-hurt-when-massaged': 'Why do my legs hurt when they are massaged?',
  'what-to-expect': 'What to expect before, during and after a deep tissue session',
  'soreness-after-massage': 'Is soreness after a massage normal?',
  'who-should-not-have-deep-tissue': 'Who should not have deep tissue massage?',
};

export const GUIDES_INDEX_PATH = '/guides';
export const SELF_CHECK_PATH = '/self-check';

export function guidePath(slug: GuideSlug): string {
  return `${GUIDES_INDEX_PATH}/${slug}`;
}

export function isGuideSlug(value: string): value is GuideSlug {
  return (GUIDE_SLUGS as readonly string[]).includes(value);
}

const BACK_REGIONS = new Set([
  'upper_back',
  'mid_back',
  'low_back',
  'shoulder_blade',
  'spine_cervical',
  'spine_thoracic',
  'spine_lumbar',
  'spine_sacral',
]);
/** The legs below the hip: the muscles the "legs hurt" guide is about. */
const LEG_REGIONS = new Set(['hip_flexors', 'quadriceps', 'it_band', 'hamstrings', 'shin', 'calves', 'feet']);

/**
 * The guides for the regions a session worked (region ids, or refs such as `calves.left`), in the guides' order:
 * hamstrings -> tight hamstrings; the back -> knots in the back and back pain relief; the legs -> legs that hurt when
 * massaged; soreness after massage always.
 */
export function guidesForRegions(regions: Iterable<string>): GuideSlug[] {
  const ids = new Set([...regions].map((r) => r.split('.')[0]!));
  const wanted = new Set<GuideSlug>(['soreness-after-massage']);
  if (ids.has('hamstrings')) wanted.add('tight-hamstrings');
  if ([...ids].some((id) => BACK_REGIONS.has(id))) {
    wanted.add('knots-in-the-back');
    wanted.add('back-pain-relief');
  }
  if ([...ids].some((id) => LEG_REGIONS.has(id))) wanted.add('legs-hurt-when-massaged');
  return GUIDE_SLUGS.filter((slug) => wanted.has(slug));
}
