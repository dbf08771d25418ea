import { escapeHtml } from '../../domain/escape-html.js';
import type { AftercarePlan } from './aftercare-plan.js';

/**
 * The aftercare as the client reads it, in plain text (e-mail body, SMS-length sections) and simple HTML. Every
 * piece of text is escaped: a therapist may have edited any of it. Sources stay in the data for the therapist; the
 * client sees what to do and why.
 */

export function aftercareText(plan: AftercarePlan): string {
  return plan.sections
    .map((section) => {
      const items = section.items.map((item) => {
        const lines = [`- ${item.emergency ? 'URGENT: ' : ''}${item.text}`];
        if (item.dosage) lines.push(`  ${item.dosage}`);
        if (item.why) lines.push(`  Why: ${item.why}`);
        return lines.join('\n');
      });
      return [section.title.toUpperCase(), ...items].join('\n');
    })
    .join('\n\n');
}

export function aftercareHtml(plan: AftercarePlan): string {
  return plan.sections
    .map((section) => {
      const items = section.items.map((item) => {
        const text = item.emergency ? `<strong>${escapeHtml(item.text)}</strong>` : escapeHtml(item.text);
        const dosage = item.dosage ? `<br>${escapeHtml(item.dosage)}` : '';
        const why = item.why ? `<br><small>Why: ${escapeHtml(item.why)}</small>` : '';
        return `<li>${text}${dosage}${why}</li>`;
      });
      return `<section><h2>${escapeHtml(section.title)}</h2><ul>${items.join('')}</ul></section>`;
    })
    .join('\n');
}
