import { ApiError, api } from '../api/api-client.ts';
import { h } from '../dom.ts';

/** Asks for a path (space.folder.view) and creates a view of `sql` (POST /api/v1/views); errors stay in the dialog. */
export function saveViewDialog(sql: string, saved: () => void): void {
  const path = h('input', {
    class: 'input',
    id: 'view-path',
    placeholder: 'space.view_name',
    required: true,
  });
  const error = h('div', { class: 'field-error', role: 'alert' });
  const close = () => back.remove();
  const form = h(
    'form',
    {
      class: 'card form modal',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        error.textContent = '';
        const parts = path.value
          .split('.')
          .map((p) => p.trim())
          .filter((p) => p !== '');
        if (parts.length < 2) {
          error.textContent = 'A view lives in a space: give space.name (or space.folder.name)';
          return;
        }
        try {
          await api('POST', '/api/v1/views', { path: parts, sql });
          close();
          saved();
        } catch (e) {
          error.textContent = e instanceof ApiError ? `${e.body.code}: ${e.body.message}` : String(e);
        }
      },
      onkeydown: (e: KeyboardEvent) => e.key === 'Escape' && close(),
    },
    h('h2', null, 'Save as view'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'view-path' }, 'Path'),
      path,
      h('div', { class: 'hint' }, 'The space must exist; the view gets the query in the editor.'),
    ),
    h('pre', { class: 'sql card', style: 'max-height:120px' }, sql),
    error,
    h(
      'div',
      { style: 'display:flex;gap:8px;justify-content:flex-end' },
      h('button', { class: 'btn', type: 'button', onclick: close }, 'Cancel'),
      h('button', { class: 'btn primary', type: 'submit' }, 'Save view'),
    ),
  );
  const back = h('div', { class: 'modal-back', onclick: (e: Event) => e.target === back && close() }, form);
  document.body.append(back);
  path.focus();
}
