import { formatInstant, formatSessionTime } from '../../domain/session-time.js';
import { escapeHtml as e } from '../../domain/escape-html.js';
import { CLINICAL_SOURCES } from '../../domain/clinical-sources.js';
import { ENDANGERMENT_ENTRY } from '../../screening/engine/contraindication-catalogue.js';
import { ADVICE_TOPIC_LABELS, PRESSURE_LABELS, type Pressure } from '../../domain/screening-vocabulary.js';
import type { Brief } from './pre-session-brief.js';
import { GUIDE_TITLES, guidePath } from '../../domain/guide-links.js';

/** The brief as one printable page. Every piece of text that came from a person is escaped. */

const OUTCOME_LABELS = {
  proceed: 'Proceed',
  adapt: 'Proceed with adaptations',
  clearance_required: 'Medical clearance required',
  not_today: 'Not today',
} as const;

/** The page's one style sheet and one script, inline; the route's Content-Security-Policy allows exactly these by hash. */
export const BRIEF_PAGE_STYLE = `
body{font:14px/1.45 system-ui,sans-serif;color:#1d2a2a;max-width:60rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.4rem;margin:0}h2{font-size:1.05rem;margin:1.2rem 0 .4rem;border-bottom:2px solid #0b6b5c;padding-bottom:.15rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d6dedd;padding:.25rem .4rem;text-align:left;vertical-align:top}
.meta{color:#4a5a5a}.outcome{display:inline-block;padding:.15rem .5rem;border-radius:3px;font-weight:600;background:#e3f1ee}
.outcome.not_today{background:#f8d7d3}.outcome.clearance_required{background:#fbe9c6}.outcome.adapt{background:#e8eefb}
.alert{border:2px solid #b3261e;background:#fdf0ef;padding:.5rem .75rem;margin:.5rem 0}.note{border-left:3px solid #c58a00;padding:.25rem .6rem;background:#fff8e6;margin:.5rem 0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.bar{display:inline-block;height:.6rem;background:#0b6b5c;vertical-align:middle}td.score{white-space:nowrap}
.bar.pain{background:#b3261e}${Array.from({ length: 11 }, (_, score) => `.bar.s${score}{width:${score * 0.4}rem}`).join('')}.small{font-size:.85rem;color:#4a5a5a}.overridden{text-decoration:line-through;color:#6b7b7b}
@media print{body{margin:0;max-width:none;font-size:10.5pt}h2{break-after:avoid}tr,.alert,.note{break-inside:avoid}.noprint{display:none}}
`;
export const BRIEF_PAGE_SCRIPT = "document.getElementById('print').addEventListener('click', () => window.print());";

const CLEARANCE_WORDS = {
  not_required: 'not required',
  pending: 'required, not yet verified',
  verified: 'verified',
} as const;

/** How urgent the medical help is that the client was sent to; the staff headline says what they were told. */
const URGENCY_LABELS = { emergency: 'Emergency', same_day: 'Medical care today' } as const;

const list = (items: string[], empty = 'None given') =>
  items.length ? `<ul>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>` : `<p class="small">${empty}</p>`;
/** A 0-10 score as a bar (a class per score: no inline style attribute, which the policy refuses). */
const bar = (score: number, kind: 'tight' | 'pain') => `<span class="bar ${kind} s${score}"></span> ${score}`;
const pressure = (p: number | null) => (p === null ? 'no cap' : `${p} (${PRESSURE_LABELS[p as Pressure]})`);

function bodyMapColumn(brief: Brief, view: 'front' | 'back'): string {
  const rows = brief.bodyMap.filter((r) => r.view === view);
  if (rows.length === 0)
    return `<div><h3>${view === 'front' ? 'Front' : 'Back'}</h3><p class="small">Nothing marked</p></div>`;
  return `<div><h3>${view === 'front' ? 'Front' : 'Back'}</h3><table><tr><th>Region</th><th>Tightness</th><th>Pain</th></tr>${rows
    .map(
      (r) =>
        `<tr><td><strong>${e(r.label)}</strong><div class="small">${e(r.muscles.join(', '))}</div>${r.note ? `<div>“${e(r.note)}”</div>` : ''}</td><td class="score">${bar(r.tightness, 'tight')}</td><td class="score">${bar(r.pain, 'pain')}</td></tr>`,
    )
    .join('')}</table></div>`;
}

