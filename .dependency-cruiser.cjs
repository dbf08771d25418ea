/**
 * Knotwork's floor plan, checked on every `npm test` (test/structure/floor-plan.test.ts runs dependency-cruiser with
 * this file). docs/ARCHITECTURE.md draws it. Change a rule only with a written reason beside it.
 *
 * Bottom up:
 *   domain/                     the ground floor: vocabulary shared by server and web; imports nothing else of ours
 *   <capability>/engine/        pure cores: plain data in, plain data out; import the ground floor and lower engines
 *   db/, jobs/, clock, config,  the platform every edge stands on
 *   schema, app-context,
 *   web-security/, health-data (the registry's shape)
 *   <capability>/ (the rest)    stores (the capability's own tables), services and routes, in the order below
 *   http/                       assembles the capabilities into one app
 *   demo/, main, background     above everything
 *   web/src/                    imports only the ground floor and talks HTTP
 */

/** Pure cores, bottom up: an engine may import the ground floor and the engines below it, never one above. */
const ENGINES = [
  'money',
  'scheduling',
  'booking',
  'therapists',
  'jobs',
  'intake',
  'screening',
  'outcomes',
  'care',
  'records',
  'live',
  'calendar',
  'notify',
  'brief',
  'waitlist',
  // guides: the self-check and the public guides are generated from the catalogues of the screening, care, outcomes
  // and intake cores (contraindications, referred pain, exercises, red flags, aftercare, flexibility cut-offs), so its
  // core stands above them; nothing below needs the guides' core (the slugs others link to are on the ground floor).
  'guides',
];

/**
 * Capabilities' edges (stores, services, routes), bottom up: a capability may call the capabilities below it, never
 * one above. When a lower capability must ask a higher one something in the same transaction (booking asking
 * screening whether a session may be held), it declares the question as a port and the assembly in http/ wires the
 * higher capability's answer in.
 *
 * - availability is above booking: search must know the bookings that hold time (it reads them through booking's
 *   functions), while booking needs only the therapist's calendar rules, which are the therapists capability's
 *   (therapists/therapist-calendar.ts), so booking never asks search anything.
 * - ratings is below booking and availability: both consult pair preferences ("never" keeps a pair apart in search
 *   and refuses their holds) on every search and hold. The rating endpoints in turn need a booking's parties and
 *   status; they ask through a port (ratings/rating-routes.ts: RatedSessions) that http/ wires to booking's reads.
 * - notify sits above booking and calendar: its booking notices consume booking's events and read the session as
 *   calendar describes it (calendar/session-facts.ts), while booking only records events and knows nothing of mail.
 *   It stays below every capability that writes its own messages into notify's outbox (screening, live, aftercare,
 *   records); nothing below booking sends mail.
 * - money sits just above accounts and below everything that moves money (booking now; checkout, tips, packages, gift
 *   cards, receipts and earnings later): it owns the double-entry ledger (journal_entries, postings) and knows no
 *   booking, only the amounts and parties callers hand it. Its core is the lowest engine: it imports nothing of ours.
 * - waitlist sits just above notify: it reads what is free through availability (the slot engine over the calendars),
 *   consumes booking's event stream (cancellations and expired holds free time), claims through booking's hold, and
 *   writes its offers into notify's outbox. Therapists, below it, ask it to look at new hours only through a job kind
 *   (therapists/new-hours.ts), never an import. Its core (the window, the offer's words) is the top engine: it words
 *   its message with notify's outgoing-message shape.
 */
const CAPABILITIES = [
  'accounts',
  'money',
  'therapists',
  'ratings',
  'booking',
  'availability',
  'calendar',
  'notify',
  'waitlist',
  'intake',
  'screening',
  'outcomes',
  'live',
  'aftercare',
  'records',
  'brief',
  // guides: the self-check and the guide pages are public and stateless (no tables of their own); they compute from
  // their own core and the platform, call no other capability and none calls them, so they sit on top.
  'guides',
];

/** Packages are matched where they resolve (…node_modules/<name>/…, also through a symlinked node_modules): database, HTTP, sockets, mail, hashing, metrics. */
const IO_PACKAGES =
  '(^|/)node_modules/(kysely|fastify[^/]*|@fastify/[^/]+|pg[^/]*|ws|nodemailer|@node-rs/[^/]+|prom-client|@electric-sql/[^/]+)/';
/**
 * The platform every edge stands on. web-security/ is here, not in http/, because routes of capabilities use it
 * (a page's own security policy, the live channel's origin check) and nothing below http/ may import http/.
 * health-data.ts is the shape of the health-data registry that every capability's part is written against; http/
 * assembles the parts.
 */
