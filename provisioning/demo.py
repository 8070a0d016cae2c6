"""`mektep demo`: a demo school to try Mektep on, then serve it."""

from __future__ import annotations

import io

import click

from appliance import migrate as migrations
from appliance.accounts import services as accounts
from appliance.config import Config
from appliance.content import ContentStore
from appliance.courses import glossary, resources, services
from appliance.courses.enrolment import set_classes
from appliance.db import write
from appliance.school.services import ensure_identity, get_setting, update_look
from provisioning import demo_content as content
from provisioning import demo_media as media
from provisioning.context import Node, pass_node
from provisioning.serve import run_server

# The files each course gets: (course title, section index, file name, title, maker).
FILES = (
    (
        content.INFORMATICS["title"],
        0,
        "computer-parts.png",
        "Компьютердин бөлүктөрү (сүрөт)",
        media.computer_diagram_png,
    ),
    (
        content.INFORMATICS["title"],
        0,
        "tones.wav",
        "Үн: колонкалардан чыккан тондор",
        media.tones_wav,
    ),
    (
        content.INFORMATICS["title"],
        0,
        "test-pattern.webm",
        "Видео: монитордун сыноо сүрөтү",
        media.pattern_webm,
    ),
    (
        content.PHYSICS["title"],
        0,
        "formulas.pdf",
        "Памятка: формулы (PDF)",
        lambda: media.one_page_pdf(content.PDF_LINES),
    ),
)


def demo_exists() -> bool:
    """True once the demo's admin exists (a re-run must not create a second school)."""
    return accounts.find_user(content.ADMIN[0]) is not None


def create_people() -> dict[str, object]:
    """The admin, the teachers and both classes of students; returns the teachers by username."""
    update_look(
        content.SCHOOL_NAME,
        content.OBLAST,
        get_setting("primary_colour"),
        get_setting("accent_colour"),
    )
    accounts.create_user(
        content.ADMIN[0], "admin", password=content.ADMIN[1], first_name="Администратор"
    )
    teachers = {}
    for (username, first, last), language in zip(content.TEACHERS, ("ky", "ru"), strict=True):
        teachers[username], _ = accounts.create_user(
            username,
            "teacher",
            password=content.TEACHER_PASSWORD,
            first_name=first,
            last_name=last,
            language=language,
        )
    taken: set[str] = set()
    for class_name in content.CLASSES:
        for first, last in content.students(class_name):
            username = _unique(content.latin(f"{first}.{last}"), taken)
            accounts.create_user(
                username, "student", first_name=first, last_name=last, class_name=class_name
            )
    return teachers


def _unique(username: str, taken: set[str]) -> str:
    candidate, n = username, 2
    while candidate in taken:
        candidate, n = f"{username}{n}", n + 1
    taken.add(candidate)
    return candidate


def create_course(spec: dict, teacher, class_name: str, store: ContentStore, config: Config):
    """One course with its sections, files, Markdown lessons and glossary; enrols a class."""
    course = services.create_course(
        teacher,
        spec["title"],
        spec["description"],
        spec["subject"],
        spec["grade"],
        spec["language"],
    )
    sections = [services.add_section(teacher, course, title) for title, _ in spec["sections"]]
    urls = {}
    for course_title, index, filename, title, make in FILES:
        data = make() if course_title == spec["title"] else None
        if data is None:
            continue  # another course's file, or a video without ffmpeg
        resource = resources.add_resource(
            teacher,
            course,
            io.BytesIO(data),
            filename,
            store=store,
            max_mb=config.max_upload_mb,
            section_id=sections[index].id,
            title=title,
        )
        # The lesson text links the file by its page address (web/courses/files.py).
        urls[filename] = f"/courses/{course.id}/files/{resource.id}"
    for section, (_, lessons) in zip(sections, spec["sections"], strict=True):
        for title, body in lessons:
            body = body.replace("{diagram}", urls.get("computer-parts.png", ""))
            services.add_lesson(teacher, course, section.id, title, body.strip())
    for term, definition in spec["glossary"]:
        glossary.add_entry(teacher, course, term, definition)
    set_classes(teacher, course, [accounts.find_class(class_name).id])
    return course


def build_demo(config: Config) -> None:
    """Create the whole demo school in the (migrated) node database."""
    # One transaction: a demo interrupted halfway leaves nothing, so a re-run starts clean
    # instead of finding the admin and taking a half-made school for a finished one.
    with write():
        teachers = create_people()
        store = ContentStore(config.content_dir)
        create_course(content.INFORMATICS, teachers["teacher1"], "7А", store, config)
        create_course(content.PHYSICS, teachers["teacher2"], "8Б", store, config)


def print_logins(port: int) -> None:
    """The address and the logins to try, students' from their login cards."""
    click.echo(
        f"Open http://127.0.0.1:{port}/ here, or http://<this computer's address>:{port}/ "
        "from another PC on the LAN."
    )
    click.echo("Logins:")
    click.echo(f"  {content.ADMIN[0]} / {content.ADMIN[1]}   (administrator)")
    for username, first, last in content.TEACHERS:
        click.echo(f"  {username} / {content.TEACHER_PASSWORD}   (teacher {first} {last})")
    for class_name in content.CLASSES:
        cards = accounts.login_cards(accounts.find_class(class_name))
        for student, password in [card for card in cards if card[1]][:2]:
            click.echo(f"  {student.username} / {password}   (student, {class_name})")
    click.echo(
        "  Every student's password: see the login cards (Administration > Classes > Login cards)."
    )


@click.command("demo")
@click.option("--no-serve", is_flag=True, help="Only create the demo school; do not serve it.")
@click.option("--host", help="Address to listen on (setting `host`).")
@click.option("--port", type=int, help="Port to listen on (setting `port`).")
@pass_node
def demo_command(node: Node, no_serve: bool, host: str | None, port: int | None) -> None:
    """Create a demo school with classes, courses and files (once), then serve it."""
    config = node.open(migrated=False)
    migrations.migrate()
    ensure_identity(config.role)
    if demo_exists():
        click.echo(f"The demo school already exists in {config.home}.")
    else:
        click.echo(f"Creating the demo school in {config.home} ...")
        build_demo(config)
        if not media.FFMPEG.exists():
            click.echo("(No /usr/bin/ffmpeg: the demo has no video.)")
        click.echo("Done.")
    print_logins(port or config.port)
    if not no_serve:
        run_server(node, host, port)


def register(main: click.Group) -> None:
    main.add_command(demo_command)
