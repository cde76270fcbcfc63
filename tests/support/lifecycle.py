"""The policy lifecycle in tests: a small policy whose first-response target a test
chooses, and signed-in people of any role."""

from __future__ import annotations

import itertools

from charter.services.accounts import Principal, Role
from charter.store import Database
from charter.store.models import User

_people = itertools.count(1)


def policy_text(first_response: str = "4h") -> str:
    return f"""\
organisation: {{name: Acme, mission: Delight}}
calendars: [{{id: support, timezone: Europe/London, weekly: {{mon: ["09:00-17:00"]}}}}]
service_levels:
  rules:
    - id: sl-email
      when: {{channel: [email]}}
      targets: {{first_response: {{within: {first_response}, clock: support}}}}
"""


def staff(database: Database, role: str = "manager") -> Principal:
    """A signed-in person of ``role`` (stored directly: password hashing is not under test)."""
    number = next(_people)
    with database.transaction() as session:
        user = User(email=f"p{number}@example.com", name=f"P{number}", role=role, password_hash="")
        session.add(user)
        session.flush()
        return Principal(user.id, user.email, user.name, Role(role))