const PLATFORM =
  '^src/(db/|jobs/(?!engine/)|web-security/|clock\\.ts|config\\.ts|schema\\.ts|app-context\\.ts|health-data\\.ts)';

const above = (list, name) => list.slice(list.indexOf(name) + 1);

const engineRules = ENGINES.flatMap((engine) => {
  const higher = above(ENGINES, engine);
  return higher.length === 0
    ? []
    : [
        {
          name: `engine-order-${engine}`,
          comment: `The ${engine} core may use the cores below it (${ENGINES.slice(0, ENGINES.indexOf(engine)).join(', ') || 'none'}), never those above: cores form one order, so none can go round in a circle.`,
          severity: 'error',
          from: { path: `^src/${engine}/engine/` },
          to: { path: `^src/(${higher.join('|')})/engine/` },
        },
      ];
});

const capabilityRules = CAPABILITIES.flatMap((capability) => {
  const higher = above(CAPABILITIES, capability);
  return higher.length === 0
    ? []
    : [
        {
          name: `capability-order-${capability}`,
          comment: `${capability} may call the capabilities below it, never those above (${higher.join(', ')}): a lower one that needs a higher one's answer declares a port that http/ wires.`,
          severity: 'error',
          from: { path: `^src/${capability}/(?!engine/)` },
          to: { path: `^src/(${higher.join('|')})/(?!engine/)` },
        },
      ];
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A circle of imports has no bottom: none of its modules can be understood, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'ground-floor-stands-alone',
      comment:
        'The ground floor is what server and web share; it imports nothing else of ours and no package, so the web can bundle it and everything can build on it.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'engines-are-pure',
      comment:
        'A core decides from plain data: no database, HTTP, clock or configuration, and no store, service or route of any capability (they call it, not the other way round).',
      severity: 'error',
      from: { path: '^src/[^/]+/engine/' },
      to: { path: `^src/(?![^/]+/engine/|domain/)|${IO_PACKAGES}` },
    },
    {
      name: 'engines-use-no-node-io',
      comment: 'Cores touch no file, socket or process: node built-ins are for the edges.',
      severity: 'error',
      from: { path: '^src/[^/]+/engine/' },
      to: { dependencyTypes: ['core'] },
    },
    ...engineRules,
    {
      name: 'platform-knows-no-capability',
      comment:
        'db/, jobs/ and the other platform modules serve every capability; importing one would tie the floor to a room above it.',
      severity: 'error',
      from: { path: PLATFORM, pathNot: '^src/schema\\.ts$' },
      to: { path: '^src/', pathNot: `^src/(domain|[^/]+/engine)/|${PLATFORM}` },
    },
    {
      name: 'schema-assembles-only-tables',
      comment: "src/schema.ts is the database's type: the union of every capability's *-tables.ts, and nothing else.",
      severity: 'error',
      from: { path: '^src/schema\\.ts$' },
      to: { path: '^src/', pathNot: '^src/[^/]+/[^/]+-tables\\.ts$' },
    },
    {
      name: 'tables-are-private',
      comment:
        "A capability's *-tables.ts are its own: another capability calls its functions instead of reading or writing them (test/structure/table-ownership.test.ts checks the SQL itself). src/schema.ts only assembles the database type.",
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '^src/schema\\.ts$' },
      to: { path: '^src/[^/]+/[^/]+-tables\\.ts$', pathNot: '^src/$1/' },
    },
    ...capabilityRules,
    {
      name: 'http-only-assembles',
      comment:
        'http/ puts the capabilities together (app, errors, docs; it registers web-security/ on every route); nothing below it imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(http/|main\\.ts$)' },
      to: { path: '^src/http/' },
    },
    {
      name: 'demo-on-top',
      comment: 'Demo data is made with the capabilities, above all of them; nothing of the product depends on it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(demo/|main\\.ts$)' },
      to: { path: '^src/demo/' },
    },
    {
      name: 'web-talks-http',
      comment:
        'The web app shares only the ground floor with the server; everything else it learns over HTTP, as any other client would.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'web-features-apart',
      comment: 'Features do not import each other; app/ composes them (bulletproof-react).',
      severity: 'error',
      from: { path: '^web/src/features/([^/]+)/' },
      to: { path: '^web/src/features/', pathNot: '^web/src/features/$1/' },
    },
    {
      name: 'web-shared-below-features',
      comment: 'shared/ is below the features and app/: it imports neither.',
      severity: 'error',
      from: { path: '^web/src/shared/' },
      to: { path: '^web/src/(features|app)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(web/)?dist/|\\.test\\.tsx?$|\\.test-support\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
    skipAnalysisNotInRules: false,
  },
};
