"""`flask seed-demo`: a municipal road renovation to explore and to test against."""
from __future__ import annotations

import datetime as dt
import uuid

import click
from sqlalchemy import select

from .accounts.models import User
from .accounts.passwords import hash_password
from .accounts.tokens import Caller
from .blobs.routes import keep
from .approvals.table import approval_id
from .demo_drawings import change_order_sheet, water_main_plan
from .extensions import db
from .projects.models import Membership, Project
from .projects.setup import add_builtin_checklists
from .records.feedback import DEFAULT_RESPONSE_HOURS
from .records.work_step import DEFAULT_STEPS
from .syncing.service import write_as

# Demo ids are derived from names, so a second load would reuse them.
NAMESPACE = uuid.UUID("6f1c2a52-3b7e-4f0e-9d2a-6b1f0c9e8a11")

USERS = [
    ("foreman1", "张建国", "foreman"),
    ("foreman2", "李志强", "foreman"),
    ("liaison1", "王丽", "liaison"),
    ("supervisor1", "陈明", "supervisor"),
    ("safety1", "刘洋", "safety"),
    ("quality1", "孙慧", "quality"),
    ("admin1", "赵磊", "admin"),
]

SECTIONS = [
    ("A01", "交通导改区（北段 K0+000–K0+350）", "foreman1", "半幅封闭施工，设置临时便道与导向标志。"),
    ("A02", "交通导改区（南段 K0+350–K0+700）", "foreman2", "早晚高峰保持双向通行。"),
    ("B01", "给水管线迁改", "foreman1", "DN600 给水主管迁改，需与自来水公司配合停水。"),
    ("B02", "雨污水管线迁改", "foreman2", "d800 雨水管、d500 污水管顶管及开槽施工。"),
    ("B03", "燃气管线保护", "foreman1", "中压燃气管两侧 2 m 内禁止机械开挖。"),
    ("C01", "路基处理", "foreman2", "旧路面铣刨、换填及水稳层施工。"),
    ("C02", "沥青摊铺", "foreman1", "AC-20 下面层、AC-13 上面层摊铺碾压。"),
    ("D01", "人行道及绿化带", "foreman2", "透水砖铺装、行道树移植。"),
]


def demo_id(name: str) -> str:
    """A stable id for a named demo record."""
    return str(uuid.uuid5(NAMESPACE, name))


def change_order_approval() -> str:
    """The id of the pending approval the demo's change order (变更-001 rev. A) opened."""
    return approval_id("document_version", demo_id("doc-co1-A"), "change_order", 1)


def _caller(user: User, project: Project, role: str) -> Caller:
    return Caller(user.id, user.username, user.name, "", {project.id: frozenset({role})})


@click.command("seed-demo")
@click.option("--password", required=True,
              help="password of every demo user (not checked like a real one: it is shared)")
@click.option("--if-empty", is_flag=True,
              help="load only into a database without any user (never beside real accounts)")
def seed_demo_command(password: str, if_empty: bool):
    """Load the demo project DEMO and its users (once; a second run changes nothing).

    admin1 is made a server administrator as well as the project's admin, so the demo shows
    creating projects and accounts; on a real server use `flask create-admin` instead."""
    if db.session.execute(select(Project.id).where(Project.code == "DEMO")).first():
        click.echo("demo project DEMO is already loaded")
        return
    if if_empty and db.session.execute(select(User.id).limit(1)).first():
        click.echo("the database already has users: demo not loaded")
        return
    load_demo(password)
    click.echo("demo loaded: project DEMO; log in as " + ", ".join(u for u, _, _ in USERS))


