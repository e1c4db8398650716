import { Type } from 'typebox';
import { JOB_STATES, QUERY_TYPES } from '@tributary/catalog';
import { OpenObject } from '../http/api-schemas.ts';
import { MAX_JOB_LIST } from '../jobs/job-service.ts';
import { ResultFormatField, sqlRequestFields } from './query-routes.ts';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const JobIdParams = Type.Object({ id: Type.String({ description: 'the job id' }) });

/** The fields of POST /api/v1/sql (with their codes), but no format: a background job's rows are spooled. */
export const SubmitJobBody = Type.Object(sqlRequestFields, { additionalProperties: false });

export const SubmittedJob = OpenObject({ id: Type.String({ description: 'The job id' }) });

export const JobProgressSchema = OpenObject({
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

export const JobSummarySchema = OpenObject(jobSummaryFields);

export const JobSchema = OpenObject({
  ...jobSummaryFields,
  plan: NullableString,
  profile: Type.Unknown({
    description: 'per stage: task runs (executor, rows, bytes, time) and per-operator rows and time',
  }),
  progress: Type.Optional(JobProgressSchema),
  acceleration: Type.Union([
    OpenObject(
      {
        reflectionRelationships: Type.Array(Type.Unknown(), {
          description:
            'Each reflection planning considered: reflectionId, reflectionName, datasetPath, relationship (CONSIDERED, MATCHED, CHOSEN), reason when not chosen',
        }),
        dataAgeMs: Type.Number({ description: 'How much older than its sources the data read was' }),
      },
      { description: 'What planning did with reflections; null when none were considered' },
    ),
    Type.Null(),
  ]),
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

export const JobList = OpenObject({
  jobs: Type.Array(JobSummarySchema),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const ResultsQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'the first row (0-based)' })),
  limit: Type.Optional(
    Type.Integer({ minimum: 0, description: 'rows to send; all from offset when absent' }),
  ),
  format: Type.Optional(ResultFormatField),
});

export const CancelAnswer = OpenObject({
  id: Type.String(),
  state: Type.String({ description: 'The state the job was in when asked to stop' }),
});
