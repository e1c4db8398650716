import { api } from '../api/api-client.ts';
import { h, icon, ICONS } from '../dom.ts';
import type { ResultColumn } from '../results/result-pager.ts';
import { loadCatalog, sqlPath, type Catalog } from './catalog-data.ts';
import { confirmDialog, errorText, promptDialog } from './dialog.ts';
import { toast } from './toast.ts';

export interface CatalogActions {
  insert(text: string): void;
  preview(path: readonly string[]): void;
}

type NodeKind = 'section' | 'source' | 'table' | 'column' | 'space' | 'folder' | 'view';

interface Node {
  key: string;
  kind: NodeKind;
  label: string;
  icon: string;
  type?: string;
  /** A table's or view's path: what Insert and Preview use. */
  path?: readonly string[];
  /** A space's or folder's path: where New folder puts one. */
  container?: readonly string[];
  children?: () => Node[];
}

/** A space, folder or view name as the catalog takes it (namespace-store.ts checks it again). */
const NAME = /^[^.\s"/][^."/]*$/;

const urlPath = (path: readonly string[]) => path.map(encodeURIComponent).join('/');

/**
 * The catalog tree beside the editor: sources → tables → columns with their types, and spaces
 * → folders → views → columns. A click on a column inserts its name, on a table or view opens
 * it; each row's buttons insert, preview, refresh a source, make a space or folder, or remove a
 * folder or view. It is one tab stop (the WAI-ARIA tree pattern): arrows move between rows,
 * → opens and ← closes or goes to the parent, Enter or Space does the row's main action,
 * Delete removes a view or folder, and Tab goes on to the focused row's buttons.
 */
export class CatalogTree {
  readonly element: HTMLElement;
  private readonly tree: HTMLElement;
  private readonly emptySlot = h('div');
  private readonly filter: HTMLInputElement;
  private catalog: Catalog = { sources: [], spaces: [], views: [] };
  private readonly open = new Set<string>(['section:sources', 'section:spaces']);
  /** The row that is in the tab order (and had the focus last). */
  private active: string | null = null;

  constructor(private readonly actions: CatalogActions) {
    this.filter = h('input', {
      class: 'input',
      type: 'search',
      placeholder: 'Filter tables…',
      'aria-label': 'Filter the catalog',
      oninput: () => this.render(),
    });
    this.tree = h('div', { class: 'tree', role: 'tree', 'aria-label': 'Catalog' });
    this.element = h(
      'aside',
      { class: 'catalog', 'aria-label': 'Catalog' },
      h(
        'div',
        { class: 'catalog-head' },
        this.filter,
        h(
          'button',
          {
            class: 'btn small ghost',
            title: 'New space',
            'aria-label': 'New space',
            id: 'new-space',
            onclick: () => this.newSpace(),
          },
          icon(ICONS.plus),
        ),
        h(
          'button',
          {
            class: 'btn small ghost',
            title: 'Reload the catalog',
            'aria-label': 'Reload the catalog',
            onclick: () => void this.reload(),
          },
          icon(ICONS.refresh),
        ),
      ),
      h('div', { class: 'tree-scroll' }, this.tree, this.emptySlot),
    );
  }

  async reload(): Promise<void> {
    try {
      this.catalog = await loadCatalog();
      this.render();
    } catch (error) {
      this.emptySlot.replaceChildren(h('div', { class: 'empty' }, String(error)));
    }
  }

  private nodes(): Node[] {
    const columns = (key: string, cols: readonly ResultColumn[]): Node[] =>
      cols.map((c) => ({
        key: `${key}/${c.name}`,
        kind: 'column',
        label: c.name,
        icon: ICONS.column,
        type: c.type,
      }));
    const sources: Node[] = this.catalog.sources.map((s) => ({
      key: `source:${s.name}`,
      kind: 'source',
      label: s.name,
      icon: ICONS.database,
      type: s.type,
      children: () =>
        s.tables.map((t) => ({
          key: `table:${s.name}.${t.name}`,
          kind: 'table',
          label: t.name,
          icon: ICONS.table,
          path: [s.name, t.name],
          children: () => columns(`table:${s.name}.${t.name}`, t.columns),
        })),
    }));
    const folderNodes = (prefix: readonly string[]): Node[] => {
      const depth = prefix.length;
      const folders = new Set<string>();
      for (const space of this.catalog.spaces)
        for (const f of space.folders)
          if (f.length === depth + 1 && prefix.every((p, i) => f[i] === p)) folders.add(f[depth]);
      for (const v of this.catalog.views)
        if (v.path.length > depth + 1 && prefix.every((p, i) => v.path[i] === p)) folders.add(v.path[depth]);
      const views = this.catalog.views.filter(
        (v) => v.path.length === depth + 1 && prefix.every((p, i) => v.path[i] === p),
      );
      return [
        ...[...folders].sort().map((name): Node => ({
          key: `folder:${[...prefix, name].join('.')}`,
          kind: 'folder',
          label: name,
          icon: ICONS.folder,
          container: [...prefix, name],
          children: () => folderNodes([...prefix, name]),
        })),
        ...views.map((v): Node => ({
          key: `view:${v.path.join('.')}`,
          kind: 'view',
          label: v.path[depth],
          icon: ICONS.view,
          path: v.path,
          children: () => columns(`view:${v.path.join('.')}`, v.columns),
        })),
      ];
    };
    const spaces: Node[] = this.catalog.spaces.map((s) => ({
      key: `space:${s.name}`,
      kind: 'space',
      label: s.name,
      icon: ICONS.space,
      container: [s.name],
      children: () => folderNodes([s.name]),
    }));
    return [
      { key: 'section:sources', kind: 'section', label: 'Sources', icon: '', children: () => sources },
      { key: 'section:spaces', kind: 'section', label: 'Spaces', icon: '', children: () => spaces },
    ];
  }

