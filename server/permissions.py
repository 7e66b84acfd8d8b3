"""Who may do what: the one table of permissions, enforced by the server only.

Actions on a record type are `create`, `edit` (any field but the state), `delete`,
and `status:<from>-><to>` for each move of its state machine. `edit:<field>` overrides
`edit` for one field. `AUTHOR` stands for the user who created the record, whatever their
roles; `CREW_FOREMAN` and `NEXT_FOREMAN` for the users a work step names in `foreman_id`
and `next_foreman_id` (for an inspection: those of its work step). An inspection's
`level:<level>` says who records that level.
"""
from __future__ import annotations

FOREMAN, LIAISON, SAFETY, SUPERVISOR, ADMIN = "foreman", "liaison", "safety", "supervisor", "admin"
QUALITY = "quality"
AUTHOR = "@author"
CREW_FOREMAN, NEXT_FOREMAN = "@crew_foreman", "@next_foreman"
# The record field naming the user each stand-in is (besides AUTHOR, the record's creator).
STAND_IN_FIELDS = {CREW_FOREMAN: "foreman_id", NEXT_FOREMAN: "next_foreman_id"}
EVERYONE = frozenset({FOREMAN, LIAISON, SAFETY, QUALITY, SUPERVISOR, ADMIN})
SITE = frozenset({FOREMAN, SUPERVISOR, ADMIN})
CHECKERS = frozenset({FOREMAN, SAFETY, SUPERVISOR, ADMIN})
SAFETY_LEADS = frozenset({SAFETY, SUPERVISOR, ADMIN})
LIAISONS = frozenset({LIAISON, ADMIN})
DECIDERS = frozenset({SUPERVISOR, ADMIN})

PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    "section": {
        "create": frozenset({ADMIN, SUPERVISOR}),
        "edit": frozenset({ADMIN, SUPERVISOR}),
        "delete": frozenset({ADMIN}),
    },
    "task": {
        "create": SITE, "edit": SITE, "delete": DECIDERS | {AUTHOR},
        "status:todo->doing": SITE,
        "status:doing->done": SITE,
        "status:done->doing": SITE,
        "status:done->accepted": DECIDERS,
    },
    "briefing": {
        "create": SITE, "edit": SITE, "delete": DECIDERS | {AUTHOR},
        "status:draft->submitted": SITE,
        "status:submitted->acknowledged": DECIDERS,
    },
    "safety_check": {
        "create": CHECKERS, "edit": CHECKERS, "delete": SAFETY_LEADS | {AUTHOR},
        "status:open->rectifying": CHECKERS,
        "status:rectifying->verified": SAFETY_LEADS,
        "status:verified->closed": SAFETY_LEADS,
        # A check closure sent back: the check is rectified further.
        "status:verified->rectifying": SAFETY_LEADS,
    },
    "action": {
        "create": CHECKERS, "edit": CHECKERS, "delete": SAFETY_LEADS | {AUTHOR},
        "status:open->done": CHECKERS,
        "status:done->verified": SAFETY_LEADS,
        # Sent back by its verifier, or taken back by who marked it done.
        "status:done->open": CHECKERS,
    },
    "feedback": {
        "create": LIAISONS, "edit": LIAISONS, "delete": LIAISONS,
        "status:received->acknowledged": LIAISONS,
        "status:acknowledged->in_progress": LIAISONS,
        "status:in_progress->resolved": LIAISONS,
        "status:resolved->closed": LIAISONS | DECIDERS,
        # A closure review sent back, or a resolution the liaison takes back.
        "status:resolved->in_progress": LIAISONS | DECIDERS,
    },
    "approval": {
        "create": EVERYONE, "edit": frozenset({ADMIN, AUTHOR}), "delete": frozenset({ADMIN}),
        # The reason and photos of a decision: whoever decides some kind (see decide:<kind>).
        "edit:decision_comment": SAFETY_LEADS,
        "edit:photos": SAFETY_LEADS,
        "status:pending->approved": DECIDERS,
        "status:pending->rejected": DECIDERS,
        "status:pending->withdrawn": frozenset({ADMIN, AUTHOR}),
        # Who decides (approves or rejects) each kind of server/approvals/table.py, in place
        # of the two rows above; any other kind is decided as those rows say.
        "decide:task_acceptance": DECIDERS,
        "decide:rectification": SAFETY_LEADS,
        "decide:closure_review": DECIDERS,
        "decide:check_closure": SAFETY_LEADS,
        "decide:change_order": DECIDERS,
        "decide:signoff": DECIDERS,
    },
    # Recorded by the server alone; every member reads them.
    "escalation": {"create": frozenset(), "edit": frozenset(), "delete": frozenset(),
                   "status:open->resolved": frozenset()},
    "checklist": {
        "create": frozenset({ADMIN}), "edit": frozenset({ADMIN}), "delete": frozenset({ADMIN}),
    },
    "comment": {
        "create": EVERYONE, "delete": frozenset({ADMIN, AUTHOR}),
    },
    # The crew roster: kept by who runs the work on site.
    "worker": {
        "create": SITE, "edit": SITE, "delete": DECIDERS | {AUTHOR},
    },
    # Work steps move with their inspections: each pass or fail move by who inspects that
    # level; a rectified step goes back to be inspected by its crew's foreman or a decider.
    "work_step": {
        "create": SITE, "edit": SITE, "delete": DECIDERS | {AUTHOR},
        "status:planned->in_progress": SITE | {CREW_FOREMAN},
        "status:in_progress->self_passed": frozenset({ADMIN, CREW_FOREMAN}),
        "status:in_progress->rectifying_self": frozenset({ADMIN, CREW_FOREMAN}),
        "status:rectifying_self->in_progress": DECIDERS | {CREW_FOREMAN},
        "status:self_passed->mutual_passed": frozenset({ADMIN, NEXT_FOREMAN}),
        "status:self_passed->rectifying_mutual": frozenset({ADMIN, NEXT_FOREMAN}),
        "status:rectifying_mutual->self_passed": DECIDERS | {CREW_FOREMAN},
        "status:mutual_passed->passed": frozenset({ADMIN, QUALITY}),
        "status:mutual_passed->rectifying_specialist": frozenset({ADMIN, QUALITY}),
        "status:rectifying_specialist->mutual_passed": DECIDERS | {CREW_FOREMAN},
    },
    # An inspection is evidence: recorded once (its result with it), corrected by an admin
    # alone. An admin may stand in for any level, as for everything else.
    "inspection": {
        "create": EVERYONE, "edit": frozenset({ADMIN}), "delete": frozenset({ADMIN}),
        "status:pending->pass": EVERYONE, "status:pending->fail": EVERYONE,
        "level:self": frozenset({ADMIN, CREW_FOREMAN}),
        "level:mutual": frozenset({ADMIN, NEXT_FOREMAN}),
        "level:specialist": frozenset({ADMIN, QUALITY}),
    },
    # When and where a photo was taken: recorded by whoever took it.
    "photo_meta": {
        "create": EVERYONE, "edit": frozenset({ADMIN, AUTHOR}), "delete": frozenset({ADMIN, AUTHOR}),
    },
    # Documents and their versions are published by who signs for the site's paperwork;
    # a version, once uploaded, is withdrawn by an admin only.
    "document": {
        "create": DECIDERS, "edit": DECIDERS, "delete": frozenset({ADMIN}),
    },
    "document_version": {
        "create": DECIDERS, "delete": frozenset({ADMIN}),
    },
    # Whoever works a record may pin it on a drawing, and move the pin.
    "pin": {
        "create": EVERYONE, "edit": EVERYONE, "delete": DECIDERS | {AUTHOR},
    },
}

