/**
 * Record types the protocol guarantees (and those this server adds): field kinds, state machines,
 * and which fields name a record. A server may add fields; unknown ones are treated as `lww`.
 */

/** Builds `{field: kind}` from `{kind: [fields]}`. */
function kinds(byKind) {
  return Object.fromEntries(Object.entries(byKind).flatMap(([kind, names]) => names.map((name) => [name, kind])));
}

export const RECORD_TYPES = {
  section: {
    fields: kinds({ lww: ['project_id', 'code', 'name', 'owner_id', 'description'] }),
    titleFields: ['code', 'name'],
  },
  briefing: {
    fields: kinds({
      lww: ['project_id', 'date', 'weather', 'key_tasks', 'risk_points', 'headcount'],
      set: ['section_ids', 'attendees', 'photos'],
      state: ['status'],
    }),
    transitions: { draft: ['submitted'], submitted: ['acknowledged'], acknowledged: [] },
    titleFields: ['date', 'key_tasks'],
  },
  task: {
    fields: kinds({
      lww: ['project_id', 'section_id', 'title', 'description', 'assignee_id', 'due_date', 'priority',
        'progress', 'planned_start', 'planned_end', 'actual_start', 'actual_end'],
      set: ['depends_on', 'photos'],
      state: ['status'],
    }),
    transitions: { todo: ['doing'], doing: ['done'], done: ['doing', 'accepted'], accepted: [] },
    titleFields: ['title'],
  },
  safety_check: {
    fields: kinds({
      lww: ['project_id', 'section_id', 'date', 'template', 'likelihood', 'severity', 'notes'],
      // Keyed by checklist item code: pass / fail / na, a note, a list of photo sha256 names.
      map: ['results', 'item_notes', 'item_photos', 'item_risk'],
      set: ['photos'],
      state: ['status'],
    }),
    transitions: { open: ['rectifying'], rectifying: ['verified'], verified: ['closed', 'rectifying'], closed: [] },
    titleFields: ['date', 'notes'],
  },
  action: {
    fields: kinds({
      lww: ['project_id', 'check_id', 'item', 'description', 'owner_id', 'deadline', 'verified_at'],
      set: ['photos'],
      state: ['status'],
    }),
    transitions: { open: ['done'], done: ['verified', 'open'], verified: [] },
    titleFields: ['description'],
  },
  feedback: {
    fields: kinds({
      lww: ['project_id', 'section_id', 'category', 'description', 'location', 'resident_name',
        'resident_phone', 'channel', 'response_due', 'responded_at', 'satisfaction', 'answer'],
      set: ['photos'],
      state: ['status'],
    }),
    transitions: {
      received: ['acknowledged'], acknowledged: ['in_progress'], in_progress: ['resolved'],
      resolved: ['closed', 'in_progress'], closed: [],
    },
    titleFields: ['description'],
  },
  approval: {
    fields: kinds({
      lww: ['project_id', 'subject_type', 'subject_id', 'kind', 'note', 'decision_comment', 'cycle',
        'requested_by'],
      set: ['photos'],
      state: ['status'],
    }),
    transitions: { pending: ['approved', 'rejected', 'withdrawn'], approved: [], rejected: [], withdrawn: [] },
    titleFields: ['kind', 'note'],
  },
  // Written by the server alone: a complaint past its deadline until answered, an action until done.
  escalation: {
    fields: kinds({
      lww: ['project_id', 'subject_type', 'subject_id', 'reason', 'due', 'escalated_at'],
      state: ['state'],
    }),
    transitions: { open: ['resolved'], resolved: [] },
    titleFields: ['reason', 'due'],
  },
  worker: {
    fields: kinds({ lww: ['project_id', 'name', 'trade', 'team', 'active'] }),
    titleFields: ['name'],
  },
  // Added by this server: documents, their versions (created once, never edited) and pins on drawings.
  document: {
    fields: kinds({ lww: ['project_id', 'kind', 'title', 'number', 'discipline', 'briefing_id'], set: ['section_ids'] }),
    titleFields: ['number', 'title'],
  },
  document_version: {
    fields: kinds({ append: ['project_id', 'document_id', 'file', 'revision', 'date', 'note', 'needs_signoff'] }),
    titleFields: ['revision', 'note'],
  },
  pin: {
    fields: kinds({ lww: ['project_id', 'document_id', 'version_id', 'page', 'x', 'y', 'subject_type', 'subject_id'] }),
    titleFields: ['subject_type'],
  },
  comment: {
    fields: kinds({ append: ['project_id', 'subject_type', 'subject_id', 'body'] }),
    titleFields: ['body'],
  },
  // Added by this server: a step of a section's work, inspected self → mutual → specialist;
  // a failed level is rectified and inspected again (docs/sync-protocol.md, `work_step`).
  work_step: {
    fields: kinds({
      lww: ['project_id', 'section_id', 'step', 'crew', 'foreman_id', 'next_foreman_id', 'planned_start',
        'planned_end', 'actual_start', 'actual_end', 'depends_on', 'early_start', 'notes'],
      state: ['status'],
    }),
    transitions: {
      planned: ['in_progress'],
      in_progress: ['self_passed', 'rectifying_self'],
      rectifying_self: ['in_progress'],
      self_passed: ['mutual_passed', 'rectifying_mutual'],
      rectifying_mutual: ['self_passed'],
      mutual_passed: ['passed', 'rectifying_specialist'],
      rectifying_specialist: ['mutual_passed'],
      passed: [],
    },
    titleFields: ['step', 'crew'],
  },
  // One inspection of a work step, recorded once with its result (`pending` is never stored).
  inspection: {
    fields: kinds({
      lww: ['project_id', 'work_step_id', 'level', 'round', 'checklist', 'notes', 'inspected_at'],
      map: ['results', 'measurements'],
      set: ['photos'],
      state: ['result'],
    }),
    transitions: { pending: ['pass', 'fail'], pass: [], fail: [] },
    titleFields: ['level', 'result'],
  },
  // When and where a photo was taken (and the photo a marked-up copy was drawn on).
  photo_meta: {
    fields: kinds({ lww: ['project_id', 'sha256', 'taken_at', 'latitude', 'longitude', 'accuracy_m', 'derived_from'] }),
    titleFields: ['taken_at'],
  },
  // Added by this server: checklist templates for safety checks (built-ins and the admins' own).
  checklist: {
    fields: kinds({ lww: ['project_id', 'code', 'name', 'name_en', 'items', 'builtin', 'active'] }),
    titleFields: ['code', 'name'],
  },
};