/** One earlier session: its signed note in SOAP form and the measurements taken. */
function previousSession(p: Brief['previousSessions'][number]): string {
  const { note, measurements, liveSummary } = p.sessionRecord;
  const soap = note
    ? `<table>${(
        [
          ['S', note.soap.subjective],
          ['O', note.soap.objective],
          ['A', note.soap.assessment],
          ['P', note.soap.plan],
        ] as const
      )
        .filter(([, lines]) => lines.length > 0)
        .map(([head, lines]) => `<tr><th>${head}</th><td>${lines.map(e).join('<br>')}</td></tr>`)
        .join(
          '',
        )}${note.soap.otherNotes ? `<tr><th>Notes</th><td>${e(note.soap.otherNotes)}</td></tr>` : ''}</table>${note.amendments ? `<p class="small">Amended ${note.amendments} time(s) after signing.</p>` : ''}`
    : '<p class="small">No signed note.</p>';
  const values = measurements.length
    ? `<p class="small">Measured: ${e(measurements.map((m) => `${m.name}${m.keyLabel ? ` (${m.keyLabel})` : ''} ${m.value}${m.band ? `, ${m.band}` : ''}`).join('; '))}</p>`
    : '';
  const live = liveSummary.filter((r) => r.highestAcceptedPressure !== null || r.peakDiscomfort !== null);
  const feedback = live.length
    ? `<p class="small">Live feedback: ${e(
        live
          .map(
            (r) =>
              `${r.label}${r.highestAcceptedPressure !== null ? ` accepted up to ${r.highestAcceptedPressure} of 5` : ''}${r.peakDiscomfort !== null ? `, peak discomfort ${r.peakDiscomfort}/10` : ''}`,
          )
          .join('; '),
      )}</p>`
    : '';
  return `<h3>${e(formatInstant(p.startsAt, p.timeZone, { style: 'date' }))}: ${p.durationMin} min, ${e(p.status.replace('_', ' '))}</h3>${soap}${values}${feedback}`;
}

