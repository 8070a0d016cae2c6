# Generated from a schema diff on 2026-11-27 05:18.
from peewee import *


def up(migrator, db):
    class Course(Model):
        id = CharField(primary_key=True, max_length=36)
        class Meta:
            database = db
            table_name = 'course'

    class User(Model):
        id = CharField(primary_key=True, max_length=36)
        class Meta:
            database = db
            table_name = 'user_account'

    class Quiz(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        title = CharField(max_length=200)
        intro = TextField(default='')
        intro_html = TextField(default='')
        open_at = DateTimeField(null=True)
        close_at = DateTimeField(null=True)
        time_limit = IntegerField(null=True)
        attempts_allowed = IntegerField(default=1)
        grading_method = CharField(max_length=10, default='highest')
        shuffle_questions = BooleanField(default=False)
        shuffle_answers = BooleanField(default=True)
        one_per_page = BooleanField(default=False)
        review_after_submit = CharField(max_length=100, default='correctness,marks')
        review_after_close = CharField(max_length=100, default='correctness,marks,feedback,right_answers')
        published = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'quiz'
    db.create_tables([Quiz])

    class Attempt(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        quiz = ForeignKeyField(Quiz, on_delete='CASCADE')
        student = ForeignKeyField(User, on_delete='CASCADE')
        number = IntegerField(default=1)
        state = CharField(index=True, max_length=12, default='in_progress')
        started_at = DateTimeField()
        deadline = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)
        auto_submitted = BooleanField(default=False)
        layout = TextField(default='[]')
        submit_token = CharField(max_length=32)
        score = FloatField(null=True)
        max_score = FloatField(default=0)
        percent = FloatField(null=True)
        graded_count = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'attempt'
            indexes = ((('quiz', 'student', 'number'), True),)
    db.create_tables([Attempt])

    class QuestionCategory(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        parent = ForeignKeyField('self', null=True, on_delete='CASCADE')
        name = CharField(max_length=200)
        class Meta:
            database = db
            table_name = 'question_category'
    db.create_tables([QuestionCategory])

    class Question(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        course = ForeignKeyField(Course, on_delete='CASCADE')
        category = ForeignKeyField(QuestionCategory, on_delete='CASCADE')
        type = CharField(max_length=16)
        name = CharField()
        text = TextField(default='')
        text_format = CharField(max_length=10, default='html')
        text_html = TextField(default='')
        general_feedback = TextField(default='')
        data = TextField(default='{}')
        default_mark = FloatField(default=1.0)
        class Meta:
            database = db
            table_name = 'question'
    db.create_tables([Question])

    class AttemptAnswer(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        attempt = ForeignKeyField(Attempt, on_delete='CASCADE')
        slot = IntegerField()
        question = ForeignKeyField(Question, on_delete='CASCADE')
        response = TextField(null=True)
        fraction = FloatField(null=True)
        mark = FloatField(default=1.0)
        comment = TextField(default='')
        graded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'attempt_answer'
            indexes = ((('attempt', 'slot'), True),)
    db.create_tables([AttemptAnswer])

    class QuizSlot(Model):
        id = CharField(primary_key=True, max_length=36)
        origin = CharField(index=True, max_length=64)
        school = CharField(index=True, null=True, max_length=64)
        seq = BigIntegerField(index=True, default=0)
        deleted = BooleanField(index=True, default=False)
        updated_at = DateTimeField()
        quiz = ForeignKeyField(Quiz, on_delete='CASCADE')
        position = IntegerField(default=0)
        question = ForeignKeyField(Question, null=True, on_delete='CASCADE')
        category = ForeignKeyField(QuestionCategory, null=True, on_delete='CASCADE')
        count = IntegerField(default=1)
        mark = FloatField(default=1.0)
        class Meta:
            database = db
            table_name = 'quiz_slot'
    db.create_tables([QuizSlot])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('quiz_slot'))
    migrator.migrate(migrator.drop_table('attempt_answer'))
    migrator.migrate(migrator.drop_table('question'))
    migrator.migrate(migrator.drop_table('question_category'))
    migrator.migrate(migrator.drop_table('attempt'))
    migrator.migrate(migrator.drop_table('quiz'))
