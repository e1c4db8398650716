import type { Security } from '../auth/security.ts';
import type { ExecutorRegistry } from '../executors/executor-registry.ts';
import type { QueryService } from '../query/query-service.ts';
import type { QueryAdmission } from '../scheduler/query-admission.ts';
import type { SourceService } from '../sources/source-service.ts';

/** What the HTTP routes are served from: the coordinator's services, wired in main.ts. */
export interface ServerDeps {
  readonly registry: ExecutorRegistry;
  readonly sources: SourceService;
  readonly queries: QueryService;
  readonly admission: QueryAdmission;
  /** Internal routes (executors registering and heartbeating) need requests signed with it. */
  readonly clusterSecret: string;
  /** Users, tokens, privileges, rate limits and audit (auth/). */
  readonly security: Security;
  readonly log: (message: string) => void;
}
