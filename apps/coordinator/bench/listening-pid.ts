import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** One socket of /proc/net/tcp or /proc/net/tcp6. */
export interface TcpSocket {
  localPort: number;
  /** The kernel's state number; 0x0A is LISTEN. */
  state: number;
  inode: number;
}

export const TCP_LISTEN = 0x0a;

/** Parses /proc/net/tcp (or tcp6): `sl local_address rem_address st … uid timeout inode …`, ports in hex. */
export function parseProcNetTcp(text: string): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const local = fields[1];
    const colon = local.lastIndexOf(':');
    if (colon < 0) continue;
    sockets.push({
      localPort: parseInt(local.slice(colon + 1), 16),
      state: parseInt(fields[3], 16),
      inode: Number(fields[9]),
    });
  }
  return sockets;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The processes holding a file descriptor on one of the socket `inodes` (only those this user may inspect). */
export function pidsHoldingSockets(inodes: ReadonlySet<number>, procRoot = '/proc'): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procRoot).filter((name) => /^\d+$/.test(name));
  } catch {
    return pids;
  }
  for (const entry of entries) {
    const fdFolder = path.join(procRoot, entry, 'fd');
    let fds: string[];
    try {
      fds = readdirSync(fdFolder);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(path.join(fdFolder, fd));
      } catch {
        continue;
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match && inodes.has(Number(match[1]))) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids.sort((a, b) => a - b);
}

/**
 * The process listening on TCP `port` on this machine, found through /proc/net/tcp{,6} and
 * the socket inodes in /proc/<pid>/fd; undefined when none (or when it is not ours to see).
 */
export function findListeningPid(port: number, procRoot = '/proc'): number | undefined {
  const inodes = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    for (const socket of parseProcNetTcp(readText(path.join(procRoot, 'net', table)))) {
      if (socket.localPort === port && socket.state === TCP_LISTEN && socket.inode > 0)
        inodes.add(socket.inode);
    }
  }
  if (inodes.size === 0) return undefined;
  const pids = pidsHoldingSockets(inodes, procRoot);
  return pids.length === 1 ? pids[0] : undefined;
}
