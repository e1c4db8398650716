import { h } from '../dom.ts';
import { formatBytes, formatCount, formatMs } from './format.ts';

export interface ProfiledOperator {
  operator: string;
  depth: number;
  rows: number;
  batches: number;
  timeMs: number;
  maxTimeMs: number;
}

export interface ProfiledStage {
  id: number;
  heading: string;
  tasks: number;
  runs: {
    index: number;
    attempt: number;
    executor: string;
    rows: number;
    bytes: number;
    elapsedMs: number;
  }[];
  operators: ProfiledOperator[];
}

/** The stages a stage reads, from its heading ("Stage 2: …, reads stage 0, 1; output …"). */
export function inputsOf(stage: ProfiledStage): number[] {
  const match = /reads stages? ([\d, ]+)/.exec(stage.heading);
  return match
    ? match[1]
        .split(',')
        .map((s) => Number(s.trim()))
        .filter((n) => Number.isInteger(n))
    : [];
}

/**
 * A job's profile as a graph: the stage that feeds the coordinator on top, each stage (a
 * fragment, run as tasks on the executors) a card of its operators as a tree with their rows
 * and self time (bars scaled to the job's slowest operator), and under it the stages it
 * reads, joined by exchange edges.
 */
export function profileGraph(stages: readonly ProfiledStage[], header?: string): HTMLElement {
  if (stages.length === 0) return h('div', { class: 'empty' }, 'No profile: the job ran no stages.');
  const byId = new Map(stages.map((s) => [s.id, s]));
  const slowest = Math.max(1e-9, ...stages.flatMap((s) => s.operators.map((o) => o.timeMs)));
  const drawn = new Set<number>();

  const card = (stage: ProfiledStage): HTMLElement => {
    const rows = stage.runs.reduce((n, r) => n + r.rows, 0);
    const bytes = stage.runs.reduce((n, r) => n + r.bytes, 0);
    const time = Math.max(0, ...stage.runs.map((r) => r.elapsedMs));
    const executors = new Set(stage.runs.map((r) => r.executor)).size;
    const [title, ...rest] = stage.heading.split(': ');
    return h(
      'div',
      { class: 'fragment', dataset: { stage: String(stage.id) } },
      h(
        'div',
        { class: 'fragment-head' },
        h('span', { class: 'title' }, title),
        h('span', { class: 'muted', style: 'font-size:12px' }, rest.join(': ')),
        h(
          'span',
          { class: 'meta' },
          `${stage.tasks} task${stage.tasks === 1 ? '' : 's'} · ${executors} executor${executors === 1 ? '' : 's'} · ${formatCount(rows)} rows · ${formatBytes(bytes)} · ${formatMs(time)}`,
        ),
      ),
      h(
        'div',
        { class: 'op', style: 'color:var(--muted);font-size:11px' },
        h('span', null, 'Operator'),
        h('span', { class: 'num' }, 'Rows'),
        h('span', { class: 'num' }, 'Time'),
        h('span', null, 'Self time'),
      ),
      ...(stage.operators.length === 0
        ? [h('div', { class: 'op muted' }, 'No operator figures were reported.')]
        : stage.operators.map((o) =>
            h(
              'div',
              { class: 'op', dataset: { operator: o.operator } },
              h(
                'span',
                { class: 'opname', title: o.operator },
                h('span', { class: 'tee' }, o.depth > 0 ? `${'  '.repeat(o.depth - 1)}└ ` : ''),
                o.operator,
              ),
              h('span', { class: 'num' }, formatCount(o.rows)),
              h('span', { class: 'num' }, formatMs(o.timeMs)),
              h(
                'div',
                {
                  class: o.timeMs / slowest > 0.5 ? 'timebar hot' : 'timebar',
                  title: `${formatMs(o.timeMs)} (max of a task ${formatMs(o.maxTimeMs)})`,
                },
                h('div', { style: `width:${Math.max(1, (o.timeMs / slowest) * 100)}%` }),
              ),
            ),
          )),
    );
  };

  const subtree = (stage: ProfiledStage): HTMLElement => {
    drawn.add(stage.id);
    const inputs = inputsOf(stage)
      .map((id) => byId.get(id))
      .filter((s): s is ProfiledStage => s !== undefined && !drawn.has(s.id));
    return h(
      'div',
      { style: 'display:flex;flex-direction:column;align-items:center' },
      card(stage),
      inputs.length > 0
        ? h(
            'div',
            { style: 'display:flex;gap:16px;align-items:flex-start' },
            ...inputs.map((input) =>
              h(
                'div',
                { style: 'display:flex;flex-direction:column;align-items:center' },
                h('div', { class: 'edge', title: `stage ${input.id} → stage ${stage.id}` }),
                subtree(input),
              ),
            ),
          )
        : null,
    );
  };

  const root = [...stages].sort((a, b) => b.id - a.id)[0];
  const graph = h(
    'div',
    { class: 'profile', id: 'profile-graph' },
    h('div', { class: 'badge', style: 'margin-bottom:0' }, header ?? 'Coordinator'),
    h('div', { class: 'edge' }),
    subtree(root),
  );
  // Stages no other stage reads (not expected): drawn after the tree, so none is hidden.
  for (const stage of stages)
    if (!drawn.has(stage.id)) graph.append(h('div', { style: 'height:16px' }), subtree(stage));
  return graph;
}
