"""Training staff on the policy: what each version asks of whom, quizzes, reminders,
and the results managers read (docs/training.md).

- ``standings``: each person's requirement (the version to acknowledge and pass the
  quiz of, why, the deadline) and how they stand.
- ``checklist`` and ``mark_read``: onboarding (sections to read, acknowledge, pass).
- ``acknowledge``, ``start_quiz``, ``answer``, ``refreshers``, ``answer_refresher``.
- ``send_reminders``: the worker's step writing reminders, overdue notices to managers
  and "what changed" notices to the outbox, each once.
- ``results``, ``results_csv``, ``statements`` (xAPI), ``set_profile``.
"""

from charter.services.training._onboarding import (
    Checklist,
    ChecklistItem,
    checklist,
    mark_read,
    sections_to_read,
)
from charter.services.training._quiz import (
    Answered,
    Asked,
    Attempt,
    answer,
    answer_refresher,
    attempt_of,
    refreshers,
    start_quiz,
)
from charter.services.training._records import (
    CSV_COLUMNS,
    STATES,
    ClauseRow,
    PersonRow,
    Results,
    TeamRow,
    acknowledge,
    base_url_problem,
    results,
    results_csv,
    set_profile,
    statements,
)
from charter.services.training._reminders import Reminded, send_reminders
from charter.services.training._standing import Requirement, Standing, standings

__all__ = [
    "CSV_COLUMNS", "STATES", "Answered", "Asked", "Attempt", "Checklist", "ChecklistItem",
    "ClauseRow", "PersonRow", "checklist", "mark_read", "sections_to_read",
    "Reminded", "Requirement", "Results", "Standing", "TeamRow", "acknowledge", "answer",
    "answer_refresher", "attempt_of", "base_url_problem", "refreshers", "results", "results_csv",
    "send_reminders", "set_profile", "standings", "start_quiz", "statements",
]  # fmt: skip
