import './styles.css';
import { ApiError, api, setToken, setUnauthorizedHandler, token } from './api/api-client.ts';
import { h, icon, ICONS } from './dom.ts';
import { showLogin } from './pages/login-page.ts';
import { jobPage } from './pages/job-page.ts';
import { jobsPage } from './pages/jobs-page.ts';
import { reflectionsPage } from './pages/reflections-page.ts';
import { sourcesPage } from './pages/sources-page.ts';
import { SqlWorkspace } from './pages/sql-workspace.ts';
import { onNavigate, type Route } from './router.ts';
import { session } from './session.ts';

const root = document.getElementById('app')!;

interface Me {
  name: string;
  role: string;
}

/** Whether the service asks for sign-in: the coordinator says so in the page (console-pages.ts). */
const authOn = document.querySelector('meta[name="tributary-auth"]')?.getAttribute('content') !== 'off';

/** Who is signed in: a user (auth on), or nobody with auth off (the local operator, an admin). */
async function whoAmI(): Promise<'signed-in' | 'auth-off' | 'sign-in'> {
  if (!authOn) {
    session.user = null;
    session.admin = true;
    return 'auth-off';
  }
  if (!token()) return 'sign-in';
  try {
    const me = await api<Me>('GET', '/api/v1/users/me');
    session.user = me.name;
    session.admin = me.role === 'admin';
    return 'signed-in';
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setToken(null);
      return 'sign-in';
    }
    throw error;
  }
}

const NAV: { path: string; label: string; icon: string; match: (r: Route) => boolean }[] = [
  { path: '/', label: 'SQL', icon: ICONS.editor, match: (r) => r.page === 'sql' },
  { path: '/sources', label: 'Sources', icon: ICONS.database, match: (r) => r.page === 'sources' },
  { path: '/jobs', label: 'Jobs', icon: ICONS.jobs, match: (r) => r.page === 'jobs' || r.page === 'job' },
  { path: '/reflections', label: 'Reflections', icon: ICONS.bolt, match: (r) => r.page === 'reflections' },
];

const TITLES: Record<Route['page'], string> = {
  sql: 'SQL',
  sources: 'Sources',
  jobs: 'Jobs',
  job: 'Job',
  reflections: 'Reflections',
};

function shell(): void {
  const links = NAV.map((n) =>
    h('a', { href: n.path, 'aria-label': n.label, dataset: { nav: n.path } }, icon(n.icon), n.label),
  );
  const title = h('h1');
  const page = h('div', { class: 'page' });
  const main = h('main', { class: 'main', id: 'main', tabindex: -1 });
  // The first Tab stop: past the navigation, to the page.
  const skip = h(
    'a',
    {
      class: 'skip-link',
      href: '#main',
      onclick: (e: Event) => {
        e.preventDefault();
        const first = page.querySelector<HTMLElement>(
          'input, select, textarea, button:not(:disabled), [tabindex="0"], a[href], .cm-content',
        );
        (first ?? main).focus();
      },
    },
    'Skip to content',
  );
  const signOut = session.user
    ? h(
        'button',
        {
          class: 'btn ghost small',
          title: 'Sign out',
          onclick: async () => {
            await api('DELETE', '/apiv2/login').catch(() => {});
            setToken(null);
            location.assign('/');
          },
        },
        icon(ICONS.logout),
        'Sign out',
      )
    : null;
  const topbar = h(
    'header',
    { class: 'topbar' },
    title,
    h('div', { class: 'grow' }),
    h(
      'span',
      { class: 'user-chip' },
      session.user ? `Signed in as ${session.user}` : 'Auth off · local operator',
      signOut,
    ),
  );
  main.append(topbar, page);
  root.replaceChildren(
    skip,
    h(
      'div',
      { class: 'shell' },
      h(
        'nav',
        { class: 'nav', 'aria-label': 'Main' },
        h('div', { class: 'brand', 'aria-hidden': 'true' }, 'T'),
        ...links,
      ),
      main,
    ),
  );

  // The SQL workspace lives on while other pages show: its tabs, results and a running query stay.
  const workspace = new SqlWorkspace();
  let cleanup: (() => void) | void;
  onNavigate((route) => {
    cleanup?.();
    cleanup = undefined;
    for (const [i, n] of NAV.entries()) {
      links[i].classList.toggle('active', n.match(route));
      if (n.match(route)) links[i].setAttribute('aria-current', 'page');
      else links[i].removeAttribute('aria-current');
    }
    title.textContent = TITLES[route.page];
    document.title = `${TITLES[route.page]} · Tributary`;
    page.replaceChildren();
    if (route.page === 'sql') {
      page.append(workspace.element);
      workspace.shown();
    } else if (route.page === 'sources') cleanup = sourcesPage(page, workspace);
    else if (route.page === 'jobs') cleanup = jobsPage(page);
    else if (route.page === 'job') cleanup = jobPage(page, route.id);
    else cleanup = reflectionsPage(page);
  });
}

async function boot(): Promise<void> {
  setUnauthorizedHandler(() => {
    if (token()) {
      setToken(null);
      location.reload();
    }
  });
  const state = await whoAmI();
  if (state === 'sign-in') {
    showLogin(root, () => void boot());
    return;
  }
  shell();
}

void boot().catch((error: unknown) => {
  root.replaceChildren(
    h('div', { class: 'empty' }, h('h3', null, 'The console could not start'), String(error)),
  );
});
