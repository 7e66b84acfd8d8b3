"""The daily and weekly report and the exports, on the records of the figures fixture: the
same figures as server/reports/figures.py, the day's records on every PDF page, CSV and XLSX
that read back, and resident data masked and logged by role."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import uuid
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
from PIL import Image
from sqlalchemy import select

from server.accounts.models import User
from server.demo import demo_id
from server.extensions import db
from server.privacy.models import PersonalDataAccess
from server.projects.models import Membership, Project
from server.records import KINDS
from server.reports import figures

from .conftest import demo_app
from .demo_site import DemoSite, assert_error

CASES = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "figures_cases.json")
                   .read_text(encoding="utf-8"))
PROJECT = str(uuid.uuid5(uuid.NAMESPACE_URL, "gridline:test:figures-project"))
PROJECT_NAME = "滨江路排水改造工程"
TYPES = {"sections": "section", "tasks": "task", "checks": "safety_check", "actions": "action",
         "feedback": "feedback", "work_steps": "work_step", "inspections": "inspection"}
REFERENCES = ("section_id", "check_id", "work_step_id")
# The fixture's short ids, as the UUIDs records have.
IDS = {record["id"]: str(uuid.uuid5(uuid.NAMESPACE_URL, f"gridline:test:{record['id']}"))
       for group in CASES["records"].values() for record in group}
RESIDENT = {"resident_name": "王小明", "resident_phone": "13812345678"}
ROLES = {"foreman1": "foreman", "liaison1": "liaison", "admin1": "admin"}


def _stored(name: str, value):
    """A fixture value as its column holds it: dates as dates, references as UUIDs."""
    if name in REFERENCES:
        return IDS.get(value)
    if name == "depends_on":
        return [IDS.get(item, item) for item in value]
    if name in ("date", "due_date", "deadline", "planned_start", "planned_end", "actual_start",
                "actual_end") and value:
        return dt.date.fromisoformat(value)
    return value


def load_fixture() -> None:
    """The fixture's records as rows of a project of their own (their own created_at)."""
    db.session.add(Project(id=PROJECT, code="FIG", name=PROJECT_NAME, settings={}))
    for username, role in ROLES.items():
        db.session.add(Membership(project_id=PROJECT, user_id=demo_id(username), role=role))
    seq = 0
    for group, records in CASES["records"].items():
        kind = KINDS[TYPES[group]]
        for record in records:
            seq += 1
            values = {name: _stored(name, value) for name, value in record["fields"].items()}
            if record["id"] == "f5":
                values |= RESIDENT
            if group == "inspections":
                values["created_by"] = demo_id("foreman1")
            db.session.add(kind.model(id=IDS[record["id"]], project_id=PROJECT, seq=10_000 + seq,
                                      deleted=False, meta={}, created_at=record["created_at"],
                                      updated_at=record["created_at"], **values))
    db.session.commit()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp("reports")) as app:
        with app.app_context():
            load_fixture()
        yield DemoSite(app)


def get(site: DemoSite, path: str, username: str = "admin1", **headers):
    response = site.client.get(f"/api/projects/{PROJECT}/{path}",
                               headers={**site.headers(username), **headers})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def csv_rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode("utf-8")), "no byte-order mark for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def logged(site: DemoSite, username: str) -> set[str]:
    """Record ids of the access-log rows written for `username` in the fixture's project."""
    with site.app.app_context():
        return set(db.session.scalars(select(PersonalDataAccess.record_id).where(
            PersonalDataAccess.project_id == PROJECT,
            PersonalDataAccess.user_id == demo_id(username))))


def expected_figures(today: str, now: str) -> dict:
    """The figures module on the fixture's records, with the UUIDs they are stored under."""
    def remap(record):
        fields = {name: ([IDS.get(i, i) for i in value] if name == "depends_on" else
                         IDS.get(value, value) if name in REFERENCES else value)
                  for name, value in record["fields"].items()}
        return {**record, "id": IDS[record["id"]], "fields": fields}
    records = {group: [remap(r) for r in rows] for group, rows in CASES["records"].items()}
    return figures.dashboard(records, today, now)


def report_progress(html: str) -> dict[str, tuple[str, str, str]]:
    """Section id → (actual, planned, overdue) from the weekly report's progress table."""
    return {m[0]: (m[1], m[2], m[3]) for m in re.findall(
        r'data-section="([^"]+)" data-progress="([^"]*)" data-planned="([^"]*)" data-overdue="(\d+)"', html)}


