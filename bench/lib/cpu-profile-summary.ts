/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or BENCH_CPU_PROF_DIR with the benches), for diagnosis:
 *
 *   npx tsx bench/lib/cpu-profile-summary.ts <file.cpuprofile> [top=15] [--by=package|file|function]
 *
 * Prints the busy time (idle left out) by self time, by self time with Node's internals and natives charged to the
 * package or file that called them (writev to the package that wrote), and by inclusive time, grouped per package
 * (node_modules' package, the app's own source file, `node:` internals, or a V8 pseudo-frame such as (garbage
 * collector)), per file, or per function. The profile samples wall time while the thread runs JavaScript or a system
 * call, so on a busy machine a system call that wakes another process (a socket write to PostgreSQL) also carries the
 * time the process waited for a core: compare with process.cpuUsage before trusting a syscall's share. Inclusive time counts a sample once per group on its stack, so a group that calls itself through
 * others is not counted twice.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

type Grouping = 'package' | 'file' | 'function';

/** The group a frame's source belongs to. */
function groupOf(node: ProfileNode, by: Grouping): string {
  const { url, functionName, lineNumber } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName || '(anonymous)'}`;
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  let file: string;
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    const name = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    if (by === 'package') return name;
    file = rest.join('/');
  } else if (path.startsWith('node:')) {
    if (by === 'package') return 'node: (internals)';
    file = path;
  } else {
    const src = path.search(/\/(src|bench|test)\//);
    file = src >= 0 ? path.slice(src + 1) : path;
    if (by === 'package') return file;
  }
  return by === 'file' ? file : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

export function summariseProfile(profile: Profile, by: Grouping) {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const charged = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    busy += delta;
    const own = groupOf(node, by);
    self.set(own, (self.get(own) ?? 0) + delta);
    // Charged: a Node internal or native frame's time goes to the nearest package or app file that called it.
    let payer = node.callFrame.functionName.startsWith('(') && !node.callFrame.url ? own : undefined;
    for (let at: number | undefined = id; payer === undefined && at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      if (url && !url.startsWith('node:')) payer = groupOf(byId.get(at)!, by);
    }
    payer ??= '(Node, no caller in a package)';
    charged.set(payer, (charged.get(payer) ?? 0) + delta);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (frame.callFrame.functionName === '(root)') break;
      const group = groupOf(frame, by);
      if (seen.has(group)) continue;
      seen.add(group);
      inclusive.set(group, (inclusive.get(group) ?? 0) + delta);
    }
  });
  const ranked = (totals: Map<string, number>) =>
    [...totals].sort((a, b) => b[1] - a[1]).map(([group, us]) => ({ group, ms: us / 1000, share: us / busy }));
  return { busyMs: busy / 1000, self: ranked(self), charged: ranked(charged), inclusive: ranked(inclusive) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [top] [--by=package|file|function]');
  const top = Number(rest.find((a) => /^\d+$/.test(a)) ?? 15);
  const by = (rest.find((a) => a.startsWith('--by='))?.slice(5) ?? 'package') as Grouping;
  const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile, by);
  const line = (r: { group: string; ms: number; share: number }) =>
    `${(r.share * 100).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.group}`;
  console.log(`${file}: ${summary.busyMs.toFixed(0)} ms busy (idle left out), by ${by}`);
  console.log(`\nself time, top ${top}:`);
  for (const r of summary.self.slice(0, top)) console.log(line(r));
  console.log(`\nself time with Node's internals and natives charged to their caller, top ${top}:`);
  for (const r of summary.charged.slice(0, top)) console.log(line(r));
  console.log(`\ninclusive time, top ${top}:`);
  for (const r of summary.inclusive.slice(0, top)) console.log(line(r));
}