def load_demo(password: str, today: dt.date | None = None) -> None:
    """Create the demo users, project, sections and records."""
    today = today or dt.date.today()
    day = lambda offset: (today + dt.timedelta(days=offset)).isoformat()  # noqa: E731
    project = Project(id=demo_id("project"), code="DEMO", name="解放路道路改造工程（演示）",
                      settings={"feedback_response_hours": dict(DEFAULT_RESPONSE_HOURS),
                                "work_steps": list(DEFAULT_STEPS)})
    db.session.add(project)
    users, callers = {}, {}
    secret = hash_password(password)
    for username, name, role in USERS:
        user = User(id=demo_id(username), username=username, name=name, password_hash=secret,
                    is_server_admin=username == "admin1")
        users[username] = user
        db.session.add(user)
        db.session.add(Membership(project=project, user=user, role=role))
    db.session.commit()
    for username, _, role in USERS:
        callers[username] = _caller(users[username], project, role)
    admin, sup, safety, liaison = (callers[n] for n in ("admin1", "supervisor1", "safety1", "liaison1"))
    put = lambda who, kind, name, fields: write_as(callers[who] if isinstance(who, str) else who,  # noqa: E731
                                                   kind, demo_id(name), fields)
    base = {"project_id": project.id}

    add_builtin_checklists(admin, project.id)
    for code, name, owner, description in SECTIONS:
        put(admin, "section", code, {**base, "code": code, "name": name,
                                     "owner_id": users[owner].id, "description": description})

    tasks = [
        ("t1", "A01", "foreman1", "北段围挡及导向标志设置", "high", 100, "accepted", -6),
        ("t2", "B01", "foreman1", "DN600 给水管临时管道接驳", "urgent", 60, "doing", 1),
        ("t3", "B02", "foreman2", "雨水管 W12–W15 开槽", "high", 100, "done", -1),
        ("t4", "B03", "foreman1", "燃气管人工探坑确认走向", "urgent", 0, "todo", -2),
        ("t5", "C01", "foreman2", "K0+350–K0+500 旧路面铣刨", "normal", 30, "doing", 4),
        ("t6", "C02", "foreman1", "沥青下面层试验段摊铺", "normal", 0, "todo", 12),
        ("t7", "D01", "foreman2", "行道树移植（12 株）", "low", 0, "todo", 20),
        ("t8", "A02", "foreman2", "南段夜间施工交通疏导方案", "high", 80, "doing", 0),
    ]
    for key, section, who, title, priority, progress, status, due in tasks:
        put(who, "task", key, {**base, "section_id": demo_id(section), "title": title,
                               "assignee_id": users[who].id, "priority": priority,
                               "progress": progress, "due_date": day(due),
                               "planned_start": day(due - 7), "planned_end": day(due)})
        # Work started on its planned day and ended on its due day (as the phone stamps them).
        stamps = {"doing": {"actual_start": day(due - 7)}, "done": {"actual_end": day(min(due, 0))}}
        for step in ("doing", "done")[:("todo", "doing", "done", "accepted").index(status)]:
            put(who, "task", key, {"status": step, **stamps[step]})
        if status == "accepted":
            put(sup, "task", key, {"status": "accepted"})
    put("foreman2", "task", "t5", {"depends_on": {"add": [demo_id("t3")]}})

    # The crew roster the morning briefing ticks names from.
    for n, (worker, trade, team) in enumerate((
            ("周大海", "管道工", "管道一班"), ("吴小兵", "焊工", "管道一班"), ("郑军", "普工", "管道一班"),
            ("孙立", "机械操作工", "路面班"), ("钱志刚", "混凝土工", "路面班"), ("冯小龙", "普工", "路面班"),
            ("陈国庆", "钢筋工", "钢筋班"), ("褚卫东", "钢筋工", "钢筋班"))):
        put("foreman1", "worker", f"w{n}", {**base, "name": worker, "trade": trade, "team": team, "active": True})

    put("foreman1", "briefing", "b-today", {
        **base, "date": day(0), "weather": "多云 8–15°C，东北风 3 级",
        "key_tasks": "1. B01 给水管临时接驳，10:00 前完成停水公告确认\n2. A02 南段夜间疏导方案交底",
        "risk_points": "B03 燃气管 2 m 范围内禁止机械开挖；沟槽深 3.2 m，必须放坡并设防护栏。",
        "section_ids": {"add": [demo_id("A01"), demo_id("B01"), demo_id("B03")]},
        "attendees": {"add": ["张建国", "周大海", "吴小兵", "郑军", "孙立"]}, "headcount": 18})
    put("foreman1", "briefing", "b-today", {"status": "submitted"})
    put("foreman1", "briefing", "b-yesterday", {
        **base, "date": day(-1), "weather": "晴 6–14°C", "key_tasks": "B02 雨水管 W12–W15 开槽",
        "risk_points": "沟槽边 1 m 内禁止堆土。", "attendees": {"add": ["张建国", "周大海", "郑军"]},
        "headcount": 15})
    put("foreman1", "briefing", "b-yesterday", {"status": "submitted"})
    put(sup, "briefing", "b-yesterday", {"status": "acknowledged"})

    put(safety, "safety_check", "c1", {
        **base, "section_id": demo_id("B02"), "date": day(-1), "template": "excavation",
        "likelihood": 3, "severity": 4,
        "notes": "W13 段沟槽东侧临边防护缺失约 15 m。",
        "results": {"EX01": "pass", "EX02": "fail", "EX03": "pass", "EX04": "na"},
        "item_notes": {"EX02": "W13 东侧槽边 1 m 内堆土约 3 m³，挖掘机停在槽边。",
                       "EX04": "开挖范围内无其他管线（见管线交底图）。"}})
    put(safety, "safety_check", "c1", {"status": "rectifying"})
    put(safety, "action", "a1", {
        **base, "check_id": demo_id("c1"), "item": "EX02",
        "description": "W13 段沟槽东侧补设 1.2 m 高防护栏杆及警示灯", "owner_id": users["foreman2"].id,
        "deadline": day(0)})
    put(safety, "safety_check", "c2", {
        **base, "section_id": demo_id("A01"), "date": day(-3), "template": "electrical",
        "likelihood": 1, "severity": 2, "results": {"EL01": "pass", "EL02": "pass", "EL03": "pass"}})

    feedback = [
        ("f1", "noise", "A02", "夜间 23 点后仍有破碎锤作业，影响休息。", "解放路 88 号 3 单元", "周女士",
         "13812345678", "hotline", None, "received", -2),
        ("f2", "access", "A01", "小区北门临时通道被围挡占用，老人出入不便。", "锦绣花园北门", "黄先生",
         "13987654321", "visit", None, "in_progress", -20),
        ("f3", "dust", "C01", "铣刨作业扬尘大，请增加洒水。", "解放路 120 号沿街商铺", "何老板",
         "15011112222", "phone", 4, "resolved", -30),
        ("f4", "damage", "B02", "施工车辆压坏人行道地砖。", "解放路与中山路交叉口东南角", None, None,
         "online", 4, "closed", -72),
    ]
    steps = ("received", "acknowledged", "in_progress", "resolved", "closed")
    now = dt.datetime.now(dt.timezone.utc)
    for key, category, section, text, place, name, phone, channel, score, status, hours in feedback:
        due = (now + dt.timedelta(hours=hours + project.settings["feedback_response_hours"][category]))
        fields = {**base, "section_id": demo_id(section), "category": category, "description": text,
                  "location": place, "channel": channel,
                  "response_due": due.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if name:
            fields |= {"resident_name": name, "resident_phone": phone}
        put(liaison, "feedback", key, fields)
        if score:
            put(liaison, "feedback", key, {"satisfaction": score})
        answered = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        for step in steps[1:steps.index(status) + 1]:
            put(liaison, "feedback", key, {"status": step,
                                           **({"responded_at": answered} if step == "acknowledged" else {})})

    _work_steps(put, base, users, day)

    # A drawing in two revisions (rev. B current), rev. A's pins still placed on rev. A,
    # and the minutes of today's briefing.
    put(admin, "document", "d-plan", {
        **base, "kind": "drawing", "title": "给水管线迁改平面图", "number": "道施-03",
        "discipline": "给排水", "section_ids": {"add": [demo_id("B01")]}})
    for revision, date, note in (("A", day(-10), "首次发布"), ("B", day(-1), "阀门井东移 16 m，增设旁通管")):
        put(admin, "document_version", f"d-plan-{revision}", {
            **base, "document_id": demo_id("d-plan"), "revision": revision, "date": date,
            "note": note, "file": keep(water_main_plan(revision), users["admin1"].id)})
    put("foreman1", "pin", "pin-t2", {
        **base, "document_id": demo_id("d-plan"), "version_id": demo_id("d-plan-A"), "page": 1,
        "x": 0.55, "y": 0.42, "subject_type": "task", "subject_id": demo_id("t2")})
    put(admin, "document", "d-minutes", {
        **base, "kind": "minutes", "title": "班前会及协调会纪要", "number": f"纪要-{day(0)}",
        "briefing_id": demo_id("b-today")})
    put(admin, "document", "doc-co1", {
        **base, "kind": "change_order", "title": "W14 检查井位置东移", "number": "变更-001",
        "discipline": "给排水", "section_ids": {"add": [demo_id("B02")]}})
    # Pending approvals the server opened as the demo moved its subjects: t3 marked done
    # (task acceptance), f3 resolved (closure review) and the change order's rev. A
    # uploaded (change order); f2, past its response deadline, is escalated at a
    # supervisor's first sync.
    put(admin, "document_version", "doc-co1-A", {
        **base, "document_id": demo_id("doc-co1"), "revision": "A", "date": day(-1),
        "note": "W14 检查井位置东移 1.5 m，避让既有燃气管，申请设计变更。",
        "file": keep(change_order_sheet(), users["admin1"].id)})
    put(sup, "comment", "m1", {**base, "subject_type": "task", "subject_id": demo_id("t2"),
                               "body": "停水时间以自来水公司公告为准，提前通知沿线商户。"})


# Quality checklists the demo project added for its inspections; items with a unit are measured.
QUALITY_CHECKLISTS = [
    ("rebar", "钢筋绑扎", "Rebar tying", [
        ("RB01", "钢筋品种、规格、数量符合设计", "Bar grade, size and count as designed", None),
        ("RB02", "受力钢筋间距偏差", "Spacing deviation of main bars", "mm"),
        ("RB03", "保护层厚度", "Concrete cover", "mm"),
        ("RB04", "绑扎牢固，无松扣、漏绑", "Ties tight, none loose or missing", None),
    ]),
    ("compaction", "压实度", "Compaction", [
        ("CP01", "分层厚度不大于 30 cm", "Layers no thicker than 30 cm", "cm"),
        ("CP02", "压实度（环刀法）不小于 95 %", "Compaction (core cutter) at least 95 %", "%"),
        ("CP03", "管顶以上 50 cm 内人工夯实", "Hand tamping within 50 cm above the pipe", None),
    ]),
]


def _work_steps(put, base: dict, users: dict, day) -> None:
    """B02's work steps: the trench passed all three inspections (mutual failed once and was
    rectified), the pipe laid and self-inspected, the backfill waiting on it."""
    for code, name, name_en, items in QUALITY_CHECKLISTS:
        put("admin1", "checklist", f"checklist-{code}", {
            **base, "code": code, "name": name, "name_en": name_en, "builtin": False, "active": True,
            "items": [{"code": c, "text": t, "text_en": e, **({"unit": u} if u else {})}
                      for c, t, e, u in items]})
    section = demo_id("B02")
    f1, f2 = users["foreman1"].id, users["foreman2"].id
    steps = (("ws1", "沟槽开挖", "管道一班", f2, f1, -12, -8, None),
             ("ws2", "管道安装", "管道二班", f1, f2, -7, -2, "ws1"),
             ("ws3", "回填", "路面班", f2, f1, -1, 3, "ws2"))
    for key, step, crew, foreman, following, start, end, after in steps:
        put("supervisor1", "work_step", key, {
            **base, "section_id": section, "step": step, "crew": crew, "foreman_id": foreman,
            "next_foreman_id": following, "planned_start": day(start), "planned_end": day(end),
            "depends_on": demo_id(after) if after else None})

    def inspect(who, key, level, round_, result, checklist, results, measurements=None, notes=None,
                days_ago=0, hour=2):
        put(who, "inspection", f"{key}-{level}-{round_}", {
            **base, "work_step_id": demo_id(key), "level": level, "round": round_,
            "result": result, "checklist": checklist, "results": results,
            "measurements": measurements or {}, "notes": notes,
            "inspected_at": f"{day(-days_ago)}T{hour:02d}:30:00Z"})

    trench = {"EX01": "pass", "EX02": "pass", "EX03": "pass", "EX05": "pass"}
    put("foreman2", "work_step", "ws1", {"status": "in_progress", "actual_start": day(-12)})
    inspect("foreman2", "ws1", "self", 0, "pass", "excavation", trench, days_ago=9, hour=1)
    put("foreman2", "work_step", "ws1", {"status": "self_passed"})
    inspect("foreman1", "ws1", "mutual", 0, "fail", "excavation", {**trench, "EX05": "fail"},
            notes="W14 处槽底积水约 10 cm，需抽排后复查。", days_ago=9, hour=6)
    put("foreman1", "work_step", "ws1", {"status": "rectifying_mutual"})
    put("foreman2", "work_step", "ws1", {"status": "self_passed"})
    inspect("foreman1", "ws1", "mutual", 1, "pass", "excavation", trench, days_ago=8, hour=1)
    put("foreman1", "work_step", "ws1", {"status": "mutual_passed"})
    inspect("quality1", "ws1", "specialist", 0, "pass", "excavation", trench, days_ago=8, hour=6)
    put("quality1", "work_step", "ws1", {"status": "passed"})
    put("foreman2", "work_step", "ws1", {"actual_end": day(-8)})

    put("foreman1", "work_step", "ws2", {"status": "in_progress", "actual_start": day(-7)})
    inspect("foreman1", "ws2", "self", 0, "pass", "excavation", trench, days_ago=1)
    put("foreman1", "work_step", "ws2", {"status": "self_passed"})
