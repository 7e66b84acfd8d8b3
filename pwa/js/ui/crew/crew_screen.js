/**
 * The crew roster (/crew): the people working on the project, by team, with their trade. Adding
 * one is a name (trade and team optional); someone who left goes off the roster and can come
 * back. The morning briefing ticks names from here.
 */
import { randomUuid } from '../../db/random_uuid.js';
import { enqueue } from '../../sync/outbox.js';
import { may, rolesIn } from '../../sync/permissions.js';
import { fill, h, userText } from '../dom.js';
import { FormDraft } from '../components/form_draft.js';
import { InputField } from '../components/form_field.js';
import { t } from '../i18n.js';
import { Screen } from '../screen.js';
import { byTeam, loadRoster } from './crew_roster.js';

const NAME_MAX = 100;
const SHORT_MAX = 50;

export class CrewScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.refreshOn('records');
  }

  async render() {
    const membership = this.app.session.memberships[0];
    const projectId = membership?.project_id;
    const roster = await loadRoster(projectId);
    const mayEdit = projectId && may(rolesIn(this.app.session, projectId), 'worker', 'edit');
    const teams = byTeam(roster.onSite);
    const drawn = this.formBox;
    this.show(
      h('header', { class: 'screen-header' },
        h('h1', { tabindex: '-1' }, t('crew.title')),
        h('p', { class: 'muted', testid: 'crew-count' }, t('crew.count', { count: roster.onSite.length }))),
      // The roster is read every morning and added to now and then: adding waits folded above the list.
      mayEdit ? this.addForm(projectId, [...new Set([...roster.onSite, ...roster.offSite].map((w) => w.fields.team).filter(Boolean))],
        roster.onSite.length === 0) : null,
      roster.onSite.length === 0 ? h('p', { class: 'empty', testid: 'crew-empty' }, t('crew.empty')) : null,
      teams.map(([team, workers]) => h('section', { class: 'stack', testid: 'crew-group', dataset: { team } },
        h('h2', {}, userText(team) ?? t('crew.noTeam'), h('span', { class: 'count' }, ` (${workers.length})`)),
        h('ul', { class: 'card-list' }, workers.map((worker) => this.row(worker, mayEdit, false))))),
      roster.offSite.length ? h('details', { class: 'stack', testid: 'crew-off-site' },
        h('summary', {}, t('crew.offSite', { count: roster.offSite.length })),
        h('ul', { class: 'card-list' }, roster.offSite.map((worker) => this.row(worker, mayEdit, true)))) : null);
    if (this.formBox && !drawn) await this.watchTyping();
  }

  /** What is typed into the add form is kept as a draft; a restored one opens the form. */
  async watchTyping() {
    this.draft = new FormDraft(this, { heading: 'crew.add' });
    if (await this.draft.attach(this.formBox.querySelector('form'))) this.formBox.open = true;
  }

  row(worker, mayEdit, off) {
    return h('li', { class: 'card crew-row', testid: 'crew-worker', dataset: { id: worker.id, name: worker.fields.name ?? '' } },
      h('span', { class: 'crew-name' }, h('strong', {}, userText(worker.fields.name)),
        worker.fields.trade ? h('span', { class: 'muted' }, ' · ', userText(worker.fields.trade)) : null,
        worker.pending ? h('span', { class: 'chip chip-pending' }, t('record.notSynced')) : null),
      mayEdit ? h('button', {
        type: 'button', class: 'button', testid: off ? 'crew-back' : 'crew-leave',
        'aria-label': t(off ? 'crew.backName' : 'crew.leaveName', { name: worker.fields.name ?? '' }),
        onclick: () => enqueue([{ op: 'put', type: 'worker', id: worker.id, fields: { active: off } }]),
      }, t(off ? 'crew.back' : 'crew.leave')) : null);
  }

  addForm(projectId, teams, open) {
    const options = () => teams.map((team) => h('option', { value: team }));
    if (this.formBox) {
      // Kept across redraws with what is typed in it; the teams offered follow the roster.
      fill(this.formBox.querySelector('#crew-teams'), options());
      return this.formBox;
    }
    const form = h('form', {
      class: 'stack', testid: 'crew-form', novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        const text = (name) => String(data.get(name) ?? '').trim();
        if (!text('name')) {
          form.querySelector('#crew-name').focus();
          return;
        }
        await enqueue([{ op: 'put', type: 'worker', id: randomUuid(), fields: {
          project_id: projectId, name: text('name'), trade: text('trade') || null, team: text('team') || null, active: true } }]);
        await this.draft.saved();
        const team = text('team');
        form.reset();
        form.querySelector('#crew-team').value = team; // the next one is often of the same team
        form.querySelector('#crew-name').focus();
        // The next worker's typing is a draft of its own, the team kept as its starting point.
        this.draft = new FormDraft(this, { heading: 'crew.add' });
        await this.draft.attach(form);
      },
    },
    InputField({ id: 'crew-name', name: 'name', label: t('crew.name'), maxlength: NAME_MAX, required: true, autocomplete: 'off' }),
    InputField({ id: 'crew-trade', name: 'trade', label: t('field.trade'), maxlength: SHORT_MAX, autocomplete: 'off', list: 'crew-trades' }),
    InputField({ id: 'crew-team', name: 'team', label: t('field.team'), maxlength: SHORT_MAX, autocomplete: 'off', list: 'crew-teams' }),
    h('datalist', { id: 'crew-teams' }, options()),
    h('datalist', { id: 'crew-trades' }, t('crew.trades').split('|').map((trade) => h('option', { value: trade }))),
    h('button', { type: 'submit', class: 'button button-primary button-block', testid: 'crew-save' }, t('crew.addButton')));
    this.formBox = h('details', { class: 'card', testid: 'crew-add', open },
      h('summary', { testid: 'crew-add-toggle' }, h('strong', {}, t('crew.add'))), form);
    return this.formBox;
  }
}