def test_weekly_report_shows_the_figures_module_figures(site):
    """The week's report gives each section the progress, plan and overdue count the figures
    module computes on the same records, as of the week's last day."""
    html = get(site, "reports/daily?date=2026-11-16&period=week&format=html&lang=en").get_data(as_text=True)
    expected = expected_figures("2026-11-22", "2026-11-22T16:00:00Z")
    rows = report_progress(html)
    assert rows == {row["section_id"]: (str(row["progress"]), str(row["planned"]), str(row["overdue"]))
                    for row in expected["progress"]}
    assert f'data-open-actions="{expected["actions"]["open"]}"' in html
    assert f'data-satisfaction="{expected["residents"]["satisfaction"]}"' in html


def test_tasks_csv_adds_up_to_the_reports_figures(site):
    """Each section's tasks in the CSV average to the report's progress, and the CSV marks
    as many of them overdue as the report counts."""
    today = dt.date.today().isoformat()
    html = get(site, f"reports/daily?date={today}&period=week&format=html&lang=en").get_data(as_text=True)
    rows = csv_rows(get(site, "exports/tasks.csv?lang=en"))
    header, body = rows[0], rows[1:]
    section, progress, overdue = (header.index(name) for name in ("Section", "Progress", "Overdue"))
    names = {IDS[s["id"]]: f'{s["fields"]["code"]} {s["fields"]["name"]}' for s in CASES["records"]["sections"]}
    for section_id, (actual, _, overdue_count) in report_progress(html).items():
        own = [row for row in body if row[section] == names[section_id]]
        assert str(figures.round_half_up(sum(int(row[progress]) for row in own) / len(own))) == actual
        assert str(sum(row[overdue] == "yes" for row in own)) == overdue_count


def test_csv_reads_back_one_row_per_record_with_names(site):
    """tasks.csv has a row per task, sections and prerequisites by name, headers in Chinese
    for a Chinese reader."""
    rows = csv_rows(get(site, "exports/tasks.csv", **{"Accept-Language": "zh-CN,zh;q=0.9"}))
    assert rows[0][:3] == ["标题", "网格", "指派给"]
    titles = {task["fields"]["title"] for task in CASES["records"]["tasks"]}
    assert {row[0] for row in rows[1:]} == titles and len(rows) - 1 == len(titles)
    after = {row[0]: row[rows[0].index("前置任务")] for row in rows[1:]}
    assert after["回填"] == "垫层; 清理" or after["回填"] == "清理; 垫层"
    assert {row[1] for row in rows[1:]} == {"A01 沟槽段", "A02 管线段", "B01 路面段"}


def test_xlsx_reads_back_to_the_same_records_as_the_csv(site):
    """The workbook holds the CSV's rows, cell for cell (numbers as numbers)."""
    for name in ("tasks", "work_steps", "safety_checks", "actions", "inspections", "complaints"):
        from_csv = csv_rows(get(site, f"exports/{name}.csv?lang=en"))
        book = openpyxl.load_workbook(io.BytesIO(get(site, f"exports/{name}.xlsx?lang=en").get_data()),
                                      read_only=True)
        from_xlsx = [["" if cell is None else str(cell) for cell in row]
                     for row in book.active.iter_rows(values_only=True)]
        assert from_xlsx == from_csv, name


def test_exports_narrow_by_dates_and_section(site):
    """from/to pick by each record's activity, section_id by its section (actions by their check's)."""
    checks = csv_rows(get(site, "exports/safety_checks.csv?from=2026-11-16&to=2026-11-18&lang=en"))
    assert sorted(row[0] for row in checks[1:]) == ["2026-11-16", "2026-11-18"]
    actions = csv_rows(get(site, f"exports/actions.csv?section_id={IDS['s1']}&lang=en"))
    assert sorted(row[0] for row in actions[1:]) == sorted(
        a["fields"]["description"] for a in CASES["records"]["actions"] if a["fields"]["check_id"] in ("c1", "c2"))


@pytest.mark.parametrize("username,phone,is_logged", [
    ("foreman1", "138****5678", False), ("liaison1", "13812345678", True)])
def test_complaints_export_masks_by_role_and_logs_unmasked(site, username, phone, is_logged):
    """A foreman's export shows the resident's phone masked and is not logged; a liaison's
    shows it whole and logs the complaint."""
    rows = csv_rows(get(site, "exports/complaints.csv?lang=en", username))
    column = rows[0].index("Resident phone")
    assert [row[column] for row in rows[1:] if row[column]] == [phone]
    assert (IDS["f5"] in logged(site, username)) is is_logged


