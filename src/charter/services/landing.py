"""Where each person lands after signing in, and the one name the site's header shows.

After signing in, a person goes where their work is (``docs/accounts.md``,
*Where you land after signing in*):

- an agent to the tickets (``/tickets``);
- a manager or admin for whom a policy version waits in review (one they may
  review: they wrote none of its text) to that version's page, where the diff
  and the approve / reject controls are; the oldest policy's lowest number first;
- otherwise a manager to the dashboard (``/dashboard``) and an admin to the
  policies (``/policies``), which admins set up and publish.

A ``next`` path on the sign-in form still wins (``charter.web.pages.auth``).

The header shows one name: the business's, from the policy in force
(``organisation.name``), or ``Charter`` while none is in force.

>>> LANDING[Role.agent], LANDING[Role.manager], LANDING[Role.admin]
('/tickets', '/dashboard', '/policies')
"""

from __future__ import annotations

import threading
import weakref

from charter.errors import PolicyError
from charter.policy.lifecycle import may_author
from charter.services.accounts import Principal, Role
from charter.services.lifecycle import operating_version, operating_version_id, text_writers
from charter.store import Database
from charter.store import policies as policies_store

LANDING = {Role.agent: "/tickets", Role.manager: "/dashboard", Role.admin: "/policies"}
PRODUCT = "Charter"  # the header's name while no policy is in force
NAME_MAX_AGE = 1.0  # seconds the live version's id is trusted without a query

# The business's name by database and id of the version in force (a version's text
# never changes once submitted): one parse per version, none per page.
_names: weakref.WeakKeyDictionary[Database, dict[int, str]] = weakref.WeakKeyDictionary()
_names_lock = threading.Lock()


def landing_path(database: Database, who: Principal) -> str:
    """The page ``who`` starts on after signing in (see the module's docstring)."""
    if may_author(who.role.value):
        waiting = review_waiting(database, who)
        if waiting is not None:
            slug, number = waiting
            return f"/policies/{slug}/versions/{number}"
    return LANDING.get(who.role, "/handbook")


def review_waiting(database: Database, who: Principal) -> tuple[str, int] | None:
    """The first version in review that ``who`` may approve or reject, as (slug, number)."""
    with database.reading() as session:
        statuses = policies_store.version_statuses(session)
        waiting = [
            (policy.slug, number)
            for policy in policies_store.policies(session)
            for number, status in sorted(statuses.get(policy.id, []))
            if status == "in_review"
        ]
    for slug, number in waiting:
        if not text_writers(database, slug, number).get(who.id):
            return slug, number
    return None


def site_name(database: Database) -> str:
    """The business's name from the policy in force, or ``Charter`` when none is."""
    version_id = operating_version_id(database, max_age=NAME_MAX_AGE)
    if version_id is None:
        return PRODUCT
    known = _names.get(database, {}).get(version_id)
    if known is not None:
        return known
    version = operating_version(database)
    if version is None:  # retired since its id was read
        return PRODUCT
    try:
        name = version.policy().organisation.name
    except PolicyError:  # a version in force was checked when submitted; never expected
        name = PRODUCT
    with _names_lock:
        _names.setdefault(database, {})[version.id] = name
    return name
