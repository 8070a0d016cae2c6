"""The whole teaching flow in a real browser against the real server.

admin imports a class from CSV → teacher creates a course with a Markdown lesson, an image and
a video, enrols the class → a student logs in, switches to Kyrgyz, opens the lesson, seeks in
the video (a Range request answered 206), marks it done → the teacher sees the progress.
The same flow passes with JavaScript disabled (the seek aside).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ID = r"[0-9a-f-]{36}"


# One red 2x2 PNG, made with zlib by tests/e2e (no binary fixture needed).
def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _logout(page):
    page.click("header form[action='/logout'] button")
    page.wait_for_load_state()


def _submit(page, selector="main form button[type=submit]"):
    page.click(selector)
    page.wait_for_load_state()


def run_flow(context, node, tmp_path, suffix: str, javascript: bool):
    base = node.url
    page = context.new_page()
    csv_path = tmp_path / f"class{suffix}.csv"
    csv_path.write_text(
        "username;firstname;lastname;password;cohort1\n"
        f"aigul{suffix};Айгүл;Асанова;kitep123;7А\n"
        f"nurlan{suffix};Нурлан;Осмонов;kitep456;7А\n",
        encoding="utf-8-sig",
    )
    # 1. The admin imports the class from CSV (preview, then confirm).
    login(page, base, "director", "director123")
    page.goto(f"{base}/admin/import")
    page.set_input_files("input[name=file]", str(csv_path))
    _submit(page)
    assert f"aigul{suffix}" in page.content() and "Айгүл" in page.content()
    _submit(page, "main form button[type=submit]")
    assert "login cards" in page.content().lower()
    _logout(page)

    # 2. The teacher creates a course with a lesson, an image and a video, and enrols 7А.
    login(page, base, "teacher", "teacher123")
    page.goto(f"{base}/courses/new")
    page.fill("input[name=title]", f"Информатика {suffix}")
    page.fill("textarea[name=description]", "Компьютер менен таанышуу")
    page.fill("input[name=grade]", "7")
    _submit(page)
    course_url = re.search(rf"/courses/{ID}", page.url).group(0)
    page.goto(f"{base}{course_url}/sections")
    page.fill("form:has(button[type=submit]) input[name=title] >> nth=-1", "Биринчи бөлүм")
    page.click("text=Add section")
    page.wait_for_load_state()

    page.goto(f"{base}{course_url}/files/new")
    (tmp_path / "diagram.png").write_bytes(_png())
    page.set_input_files("input[name=file]", str(tmp_path / "diagram.png"))
    _submit(page)  # a file for the whole course
    page.goto(f"{base}{course_url}")
    image_url = re.search(rf'href="({course_url}/files/{ID})/view"', page.content()).group(1)

    page.goto(f"{base}{course_url}/files/new")
    page.set_input_files("input[name=file]", str(FIXTURES / "sample.webm"))
    page.fill("input[name=title]", "Видео сабак")
    page.select_option("select[name=section]", index=1)  # into the first section
    _submit(page)

    page.goto(f"{base}{course_url}/lessons/new")
    page.fill("input[name=title]", "Компьютердин бөлүктөрү")
    page.fill(
        "textarea[name=body_md]",
        f"# Процессор\n\nКомпьютердин **мээси**.\n\n![схема]({image_url})\n\n"
        "<script>alert(1)</script>[bad](javascript:alert(1))",
    )
    page.click("button[name=action][value=save]")
    page.wait_for_load_state()
    lesson_path = re.search(rf"{course_url}/lessons/{ID}", page.url).group(0)

    page.goto(f"{base}{course_url}/enrol")
    page.check("input[name=classes] >> nth=0")
    page.click("button[name=action][value=classes]")
    page.wait_for_load_state()
    _logout(page)

    # 3. A student logs in, switches to Kyrgyz, opens the lesson, watches and seeks, marks it done.
    login(page, base, f"aigul{suffix}", "kitep123")
    page.click("button[name=lang][value=ky]")
    page.wait_for_load_state()
    assert "Менин курстарым" in page.content()
    page.click(f"a[href='{course_url}']")
    page.wait_for_load_state()
    page.click(f"a[href='{lesson_path}']")
    page.wait_for_load_state()
    assert "мээси" in page.content()
    assert page.locator("main script").count() == 0
    assert page.locator("main a[href^='javascript']").count() == 0
    image = page.locator(f"main img[src='{image_url}']")
    assert image.count() == 1
    if javascript:
        assert page.evaluate("document.querySelector('main img').naturalWidth") == 2

    ranged = []
    page.on(
        "response",
        lambda r: (
            ranged.append((r.status, r.request.headers.get("range")))
            if "/files/" in r.url and "/view" not in r.url
            else None
        ),
    )
    page.goto(f"{base}{course_url}")
    page.click("text=Видео сабак")
    page.wait_for_load_state()
    video_src = page.locator("video source, video[src]").first
    assert video_src.count() == 1
    if javascript:
        page.evaluate("""() => new Promise((resolve, reject) => {
            const v = document.querySelector('video');
            const seek = () => { v.currentTime = 3; };
            v.addEventListener('seeked', () => resolve(v.currentTime), {once: true});
            v.addEventListener('error', () => reject(new Error('video error')), {once: true});
            if (v.readyState >= 1) seek(); else v.addEventListener('loadedmetadata', seek, {once: true});
            v.load && v.readyState === 0 && v.load();
        })""")
        assert page.evaluate("document.querySelector('video').currentTime") >= 2.5
        assert any(status == 206 and rng for status, rng in ranged), (
            f"no Range request answered 206: {ranged}"
        )

    page.goto(f"{base}{lesson_path}")
    page.click("main form button")
    page.wait_for_load_state()
    assert "Бүттү" in page.content() or "done" in page.content().lower()
    _logout(page)

    # 4. The teacher sees the student's progress.
    login(page, base, "teacher", "teacher123")
    page.goto(f"{base}{course_url}/progress")
    text = page.content()
    assert "Асанова" in text
    row = page.locator("tr", has_text="Асанова")
    assert row.locator(".done").count() >= 1, row.inner_html()
    page.close()


@pytest.fixture
def school(live_node):
    live_node.add_user("admin", "director", "director123", name="Асанова Айгүл")
    live_node.add_user("teacher", "teacher", "teacher123", name="Токтогулов Бакыт")
    return live_node


def test_teaching_flow_with_javascript(chromium, school, tmp_path):
    context = chromium.new_context(viewport={"width": 1024, "height": 768})
    try:
        run_flow(context, school, tmp_path, "js", javascript=True)
    finally:
        context.close()


def test_teaching_flow_without_javascript(chromium, school, tmp_path):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1024, "height": 768}
    )
    try:
        run_flow(context, school, tmp_path, "nojs", javascript=False)
    finally:
        context.close()
