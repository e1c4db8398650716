import { describe, expect, it } from 'vitest';
import { summarizeServiceLog } from './service-log.ts';

const LOG = `[coordinator] listening on http://127.0.0.1:47913 (data dir /tmp/x)
[coordinator] executor embedded-2-80b36cac registered at http://127.0.0.1:40619
[executor embedded-2-80b36cac] registered with http://127.0.0.1:47913 as http://127.0.0.1:40619
[coordinator] executor embedded-1-638d5efa registered at http://127.0.0.1:38387
(node:17775) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 lost listeners added to [ExecutorRegistry]. MaxListeners is 10.
(Use \`node --trace-warnings ...\` to show where the warning was created)
(node:17775) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 lost listeners added to [ExecutorRegistry]. MaxListeners is 10.
[coordinator] executor embedded-1-638d5efa registered at http://127.0.0.1:38387
[coordinator] executor embedded-2-0d3fc862 (http://127.0.0.1:46869) lost: no heartbeat for 5000 ms
[coordinator] error EXECUTOR_LOST: executor embedded-2-0d3fc862 (http://127.0.0.1:46869) stopped responding
[coordinator] error EXECUTOR_LOST: executor embedded-2-0d3fc862 (http://127.0.0.1:46869) stopped responding
[coordinator] error EXECUTORS_UNREACHABLE: no executor could run the fragment: none active
[coordinator] executor embedded-2 (pid 4242) exited (SIGKILL); restarting it in 2 s
`;

describe('summarizeServiceLog', () => {
  it('counts registrations, lost executors, exits, logged errors and distinct warnings', () => {
    const s = summarizeServiceLog(LOG);
    expect(s.registrations).toBe(3);
    expect(s.lost).toBe(1);
    expect(s.executorExits).toBe(1);
    expect([...s.errorsByCode]).toEqual([
      ['EXECUTOR_LOST', 2],
      ['EXECUTORS_UNREACHABLE', 1],
    ]);
    expect(s.warnings).toEqual([
      'MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 lost listeners added to [ExecutorRegistry]. MaxListeners is 10.',
    ]);
  });

  it('finds nothing in a quiet log', () => {
    expect(summarizeServiceLog('[coordinator] listening on http://x\n')).toEqual({
      registrations: 0,
      lost: 0,
      executorExits: 0,
      errorsByCode: new Map(),
      warnings: [],
    });
  });
});
