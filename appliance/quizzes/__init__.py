"""Quizzes: question banks, quizzes and attempts; for now the GIFT and Moodle XML formats."""
