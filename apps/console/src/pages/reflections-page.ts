import { ApiError, api } from '../api/api-client.ts';
import { h, icon, ICONS } from '../dom.ts';
import { loadCatalog, sqlPath, type Catalog } from './catalog-data.ts';
import { confirmDialog, errorText } from './dialog.ts';
import { formatAgo, formatBytes, formatCount, formatMs } from './format.ts';
import { toast } from './toast.ts';

/** A reflection as GET /api/v1/reflections shows it (routes/reflection-routes.ts). */
export interface Reflection {
  id: string;
  name: string;
  dataset: string[];
  type: 'RAW' | 'AGGREGATION';
  enabled: boolean;
  status: string;
  definition: string;
  tag: string;
  failureCount: number;
  lastError: string | null;
  refreshIntervalMs: number | null;
  buildingJobId?: string;
  materialization: {
    id: string;
    rows: number;
    bytes: number;
    builtAt: string;
    refreshMs: number;
    incremental: boolean;
  } | null;
}

/** While the page shows, the list is read again this often while a build runs (statuses change)… */
const POLL_BUSY_MS = 1500;
/** …and this often otherwise (a refresh on a timer, or one asked for elsewhere). */
const POLL_IDLE_MS = 5000;

type Role = '' | 'display' | 'dimension' | 'measure';

/**
 * Reflections: each one's status, size (rows, bytes) and freshness (when its serving copy was
 * built, how long that took), with refresh now, enable/disable and delete; and a form that
 * creates one on a table or view, its columns picked by role (POST /api/v1/reflections; the
 * API's errors shown next to the field they are about).
 */
