import { ApiError, api } from '../api/api-client.ts';
import { followJob, type JobProgress } from '../api/job-events.ts';
import { append, h } from '../dom.ts';
import { formatBytes, formatCount, formatMs, jobDurationMs, type JobSummary } from './format.ts';
import { profileGraph, type ProfiledStage } from './profile-graph.ts';

interface Job extends JobSummary {
  plan: string | null;
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
      job.reflections.length > 0
        ? h(
            'table',
            { class: 'list' },
            h('thead', null, h('tr', null, h('th', null, 'Reflection'), h('th', null, 'Outcome'))),
            h(
              'tbody',
              null,
              ...job.reflections.map((r) =>
                h(
                  'tr',
                  null,
                  h('td', null, r),
                  h('td', null, h('span', { class: 'badge COMPLETED' }, 'chosen')),
                ),
              ),
            ),
          )
        : h(
            'div',
            { class: 'card empty', id: 'job-reflections' },
            h('h3', null, 'No reflections considered'),
            'This job was not accelerated: no reflection was considered, matched or chosen (reflections are not built by this version).',
          ),
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
