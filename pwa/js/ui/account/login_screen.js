/** Login. After success the sync loop resumes and pushes the same queue unchanged. */
import { countPending } from '../../sync/outbox.js';
import { ApiError, NetworkError } from '../../sync/api_client.js';
import { UnsyncedChangesOfOtherUserError } from '../../sync/session.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { LanguageSwitch } from './language_switch.js';
import { Screen } from '../screen.js';
import { UnsyncedExportButton } from './unsynced_export_button.js';

export class LoginScreen extends Screen {
  async render() {
    const { session } = this.app;
    const pending = await countPending();
    const previous = session.user;
    this.error = h('p', { class: 'form-error', testid: 'login-error', role: 'alert', hidden: true });
    this.submit = h('button', { type: 'submit', class: 'button button-primary button-block', testid: 'login-submit' }, t('login.submit'));

    const form = h('form', { class: 'stack', onsubmit: (event) => this.onSubmit(event), novalidate: true },
      h('div', { class: 'field' },
        h('label', { for: 'login-username' }, t('login.username')),
        h('input', {
          id: 'login-username', name: 'username', testid: 'login-username', required: true,
          autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', value: previous?.username ?? '',
        })),
      h('div', { class: 'field' },
        h('label', { for: 'login-password' }, t('login.password')),
        h('input', {
          id: 'login-password', name: 'password', type: 'password', testid: 'login-password', required: true,
          autocomplete: 'current-password',
        })),
      this.error,
      this.submit);

    this.show(
      h('div', { class: 'login' },
        h('img', { src: '/icons/icon-96.png', alt: '', width: 72, height: 72, class: 'login-logo' }),
        h('h1', { tabindex: '-1' }, t('app.name')),
        h('p', { class: 'muted' }, t('login.intro')),
        pending > 0 && previous
          ? h('p', { class: 'notice', testid: 'login-pending-note' }, t('login.pendingOf', { count: pending, name: previous.name || previous.username }))
          : null,
        form,
        previous && this.app.engine.status.loginRequired
          ? h('button', { type: 'button', class: 'button button-block', testid: 'login-later', onclick: () => this.later() }, t('login.later'))
          : null,
        LanguageSwitch((code) => this.app.changeLocale(code))));
  }

  async onSubmit(event) {
    event.preventDefault();
    const data = new FormData(event.target);
    const username = String(data.get('username') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (!username || !password) return this.showError(t('login.missing'));
    this.submit.disabled = true;
    this.error.hidden = true;
    try {
      await this.app.session.login(this.app.api, username, password);
    } catch (error) {
      this.submit.disabled = false;
      return this.showLoginError(error);
    }
    this.app.afterLogin({ fresh: true });
    this.goNext();
  }

  /** Keeps working offline with the refused token; changes stay queued until the next login. */
  later() {
    this.app.deferLogin();
    this.goNext();
  }

  goNext() {
    const next = this.query.get('next');
    this.app.router.navigate(next && next.startsWith('/') && !next.startsWith('/login') ? next : '/', { replace: true });
  }

  showLoginError(error) {
    if (error instanceof UnsyncedChangesOfOtherUserError) {
      const owner = error.owner.name || error.owner.username;
      return this.showError(t('login.otherUsersChanges', { count: error.pending, name: owner }),
        UnsyncedExportButton(this.app, error.owner));
    }
    if (error instanceof NetworkError) return this.showError(t('login.offline'));
    if (error instanceof ApiError && error.status === 401) return this.showError(t('login.invalid'));
    if (error instanceof ApiError && error.status === 429) return this.showError(t('login.rateLimited'));
    return this.showError(t('login.failed', { message: error.message }));
  }

  showError(message, ...extra) {
    this.error.replaceChildren(h('span', {}, message), ...extra);
    this.error.hidden = false;
  }
}
