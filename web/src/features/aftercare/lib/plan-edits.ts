import {
  AFTERCARE_SECTION_IDS as SECTION_ORDER,
  AFTERCARE_SECTION_TITLES as SECTION_TITLES,
} from '../../../../../src/domain/aftercare-sections';
import type { AftercareItem, AftercarePlan } from '../../../shared/lib/api-types';

/**
 * The therapist's edits to an aftercare plan, pure: change an item's words, remove it, add a catalogue exercise to
 * its section (made if missing, in the order the client reads them). The server validates the result.
 */

export type SectionId = AftercarePlan['sections'][number]['id'];

export function updateItem(
  plan: AftercarePlan,
  sectionIndex: number,
  itemIndex: number,
  change: Partial<Pick<AftercareItem, 'text' | 'dosage'>>,
): AftercarePlan {
  return {
    sections: plan.sections.map((section, s) =>
      s !== sectionIndex
        ? section
        : { ...section, items: section.items.map((item, i) => (i !== itemIndex ? item : withChange(item, change))) },
    ),
  };
}

function withChange(item: AftercareItem, change: Partial<Pick<AftercareItem, 'text' | 'dosage'>>): AftercareItem {
  const next = { ...item, ...change };
  // An emptied dosage is left out rather than sent as "".
  if (next.dosage === '') delete next.dosage;
  return next;
}

/** Removes an item; a section left empty goes too. */
export function removeItem(plan: AftercarePlan, sectionIndex: number, itemIndex: number): AftercarePlan {
  return {
    sections: plan.sections
      .map((section, s) =>
        s !== sectionIndex ? section : { ...section, items: section.items.filter((_, i) => i !== itemIndex) },
      )
      .filter((section) => section.items.length > 0),
  };
}

export const containsItem = (plan: AftercarePlan, itemId: string) =>
  plan.sections.some((s) => s.items.some((i) => i.id === itemId));

/** Adds an exercise at the end of its section, once. */
export function addItem(plan: AftercarePlan, sectionId: SectionId, item: AftercareItem): AftercarePlan {
  if (containsItem(plan, item.id)) return plan;
  const existing = plan.sections.find((s) => s.id === sectionId);
  const sections = existing
    ? plan.sections.map((s) => (s.id === sectionId ? { ...s, items: [...s.items, item] } : s))
    : [...plan.sections, { id: sectionId, title: SECTION_TITLES[sectionId], items: [item] }];
  return { sections: [...sections].sort((a, b) => SECTION_ORDER.indexOf(a.id) - SECTION_ORDER.indexOf(b.id)) };
}