# Fields shown unmasked only to these roles; everyone else gets a masked value.
UNMASKED: dict[str, dict[str, frozenset[str]]] = {
    "feedback": {
        "resident_phone": frozenset({LIAISON, SUPERVISOR, ADMIN}),
        "resident_name": frozenset({LIAISON, SUPERVISOR, ADMIN}),
    },
}


def allowed(roles: frozenset[str], type_name: str, action: str, is_author: bool = False,
            stand_ins: frozenset[str] = frozenset()) -> bool:
    """Whether a holder of `roles` (the record's author if `is_author`, and whom else of
    `stand_ins` the record names) may do `action`. A stand-in counts for members only."""
    rules = PERMISSIONS.get(type_name, {})
    if action.startswith("edit:") and action not in rules:
        action = "edit"
    granted = rules.get(action, frozenset())
    held = stand_ins | ({AUTHOR} if is_author else set())
    return bool(roles & granted) or (bool(held & granted) and bool(roles))


def decision_action(kind: str | None) -> str | None:
    """The action deciding an approval of `kind` is checked as: its `decide:<kind>` row, or
    None for a kind without one (the approval's own status rows then apply)."""
    action = f"decide:{kind}"
    return action if action in PERMISSIONS["approval"] else None


def may_decide(roles: frozenset[str], kind: str | None) -> bool:
    """Whether a holder of `roles` decides (approves or rejects) approvals of `kind`."""
    return allowed(roles, "approval", decision_action(kind) or "status:pending->approved")


def stand_ins(record, user_id: str) -> frozenset[str]:
    """The stand-ins (CREW_FOREMAN, NEXT_FOREMAN) `user_id` is for a record (its values)."""
    values = getattr(record, "values", None) or {}
    return frozenset(stand for stand, field in STAND_IN_FIELDS.items()
                     if user_id and values.get(field) == user_id)


def may_read(roles: frozenset[str], type_name: str, field: str) -> bool:
    """Whether a holder of `roles` reads `field` of a `type_name` record unmasked."""
    rule = UNMASKED.get(type_name, {}).get(field)
    return rule is None or bool(roles & rule)


def masked_view(roles: frozenset[str]) -> str | None:
    """The fields a holder of `roles` reads masked, as one name (None when none is): what a
    pull cursor remembers of how a device saw a project."""
    hidden = [f"{type_name}.{field}" for type_name, rules in sorted(UNMASKED.items())
              for field in sorted(rules) if not roles & rules[field]]
    return ",".join(hidden) or None


def mask(value):
    """A masked form that keeps enough to recognise a value: 138****5678, 王**."""
    if not isinstance(value, str) or not value:
        return value
    if value[-1].isdigit() and len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return value[0] + "*" * max(len(value) - 1, 1)


def permission_table() -> dict:
    """The table as the wire carries it to clients (`user.permissions`): roles as sorted
    lists, `author` naming the stand-in for a record's creator."""
    return {
        "author": AUTHOR,
        "stand_ins": dict(STAND_IN_FIELDS),
        "rules": {type_name: {action: sorted(roles) for action, roles in actions.items()}
                  for type_name, actions in PERMISSIONS.items()},
        "unmasked": {type_name: {name: sorted(roles) for name, roles in fields.items()}
                     for type_name, fields in UNMASKED.items()},
    }
