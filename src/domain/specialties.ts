/** Specialties a therapist can list and a client can search by. The database CHECK lists the same codes. */
export const SPECIALTIES = [
  { code: 'hamstrings', label: 'Hamstrings' },
  { code: 'low_back', label: 'Low back' },
  { code: 'neck_shoulders', label: 'Neck and shoulders' },
  { code: 'sports', label: 'Sports' },
  { code: 'trigger_point', label: 'Trigger point' },
  { code: 'myofascial', label: 'Myofascial release' },
  { code: 'prenatal', label: 'Prenatal' },
] as const;

export type Specialty = (typeof SPECIALTIES)[number]['code'];

export const SPECIALTY_CODES = SPECIALTIES.map((s) => s.code) as [Specialty, ...Specialty[]];