def test_daily_report_masks_by_role_and_logs_unmasked(site):
    """The day's report lists the complaint received that day, masked for a foreman, whole
    (and logged) for a liaison."""
    foreman = get(site, "reports/daily?date=2026-11-20&format=html", "foreman1").get_data(as_text=True)
    assert "138****5678" in foreman and "13812345678" not in foreman and "王*" in foreman
    liaison = get(site, "reports/daily?date=2026-11-20&format=html", "liaison1").get_data(as_text=True)
    assert "13812345678" in liaison and "王小明" in liaison
    assert IDS["f5"] in logged(site, "liaison1")


def test_pdf_has_the_project_and_period_on_every_page_and_the_days_records(site, tmp_path):
    """Every page of the week's PDF is headed by the project's name and the period; the
    week's records are in its text; a rasterised page has ink on it (looked at by hand)."""
    response = get(site, "reports/daily?date=2026-11-16&period=week&format=pdf&lang=zh-CN")
    assert response.mimetype == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.get_data())
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert len(texts) >= 2, "the fixture's week should fill more than one page"
    for text in texts:
        assert PROJECT_NAME in text and "2026-11-16" in text
    whole = "".join(texts)
    for record in ("更换警示灯", "清理通道", "2026-11-18", "A01 沟槽段", "较大风险 · 12"):
        assert record in whole
    image = pdf[0].render(scale=1.5).to_pil().convert("L")
    image.save(tmp_path / "report-page-1.png")
    pdf.close()
    dark = sum(image.histogram()[:128])
    assert dark > image.width * image.height * 0.005


def test_daily_report_lists_the_tasks_finished_that_day(site):
    """A task whose actual end is the day is listed as finished, at 100 %."""
    html = get(site, "reports/daily?date=2026-11-12&format=html&lang=en").get_data(as_text=True)
    finished = html.split("Tasks finished")[1].split("Tasks progressed")[0]
    assert "沥青摊铺" in finished and "100%" in finished and "开挖" not in finished


def test_report_date_and_export_type_are_checked(site):
    """A bad date, an unknown export and an upside-down range answer the one error shape."""
    headers = site.headers("admin1")
    assert_error(site.client.get(f"/api/projects/{PROJECT}/reports/daily?date=2026-13-40",
                                 headers=headers), 422)
    assert_error(site.client.get(f"/api/projects/{PROJECT}/exports/secrets.csv", headers=headers), 404)
    assert_error(site.client.get(f"/api/projects/{PROJECT}/exports/tasks.csv?from=2026-12-01&to=2026-11-01",
                                 headers=headers), 422)


def test_figure_dates_sync_like_any_field(site):
    """actual_start/actual_end, responded_at and verified_at are pushed with a status move
    and pulled back as written; a malformed one is refused naming the field."""
    foreman = site.device("foreman1")
    task = str(uuid.uuid4())
    foreman.put("task", task, {"project_id": PROJECT, "title": "检查井砌筑"})
    foreman.put("task", task, {"status": "doing", "actual_start": "2026-11-20"})
    foreman.put("task", task, {"status": "done", "actual_end": "2026-11-21"})
    status, body = foreman.push()
    assert status == 200 and [r["status"] for r in body["results"]] == ["applied"] * 3, body
    with site.app.app_context():
        row = db.session.get(KINDS["task"].model, task)
        assert (row.actual_start, row.actual_end) == (dt.date(2026, 11, 20), dt.date(2026, 11, 21))
    liaison = site.device("liaison1")
    complaint = str(uuid.uuid4())
    liaison.put("feedback", complaint, {"project_id": PROJECT, "category": "dust", "description": "扬尘"})
    liaison.put("feedback", complaint, {"status": "acknowledged", "responded_at": "2026-11-20 08:00"})
    status, body = liaison.push()
    assert body["results"][1]["status"] == "rejected" and "responded_at" in body["results"][1]["error"]["fields"]


def test_satisfaction_target_is_a_project_setting_the_week_measures_against(site):
    """An admin sets the target; the weekly report shows the rate against it."""
    response = site.client.patch(f"/api/projects/{PROJECT}/settings", json={"satisfaction_target": 60},
                                 headers=site.headers("admin1"))
    assert response.status_code == 200 and response.get_json()["satisfaction_target"] == 60
    html = get(site, "reports/daily?date=2026-11-16&period=week&format=html&lang=en").get_data(as_text=True)
    assert "67% / 60%" in html and 'class="meets"' in html
    site.client.patch(f"/api/projects/{PROJECT}/settings", json={"satisfaction_target": 95},
                      headers=site.headers("admin1"))