export function reflectionsPage(container: HTMLElement): () => void {
  let stopped = false;
  let timer = 0;
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'list', id: 'reflections-table', style: 'table-layout:fixed' },
    h(
      'colgroup',
      null,
      ...['', '116px', '64px', '136px', '92px', '116px', '128px'].map((width) =>
        h('col', width ? { style: `width:${width}` } : null),
      ),
    ),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ...['Reflection', 'Dataset', 'Type', 'Status', 'Size', 'Freshness', ''].map((t) => h('th', null, t)),
      ),
    ),
    body,
  );
  const listSlot = h('div', null, table);

  const act = async (what: () => Promise<unknown>, done?: string) => {
    try {
      await what();
      if (done) toast(done);
    } catch (e) {
      toast(errorText(e));
    }
    reload();
  };

  const row = (r: Reflection) => {
    const m = r.materialization;
    const status = h('span', { class: `badge ${r.status}`, dataset: { status: r.status } }, r.status);
    return h(
      'tr',
      { dataset: { reflection: r.name } },
      h(
        'td',
        null,
        h('strong', null, r.name),
        h('div', { class: 'muted mono small-text', title: r.definition }, r.definition),
      ),
      h('td', { class: 'mono' }, sqlPath(r.dataset)),
      h('td', null, h('span', { class: 'badge' }, r.type === 'AGGREGATION' ? 'AGG' : 'RAW')),
      h(
        'td',
        null,
        status,
        r.lastError
          ? h('div', { class: 'field-error small-text', title: r.lastError }, r.lastError)
          : r.buildingJobId
            ? h('div', null, h('a', { href: `/jobs/${r.buildingJobId}`, class: 'small-text' }, 'building…'))
            : null,
      ),
      h(
        'td',
        { class: 'num' },
        m
          ? h('div', null, `${formatCount(m.rows)} rows`, h('div', { class: 'muted' }, formatBytes(m.bytes)))
          : '—',
      ),
      h(
        'td',
        null,
        m
          ? h(
              'div',
              { title: new Date(m.builtAt).toLocaleString() },
              `built ${formatAgo(m.builtAt)}`,
              h(
                'div',
                { class: 'muted' },
                `in ${formatMs(m.refreshMs)}${m.incremental ? ', incremental' : ''}`,
              ),
            )
          : h('span', { class: 'muted' }, 'not built yet'),
      ),
      h(
        'td',
        { class: 'row-actions' },
        h(
          'button',
          {
            class: 'btn small',
            role: 'switch',
            'aria-checked': String(r.enabled),
            'aria-label': `${r.name} enabled`,
            title: r.enabled ? 'Disable: queries stop using it' : 'Enable: it is built and used again',
            onclick: () =>
              void act(
                () =>
                  api('PUT', `/api/v1/reflections/${encodeURIComponent(r.id)}`, {
                    tag: r.tag,
                    enabled: !r.enabled,
                  }),
                `${r.enabled ? 'Disabled' : 'Enabled'} ${r.name}`,
              ),
          },
          r.enabled ? 'On' : 'Off',
        ),
        h(
          'button',
          {
            class: 'btn small',
            title: r.enabled ? 'Build it again now' : 'Enable it first',
            'aria-label': `Refresh ${r.name} now`,
            disabled: !r.enabled,
            onclick: () =>
              void act(
                () => api('POST', `/api/v1/reflections/${encodeURIComponent(r.id)}/refresh`),
                `Refreshing ${r.name}`,
              ),
          },
          icon(ICONS.refresh),
        ),
        h(
          'button',
          {
            class: 'btn small danger',
            title: 'Delete',
            'aria-label': `Delete ${r.name}`,
            onclick: () =>
              confirmDialog(
                `Delete the reflection ${r.name}?`,
                'Its materialization goes; queries on its dataset run without it.',
                'Delete',
                async () => {
                  await api(
                    'DELETE',
                    `/api/v1/reflections/${encodeURIComponent(r.id)}?tag=${encodeURIComponent(r.tag)}`,
                  );
                  toast(`Deleted ${r.name}`);
                  reload();
                },
                () => form.querySelector<HTMLElement>('input'),
              ),
          },
          icon(ICONS.trash),
        ),
      ),
    );
  };

  /** The latest load: an older one that answers late neither draws nor schedules another (one polling chain). */
  let generation = 0;
  const load = async () => {
    const mine = ++generation;
    let busy = false;
    try {
      const { reflections } = await api<{ reflections: Reflection[] }>('GET', '/api/v1/reflections');
      if (stopped || mine !== generation) return;
      busy = reflections.some((r) => r.status === 'REFRESHING' || r.buildingJobId !== undefined);
      // Drawn anew every poll: the button the keyboard is on keeps the focus.
      const focused = document.activeElement as HTMLElement | null;
      const focusedRow = focused?.closest<HTMLElement>('tr[data-reflection]')?.dataset.reflection;
      const focusedLabel = focused?.getAttribute('aria-label');
      body.replaceChildren(
        ...(reflections.length === 0
          ? [
              h(
                'tr',
                null,
                h(
                  'td',
                  { colSpan: 7, class: 'empty' },
                  'No reflections yet: create one with the form, or with ALTER TABLE … CREATE RAW|AGGREGATE REFLECTION in SQL.',
                ),
              ),
            ]
          : reflections.map(row)),
      );
      if (focusedRow && focusedLabel)
        body
          .querySelector<HTMLElement>(
            `tr[data-reflection="${CSS.escape(focusedRow)}"] [aria-label="${CSS.escape(focusedLabel)}"]`,
          )
          ?.focus();
    } catch (e) {
      if (mine === generation)
        body.replaceChildren(h('tr', null, h('td', { colSpan: 7, class: 'error-box' }, errorText(e))));
    }
    if (!stopped && mine === generation)
      timer = window.setTimeout(() => void load(), busy ? POLL_BUSY_MS : POLL_IDLE_MS);
  };
  const reload = () => {
    clearTimeout(timer);
    void load();
  };

  const form = createForm(reload);
  container.replaceChildren(
    h('div', { class: 'content' }, h('div', { class: 'two-col narrow-form' }, listSlot, form)),
  );
  void load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** The form that creates a reflection: a dataset from the catalog, a name, a type, and each column's role. */
