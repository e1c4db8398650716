import type { JobRecord } from '@tributary/catalog';

/** Every job waits in one of the admission lanes; Dremio names its queues, Tributary has one pool. */
export const DREMIO_QUEUE = 'default';

/**
 * Dremio's query type for a Tributary one: REST and the ODBC/JDBC-like PGWIRE keep their
 * meaning (PGWIRE is a JDBC/ODBC-style client), the web console is UI_RUN, INTERNAL is
 * Dremio's UNKNOWN (a job whose type is not set).
 */
export function dremioQueryType(queryType: JobRecord['queryType']): string {
  switch (queryType) {
    case 'REST':
      return 'REST';
    case 'UI':
      return 'UI_RUN';
    case 'PGWIRE':
      return 'ODBC';
    default:
      return 'UNKNOWN';
  }
}

function reflectionRelationships(job: JobRecord): unknown[] {
  const recorded = job.acceleration?.reflectionRelationships;
  return Array.isArray(recorded) ? (recorded as unknown[]) : [];
}

const plus = (iso: string, ms: number | null): string | undefined =>
  ms === null ? undefined : new Date(Date.parse(iso) + ms).toISOString();

/**
 * A job as Dremio's `GET /api/v3/job/{id}` answers it. The states are Dremio's names already
 * (PLANNING, QUEUED, RUNNING, COMPLETED, FAILED, CANCELED). As Dremio documents it: rowCount is
 * 0 until COMPLETED; errorMessage is "" unless FAILED; a cancel's reason is cancellationReason;
 * resource scheduling is the wait for admission (after planning, before running).
 * `acceleration.reflectionRelationships` has Dremio's `reflectionId` and `relationship`
 * (CONSIDERED, MATCHED, CHOSEN) for each reflection planning looked at, and Tributary's own
 * additions: its name, type and dataset, and for the ones not chosen the reason in words.
 */
export function dremioJobStatus(job: JobRecord) {
  const schedulingStarted = plus(job.submittedAt, job.planningMs);
  const schedulingEnded =
    schedulingStarted === undefined || job.queuedMs === null
      ? undefined
      : plus(schedulingStarted, job.queuedMs);
  return {
    jobState: job.state,
    rowCount: job.state === 'COMPLETED' ? (job.rowCount ?? 0) : 0,
    errorMessage: job.state === 'FAILED' ? (job.errorMessage ?? job.errorCode ?? '') : '',
    startedAt: job.submittedAt,
    ...(job.finishedAt === null ? {} : { endedAt: job.finishedAt }),
    acceleration: { reflectionRelationships: reflectionRelationships(job) },
    queryType: dremioQueryType(job.queryType),
    queueName: DREMIO_QUEUE,
    queueId: DREMIO_QUEUE,
    ...(schedulingStarted === undefined ? {} : { resourceSchedulingStartedAt: schedulingStarted }),
    ...(schedulingEnded === undefined ? {} : { resourceSchedulingEndedAt: schedulingEnded }),
    cancellationReason: job.state === 'CANCELED' ? (job.errorMessage ?? 'the query was cancelled') : '',
  };
}
