import { h } from '../dom.ts';

/** A short message in the corner. */
export function toast(message: string): void {
  const element = h('div', { class: 'toast', role: 'status' }, message);
  document.body.append(element);
  setTimeout(() => element.remove(), 2500);
}
