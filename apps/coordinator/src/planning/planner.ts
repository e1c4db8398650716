import type { PlanOutcome, PlanRequest } from './plan-query.ts';

/** What plans a statement for the query service: the planner threads, or one of their wrappers. */
export interface Planner {
  plan(request: PlanRequest, signal: AbortSignal): Promise<PlanOutcome>;
}
