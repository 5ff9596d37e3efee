/**
 * Where the CPU went during a phase (Linux /proc): this process and everything it started, grouped
 * into Chromium, PostgreSQL, Temporal and node, plus how busy the whole machine was. Elsewhere it
 * reports only this process.
 *
 * Node: with the application in this process (bench/app.ts, `one-process`), `node` is the web server,
 * the worker, the driver and the simulators together. With the web server and the worker in processes
 * of their own (`processes`), they are `web` and `worker`, and this process is `driver`: the users'
 * browsers and the outside systems' simulators, which are not the system's CPU and are left out of
 * cpuMsPer's total (reported beside it).
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

function readProc(pid: string): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const rest = stat.slice(close + 2).split(' ');
    const num = (i: number) => Number(rest[i]);
    return { pid: Number(pid), ppid: num(1), comm, ownTicks: num(11) + num(12), reapedTicks: num(13) + num(14) };
  } catch {
    return undefined; // gone meanwhile
  }
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
    const sample = readProc(entry);
    if (sample) procs.set(sample.pid, sample);
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

/** Groups given to processes by their PID (this one, the application's own processes). */
const named = new Map<number, string>();
/** Names a process's CPU group: `web`, `worker`; this process `driver` while the application runs apart (`node` again after). */
export function nameProcess(pid: number, group: string): void {
  named.set(pid, group);
}
/** The groups cpuMsPer leaves out of its total: not the system's CPU. */
export const NOT_THE_SYSTEM = ['driver'];

/** A process's own CPU ticks so far (10 ms each), 0 when it is gone. */
export function processTicks(pid: number): number {
  return readProc(String(pid))?.ownTicks ?? 0;
}

function groupOf(sample: ProcSample): string {
  const name = named.get(sample.pid);
  if (name) return name;
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
    add(pid === process.pid || named.has(pid) ? 'chromium' : groupOf(after), after.reapedTicks - (same ? before.reapedTicks : 0));
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

/**
 * CPU per item, ms, by group and in total. The total is the system's: the driver (the users' side and
 * the simulated outside systems, in a process apart) is given beside it, not in it.
 */
export function cpuMsPer(report: CpuReport, items: number): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [group, seconds] of Object.entries(report.bySeconds)) {
    out[group] = Math.round((seconds * 1000) / items);
    if (!NOT_THE_SYSTEM.includes(group)) total += seconds;
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
