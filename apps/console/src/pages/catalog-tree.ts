import { h, icon, ICONS } from '../dom.ts';
import type { ResultColumn } from '../results/result-pager.ts';
import { loadCatalog, sqlPath, type Catalog } from './catalog-data.ts';

export interface CatalogActions {
  insert(text: string): void;
  preview(path: readonly string[]): void;
}

interface Node {
  key: string;
  label: string;
  icon: string;
  type?: string;
  path?: readonly string[];
  children?: () => Node[];
}

/**
 * The catalog tree beside the editor: sources → tables → columns with their types, and spaces
 * → folders → views → columns. A click on a column or a table's name button inserts it; the
 * preview button runs `SELECT * … LIMIT 100` in a new tab. Keyboard: rows are focusable,
 * Enter or → opens, ← closes.
 */
export class CatalogTree {
  readonly element: HTMLElement;
  private readonly tree: HTMLElement;
  private readonly filter: HTMLInputElement;
  private catalog: Catalog = { sources: [], spaces: [], views: [] };
  private readonly open = new Set<string>(['section:sources', 'section:spaces']);

  constructor(private readonly actions: CatalogActions) {
    this.filter = h('input', {
      class: 'input',
      placeholder: 'Filter tables…',
      'aria-label': 'Filter the catalog',
      oninput: () => this.render(),
    });
    this.tree = h('div', { class: 'tree', role: 'tree', 'aria-label': 'Catalog' });
    this.element = h(
      'aside',
      { class: 'catalog' },
      h(
        'div',
        { class: 'catalog-head' },
        this.filter,
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
      this.tree,
    );
  }

  async reload(): Promise<void> {
    try {
      this.catalog = await loadCatalog();
      this.render();
    } catch (error) {
      this.tree.replaceChildren(h('div', { class: 'empty' }, String(error)));
    }
  }

  private nodes(): Node[] {
    const columns = (key: string, cols: readonly ResultColumn[]): Node[] =>
      cols.map((c) => ({ key: `${key}/${c.name}`, label: c.name, icon: ICONS.column, type: c.type }));
    const sources: Node[] = this.catalog.sources.map((s) => ({
      key: `source:${s.name}`,
      label: s.name,
      icon: ICONS.database,
      type: s.type,
      children: () =>
        s.tables.map((t) => ({
          key: `table:${s.name}.${t.name}`,
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
        ...[...folders].sort().map((name) => ({
          key: `folder:${[...prefix, name].join('.')}`,
          label: name,
          icon: ICONS.folder,
          children: () => folderNodes([...prefix, name]),
        })),
        ...views.map((v) => ({
          key: `view:${v.path.join('.')}`,
          label: v.path[depth],
          icon: ICONS.view,
          path: v.path,
          children: () => columns(`view:${v.path.join('.')}`, v.columns),
        })),
      ];
    };
    const spaces: Node[] = this.catalog.spaces.map((s) => ({
      key: `space:${s.name}`,
      label: s.name,
      icon: ICONS.space,
      children: () => folderNodes([s.name]),
    }));
    return [
      { key: 'section:sources', label: 'Sources', icon: '', children: () => sources },
      { key: 'section:spaces', label: 'Spaces', icon: '', children: () => spaces },
    ];
  }

  private render(): void {
    const filter = this.filter.value.trim().toLowerCase();
    const rows: HTMLElement[] = [];
    const walk = (nodes: Node[], depth: number) => {
      for (const node of nodes) {
        const section = node.key.startsWith('section:');
        // A filter opens everything and keeps the tables, views and sources whose names match.
        if (
          filter &&
          !section &&
          node.path &&
          !node.label.toLowerCase().includes(filter) &&
          !node.key.startsWith('source:')
        )
          continue;
        const isOpen =
          section || this.open.has(node.key) || (filter !== '' && node.key.startsWith('source:'));
        rows.push(this.row(node, depth, isOpen, section));
        if (node.children && isOpen) walk(node.children(), section ? depth : depth + 1);
      }
    };
    walk(this.nodes(), 0);
    if (this.catalog.sources.length === 0 && this.catalog.spaces.length === 0)
      rows.push(
        h(
          'div',
          { class: 'empty' },
          h('h3', null, 'No sources yet'),
          h('a', { href: '/sources' }, 'Add a source'),
        ),
      );
    this.tree.replaceChildren(...rows);
  }

  private row(node: Node, depth: number, isOpen: boolean, section: boolean): HTMLElement {
    if (section) return h('div', { class: 'tree-row section', style: 'padding-left:10px' }, node.label);
    const toggle = () => {
      if (!node.children) return;
      if (this.open.has(node.key)) this.open.delete(node.key);
      else this.open.add(node.key);
      this.render();
      (this.tree.querySelector(`[data-key="${CSS.escape(node.key)}"]`) as HTMLElement | null)?.focus();
    };
    const name = node.path ? sqlPath(node.path) : node.label;
    const actions = node.path
      ? h(
          'span',
          { class: 'actions' },
          h(
            'button',
            {
              class: 'btn small ghost',
              title: `Insert ${name}`,
              'aria-label': `Insert ${name}`,
              onclick: (e: Event) => (e.stopPropagation(), this.actions.insert(name)),
            },
            icon(ICONS.plus),
          ),
          h(
            'button',
            {
              class: 'btn small ghost',
              title: 'Preview the first rows',
              'aria-label': `Preview ${name}`,
              dataset: { preview: name },
              onclick: (e: Event) => (e.stopPropagation(), this.actions.preview(node.path!)),
            },
            icon(ICONS.play),
          ),
        )
      : null;
    return h(
      'div',
      {
        class: 'tree-row',
        role: 'treeitem',
        tabindex: 0,
        'aria-expanded': node.children ? String(isOpen) : undefined,
        style: `padding-left:${10 + depth * 14}px`,
        dataset: { key: node.key },
        title: node.type ? `${node.label} ${node.type}` : name,
        onclick: () => (node.children ? toggle() : this.actions.insert(node.label)),
        onkeydown: (e: KeyboardEvent) => {
          if (e.key === 'Enter' || (e.key === 'ArrowRight' && !isOpen) || (e.key === 'ArrowLeft' && isOpen)) {
            e.preventDefault();
            if (node.children) toggle();
            else this.actions.insert(node.label);
          } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const rows = [...this.tree.querySelectorAll<HTMLElement>('.tree-row[tabindex]')];
            const i = rows.indexOf(e.currentTarget as HTMLElement);
            rows[e.key === 'ArrowDown' ? i + 1 : i - 1]?.focus();
          }
        },
      },
      h('span', { class: 'caret' }, node.children ? (isOpen ? '▾' : '▸') : ''),
      node.icon ? icon(node.icon) : null,
      h('span', { class: 'name' }, node.label),
      node.type && !node.path ? h('span', { class: 'type' }, node.type) : null,
      actions,
    );
  }
}
