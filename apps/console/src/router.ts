export type Route =
  | { page: 'sql' }
  | { page: 'sources' }
  | { page: 'jobs' }
  | { page: 'job'; id: string }
  | { page: 'reflections' };

/** The console's pages by path (the coordinator answers each with index.html: console-pages.ts). */
export function routeOf(pathname: string): Route {
  const job = /^\/jobs\/([^/]+)$/.exec(pathname);
  if (job) return { page: 'job', id: decodeURIComponent(job[1]) };
  if (pathname === '/jobs') return { page: 'jobs' };
  if (pathname === '/sources') return { page: 'sources' };
  if (pathname === '/reflections') return { page: 'reflections' };
  return { page: 'sql' };
}

let listener: (route: Route) => void = () => {};

export function onNavigate(handler: (route: Route) => void): void {
  listener = handler;
  handler(routeOf(location.pathname));
}

export function navigate(path: string): void {
  if (path !== location.pathname + location.search) history.pushState(null, '', path);
  listener(routeOf(location.pathname));
}

window.addEventListener('popstate', () => listener(routeOf(location.pathname)));
// Links inside the console navigate without a reload.
document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a');
  if (
    !link ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey
  )
    return;
  const href = link.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('/api') || link.hasAttribute('download')) return;
  event.preventDefault();
  navigate(href);
});
