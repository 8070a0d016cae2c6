# Generated from a schema diff on 2026-11-27 05:16.
from peewee import *


def up(migrator, db):
    class Course(Model):
        id = CharField(primary_key=True, max_length=36)
        class Meta:
            database = db
            table_name = 'course'

    class Section(Model):
        id = CharField(primary_key=True, max_length=36)
        class Meta:
            database = db
            table_name = 'section'

    class User(Model):
        id = CharField(primary_key=True, max_length=36)
        class Meta:
            database = db
            table_name = 'user_account'

    class Assignment(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        section = ForeignKeyField(Section, null=True, on_delete='CASCADE')
        title = CharField(max_length=200)
        instructions_md = TextField(default='')
        instructions_html = TextField(default='')
        due_at = DateTimeField(null=True)
        allow_text = BooleanField(default=True)
        allow_file = BooleanField(default=False)
        max_file_mb = IntegerField(default=10)
        file_types = CharField(max_length=200, default='')
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'assignment'
    db.create_tables([Assignment])

    class Submission(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        assignment = ForeignKeyField(Assignment, on_delete='CASCADE')
        student = ForeignKeyField(User, on_delete='CASCADE')
        text = TextField(default='')
        filename = CharField(default='')
        mime = CharField(max_length=100, default='')
        size = BigIntegerField(default=0)
        sha256 = CharField(null=True, max_length=64)
        submitted_at = DateTimeField()
        late = BooleanField(default=False)
        percent = FloatField(null=True)
        mark = IntegerField(null=True)
        graded_at = DateTimeField(null=True)
        graded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        locked = BooleanField(default=False)
        feedback = TextField(default='')
        feedback_filename = CharField(default='')
        feedback_mime = CharField(max_length=100, default='')
        feedback_size = BigIntegerField(default=0)
        feedback_sha256 = CharField(null=True, max_length=64)
        class Meta:
            database = db
            table_name = 'submission'
            indexes = ((('assignment', 'student'), True),)
    db.create_tables([Submission])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('submission'))
    migrator.migrate(migrator.drop_table('assignment'))