def test_daily_report_shows_thumbnails_of_the_days_photos(site):
    """A photo put on a task today is in today's report as an embedded thumbnail."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 200)).save(out, "JPEG")
    data = out.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    response = site.client.put(f"/api/blobs/{sha}", data=data, headers={
        **site.headers("admin1"), "Content-Type": "image/jpeg"})
    assert response.status_code in (200, 201), response.get_json()
    admin = site.device("admin1")
    admin.put("task", IDS["t2"], {"photos": {"add": [sha]}})
    assert admin.push()[1]["results"][0]["status"] == "applied"
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    html = get(site, f"reports/daily?date={today}&format=html&lang=en").get_data(as_text=True)
    assert html.count('<img src="data:image/jpeg;base64,') == 1
    assert "垫层" in html.split("Tasks progressed")[1]


def report_quality(html: str) -> list[dict]:
    """The weekly report's first-pass rows, as the figures module gives them."""
    return [{"level": m[0], "steps": int(m[2]), "first_pass": int(m[1]), "rate": int(m[3]) if m[3] else None}
            for m in re.findall(r'data-level="(\w+)" data-first-pass="(\d+)" data-steps="(\d+)" data-rate="(\d*)"', html)]


def foreman_name(site: DemoSite) -> str:
    """The name the fixture's inspector (foreman1) goes by."""
    with site.app.app_context():
        return db.session.get(User, demo_id("foreman1")).name


def test_weekly_report_shows_the_quality_figures(site):
    """The week's report gives the first-attempt pass rate per level, the steps passed and
    those in rectification, as the figures module computes them (the fixture's hand sums)."""
    html = get(site, "reports/daily?date=2026-11-16&period=week&format=html&lang=en").get_data(as_text=True)
    expected = CASES["expected"]["quality"]
    assert report_quality(html) == expected["first_pass"]
    assert f'data-steps-passed="{expected["passed"]}"' in html
    assert f'data-steps-rectifying="{expected["rectifying"]}"' in html


def test_daily_report_lists_the_days_inspections_with_results(site):
    """The day's inspections (by when they were made, in the project's zone) are listed with
    their step, level, round counted from 1, result and inspector; other days' are not."""
    html = get(site, "reports/daily?date=2026-11-18&format=html&lang=en").get_data(as_text=True)
    section = html.split(">Inspections<")[1].split("<h2>")[0]
    shown = dict(re.findall(r'data-inspection="([^"]+)" data-result="(\w+)"', section))
    assert shown == {IDS["i05"]: "fail", IDS["i09"]: "pass"}
    assert "Self-inspection" in section and "管道安装" in section and "A01 沟槽段" in section
    assert "2026-11-18 10:00" in section and ">2<" in section  # i09 is round 1: the 2nd attempt
    assert foreman_name(site) in section


def test_work_steps_and_inspections_csv_read_back_to_the_records(site):
    """work_steps.csv has a row per step with its section and state by name; inspections.csv a
    row per inspection with its step, level, result and inspector by name."""
    steps = csv_rows(get(site, "exports/work_steps.csv?lang=zh-CN"))
    assert steps[0][:6] == ["工序", "网格", "施工班组", "本班组长（自检）", "下道班组长（互检）", "状态"]
    sections = {s["id"]: f'{s["fields"]["code"]} {s["fields"]["name"]}' for s in CASES["records"]["sections"]}
    expected = sorted((w["fields"]["step"], sections[w["fields"]["section_id"]], w["fields"]["crew"],
                       w["fields"]["planned_start"]) for w in CASES["records"]["work_steps"])
    planned = steps[0].index("计划开始")
    assert sorted((row[0], row[1], row[2], row[planned]) for row in steps[1:]) == expected
    assert {row[5] for row in steps[1:]} >= {"专检合格", "整改中（自检）", "未开始"}

    rows = csv_rows(get(site, "exports/inspections.csv?lang=en"))
    header, body = rows[0], rows[1:]
    assert header[:7] == ["Inspected at", "Section", "Work step", "Level", "Round", "Result", "Inspector"]
    assert len(body) == len(CASES["records"]["inspections"])
    by_time = {row[0]: row for row in body}
    assert by_time["2026-11-18T07:00:00Z"][1:7] == ["A02 管线段", "管道安装", "Self-inspection", "2", "Pass",
                                                   foreman_name(site)]


