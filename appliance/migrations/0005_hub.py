# Generated from a schema diff on 2026-11-27 05:30.
from peewee import *


def up(migrator, db):
    class Oblast(Model):
        name = CharField(unique=True, max_length=100)
        kind = CharField(max_length=8, default='oblast')
        class Meta:
            database = db
            table_name = 'oblast'
    db.create_tables([Oblast])

    class Rayon(Model):
        oblast = ForeignKeyField(Oblast, on_delete='CASCADE')
        name = CharField(max_length=100)
        class Meta:
            database = db
            table_name = 'rayon'
            indexes = ((('oblast', 'name'), True),)
    db.create_tables([Rayon])

    class School(Model):
        code = CharField(primary_key=True, max_length=32)
        name = CharField(max_length=200)
        oblast = ForeignKeyField(Oblast)
        rayon = ForeignKeyField(Rayon, null=True)
        partition = CharField(unique=True, null=True, max_length=64)
        origin = CharField(unique=True, null=True, max_length=64)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'school'
    db.create_tables([School])

    class EnrollmentToken(Model):
        token_hash = CharField(primary_key=True, max_length=64)
        school = ForeignKeyField(School)
        created_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        used_by = CharField(null=True, max_length=36)
        class Meta:
            database = db
            table_name = 'enrollment_token'
    db.create_tables([EnrollmentToken])

    class HubNode(Model):
        node_id = CharField(primary_key=True, max_length=36)
        school = ForeignKeyField(School)
        secret = CharField(max_length=128)
        enrolled_at = DateTimeField()
        revoked_at = DateTimeField(null=True)
        last_counter = BigIntegerField(default=0)
        last_sync_at = DateTimeField(null=True)
        last_error = TextField(default='')
        version = CharField(max_length=32, default='')
        clock_skew_seconds = FloatField(null=True)
        pending_up = BigIntegerField(null=True)
        class Meta:
            database = db
            table_name = 'hub_node'
    db.create_tables([HubNode])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('hub_node'))
    migrator.migrate(migrator.drop_table('enrollment_token'))
    migrator.migrate(migrator.drop_table('school'))
    migrator.migrate(migrator.drop_table('rayon'))
    migrator.migrate(migrator.drop_table('oblast'))
