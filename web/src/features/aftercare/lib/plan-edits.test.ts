import { describe, expect, it } from 'vitest';
import type { AftercarePlan } from '../../../shared/lib/api-types';
import { addItem, removeItem, updateItem } from './plan-edits';

const item = (id: string) => ({ id, text: `Do ${id}`, dosage: 'Twice', why: 'Because', sources: ['seeds'] });
const plan: AftercarePlan = {
  sections: [
    { id: 'what_to_expect', title: 'What to expect', items: [item('soreness')] },
    { id: 'stretches', title: 'Stretches', items: [item('hamstring'), item('calf')] },
    { id: 'when_to_get_help', title: 'When to get help', items: [item('red_flag')] },
  ],
};

describe('aftercare edits', () => {
  it('changes an item’s words and drops an emptied dosage', () => {
    const edited = updateItem(plan, 1, 0, { text: 'Gently', dosage: '' });
    expect(edited.sections[1]!.items[0]).toEqual({
      id: 'hamstring',
      text: 'Gently',
      why: 'Because',
      sources: ['seeds'],
    });
    expect(plan.sections[1]!.items[0]!.text).toBe('Do hamstring');
  });

  it('removes an item, and its section when it was the last', () => {
    expect(removeItem(plan, 1, 1).sections[1]!.items.map((i) => i.id)).toEqual(['hamstring']);
    expect(removeItem(plan, 0, 0).sections.map((s) => s.id)).toEqual(['stretches', 'when_to_get_help']);
  });

  it('adds an exercise once, making its section in reading order', () => {
    const added = addItem(plan, 'foam_rolling', item('roll_calves'));
    expect(added.sections.map((s) => s.id)).toEqual([
      'what_to_expect',
      'stretches',
      'foam_rolling',
      'when_to_get_help',
    ]);
    expect(added.sections[2]).toMatchObject({ title: 'Foam rolling', items: [{ id: 'roll_calves' }] });
    expect(addItem(added, 'foam_rolling', item('roll_calves'))).toBe(added);
    expect(addItem(plan, 'stretches', item('glute')).sections[1]!.items.map((i) => i.id)).toEqual([
      'hamstring',
      'calf',
      'glute',
    ]);
  });
});
