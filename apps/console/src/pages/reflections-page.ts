import { h, icon, ICONS } from '../dom.ts';

/** Reflections do not exist in the service yet: the page says so, and is where their list will go. */
export function reflectionsPage(container: HTMLElement): () => void {
  container.replaceChildren(
    h(
      'div',
      { class: 'content' },
      h(
        'div',
        { class: 'card empty', style: 'padding:56px' },
        icon(ICONS.bolt),
        h('h3', null, 'No reflections yet'),
        h(
          'p',
          null,
          'Reflections (materialized aggregations and raw copies that queries are rewritten to use) are not built by this version of Tributary. ',
          "When they are, each one's status, size and freshness show here, with refresh now and enable/disable.",
        ),
      ),
    ),
  );
  return () => {};
}
