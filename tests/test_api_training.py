"""``/api/training`` on the training story of ``support.training``: Larkfield's example
policy in force from Monday 7 December 2026 09:00 (London is on UTC in December); Ava
answers chat, Ben e-mail, both in team "UK care" under Mo ("Managers").

The example's training section: 5 working days on uk-support (open Monday to Saturday)
to acknowledge, so version 1's deadline is the close of Saturday 12 December, 17:00; a
pass mark of 80 % over 10 questions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.policy import load_policy_text
from charter.services.tokens import create_token
from charter.store import Database
from charter.training.quiz import questions
from charter.web.app import create_app
from support import EXAMPLE_TEXT
from support.api import assert_error_body, ok
from support.training import V1_AT, Team, digest, example, make_team, publish_chain, utc
from support.web import make_settings

BASE = "https://charter.example"
# Version 2 slows live chat's first response from 5 to 10 minutes: a major change to
# Ava's channel, not to Ben's.
CHAT_SLOWER = (
    "first_response: {within: 5m, clock: uk-support, attainment: 90%}"
    "=>first_response: {within: 10m, clock: uk-support, attainment: 90%}"
)
V2_AT = utc("2026-12-14 09:00")

Clock = Callable[[str], None]


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Set the clock every service reads: ``at("2026-12-08 10:00")``."""

    def setting(text: str) -> None:
        moment = utc(text)
        monkeypatch.setattr(clock, "now", lambda: moment)

    setting("2026-12-08 10:00")
    return setting


@pytest.fixture
def based(database_url: str, database: Database) -> Iterator[TestClient]:
    """The app with CHARTER_BASE_URL set, as the statements need."""
    app = create_app(make_settings(database_url, base_url=BASE), database)
    with TestClient(app) as client:
        yield client


def token(database: Database, user_id: int) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(database, user_id, 'tests').secret}"}


def story(database: Database, *texts: tuple[str, dt.datetime]) -> Team:
    publish_chain(database, *(texts or ((EXAMPLE_TEXT, V1_AT),)))
    return make_team(database)


def answer_key(text: str) -> dict[str, str]:
    """The right answer of every question the policy's facts give, by question id."""
    return {q.id: q.answer for q in questions(load_policy_text(text).policy)}


def wrong_option(question: dict[str, Any], right: str) -> str:
    if question["form"] == "number":
        return str(int(float(right)) + 1)
    return next(option for option in question["options"] if option != right)


def take_quiz(client: TestClient, headers: dict[str, str], at: Clock, text: str) -> list[str]:
    """Start a quiz at 10:00 and answer its ten questions at 10:01 ... 10:10, the first
    wrong and the rest right; the clause ids asked, in order."""
    quiz = ok(client.post("/api/training/quizzes", headers=headers), 201)
    key = answer_key(text)
    for minute, question in enumerate(quiz["questions"], start=1):
        at(f"2026-12-08 10:{minute:02d}")
        right = key[question["id"]]
        given = wrong_option(question, right) if minute == 1 else right
        body = {"question": question["id"], "answer": given}
        ok(client.post(f"/api/training/quizzes/{quiz['id']}/answers", json=body, headers=headers))
    return [q["clause_id"] for q in quiz["questions"]]


def acknowledge_and_pass(
    client: TestClient, database: Database, team: Team, at: Clock
) -> list[str]:
    """Ava acknowledges version 1 at 10:00 on Tuesday 8 December and passes its quiz with
    9 of 10 by 10:10; the clause ids she was asked about."""
    ava = token(database, team.ava)
    body = {"version": 1, "content_hash": digest(EXAMPLE_TEXT)}
    ok(client.post("/api/training/acknowledgments", json=body, headers=ava), 201)
    return take_quiz(client, ava, at, EXAMPLE_TEXT)


