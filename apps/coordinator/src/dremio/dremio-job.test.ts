import { describe, expect, it } from 'vitest';
import type { JobRecord } from '@tributary/catalog';
import { dremioJobStatus } from './dremio-job.ts';

const job: JobRecord = {
  id: 'j1',
  sql: 'select 1',
  sqlTruncated: false,
  context: null,
  user: 'ann',
  queryType: 'REST',
  state: 'COMPLETED',
  submittedAt: '2022-12-13T18:34:14.069Z',
  startedAt: '2022-12-13T18:34:14.995Z',
  finishedAt: '2022-12-13T18:35:09.963Z',
  planningMs: 908,
  queuedMs: 18,
  rowCount: 1003904,
  bytes: 10,
  errorCode: null,
  errorMessage: null,
  sources: [],
  reflections: [],
  resultsSpooled: true,
  plan: null,
  profile: null,
  acceleration: null,
};

/**
 * Checked against Dremio's documented Job object (docs.dremio.com, API Reference → Job):
 * {"jobState": "COMPLETED", "rowCount": 1003904, "errorMessage": "", "startedAt":
 * "2022-12-13T18:34:14.069Z", "endedAt": "2022-12-13T18:35:09.963Z", "acceleration":
 * {"reflectionRelationships": [...]}, "queryType": "UI_RUN", "queueName": "LARGE", "queueId":
 * "LARGE", "resourceSchedulingStartedAt": "2022-12-13T18:34:14.977Z",
 * "resourceSchedulingEndedAt": "2022-12-13T18:34:14.995Z", "cancellationReason": ""}
 */
describe("Dremio's job status", () => {
  it('has the documented fields, in their documented forms', () => {
    const status = dremioJobStatus(job);
    expect(Object.keys(status).sort()).toEqual(
      [
        'jobState',
        'rowCount',
        'errorMessage',
        'startedAt',
        'endedAt',
        'acceleration',
        'queryType',
        'queueName',
        'queueId',
        'resourceSchedulingStartedAt',
        'resourceSchedulingEndedAt',
        'cancellationReason',
      ].sort(),
    );
    expect(status).toEqual({
      jobState: 'COMPLETED',
      rowCount: 1003904,
      errorMessage: '',
      startedAt: '2022-12-13T18:34:14.069Z',
      endedAt: '2022-12-13T18:35:09.963Z',
      acceleration: { reflectionRelationships: [] },
      queryType: 'REST',
      queueName: 'default',
      queueId: 'default',
      // Scheduling is the wait for admission: after planning (908 ms), for 18 ms.
      resourceSchedulingStartedAt: '2022-12-13T18:34:14.977Z',
      resourceSchedulingEndedAt: '2022-12-13T18:34:14.995Z',
      cancellationReason: '',
    });
  });

  it('says rowCount 0 until COMPLETED, the error only when FAILED, the reason when CANCELED', () => {
    const running = dremioJobStatus({
      ...job,
      state: 'RUNNING',
      finishedAt: null,
      rowCount: null,
      queuedMs: null,
    });
    expect(running).toMatchObject({ jobState: 'RUNNING', rowCount: 0, errorMessage: '' });
    expect(running).not.toHaveProperty('endedAt');
    expect(running).not.toHaveProperty('resourceSchedulingEndedAt');
    const failed = {
      ...job,
      state: 'FAILED' as const,
      rowCount: null,
      errorCode: 'X',
      errorMessage: 'no table t',
    };
    expect(dremioJobStatus(failed)).toMatchObject({
      rowCount: 0,
      errorMessage: 'no table t',
      cancellationReason: '',
    });
    const canceled = { ...job, state: 'CANCELED' as const, errorMessage: 'the query was cancelled' };
    expect(dremioJobStatus(canceled)).toMatchObject({
      errorMessage: '',
      cancellationReason: 'the query was cancelled',
    });
    expect(dremioJobStatus({ ...job, queryType: 'UI' }).queryType).toBe('UI_RUN');
  });
});
