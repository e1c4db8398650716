import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Dremio's error body is `{errorMessage, moreInfo}`; Tributary's is its ErrorBody with a stable
 * `code`. The v3 routes answer both in one body: the ErrorBody with `errorMessage` (its
 * `message`) and `moreInfo` added, so a Dremio client finds its fields and ours find the code.
 */
export async function withDremioErrorFields(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (reply.statusCode < 400 || typeof payload !== 'string' || !payload.startsWith('{')) return payload;
  try {
    const body = JSON.parse(payload) as Record<string, unknown>;
    if (typeof body.code !== 'string' || typeof body.message !== 'string') return payload;
    return JSON.stringify({ ...body, errorMessage: body.message, moreInfo: '' });
  } catch {
    return payload;
  }
}
