"""Signals for reactions across domains (the journal listens to quizzes, not the reverse)."""

from blinker import Namespace

_signals = Namespace()

# Sent by the quiz service when an attempt is graded or regraded: sender=attempt.
attempt_graded = _signals.signal("attempt-graded")
# Sent by the assignment service when a submission gets a mark: sender=submission.
submission_graded = _signals.signal("submission-graded")
