import { api } from '../api/api-client.ts';
import { h } from '../dom.ts';
import { navigate } from '../router.ts';
import { formatCount, formatMs, jobDurationMs, type JobSummary } from './format.ts';

const STATES = ['', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELED'];
/** Every state a job runs through before its end, for the "running" filter. */
const ACTIVE = 'PLANNING,METADATA_RETRIEVAL,QUEUED,ENGINE_START,STARTING,RUNNING,ENQUEUED';

/**
 * The jobs list: state, user, duration, rows, accelerated; filtered by state, acceleration,
 * user and SQL text; refreshed while shown.
 */
export function jobsPage(container: HTMLElement): () => void {
  const state = h(
    'select',
    { class: 'input', 'aria-label': 'State', id: 'jobs-state' },
    ...STATES.map((s) => h('option', { value: s }, s || 'Any state')),
  );
  const user = h('input', { class: 'input', placeholder: 'User', 'aria-label': 'User', id: 'jobs-user' });
  const text = h('input', {
    class: 'input',
    placeholder: 'Search SQL…',
    'aria-label': 'Search SQL',
    id: 'jobs-sql',
    style: 'width:280px',
  });
  // Whether a reflection served the job: the list's own filter over the jobs the service sends.
  const accelerated = h(
    'select',
    { class: 'input', 'aria-label': 'Accelerated', id: 'jobs-accelerated' },
    h('option', { value: '' }, 'Accelerated or not'),
    h('option', { value: 'yes' }, 'Accelerated'),
    h('option', { value: 'no' }, 'Not accelerated'),
  );
  const body = h('tbody');
  // Fixed columns, the SQL taking what is left: a long statement is cut, never the table.
  const widths = ['112px', '86px', '', '96px', '76px', '112px', '84px', '84px', '104px'];
  const table = h(
    'table',
    { class: 'list', id: 'jobs-table', style: 'table-layout:fixed' },
    h('colgroup', null, ...widths.map((width) => h('col', width ? { style: `width:${width}` } : null))),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ...['State', 'Job', 'SQL', 'User', 'Type', 'Submitted', 'Duration', 'Rows', 'Accelerated'].map((t) =>
          h('th', null, t),
        ),
      ),
    ),
    body,
  );
  let timer = 0;
  let stopped = false;
  /** The latest load: an older one that answers late neither draws nor schedules another (one polling chain). */
  let generation = 0;
  const load = async () => {
    const mine = ++generation;
    const query = new URLSearchParams({ limit: '200' });
    if (state.value) query.set('state', state.value === 'RUNNING' ? ACTIVE : state.value);
    if (user.value.trim()) query.set('user', user.value.trim());
    if (text.value.trim()) query.set('sql', text.value.trim());
    try {
      const answer = await api<{ jobs: JobSummary[] }>('GET', `/api/v1/jobs?${query}`);
      if (stopped || mine !== generation) return;
      const jobs = accelerated.value
        ? answer.jobs.filter((job) => job.reflections.length > 0 === (accelerated.value === 'yes'))
        : answer.jobs;
      // The list is drawn anew every few seconds: a row the keyboard is on keeps the focus.
      const focusedJob = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('tr[data-job]')
        ?.dataset.job;
      body.replaceChildren(
        ...(jobs.length === 0
          ? [h('tr', null, h('td', { colSpan: 9, class: 'empty' }, 'No jobs match.'))]
          : jobs.map((job) =>
              h(
                'tr',
                {
                  class: 'clickable',
                  tabindex: 0,
                  dataset: { job: job.id },
                  onclick: () => navigate(`/jobs/${job.id}`),
                  onkeydown: (e: KeyboardEvent) => e.key === 'Enter' && navigate(`/jobs/${job.id}`),
                },
                h('td', null, h('span', { class: `badge ${job.state}` }, job.state)),
                h('td', { class: 'mono' }, h('a', { href: `/jobs/${job.id}` }, job.id.slice(0, 8))),
                h('td', { class: 'sql', title: job.sql }, job.sql.replace(/\s+/g, ' ')),
                h('td', null, job.user),
                h('td', { class: 'muted' }, job.queryType),
                h('td', { class: 'muted nowrap' }, new Date(job.submittedAt).toLocaleTimeString()),
                h('td', { class: 'num' }, formatMs(jobDurationMs(job))),
                h('td', { class: 'num' }, formatCount(job.rowCount)),
                h(
                  'td',
                  { dataset: { accelerated: String(job.reflections.length > 0) } },
                  job.reflections.length > 0
                    ? h('span', { class: 'badge COMPLETED' }, '⚡ yes')
                    : h('span', { class: 'muted' }, 'no'),
                ),
              ),
            )),
      );
      if (focusedJob) body.querySelector<HTMLElement>(`tr[data-job="${CSS.escape(focusedJob)}"]`)?.focus();
    } catch (e) {
      if (mine === generation)
        body.replaceChildren(h('tr', null, h('td', { colSpan: 9, class: 'error-box' }, String(e))));
    }
    if (!stopped && mine === generation) timer = window.setTimeout(() => void load(), 3000);
  };
  const reload = () => {
    clearTimeout(timer);
    void load();
  };
  state.addEventListener('change', reload);
  accelerated.addEventListener('change', reload);
  user.addEventListener('input', reload);
  text.addEventListener('input', reload);
  container.replaceChildren(
    h('div', { class: 'content' }, h('div', { class: 'filters' }, state, accelerated, user, text), table),
  );
  void load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
