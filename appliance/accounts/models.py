"""Account models: classes and users (replicated), initial passwords for login cards (local)."""

from __future__ import annotations

import peewee

from appliance.db import BaseModel, utcnow
from appliance.replication import Replicated

ROLES = ("admin", "teacher", "student")


class SchoolClass(Replicated):
    """A class of pupils, such as "7А" or "11Б"."""

    name = peewee.CharField(max_length=16)
    grade = peewee.IntegerField(null=True)

    class Meta:
        table_name = "school_class"


class User(Replicated):
    """A person who logs in: an admin, a teacher or a student."""

    username = peewee.CharField(max_length=64)
    first_name = peewee.CharField(max_length=100, default="")
    last_name = peewee.CharField(max_length=100, default="")
    email = peewee.CharField(max_length=200, default="")
    role = peewee.CharField(max_length=16, index=True)
    school_class = peewee.ForeignKeyField(
        SchoolClass, null=True, backref="students", on_delete="SET NULL"
    )
    password_hash = peewee.CharField(max_length=255)
    language = peewee.CharField(max_length=8, default="")
    active = peewee.BooleanField(default=True)

    class Meta:
        table_name = "user_account"
        # Usernames are unique within a school; the hub holds every school's users.
        indexes = ((("school", "username"), True),)

    @property
    def full_name(self) -> str:
        name = f"{self.last_name} {self.first_name}".strip()
        return name or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_teacher(self) -> bool:
        return self.role in ("teacher", "admin")


class InitialPassword(BaseModel):
    """A generated or assigned first password, kept locally only until the user changes it,
    so the login cards for a class can be printed. Never replicated."""

    user = peewee.ForeignKeyField(User, primary_key=True, on_delete="CASCADE")
    password = peewee.CharField(max_length=64)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "initial_password"
