"""Findings beyond the schema: promises that cannot hold, gaps, and advice.

A policy that loads is well-formed; the linter asks whether it says what its
authors meant. Every finding is a ``Diagnostic`` with a stable code from
``LINT_CODES`` (documented in ``docs/lint.md``), a severity, the field path, the
file, line and column it points at, what is wrong and how to fix it:

- ``error``: the policy contradicts itself or promises something that cannot
  happen (a rule that never matches, a clock that never opens);
- ``warning``: probably unintended (tickets no rule covers, a goal without a
  link to the mission);
- ``info``: advice (no goals yet, a review coming up).

>>> from charter.policy import load_policy_text
>>> loaded = load_policy_text('''
... organisation: {name: Acme, mission: Delight}
... service_levels:
...   rules:
...     - {id: all, targets: {first_response: {within: 4h, clock: 24x7}}}
...     - {id: late, when: {priority: [urgent]},
...        targets: {first_response: {within: 1h, clock: 24x7}}}
... ''', "acme.yaml")
>>> [d.code for d in lint(loaded, today=datetime.date(2026, 1, 1))]
['L016', 'L017', 'L001']
>>> print(lint(loaded, today=datetime.date(2026, 1, 1))[-1].render())  # doctest: +ELLIPSIS
acme.yaml:6:7: error L001 service_levels.rules[1]: rule 'late' comes after the catch-all ...
"""

from __future__ import annotations

import datetime

from charter.policy.diagnostic import Diagnostic
from charter.policy.lint._codes import LINT_CODES, LintCode
from charter.policy.lint._escalation import check_escalation
from charter.policy.lint._pauses import check_pauses
from charter.policy.lint._places import check_places
from charter.policy.lint._plan import check_plan
from charter.policy.lint._promises import check_promises
from charter.policy.lint._returns import check_returns
from charter.policy.lint._rules import check_rules
from charter.policy.lint._shares import check_shares
from charter.policy.loader import LoadedPolicy

__all__ = ["LINT_CODES", "LintCode", "lint"]


def lint(loaded: LoadedPolicy, *, today: datetime.date | None = None) -> list[Diagnostic]:
    """Every finding about ``loaded``, sorted by line.

    ``today`` dates the review checks; it defaults to the local date.

    >>> from charter.policy import load_policy_text
    >>> loaded = load_policy_text("organisation: {name: Acme, mission: Delight}")
    >>> [f"{d.code} {d.severity}" for d in lint(loaded, today=datetime.date(2026, 1, 1))]
    ['L004 warning', 'L016 info', 'L017 warning']
    """
    day = today if today is not None else datetime.date.today()
    found = check_rules(loaded)
    found += check_promises(loaded)
    found += check_escalation(loaded)
    found += check_pauses(loaded)
    found += check_places(loaded)
    found += check_plan(loaded, day)
    found += check_returns(loaded)
    found += check_shares(loaded)
    unique = dict.fromkeys(found)
    return sorted(unique, key=lambda d: (d.line, d.column, d.code, d.message))
