import { api } from '../api/api-client.ts';
import { h } from '../dom.ts';
import { openDialog } from './dialog.ts';

/** Asks for a path (space.folder.view) and creates a view of `sql` (POST /api/v1/views); errors stay in the dialog. */
export function saveViewDialog(sql: string, saved: () => void): void {
  const path = h('input', {
    class: 'input',
    id: 'view-path',
    placeholder: 'space.view_name',
    autocomplete: 'off',
    required: true,
  });
  openDialog({
    title: 'Save as view',
    body: [
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'view-path' }, 'Path'),
        path,
        h('div', { class: 'hint' }, 'The space must exist; the view gets the query in the editor.'),
      ),
      h('pre', { class: 'sql card', style: 'max-height:120px' }, sql),
    ],
    submitLabel: 'Save view',
    submit: async () => {
      const parts = path.value
        .split('.')
        .map((p) => p.trim())
        .filter((p) => p !== '');
      if (parts.length < 2)
        throw new Error('A view lives in a space: give space.name (or space.folder.name)');
      await api('POST', '/api/v1/views', { path: parts, sql });
      saved();
    },
  });
}
