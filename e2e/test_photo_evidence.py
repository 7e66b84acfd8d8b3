"""Photo evidence from every form: a photo taken in the app keeps when and where it was taken (a
`photo_meta` record beside it, never inside the image), whichever record it is for, and can be
marked up with a finger into a new photo beside the original."""
from __future__ import annotations

import io
import re
import time
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import scroll_into_view
from test_work_steps import SITE, TIMEOUT, jpeg


def pull_all(api) -> list[dict]:
    """Every change the user may read, page by page."""
    client, cursor, changes = uuid.uuid4(), None, []
    while True:
        page = api.get(f"/api/sync/pull?client_id={client}&limit=1000" + (f"&cursor={cursor}" if cursor else ""))
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes


def mark_up(phone, field: str) -> None:
    """Draws a circle and a label on the field's first photo with the mouse as a finger; saves the copy."""
    page = phone.page
    phone.testid(f"{field}-markup-open").first.click()
    canvas = phone.testid("markup-canvas")
    expect(canvas).to_have_attribute("data-ready", "true", timeout=TIMEOUT)
    box = canvas.bounding_box()
    phone.testid("markup-circle").click()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.7, steps=5)
    page.mouse.up()
    phone.testid("markup-label").click()
    phone.testid("markup-text").fill("破损")
    canvas.click(position={"x": box["width"] * 0.1, "y": box["height"] * 0.9})
    phone.testid("markup-save").click()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_photo_taken_for_any_record_keeps_its_time_and_place_and_a_marked_up_copy(phones, server_api, locale, screenshot):
    phone = phones("foreman1", geolocation=SITE, permissions=["geolocation"])
    phone.login("foreman1")
    page = phone.page
    phone.go_offline()

    # A new task: a photo, then a marked-up copy of it, saved offline.
    phone.goto("/tasks/new")
    phone.testid("task-title").fill(f"{locale} W21 井盖破损 照片样本")
    # Colours of this run alone: a photo's bytes name it, and other tests photograph the same colours.
    first, second = (tuple(uuid.uuid4().bytes[:3]) for _ in range(2))
    phone.testid("task-photo").set_input_files(jpeg(first))
    expect(phone.testid("task-photo-list").locator("img")).to_have_count(1, timeout=TIMEOUT)
    mark_up(phone, "task-photo")
    expect(phone.testid("task-photo-list").locator("img")).to_have_count(2, timeout=TIMEOUT)
    expect(phone.testid("task-photo-markup-open")).to_have_count(1)  # the copy is not offered again
    phone.testid("task-save").click()
    expect(page).to_have_url(re.compile(r"/r/task/[0-9a-f-]{36}$"))
    task_id = page.url.rsplit("/", 1)[1]
    # The toast says what happened and nothing else (a toast without a button once read "… null").
    expect(page.locator("#toast")).to_have_text(phone.text("task.savedOffline"))

    # An existing record's page: one more photo (its project is the record's).
    phone.testid("record-photo").set_input_files(jpeg(second))
    facts = phone.testid("photo-facts").get_by_test_id("trace-photo-fact")
    expect(facts).to_have_count(3, timeout=TIMEOUT)
    for i in range(3):
        expect(facts.nth(i)).to_contain_text("31.23040")
        expect(facts.nth(i)).to_contain_text("121.47370")
    expect(facts.nth(1)).to_contain_text(phone.text("trace.photoMarked").split("{")[0].strip())
    # The marked-up copy is known as one on the record's page too: photos 1 and 3 may be marked up.
    expect(phone.testid("record-photo-markup-open")).to_have_count(2)
    scroll_into_view(phone.testid("photo-facts"))
    screenshot(page, f"photo-facts-task-{locale}")

    # Online: the server holds a record of time and place for each photo, and the copy names its original.
    phone.go_online()
    phone.sync_now()
    expect(phone.testid("pending-count")).to_have_attribute("data-count", "0", timeout=30_000)
    api = server_api("foreman1")
    photos = api.record("task", task_id)["data"]["photos"]
    assert len(photos) == 3
    metas = {change["data"]["sha256"]: change["data"] for change in pull_all(api)
             if change["type"] == "photo_meta" and not change.get("deleted") and change["data"]["sha256"] in photos}
    assert set(metas) == set(photos)
    for sha in photos:
        meta = metas[sha]
        assert meta["taken_at"] and abs(meta["latitude"] - SITE["latitude"]) < 1e-6, meta
        assert abs(meta["longitude"] - SITE["longitude"]) < 1e-6 and meta["accuracy_m"] == SITE["accuracy"], meta
    copies = [sha for sha in photos if metas[sha].get("derived_from")]
    assert len(copies) == 1 and metas[copies[0]]["derived_from"] in photos, metas
    phone.assert_no_errors()


