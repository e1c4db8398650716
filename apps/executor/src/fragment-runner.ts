import type { ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { RequestError, asTributaryError } from '@tributary/common';
import {
  HashAggregate,
  buildPhysicalPlan,
  isExecutorFragment,
  partialAggregateSchema,
} from '@tributary/engine';
import {
  encodeBatchFrame,
  encodeEndFrame,
  encodeErrorFrame,
  writeWithBackpressure,
  type FragmentRequest,
} from '@tributary/protocol';

/**
 * The folders fragments may read files in (TRIBUTARY_SOURCE_ROOTS, comma-separated): a
 * fragment names its files itself, so each is checked against these as it is opened. None
 * set means every file is refused.
 */
const sourceRoots: readonly string[] = (process.env.TRIBUTARY_SOURCE_ROOTS ?? '')
  .split(',')
  .map((root) => root.trim())
  .filter(Boolean)
  .map((root) => resolve(root));

function validate(request: unknown): FragmentRequest {
  const r = request as Partial<FragmentRequest> | null;
  if (!r || typeof r !== 'object' || !r.plan || !Array.isArray(r.splits) || !isExecutorFragment(r.plan)) {
    throw new RequestError(
      'FRAGMENT_INVALID',
      'a fragment request needs an executor fragment "plan" and its "splits"',
    );
  }
  return r as FragmentRequest;
}

/**
 * Runs one leaf fragment over its splits and streams the result as frames. Errors during
 * execution become an error frame (the status line is already sent); the coordinator going
 * away aborts the scan.
 */
export async function runFragment(
  body: unknown,
  response: ServerResponse,
  onActive: (delta: number) => void,
): Promise<void> {
  const request = validate(body);
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished)
      controller.abort(new RequestError('COORDINATOR_GONE', 'the coordinator closed the connection'));
  });
  const leaf = buildPhysicalPlan(request.plan, { splits: () => [...request.splits], roots: sourceRoots });
  const partial = request.partialAggregate;
  const operator = partial
    ? new HashAggregate(
        leaf,
        partial.groupBy,
        partial.aggregates,
        partialAggregateSchema(partial.groupBy, partial.aggregates),
        'partial',
      )
    : leaf;
  response.writeHead(200, { 'content-type': 'application/vnd.tributary.frames' });
  onActive(1);
  try {
    for await (const batch of operator.execute(controller.signal)) {
      if (batch.numRows > 0) await writeWithBackpressure(response, encodeBatchFrame(batch));
    }
    response.end(encodeEndFrame());
  } catch (error) {
    if (!controller.signal.aborted) response.end(encodeErrorFrame(asTributaryError(error)));
    else response.destroy();
  } finally {
    onActive(-1);
  }
}
