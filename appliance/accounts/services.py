"""Account services: users, classes, passwords. Every state change goes through here."""

from __future__ import annotations

import re
import unicodedata

from appliance.accounts.models import ROLES, InitialPassword, SchoolClass, User
from appliance.accounts.passwords import (
    check_password,
    dummy_check,
    generate_password,
    hash_password,
)
from appliance.db import write
from appliance.errors import Forbidden, NotFound, ValidationError
from appliance.replication import local_school

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 6
LANGUAGES = ("ky", "ru", "en")


def normalise_class_name(name: str) -> str:
    """ "7 а", "7а" and "7А" are the same class: upper-case, no spaces."""
    name = unicodedata.normalize("NFC", name).strip().replace(" ", "").replace("-", "")
    return name.upper()


def _grade_of(name: str) -> int | None:
    match = re.match(r"^(\d{1,2})", name)
    grade = int(match.group(1)) if match else None
    return grade if grade and 1 <= grade <= 11 else None


def validate_class_name(name: str) -> str:
    norm = normalise_class_name(name)
    if not norm or len(norm) > 16:
        raise ValidationError("A class name must have 1 to 16 characters, like 7А.", "class")
    return norm


def find_class(name: str) -> SchoolClass | None:
    norm = normalise_class_name(name)
    return SchoolClass.live().where(SchoolClass.name == norm).first()


def get_or_create_class(name: str) -> SchoolClass:
    """The class with this name, created when missing."""
    norm = validate_class_name(name)
    with write():
        existing = find_class(norm)
        if existing:
            return existing
        school_class = SchoolClass(name=norm, grade=_grade_of(norm))
        school_class.save()
        return school_class


def list_classes() -> list[SchoolClass]:
    """The school's classes by grade and name."""
    return list(_this_school(SchoolClass).order_by(SchoolClass.grade, SchoolClass.name))


def validate_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationError(
            "A username has 2 to 64 Latin letters, digits, dots, dashes or underscores.", "username"
        )
    return username


def validate_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(
            "A password must have at least %(n)s characters.", "password", n=MIN_PASSWORD
        )
    if len(password) > 200:
        raise ValidationError("A password must have at most 200 characters.", "password")
    return password


def find_user(username: str) -> User | None:
    """The live user with this username in this school."""
    school = local_school()
    query = User.live().where(User.username == (username or "").strip().lower())
    query = query.where(User.school == school) if school else query.where(User.school.is_null())
    return query.first()


def get_user(user_id: str) -> User:
    user = User.get_or_none((User.id == user_id) & (User.deleted == False))  # noqa: E712
    if user is None:
        raise NotFound("No such user.")
    return user


def create_user(
    username: str,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    class_name: str | None = None,
    language: str = "",
    password_hash: str | None = None,
) -> tuple[User, str | None]:
    """Create a user. With no password one is generated; returns (user, initial password).

    ``password_hash`` lets a bulk import hash outside the write transaction.
    """
    username = validate_username(username)
    if role not in ROLES:
        raise ValidationError("The role must be one of: %(roles)s.", "role", roles=", ".join(ROLES))
    if language and language not in LANGUAGES:
        raise ValidationError("The language must be ky, ru or en.", "language")
    if class_name and role != "student":
        raise ValidationError("Only students belong to a class.", "class")
    if password_hash is None:
        if password is None:
            password = generate_password()
        validate_password(password)
        password_hash = hash_password(password)
    with write():
        if find_user(username):
            raise ValidationError(
                "The username '%(username)s' is already taken.", "username", username=username
            )
        school_class = get_or_create_class(class_name) if class_name else None
        user = User(
            username=username,
            role=role,
            first_name=first_name.strip()[:100],
            last_name=last_name.strip()[:100],
            email=email.strip()[:200],
            school_class=school_class,
            password_hash=password_hash,
            language=language,
        )
        user.save()
        if password:
            InitialPassword.create(user=user, password=password)
    return user, password


def authenticate(username: str, password: str) -> User | None:
    """The user when the password is right; None otherwise (in about the same time)."""
    user = find_user(username)
    if user is None or not user.active:
        dummy_check(password or "")
        return None
    return user if check_password(user.password_hash, password or "") else None


def change_password(user: User, old_password: str, new_password: str) -> None:
    """The user changes their own password (they must know the current one)."""
    if not check_password(user.password_hash, old_password or ""):
        raise ValidationError("The current password is wrong.", "old_password")
    validate_password(new_password)
    new_hash = hash_password(new_password)
    with write():
        user.password_hash = new_hash
        user.save(only=[User.password_hash])
        InitialPassword.delete().where(InitialPassword.user == user).execute()


def can_manage(actor: User, target: User) -> bool:
    """Admins manage everyone; teachers manage students."""
    return actor.is_admin or (actor.role == "teacher" and target.role == "student")


def reset_password(actor: User, target: User, new_password: str | None = None) -> str:
    """A teacher or admin sets a new initial password for a student; returns it."""
    if not can_manage(actor, target):
        raise Forbidden("You may not reset this user's password.")
    password = new_password or generate_password()
    validate_password(password)
    new_hash = hash_password(password)
    with write():
        target.password_hash = new_hash
        target.save(only=[User.password_hash])
        InitialPassword.insert(user=target, password=password).on_conflict(
            conflict_target=[InitialPassword.user], update={InitialPassword.password: password}
        ).execute()
    return password


def set_language(user: User, language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationError("The language must be ky, ru or en.", "language")
    with write():
        user.language = language
        user.save(only=[User.language])


def students_of(school_class: SchoolClass) -> list[User]:
    return list(
        User.live()
        .where((User.school_class == school_class) & (User.role == "student"))
        .order_by(User.last_name, User.first_name, User.username)
    )


def login_cards(school_class: SchoolClass) -> list[tuple[User, str | None]]:
    """Students of a class with their initial password (None once they changed it)."""
    students = students_of(school_class)
    initial = {
        row.user_id: row.password
        for row in InitialPassword.select().where(
            InitialPassword.user.in_([s.id for s in students])
        )
    }
    return [(s, initial.get(s.id)) for s in students]


def _this_school(model):
    """Rows of this node's school: national authors synced from the hub are not our users."""
    school = local_school()
    return model.live().where(model.school == school if school else model.school.is_null())


def list_users(role: str | None = None, school_class: SchoolClass | None = None) -> list[User]:
    """The school's users (by role and class when given)."""
    query = _this_school(User)
    if role:
        query = query.where(User.role == role)
    if school_class:
        query = query.where(User.school_class == school_class)
    return list(query.order_by(User.role, User.last_name, User.first_name, User.username))
