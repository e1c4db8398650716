import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TCP_LISTEN, findListeningPid, parseProcNetTcp, pidsHoldingSockets } from './listening-pid.ts';

const procRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'proc-net');

describe('parseProcNetTcp', () => {
  it('reads hex ports, states and inodes, skipping the header', () => {
    const sockets = parseProcNetTcp(readFileSync(path.join(procRoot, 'net', 'tcp'), 'utf8'));
    expect(sockets).toEqual([
      { localPort: 9047, state: TCP_LISTEN, inode: 40001 },
      { localPort: 2024, state: TCP_LISTEN, inode: 640 },
      { localPort: 9047, state: 1, inode: 40017 },
    ]);
  });

  it('reads IPv6 addresses', () => {
    const sockets = parseProcNetTcp(readFileSync(path.join(procRoot, 'net', 'tcp6'), 'utf8'));
    expect(sockets).toEqual([{ localPort: 8080, state: TCP_LISTEN, inode: 50002 }]);
  });
});

describe('findListeningPid', () => {
  it('finds the process holding the listening socket, not one holding a connection', () => {
    expect(findListeningPid(9047, procRoot)).toBe(300);
    expect(findListeningPid(8080, procRoot)).toBe(301);
    expect(findListeningPid(1234, procRoot)).toBeUndefined();
    expect(pidsHoldingSockets(new Set([40017]), procRoot)).toEqual([300]);
  });
});
