import { describe, expect, it } from 'vitest';
import {
  BODY_REGIONS,
  ENDANGERMENT_REFS,
  REGION_GROUPS,
  REGION_REFS,
  isOnSpine,
  isRegionRef,
  parseRegionRef,
  refsNextTo,
  refsOfWholeSpine,
  regionsTouching,
  refsDistalTo,
  refsOfGroup,
  refsOfRegion,
  regionRefLabel,
  sortRegionRefs,
} from './body-regions.js';

const musclesOf = (id: string) => BODY_REGIONS.find((r) => r.id === id)?.muscles.map((mu) => mu.id) ?? [];

describe('body-region catalogue', () => {
  it('has unique region ids and unique muscles within a region', () => {
    expect(new Set(BODY_REGIONS.map((r) => r.id)).size).toBe(BODY_REGIONS.length);
    for (const region of BODY_REGIONS) {
      const ids = region.muscles.map((mu) => mu.id);
      expect(new Set(ids).size, region.id).toBe(ids.length);
    }
  });

  it('covers the regions and muscles deep tissue work needs', () => {
    expect(musclesOf('hamstrings')).toEqual(['semitendinosus', 'semimembranosus', 'biceps_femoris']);
    expect(musclesOf('calves')).toEqual(['gastrocnemius', 'soleus']);
    expect(musclesOf('glutes')).toEqual(expect.arrayContaining(['gluteus_medius', 'gluteus_minimus', 'piriformis']));
    expect(musclesOf('low_back')).toEqual(expect.arrayContaining(['erector_spinae', 'quadratus_lumborum']));
    expect(musclesOf('mid_back')).toContain('rhomboids');
    expect(musclesOf('upper_back')).toEqual(['upper_trapezius', 'levator_scapulae']);
    expect(musclesOf('sternocleidomastoid')).toContain('sternocleidomastoid');
    expect(musclesOf('shoulder_blade')).toContain('infraspinatus');
    for (const id of ['quadriceps', 'it_band', 'feet', 'upper_arm', 'forearm', 'chest', 'abdomen']) {
      expect(
        BODY_REGIONS.some((r) => r.id === id),
        id,
      ).toBe(true);
    }
    expect(new Set(BODY_REGIONS.map((r) => r.view))).toEqual(new Set(['front', 'back']));
  });

  it('marks the five endangerment sites, on both sides where they are paired', () => {
    expect([...ENDANGERMENT_REFS].sort()).toEqual(
      [
        'armpit.left',
        'armpit.right',
        'back_of_knee.left',
        'back_of_knee.right',
        'front_of_neck',
        'groin.left',
        'groin.right',
        'kidney_area.left',
        'kidney_area.right',
      ].sort(),
    );
  });

  it('names sides only on lateral regions', () => {
    expect(isRegionRef('hamstrings.left')).toBe(true);
    expect(isRegionRef('hamstrings')).toBe(false);
    expect(isRegionRef('abdomen')).toBe(true);
    expect(isRegionRef('abdomen.left')).toBe(false);
    expect(parseRegionRef('calves.right')).toMatchObject({ region: { id: 'calves' }, side: 'right' });
    expect(refsOfRegion('front_of_neck')).toEqual(['front_of_neck']);
    expect(REGION_REFS.length).toBe(BODY_REGIONS.reduce((n, r) => n + (r.lateral ? 2 : 1), 0));
  });
});

describe('region groups and limbs', () => {
  it('expands groups to both sides of every lateral member', () => {
    expect(refsOfGroup('wrists')).toEqual(['wrist.left', 'wrist.right', 'forearm.left', 'forearm.right']);
    expect(refsOfGroup('legs')).toContain('calves.right');
    for (const group of Object.values(REGION_GROUPS))
      for (const id of group)
        expect(
          BODY_REGIONS.some((r) => r.id === id),
          id,
        ).toBe(true);
  });

  it('finds what lies further out on the same limb and side only', () => {
    expect(refsDistalTo('calves.left')).toEqual(['feet.left']);
    expect(refsDistalTo('quadriceps.right')).toEqual([
      'knee_front.right',
      'back_of_knee.right',
      'shin.right',
      'calves.right',
      'feet.right',
    ]);
    expect(refsDistalTo('upper_arm.left')).toEqual(['forearm.left', 'wrist.left', 'hand.left']);
    expect(refsDistalTo('feet.left')).toEqual([]);
    expect(refsDistalTo('low_back.left')).toEqual([]);
    expect(refsDistalTo('abdomen')).toEqual([]);
  });

  it('labels and sorts references for people', () => {
    expect(regionRefLabel('calves.left')).toBe('Calf (left)');
    expect(regionRefLabel('abdomen')).toBe('Abdomen');
    expect(sortRegionRefs(['calves.right', 'head', 'calves.left', 'head'])).toEqual([
      'head',
      'calves.left',
      'calves.right',
    ]);
  });
});

describe('neighbours and the spine', () => {
  it('gives every region a neighbour, symmetrically', () => {
    for (const region of BODY_REGIONS) {
      const near = regionsTouching(region.id);
      expect(near.length, region.id).toBeGreaterThan(0);
      for (const other of near) expect(regionsTouching(other), `${other} ↔ ${region.id}`).toContain(region.id);
    }
  });

  it('keeps neighbours on the same side, and a midline region next to both sides', () => {
    expect(refsNextTo('knee_front.left')).toEqual([
      'quadriceps.left',
      'it_band.left',
      'shin.left',
      'back_of_knee.left',
    ]);
    expect(refsNextTo('wrist.right')).toEqual(['forearm.right', 'hand.right']);
    expect(refsNextTo('spine_lumbar')).toEqual([
      'spine_thoracic',
      'kidney_area.left',
      'kidney_area.right',
      'low_back.left',
      'low_back.right',
      'spine_sacral',
    ]);
    expect(refsNextTo('neck.left')).toContain('spine_cervical');
  });

  it('knows the spine and the back over it', () => {
    expect(isOnSpine('spine_sacral')).toBe(true);
    expect(isOnSpine('mid_back.right')).toBe(true);
    expect(isOnSpine('shoulder_blade.right')).toBe(false);
    expect(refsOfWholeSpine()).toEqual(
      expect.arrayContaining(['spine_cervical', 'spine_thoracic', 'spine_lumbar', 'spine_sacral', 'low_back.left']),
    );
    expect(refsOfWholeSpine()).not.toContain('glutes.left');
  });
});
