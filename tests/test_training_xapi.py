"""Learning records as xAPI 1.0.3 statements: checked against the spec's rules, written
out here by hand from its Part Two (statement properties, agents, verbs, activities,
results, context, timestamps), with no learning record store."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import uuid
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from charter.errors import UsageError
from charter.training.xapi import Actor, acknowledged, answered, quiz_result

BASE = "https://charter.example"
AT = dt.datetime(2026, 12, 17, 10, 30, tzinfo=dt.UTC)
LATER = AT + dt.timedelta(seconds=1)
ANN = Actor("Ann Lee", "ann@example.com")
BO = Actor("Bo", "bo@example.com")

# --- the spec's rules, by hand -------------------------------------------------------

STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp",
                  "stored", "authority", "version", "attachments"}  # fmt: skip
SET_BY_THE_LRS = {"stored", "authority", "version"}  # record providers leave them out
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
IDENTIFIERS = {"mbox", "mbox_sha1sum", "openid", "account"}
ACTIVITY_KEYS = {"objectType", "id", "definition"}
DEFINITION_KEYS = {"name", "description", "type", "moreInfo", "extensions",
                   "interactionType", "correctResponsesPattern", "choices", "scale",
                   "source", "target", "steps"}  # fmt: skip
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
CONTEXT_KEYS = {"registration", "instructor", "team", "contextActivities", "revision",
                "platform", "language", "statement", "extensions"}  # fmt: skip
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # RFC 5646, roughly
MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def is_iri(value: Any) -> bool:
    if not isinstance(value, str) or any(ch.isspace() for ch in value):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and (parts.scheme == "urn" or bool(parts.netloc))


def check_no_nulls_or_empty_objects(value: Any, where: str) -> None:
    # 2.2: the LRS rejects null values (outside extensions); no empty objects.
    if isinstance(value, dict):
        assert value, f"{where} is an empty object"
        for key, item in value.items():
            check_no_nulls_or_empty_objects(item, f"{where}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            check_no_nulls_or_empty_objects(item, f"{where}[{n}]")
    else:
        assert value is not None, f"{where} is null"


def check_language_map(value: Any) -> None:
    assert isinstance(value, dict) and value
    for tag, text in value.items():
        assert LANGUAGE_TAG.match(tag), tag
        assert isinstance(text, str)


def check_activity(value: Any) -> None:
    assert set(value) <= ACTIVITY_KEYS
    assert value.get("objectType", "Activity") == "Activity"
    assert is_iri(value["id"]), value["id"]
    definition = value.get("definition", {})
    assert set(definition) <= DEFINITION_KEYS
    for key in ("name", "description"):
        if key in definition:
            check_language_map(definition[key])
    if "type" in definition:
        assert is_iri(definition["type"])


def check_extensions(value: Any) -> None:
    assert isinstance(value, dict)
    assert all(is_iri(key) for key in value), list(value)


def check_statement(statement: dict[str, Any]) -> None:
    assert {"actor", "verb", "object"} <= set(statement) <= STATEMENT_KEYS - SET_BY_THE_LRS
    check_no_nulls_or_empty_objects(statement, "statement")
    assert str(uuid.UUID(statement["id"])) == statement["id"]  # a UUID, canonical form
    actor = statement["actor"]
    assert set(actor) <= AGENT_KEYS and actor.get("objectType", "Agent") == "Agent"
    assert len(set(actor) & IDENTIFIERS) == 1  # exactly one inverse functional identifier
    assert MAILTO.match(actor["mbox"])
    assert isinstance(actor.get("name", ""), str)
    verb = statement["verb"]
    assert set(verb) <= {"id", "display"} and is_iri(verb["id"])
    check_language_map(verb["display"])
    check_activity(statement["object"])
    result = statement.get("result", {})
    assert set(result) <= RESULT_KEYS
    for key in ("success", "completion"):
        assert isinstance(result.get(key, True), bool)
    assert isinstance(result.get("response", ""), str)
    score = result.get("score", {})
    assert set(score) <= SCORE_KEYS
    if "scaled" in score:
        scaled = score["scaled"]
        assert isinstance(scaled, float) and math.isfinite(scaled) and -1 <= scaled <= 1
    context = statement.get("context", {})
    assert set(context) <= CONTEXT_KEYS
    if "language" in context:
        assert LANGUAGE_TAG.match(context["language"])
    activities = context.get("contextActivities", {})
    assert set(activities) <= CONTEXT_ACTIVITY_KEYS
    for listed in activities.values():
        for activity in listed if isinstance(listed, list) else [listed]:
            check_activity(activity)
    if "extensions" in context:
        check_extensions(context["extensions"])
    assert TIMESTAMP.match(statement["timestamp"])
    assert dt.datetime.fromisoformat(statement["timestamp"]).tzinfo is not None


# --- the three statements ------------------------------------------------------------


def test_an_acknowledgment_names_the_person_the_version_and_the_hash_they_saw() -> None:
    statement = acknowledged(ANN, 3, "9f2c" * 16, AT, BASE + "/")
    check_statement(statement)
    assert statement["actor"] == {
        "objectType": "Agent", "name": "Ann Lee", "mbox": "mailto:ann@example.com"
    }  # fmt: skip
    assert statement["verb"]["id"] == "http://activitystrea.ms/schema/1.0/accept"
    assert statement["object"]["id"] == "https://charter.example/handbook?version=3"
    assert statement["context"]["extensions"] == {
        "https://charter.example/xapi/content-hash": "9f2c" * 16
    }
    assert statement["timestamp"] == "2026-12-17T10:30:00.000+00:00"


def test_an_answer_has_its_clause_as_the_activity_the_response_and_whether_right() -> None:
    prompt = "How many days to return an item?"
    statement = answered(ANN, "return-unused", "returns#window_days", prompt, "14 days", False,
                         AT, BASE)  # fmt: skip
    check_statement(statement)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert statement["object"]["id"] == "https://charter.example/handbook#return-unused"
    assert statement["result"] == {"success": False, "response": "14 days"}
    assert statement["context"]["extensions"] == {
        "https://charter.example/xapi/question": "returns#window_days",
        "https://charter.example/xapi/prompt": "How many days to return an item?",
    }


@pytest.mark.parametrize(
    ("passed", "verb"),
    [(True, "http://adlnet.gov/expapi/verbs/passed"),
     (False, "http://adlnet.gov/expapi/verbs/failed")],
)  # fmt: skip
def test_a_quiz_result_passes_or_fails_with_its_scaled_score(passed: bool, verb: str) -> None:
    # 8 of 10 right: scaled 0.8.
    statement = quiz_result(ANN, 3, 8 / 10, passed, AT, BASE)
    check_statement(statement)
    assert statement["verb"]["id"] == verb
    assert statement["object"]["id"] == "https://charter.example/training/quiz?version=3"
    assert statement["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/assessment"
    )
    assert statement["result"] == {"score": {"scaled": 0.8}, "success": passed, "completion": True}


def test_an_export_run_twice_gives_the_same_ids() -> None:
    first = answered(ANN, "return-unused", "q1", "Prompt?", "30", True, AT, BASE)
    again = answered(ANN, "return-unused", "q1", "Prompt?", "30", True, AT, BASE)
    assert first == again
    # The same instant written in London's summer-free December zone: the same record.
    london = AT.astimezone(ZoneInfo("Europe/London"))
    assert answered(ANN, "return-unused", "q1", "Prompt?", "30", True, london, BASE) == first
    # The recipe in the module's docstring: uuid5 of actor, verb, object, question, time.
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "urn:charter:xapi:statement")
    name = "\n".join(["mailto:ann@example.com", "http://adlnet.gov/expapi/verbs/answered",
                      "https://charter.example/handbook#return-unused", "q1",
                      "2026-12-17T10:30:00.000+00:00"])  # fmt: skip
    assert first["id"] == str(uuid.uuid5(namespace, name))


def test_different_records_get_different_ids() -> None:
    ids = {
        answered(ANN, "return-unused", "q1", "P", "30", True, AT, BASE)["id"],
        answered(ANN, "return-unused", "q2", "P", "30", True, AT, BASE)["id"],  # question
        answered(ANN, "return-proof", "q1", "P", "30", True, AT, BASE)["id"],  # clause
        answered(ANN, "return-unused", "q1", "P", "30", True, LATER, BASE)["id"],  # time
        answered(BO, "return-unused", "q1", "P", "30", True, AT, BASE)["id"],  # person
        quiz_result(ANN, 3, 0.8, True, AT, BASE)["id"],
        quiz_result(ANN, 3, 0.8, False, AT, BASE)["id"],  # verb
        acknowledged(ANN, 3, "ab", AT, BASE)["id"],
        acknowledged(ANN, 4, "ab", AT, BASE)["id"],  # version
    }
    assert len(ids) == 9


def test_hostile_text_stays_inert_data() -> None:
    name = 'Ann "Ace" <script>alert(1)</script>\n"}, "verb": {"id": "x"'
    prompt = 'Is "refund" <b>bold</b>?\r\nIgnore the above; "</script><script>evil()'
    response = '"}]}\n{"actor": null}'
    statement = answered(Actor(name, "ann@example.com"), "return-unused", "q1", prompt,
                         response, True, AT, BASE)  # fmt: skip
    check_statement(statement)
    text = json.dumps(statement)
    assert json.loads(text) == statement  # round-trips exactly: nothing was parsed
    assert "\n" not in text and "\r" not in text  # escaped inside the JSON strings
    assert statement["actor"]["name"] == name
    assert statement["context"]["extensions"]["https://charter.example/xapi/prompt"] == prompt
    assert statement["result"]["response"] == response
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert set(statement) == {"id", "actor", "verb", "object", "result", "context",
                              "timestamp"}  # fmt: skip


def test_a_person_without_a_name_is_sent_without_an_empty_one() -> None:
    statement = acknowledged(Actor("", "ann@example.com"), 1, "ab", AT, BASE)
    check_statement(statement)
    assert "name" not in statement["actor"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: acknowledged(Actor("Ann", "not an address"), 1, "ab", AT, BASE),
         "'not an address' is not one e-mail address"),
        (lambda: acknowledged(Actor("Ann", "a@b.example\nBcc: c@d.example"), 1, "ab", AT,
                              BASE), "is not one e-mail address"),
        (lambda: acknowledged(ANN, 1, "ab", AT, "javascript:alert(1)"),
         "base URL 'javascript:alert\\(1\\)' is not an http\\(s\\) address"),
        (lambda: acknowledged(ANN, 1, "ab", AT, "https://x.example/?a=1"),
         "is not an http\\(s\\) address"),
        (lambda: acknowledged(ANN, 1, "a b", AT, BASE), "content hash 'a b' is not a hash"),
        (lambda: acknowledged(ANN, -1, "ab", AT, BASE), "version number -1"),
        (lambda: acknowledged(ANN, 1, "ab", dt.datetime(2026, 12, 17, 10, 30), BASE),
         "has no timezone"),
        (lambda: answered(ANN, 'x"><script>', "q", "p", "r", True, AT, BASE),
         "is not a policy id"),
        (lambda: quiz_result(ANN, 1, 1.5, True, AT, BASE), "score 1.5 is not a share"),
        (lambda: quiz_result(ANN, 1, float("nan"), True, AT, BASE), "score nan"),
        (lambda: quiz_result(ANN, 1, -0.1, False, AT, BASE), "score -0.1"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_saying_what_and_how(call: Any, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        call()
