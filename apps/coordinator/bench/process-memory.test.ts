import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  childPids,
  parseChildrenList,
  parseProcStat,
  parseVmRssKb,
  readCmdline,
  readCpuTicks,
  readRssKb,
} from './process-memory.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const byPpid = path.join(fixtures, 'proc-ppid');
const byChildrenFiles = path.join(fixtures, 'proc-children');

describe('parseVmRssKb', () => {
  it('reads VmRSS in kB from a status file', () => {
    expect(parseVmRssKb(readFileSync(path.join(byPpid, '100', 'status'), 'utf8'))).toBe(187992);
  });

  it('is undefined for a zombie, which has no VmRSS line', () => {
    expect(parseVmRssKb(readFileSync(path.join(byPpid, '103', 'status'), 'utf8'))).toBeUndefined();
  });
});

describe('parseProcStat', () => {
  it('reads pid, state, ppid and process group', () => {
    const stat = parseProcStat(readFileSync(path.join(byPpid, '101', 'stat'), 'utf8'));
    expect(stat).toEqual({ pid: 101, comm: 'node', state: 'S', ppid: 100, pgrp: 100, cpuTicks: 341 });
  });

  it('finds the fields after a command name holding spaces and parentheses', () => {
    const stat = parseProcStat(readFileSync(path.join(byPpid, '103', 'stat'), 'utf8'));
    expect(stat).toMatchObject({ pid: 103, comm: 'a) (b c', state: 'Z', ppid: 100 });
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseProcStat('hello')).toThrow(/stat/);
  });
});

describe('parseChildrenList', () => {
  it('reads space-separated pids, trailing space included', () => {
    expect(parseChildrenList('300 301 ')).toEqual([300, 301]);
    expect(parseChildrenList('')).toEqual([]);
  });
});

describe('childPids', () => {
  it('finds children by their parent pid when the kernel lists no children files', () => {
    expect(childPids(100, byPpid)).toEqual([101, 102, 103]);
    expect(childPids(101, byPpid)).toEqual([]);
  });

  it('reads the children files of every thread where they exist', () => {
    expect(childPids(200, byChildrenFiles)).toEqual([300, 301, 302]);
  });
});

describe('readRssKb, readCpuTicks and readCmdline', () => {
  it('read a process and give nothing for one that is gone', () => {
    expect(readRssKb(102, byPpid)).toBe(101004);
    expect(readCmdline(101, byPpid)).toBe('/usr/bin/node --import tsx /repo/apps/executor/src/main.ts');
    expect(readCpuTicks(100, byPpid)).toBe(598);
    expect(readRssKb(999, byPpid)).toBeUndefined();
    expect(readCmdline(999, byPpid)).toBe('');
  });
});
