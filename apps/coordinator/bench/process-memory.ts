import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The fields of /proc/<pid>/stat the load generator needs. */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  /** User plus system CPU time, in clock ticks (usually 1/100 s). */
  cpuTicks: number;
}

/** Resident memory in kB from the text of /proc/<pid>/status (`VmRSS:   123456 kB`); undefined if absent (a zombie). */
export function parseVmRssKb(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

/**
 * Parses /proc/<pid>/stat. The command name sits in parentheses and may itself hold spaces
 * and parentheses, so the fields after it are found from the last `)`.
 */
export function parseProcStat(stat: string): ProcStat {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  // Fields from the third on: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime.
  const fields = stat
    .slice(close + 2)
    .trim()
    .split(' ');
  return {
    pid: Number(stat.slice(0, open).trim()),
    comm: stat.slice(open + 1, close),
    state: fields[0],
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
  };
}

/** The pids listed in a /proc/<pid>/task/<tid>/children file (space-separated). */
export function parseChildrenList(text: string): number[] {
  return text
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** VmRSS of a process in kB, undefined once it is gone. */
export function readRssKb(pid: number, procRoot = '/proc'): number | undefined {
  const status = readText(path.join(procRoot, String(pid), 'status'));
  return status === undefined ? undefined : parseVmRssKb(status);
}

/** CPU time a process has used so far in clock ticks, undefined once it is gone. */
export function readCpuTicks(pid: number, procRoot = '/proc'): number | undefined {
  const stat = readText(path.join(procRoot, String(pid), 'stat'));
  return stat === undefined ? undefined : parseProcStat(stat).cpuTicks;
}

/** A process's command line with its arguments joined by spaces ('' once it is gone). */
export function readCmdline(pid: number, procRoot = '/proc'): string {
  return (readText(path.join(procRoot, String(pid), 'cmdline')) ?? '').replace(/\0/g, ' ').trim();
}

function numericEntries(folder: string): number[] {
  try {
    return readdirSync(folder)
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * The direct children of `pid`: from /proc/<pid>/task/<tid>/children where the kernel offers
 * them (CONFIG_PROC_CHILDREN), otherwise by finding every process whose stat names `pid` as
 * its parent.
 */
export function childPids(pid: number, procRoot = '/proc'): number[] {
  const tasks = numericEntries(path.join(procRoot, String(pid), 'task'));
  const lists = tasks.map((tid) =>
    readText(path.join(procRoot, String(pid), 'task', String(tid), 'children')),
  );
  if (lists.length > 0 && lists.every((list) => list !== undefined)) {
    return [...new Set(lists.flatMap((list) => parseChildrenList(list ?? '')))].sort((a, b) => a - b);
  }
  const children: number[] = [];
  for (const candidate of numericEntries(procRoot)) {
    const stat = readText(path.join(procRoot, String(candidate), 'stat'));
    if (stat === undefined) continue;
    try {
      if (parseProcStat(stat).ppid === pid) children.push(candidate);
    } catch {
      // A process that vanished mid-read.
    }
  }
  return children.sort((a, b) => a - b);
}
