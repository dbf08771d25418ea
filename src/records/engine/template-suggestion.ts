import { NOTE_TEMPLATES, type NoteTemplateId } from '../../care/engine/note-templates.js';
import { parseRegionRef, type RegionRef, type Side } from '../../domain/body-regions.js';

/**
 * The note template that fits a session's planned focus best, and the sides to draft, so the common session
 * starts from the right template without choosing. What a template is mainly for (its first region) decides: it
 * scores ten points per focus region there (each side counts) and one per focus region it also works; ties go to
 * the earlier template. Without a focus the first template (hamstrings, deep tissue) is offered for both sides.
 */
export function suggestTemplate(focus: readonly RegionRef[]): { templateId: NoteTemplateId; sides: Side | 'both' } {
  const focusIds = focus.map((ref) => parseRegionRef(ref)?.region.id);
  let best = NOTE_TEMPLATES[0]!;
  let bestScore = -1;
  for (const template of NOTE_TEMPLATES) {
    const main = template.regions[0]!.region;
    const others = new Set<string>(template.regions.slice(1).map((r) => r.region));
    const score = focusIds.reduce(
      (sum, id) => sum + (id === main ? 10 : id !== undefined && others.has(id) ? 1 : 0),
      0,
    );
    if (score > bestScore) [best, bestScore] = [template, score];
  }
  const sides = new Set(
    focus.map((ref) => parseRegionRef(ref)?.side).filter((side) => side !== null && side !== undefined),
  );
  return { templateId: best.id, sides: sides.size === 1 ? [...sides][0]! : 'both' };
}
