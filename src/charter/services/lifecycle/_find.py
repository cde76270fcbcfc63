"""Finding a policy or one of its versions, or refusing with a message that says where to look.

Each works inside the session the calling service opened and reads through
:mod:`charter.store.policies`.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> with db.reading() as session:
...     find_policy(session, "acme")
Traceback (most recent call last):
...
charter.errors.NotFound: no policy 'acme'; GET /api/policies lists the policies
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from charter.errors import NotFound
from charter.services.lifecycle._input import SLUG_LENGTH, is_slug
from charter.store import policies as policies_store
from charter.store.models import PolicyRecord, PolicyVersion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _no_policy(slug: str) -> NotFound:
    return NotFound(f"no policy {slug[:SLUG_LENGTH]!r}; GET /api/policies lists the policies")


def find_policy(session: Session, slug: str, *, lock: bool = False) -> PolicyRecord:
    """The policy ``slug``; ``lock`` holds its row so changes to it queue up (PostgreSQL)."""
    if not is_slug(slug):
        raise _no_policy(slug)  # no stored policy has such a slug; do not query with it
    row = policies_store.policy_by_slug(session, slug, lock=lock)
    if row is None:
        raise _no_policy(slug)
    return row


def find_version(session: Session, policy: PolicyRecord, number: int) -> PolicyVersion:
    row = policies_store.version_by_number(session, policy.id, number)
    if row is None:
        latest = policies_store.latest_number(session, policy.id)
        raise NotFound(
            f"policy {policy.slug} has no version {number}; its versions are 1 to {latest} "
            f"(GET /api/policies/{policy.slug}/versions)"
        )
    return row


def default_base(session: Session, policy: PolicyRecord) -> PolicyVersion:
    """Where a new draft starts when none is named: the published version, else the latest."""
    published = policies_store.published_version(session, policy.id)
    return published or find_version(
        session, policy, policies_store.latest_number(session, policy.id)
    )
