import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecutionError, INTEGER, TributaryError, makeRecordBatch } from '@tributary/common';
import { encodeBatchFrame, encodeEndFrame, encodeErrorFrame, type TaskRequest } from '@tributary/protocol';
import type { ExecutorInfo, ExecutorRegistry } from '../executors/executor-registry.ts';
import { runRemoteTask } from './remote-task.ts';

/** A stand-in executor on loopback: each test says how it answers a task. */
let server: Server;
let answer: (request: IncomingMessage, response: ServerResponse) => void;
const sockets = new Set<Socket>();
let requests = 0;
let closedEarly = 0;

beforeEach(async () => {
  requests = 0;
  closedEarly = 0;
  server = createServer((request, response) => {
    requests++;
    response.once('close', () => {
      if (!response.writableFinished) closedEarly++;
    });
    const body: Buffer[] = [];
    request.on('data', (chunk: Buffer) => body.push(chunk));
    request.on('end', () => answer(request, response));
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise((resolve) => server.close(resolve));
});

function executor(): ExecutorInfo {
  const { port } = server.address() as AddressInfo;
  return {
    id: 'e1',
    url: `http://127.0.0.1:${port}`,
    pid: 1,
    instance: 'i',
    threads: 1,
    state: 'active',
    lastHeartbeat: Date.now(),
    suspendedUntil: 0,
  };
}

const registry = new EventEmitter() as unknown as ExecutorRegistry;

const task: TaskRequest = {
  queryId: 'q',
  stage: 0,
  index: 0,
  taskId: 'q.0.0.0',
  plan: '{}',
  inputs: [],
  output: { kind: 'result' },
  queryMemoryBytes: 0,
} as TaskRequest;

const batch = (values: number[]) =>
  makeRecordBatch(
    [{ name: 'x', type: INTEGER }],
    [{ type: INTEGER, length: values.length, values: Int32Array.from(values) }],
    values.length,
  );

function options(signal = new AbortController().signal, fragmentTimeoutMs = 5000) {
  return { registry, secret: 's', fragmentTimeoutMs, signal };
}

async function rows(iterator: AsyncIterable<{ numRows: number }>): Promise<number> {
  let n = 0;
  for await (const b of iterator) n += b.numRows;
  return n;
}

async function failure(promise: Promise<unknown>): Promise<TributaryError> {
  try {
    await promise;
  } catch (error) {
    return error as TributaryError;
  }
  throw new Error('expected a failure');
}

describe('runRemoteTask', () => {
  it('streams the batches of a task and reuses one kept-alive connection for the next', async () => {
    answer = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.tributary.frames' });
      response.write(encodeBatchFrame(batch([1, 2, 3])));
      response.end(encodeEndFrame({ rows: 3 }));
    };
    let stats: unknown;
    for (let i = 0; i < 3; i++)
      expect(await rows(runRemoteTask(executor(), task, { ...options(), onStats: (s) => (stats = s) }))).toBe(
        3,
      );
    expect(stats).toEqual({ rows: 3 });
    expect(requests).toBe(3);
    expect(sockets.size).toBe(1);
  });

  it("fails with the executor's own typed error, from an error answer or an error frame", async () => {
    answer = (_request, response) => {
      response.writeHead(409, { 'content-type': 'application/json' });
      response.end(JSON.stringify(new ExecutionError('TASK_DUPLICATE', 'already runs').toBody()));
    };
    expect(await failure(rows(runRemoteTask(executor(), task, options())))).toMatchObject({
      code: 'TASK_DUPLICATE',
      status: 409,
    });
    answer = (_request, response) => {
      response.writeHead(200);
      response.end(encodeErrorFrame(new ExecutionError('QUERY_MEMORY_EXCEEDED', 'too big')));
    };
    expect(await failure(rows(runRemoteTask(executor(), task, options())))).toMatchObject({
      code: 'QUERY_MEMORY_EXCEEDED',
    });
  });

  it('fails with EXECUTOR_LOST when the executor is unreachable or cuts the stream', async () => {
    answer = (_request, response) => {
      response.writeHead(200);
      response.write(encodeBatchFrame(batch([1])));
      setTimeout(() => response.socket?.destroy(), 20);
    };
    expect(await failure(rows(runRemoteTask(executor(), task, options())))).toMatchObject({
      code: 'EXECUTOR_LOST',
    });
    const gone = { ...executor(), url: 'http://127.0.0.1:1' };
    expect(await failure(rows(runRemoteTask(gone, task, options())))).toMatchObject({
      code: 'EXECUTOR_LOST',
    });
  });

  it('fails with FRAGMENT_TIMEOUT when the executor says nothing, and closes its connection', async () => {
    answer = () => undefined;
    expect(await failure(rows(runRemoteTask(executor(), task, options(undefined, 200))))).toMatchObject({
      code: 'FRAGMENT_TIMEOUT',
    });
    await expect.poll(() => closedEarly).toBe(1);
  });

  it("closes the task's connection on cancel and when its reader stops early", async () => {
    answer = (_request, response) => {
      response.writeHead(200);
      response.write(encodeBatchFrame(batch([1, 2])));
    };
    const controller = new AbortController();
    const cancelled = new ExecutionError('QUERY_CANCELLED', 'cancelled', { status: 409 });
    const running = rows(runRemoteTask(executor(), task, options(controller.signal)));
    await expect.poll(() => requests).toBe(1);
    controller.abort(cancelled);
    expect(await failure(running)).toBe(cancelled);
    await expect.poll(() => closedEarly).toBe(1);

    for await (const b of runRemoteTask(executor(), task, options())) {
      expect(b.numRows).toBe(2);
      break;
    }
    await expect.poll(() => closedEarly).toBe(2);
  });
});
