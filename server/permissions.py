"""Who may do what: the one table of permissions, enforced by the server only.

Actions on a record type are `create`, `edit` (any field but the state), `delete`,
and `status:<from>-><to>` for each move of its state machine. `edit:<field>` overrides
`edit` for one field. `AUTHOR` stands for the user who created the record, whatever their
roles.
"""
from __future__ import annotations

FOREMAN, LIAISON, SAFETY, SUPERVISOR, ADMIN = "foreman", "liaison", "safety", "supervisor", "admin"
AUTHOR = "@author"
EVERYONE = frozenset({FOREMAN, LIAISON, SAFETY, SUPERVISOR, ADMIN})
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
    },
    "action": {
        "create": CHECKERS, "edit": CHECKERS, "delete": SAFETY_LEADS | {AUTHOR},
        "status:open->done": CHECKERS,
        "status:done->verified": frozenset({SAFETY, ADMIN}),
    },
    "feedback": {
        "create": LIAISONS, "edit": LIAISONS, "delete": LIAISONS,
        "status:received->acknowledged": LIAISONS,
        "status:acknowledged->in_progress": LIAISONS,
        "status:in_progress->resolved": LIAISONS,
        "status:resolved->closed": LIAISONS,
    },
    "approval": {
        "create": EVERYONE, "edit": frozenset({ADMIN, AUTHOR}), "delete": frozenset({ADMIN}),
        "edit:decision_comment": DECIDERS,
        "status:pending->approved": DECIDERS,
        "status:pending->rejected": DECIDERS,
        "status:pending->withdrawn": frozenset({ADMIN, AUTHOR}),
    },
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


def allowed(roles: frozenset[str], type_name: str, action: str, is_author: bool = False) -> bool:
    """Whether a holder of `roles` (the record's author if `is_author`) may do `action`."""
    rules = PERMISSIONS.get(type_name, {})
    if action.startswith("edit:") and action not in rules:
        action = "edit"
    granted = rules.get(action, frozenset())
    return bool(roles & granted) or (is_author and AUTHOR in granted and bool(roles))


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
        "rules": {type_name: {action: sorted(roles) for action, roles in actions.items()}
                  for type_name, actions in PERMISSIONS.items()},
        "unmasked": {type_name: {name: sorted(roles) for name, roles in fields.items()}
                     for type_name, fields in UNMASKED.items()},
    }
