import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';

/**
 * Connections between cluster processes (the coordinator's tasks to executors, executors'
 * exchange reads from each other): kept alive and reused (LIFO, so the warmest socket goes
 * first), so a request costs one round trip on an open connection, not a TCP handshake.
 * node:http rather than fetch: fetch's WHATWG request, response and body streams cost a small
 * query about as much CPU on the coordinator as everything else it does for the task
 * (measured with --cpu-prof, apps/coordinator/bench/small-query-latency.ts). One agent per
 * thread (module state), as fetch's dispatcher was.
 */
const internalAgent = new Agent({ keepAlive: true, scheduling: 'lifo' });

/** A request on its way: its response once the headers came, and a way to cut it off. */
export interface InternalExchange {
  readonly response: Promise<IncomingMessage>;
  /** Cuts the request and its response off (the peer sees its connection close). */
  destroy(): void;
}

/** Sends a request to another process of the cluster over a kept-alive connection; `body` is JSON. */
export function requestInternal(
  method: 'GET' | 'POST',
  url: URL,
  headers: Record<string, string>,
  body?: string,
): InternalExchange {
  let outgoing: ClientRequest | undefined;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    outgoing = request(
      url,
      {
        method,
        agent: internalAgent,
        headers:
          body === undefined
            ? headers
            : {
                ...headers,
                'content-type': 'application/json',
                'content-length': String(Buffer.byteLength(body)),
              },
      },
      (incoming) => {
        // Its failures reach whoever reads it (the iterator); one nobody reads must not crash us.
        incoming.on('error', () => undefined);
        resolve(incoming);
      },
    );
    // Every error (a second one after a cut too) is handled; only the first one counts.
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  return {
    response,
    // A request whose response was read to its end went back to the pool: Node marks it
    // destroyed then, so this leaves the pooled socket alone.
    destroy: () => outgoing?.destroy(),
  };
}

/** A response body as text (an error answer's JSON). */
export async function responseText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