function createForm(created: () => void): HTMLElement {
  let catalog: Catalog = { sources: [], spaces: [], views: [] };
  const datasets = () => [
    ...catalog.sources.flatMap((s) => s.tables.map((t) => ({ path: [s.name, t.name], columns: t.columns }))),
    ...catalog.views.map((v) => ({ path: v.path, columns: v.columns })),
  ];
  const name = h('input', {
    class: 'input',
    id: 'reflection-name',
    placeholder: 'orders_by_day',
    autocomplete: 'off',
    'aria-describedby': 'reflection-name-error',
  });
  const dataset = h('select', {
    class: 'input',
    id: 'reflection-dataset',
    'aria-describedby': 'reflection-dataset-error',
  });
  const type = h(
    'select',
    { class: 'input', id: 'reflection-type' },
    h('option', { value: 'RAW' }, 'Raw: a copy of some columns'),
    h('option', { value: 'AGGREGATION' }, 'Aggregation: grouped by dimensions, with measures'),
  );
  const columns = h('div', {
    class: 'reflection-columns',
    id: 'reflection-columns',
    role: 'group',
    'aria-labelledby': 'reflection-columns-label',
    'aria-describedby': 'reflection-columns-error',
  });
  const errors = {
    name: h('div', { class: 'field-error', id: 'reflection-name-error' }),
    dataset: h('div', { class: 'field-error', id: 'reflection-dataset-error' }),
    columns: h('div', { class: 'field-error', id: 'reflection-columns-error' }),
  };
  const general = h('div', { class: 'field-error', role: 'alert' });

  const roles = (): Role[] => (type.value === 'RAW' ? ['', 'display'] : ['', 'dimension', 'measure']);
  const renderColumns = () => {
    const chosen = datasets().find((d) => d.path.join('.') === dataset.value);
    columns.replaceChildren(
      ...(chosen?.columns ?? []).map((c, i) =>
        h(
          'div',
          { class: 'reflection-column' },
          h(
            'label',
            { for: `reflection-col-${i}`, class: 'mono' },
            c.name,
            h('span', { class: 'muted' }, ` ${c.type}`),
          ),
          h(
            'select',
            { class: 'input', id: `reflection-col-${i}`, dataset: { column: c.name } },
            ...roles().map((role) => h('option', { value: role }, role === '' ? '—' : role)),
          ),
        ),
      ),
    );
  };
  dataset.addEventListener('change', renderColumns);
  type.addEventListener('change', renderColumns);
  void loadCatalog().then((loaded) => {
    catalog = loaded;
    dataset.replaceChildren(
      ...datasets().map((d) => h('option', { value: d.path.join('.') }, sqlPath(d.path))),
    );
    renderColumns();
  });

  const submit = h(
    'button',
    { class: 'btn primary', type: 'submit', id: 'reflection-save' },
    'Create reflection',
  );
  const show = (field: keyof typeof errors | null, message: string) => {
    if (!field) {
      general.textContent = message;
      return;
    }
    errors[field].textContent = message;
    const input = field === 'columns' ? columns : field === 'name' ? name : dataset;
    input.setAttribute('aria-invalid', 'true');
  };
  const form = h(
    'form',
    {
      class: 'card form',
      id: 'reflection-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        for (const e of Object.values(errors)) e.textContent = '';
        general.textContent = '';
        for (const input of [name, dataset, columns]) input.removeAttribute('aria-invalid');
        const picked = [...columns.querySelectorAll<HTMLSelectElement>('select')].map((s) => ({
          column: s.dataset.column!,
          role: s.value as Role,
        }));
        const of = (role: Role) => picked.filter((p) => p.role === role).map((p) => p.column);
        if (name.value.trim() === '') return show('name', 'A name is needed');
        if (!dataset.value) return show('dataset', 'Pick a table or view');
        const raw = type.value === 'RAW';
        if (raw ? of('display').length === 0 : of('dimension').length + of('measure').length === 0)
          return show('columns', raw ? 'Keep at least one column' : 'Pick dimensions or measures');
        const path = datasets().find((d) => d.path.join('.') === dataset.value)!.path;
        submit.disabled = true;
        try {
          await api('POST', '/api/v1/reflections', {
            name: name.value.trim(),
            dataset: path,
            type: type.value,
            ...(raw
              ? { displayColumns: of('display') }
              : {
                  dimensions: of('dimension').map((column) => ({ column })),
                  measures: of('measure').map((column) => ({ column })),
                }),
          });
          toast(`Created ${name.value.trim()}: it is being built`);
          name.value = '';
          renderColumns();
          created();
        } catch (e) {
          if (!(e instanceof ApiError)) show(null, String(e));
          else {
            const { code, field, message } = e.body;
            const where = /NAME|EXISTS/.test(code)
              ? 'name'
              : /DATASET|NOT_FOUND|TABLE|VIEW/.test(code)
                ? 'dataset'
                : field || /COLUMN|REFLECTION/.test(code)
                  ? 'columns'
                  : null;
            show(where, `${code}: ${message}`);
          }
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h2', null, 'New reflection'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'reflection-dataset' }, 'Dataset'),
      dataset,
      errors.dataset,
    ),
    h('div', { class: 'field' }, h('label', { for: 'reflection-name' }, 'Name'), name, errors.name),
    h('div', { class: 'field' }, h('label', { for: 'reflection-type' }, 'Type'), type),
    h(
      'div',
      { class: 'field' },
      h('span', { class: 'label', id: 'reflection-columns-label' }, 'Columns'),
      h(
        'div',
        { class: 'hint' },
        'Raw keeps the columns marked display; an aggregation groups by its dimensions and sums, counts, takes min and max of its measures.',
      ),
      columns,
      errors.columns,
    ),
    general,
    h('div', null, submit),
  );
  return form;
}