  private render(): void {
    const hadFocus = this.tree.contains(document.activeElement);
    const filter = this.filter.value.trim().toLowerCase();
    const rows: HTMLElement[] = [];
    const walk = (nodes: Node[], level: number, parent: string | null) => {
      for (const node of nodes) {
        const section = node.kind === 'section';
        // A filter opens everything and keeps the tables, views and sources whose names match.
        if (filter && node.path && !node.label.toLowerCase().includes(filter)) continue;
        const isOpen = this.open.has(node.key) || (filter !== '' && (section || node.kind === 'source'));
        rows.push(this.row(node, level, isOpen, parent));
        if (node.children && isOpen) walk(node.children(), level + 1, node.key);
      }
    };
    walk(this.nodes(), 1, null);
    this.tree.replaceChildren(...rows);
    // Drawn anew under the keyboard (a row opened or closed): the focus stays on the active row.
    this.roving(this.active, hadFocus && this.active !== null);
    this.emptySlot.replaceChildren(
      this.catalog.sources.length === 0 && this.catalog.spaces.length === 0
        ? h(
            'div',
            { class: 'empty' },
            h('h3', null, 'No sources yet'),
            h('a', { href: '/sources' }, 'Add a source'),
          )
        : '',
    );
  }

  private rows(): HTMLElement[] {
    return [...this.tree.querySelectorAll<HTMLElement>('[role=treeitem]')];
  }

  /**
   * Makes the row of `key` (or the first row) the tree's one tab stop, with its buttons, and
   * focuses it when asked.
   */
  private roving(key: string | null, focus: boolean): void {
    const rows = this.rows();
    const target = rows.find((r) => r.dataset.key === key) ?? rows[0];
    for (const row of rows) {
      const on = row === target;
      row.tabIndex = on ? 0 : -1;
      for (const button of row.querySelectorAll('button')) button.tabIndex = on ? 0 : -1;
      row.classList.toggle('active', on);
    }
    if (!target) return;
    this.active = target.dataset.key ?? null;
    if (focus) target.focus();
  }

  /** The row in the tab order, made so again (for the focus to come back to after a dialog). */
  private activeRow(): HTMLElement | undefined {
    this.roving(this.active, false);
    return this.rows().find((r) => r.tabIndex === 0);
  }

  private toggle(node: Node): void {
    if (!node.children) return;
    if (this.open.has(node.key)) this.open.delete(node.key);
    else this.open.add(node.key);
    this.active = node.key;
    this.render();
    this.roving(node.key, true);
  }

  /** What Enter, Space and a click do: open or close a row with children, insert a column's name. */
  private activate(node: Node): void {
    if (node.children) this.toggle(node);
    else this.actions.insert(node.label);
  }

  private row(node: Node, level: number, isOpen: boolean, parent: string | null): HTMLElement {
    const name = node.path ? sqlPath(node.path) : node.label;
    const typeShown = node.type !== undefined && !node.path;
    const button = (label: string, path: string, run: () => void, data?: Record<string, string>) =>
      h(
        'button',
        {
          class: 'btn small ghost',
          title: label,
          'aria-label': label,
          tabindex: -1,
          ...(data ? { dataset: data } : {}),
          onclick: (e: Event) => (e.stopPropagation(), run()),
        },
        icon(path),
      );
    const buttons: HTMLElement[] = [];
    if (node.path) {
      buttons.push(button(`Insert ${name}`, ICONS.plus, () => this.actions.insert(name)));
      buttons.push(
        button(`Preview ${name}`, ICONS.play, () => this.actions.preview(node.path!), { preview: name }),
      );
    }
    if (node.kind === 'source')
      buttons.push(button(`Refresh ${node.label}`, ICONS.refresh, () => void this.refreshSource(node.label)));
    if (node.container)
      buttons.push(
        button(`New folder in ${node.container.join('.')}`, ICONS.folder, () => this.newFolder(node)),
      );
    if (node.kind === 'section' && node.key === 'section:spaces')
      buttons.push(button('New space', ICONS.plus, () => this.newSpace()));
    if (node.kind === 'view' || node.kind === 'folder' || node.kind === 'space')
      buttons.push(button(`Delete ${node.kind} ${name}`, ICONS.trash, () => this.remove(node)));
    return h(
      'div',
      {
        class: node.kind === 'section' ? 'tree-row section' : 'tree-row',
        role: 'treeitem',
        tabindex: -1,
        'aria-level': String(level),
        'aria-expanded': node.children ? String(isOpen) : undefined,
        style: `padding-left:${10 + Math.max(0, level - 2) * 14}px`,
        dataset: { key: node.key, ...(parent ? { parent } : {}) },
        title: node.type ? `${node.label} ${node.type}` : name,
        onfocus: (e: FocusEvent) => {
          if (e.target === e.currentTarget && this.active !== node.key) this.roving(node.key, false);
        },
        onclick: () => this.activate(node),
        onkeydown: (e: KeyboardEvent) => this.onKey(e, node, isOpen),
      },
      h('span', { class: 'caret', 'aria-hidden': 'true' }, node.children ? (isOpen ? '▾' : '▸') : ''),
      node.icon ? icon(node.icon) : null,
      h('span', { class: 'name' }, node.label),
      typeShown ? h('span', { class: 'type' }, node.type) : null,
      buttons.length > 0 ? h('span', { class: 'actions' }, ...buttons) : null,
    );
  }

