import { Type } from 'typebox';
import { JOB_STATES, QUERY_TYPES } from '@tributary/catalog';
import { RESULT_FORMATS } from '../results/result-format.ts';
import { MAX_JOB_LIST } from '../jobs/job-service.ts';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const JobIdParams = Type.Object({ id: Type.String({ description: 'the job id' }) });

export const SubmitJobBody = Type.Object({
  sql: Type.String({ description: 'the statement to run' }),
  context: Type.Optional(
    Type.Union([Type.String(), Type.Array(Type.String())], {
      description: 'where unqualified table names are looked up: a source name or path parts',
    }),
  ),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'a deadline overriding queryTimeoutMs' })),
  options: Type.Optional(
    Type.Object(
      {},
      { additionalProperties: true, description: 'planner options: disabledRules, scanPushdown' },
    ),
  ),
});

export const SubmittedJob = Type.Object({ id: Type.String() });

export const JobProgressSchema = Type.Object({
  tasksDone: Type.Integer(),
  tasksTotal: Type.Integer(),
  splitsDone: Type.Integer(),
  splitsTotal: Type.Integer(),
  rows: Type.Integer(),
});

const jobSummaryFields = {
  id: Type.String(),
  sql: Type.String(),
  sqlTruncated: Type.Boolean(),
  context: NullableString,
  user: Type.String(),
  queryType: Type.Enum([...QUERY_TYPES]),
  state: Type.Enum([...JOB_STATES]),
  submittedAt: Type.String(),
  startedAt: NullableString,
  finishedAt: NullableString,
  planningMs: NullableNumber,
  queuedMs: NullableNumber,
  rowCount: NullableNumber,
  bytes: NullableNumber,
  errorCode: NullableString,
  errorMessage: NullableString,
  sources: Type.Array(Type.String()),
  reflections: Type.Array(Type.String()),
  resultsSpooled: Type.Boolean(),
};

export const JobSummarySchema = Type.Object(jobSummaryFields);

export const JobSchema = Type.Object({
  ...jobSummaryFields,
  plan: NullableString,
  profile: Type.Unknown({
    description: 'per stage: task runs (executor, rows, bytes, time) and per-operator rows and time',
  }),
  progress: Type.Optional(JobProgressSchema),
});

export const JobListQuery = Type.Object({
  state: Type.Optional(
    Type.String({ description: `one or more of ${JOB_STATES.join(', ')}, comma-separated` }),
  ),
  user: Type.Optional(Type.String()),
  sql: Type.Optional(Type.String({ description: 'a piece of the SQL text (case-insensitive)' })),
  since: Type.Optional(Type.String({ description: 'submitted at or after: ISO 8601 or epoch milliseconds' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_JOB_LIST })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
});

export const JobList = Type.Object({
  jobs: Type.Array(JobSummarySchema),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const ResultsQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'the first row (0-based)' })),
  limit: Type.Optional(
    Type.Integer({ minimum: 0, description: 'rows to send; all from offset when absent' }),
  ),
  format: Type.Optional(
    Type.String({ description: `${Object.keys(RESULT_FORMATS).join(', ')}; the Accept header otherwise` }),
  ),
});

export const CancelAnswer = Type.Object({ id: Type.String(), state: Type.String() });
