import { ApiError, api } from '../api/api-client.ts';
import { h, icon, ICONS } from '../dom.ts';
import { session } from '../session.ts';
import type { Source } from './catalog-data.ts';
import type { SqlWorkspace } from './sql-workspace.ts';
import { confirmDialog } from './dialog.ts';
import { toast } from './toast.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

/** Which form field an error body is about: its `field`, else by its code. */
function fieldOf(code: string, field?: string): 'name' | 'type' | 'path' | 'options' | null {
  const f = (field ?? '').toLowerCase();
  if (f === 'name' || f === 'type' || f === 'path' || f === 'options') return f;
  if (/NAME|SOURCE_EXISTS|ALREADY/.test(code)) return 'name';
  if (/TYPE/.test(code)) return 'type';
  if (/PATH|NOT_FOUND|ROOT|FILE/.test(code)) return 'path';
  if (/OPTION/.test(code)) return 'options';
  return null;
}

/**
 * Sources: the list with their tables, and a form to add or edit one (checked here first,
 * then by the service, whose errors are shown next to the field they are about); refresh
 * and delete per source.
 */
export function sourcesPage(container: HTMLElement, workspace: SqlWorkspace): () => void {
  let editing: Source | null = null;
  const list = h('div');
  const formSlot = h('div');

  const reload = async () => {
    try {
      const { sources } = await api<{ sources: Source[] }>('GET', '/api/v1/sources');
      renderList(sources);
    } catch (e) {
      list.replaceChildren(h('div', { class: 'error-box' }, String(e)));
    }
  };

  const renderList = (sources: Source[]) => {
    if (sources.length === 0) {
      list.replaceChildren(
        h(
          'div',
          { class: 'card empty' },
          h('h3', null, 'No sources yet'),
          'Add a CSV, Parquet or SQLite source with the form.',
        ),
      );
      return;
    }
    list.replaceChildren(
      h(
        'table',
        { class: 'list', id: 'sources-table', style: 'table-layout:fixed' },
        h(
          'colgroup',
          null,
          ...['18%', '11%', '12%', '', '19%', '128px'].map((width) =>
            h('col', width ? { style: `width:${width}` } : null),
          ),
        ),
        h(
          'thead',
          null,
          h('tr', null, ...['Name', 'Type', 'Tables', 'Path', 'Refreshed', ''].map((t) => h('th', null, t))),
        ),
        h(
          'tbody',
          null,
          ...sources.map((s) =>
            h(
              'tr',
              { dataset: { source: s.name } },
              h('td', null, h('strong', null, s.name)),
              h('td', null, h('span', { class: 'badge' }, s.type)),
              h(
                'td',
                { class: 'muted tables', title: s.tables.map((t) => t.name).join(', ') },
                `${s.tables.length} table${s.tables.length === 1 ? '' : 's'}`,
              ),
              h('td', { class: 'mono muted path', title: s.path ?? '' }, s.path ?? '—'),
              h('td', { class: 'muted' }, new Date(s.refreshedAt).toLocaleString()),
              h(
                'td',
                { style: 'white-space:nowrap;text-align:right' },
                h(
                  'button',
                  {
                    class: 'btn small',
                    title: 'Edit',
                    'aria-label': `Edit ${s.name}`,
                    onclick: () => {
                      editing = s;
                      renderForm();
                      // The form is beside the list (or under it on a narrow screen): the focus goes there.
                      formSlot.querySelector<HTMLElement>('#source-path')?.focus();
                    },
                  },
                  icon(ICONS.edit),
                ),
                ' ',
                h(
                  'button',
                  {
                    class: 'btn small',
                    title: 'Read its files again',
                    'aria-label': `Refresh ${s.name}`,
                    onclick: async () => {
                      try {
                        const answer = await api<{
                          changes: { added: string[]; removed: string[]; changed: unknown[] };
                        }>('POST', `/api/v1/sources/${encodeURIComponent(s.name)}/refresh`);
                        const c = answer.changes;
                        toast(
                          `${s.name}: ${c.added.length} added, ${c.removed.length} removed, ${c.changed.length} changed`,
                        );
                        workspace.reloadCatalog();
                        await reload();
                      } catch (e) {
                        toast(e instanceof ApiError ? e.body.message : String(e));
                      }
                    },
                  },
                  icon(ICONS.refresh),
                ),
                ' ',
                h(
                  'button',
                  {
                    class: 'btn small danger',
                    title: 'Remove',
                    'aria-label': `Remove ${s.name}`,
                    onclick: () =>
                      confirmDialog(
                        `Remove ${s.name}?`,
                        `The source ${s.name} and the grants on it go; its files stay where they are. Views that read it stop working.`,
                        'Remove',
                        async () => {
                          await api('DELETE', `/api/v1/sources/${encodeURIComponent(s.name)}`);
                          if (editing?.name === s.name) {
                            editing = null;
                            renderForm();
                          }
                          toast(`Removed ${s.name}`);
                          workspace.reloadCatalog();
                          await reload();
                        },
                      ),
                  },
                  icon(ICONS.trash),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  };

  const renderForm = () => {
    const source = editing;
    const name = h('input', {
      class: 'input',
      id: 'source-name',
      'aria-describedby': 'source-name-error',
      value: source?.name ?? '',
      disabled: source !== null,
      placeholder: 'sales',
    });
    const type = h(
      'select',
      { class: 'input', id: 'source-type', 'aria-describedby': 'source-type-error' },
      ...['parquet', 'csv', 'sqlite'].map((t) => h('option', { value: t, selected: source?.type === t }, t)),
    );
    const path = h('input', {
      class: 'input',
      id: 'source-path',
      'aria-describedby': 'source-path-error',
      value: source?.path ?? '',
      placeholder: '/data/sales (a file or folder)',
    });
    const options = h('textarea', {
      class: 'input',
      id: 'source-options',
      'aria-describedby': 'source-options-error',
      rows: 3,
      value: source && Object.keys(source.options).length > 0 ? JSON.stringify(source.options, null, 2) : '',
      placeholder: '{ "delimiter": ";" }',
    });
    const errors = {
      name: h('div', { class: 'field-error', id: 'source-name-error' }),
      type: h('div', { class: 'field-error', id: 'source-type-error' }),
      path: h('div', { class: 'field-error', id: 'source-path-error' }),
      options: h('div', { class: 'field-error', id: 'source-options-error' }),
    };
    const inputs = { name, type, path, options };
    const general = h('div', { class: 'field-error', role: 'alert' });
    const show = (field: keyof typeof errors | null, message: string) => {
      if (field) {
        errors[field].textContent = message;
        inputs[field].classList.add('invalid');
        inputs[field].setAttribute('aria-invalid', 'true');
      } else general.textContent = message;
    };
    const submit = h(
      'button',
      { class: 'btn primary', type: 'submit', id: 'source-save' },
      source ? 'Save changes' : 'Add source',
    );
    const form = h(
      'form',
      {
        class: 'card form',
        id: 'source-form',
        novalidate: true,
        onsubmit: async (event: Event) => {
          event.preventDefault();
          for (const [k, e] of Object.entries(errors)) {
            e.textContent = '';
            inputs[k as keyof typeof inputs].classList.remove('invalid');
            inputs[k as keyof typeof inputs].removeAttribute('aria-invalid');
          }
          general.textContent = '';
          let parsedOptions: Record<string, unknown> | undefined;
          let ok = true;
          if (!source && !NAME.test(name.value)) {
            show('name', 'Starts with a letter or _, then letters, digits, _ and - (at most 128)');
            ok = false;
          }
          if (path.value.trim() === '' && !source) {
            show('path', 'A file or folder is needed');
            ok = false;
          }
          if (options.value.trim() !== '') {
            try {
              const parsed: unknown = JSON.parse(options.value);
              if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
                throw new Error('not an object');
              parsedOptions = parsed as Record<string, unknown>;
            } catch {
              show('options', 'Options are a JSON object, e.g. { "delimiter": ";" }');
              ok = false;
            }
          }
          if (!ok) return;
          submit.disabled = true;
          try {
            if (source)
              await api('PUT', `/api/v1/sources/${encodeURIComponent(source.name)}`, {
                type: type.value,
                ...(path.value.trim() ? { path: path.value.trim() } : {}),
                ...(parsedOptions ? { options: parsedOptions } : {}),
              });
            else
              await api('POST', '/api/v1/sources', {
                name: name.value,
                type: type.value,
                path: path.value.trim(),
                ...(parsedOptions ? { options: parsedOptions } : {}),
              });
            toast(source ? `Saved ${source.name}` : `Added ${name.value}`);
            editing = null;
            renderForm();
            workspace.reloadCatalog();
            await reload();
          } catch (e) {
            if (e instanceof ApiError) show(fieldOf(e.body.code, e.body.field), `${e.body.message}`);
            else show(null, String(e));
          } finally {
            submit.disabled = false;
          }
        },
      },
      h('h2', null, source ? `Edit ${source.name}` : 'Add a source'),
      h('div', { class: 'field' }, h('label', { for: 'source-name' }, 'Name'), name, errors.name),
      h('div', { class: 'field' }, h('label', { for: 'source-type' }, 'Type'), type, errors.type),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'source-path' }, 'Path'),
        path,
        h('div', { class: 'hint' }, 'Inside the allowed roots (sourceRoots) of the coordinator'),
        errors.path,
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'source-options' }, 'Options (JSON)'),
        options,
        errors.options,
      ),
      general,
      h(
        'div',
        { style: 'display:flex;gap:8px' },
        submit,
        source
          ? h(
              'button',
              { class: 'btn', type: 'button', onclick: () => ((editing = null), renderForm()) },
              'Cancel',
            )
          : null,
      ),
    );
    formSlot.replaceChildren(
      session.admin ? form : h('div', { class: 'card empty' }, 'Only admins add sources.'),
    );
  };

  container.replaceChildren(h('div', { class: 'content' }, h('div', { class: 'two-col' }, list, formSlot)));
  renderForm();
  void reload();
  return () => {};
}