  private onKey(e: KeyboardEvent, node: Node, isOpen: boolean): void {
    // The row's own keys; its buttons keep theirs (Enter and Space press them).
    if (e.target !== e.currentTarget) return;
    const rows = this.rows();
    const i = rows.indexOf(e.currentTarget as HTMLElement);
    const go = (row: HTMLElement | undefined) => row && this.roving(row.dataset.key ?? null, true);
    const parent = (e.currentTarget as HTMLElement).dataset.parent;
    switch (e.key) {
      case 'ArrowDown':
        go(rows[i + 1]);
        break;
      case 'ArrowUp':
        go(rows[i - 1]);
        break;
      case 'Home':
        go(rows[0]);
        break;
      case 'End':
        go(rows[rows.length - 1]);
        break;
      case 'ArrowRight':
        if (node.children && !isOpen) this.toggle(node);
        else if (node.children) go(rows[i + 1]);
        break;
      case 'ArrowLeft':
        if (node.children && isOpen) this.toggle(node);
        else if (parent) go(rows.find((r) => r.dataset.key === parent));
        break;
      case 'Enter':
      case ' ':
        this.activate(node);
        break;
      case 'Delete':
        if (node.kind === 'view' || node.kind === 'folder' || node.kind === 'space') this.remove(node);
        else return;
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private async refreshSource(name: string): Promise<void> {
    try {
      const answer = await api<{ changes: { added: string[]; removed: string[]; changed: unknown[] } }>(
        'POST',
        `/api/v1/sources/${encodeURIComponent(name)}/refresh`,
      );
      const c = answer.changes;
      toast(`${name}: ${c.added.length} added, ${c.removed.length} removed, ${c.changed.length} changed`);
      await this.reload();
    } catch (e) {
      toast(errorText(e));
    }
  }

  private newSpace(): void {
    promptDialog({
      title: 'New space',
      label: 'Name',
      fieldId: 'space-name',
      placeholder: 'analytics',
      hint: 'A space holds folders and views.',
      submitLabel: 'Create space',
      validate: (value) => (NAME.test(value) ? null : 'A name has no dots, quotes or slashes'),
      returnFocus: () => this.activeRow(),
      submit: async (value) => {
        await api('POST', '/api/v1/spaces', { name: value });
        this.open.add('section:spaces');
        this.active = `space:${value}`;
        await this.reload();
        toast(`Created the space ${value}`);
      },
    });
  }

  private newFolder(node: Node): void {
    const where = node.container!;
    promptDialog({
      title: `New folder in ${where.join('.')}`,
      label: 'Name',
      fieldId: 'folder-name',
      placeholder: 'marketing',
      submitLabel: 'Create folder',
      validate: (value) => (NAME.test(value) ? null : 'A name has no dots, quotes or slashes'),
      returnFocus: () => this.activeRow(),
      submit: async (value) => {
        await api('POST', '/api/v1/folders', { path: [...where, value] });
        this.open.add(node.key);
        this.active = `folder:${[...where, value].join('.')}`;
        await this.reload();
        toast(`Created the folder ${[...where, value].join('.')}`);
      },
    });
  }

  private remove(node: Node): void {
    const path = node.path ?? node.container!;
    const what = `${node.kind} ${path.join('.')}`;
    const url =
      node.kind === 'view'
        ? `/api/v1/views/${urlPath(path)}`
        : node.kind === 'folder'
          ? `/api/v1/folders/${urlPath(path)}`
          : `/api/v1/spaces/${encodeURIComponent(path[0])}`;
    confirmDialog(
      `Delete the ${what}?`,
      node.kind === 'view'
        ? 'Queries and views that read it stop working.'
        : `Only an empty ${node.kind} can be deleted.`,
      'Delete',
      async () => {
        await api('DELETE', url);
        this.active =
          this.tree.querySelector<HTMLElement>(`[data-key="${CSS.escape(node.key)}"]`)?.dataset.parent ??
          null;
        await this.reload();
        toast(`Deleted the ${what}`);
      },
      () => this.activeRow(),
    );
  }
}
