"""Every model of the node, in creation order (migrations and tests use this list)."""

from appliance.accounts.models import InitialPassword, SchoolClass, User
from appliance.assignments.models import Assignment, Submission
from appliance.content import ContentBlob
from appliance.courses.models import (
    Course,
    Enrolment,
    GlossaryEntry,
    Lesson,
    LessonProgress,
    Resource,
    Section,
)
from appliance.hub.models import HUB_MODELS
from appliance.journal.models import (
    Attendance,
    AuditEntry,
    JournalColumn,
    JournalSettings,
    Mark,
    PeriodMark,
    Quarter,
    SchoolYear,
)
from appliance.quizzes.models import MODELS as QUIZ_MODELS
from appliance.replication import OriginCounter
from appliance.school.models import SiteSetting
from sync.models import SYNC_MODELS

ALL_MODELS = [
    OriginCounter,
    SiteSetting,
    ContentBlob,
    SchoolClass,
    User,
    InitialPassword,
    Course,
    Section,
    Lesson,
    Resource,
    GlossaryEntry,
    Enrolment,
    LessonProgress,
    *QUIZ_MODELS,
    Assignment,
    Submission,
    JournalSettings,
    SchoolYear,
    Quarter,
    JournalColumn,
    Mark,
    Attendance,
    PeriodMark,
    AuditEntry,
    *HUB_MODELS,
    *SYNC_MODELS,
]

import appliance.journal.receivers  # noqa: E402,F401  (connects the journal to grading signals)