def test_avas_standing_names_version_one_its_saturday_deadline_and_her_reading_list(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    me = ok(client.get("/api/training/me", headers=token(database, team.ava)))
    assert (me["version"], me["reason"], me["state"]) == (1, "first version", "due")
    assert me["content_hash"] == digest(EXAMPLE_TEXT)
    assert me["deadline"] == "2026-12-12T17:00:00Z"
    assert (me["acknowledged_at"], me["passed_at"], me["notice"]) == (None, None, None)
    assert (me["concerning"], me["changed_clauses"]) == ([], [])
    checklist = me["checklist"]
    # A chat agent reads the sections with something of theirs (the onboarding reading
    # list of the example for role agent, channel chat), then acknowledges and passes.
    reads = ["calendars", "contact_points", "service_levels", "delivery", "returns",
             "complaints", "staff"]  # fmt: skip
    assert [(i["kind"], i["clause_id"]) for i in checklist["items"]] == [
        *(("read", s) for s in reads), ("acknowledge", None), ("quiz", None)
    ]  # fmt: skip
    assert (checklist["version"], checklist["done"], checklist["state"]) == (1, 0, "due")


def test_ava_ticks_returns_as_read_once_and_escalation_is_not_hers_to_read(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    ava = token(database, team.ava)
    ok(client.post("/api/training/reads", json={"section": "returns"}, headers=ava))
    at("2026-12-08 11:00")
    checklist = ok(client.post("/api/training/reads", json={"section": "returns"}, headers=ava))
    # The first time (10:00) stands; 1 of her 9 items is done.
    ticked = [(i["clause_id"], i["done_at"]) for i in checklist["items"] if i["done"]]
    assert ticked == [("returns", "2026-12-08T10:00:00Z")]
    assert (checklist["done"], len(checklist["items"])) == (1, 9)
    # Escalation levels notify managers, not agents: not on a chat agent's list.
    refused = client.post("/api/training/reads", json={"section": "escalation"}, headers=ava)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == [
        {"field": "section", "problem": "not on the checklist"}
    ]
    assert "returns" in refused.json()["error"]["message"]


def test_a_major_chat_change_asks_ava_again_with_the_change_and_only_tells_ben(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database, (EXAMPLE_TEXT, V1_AT), (example(chat=CHAT_SLOWER), V2_AT))
    at("2026-12-14 10:00")
    path = "service_levels.rules[sl-chat].targets.first_response.within"
    ava = ok(client.get("/api/training/me", headers=token(database, team.ava)))
    assert (ava["version"], ava["reason"]) == (2, "changed")
    assert [c["path"] for c in ava["concerning"]] == [path]
    said = "first response for chat: 5 business minutes → 10 business minutes"
    assert ava["concerning"][0]["text"] == f"{said} (weaker for customers)"
    assert ava["changed_clauses"] == ["service_levels.rules.sl-chat"]
    # 5 working days from Monday 14 December: Tue 15 ... Sat 19, closing at 17:00.
    assert ava["deadline"] == "2026-12-19T17:00:00Z"
    ben = ok(client.get("/api/training/me", headers=token(database, team.ben)))
    assert (ben["version"], ben["reason"], ben["concerning"]) == (1, "first version", [])
    assert [c["path"] for c in ben["notice"]["changes"]] == [path]


def test_acknowledging_is_201_then_200_and_a_stale_hash_is_409(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    ava = token(database, team.ava)
    stale = client.post("/api/training/acknowledgments",
                        json={"version": 1, "content_hash": digest("an older text")},
                        headers=ava)  # fmt: skip
    assert stale.status_code == 409
    assert_error_body(stale.json(), 409, "conflict")
    assert "hash differs" in stale.json()["error"]["message"]
    body = {"version": 1, "content_hash": digest(EXAMPLE_TEXT)}
    first = ok(client.post("/api/training/acknowledgments", json=body, headers=ava), 201)
    assert (first["created"], first["acknowledged_at"]) == (True, "2026-12-08T10:00:00Z")
    at("2026-12-08 11:00")
    again = ok(client.post("/api/training/acknowledgments", json=body, headers=ava), 200)
    # The first acknowledgment (10:00) stands; the second is not recorded.
    assert (again["created"], again["acknowledged_at"]) == (False, "2026-12-08T10:00:00Z")
    assert "already" in again["message"]
    me = ok(client.get("/api/training/me", headers=ava))
    assert me["acknowledged_at"] == "2026-12-08T10:00:00Z"


def test_avas_version_two_quiz_asks_the_chat_clause_first_and_a_wrong_answer_shows_it(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database, (EXAMPLE_TEXT, V1_AT), (example(chat=CHAT_SLOWER), V2_AT))
    at("2026-12-14 10:00")
    ava = token(database, team.ava)
    quiz = ok(client.post("/api/training/quizzes", headers=ava), 201)
    assert (quiz["version"], quiz["pass_mark"], len(quiz["questions"])) == (2, 0.8, 10)
    first = quiz["questions"][0]
    # The changed clause's questions come first, in the policy's order: first response.
    assert first["id"] == "service_levels.rules.sl-chat#first_response"
    assert "answer" not in first and quiz["next"] == first
    assert (quiz["finished"], quiz["score"], quiz["passed"]) == (False, None, None)
    body = {"question": first["id"], "answer": "1 business hour on calendar uk-support"}
    done = ok(client.post(f"/api/training/quizzes/{quiz['id']}/answers", json=body, headers=ava))
    # Version 2 says 10 minutes: the answer is wrong, and the clause is shown.
    assert done["correct"] is False
    assert done["answer"] == "10 business minutes on calendar uk-support"
    assert (done["clause_id"], done["clause_heading"]) == ("service_levels.rules.sl-chat",
                                                           "Live chat")  # fmt: skip
    shown = "First response: within 10 business minutes on calendar uk-support"
    assert shown in done["clause_text"]
    assert done["attempt"]["answered"] == {first["id"]: False}
    assert done["attempt"]["next"]["id"] == "service_levels.rules.sl-chat#resolution"
    again = ok(client.get(f"/api/training/quizzes/{quiz['id']}", headers=ava))
    assert again["answered"] == {first["id"]: False} and again["finished"] is False


def test_nine_right_of_ten_passes_at_the_eighty_per_cent_mark(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    ava = token(database, team.ava)
    quiz = ok(client.post("/api/training/quizzes", headers=ava), 201)
    key = answer_key(EXAMPLE_TEXT)
    last: dict[str, Any] = {}
    for place, question in enumerate(quiz["questions"]):
        right = key[question["id"]]
        given = wrong_option(question, right) if place == 0 else right
        body = {"question": question["id"], "answer": given}
        last = ok(client.post(f"/api/training/quizzes/{quiz['id']}/answers", json=body,
                              headers=ava))  # fmt: skip
        assert last["correct"] is (place != 0)
        assert (last["clause_text"] is None) is (place != 0)
    # 9 of 10 right = 0.9 >= 0.8.
    attempt = last["attempt"]
    assert (attempt["finished"], attempt["score"], attempt["passed"]) == (True, 0.9, True)
    assert attempt["next"] is None
    repeat = client.post(f"/api/training/quizzes/{quiz['id']}/answers",
                         json={"question": quiz["questions"][0]["id"], "answer": "x"},
                         headers=ava)  # fmt: skip
    assert repeat.status_code == 409 and "finished" in repeat.json()["error"]["message"]


def test_someone_elses_quiz_is_a_404(client: TestClient, database: Database, at: Clock) -> None:
    team = story(database)
    quiz = ok(client.post("/api/training/quizzes", headers=token(database, team.ava)), 201)
    other = client.get(f"/api/training/quizzes/{quiz['id']}", headers=token(database, team.ben))
    assert other.status_code == 404
    assert_error_body(other.json(), 404, "not_found")


def test_a_question_missed_on_tuesday_comes_back_on_wednesday_as_a_refresher(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    ava = token(database, team.ava)
    quiz = ok(client.post("/api/training/quizzes", headers=ava), 201)
    first = quiz["questions"][0]
    right = answer_key(EXAMPLE_TEXT)[first["id"]]
    body = {"question": first["id"], "answer": wrong_option(first, right)}
    ok(client.post(f"/api/training/quizzes/{quiz['id']}/answers", json=body, headers=ava))
    # A wrong answer makes a card due one day later: Wednesday 9 December 10:00.
    assert ok(client.get("/api/training/refreshers", headers=ava)) == {"questions": []}
    early = client.post("/api/training/refreshers/answers",
                        json={"question": first["id"], "answer": right}, headers=ava)  # fmt: skip
    assert early.status_code == 403
    at("2026-12-09 10:00")
    due = ok(client.get("/api/training/refreshers", headers=ava))
    assert [q["id"] for q in due["questions"]] == [first["id"]]
    body = {"question": first["id"], "answer": right}
    done = ok(client.post("/api/training/refreshers/answers", json=body, headers=ava))
    assert (done["correct"], done["attempt"]) == (True, None)
    # Answered right when due, it moves to the 3-day step: nothing is due now.
    assert ok(client.get("/api/training/refreshers", headers=ava)) == {"questions": []}


def test_results_show_ava_done_ben_due_and_the_clause_she_missed(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    asked = acknowledge_and_pass(client, database, team, at)
    found = ok(client.get("/api/training/results", headers=token(database, team.mo)))
    people = {p["name"]: p for p in found["people"]}
    assert sorted(people) == ["Ava", "Ben", "Mo"]
    assert (people["Ava"]["state"], people["Ava"]["attempts"], people["Ava"]["best_score"]) == (
        "done", 1, 0.9
    )  # fmt: skip
    assert people["Ava"]["passed_at"] == "2026-12-08T10:10:00Z"
    assert (people["Ben"]["state"], people["Ben"]["attempts"]) == ("due", 0)
    # Only Ava answered: each clause she was asked about has 1 person; the first clause
    # she got wrong (1 of 1: 100 %), the others right (0 %). Two questions on one clause
    # would count her once there.
    clauses = {c["clause_id"]: c for c in found["clauses"]}
    assert set(clauses) == set(asked)
    assert (clauses[asked[0]]["people_wrong"], clauses[asked[0]]["share_wrong"]) == (1, 1.0)
    assert all(c["people"] == 1 for c in clauses.values())
    assert sum(c["people_wrong"] for c in clauses.values()) == 1
    # UK care: Ava done, Ben not: 1 of 2 = 50 %. Managers: Mo, not done: 0 of 1.
    assert [(t["team"], t["people"], t["done"], t["completion"]) for t in found["teams"]] == [
        ("Managers", 1, 0, 0.0), ("UK care", 2, 1, 0.5)
    ]  # fmt: skip


def test_results_filters_keep_only_the_team_asked_for(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    mo = token(database, team.mo)
    found = ok(client.get("/api/training/results?team=UK care&state=due", headers=mo))
    assert [p["name"] for p in found["people"]] == ["Ava", "Ben"]
    assert [t["team"] for t in found["teams"]] == ["UK care"]
    assert ok(client.get("/api/training/results?state=done", headers=mo))["people"] == []


def test_the_csv_has_exactly_the_filtered_rows(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    acknowledge_and_pass(client, database, team, at)
    mo = token(database, team.mo)
    answer = client.get("/api/training/results.csv?team=UK care", headers=mo)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert "training-results.csv" in answer.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(answer.text)))
    # Neither has read a handbook section yet: 0 of the 7 on an agent's checklist.
    assert table == [
        ["name", "email", "team", "role", "version", "reason", "deadline", "sections_read",
         "sections", "acknowledged_at", "passed_at", "attempts", "best_score", "state"],
        ["Ava", "ava@larkfield.example", "UK care", "agent", "1", "first version",
         "2026-12-12T17:00:00+00:00", "0", "7", "2026-12-08T10:00:00+00:00",
         "2026-12-08T10:10:00+00:00", "1", "0.9000", "done"],
        ["Ben", "ben@larkfield.example", "UK care", "agent", "1", "first version",
         "2026-12-12T17:00:00+00:00", "0", "7", "", "", "0", "", "due"],
    ]  # fmt: skip
    done = client.get("/api/training/results.csv?state=done", headers=mo)
    assert [row[0] for row in csv.reader(io.StringIO(done.text))] == ["name", "Ava"]


def test_statements_hold_avas_acceptance_her_ten_answers_and_her_pass(
    based: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    asked = acknowledge_and_pass(based, database, team, at)
    found = ok(based.get("/api/training/statements", headers=token(database, team.mo)))
    # 1 acknowledgment + 10 answers + 1 finished quiz, oldest first.
    assert len(found) == 12
    assert {s["actor"]["mbox"] for s in found} == {"mailto:ava@larkfield.example"}
    accept = found[0]
    assert accept["verb"]["id"] == "http://activitystrea.ms/schema/1.0/accept"
    assert accept["object"]["id"] == f"{BASE}/handbook?version=1"
    assert accept["timestamp"] == "2026-12-08T10:00:00.000+00:00"
    answers = found[1:11]
    assert {s["verb"]["id"] for s in answers} == {"http://adlnet.gov/expapi/verbs/answered"}
    assert [s["object"]["id"] for s in answers] == [f"{BASE}/handbook#{c}" for c in asked]
    assert [s["result"]["success"] for s in answers] == [False] + [True] * 9
    passed = found[11]
    assert passed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert passed["object"]["id"] == f"{BASE}/training/quiz?version=1"
    assert passed["result"]["score"]["scaled"] == 0.9


def test_statements_without_a_base_url_are_refused_naming_the_setting(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    answer = client.get("/api/training/statements", headers=token(database, team.mo))
    assert answer.status_code == 409
    assert_error_body(answer.json(), 409, "conflict")
    assert "CHARTER_BASE_URL" in answer.json()["error"]["message"]


def test_an_agent_may_not_read_the_results(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    for path in ("results", "results.csv", "statements"):
        answer = client.get(f"/api/training/{path}", headers=token(database, team.ava))
        assert answer.status_code == 403, path


def test_a_manager_puts_ben_on_chat_as_a_joiner_and_his_deadline_counts_from_his_start(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    body = {"policy_role": "agent", "channels": ["chat", "email"], "team": "UK care",
            "manager_id": team.mo, "started_on": "2026-12-14"}  # fmt: skip
    put = client.put(f"/api/users/{team.ben}/training-profile", json=body,
                     headers=token(database, team.mo))  # fmt: skip
    assert ok(put) == {"user_id": team.ben, **body}
    ben = ok(client.get("/api/training/me", headers=token(database, team.ben)))
    # A joiner from Monday 14 December (day 0): 10 working days on uk-support (open
    # Monday to Saturday; England's bank holidays and 29-30 December closed): Tue 15 ...
    # Sat 19 (5), Mon 21 ... Thu 24 (9; Christmas Eve opens 09:00-12:00), then Friday 25
    # and Saturday 26 (Christmas, Boxing Day), Monday 28 (Boxing Day's substitute),
    # Tuesday 29 and Wednesday 30 are closed; Thursday 31 (09:00-15:00) is the 10th.
    assert ben["deadline"] == "2026-12-31T15:00:00Z"


ACK, REFRESH = "/api/training/acknowledgments", "/api/training/refreshers/answers"
BAD_BODIES = [
    (ACK, {"version": 1, "content_hash": "x", "extra": 1}, "body.extra"),
    (ACK, {"version": 0, "content_hash": "x"}, "body.version"),
    (ACK, {"version": 1, "content_hash": "a" * 129}, "body.content_hash"),
    (REFRESH, {"question": "q", "answer": "a" * 501}, "body.answer"),
    (REFRESH, {"question": "q", "answer": "\x00"}, "body.answer"),
    (REFRESH, {"question": "q"}, "body.answer"),
    (REFRESH, {"question": "q" * 201, "answer": "a"}, "body.question"),
]


@pytest.mark.parametrize(("path", "body", "field"), BAD_BODIES)
def test_a_bad_body_is_a_422_naming_the_field(
    client: TestClient, database: Database, at: Clock, path: str, body: dict[str, Any],
    field: str,
) -> None:  # fmt: skip
    team = story(database)
    answer = client.post(path, json=body, headers=token(database, team.ava))
    assert answer.status_code == 422, answer.text
    assert_error_body(answer.json(), 422, "invalid_input")
    assert [d["field"] for d in answer.json()["error"]["details"]] == [field]


PROFILE = {"policy_role": "agent", "channels": ["chat"], "team": "UK care",
           "manager_id": None, "started_on": None}  # fmt: skip
BAD_PROFILES = [
    ({"channels": ["chat"] * 21}, "body.channels"),
    ({"channels": ["c" * 41]}, "body.channels.0"),
    ({"team": "t" * 101}, "body.team"),
    ({"started_on": "2999-01-01"}, "body.started_on"),
    ({"policy_role": "astronaut"}, "policy_role"),
    ({"channels": ["live chat"]}, "channels"),
    ({"colour": "blue"}, "body.colour"),
]


@pytest.mark.parametrize(("change", "field"), BAD_PROFILES)
def test_a_bad_training_profile_is_a_422_naming_the_field(
    client: TestClient, database: Database, at: Clock, change: dict[str, Any], field: str
) -> None:
    team = story(database)
    answer = client.put(f"/api/users/{team.ava}/training-profile", json={**PROFILE, **change},
                        headers=token(database, team.mo))  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert [d["field"] for d in answer.json()["error"]["details"]] == [field]


def test_a_missing_profile_field_is_a_422_since_put_writes_them_all(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    body = {k: v for k, v in PROFILE.items() if k != "team"}
    answer = client.put(f"/api/users/{team.ava}/training-profile", json=body,
                        headers=token(database, team.mo))  # fmt: skip
    assert answer.status_code == 422
    assert [d["field"] for d in answer.json()["error"]["details"]] == ["body.team"]


def test_an_unknown_state_filter_is_a_422_naming_the_states(
    client: TestClient, database: Database, at: Clock
) -> None:
    team = story(database)
    answer = client.get("/api/training/results?state=late", headers=token(database, team.mo))
    assert answer.status_code == 422
    assert "done, due, overdue, none" in answer.json()["error"]["message"]
    assert answer.json()["error"]["details"] == [{"field": "state", "problem": "unknown state"}]
