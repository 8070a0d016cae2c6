"""The teacher's essay queue: answers only a person can grade."""

from __future__ import annotations

from appliance.accounts.models import User
from appliance.courses.markdown import sanitise
from appliance.db import write
from appliance.errors import NotFound, ValidationError
from appliance.quizzes.attempts import retotal
from appliance.quizzes.bank import require_edit
from appliance.quizzes.models import Attempt, AttemptAnswer, Question, Quiz
from appliance.quizzes.results import announce


def essay_queue(quiz: Quiz) -> list[AttemptAnswer]:
    """Essay answers of finished attempts that wait for a mark, oldest attempt first."""
    return list(
        AttemptAnswer.select(AttemptAnswer, Attempt, Question, User)
        .join(Attempt)
        .join(User)
        .switch(AttemptAnswer)
        .join(Question)
        .where(
            (Attempt.quiz == quiz)
            & (Attempt.state == "finished")
            & (Attempt.deleted == False)  # noqa: E712
            & (Question.type == "essay")
            & AttemptAnswer.fraction.is_null()
        )
        .order_by(Attempt.finished_at)
    )


def grade_essay(
    teacher: User, quiz: Quiz, answer_id: str, mark, comment: str = ""
) -> AttemptAnswer:
    """Give an essay answer its mark (0..the question's mark) and a comment."""
    require_edit(teacher, quiz.course)
    answer = (
        AttemptAnswer.select(AttemptAnswer, Attempt)
        .join(Attempt)
        .where((AttemptAnswer.id == answer_id) & (Attempt.quiz == quiz))
        .first()
    )
    if answer is None or answer.question.type != "essay":
        raise NotFound("No such answer.")
    try:
        value = float(str(mark).strip().replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 <= value <= answer.mark:
        highest = format(answer.mark, "g")
        raise ValidationError("The mark must be a number from 0 to %(max)s.", "mark", max=highest)
    if len(comment or "") > 20000:
        raise ValidationError("The comment must have at most %(n)s characters.", "comment", n=20000)
    with write():
        answer.fraction = value / answer.mark if answer.mark else 0.0
        answer.comment = sanitise(comment or "")
        answer.graded_by = teacher
        answer.save()
        attempt = Attempt.get_by_id(answer.attempt_id)
        if attempt.state == "finished":
            retotal(attempt)
    announce([(quiz, attempt.student_id)])
    return answer
