/**
 * Deep tissue techniques a therapist records in a session note (clinical reference, section 2), with the notes a
 * therapist should see when choosing them.
 */

export type TechniqueId =
  'stripping' | 'cross_fibre_friction' | 'myofascial_release' | 'trigger_point_compression' | 'direct_pressure';

export interface Technique {
  id: TechniqueId;
  name: string;
  description: string;
  notes: readonly string[];
  /** Not to be used on a region with an acute (recent) injury. */
  avoidOnAcuteInjury: boolean;
  sources: readonly string[];
}

export const TECHNIQUES = [
  {
    id: 'stripping',
    name: 'Stripping',
    description:
      'Deep, slow gliding pressure along the length of the muscle fibres, with the thumb, knuckles, forearm or elbow.',
    notes: ['Described in seed articles; no authoritative definition was found, so treat the evidence as weak.'],
    avoidOnAcuteInjury: false,
    sources: ['STRIP', 'seeds'],
  },
  {
    id: 'cross_fibre_friction',
    name: 'Cross-fibre (transverse) friction',
    description:
      'Friction across the fibres at the lesion, the finger and the skin moving together over the tissue underneath.',
    notes: ['Not on an acute injury; use once the injury is subacute.', 'First session: 1-2 minutes at the lesion.'],
    avoidOnAcuteInjury: true,
    sources: ['OMB', 'KOS'],
  },
  {
    id: 'myofascial_release',
    name: 'Myofascial release',
    description: 'Sustained pressure and stretch into the fascia, held while the tissue gives.',
    notes: [],
    avoidOnAcuteInjury: false,
    sources: ['MSKCC', 'BARNES'],
  },
  {
    id: 'trigger_point_compression',
    name: 'Trigger point (ischaemic) compression',
    description:
      'Sustained pressure on a trigger point at about 7/10 discomfort as rated by the client, held up to about 60 seconds and eased as the point releases.',
    notes: [
      'Raises pain-pressure tolerance; the evidence is modest.',
      'Client-rated discomfort about 7/10; hold up to about 60 s.',
    ],
    avoidOnAcuteInjury: false,
    sources: ['TRAV-IC', 'IC-MA'],
  },
  {
    id: 'direct_pressure',
    name: 'Compression / direct pressure',
    description: 'Static pressure into the muscle with the forearm, fist or elbow.',
    notes: [],
    avoidOnAcuteInjury: false,
    sources: ['JOHN-COMP'],
  },
] as const satisfies readonly Technique[];

export const TECHNIQUE_IDS = TECHNIQUES.map((t) => t.id) as [TechniqueId, ...TechniqueId[]];

export function technique(id: TechniqueId): Technique {
  return TECHNIQUES.find((t) => t.id === id)!;
}
