import { describe, expect, it } from 'vitest';
import type { AftercarePlan } from './aftercare-plan.js';
import { aftercareHtml, aftercareText } from './aftercare-render.js';

const plan: AftercarePlan = {
  sections: [
    {
      id: 'stretches',
      title: 'Stretches',
      items: [
        {
          id: 'calf',
          text: 'Wall calf stretch <b>gently</b> & slowly',
          dosage: 'Hold 30 seconds each side, twice.',
          why: 'For the "calf" you\'re tight in.',
          sources: ['seed-000'],
        },
      ],
    },
    {
      id: 'when_to_get_help',
      title: 'When to get help',
      items: [
        {
          id: 'red_flag_chest',
          text: 'Sudden breathlessness or chest pain. Call 911.',
          why: '',
          sources: ['UCLH'],
          emergency: true,
        },
      ],
    },
  ],
};

describe('aftercare rendering', () => {
  it('renders plain text with section titles, doses and reasons, urgent items marked', () => {
    expect(aftercareText(plan)).toBe(
      [
        'STRETCHES',
        '- Wall calf stretch <b>gently</b> & slowly',
        '  Hold 30 seconds each side, twice.',
        '  Why: For the "calf" you\'re tight in.',
        '',
        'WHEN TO GET HELP',
        '- URGENT: Sudden breathlessness or chest pain. Call 911.',
      ].join('\n'),
    );
  });

  it('renders simple HTML with every piece of text escaped', () => {
    const html = aftercareHtml(plan);
    expect(html).toContain('<h2>Stretches</h2>');
    expect(html).toContain(
      '<li>Wall calf stretch &lt;b&gt;gently&lt;/b&gt; &amp; slowly<br>Hold 30 seconds each side, twice.<br><small>Why: For the &quot;calf&quot; you&#39;re tight in.</small></li>',
    );
    expect(html).toContain('<li><strong>Sudden breathlessness or chest pain. Call 911.</strong></li>');
    expect(html).not.toContain('<b>');
  });

  it('escapes a title a therapist edited into markup', () => {
    const edited: AftercarePlan = { sections: [{ ...plan.sections[0]!, title: '<script>alert(1)</script>' }] };
    expect(aftercareHtml(edited)).toContain('<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>');
  });
});
