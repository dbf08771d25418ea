/** A client's screening changes in words (pure, for ScreeningResult). */
import { REGION_REFS, parseRegionRef, regionRefLabel } from '../../../../src/domain/body-regions';
import { PRESSURE_LABELS } from '../../../../src/domain/screening-vocabulary';
import type { PressureLevel } from '../../../../src/domain/pressure-scale';
import type { ClientScreening } from './api-types';

type Change = ClientScreening['changes'][number];

/** What changes in one place, in words: not worked on, or the firmest pressure allowed there. */
function describeChange(change: Change): string {
  if (change.excluded) return 'not worked on';
  return change.cap === null
    ? 'as usual'
    : `pressure up to ${PRESSURE_LABELS[change.cap as PressureLevel]} (${change.cap} of 5)`;
}

export const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Places as a person says them: 'Calf (both sides)' when both sides are listed, 'Calf (left)' otherwise. */
export function placesInWords(refs: string[]): string {
  const chosen = new Set(refs);
  const words: string[] = [];
  for (const ref of refs) {
    const parsed = parseRegionRef(ref);
    if (!parsed?.side) words.push(regionRefLabel(ref));
    else if (!chosen.has(`${parsed.region.id}.${parsed.side === 'left' ? 'right' : 'left'}`))
      words.push(regionRefLabel(ref));
    else if (parsed.side === 'left') words.push(`${parsed.region.label} (both sides)`);
  }
  return words.join(', ');
}

/**
 * What changes, grouped by what it is. A whole-body limit restricts every place, so the largest group then
 * reads "everywhere else" instead of forty names.
 */
export function changesInWords(changes: Change[]): { change: string; places: string }[] {
  const groups = new Map<string, string[]>();
  for (const c of changes) groups.set(describeChange(c), [...(groups.get(describeChange(c)) ?? []), c.region]);
  const everywhere = changes.length === REGION_REFS.length;
  const largest = everywhere ? [...groups.entries()].sort((a, b) => b[1].length - a[1].length)[0]![0] : undefined;
  return [...groups.entries()]
    .sort(([a], [b]) => Number(a === largest) - Number(b === largest))
    .map(([change, refs]) => ({
      change,
      places: change === largest ? (groups.size === 1 ? 'everywhere' : 'everywhere else') : placesInWords(refs),
    }));
}
