"""The policies aggregate in the store: policies, their versions, the audit trail,
comments, and the results a published version is shown with.

Plain functions whose first argument is the ``Session`` a service opened; none
commits or opens a transaction. A lookup that finds nothing returns ``None``; what
to tell the user is the service's to say.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> with db.reading() as session:
...     policy_exists(session, "acme"), version_statuses(session)
(False, {})
"""

from charter.store.policies._results import Counts, met_and_breached
from charter.store.policies._trail import (
    VersionFacts,
    add_comment,
    add_event,
    comments_of,
    editors,
    events_of,
    version_facts,
)
from charter.store.policies._versions import (
    effective_versions,
    flush_or_conflict,
    in_force_from,
    in_force_numbers,
    judging_pilots,
    judging_policy_id,
    last_pilot,
    latest_number,
    next_switch,
    operating_version,
    operating_version_id,
    policies,
    policy_by_slug,
    policy_exists,
    published_version,
    retired_at_instant,
    statuses_of,
    version_by_number,
    version_statuses,
    versions_of,
)

__all__ = [
    "Counts",
    "VersionFacts",
    "add_comment",
    "add_event",
    "comments_of",
    "editors",
    "effective_versions",
    "events_of",
    "flush_or_conflict",
    "in_force_from",
    "in_force_numbers",
    "judging_pilots",
    "judging_policy_id",
    "last_pilot",
    "latest_number",
    "met_and_breached",
    "next_switch",
    "operating_version",
    "operating_version_id",
    "policies",
    "policy_by_slug",
    "policy_exists",
    "published_version",
    "retired_at_instant",
    "statuses_of",
    "version_by_number",
    "version_facts",
    "version_statuses",
    "versions_of",
]
