"""My day's rules, as pwa/js/sync/my_day.js states them (one definition, tested on both
through tests/fixtures/my_day_cases.json). Pure: records in, buckets out, no database.

Records are views `{id, created_by, updated_at, fields}` by type (section, task, action,
feedback, approval, escalation); `today` is the user's date, `now` and `day_end` ISO UTC
times (this moment, the end of the user's day).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from ..permissions import may_decide

BUCKETS = ("overdue", "due_today", "to_decide", "sent_back", "accepted", "escalated")
# Roles an overdue complaint or action is escalated to.
ESCALATED_TO = frozenset({"supervisor", "admin"})
OPEN_TASK = ("todo", "doing")
# A complaint is answered for once resolved or closed: my day and the escalations agree.
ANSWERED = ("resolved", "closed")


def still_late(type_name: str, status: str | None) -> bool:
    """Whether a complaint or action past its deadline in `status` is still escalated: a
    complaint until answered, an action while open (escalations are resolved by the same rule)."""
    if type_name == "feedback":
        return (status or "received") not in ANSWERED
    return (status or "open") == "open"


# Days an accepted decision stays on its asker's day.
ACCEPTED_DAYS = 3
KIND_ORDER = ("task_acceptance", "rectification", "closure_review", "check_closure", "change_order",
              "signoff")


def own_sections(sections: Iterable[dict], user_id: str) -> set[str]:
    """The ids of the sections `user_id` answers for."""
    return {section["id"] for section in sections if section["fields"].get("owner_id") == user_id}


def is_my_task(task: dict, user_id: str, own: set[str]) -> bool:
    """Assigned to me, in a section of mine, or made by me and given to nobody."""
    fields = task["fields"]
    if fields.get("assignee_id"):
        return fields["assignee_id"] == user_id or fields.get("section_id") in own
    return fields.get("section_id") in own or task.get("created_by") == user_id


def is_my_complaint(complaint: dict, user_id: str, own: set[str], roles: frozenset[str]) -> bool:
    """Logged by me, in a section of mine, or any one for a liaison."""
    return ("liaison" in roles or complaint.get("created_by") == user_id
            or complaint["fields"].get("section_id") in own)


def requester_of(approval: dict) -> str | None:
    """Who asked for a decision: `requested_by`, else whoever made the approval."""
    return approval["fields"].get("requested_by") or approval.get("created_by")


def _instant(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _day_of(date: str | None, today: str) -> str | None:
    if not date:
        return None
    if date < today:
        return "overdue"
    return "due_today" if date == today else None


def _response_day(due, now: dt.datetime, day_end: dt.datetime) -> str | None:
    at = _instant(due) if due else None
    if at is None:
        return None
    if at < now:
        return "overdue"
    return "due_today" if at <= day_end else None


def _round(approval: dict) -> tuple:
    """How late a round of asking is: pending over decided, then cycle, then last change."""
    fields = approval["fields"]
    return (1 if (fields.get("status") or "pending") == "pending" else 0, fields.get("cycle") or 1,
            approval.get("updated_at") or "")


def _latest_rounds(approvals: list[dict]) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for approval in approvals:
        key = approval["fields"].get("subject_id")
        if key not in latest or _round(approval) > _round(latest[key]):
            latest[key] = approval
    return latest


def _by_due(entry: dict) -> tuple:
    return (str(entry.get("due") or ""), entry["type"], entry["id"])


def _by_kind(entry: dict) -> tuple:
    kind = entry.get("kind")
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), entry["id"])


def my_day(records: dict[str, list[dict]], user_id: str, roles: Iterable[str], today: str,
           now: str, day_end: str) -> dict[str, list[dict]]:
    """The buckets of a user's day (see pwa/js/sync/my_day.js for what each holds)."""
    roles = frozenset(roles)
    now_at, end_at = _instant(now), _instant(day_end)
    own = own_sections(records.get("section", []), user_id)
    buckets: dict[str, list[dict]] = {name: [] for name in BUCKETS}

    def place(bucket, entry):
        if bucket:
            buckets[bucket].append(entry)

    for task in records.get("task", []):
        if (task["fields"].get("status") or "todo") in OPEN_TASK and is_my_task(task, user_id, own):
            due = task["fields"].get("due_date")
            place(_day_of(due, today), {"type": "task", "id": task["id"], "due": due})
    for action in records.get("action", []):
        fields = action["fields"]
        if (fields.get("status") or "open") == "open" and fields.get("owner_id") == user_id:
            place(_day_of(fields.get("deadline"), today),
                  {"type": "action", "id": action["id"], "due": fields.get("deadline")})
    for complaint in records.get("feedback", []):
        fields = complaint["fields"]
        if (fields.get("status") or "received") in ANSWERED or not is_my_complaint(complaint, user_id, own, roles):
            continue
        place(_response_day(fields.get("response_due"), now_at, end_at),
              {"type": "feedback", "id": complaint["id"], "due": fields.get("response_due")})

    approvals = records.get("approval", [])
    # Each kind has its own deciders (a safety officer verifies rectifications, not tasks).
    buckets["to_decide"] = [{"type": "approval", "id": a["id"], "kind": a["fields"].get("kind")}
                            for a in approvals if (a["fields"].get("status") or "pending") == "pending"
                            and may_decide(roles, a["fields"].get("kind"))]
    first = dt.date.fromisoformat(today)
    recent = (first - dt.timedelta(days=min(ACCEPTED_DAYS, (first - dt.date.min).days))).isoformat()
    for approval in _latest_rounds(approvals).values():
        if requester_of(approval) != user_id:
            continue
        entry = {"type": "approval", "id": approval["id"], "kind": approval["fields"].get("kind"),
                 "at": approval.get("updated_at")}
        status = approval["fields"].get("status")
        if status == "rejected":
            buckets["sent_back"].append(entry)
        elif status == "approved" and str(approval.get("updated_at") or "")[:10] >= recent:
            buckets["accepted"].append(entry)

    if roles & ESCALATED_TO:
        recorded = {e["fields"].get("subject_id"): e["fields"].get("escalated_at")
                    for e in records.get("escalation", []) if (e["fields"].get("state") or "open") == "open"}

        def escalate(type_name, view, reason, due):
            buckets["escalated"].append({"type": type_name, "id": view["id"], "reason": reason,
                                         "due": due, "escalated_at": recorded.get(view["id"])})
        for complaint in records.get("feedback", []):
            fields = complaint["fields"]
            if (still_late("feedback", fields.get("status"))
                    and _response_day(fields.get("response_due"), now_at, end_at) == "overdue"):
                escalate("feedback", complaint, "response_overdue", fields.get("response_due"))
        for action in records.get("action", []):
            fields = action["fields"]
            if still_late("action", fields.get("status")) and _day_of(fields.get("deadline"), today) == "overdue":
                escalate("action", action, "action_overdue", fields.get("deadline"))

    for name in ("overdue", "due_today", "escalated"):
        buckets[name].sort(key=_by_due)
    buckets["to_decide"].sort(key=_by_kind)
    # Newest decision first: sort by id, then stably by time descending.
    for name in ("sent_back", "accepted"):
        buckets[name].sort(key=lambda entry: entry["id"])
        buckets[name].sort(key=lambda entry: str(entry.get("at") or ""), reverse=True)
    return buckets
