/**
 * Where the CPU went during a phase (Linux /proc): this process and everything it started,
 * grouped into node (web + worker + bench driver, one process), Chromium, PostgreSQL and Temporal,
 * plus how busy the whole machine was. Elsewhere it reports only this process.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcSample {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime: the process itself. */
  ownTicks: number;
  /** cutime + cstime: its children that have exited and been waited for. */
  reapedTicks: number;
}

export interface CpuSnapshot {
  at: number;
  procs: Map<number, ProcSample>;
  machine?: { busy: number; total: number };
  self: NodeJS.CpuUsage;
}

export interface CpuReport {
  wallSeconds: number;
  /** CPU seconds by group. */
  bySeconds: Record<string, number>;
  /** Share of the machine's CPU time that was busy (all processes), 0..1. */
  machineBusy?: number;
}

function readProcs(): Map<number, ProcSample> {
  const procs = new Map<number, ProcSample>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return procs;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const rest = stat.slice(close + 2).split(' ');
      const num = (i: number) => Number(rest[i]);
      procs.set(Number(entry), { pid: Number(entry), ppid: num(1), comm, ownTicks: num(11) + num(12), reapedTicks: num(13) + num(14) });
    } catch {
      // gone meanwhile
    }
  }
  return procs;
}

function readMachine(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((s, v) => s + v, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export function cpuSnapshot(): CpuSnapshot {
  return { at: Date.now(), procs: readProcs(), machine: readMachine(), self: process.cpuUsage() };
}

function groupOf(sample: ProcSample): string {
  if (sample.pid === process.pid) return 'node';
  if (/postgres|postmaster/.test(sample.comm)) return 'postgres';
  if (/temporal/.test(sample.comm)) return 'temporal';
  if (/chrom/i.test(sample.comm)) return 'chromium';
  return 'other';
}

/** Processes descended from this one (Chromium, PostgreSQL, the Temporal dev server). */
function descendants(procs: Map<number, ProcSample>): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of procs.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const found = new Set<number>([process.pid]);
  const queue = [process.pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return found;
}

export function cpuSince(start: CpuSnapshot, end: CpuSnapshot = cpuSnapshot()): CpuReport {
  const wallSeconds = (end.at - start.at) / 1000;
  const bySeconds: Record<string, number> = {};
  if (end.procs.size === 0) {
    const self = (end.self.user - start.self.user + end.self.system - start.self.system) / 1e6;
    return { wallSeconds, bySeconds: { node: round(self) } };
  }
  const ours = descendants(end.procs);
  const add = (group: string, ticks: number) => {
    bySeconds[group] = (bySeconds[group] ?? 0) + ticks / TICKS_PER_SECOND;
  };
  for (const pid of ours) {
    const after = end.procs.get(pid)!;
    const before = start.procs.get(pid);
    const same = before && before.comm === after.comm;
    add(groupOf(after), after.ownTicks - (same ? before.ownTicks : 0));
    // What exited during the phase shows up in its parent's reaped time. Within a phase only
    // Chromium's processes come and go (a browser closed, a renderer ended), so count it there.
    add(pid === process.pid ? 'chromium' : groupOf(after), after.reapedTicks - (same ? before.reapedTicks : 0));
  }
  for (const k of Object.keys(bySeconds)) bySeconds[k] = round(bySeconds[k]);
  const machineBusy =
    start.machine && end.machine && end.machine.total > start.machine.total
      ? round((end.machine.busy - start.machine.busy) / (end.machine.total - start.machine.total), 3)
      : undefined;
  return { wallSeconds: round(wallSeconds), bySeconds, machineBusy };
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** CPU per item, ms, by group and in total. */
export function cpuMsPer(report: CpuReport, items: number): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [group, seconds] of Object.entries(report.bySeconds)) {
    out[group] = Math.round((seconds * 1000) / items);
    total += seconds;
  }
  out.total = Math.round((total * 1000) / items);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Issue 14: where this process's CPU goes, from V8's sampling profiler (the inspector, in process).

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileItem {
  name: string;
  /** Self time, ms, over the profiled stretch. */
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  sampledMs: number;
  /** By where the code lives: a package of node_modules, a folder of ours, node's own, (garbage collector)… */
  byPlace: ProfileItem[];
  /** The functions with the most self time. */
  topFunctions: ProfileItem[];
}

/** Starts V8's CPU profiler in this process; stop() writes the .cpuprofile (Chrome DevTools reads it) and summarises it. */
export async function startProfiler(file: string): Promise<{ stop(): Promise<ProfileSummary> }> {
  const inspector = await import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1000 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = await post<{ profile: Profile }>('Profiler.stop');
      session.disconnect();
      const fs = await import('node:fs/promises');
      await fs.writeFile(file, JSON.stringify(profile));
      return { file, ...summariseProfile(profile) };
    },
  };
}

/** Which place a function's code is in: `pino`, `@temporalio/worker`, `ours: api`, `node: internal`, `(gc)`. */
function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) {
    // Nested: the innermost package.
    const all = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
    return all[all.length - 1][1] ?? modules[1];
  }
  if (url.startsWith('node:')) return 'node: ' + url.slice(5).split('/')[0];
  const ours = /\/(api|web|domain|workflows|activities|platform|documents|integrations|locales|simulators|bench|bin|migrations)\//.exec(url);
  return ours ? `ours: ${ours[1]}` : url.replace(/^.*\//, '');
}

export function summariseProfile(profile: Profile): Omit<ProfileSummary, 'file'> {
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (deltas[i] ?? 0));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    total += us;
    const place = placeOf(url, functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${
      url
        ? `${url
            .replace(/^.*node_modules\//, '')
            .replace(/^file:\/\//, '')
            .replace(`${process.cwd()}/`, '')}:${lineNumber + 1}`
        : ''
    }`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number): ProfileItem[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), share: Math.round((us / total) * 1000) / 1000 }));
  return { sampledMs: Math.round(total / 1000), byPlace: top(byPlace, 20), topFunctions: top(byFunction, 25) };
}