def test_a_place_known_only_after_the_change_was_queued_follows_it_to_the_server(phones, server_api):
    """The phone answers "where" seconds after the photo: the change that uses the photo was
    already queued with its time alone, and the place follows as an update of the same record."""
    api = server_api("foreman1")
    task_id = api.create_task("W23 迟到的位置 照片样本")
    phone = phones("foreman1")
    phone.login("foreman1")
    phone.go_offline()
    sha = uuid.uuid4().hex * 2
    queued = phone.page.evaluate("""async ([taskId, sha]) => {
        const places = await import('/js/sync/photo_places.js');
        const { enqueue, readOutbox } = await import('/js/sync/outbox.js');
        await places.keepPhotoPlace(sha, { taken_at: '2026-12-04T07:05:00Z' });
        await enqueue([{ op: 'put', type: 'task', id: taskId, fields: { photos: { add: [sha] } } }]);
        await places.keepPhotoPlace(sha, { latitude: 31.2304, longitude: 121.4737, accuracy_m: 15 });
        return (await readOutbox()).map((m) => ({ type: m.type, id: m.id, fields: m.fields }));
    }""", [task_id, sha])
    metas = [m for m in queued if m["type"] == "photo_meta"]
    assert [m["fields"].get("latitude") for m in metas] == [None, 31.2304], queued
    assert metas[0]["id"] == metas[1]["id"] and metas[0]["fields"]["sha256"] == sha
    phone.go_online()
    phone.sync_now()
    deadline = time.monotonic() + 30
    while phone.outbox() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert phone.outbox() == []
    held = api.record("photo_meta", metas[0]["id"])["data"]
    assert (held["taken_at"], held["latitude"], held["longitude"], held["accuracy_m"]) == (
        "2026-12-04T07:05:00Z", 31.2304, 121.4737, 15), held
    phone.assert_no_errors()


def test_two_people_attaching_one_forwarded_picture_each_keep_their_own_time_and_place(phones, server_api):
    """The same bytes (a picture forwarded to both) attached on two phones: two records of
    time and place, one per person, and neither change is refused."""
    picture = jpeg(tuple(uuid.uuid4().bytes[:3]))
    places = {"foreman1": SITE, "foreman2": {"latitude": 31.2400, "longitude": 121.4800, "accuracy": 30}}
    task_ids = {}
    for username, place in places.items():
        phone = phones(username, geolocation=place, permissions=["geolocation"])
        phone.login(username)
        phone.goto("/tasks/new")
        phone.testid("task-title").fill(f"{username} 转发的照片 样本")
        phone.testid("task-photo").set_input_files(picture)
        expect(phone.testid("task-photo-list").locator("img")).to_have_count(1, timeout=TIMEOUT)
        phone.testid("task-save").click()
        expect(phone.page).to_have_url(re.compile(r"/r/task/[0-9a-f-]{36}$"))
        task_ids[username] = phone.page.url.rsplit("/", 1)[1]
        phone.sync_now()
        deadline = time.monotonic() + 30
        while phone.outbox() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert phone.outbox() == []
        phone.assert_no_errors()
    api = server_api("foreman1")
    [sha] = set(api.record("task", task_ids["foreman1"])["data"]["photos"]) | set(api.record("task", task_ids["foreman2"])["data"]["photos"])
    metas = [change["data"] | {"by": change["created_by"]} for change in pull_all(api)
             if change["type"] == "photo_meta" and change["data"]["sha256"] == sha]
    assert sorted(round(meta["latitude"], 4) for meta in metas) == [31.2304, 31.24], metas
    for username in places:
        assert server_api(username).rejected() == [], username


def camera_picture() -> dict:
    """A 12-megapixel picture as a phone's camera takes it: seconds to decode and resize on a cheap phone."""
    noise = Image.effect_noise((4000, 3000), 60)
    out = io.BytesIO()
    Image.merge("RGB", (noise, noise.rotate(90, expand=False), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT))).save(out, "JPEG", quality=90)
    return {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.mark.parametrize("form", ["task", "feedback"])
def test_save_tapped_while_the_picture_is_still_being_resized_keeps_the_picture(phones, form):
    """A foreman takes a photo and taps Save at once, as people do: the record is saved with its
    photo, not without it (the save waits for the picture it was given)."""
    username, path = {"task": ("foreman1", "/tasks/new"), "feedback": ("liaison1", "/feedback/new")}[form]
    phone = phones(username)
    phone.login(username)
    phone.go_offline()
    phone.goto(path)
    if form == "task":
        phone.testid("task-title").fill("W24 拍完即保存 照片样本")
    else:
        phone.testid("feedback-category-noise").click()
        phone.testid("feedback-description").fill("W24 拍完即保存：夜间施工噪声")
    cdp = phone.page.context.new_cdp_session(phone.page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    phone.testid(f"{form}-photo").set_input_files(camera_picture())
    phone.testid(f"{form}-save").click()
    expect(phone.page).to_have_url(re.compile(rf"/r/{form}/[0-9a-f-]{{36}}$"), timeout=TIMEOUT)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    record_id = phone.page.url.rsplit("/", 1)[1]
    [put] = [m for m in phone.outbox() if m["type"] == form and m["id"] == record_id]
    [sha] = put["fields"]["photos"]["add"]
    assert re.fullmatch(r"[0-9a-f]{64}", sha)
    assert [m["fields"]["sha256"] for m in phone.outbox() if m["type"] == "photo_meta"] == [sha]
    phone.assert_no_errors()
