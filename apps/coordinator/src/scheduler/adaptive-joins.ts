import { adaptJoinDistribution, adaptiveJoinOf, type ActualSize, type AdaptiveJoin } from '@tributary/engine';
import type {
  DistributedPlan,
  PhysicalNode,
  ScheduledPlan,
  ScheduledStage,
  StagePlan,
} from '@tributary/protocol';

/**
 * Stage plans bigger than this are never adapted: adapting parses a stage's plan here, on the
 * coordinator's event loop, which must not spend long on a plan with a huge IN list.
 */
const MAX_ADAPTED_PLAN_CHARS = 256 * 1024;

/**
 * Applies adapt-join-distribution.ts's decisions to the plan a query runs: it finds the join
 * of a stage one of whose sides must run first, and once that ran, makes the stage a broadcast
 * join when that side proved small (building on it, trading sides when it is the probe side). The decision is the engine's pure function; this
 * only parses the (bounded) stage plans it needs and serializes the stages it changed.
 */
export class AdaptiveJoins {
  private readonly parsed = new Map<string, PhysicalNode>();
  /** The stages changed at run time, parsed (for EXPLAIN ANALYZE and the job's profile). */
  readonly adapted: StagePlan[] = [];

  constructor(private readonly broadcastRowLimit: number) {}

  /** The join of stage `id` that may become a broadcast join once the side it weighs ran. */
  joinOf(plan: ScheduledPlan, id: number): AdaptiveJoin | undefined {
    const stage = plan.stages[id];
    // Cheap tests first, without parsing: a candidate reads two shuffles.
    if (
      stage.tasks.kind !== 'partitions' ||
      stage.adapted !== undefined ||
      stage.inputs.length < 2 ||
      stage.plan.length > MAX_ADAPTED_PLAN_CHARS ||
      !readsTwoShuffles(stage.plan)
    )
      return undefined;
    const join = adaptiveJoinOf(this.view(plan), id, { broadcastRowLimit: this.broadcastRowLimit });
    if (!join) return undefined;
    // The stage whose plan moves into this one once the first side's size is known.
    const merged = join.first === 'build' ? join.probe : join.build;
    return plan.stages[merged].plan.length > MAX_ADAPTED_PLAN_CHARS ? undefined : join;
  }

  /** The plan with the join decided from the first side's actual size (undefined: unchanged). */
  decide(plan: ScheduledPlan, join: AdaptiveJoin, actualSize: ActualSize): ScheduledPlan | undefined {
    const decided = adaptJoinDistribution(this.view(plan), join, actualSize, {
      broadcastRowLimit: this.broadcastRowLimit,
    });
    if (!decided) return undefined;
    const changed = decided.plan.stages.filter((s) => s.adapted !== plan.stages[s.id].adapted);
    this.adapted.push(...changed);
    const byId = new Map(changed.map((s) => [s.id, s]));
    return {
      ...plan,
      stages: plan.stages.map((s): ScheduledStage => {
        const stage = byId.get(s.id);
        if (!stage) return s;
        const { root, ...rest } = stage;
        const json = root === this.rootOf(s) ? s.plan : JSON.stringify(root);
        return { ...rest, plan: json, schema: root.schema };
      }),
    };
  }

  /** The plan as the engine's functions take it, each stage's root parsed only when read. */
  private view(plan: ScheduledPlan): DistributedPlan {
    const rootOf = (stage: ScheduledStage) => this.rootOf(stage);
    return {
      result: plan.result,
      schema: plan.schema,
      stages: plan.stages.map((stage) => {
        const { plan: _json, schema: _schema, ...rest } = stage;
        return {
          ...rest,
          get root() {
            return rootOf(stage);
          },
        };
      }),
    };
  }

  private rootOf(stage: ScheduledStage): PhysicalNode {
    let root = this.parsed.get(stage.plan);
    if (!root) {
      root = JSON.parse(stage.plan) as PhysicalNode;
      this.parsed.set(stage.plan, root);
    }
    return root;
  }
}

function readsTwoShuffles(json: string): boolean {
  const shuffle = '"exchange":"hash"';
  const first = json.indexOf(shuffle);
  return first >= 0 && json.indexOf(shuffle, first + shuffle.length) >= 0;
}
