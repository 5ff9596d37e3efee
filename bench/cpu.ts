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
