import { ApiError, api } from '../api/api-client.ts';
import { followJob, type JobProgress } from '../api/job-events.ts';
import { append, h } from '../dom.ts';
import { formatBytes, formatCount, formatMs, jobDurationMs, type JobSummary } from './format.ts';
import { profileGraph, type ProfiledStage } from './profile-graph.ts';

/** What planning did with one reflection (libs/reflections reflection-relationship.ts). */
export interface ReflectionRelationship {
  reflectionId: string;
  reflectionName: string;
  reflectionType?: string;
  datasetPath: string[];
  relationship: 'CONSIDERED' | 'MATCHED' | 'CHOSEN';
  reason?: string;
  builtAt?: number;
  stalenessMs?: number;
}

interface Job extends JobSummary {
  plan: string | null;
  /** Null (or absent, from a service without reflections) when planning considered none. */
  acceleration?: { reflectionRelationships: ReflectionRelationship[]; dataAgeMs: number } | null;
  profile: { stages?: ProfiledStage[] } | null;
  progress?: JobProgress;
  context: string | null;
}

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

/**
 * A job's page: its SQL and figures, a live progress bar while it runs (server-sent events),
 * the profile as a graph of stages and operators, its plan, and the reflections it considered.
 */
export function jobPage(container: HTMLElement, id: string): () => void {
  const controller = new AbortController();
  const content = h('div', { class: 'content' }, h('div', { class: 'empty' }, 'Loading…'));
  container.replaceChildren(content);
  const progressSlot = h('div');

  const renderProgress = (state: string, progress?: JobProgress) => {
    if (FINAL.has(state)) {
      progressSlot.replaceChildren();
      return;
    }
    const fraction = progress && progress.tasksTotal > 0 ? progress.tasksDone / progress.tasksTotal : 0;
    progressSlot.replaceChildren(
      h(
        'div',
        { class: 'card', style: 'padding:12px;margin-bottom:16px' },
        h(
          'div',
          { style: 'display:flex;justify-content:space-between;margin-bottom:6px' },
          h('span', null, h('span', { class: `badge ${state}` }, state)),
          h(
            'span',
            { class: 'muted' },
            progress
              ? `${progress.tasksDone}/${progress.tasksTotal} tasks · ${progress.splitsDone}/${progress.splitsTotal} splits · ${formatCount(progress.rows)} rows`
              : 'waiting…',
          ),
        ),
        h(
          'div',
          {
            class: 'progress big',
            role: 'progressbar',
            'aria-valuenow': String(Math.round(fraction * 100)),
            'aria-valuemin': '0',
            'aria-valuemax': '100',
            id: 'job-progress',
          },
          h('div', { style: `width:${Math.max(2, fraction * 100)}%` }),
        ),
      ),
    );
  };

  const render = (job: Job) => {
    const stat = (k: string, v: string) =>
      h('div', { class: 'card stat' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v));
    const stages = job.profile?.stages ?? [];
    const header = job.plan?.split('\n').find((line) => line.startsWith('Coordinator:'));
    content.replaceChildren();
    append(
      content,
      h(
        'div',
        { class: 'job-head' },
        h('span', { class: `badge ${job.state}`, id: 'job-state' }, job.state),
        h('h2', { class: 'mono' }, job.id),
        h(
          'span',
          { class: 'muted' },
          `${job.user} · ${job.queryType} · ${new Date(job.submittedAt).toLocaleString()}`,
        ),
      ),
      progressSlot,
      h(
        'div',
        { class: 'stats' },
        stat('Duration', formatMs(jobDurationMs(job))),
        stat('Planning', formatMs(job.planningMs)),
        stat('Queued', formatMs(job.queuedMs)),
        stat('Rows', formatCount(job.rowCount)),
        stat('Bytes', formatBytes(job.bytes)),
        h(
          'div',
          { class: 'card stat' },
          h('div', { class: 'k' }, 'Sources'),
          h('div', { class: 'v small' }, job.sources.join(', ') || '—'),
        ),
      ),
      job.errorCode
        ? h(
            'div',
            { class: 'error-box', style: 'margin-bottom:16px' },
            h('strong', null, job.errorCode),
            ' ',
            job.errorMessage ?? '',
          )
        : null,
      h('div', { class: 'section-title' }, 'SQL'),
      h('pre', { class: 'sql card', id: 'job-sql' }, job.sql),
      h('div', { class: 'section-title' }, 'Profile'),
      h(
        'div',
        { class: 'card' },
        FINAL.has(job.state)
          ? profileGraph(stages, header)
          : h('div', { class: 'empty' }, 'The profile shows once the job ends.'),
      ),
      job.plan
        ? h(
            'details',
            { style: 'margin-top:12px' },
            h('summary', { style: 'cursor:pointer' }, 'Plan (EXPLAIN text)'),
            h('pre', { class: 'sql card', style: 'max-height:400px' }, job.plan),
          )
        : null,
      h('div', { class: 'section-title' }, 'Reflections'),
      reflectionsSection(job),
    );
    renderProgress(job.state, job.progress);
  };

  const load = async () => {
    try {
      const job = await api<Job>(
        'GET',
        `/api/v1/jobs/${encodeURIComponent(id)}`,
        undefined,
        controller.signal,
      );
      render(job);
      if (!FINAL.has(job.state)) {
        let state = job.state;
        await followJob(
          id,
          {
            onState: (s) => {
              state = s;
              renderProgress(s);
            },
            onProgress: (p) => renderProgress(state, p),
          },
          controller.signal,
        );
        // The catalog writes the end behind: read it again until it shows.
        for (let i = 0; i < 20 && !controller.signal.aborted; i++) {
          const ended = await api<Job>(
            'GET',
            `/api/v1/jobs/${encodeURIComponent(id)}`,
            undefined,
            controller.signal,
          );
          if (FINAL.has(ended.state)) {
            render(ended);
            return;
          }
          await new Promise((r) => setTimeout(r, 150));
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
      content.replaceChildren(
        h(
          'div',
          { class: 'error-box' },
          e instanceof ApiError ? `${e.body.code}: ${e.body.message}` : String(e),
        ),
      );
    }
  };
  void load();
  return () => controller.abort();
}

const RANK = { CHOSEN: 0, MATCHED: 1, CONSIDERED: 2 } as const;

/**
 * The reflections planning looked at: chosen (the plan reads it), matched (it could have
 * served, a cheaper one did) or considered (not usable, and why), with how old the data read was.
 */
function reflectionsSection(job: Job): HTMLElement {
  const relationships = [...(job.acceleration?.reflectionRelationships ?? [])].sort(
    (a, b) => RANK[a.relationship] - RANK[b.relationship] || a.reflectionName.localeCompare(b.reflectionName),
  );
  if (relationships.length === 0)
    return h(
      'div',
      { class: 'card empty', id: 'job-reflections' },
      h('h3', null, 'No reflections considered'),
      'This job was not accelerated: planning found no reflection on the datasets it reads.',
    );
  const chosen = relationships.filter((r) => r.relationship === 'CHOSEN');
  const age = job.acceleration?.dataAgeMs ?? 0;
  return h(
    'div',
    { id: 'job-reflections' },
    h(
      'p',
      { class: 'muted', id: 'job-acceleration' },
      chosen.length > 0
        ? `Accelerated: the plan reads ${chosen.map((r) => r.reflectionName).join(', ')}${age > 0 ? `; its data was ${formatMs(age)} older than the sources` : ''}.`
        : 'Not accelerated: no reflection considered could serve this query.',
    ),
    h(
      'table',
      { class: 'list' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...['Reflection', 'Dataset', 'Outcome', 'Why', 'Data age'].map((t) => h('th', null, t)),
        ),
      ),
      h(
        'tbody',
        null,
        ...relationships.map((r) =>
          h(
            'tr',
            { dataset: { reflection: r.reflectionName, relationship: r.relationship } },
            h(
              'td',
              null,
              h('a', { href: '/reflections' }, r.reflectionName),
              r.reflectionType ? h('span', { class: 'muted' }, ` ${r.reflectionType}`) : null,
            ),
            h('td', { class: 'mono' }, r.datasetPath.join('.')),
            h('td', null, h('span', { class: `badge ${r.relationship}` }, r.relationship.toLowerCase())),
            h('td', null, r.reason ?? (r.relationship === 'CHOSEN' ? 'the cheapest plan reads it' : '—')),
            h(
              'td',
              { class: 'num' },
              r.stalenessMs === undefined ? '—' : r.stalenessMs === 0 ? 'fresh' : formatMs(r.stalenessMs),
            ),
          ),
        ),
      ),
    ),
  );
}
