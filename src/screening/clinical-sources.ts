/**
 * The source keys of clinical-reference.md, with where each can be read. Every clinical catalogue entry names
 * its sources by these keys, so a therapist can see why a rule exists; the tests check that every key used is
 * listed here.
 */
/** The reference gives the Werner & Benjamin pages by topic only (somatics.de/PathologyBook/<Topic>.htm). */
const werner = (topic: string) => `somatics.de/PathologyBook, Werner & Benjamin 1998 quick reference: ${topic}`;

export const CLINICAL_SOURCES = {
  B04: 'nyuscholars.nyu.edu/en/publications/contraindications-for-therapeutic-massage-do-sources-agree',
  'W-Thromb': werner('thrombosis'),
  'W-Fever': werner('fever'),
  'W-Open': werner('open wounds'),
  'W-Ost': werner('osteoporosis'),
  'W-Fract': werner('fractures'),
  'W-Sprain': werner('sprains'),
  'W-Strain': werner('strains'),
  'W-Disc': werner('disc disease'),
  'W-RA': werner('rheumatoid arthritis'),
  'W-OA': werner('osteoarthritis'),
  'W-Var': werner('varicose veins'),
  'W-HTN': werner('hypertension'),
  'W-MI': werner('heart attack'),
  'W-Renal': werner('renal failure'),
  'W-FM': werner('fibromyalgia'),
  'WRN-OST': 'abmp.com/textonlymags/article.php?article=2728',
  'WRN-KID': 'abmp.com/textonlymags/article.php?article=2703',
  'WRN-DM': 'abmp.com/textonlymags/article.php?article=2675',
  'WRN-END': 'abmp.com/textonlymags/article.php?article=2200',
  MSD: 'msdmanuals.com/professional/special-subjects/integrative-complementary-and-alternative-medicine/massage-therapy',
  NCCIH: 'NCCIH (via copies)',
  MAYO: 'Mayo Clinic (via copies)',
  HUM: 'yumpu.com/en/document/view/15881299',
  VTE10: 'experts.illinois.edu/en/publications/venous-thromboembolism-following-vigorous-deep-tissue-massage',
  PE24: 'old.scielo.br/j/ijcs/a/nhjFfkYyKNCrFVbCDPdWLsp',
  UCLH: 'uclh.nhs.uk/patients-and-visitors/patient-information-pages/deep-vein-thrombosis',
  MG21: 'pmc.ncbi.nlm.nih.gov/articles/PMC8396946',
  OSB: 'massagetherapycanada.com/positioning-concerns-1298',
  WALT: 'massagemag.com/gentle-pressure-oncology-massage-28781',
  MSU: 'commtechlab.msu.edu/sites/cancerpain/TreatmentForest/T340.html',
  CEI: 'ceinstitute.com (weak)',
  YIN14: 'hindawi.com/journals/ecam/2014/480956',
  OMB: 'ombregt.be/elleboog/uk/friction.htm',
  KOS: 'koschiropractic.com (weak)',
  AHCPR: 'ncbi.nlm.nih.gov/books/NBK52120',
  GRANT11: 'massagetoday.com/mpacms/mt/article.php?id=14505',
  'ML-UT': 'medlink.com myofascial pain media: upper trapezius',
  'ML-LS': 'medlink.com myofascial pain media: levator scapulae',
  'ML-INF': 'medlink.com myofascial pain media: infraspinatus',
  'ML-PIR': 'medlink.com myofascial pain media: piriformis',
  'ML-SCM': 'medlink.com myofascial pain media: sternocleidomastoid',
  AAOFMM: 'aaofmm.com',
  'NAMTPT-Inf': 'check.myofascialtherapy.org/symptomcheck (infraspinatus)',
  'NAMTPT-QL': 'check.myofascialtherapy.org/symptomcheck (quadratus lumborum)',
  'NAMTPT-Gmed': 'check.myofascialtherapy.org/symptomcheck (gluteus medius)',
  'NAMTPT-Gmin': 'check.myofascialtherapy.org/symptomcheck (gluteus minimus)',
  'NAMTPT-Pir': 'check.myofascialtherapy.org/symptomcheck (piriformis)',
  'NAMTPT-Gas': 'check.myofascialtherapy.org/symptomcheck (gastrocnemius)',
  'NAMTPT-Sol': 'check.myofascialtherapy.org/symptomcheck (soleus)',
  'NAMTPT-Para': 'check.myofascialtherapy.org/symptomcheck (paraspinals)',
  nielasher: 'nielasher.com (secondary)',
} as const;

export type SourceKey = keyof typeof CLINICAL_SOURCES;

export function isSourceKey(key: string): key is SourceKey {
  return Object.hasOwn(CLINICAL_SOURCES, key);
}