def test_first_pass_from_the_inspections_csv_equals_the_reports(site):
    """Taking each step's lowest round per level from inspections.csv gives the weekly
    report's first-attempt pass rates."""
    html = get(site, "reports/daily?date=2026-11-16&period=week&format=html&lang=en").get_data(as_text=True)
    rows = csv_rows(get(site, "exports/inspections.csv?lang=en"))
    header, body = rows[0], rows[1:]
    section, step, level, round_, result = (header.index(n) for n in ("Section", "Work step", "Level", "Round", "Result"))
    first: dict[tuple, tuple[int, str]] = {}
    for row in body:
        if not row[step]:
            continue  # an inspection of a step that is not (or no longer) there
        key = (row[section], row[step], row[level])
        if key not in first or int(row[round_]) < first[key][0]:
            first[key] = (int(row[round_]), row[result])
    from_csv = {}
    for (_, _, level_name), (_, outcome) in first.items():
        steps_, passed = from_csv.get(level_name, (0, 0))
        from_csv[level_name] = (steps_ + 1, passed + (outcome == "Pass"))
    names = {"self": "Self-inspection", "mutual": "Mutual inspection", "specialist": "Specialist inspection"}
    assert {names[row["level"]]: (row["steps"], row["first_pass"]) for row in report_quality(html)} == from_csv


def test_inspections_export_narrows_by_the_steps_section_and_the_day_inspected(site):
    """section_id keeps the inspections of that section's steps; from/to the ones made on
    those days (in the project's zone)."""
    rows = csv_rows(get(site, f"exports/inspections.csv?section_id={IDS['s1']}&lang=en"))
    assert {row[2] for row in rows[1:]} == {"沟槽开挖", "管道安装"} and len(rows) - 1 == 5
    rows = csv_rows(get(site, "exports/inspections.csv?from=2026-11-18&to=2026-11-18&lang=en"))
    assert sorted(row[0] for row in rows[1:]) == ["2026-11-18T02:00:00Z", "2026-11-18T07:00:00Z"]


RANGE_PROJECT = str(uuid.uuid5(uuid.NAMESPACE_URL, "gridline:test:range-project"))


def test_a_task_without_dates_is_in_the_range_it_was_created_in(site):
    """A dated export keeps a task whose life (created to its last date) overlaps the range:
    one without any date created inside it, one planned across it, one created before and due
    after it; not one without dates created before or after it, nor one created and finished
    before it."""
    task = KINDS["task"].model
    made = {"no-dates-inside": ("2026-11-10T02:00:00Z", {}),
            "no-dates-before": ("2026-10-30T02:00:00Z", {}),
            "planned-across": ("2026-10-01T02:00:00Z", {"planned_start": dt.date(2026, 11, 1),
                                                        "planned_end": dt.date(2026, 11, 30)}),
            "due-after": ("2026-11-01T02:00:00Z", {"due_date": dt.date(2026, 12, 5)}),
            "finished-before": ("2026-10-01T02:00:00Z", {"actual_start": dt.date(2026, 10, 2),
                                                         "actual_end": dt.date(2026, 10, 20),
                                                         "status": "done"}),
            # 23:30 in Shanghai is still the 12th there, though 15:30 UTC.
            "no-dates-last-evening": ("2026-11-12T15:30:00Z", {}),
            "no-dates-after": ("2026-11-12T16:30:00Z", {})}
    with site.app.app_context():
        if db.session.get(Project, RANGE_PROJECT) is None:
            db.session.add(Project(id=RANGE_PROJECT, code="RNG", name="范围", settings={}))
            db.session.add(Membership(project_id=RANGE_PROJECT, user_id=demo_id("admin1"), role="admin"))
            for seq, (title, (created, dates)) in enumerate(made.items()):
                db.session.add(task(id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"gridline:test:range:{title}")),
                                    project_id=RANGE_PROJECT, seq=20_000 + seq, deleted=False, meta={},
                                    created_at=created, updated_at=created, title=title, **dates))
            db.session.commit()
    response = site.client.get(f"/api/projects/{RANGE_PROJECT}/exports/tasks.csv?from=2026-11-05&to=2026-11-12&lang=en",
                               headers=site.headers("admin1"))
    assert response.status_code == 200
    titles = {row[0] for row in csv_rows(response)[1:]}
    assert titles == {"no-dates-inside", "planned-across", "due-after", "no-dates-last-evening"}
