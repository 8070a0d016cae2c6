# Generated from a schema diff on 2026-11-27 05:17.
from peewee import *


def up(migrator, db):
    class Course(Model):
        id = CharField(primary_key=True, max_length=36)
        class Meta:
            database = db
            table_name = 'course'

    class SchoolClass(Model):
        id = CharField(primary_key=True, max_length=36)
        class Meta:
            database = db
            table_name = 'school_class'

    class User(Model):
        id = CharField(primary_key=True, max_length=36)
        class Meta:
            database = db
            table_name = 'user_account'

    class JournalColumn(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        kind = CharField(max_length=16)
        date = DateField(index=True)
        title = CharField(max_length=200, default='')
        item_id = CharField(index=True, null=True, max_length=36)
        class Meta:
            database = db
            table_name = 'journal_column'
    db.create_tables([JournalColumn])

    class Attendance(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        column = ForeignKeyField(JournalColumn, on_delete='CASCADE')
        student = ForeignKeyField(User, on_delete='CASCADE')
        status = CharField(max_length=16, default='')
        class Meta:
            database = db
            table_name = 'attendance'
            indexes = ((('column', 'student'), True),)
    db.create_tables([Attendance])

    class AuditEntry(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        position = BigIntegerField()
        at = DateTimeField()
        actor_id = CharField(null=True, max_length=36)
        actor_name = CharField(max_length=200, default='')
        object_type = CharField(max_length=32)
        object_id = CharField(max_length=36)
        student_id = CharField(index=True, max_length=36)
        column_id = CharField(index=True, null=True, max_length=36)
        field = CharField(max_length=32)
        old = CharField(max_length=32, default='')
        new = CharField(max_length=32, default='')
        reason = CharField(max_length=500, default='')
        prev_hash = CharField(max_length=64)
        hash = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'audit_entry'
            indexes = ((('origin', 'position'), True),)
    db.create_tables([AuditEntry])

    class JournalSettings(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        scale = CharField(max_length=4, default='5')
        allow_one = BooleanField(default=False)
        rounding = CharField(max_length=16, default='half_up')
        thresholds = TextField(default='')
        class Meta:
            database = db
            table_name = 'journal_settings'
    db.create_tables([JournalSettings])

    class Mark(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        column = ForeignKeyField(JournalColumn, on_delete='CASCADE')
        student = ForeignKeyField(User, on_delete='CASCADE')
        auto_value = IntegerField(null=True)
        auto_percent = FloatField(null=True)
        manual_value = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'mark'
            indexes = ((('column', 'student'), True),)
    db.create_tables([Mark])

    class SchoolYear(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        name = CharField(max_length=40)
        start = DateField()
        end = DateField()
        class Meta:
            database = db
            table_name = 'school_year'
    db.create_tables([SchoolYear])

    class PeriodMark(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        student = ForeignKeyField(User, on_delete='CASCADE')
        year = ForeignKeyField(SchoolYear, on_delete='CASCADE')
        period = CharField(max_length=8)
        value = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'period_mark'
            indexes = ((('course', 'student', 'year', 'period'), True),)
    db.create_tables([PeriodMark])

    class Quarter(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        year = ForeignKeyField(SchoolYear, on_delete='CASCADE')
        number = IntegerField()
        start = DateField()
        end = DateField()
        class Meta:
            database = db
            table_name = 'quarter'
    db.create_tables([Quarter])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('quarter'))
    migrator.migrate(migrator.drop_table('period_mark'))
    migrator.migrate(migrator.drop_table('school_year'))
    migrator.migrate(migrator.drop_table('mark'))
    migrator.migrate(migrator.drop_table('journal_settings'))
    migrator.migrate(migrator.drop_table('audit_entry'))
    migrator.migrate(migrator.drop_table('attendance'))
    migrator.migrate(migrator.drop_table('journal_column'))
