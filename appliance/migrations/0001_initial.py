# Generated from a schema diff on 2026-11-27 05:09.
from peewee import *


def up(migrator, db):
    class ContentBlob(Model):
        sha256 = CharField(primary_key=True, max_length=64)
        size = BigIntegerField()
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'content_blob'
    db.create_tables([ContentBlob])

    class SchoolClass(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        name = CharField(max_length=16)
        grade = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'school_class'
    db.create_tables([SchoolClass])

    class User(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        username = CharField(max_length=64)
        first_name = CharField(max_length=100, default='')
        last_name = CharField(max_length=100, default='')
        email = CharField(max_length=200, default='')
        role = CharField(index=True, max_length=16)
        school_class = ForeignKeyField(SchoolClass, null=True, on_delete='SET NULL')
        password_hash = CharField()
        language = CharField(max_length=8, default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'user_account'
            indexes = ((('school', 'username'), True),)
    db.create_tables([User])

    class Course(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        title = CharField(max_length=200)
        description = TextField(default='')
        subject = CharField(max_length=100, default='')
        grade = IntegerField(null=True)
        language = CharField(max_length=8, default='ky')
        owner = ForeignKeyField(User, null=True, on_delete='SET NULL')
        copied_from = CharField(null=True, max_length=36)
        search_text = TextField(default='')
        class Meta:
            database = db
            table_name = 'course'
    db.create_tables([Course])

    class Enrolment(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        school_class = ForeignKeyField(SchoolClass, null=True, on_delete='CASCADE')
        user = ForeignKeyField(User, null=True, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'enrolment'
    db.create_tables([Enrolment])

    class GlossaryEntry(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        term = CharField(max_length=200)
        definition = TextField()
        definition_html = TextField(default='')
        class Meta:
            database = db
            table_name = 'glossary_entry'
    db.create_tables([GlossaryEntry])

    class InitialPassword(Model):
        user = ForeignKeyField(User, primary_key=True, on_delete='CASCADE')
        password = CharField(max_length=64)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'initial_password'
    db.create_tables([InitialPassword])

    class Section(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        title = CharField(max_length=200)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'section'
    db.create_tables([Section])

    class Lesson(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        section = ForeignKeyField(Section, on_delete='CASCADE')
        title = CharField(max_length=200)
        body_md = TextField(default='')
        body_html = TextField(default='')
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'lesson'
    db.create_tables([Lesson])

    class LessonProgress(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        user = ForeignKeyField(User, on_delete='CASCADE')
        lesson = ForeignKeyField(Lesson, on_delete='CASCADE')
        views = IntegerField(default=0)
        first_viewed_at = DateTimeField(null=True)
        last_viewed_at = DateTimeField(null=True)
        done = BooleanField(default=False)
        done_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'lesson_progress'
            indexes = ((('user', 'lesson'), True),)
    db.create_tables([LessonProgress])

    class OriginCounter(Model):
        origin = CharField(primary_key=True, max_length=64)
        value = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'origin_counter'
    db.create_tables([OriginCounter])

    class Resource(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        section = ForeignKeyField(Section, null=True, on_delete='CASCADE')
        title = CharField(max_length=200)
        filename = CharField()
        mime = CharField(max_length=100)
        size = BigIntegerField()
        sha256 = CharField(index=True, max_length=64)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'resource'
    db.create_tables([Resource])

    class SiteSetting(Model):
        key = CharField(primary_key=True, max_length=64)
        value = TextField(default='')
        class Meta:
            database = db
            table_name = 'site_setting'
    db.create_tables([SiteSetting])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('site_setting'))
    migrator.migrate(migrator.drop_table('resource'))
    migrator.migrate(migrator.drop_table('origin_counter'))
    migrator.migrate(migrator.drop_table('lesson_progress'))
    migrator.migrate(migrator.drop_table('lesson'))
    migrator.migrate(migrator.drop_table('section'))
    migrator.migrate(migrator.drop_table('initial_password'))
    migrator.migrate(migrator.drop_table('glossary_entry'))
    migrator.migrate(migrator.drop_table('enrolment'))
    migrator.migrate(migrator.drop_table('course'))
    migrator.migrate(migrator.drop_table('user_account'))
    migrator.migrate(migrator.drop_table('school_class'))
    migrator.migrate(migrator.drop_table('content_blob'))
