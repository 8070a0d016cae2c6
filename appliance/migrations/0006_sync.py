# Generated from a schema diff on 2026-11-27 05:35.
from peewee import *

def up(migrator, db):
    class SyncState(Model):
        key = CharField(primary_key=True, max_length=64)
        value = TextField(default='')
        class Meta:
            database = db
            table_name = 'sync_state'
    db.create_tables([SyncState])

    class SyncWatermark(Model):
        origin = CharField(primary_key=True, max_length=64)
        seq = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'sync_watermark'
    db.create_tables([SyncWatermark])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('sync_watermark'))
    migrator.migrate(migrator.drop_table('sync_state'))