/**
 * Dates a move into a state writes on the record, for the figures (dashboard, report, exports):
 * `{type: {state: {field: 'date' | 'time', once?}}}`; `once` keeps a date already there (a task
 * reopened keeps when it first started; finishing again moves its end).
 */
export const STATE_STAMPS = {
  task: { doing: { actual_start: 'date', once: true }, done: { actual_end: 'date' } },
  feedback: { acknowledged: { responded_at: 'time', once: true } },
  action: { verified: { verified_at: 'time' } },
};

/** The stamp fields a move of `view` into `state` writes at `now` (a Date): `{}` when none. */
export function stateStamps(view, state, now = new Date()) {
  const rule = STATE_STAMPS[view.type]?.[state];
  if (!rule) return {};
  const stamps = {};
  for (const [field, kind] of Object.entries(rule)) {
    if (field === 'once' || (rule.once && view.fields[field])) continue;
    const iso = now.toISOString();
    // A date is the site's own day (the phone's zone), a time is UTC as the wire writes it.
    stamps[field] = kind === 'date' ? localDate(now) : `${iso.slice(0, 19)}Z`;
  }
  return stamps;
}

function localDate(now) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'];

/** The states of a task still to be done (before `done`): lists, my day and the section facts read them here. */
export const OPEN_TASK_STATES = new Set(['todo', 'doing']);

/** The kind of a field (`lww` for fields this client does not know). */
export function fieldKind(type, field) {
  return RECORD_TYPES[type]?.fields[field] ?? 'lww';
}

/** The state a new record starts in, or undefined for types without a state machine. */
export function initialState(type) {
  const transitions = RECORD_TYPES[type]?.transitions;
  return transitions ? Object.keys(transitions)[0] : undefined;
}

/** States reachable from `current` in the type's state machine (who may move is permissions.js's question). */
export function nextStates(type, current) {
  return RECORD_TYPES[type]?.transitions?.[current] ?? [];
}

/** Whether a field holds photos by their sha256 names (`photos`, `after_photos`, `item_photos`). */
export function isPhotoField(name) {
  return /(^|_)photos$/.test(name);
}
