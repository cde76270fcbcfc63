"""Learning records as xAPI 1.0.3 statements, JSON-ready, for those who keep an LMS.

No learning record store is needed: a statement is a plain dict that the CLI and the
API write out as JSON, and an LRS can take as it is.

- **Acknowledging a version**: verb ``http://activitystrea.ms/schema/1.0/accept``
  ("accepted"), object the policy version ``<base_url>/handbook?version=N``, the content
  hash the person saw in a context extension. ADL's own verb list (answered, asked,
  attempted, attended, commented, completed, exited, experienced, failed, imported,
  initialized, interacted, launched, mastered, passed, preferred, progressed, registered,
  responded, resumed, scored, shared, suspended, terminated, voided) has no verb for
  agreeing to a document; ``attested`` is not in it. Of the Activity Streams verbs the
  xAPI registry reuses, ``acknowledge`` only "signals that the actor is aware of the
  object's existence", which says less than what staff confirm, while ``accept`` is
  "accepting an assignment": taking on the duties the version sets. So: accept.
- **Answering a question**: ``http://adlnet.gov/expapi/verbs/answered``, object the
  clause the question cites, ``<base_url>/handbook#<clause id>``; the answer in
  ``result.response``, right or wrong in ``result.success``, the question's id and prompt
  in context extensions.
- **A quiz's result**: ``.../verbs/passed`` or ``.../verbs/failed``, object the version's
  quiz ``<base_url>/training/quiz?version=N`` (an assessment), the share answered right
  in ``result.score.scaled``.

Each statement's ``id`` is a UUID derived (uuid5) from the actor, the verb, the object,
the question for an answer, and the timestamp, so an export run twice gives the same
ids and an LRS keeps one copy. ``timestamp`` is ISO 8601 in UTC with its offset, to the
millisecond. ``version`` is left out, as the spec asks of record providers. Text people
typed (names, prompts, answers) is data in JSON strings, never markup.

>>> at = dt.datetime(2026, 12, 17, 10, 30, tzinfo=dt.UTC)
>>> statement = acknowledged(Actor("Ann Lee", "ann@example.com"), 3, "ab12", at,
...                          "https://charter.example")
>>> statement["verb"]["id"], statement["object"]["id"]
('http://activitystrea.ms/schema/1.0/accept', 'https://charter.example/handbook?version=3')
>>> statement["timestamp"]
'2026-12-17T10:30:00.000+00:00'
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from charter.errors import UsageError
from charter.policy.units import ID_PATTERN

__all__ = ["LANGUAGE", "NAMESPACE", "VERBS", "Actor", "acknowledged", "answered", "quiz_result"]

# Fixed for good: changing it would change the id of every statement ever exported.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:charter:xapi:statement")
LANGUAGE = "en"
PLATFORM = "Charter"
ADL = "http://adlnet.gov/expapi"
VERBS: dict[str, tuple[str, str]] = {
    "accepted": ("http://activitystrea.ms/schema/1.0/accept", "accepted"),
    "answered": (f"{ADL}/verbs/answered", "answered"),
    "passed": (f"{ADL}/verbs/passed", "passed"),
    "failed": (f"{ADL}/verbs/failed", "failed"),
}
ASSESSMENT = f"{ADL}/activities/assessment"
_ADDRESS = re.compile(r"[^@\s,;<>\"()\[\]\\:]+@[^@\s,;<>\"()\[\]\\:]+\.[^@\s,;<>\"()\[\]\\:]+")
_ID = re.compile(ID_PATTERN)
_HASH = re.compile(r"^[0-9A-Za-z+/=_-]{1,256}$")


@dataclass(frozen=True)
class Actor:
    """The person a statement is about: a name and the e-mail address that identifies them."""

    name: str
    email: str


def acknowledged(
    actor: Actor, version_number: int, content_hash: str, at: dt.datetime, base_url: str
) -> dict[str, Any]:
    """``actor`` accepted version ``version_number`` of the policy, as shown with this hash."""
    base = _base(base_url)
    number = _number(version_number)
    if not _HASH.match(content_hash):
        raise UsageError(
            f"content hash {content_hash!r} is not a hash; give the version's content hash "
            "(hexadecimal)"
        )
    target = _activity(
        f"{base}/handbook?version={number}", f"Customer service policy, version {number}"
    )
    context = {f"{base}/xapi/content-hash": content_hash}
    return _statement(actor, "accepted", target, at, base, extensions=context)


def answered(
    actor: Actor,
    clause_id: str,
    question_id: str,
    prompt: str,
    response: str,
    correct: bool,
    at: dt.datetime,
    base_url: str,
) -> dict[str, Any]:
    """``actor`` answered a question about clause ``clause_id``, rightly or not."""
    base = _base(base_url)
    if not _ID.match(clause_id):
        raise UsageError(f"clause id {clause_id!r} is not a policy id; ids are like return-unused")
    target = _activity(f"{base}/handbook#{clause_id}", f"Clause {clause_id}")
    context = {f"{base}/xapi/question": question_id, f"{base}/xapi/prompt": prompt}
    result = {"success": bool(correct), "response": response}
    return _statement(
        actor, "answered", target, at, base, result=result, extensions=context, salt=question_id
    )


def quiz_result(
    actor: Actor, version_number: int, scaled: float, passed: bool, at: dt.datetime, base_url: str
) -> dict[str, Any]:
    """``actor`` passed or failed the quiz of version ``version_number`` with ``scaled``."""
    base = _base(base_url)
    number = _number(version_number)
    if (
        isinstance(scaled, bool)
        or not isinstance(scaled, int | float)
        or not (math.isfinite(scaled) and 0 <= scaled <= 1)
    ):
        raise UsageError(f"score {scaled!r} is not a share from 0 to 1; give right / asked")
    target = _activity(
        f"{base}/training/quiz?version={number}", f"Quiz on policy version {number}", ASSESSMENT
    )
    result = {"score": {"scaled": float(scaled)}, "success": bool(passed), "completion": True}
    verb = "passed" if passed else "failed"
    return _statement(actor, verb, target, at, base, result=result)


def _statement(
    actor: Actor,
    verb: str,
    target: dict[str, Any],
    at: dt.datetime,
    base: str,
    *,
    result: dict[str, Any] | None = None,
    extensions: dict[str, str] | None = None,
    salt: str = "",
) -> dict[str, Any]:
    agent = _agent(actor)
    timestamp = _timestamp(at)
    verb_id, display = VERBS[verb]
    key = "\n".join([agent["mbox"], verb_id, target["id"], salt, timestamp])
    context: dict[str, Any] = {
        "platform": PLATFORM,
        "language": LANGUAGE,
        "contextActivities": {"grouping": [_activity(f"{base}/handbook", None)]},
    }
    if extensions:
        context["extensions"] = extensions
    statement: dict[str, Any] = {
        "id": str(uuid.uuid5(NAMESPACE, key)),
        "actor": agent,
        "verb": {"id": verb_id, "display": {LANGUAGE: display}},
        "object": target,
    }
    if result is not None:
        statement["result"] = result
    statement["context"] = context
    statement["timestamp"] = timestamp
    return statement


def _agent(actor: Actor) -> dict[str, str]:
    email = actor.email.strip()
    if not _ADDRESS.fullmatch(email) or len(email) > 254:
        raise UsageError(
            f"{actor.email!r} is not one e-mail address, so it cannot identify "
            f"{actor.name!r} in a learning record; give their address, name@example.com"
        )
    agent = {"objectType": "Agent", "mbox": f"mailto:{email}"}
    if actor.name.strip():
        agent["name"] = actor.name
    return agent


def _activity(iri: str, name: str | None, kind: str | None = None) -> dict[str, Any]:
    activity: dict[str, Any] = {"objectType": "Activity", "id": iri}
    definition: dict[str, Any] = {}
    if name is not None:
        definition["name"] = {LANGUAGE: name}
    if kind is not None:
        definition["type"] = kind
    if definition:
        activity["definition"] = definition
    return activity


def _base(base_url: str) -> str:
    base = base_url.strip().rstrip("/")
    parts = urlsplit(base)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or any(ch.isspace() or ch in '<>"{}|\\^`' for ch in base)
    ):
        raise UsageError(
            f"base URL {base_url!r} is not an http(s) address; give the server's public "
            "address, e.g. https://charter.example.com"
        )
    return base


def _number(version_number: int) -> int:
    if (
        isinstance(version_number, bool)
        or not isinstance(version_number, int)
        or (version_number < 0)
    ):
        raise UsageError(f"version number {version_number!r} is not a version's number (1, 2, …)")
    return version_number


def _timestamp(at: dt.datetime) -> str:
    if at.tzinfo is None or at.utcoffset() is None:
        raise UsageError(f"timestamp {at.isoformat()} has no timezone; give an aware instant")
    return at.astimezone(dt.UTC).isoformat(timespec="milliseconds")
