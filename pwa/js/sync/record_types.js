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
        'progress', 'planned_start', 'planned_end'],
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
    transitions: { open: ['rectifying'], rectifying: ['verified'], verified: ['closed'], closed: [] },
    titleFields: ['date', 'notes'],
  },
  action: {
    fields: kinds({
      lww: ['project_id', 'check_id', 'item', 'description', 'owner_id', 'deadline'],
      set: ['photos'],
      state: ['status'],
    }),
    transitions: { open: ['done'], done: ['verified'], verified: [] },
    titleFields: ['description'],
  },
  feedback: {
    fields: kinds({
      lww: ['project_id', 'section_id', 'category', 'description', 'location', 'resident_name',
        'resident_phone', 'channel', 'response_due', 'satisfaction', 'answer'],
      set: ['photos'],
      state: ['status'],
    }),
    transitions: {
      received: ['acknowledged'], acknowledged: ['in_progress'], in_progress: ['resolved'],
      resolved: ['closed'], closed: [],
    },
    titleFields: ['description'],
  },
  approval: {
    fields: kinds({
      lww: ['project_id', 'subject_type', 'subject_id', 'kind', 'note', 'decision_comment'],
      state: ['status'],
    }),
    transitions: { pending: ['approved', 'rejected', 'withdrawn'], approved: [], rejected: [], withdrawn: [] },
    titleFields: ['kind', 'note'],
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
  // Added by this server: checklist templates for safety checks (built-ins and the admins' own).
  checklist: {
    fields: kinds({ lww: ['project_id', 'code', 'name', 'name_en', 'items', 'builtin', 'active'] }),
    titleFields: ['code', 'name'],
  },
};

export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'];

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
