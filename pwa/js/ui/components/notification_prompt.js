/**
 * The in-context question "remind me": a button on my day and the inbox, never asked on load.
 * Shown only while the browser has not been answered; once allowed, a sync that brings
 * something new for the user shows one notification (ui/day_notifier.js).
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** testids: `notify-prompt`, `notify-allow`. Null where notifications are unsupported or answered. */
export function NotificationPrompt(app) {
  if (!('Notification' in window) || Notification.permission !== 'default') return null;
  const box = h('div', { class: 'notify-prompt', testid: 'notify-prompt' },
    h('p', {}, t('notify.why')),
    h('button', {
      type: 'button', class: 'button', testid: 'notify-allow',
      onclick: async () => {
        const answer = await Notification.requestPermission();
        box.remove();
        if (answer === 'granted') {
          await app.dayNotifier?.remember();
          app.notify(t('notify.on'));
        }
      },
    }, t('notify.allow')));
  return box;
}
