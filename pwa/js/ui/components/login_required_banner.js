/** Banner shown instead of jumping to the login screen when the user is in the middle of typing. */
import { h } from '../dom.js';
import { t } from '../i18n.js';

export class LoginRequiredBanner {
  constructor(container, onLogin) {
    this.element = h('div', { class: 'banner banner-warning', testid: 'login-required-banner', role: 'alert', hidden: true });
    this.onLogin = onLogin;
    this.visible = false;
    container.append(this.element);
  }

  show() {
    this.visible = true;
    this.render();
  }

  hide() {
    this.visible = false;
    this.render();
  }

  render() {
    this.element.hidden = !this.visible;
    if (!this.visible) return;
    this.element.replaceChildren(
      h('span', {}, t('auth.expired')),
      h('button', { type: 'button', class: 'button', testid: 'login-required-login', onclick: () => this.onLogin() }, t('auth.loginAgain')),
    );
  }
}
