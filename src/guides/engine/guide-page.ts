import { refsOfRegion } from '../../domain/body-regions.js';
import { escapeHtml as e } from '../../domain/escape-html.js';
import {
  GUIDE_SLUGS,
  GUIDE_TITLES,
  GUIDES_INDEX_PATH,
  type GuideSlug,
  SELF_CHECK_PATH,
  guidePath,
} from '../../domain/guide-links.js';
import type { Claim, Guide } from './guide-content.js';

/**
 * The guides as complete HTML documents: title, description, canonical address, Open Graph tags, one small inline
 * style sheet (allowed by its hash in the page's security policy), no script. Readable without JavaScript. Every
 * piece of text is escaped. The article holds only headings and claims (with their citation marks); the links, the
 * sources and the footer sit outside it.
 */

export const GUIDE_PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:17px/1.6 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2a2a;background:#fbfcfc}
a{color:#0b5e51}
a:focus-visible{outline:3px solid #0b5e51;outline-offset:2px}
.site{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;padding:.75rem 1rem;border-bottom:1px solid #d6dedd;background:#fff}
.site .brand{font-weight:700;text-decoration:none;color:#1d2a2a}
.site nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}
main{max-width:44rem;margin:0 auto;padding:1rem 1rem 3rem}
h1{font-size:1.75rem;line-height:1.25;margin:1rem 0}
h2{font-size:1.25rem;margin:2rem 0 .5rem}
article li{margin:.5rem 0}
.urgent{border-left:4px solid #a4231b;padding-left:.6rem;background:#fdf2f1}
.cite{font-size:.75em;white-space:nowrap}
.next{display:flex;flex-wrap:wrap;gap:.75rem;margin:2rem 0;padding:1rem;border:1px solid #d6dedd;border-radius:8px;background:#fff}
.btn{display:inline-block;padding:.6rem 1rem;border-radius:6px;background:#0b5e51;color:#fff;text-decoration:none;font-weight:600}
.btn-outline{background:#fff;color:#0b5e51;border:2px solid #0b5e51}
.sources{font-size:.9rem;color:#3b4a4a}
.sources li{overflow-wrap:anywhere}
.guides li{margin:.75rem 0}
footer{max-width:44rem;margin:0 auto;padding:0 1rem 2rem;font-size:.9rem;color:#3b4a4a}
`;

export interface PageLinks {
  /** The public origin pages are canonical at: "https://knotwork.example". */
  origin: string;
}

/**
 * Search with the specialty and focus places filled in, as the search page reads them (`specialty`, and `focus`: the
 * places as body-map refs, which travel to the tapped time and the first consultation like the self-check's).
 */
export function searchHref(search: NonNullable<Guide['search']>): string {
  const params = new URLSearchParams();
  if (search.specialty) params.set('specialty', search.specialty);
  const refs = search.regions.flatMap((id) => refsOfRegion(id));
  if (refs.length > 0) params.set('focus', refs.join(','));
  return `/search?${params.toString()}`;
}

function document(
  head: { title: string; description: string; path: string; type: string; noindex?: boolean },
  body: string,
  links: PageLinks,
) {
  const url = `${links.origin}${head.path}`;
  const indexing = head.noindex ? '<meta name="robots" content="noindex">' : `<link rel="canonical" href="${e(url)}">`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(head.title)} · Knotwork</title>
<meta name="description" content="${e(head.description)}">
${indexing}
<meta property="og:site_name" content="Knotwork">
<meta property="og:type" content="${head.type}">
<meta property="og:title" content="${e(head.title)}">
<meta property="og:description" content="${e(head.description)}">
<meta property="og:url" content="${e(url)}">
<meta name="twitter:card" content="summary">
<style>${GUIDE_PAGE_STYLE}</style>
</head><body>
<header class="site"><a class="brand" href="/">Knotwork</a><nav aria-label="Site"><ul><li><a href="${GUIDES_INDEX_PATH}">Guides</a></li><li><a href="${SELF_CHECK_PATH}">Self-check</a></li><li><a href="/search">Find a therapist</a></li></ul></nav></header>
<main id="main">
${body}
</main>
<footer><p>These guides explain; they do not diagnose. If something worries you, see a doctor.</p></footer>
</body></html>`;
}

function claimHtml(claim: Claim, numberOf: (key: string) => number): string {
  const cites = claim.sources
    .map((key) => `<a href="#source-${e(key)}" aria-label="Source ${numberOf(key)}">${numberOf(key)}</a>`)
    .join(', ');
  const lead = claim.lead ? `<strong>${e(claim.lead)}.</strong> ` : '';
  return `${lead}${e(claim.text)} <sup class="cite">[${cites}]</sup>`;
}

export function renderGuidePage(guide: Guide, links: PageLinks): string {
  const numberOf = (key: string) => guide.references.findIndex((r) => r.key === key) + 1;
  const from = (c: Claim) => e(c.from.map((r) => `${r.catalogue}:${r.id}`).join(' '));
  const cls = (c: Claim) => `claim${c.urgent ? ' urgent' : ''}`;
  const sections = guide.sections
    .map((s, i) => {
      const id = `section-${i + 1}`;
      const content =
        s.form === 'list'
          ? `<ul>${s.claims.map((c) => `<li class="${cls(c)}" data-from="${from(c)}">${claimHtml(c, numberOf)}</li>`).join('')}</ul>`
          : s.claims.map((c) => `<p class="${cls(c)}" data-from="${from(c)}">${claimHtml(c, numberOf)}</p>`).join('');
      return `<section aria-labelledby="${id}"><h2 id="${id}">${e(s.heading)}</h2>${content}</section>`;
    })
    .join('\n');
  const next = [
    `<a class="btn" href="${SELF_CHECK_PATH}">Check what is going on in your body</a>`,
    guide.search
      ? `<a class="btn btn-outline" href="${e(searchHref(guide.search))}">Find a therapist for this</a>`
      : `<a class="btn btn-outline" href="/search">Find a therapist</a>`,
  ].join('');
  const references = guide.references
    .map((r) => `<li id="source-${e(r.key)}">${e(r.title)} <small>(${e(r.key)})</small></li>`)
    .join('');
  const others = GUIDE_SLUGS.filter((slug) => slug !== guide.slug)
    .map((slug) => `<li><a href="${guidePath(slug)}">${e(GUIDE_TITLES[slug])}</a></li>`)
    .join('');
  const body = `<article>
<h1>${e(guide.title)}</h1>
${sections}
</article>
<nav class="next" aria-label="Next steps">${next}</nav>
<section class="sources" aria-labelledby="sources"><h2 id="sources">Sources</h2><ol>${references}</ol></section>
<nav aria-labelledby="more-guides"><h2 id="more-guides">More guides</h2><ul>${others}</ul></nav>`;
  return document(
    { title: guide.title, description: guide.description, path: guidePath(guide.slug), type: 'article' },
    body,
    links,
  );
}

export const GUIDES_INDEX_DESCRIPTION =
  'Plain answers to common questions about tight muscles, knots, back pain and deep tissue massage, with their sources, and a way to find the right therapist.';

export function renderGuidesIndex(guides: readonly Pick<Guide, 'slug' | 'title' | 'description'>[], links: PageLinks) {
  const items = guides
    .map((g) => `<li><a href="${guidePath(g.slug)}">${e(g.title)}</a><br>${e(g.description)}</li>`)
    .join('');
  const body = `<h1>Guides</h1>
<p>Answers to the questions people bring to a deep tissue therapist, each with its sources.</p>
<ul class="guides">${items}</ul>
<nav class="next" aria-label="Next steps"><a class="btn" href="${SELF_CHECK_PATH}">Check what is going on in your body</a><a class="btn btn-outline" href="/search">Find a therapist</a></nav>`;
  return document(
    { title: 'Guides', description: GUIDES_INDEX_DESCRIPTION, path: GUIDES_INDEX_PATH, type: 'website' },
    body,
    links,
  );
}

export function renderGuideNotFound(slug: string, links: PageLinks): string {
  const items = GUIDE_SLUGS.map((s: GuideSlug) => `<li><a href="${guidePath(s)}">${e(GUIDE_TITLES[s])}</a></li>`).join(
    '',
  );
  const body = `<h1>No such guide</h1>
<p>There is no guide called “${e(slug)}”. These are the guides:</p>
<ul>${items}</ul>`;
  return document(
    {
      title: 'No such guide',
      description: GUIDES_INDEX_DESCRIPTION,
      path: GUIDES_INDEX_PATH,
      type: 'website',
      noindex: true,
    },
    body,
    links,
  );
}
