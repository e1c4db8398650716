import { ApiError, api, setToken } from '../api/api-client.ts';
import { h } from '../dom.ts';

/** The sign-in form (POST /apiv2/login, Dremio's shape); `done` once a token is kept. */
export function showLogin(root: HTMLElement, done: () => void): void {
  const user = h('input', { class: 'input', id: 'login-user', autocomplete: 'username', required: true });
  const password = h('input', {
    class: 'input',
    id: 'login-password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = h('div', { class: 'field-error', role: 'alert' });
  const submit = h('button', { class: 'btn primary', type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    {
      class: 'card form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        error.textContent = '';
        try {
          const answer = await api<{ token: string }>('POST', '/apiv2/login', {
            userName: user.value,
            password: password.value,
          });
          setToken(answer.token);
          done();
        } catch (e) {
          error.textContent = e instanceof ApiError ? e.body.message : String(e);
          submit.disabled = false;
        }
      },
    },
    h('h2', null, 'Sign in to Tributary'),
    h('div', { class: 'field' }, h('label', { for: 'login-user' }, 'User'), user),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), password),
    error,
    submit,
  );
  root.replaceChildren(h('div', { class: 'login' }, form));
  user.focus();
}
