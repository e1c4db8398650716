/** What h() accepts as a child: nodes, text, and nothing (null/false are skipped). */
export type Child = Node | string | number | null | undefined | false;

type Props = Record<string, unknown> & {
  class?: string;
  style?: string;
  dataset?: Record<string, string>;
};

/**
 * A small hyperscript: `h('button', { class: 'primary', onclick }, 'Run')`. `on…` props are
 * listeners, `class`, `style` and `dataset` set those, other props are properties when the
 * element has one of that name (value, checked, disabled) and attributes otherwise (aria-*).
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = String(value);
    else if (key === 'style') element.setAttribute('style', String(value));
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function')
      element.addEventListener(key.slice(2), value as EventListener);
    else if (key in element && !key.includes('-'))
      (element as unknown as Record<string, unknown>)[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An inline SVG icon from a path (24×24 viewBox, stroked). */
export function icon(path: string, label?: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', label ? 'false' : 'true');
  if (label) svg.setAttribute('aria-label', label);
  const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  p.setAttribute('d', path);
  svg.appendChild(p);
  return svg;
}

export const ICONS = {
  play: 'M7 5l12 7-12 7z',
  stop: 'M6 6h12v12H6z',
  database:
    'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zm0 0v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3',
  table: 'M3 5h18v14H3zM3 10h18M9 10v9',
  column: 'M8 4v16M16 4v16',
  folder: 'M3 6h6l2 2h10v11H3z',
  space: 'M12 3l9 5-9 5-9-5zM3 13l9 5 9-5',
  view: 'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zm10 3a3 3 0 100-6 3 3 0 000 6z',
  jobs: 'M4 6h16M4 12h16M4 18h10',
  editor: 'M4 5h16v14H4zM8 10l3 2-3 2M13 15h3',
  bolt: 'M13 3L5 14h6l-1 7 8-11h-6z',
  plus: 'M12 5v14M5 12h14',
  refresh: 'M20 12a8 8 0 11-2.3-5.7M20 4v5h-5',
  trash: 'M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13',
  download: 'M12 4v11m-5-5l5 5 5-5M5 20h14',
  copy: 'M8 8h11v12H8zM5 16V4h11',
  chart: 'M4 20V4M4 20h16M8 16v-5M12 16V8M16 16v-7',
  grid: 'M3 5h18v14H3zM3 10h18M3 15h18M9 5v14M15 5v14',
  close: 'M6 6l12 12M18 6L6 18',
  history: 'M12 7v5l3 3M4 12a8 8 0 108-8 8 8 0 00-6 2.7L4 9M4 4v5h5',
  search: 'M11 18a7 7 0 110-14 7 7 0 010 14zm5-2l5 5',
  edit: 'M4 20h4L19 9l-4-4L4 16zM14 6l4 4',
  save: 'M5 4h11l3 3v13H5zM8 4v5h8M8 20v-6h8v6',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
} as const;
