import { describe, expect, it } from 'vitest';
import { CLINICAL_SOURCES } from '../../domain/clinical-sources.js';
import { GUIDE_SLUGS, GUIDE_TITLES, guidesForRegions } from '../../domain/guide-links.js';
import { CONTRAINDICATIONS } from '../../screening/engine/contraindication-catalogue.js';
import { catalogueEntry, sourcesOf } from './guide-catalogues.js';
import { type Claim, type Guide, buildGuide, guideClaims } from './guide-content.js';
import { renderGuidePage } from './guide-page.js';

const GUIDES = GUIDE_SLUGS.map(buildGuide);
const ORIGIN = 'https://knotwork.example';

const decode = (s: string) =>
  s
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');

/** The sentences of a page's article that are not headings or citation marks. */
function articleSentences(html: string): string[] {
  const article = /<article>([\s\S]*)<\/article>/.exec(html)?.[1];
  if (article === undefined) throw new Error('no article');
  const text = article
    .replace(/<h[1-6][^>]*>[\s\S]*?<\/h[1-6]>/g, ' ')
    .replace(/<sup class="cite">[\s\S]*?<\/sup>/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  return decode(text)
    .split(/(?<=[.!?])\s+|\n/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
}

const claimWords = (c: Claim) => (c.lead ? `${c.lead}. ${c.text}` : c.text);

/** Sentences of the page that no claim of the guide says. */
function untracedSentences(html: string, guide: Guide): string[] {
  const said = guideClaims(guide).map(claimWords);
  return articleSentences(html).filter((sentence) => !said.some((words) => words.includes(sentence)));
}

describe('every claim in every guide comes from a catalogue entry with a source', () => {
  it.each(GUIDES.map((g) => [g.slug, g] as const))('%s', (_slug, guide) => {
    const claims = guideClaims(guide);
    expect(claims.length).toBeGreaterThan(0);
    for (const claim of claims) {
      expect(claim.from.length, claim.text).toBeGreaterThan(0);
      const cited = new Set<string>();
      for (const ref of claim.from) {
        const entry = catalogueEntry(ref);
        expect(entry, `${ref.catalogue}:${ref.id} (${claim.text})`).toBeDefined();
        expect(entry!.sources.length, `${ref.catalogue}:${ref.id} has no source`).toBeGreaterThan(0);
        for (const key of entry!.sources) cited.add(key);
      }
      // The claim carries exactly its entries' sources, and each is a known clinical source.
      expect(new Set(claim.sources)).toEqual(cited);
      for (const key of claim.sources) expect(Object.keys(CLINICAL_SOURCES), claim.text).toContain(key);
    }
    // The references list is the claims' sources with their titles, nothing more.
    expect(guide.references.map((r) => r.key).sort()).toEqual([...new Set(claims.flatMap((c) => c.sources))].sort());
    for (const r of guide.references) expect(r.title).toBe(CLINICAL_SOURCES[r.key]);
  });

  it.each(GUIDES.map((g) => [g.slug, g] as const))(
    '%s: the page states nothing that is not a claim',
    (_slug, guide) => {
      const html = renderGuidePage(guide, { origin: ORIGIN });
      expect(articleSentences(html).length).toBeGreaterThan(guideClaims(guide).length);
      expect(untracedSentences(html, guide)).toEqual([]);
      // Each claim is on the page with the entries it rests on, and cites its sources by number.
      for (const claim of guideClaims(guide)) {
        expect(html).toContain(`data-from="${claim.from.map((r) => `${r.catalogue}:${r.id}`).join(' ')}"`);
        for (const key of claim.sources) expect(html).toContain(`href="#source-${key}"`);
      }
      for (const r of guide.references) expect(html).toContain(`<li id="source-${r.key}">`);
    },
  );

  it('catches a sentence that no claim says, and a claim on an entry no catalogue holds', () => {
    const guide = GUIDES[0]!;
    const html = renderGuidePage(guide, { origin: ORIGIN }).replace(
      '</article>',
      '<p>Deep tissue massage cures sciatica.</p></article>',
    );
    expect(untracedSentences(html, guide)).toEqual(['Deep tissue massage cures sciatica.']);
    expect(() => sourcesOf([{ catalogue: 'referral', id: 'no_such_muscle' }])).toThrow(/No referral entry/);
    expect(catalogueEntry({ catalogue: 'technique', id: 'cupping' })).toBeUndefined();
  });
});

describe('who should not have deep tissue: the screening catalogue, entry by entry', () => {
  const guide = buildGuide('who-should-not-have-deep-tissue');
  const [noMassage, notThere, adapted] = guide.sections;

  it('lists every contraindication once, under its strictest class, in the screening’s own words', () => {
    const listed = guideClaims(guide).flatMap((c) => c.from.map((r) => r.id));
    for (const entry of CONTRAINDICATIONS) {
      expect(listed.filter((id) => id === entry.id)).toHaveLength(1);
      const claim = guideClaims(guide).find((c) => c.from.some((r) => r.id === entry.id))!;
      const acting = entry.rules.filter((r) => r.effects.some((e) => e.kind !== 'advice' || e.topic !== 'therapist'));
      for (const rule of acting) expect(claim.text).toContain(rule.clientMessage.replace(/\.$/, ''));
      const classes = acting.map((r) => r.class);
      const section = classes.includes('A') ? noMassage : classes.includes('L') ? notThere : adapted;
      expect(section!.claims).toContain(claim);
    }
  });

  it('puts every condition that blocks a session under "no massage", with the emergency wording where it applies', () => {
    const blocking = CONTRAINDICATIONS.filter((e) => e.rules.some((r) => r.effects.some((x) => x.kind === 'block')));
    expect(noMassage!.claims.flatMap((c) => c.from.map((r) => r.id)).sort()).toEqual(blocking.map((e) => e.id).sort());
    const spinal = noMassage!.claims.find((c) => c.from[0]!.id === 'spinal_red_flags')!;
    expect(spinal.urgent).toBe(true);
    expect(spinal.text).toMatch(/emergency number now \(911/);
  });
});

describe('guides', () => {
  it('have the fixed titles, a description and search for the guides about a region', () => {
    for (const guide of GUIDES) {
      expect(guide.title).toBe(GUIDE_TITLES[guide.slug]);
      expect(guide.description.length).toBeGreaterThan(40);
    }
    expect(buildGuide('tight-hamstrings').search).toEqual({ specialty: 'hamstrings', regions: ['hamstrings'] });
    expect(buildGuide('what-to-expect').search).toBeNull();
  });

  it('escapes what they print, and name the canonical address and Open Graph tags', () => {
    const html = renderGuidePage(buildGuide('soreness-after-massage'), { origin: ORIGIN });
    expect(html).toContain('<link rel="canonical" href="https://knotwork.example/guides/soreness-after-massage">');
    expect(html).toContain('<meta property="og:url" content="https://knotwork.example/guides/soreness-after-massage">');
    expect(html).toContain('Soreness (&quot;hurts so good&quot;)');
    expect(html).not.toContain('<script');
  });
});

describe('guidesForRegions', () => {
  it('links the guides for the regions worked, soreness always', () => {
    expect(guidesForRegions([])).toEqual(['soreness-after-massage']);
    expect(guidesForRegions(['hamstrings.left'])).toEqual([
      'tight-hamstrings',
      'legs-hurt-when-massaged',
      'soreness-after-massage',
    ]);
    expect(guidesForRegions(['low_back', 'neck'])).toEqual([
      'knots-in-the-back',
      'back-pain-relief',
      'soreness-after-massage',
    ]);
    expect(guidesForRegions(['calves.right', 'calves.left'])).toEqual([
      'legs-hurt-when-massaged',
      'soreness-after-massage',
    ]);
  });
});
