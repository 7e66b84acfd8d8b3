/**
 * The morning briefing (班前交底). `/today` opens the foreman's briefing for today, prefilled from
 * his sections; `/r/briefing/<id>` opens any briefing. A draft saves itself field by field as the
 * foreman goes (so a phone that dies mid-meeting loses nothing); "Submit" sends it for the
 * supervisor to acknowledge. Every change is a queued mutation and works offline.
 */
import { getMeta, setMeta } from '../../db/meta.js';
import { randomUuid } from '../../db/random_uuid.js';
import { loadView, loadViews } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { may, rolesIn } from '../../sync/permissions.js';
import { briefingPrefill, sectionsOf } from './briefing_prefill.js';
import { loadChecklists } from '../safety/checklist_text.js';
import { fill, h, userList, userText } from '../dom.js';
import { FieldList } from '../components/field_list.js';
import { FormDraft } from '../components/form_draft.js';
import { FormField } from '../components/form_field.js';
import { formatDate, t, tNodes } from '../i18n.js';
import { localToday } from '../home/home_sections.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { PhotoField, photosSettled } from '../components/photo_field.js';
import { PhotoStrip } from '../components/photo_strip.js';
import { RecordHistory } from '../records/record_history.js';
import { RecordListItem } from '../components/record_list_item.js';
import { stateLabel, typeLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';
import { loadSite, sectionLabel } from '../sections/site_facts.js';
import { StatusActions } from '../components/status_actions.js';
import { Stepper } from '../components/stepper.js';
import { byTeam, loadRoster } from '../crew/crew_roster.js';

const WEATHER = ['sunny', 'cloudy', 'overcast', 'rain', 'heavyRain', 'wind', 'hot', 'cold'];
const TEXT_FIELDS = { weather: 'briefing-weather', key_tasks: 'briefing-key-tasks', risk_points: 'briefing-risk-points' };
const HEADCOUNT_DELAY_MS = 800; // taps on + and − within this time make one change
const SUGGESTED_NAMES = 12;

export class BriefingScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.id = this.params.id ?? null;
    this.view = null; // the briefing as stored (null until the first change creates it)
    this.editing = false; // the draft editor is on screen: data changes must not redraw it under the thumb
    this.saved = {}; // lww values as last queued, to send only what changed
    this.headcountTimer = null;
    this.photos = null;
    this.refreshOn('records');
    this.onDestroy(() => {
      this.flushHeadcount();
      this.photos?.destroy();
    });
    // Text is queued when a field is left; the draft keeps what is typed before that.
    this.draft = new FormDraft(this, {
      heading: 'briefing.draftHeading',
      summary: () => formatDate(this.date),
      capture: () => ({ date: this.date }),
      restore: (extra) => extra?.date === this.date,
      unsaved: () => Object.keys(this.textChanges()).length > 0 || this.headcount !== (this.saved.headcount ?? 0),
    });
  }

  isDirty() {
    return this.editing && Object.keys(this.textChanges()).length > 0;
  }

  /** While editing, a sync only refreshes the chips and photos; otherwise the screen redraws. */
  scheduleRender() {
    if (!this.editing) {
      super.scheduleRender();
      return;
    }
    clearTimeout(this.renderTimer);
    this.renderTimer = setTimeout(() => this.refreshState(), 80);
  }

  async render() {
    const user = this.app.session.user;
    const today = localToday();
    const [site, templates, nameOf] = await Promise.all([loadSite(), this.templates(), loadNameDirectory(this.app)]);
    this.nameOf = nameOf;
    const membership = this.app.session.memberships.find((m) => may(m.roles, 'briefing', 'create')) ?? this.app.session.memberships[0];
    this.projectId = membership?.project_id;

    if (!this.params.id) {
      // /today: my briefing of today if there is one, else a new one (created by its first change).
      const mySectionIds = new Set(sectionsOf(site, user.id, this.projectId).map((section) => section.id));
      const remembered = await getMeta(`briefing-today:${user.id}:${today}`);
      const isMine = (briefing) => briefing.fields.project_id === this.projectId && (
        briefing.id === remembered || (briefing.createdBy ?? briefing.updatedBy) === user.id || (briefing.pending && briefing.serverSeq == null)
        || (briefing.fields.section_ids ?? []).some((sectionId) => mySectionIds.has(sectionId)));
      this.isMine = isMine;
      const todays = site.briefings.filter((briefing) => briefing.fields.date === today && isMine(briefing));
      const found = todays.find((briefing) => briefing.id === remembered) ?? todays[0];
      if (!membership || !may(membership.roles, 'briefing', 'create')) {
        this.showTodayForReaders(site, today, nameOf);
        return;
      }
      this.id = found?.id ?? this.id ?? randomUuid();
      this.view = found ?? null;
    } else {
      this.view = await loadView('briefing', this.id);
      if (!this.view) {
        this.show(h('h1', { tabindex: '-1' }, typeLabel('briefing')), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
        return;
      }
      this.projectId = this.view.fields.project_id ?? this.projectId;
      this.isMine = (briefing) => (briefing.createdBy ?? briefing.updatedBy) === user.id;
    }

    const roles = rolesIn(this.app.session, this.projectId);
    const status = this.view?.fields.status ?? 'draft';
    if (status === 'draft' && may(roles, 'briefing', this.view ? 'edit' : 'create')) {
      this.roster = (await loadRoster(this.projectId)).onSite;
      this.showEditor(site, templates, today);
    }
    else {
      // The day's meeting minutes that record this briefing (documents/, kind "minutes").
      this.minutes = (await loadViews('document')).filter((doc) => doc.fields.briefing_id === this.view.id);
      this.showRecord(nameOf, site);
    }
  }

  templates() {
    const projectId = this.app.session.memberships[0]?.project_id;
    return projectId ? loadChecklists(projectId, { all: true }) : [];
  }

  /** Liaisons and safety officers do not hold briefings: they see today's, read only. */
  showTodayForReaders(site, today, nameOf) {
    const todays = site.briefings.filter((briefing) => briefing.fields.date === today);
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('briefing.todayTitle')), h('p', { class: 'muted' }, formatDate(today, 'full'))),
      todays.length ? h('ul', { class: 'record-list' }, todays.map((view) => RecordListItem(view, nameOf))) : h('p', { class: 'empty' }, t('home.nothing')),
      h('a', { class: 'button button-block', href: '/briefings', testid: 'briefing-history' }, t('briefing.past')));
  }

  // ---- the draft editor -------------------------------------------------------------------

  showEditor(site, templates, today) {
    this.editing = true;
    const fields = this.view?.fields ?? {};
    const user = this.app.session.user;
    const date = fields.date ?? today;
    const mySections = sectionsOf(site, user.id, this.projectId);
    const ownSections = this.view
      ? site.sections.filter((section) => (fields.section_ids ?? []).includes(section.id))
      : mySections;
    const prefill = briefingPrefill(site, templates, { sections: mySections, today: date, isMine: this.isMine });
    this.prefill = prefill;
    this.date = date;
    const start = this.view ? fields : { key_tasks: prefill.keyTasks, risk_points: prefill.riskPoints };
    this.saved = this.view
      ? { weather: fields.weather ?? null, key_tasks: fields.key_tasks ?? null, risk_points: fields.risk_points ?? null, headcount: fields.headcount ?? 0 }
      : {};
    this.attendees = [...(fields.attendees ?? [])];
    this.headcount = Number(fields.headcount ?? 0);
    this.suggestions = recentAttendees(site.briefings.filter((b) => b.id !== this.id && this.isMine(b)));

    this.form = h('form', {
      class: 'stack briefing-form', novalidate: true, testid: 'briefing-form', dataset: { id: this.id, status: 'draft' },
      onsubmit: (event) => event.preventDefault(),
    },
    this.summary(prefill, ownSections),
    this.weatherField(start.weather),
    this.attendanceField(),
    this.textArea('key_tasks', t('field.key_tasks'), start.key_tasks, t('briefing.keyTasksHint'), 6),
    this.textArea('risk_points', t('field.risk_points'), start.risk_points, t('briefing.riskPointsHint'), 5),
    this.photoField(fields.photos ?? []),
    h('p', { class: 'field-error', testid: 'briefing-error', role: 'alert', hidden: true }),
    h('button', { type: 'button', class: 'button button-primary button-block button-big', testid: 'briefing-submit', onclick: (event) => this.submit(event.currentTarget) },
      t('briefing.submit')),
    h('p', { class: 'hint' }, t('briefing.autosaveHint')));

    this.show(this.header(date), this.form, h('a', { class: 'button button-block', href: '/briefings', testid: 'briefing-history' }, t('briefing.past')));
    this.draft.attach(this.form);
  }

  header(date) {
    this.tags = h('p', { class: 'record-tags' });
    this.fillTags();
    return h('header', { class: 'screen-header' },
      h('p', { class: 'eyebrow' }, typeLabel('briefing'), ' · ', formatDate(date, 'full')),
      h('h1', { tabindex: '-1' }, date === localToday() ? t('briefing.todayTitle') : t('briefing.title', { date: formatDate(date) })),
      this.tags);
  }

  fillTags() {
    const status = this.view?.fields.status ?? 'draft';
    fill(this.tags, [
      h('span', { class: `chip chip-${status}`, testid: 'record-status' }, stateLabel(status)),
      this.view?.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null,
      !this.view ? h('span', { class: 'chip', testid: 'briefing-not-started' }, t('briefing.notStarted')) : null,
    ]);
  }

  /** What the prefill drew on, so the foreman knows where the text came from. */
  summary(prefill, sections) {
    const line = (testid, count, text, urgent = false) => h('li', { testid, dataset: { count: String(count) }, class: urgent && count ? 'is-urgent' : null },
      h('strong', {}, String(count)), ' ', text);
    return h('section', { class: 'card briefing-summary', testid: 'briefing-summary', 'aria-labelledby': 'briefing-summary-heading' },
      h('h2', { id: 'briefing-summary-heading' }, t('briefing.fromSections')),
      h('p', { class: 'muted', testid: 'briefing-sections' }, sections.length
        ? userList(sections.map((section) => section.fields.code ?? sectionLabel(section)))
        : t('briefing.noSections')),
      h('ul', { class: 'summary-list' },
        line('briefing-summary-tasks', prefill.tasks.length, t('briefing.openTasks')),
        line('briefing-summary-overdue', prefill.overdue.length, t('briefing.overdueTasks'), true),
        line('briefing-summary-failed', prefill.failed.length, t('briefing.failedItems'), true),
        line('briefing-summary-complaints', prefill.complaints.length, t('briefing.openComplaints'), true)));
  }

  weatherField(value) {
    const input = h('input', {
      id: TEXT_FIELDS.weather, name: 'weather', testid: TEXT_FIELDS.weather, value: value ?? '', maxlength: 200, autocomplete: 'off',
      onchange: () => this.saveText('weather'),
    });
    const field = FormField({ id: TEXT_FIELDS.weather, label: t('field.weather'), control: input });
    field.append(h('div', { class: 'filter-row', role: 'group', 'aria-label': t('briefing.weatherQuick') }, WEATHER.map((key) => h('button', {
      type: 'button', class: 'filter-chip', testid: `briefing-weather-${key}`,
      onclick: () => {
        const word = t(`weather.${key}`);
        const current = input.value.trim();
        if (!current.includes(word)) input.value = current ? `${current} ${word}` : word;
        this.saveText('weather');
      },
    }, t(`weather.${key}`)))));
    return field;
  }

  attendanceField() {
    const input = h('input', {
      id: 'briefing-attendee-input', testid: 'briefing-attendee-input', maxlength: 100, autocomplete: 'off', enterkeyhint: 'done',
      onkeydown: (event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          this.addAttendees([input.value]);
          input.value = '';
        }
      },
    });
    this.attendeeList = h('ul', { class: 'name-chips', testid: 'briefing-attendees', 'aria-label': t('field.attendees') });
    this.suggestionRow = h('div', { class: 'suggestions' });
    this.rosterBox = h('div', { class: 'roster stack', testid: 'briefing-roster' });
    this.total = h('p', { class: 'total', testid: 'briefing-total', role: 'status' });
    const headcount = Stepper({
      id: 'briefing-headcount', label: t('field.headcount'), hint: t('briefing.headcountHint'), value: this.headcount, min: 0, max: 5000,
      onChange: (value) => {
        this.headcount = value;
        this.drawTotal();
        clearTimeout(this.headcountTimer);
        this.headcountTimer = setTimeout(() => this.flushHeadcount(), HEADCOUNT_DELAY_MS);
      },
    });
    const section = h('section', { class: 'card stack', testid: 'briefing-attendance', 'aria-labelledby': 'attendance-heading' },
      h('h2', { id: 'attendance-heading' }, t('briefing.attendance')),
      this.rosterBox,
      h('div', { class: 'field' },
        h('label', { for: 'briefing-attendee-input' }, t('briefing.attendeeName')),
        h('div', { class: 'input-row' }, input, h('button', {
          type: 'button', class: 'button button-primary', testid: 'briefing-attendee-add',
          onclick: () => {
            this.addAttendees([input.value]);
            input.value = '';
            input.focus();
          },
        }, t('briefing.addAttendee')))),
      this.suggestionRow,
      this.attendeeList,
      headcount,
      this.total);
    this.drawAttendees();
    return section;
  }

  drawAttendees() {
    this.attendeeList.replaceChildren(...this.attendees.map((name) => h('li', { class: 'name-chip', testid: 'briefing-attendee', dataset: { name } },
      userText(name),
      h('button', {
        type: 'button', class: 'name-chip-remove', testid: 'briefing-attendee-remove', 'aria-label': t('briefing.removeAttendee', { name }),
        onclick: () => this.removeAttendee(name),
      }, '×'))));
    this.drawRoster();
    const onRoster = new Set((this.roster ?? []).map((worker) => worker.fields.name));
    const left = this.suggestions.filter((name) => !this.attendees.includes(name) && !onRoster.has(name)).slice(0, SUGGESTED_NAMES);
    fill(this.suggestionRow, left.length ? [
      h('p', { class: 'hint' }, t('briefing.lastTime')),
      h('div', { class: 'choice-row' },
        left.length > 1 ? h('button', {
          type: 'button', class: 'filter-chip filter-chip-strong', testid: 'briefing-attendees-repeat', onclick: () => this.addAttendees(left),
        }, t('briefing.addAll', { count: left.length })) : null,
        left.map((name) => h('button', {
          type: 'button', class: 'filter-chip', testid: 'briefing-attendee-suggestion', dataset: { name }, 'aria-label': t('briefing.addName', { name }),
          onclick: () => this.addAttendees([name]),
        }, '+ ', userText(name)))),
    ] : []);
    this.drawTotal();
  }

  /**
   * The crew roster as toggles by team: a tap ticks a name into the attendance or out of it, a
   * team's button ticks the whole team; the total counts the ticks. Without a roster, a link to it.
   */
  drawRoster() {
    const roster = this.roster ?? [];
    if (roster.length === 0) {
      fill(this.rosterBox, h('p', { class: 'hint', testid: 'briefing-roster-empty' }, t('briefing.rosterEmpty'), ' ',
        h('a', { href: '/crew' }, t('briefing.rosterLink'))));
      return;
    }
    fill(this.rosterBox,
      h('p', { class: 'hint' }, t('briefing.roster')),
      byTeam(roster).map(([team, workers]) => {
        const names = workers.map((worker) => worker.fields.name);
        const missing = names.filter((name) => !this.attendees.includes(name));
        return h('div', { class: 'roster-team', testid: 'briefing-roster-team', dataset: { team } },
          h('div', { class: 'roster-team-head' },
            h('strong', {}, userText(team) ?? t('crew.noTeam')),
            missing.length > 1 ? h('button', {
              type: 'button', class: 'filter-chip filter-chip-strong', testid: 'briefing-roster-all',
              onclick: () => this.addAttendees(missing),
            }, tNodes('briefing.rosterTeamAll', { team: userText(team) ?? t('crew.noTeam') })) : null),
          h('div', { class: 'choice-row' }, workers.map((worker) => {
            const name = worker.fields.name;
            const here = this.attendees.includes(name);
            return h('button', {
              type: 'button', class: 'filter-chip roster-chip', testid: 'briefing-roster-name', dataset: { name },
              'aria-pressed': String(here), title: worker.fields.trade ?? '',
              onclick: () => (here ? this.removeAttendee(name) : this.addAttendees([name])),
            }, here ? '✓ ' : null, userText(name));
          })));
      }));
  }

  drawTotal() {
    this.total.textContent = t('briefing.total', { count: this.attendees.length + this.headcount, named: this.attendees.length, others: this.headcount });
  }

  textArea(name, label, value, hint, rows) {
    const id = TEXT_FIELDS[name];
    return FormField({
      id, label, hint,
      control: h('textarea', { id, name, testid: id, rows, value: value ?? '', maxlength: 4000, onchange: () => this.saveText(name) }),
    });
  }

  photoField(shas) {
    this.photos?.destroy();
    this.photos = new PhotoField(this.app, {
      id: 'briefing-photo', shas,
      onAdd: async (sha) => {
        await this.commit({ photos: { add: [sha] } });
        this.photos.set(this.view?.fields.photos ?? []);
      },
    });
    return h('section', { class: 'stack', 'aria-labelledby': 'briefing-photos-heading' },
      h('h2', { id: 'briefing-photos-heading' }, t('field.photos')), this.photos.element);
  }

  // ---- saving ----------------------------------------------------------------------------

  /** Text fields whose value differs from what was last queued. */
  textChanges() {
    if (!this.form) return {};
    const changes = {};
    for (const [name, id] of Object.entries(TEXT_FIELDS)) {
      const control = this.form.querySelector(`#${id}`);
      const value = control?.value.trim() || null;
      if (control && value !== (this.saved[name] ?? null)) changes[name] = value;
    }
    return changes;
  }

  saveText(name) {
    const changes = this.textChanges();
    if (name in changes) this.commit({ [name]: changes[name] });
  }

  flushHeadcount() {
    clearTimeout(this.headcountTimer);
    this.headcountTimer = null;
    if (this.editing && this.headcount !== (this.saved.headcount ?? 0)) this.commit({ headcount: this.headcount });
  }

  addAttendees(names) {
    const fresh = [...new Set(names.map((name) => String(name ?? '').trim()).filter(Boolean))]
      .filter((name) => name.length <= 100 && !this.attendees.includes(name));
    if (fresh.length === 0) return;
    this.attendees.push(...fresh);
    this.drawAttendees();
    this.commit({ attendees: { add: fresh } });
  }

  removeAttendee(name) {
    this.attendees = this.attendees.filter((other) => other !== name);
    this.drawAttendees();
    this.commit({ attendees: { remove: [name] } });
  }

  /**
   * Queues one change. The first one creates the draft with everything the form shows (the
   * prefilled text included), so a briefing never exists half-made on the server.
   */
  async commit(changes) {
    let fields = changes;
    if (!this.view && !this.creating) {
      this.creating = true;
      const headcount = this.headcount > 0 ? { headcount: this.headcount } : {};
      fields = {
        project_id: this.projectId, date: this.date,
        ...(this.prefill.sectionIds.length ? { section_ids: { add: this.prefill.sectionIds } } : {}),
        ...this.textChanges(), ...headcount, ...changes,
      };
      await setMeta(`briefing-today:${this.app.session.user.id}:${this.date}`, this.id);
    }
    for (const name of ['weather', 'key_tasks', 'risk_points', 'headcount']) {
      if (name in fields) this.saved[name] = fields[name];
    }
    await enqueue([{ op: 'put', type: 'briefing', id: this.id, fields }]);
    this.draft.changed(); // what was queued no longer needs the draft
    await this.refreshState();
  }

  /** Reloads the stored briefing and updates what depends on it without touching the inputs. */
  async refreshState() {
    this.view = await loadView('briefing', this.id);
    if (this.view) this.creating = false;
    if (this.view?.fields.status && this.view.fields.status !== 'draft') {
      this.editing = false;
      this.form = null;
      super.scheduleRender();
      return;
    }
    if (this.tags) this.fillTags();
    this.photos?.set(this.view?.fields.photos ?? []);
  }

  async submit(button) {
    await photosSettled(button);
    const error = this.form.querySelector('[data-testid="briefing-error"]');
    this.flushHeadcount();
    if (this.attendees.length === 0 && this.headcount === 0) {
      error.textContent = t('briefing.nobodyThere');
      error.hidden = false;
      this.form.querySelector('#briefing-attendee-input').focus();
      return;
    }
    error.hidden = true;
    await this.commit({ ...this.textChanges(), status: 'submitted' });
    await this.draft.saved();
    this.app.notify(navigator.onLine ? t('briefing.submitted') : t('briefing.submittedOffline'));
    window.scrollTo(0, 0);
  }

  // ---- a submitted or acknowledged briefing --------------------------------------------------

  showRecord(nameOf, site) {
    this.editing = false;
    const view = this.view;
    const status = view.fields.status ?? 'draft';
    const sections = site.sections.filter((section) => (view.fields.section_ids ?? []).includes(section.id));
    if (!this.photos || this.photos instanceof PhotoField) {
      this.photos?.destroy();
      this.photos = new PhotoStrip(this.app, { testid: 'briefing-photo-list' });
    }
    this.photos.set(view.fields.photos ?? []);
    const named = (view.fields.attendees ?? []).length;
    const others = Number(view.fields.headcount ?? 0);
    this.history ??= new RecordHistory(this.app, 'briefing', view.id, () => super.scheduleRender());
    this.show(
      h('header', { class: 'screen-header', testid: 'briefing-record', dataset: { id: view.id, status } },
        h('p', { class: 'eyebrow' }, typeLabel('briefing'), ' · ', formatDate(view.fields.date, 'full')),
        h('h1', { tabindex: '-1' }, view.fields.date === localToday() ? t('briefing.todayTitle') : t('briefing.title', { date: formatDate(view.fields.date) })),
        h('p', { class: 'record-tags' },
          h('span', { class: `chip chip-${status}`, testid: 'record-status' }, stateLabel(status)),
          view.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)),
      StatusActions(this.app, view, { onMoved: () => this.app.notify(t('briefing.acknowledged')) }),
      h('p', { class: 'muted', testid: 'briefing-sections' }, sections.length ? userList(sections.map(sectionLabel)) : t('briefing.noSectionNamed')),
      (this.minutes ?? []).map((doc) => h('a', { class: 'button button-block', href: `/r/document/${doc.id}`, testid: 'briefing-minutes' },
        tNodes('briefing.minutes', { title: userText([doc.fields.number, doc.fields.title].filter(Boolean).join(' ')) }))),
      h('section', { class: 'card stack', testid: 'briefing-attendance' },
        h('h2', {}, t('briefing.attendance')),
        h('p', { class: 'total', testid: 'briefing-total' }, t('briefing.total', { count: named + others, named, others })),
        named ? h('ul', { class: 'name-chips', testid: 'briefing-attendees' },
          (view.fields.attendees ?? []).map((name) => h('li', { class: 'name-chip', testid: 'briefing-attendee', dataset: { name } }, userText(name)))) : null),
      FieldList(view, ['weather', 'key_tasks', 'risk_points'], nameOf),
      h('section', { class: 'stack' }, h('h2', {}, t('field.photos')),
        (view.fields.photos ?? []).length ? this.photos.element : h('p', { class: 'empty' }, t('briefing.noPhotos'))),
      h('a', { class: 'button button-block', href: '/briefings', testid: 'briefing-history' }, t('briefing.past')),
      this.history.element(nameOf));
    this.history.load(view.serverSeq);
  }
}

/** Names from the most recent briefings, most recent first, for one-tap attendance. */
function recentAttendees(briefings) {
  const recent = [...briefings].sort((a, b) => String(b.fields.date).localeCompare(String(a.fields.date))).slice(0, 3);
  return [...new Set(recent.flatMap((briefing) => briefing.fields.attendees ?? []))];
}
