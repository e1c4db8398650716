import type { CatalogStore } from '@tributary/catalog';
import type { Security } from '../auth/security.ts';
import type { ExecutorRegistry } from '../executors/executor-registry.ts';
import type { JobService } from '../jobs/job-service.ts';
import type { Readiness } from '../executors/readiness.ts';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';
import type { QueryService } from '../query/query-service.ts';
import type { QueryAdmission } from '../scheduler/query-admission.ts';
import type { SourceService } from '../sources/source-service.ts';
import type { ReflectionService } from '../reflections/reflection-service.ts';

/** What the HTTP routes are served from: the coordinator's services, wired in main.ts. */
export interface ServerDeps {
  /** The catalog, read and written on this thread (spaces, folders and views routes). */
  readonly catalog: CatalogStore;
  readonly registry: ExecutorRegistry;
  readonly sources: SourceService;
  readonly queries: QueryService;
  /** Background jobs, job records and spooled results (the jobs API). */
  readonly jobs: JobService;
  readonly admission: QueryAdmission;
  /** Internal routes (executors registering and heartbeating) need requests signed with it. */
  readonly clusterSecret: string;
  /** Whether enough executors are active to run queries (/api/v1/health/ready). */
  readonly readiness: Readiness;
  /** Prometheus metrics (/metrics). */
  readonly metrics: ServiceMetrics;
  /** Largest request body accepted (maxRequestBytes). */
  readonly maxRequestBytes: number;
  /** Users, tokens, privileges, rate limits and audit (auth/). */
  readonly security: Security;
  /** Reflections: definitions, builds, refresh (the reflections routes); absent in tests without them. */
  readonly reflections?: ReflectionService;
  readonly log: (message: string) => void;
}