export function renderBriefPage(brief: Brief): string {
  const s = brief.screening;
  const zone = brief.booking.timeZone;
  // Printed, so read anywhere: the session's local time with its zone named.
  const when = formatSessionTime(brief.booking.startsAt, brief.booking.endsAt, zone, { style: 'full' });
  const sources = new Map<string, string>(ENDANGERMENT_ENTRY.sources.map((key) => [key, CLINICAL_SOURCES[key]]));
  for (const f of s?.decision.flags ?? []) for (const src of f.sources) sources.set(src.key, src.where);
  for (const h of brief.referredPain.hints) for (const src of h.sources) sources.set(src.key, src.where);
  for (const src of brief.referredPain.clotReminder?.sources ?? []) sources.set(src.key, src.where);

  // Every answer that sent the client for medical help, the most urgent first, under the words they were told.
  const urgent = s?.decision.flags.filter((f) => f.urgency !== null && !f.overridden) ?? [];
  const urgentAlert =
    s?.decision.medicalUrgency && urgent.length > 0
      ? `<div class="alert" role="alert"><strong>${URGENCY_LABELS[s.decision.medicalUrgency]}. Do not massage.</strong> ${e(s.decision.staffHeadline)}${list(urgent.map((f) => `${URGENCY_LABELS[f.urgency!]}: ${f.reason} (sources: ${f.sources.map((x) => x.key).join(', ')})`))}</div>`
      : '';
  const awaiting =
    brief.booking.status === 'awaiting_clearance' && brief.booking.clearanceDueAt
      ? `<div class="alert" role="alert"><strong>Not confirmed: awaiting medical clearance.</strong> The session is released, free of charge, unless a clearance document is verified by ${e(formatInstant(brief.booking.clearanceDueAt, zone, { style: 'full' }))}.</div>`
      : '';
  const screening = s
    ? `<p><span class="outcome ${s.outcome}">${OUTCOME_LABELS[s.outcome]}</span> ${e(s.decision.staffHeadline)}
       <span class="small">Screened ${e(formatInstant(s.screenedAt, zone, { style: 'full' }))} on consultation version ${s.intakeVersion}.
       Clearance: ${e(CLEARANCE_WORDS[s.clearance.status])}.</span></p>
       ${urgentAlert}
       ${
         s.decision.flags.length
           ? `<table><tr><th>Class</th><th>Flag</th><th>Why</th><th>Where</th><th>Sources</th></tr>${s.decision.flags
               .map(
                 (f) =>
                   `<tr class="${f.overridden ? 'overridden' : ''}"><td><strong>${f.class}</strong></td><td>${e(f.condition)}${f.facts ? `<div class="small">${e(f.facts)}</div>` : ''}${f.overridden ? '<div class="small">Overridden by the therapist</div>' : ''}</td><td>${e(f.reason)}</td><td>${f.wholeBody ? 'Whole body ' : ''}${f.regions.length ? e(f.regions.map((r) => r.label).join(', ')) : f.wholeBody ? '' : 'The session'}</td><td>${e(f.sources.map((x) => x.key).join(', '))}</td></tr>`,
               )
               .join('')}</table>`
           : '<p class="small">No flags.</p>'
       }
       ${s.overrides.length ? `<h3>Overrides</h3>${list(s.overrides.map((o) => `${o.condition}: ${o.reason}`))}` : ''}`
    : '<div class="note">No current screening: the client has no consultation on record (it may have been erased). The session cannot start until they complete it again.</div>';

  // Every client's endangerment sites are one line; the table lists what is particular to this client.
  const standing = new Set(ENDANGERMENT_ENTRY.rules.map((r) => r.id));
  const particular =
    s?.decision.restrictions.filter((r) => r.excluded || r.ruleIds.some((id) => !standing.has(id))) ?? [];
  const caps = `<p class="small">Endangerment sites (${e(ENDANGERMENT_ENTRY.regionsAffected)}): broad, light pressure only (sources: ${e(ENDANGERMENT_ENTRY.sources.join(', '))}).</p>${
    particular.length
      ? `<table><tr><th>Region</th><th>Limit</th><th>Because of</th></tr>${particular
          .map(
            (r) =>
              `<tr><td>${e(r.label)}</td><td>${r.excluded ? '<strong>Avoid</strong>' : e(pressure(r.cap))}</td><td class="small">${e(r.because.join('; '))}</td></tr>`,
          )
          .join('')}</table>`
      : ''
  }`;
  const plan = s?.decision.plan.regions.length
    ? `<p>Planned focus: ${s.decision.plan.regions.map((r) => `${e(r.label)}: ${r.allowedPressure === null ? '<strong>avoid</strong>' : e(pressure(r.allowedPressure))}`).join('; ')}</p>`
    : '';
  const advice = [
    ...(s?.decision.advice.map((a) => `${ADVICE_TOPIC_LABELS[a.topic]}: ${a.text}`) ?? []),
    ...(s?.decision.techniqueLimits.map((t) => `No ${t.technique.replaceAll('_', ' ')} on ${t.label}`) ?? []),
  ];
  const hints = brief.referredPain.hints.length
    ? `<table><tr><th>Assess</th><th>At</th><th>Could explain pain at</th><th>Pattern</th><th>Sources</th></tr>${brief.referredPain.hints
        .map(
          (h) =>
            `<tr><td>${e(h.muscleName)}</td><td>${e(h.assessAt.map((r) => r.label).join(', '))}</td><td>${e(h.explains.map((r) => r.label).join(', '))}</td><td class="small">${e(h.pattern)}</td><td class="small">${e(h.sources.map((x) => x.key).join(', '))}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="small">No painful regions marked.</p>';

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Brief: ${e(brief.client.displayName)}, ${e(when)}</title><style>${BRIEF_PAGE_STYLE}</style></head><body>
<p class="noprint small"><button type="button" id="print">Print</button></p>
<h1>Pre-session brief: ${e(brief.client.displayName)}</h1>
<p class="meta">${e(when)} · ${brief.booking.durationMin} min · ${brief.booking.mode === 'studio' ? 'Studio' : 'Home visit'}: ${e(brief.booking.address)} · with ${e(brief.booking.therapist.displayName)} · booking ${e(brief.booking.status.replace('_', ' '))}</p>
<p class="small">The client’s guide to the session, to share or go through together: <a href="${guidePath('what-to-expect')}">${e(GUIDE_TITLES['what-to-expect'])}</a></p>
${awaiting}<h2>Screening</h2>${screening}
<h2>Pressure</h2>
<p>Client prefers: ${brief.pressurePreference ? e(`${brief.pressurePreference.level} (${brief.pressurePreference.label})`) : 'not given'}.
${brief.avoidRegions.length ? `Asked not to be worked on: ${e(brief.avoidRegions.map((r) => r.label).join(', '))}.` : ''}</p>
${plan}${caps}
${advice.length ? `<h3>Advice</h3>${list(advice)}` : ''}
<h2>Body map</h2><div class="cols">${bodyMapColumn(brief, 'front')}${bodyMapColumn(brief, 'back')}</div>
<h2>Goals and background</h2>
<div class="cols"><div><h3>Goals</h3>${list(brief.goals)}</div><div><h3>Likely causes</h3>${list(brief.causes)}
${brief.activity ? `<p>Activity: ${e(brief.activity.level)}; desk ${brief.activity.deskHoursPerDay} h a day</p>` : ''}</div></div>
<h2>Health history</h2>${list(brief.healthHistory, 'Nothing reported')}
<h2>Trigger points to assess</h2>
${brief.referredPain.clotReminder ? `<div class="alert">${e(brief.referredPain.clotReminder.text)}</div>` : ''}${hints}
<h2>Previous sessions</h2>${brief.previousSessions.length ? brief.previousSessions.map(previousSession).join('') : '<p class="small">First session with this client</p>'}
<h2>Sources</h2><ul class="small">${[...sources]
    .sort()
    .map(([key, where]) => `<li><strong>${e(key)}</strong>: ${e(where)}</li>`)
    .join('')}</ul>
<script>${BRIEF_PAGE_SCRIPT}</script>
</body></html>`;
}
