import { useId } from 'react';
import { addDays, isoDateIn, isoWeekday } from '../lib/format';
import { Field } from './field';

export type PeriodChoice = 'week' | 'month' | 'custom';

/** A period of calendar dates: `from` inclusive, `to` exclusive (as the money API takes them). */
export interface Period {
  choice: PeriodChoice;
  from: string;
  to: string;
}

/** This week (Monday on) or this month, as dates, or the custom dates unchanged. */
export function periodOf(choice: PeriodChoice, today: string, custom?: { from: string; to: string }): Period {
  if (choice === 'week') {
    const monday = addDays(today, 1 - isoWeekday(today));
    return { choice, from: monday, to: addDays(monday, 7) };
  }
  if (choice === 'month') {
    const first = `${today.slice(0, 7)}-01`;
    const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    return { choice, from: first, to: next };
  }
  return { choice, from: custom?.from ?? today, to: custom?.to ?? addDays(today, 1) };
}

export const todayHere = () => isoDateIn(new Date());

const CHOICES: { value: PeriodChoice; label: string }[] = [
  { value: 'week', label: 'This week' },
  { value: 'month', label: 'This month' },
  { value: 'custom', label: 'Choose dates' },
];

/**
 * This week, this month or chosen dates. The chosen "to" date is shown inclusive ("up to and including") and kept
 * exclusive in the period, as the API takes it.
 */
export function PeriodPicker({
  period,
  onChange,
  errors = {},
}: {
  period: Period;
  onChange: (period: Period) => void;
  errors?: { from?: string | undefined; to?: string | undefined };
}) {
  const name = useId();
  const through = addDays(period.to, -1);
  return (
    <div className="stack">
      <div className="segmented" role="radiogroup" aria-label="Period">
        {CHOICES.map((c) => (
          <label key={c.value}>
            <input
              type="radio"
              name={name}
              value={c.value}
              checked={period.choice === c.value}
              onChange={() => onChange(periodOf(c.value, todayHere(), period))}
            />
            <span>{c.label}</span>
          </label>
        ))}
      </div>
      {period.choice === 'custom' && (
        <div className="filters">
          <Field label="From" error={errors.from}>
            {(p) => (
              <input
                {...p}
                type="date"
                value={period.from}
                onChange={(e) => e.target.value && onChange({ ...period, from: e.target.value })}
              />
            )}
          </Field>
          <Field label="Up to and including" error={errors.to}>
            {(p) => (
              <input
                {...p}
                type="date"
                value={through}
                onChange={(e) => e.target.value && onChange({ ...period, to: addDays(e.target.value, 1) })}
              />
            )}
          </Field>
        </div>
      )}
    </div>
  );
}
