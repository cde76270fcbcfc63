"""The training pages (``/training``, the quiz, ``/training/team``) on the story of
``support.training``: Larkfield's example policy in force from Monday 7 December 2026
09:00 London (= UTC in winter); Ava answers chat, Ben e-mail, Mo manages them both.

The example's training section: 5 working days on uk-support to acknowledge (open
Monday to Saturday; Saturday closes at 17:00), 10 for a new joiner from their start
date, a pass mark of 80 % over 10 questions. Version 1's deadline is therefore the
close of Saturday 12 December: Tue 8, Wed 9, Thu 10, Fri 11, Sat 12 are working days 1-5.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.policy import load_policy_text
from charter.policy.clauses import clauses
from charter.services.training import acknowledge, answer, standings, start_quiz
from charter.store import Database
from charter.training.quiz import Question, questions
from support import EXAMPLE_TEXT
from support.pages import csrf_of
from support.ticket_store import rows
from support.training import V1_AT, Team, digest, example, make_team, publish_chain, utc

PASSWORD = "a long enough password"  # make_team's accounts
CHAT_SLOWER = (
    "first_response: {within: 5m, clock: uk-support, attainment: 90%}"
    "=>first_response: {within: 10m, clock: uk-support, attainment: 90%}"
)
TYPO_IN = "Greet the customer by name=>Greet the custmer by name"
POLICY = load_policy_text(EXAMPLE_TEXT).policy


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def at(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Fix the clock every service reads at ``text`` (UTC)."""
    monkeypatch.setattr(clock, "now", lambda: utc(text))


def sign_in_as(client: TestClient, name: str) -> None:
    """Sign in through the form as one of make_team's people (``ava``, ``ben``, ``mo``)."""
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    answer_ = client.post("/login", data={"email": f"{name}@larkfield.example",
                                          "password": PASSWORD, "csrf_token": token,
                                          "next": "/"}, follow_redirects=False)  # fmt: skip
    assert answer_.status_code == 303, answer_.text


def part(html: str, pattern: str) -> str:
    """The first match of ``pattern`` in the page (its group 1 when it has one)."""
    found = re.search(pattern, html, re.S)
    assert found is not None, pattern
    return found.group(1) if found.groups() else found.group(0)


def right_answers(text: str = EXAMPLE_TEXT) -> dict[str, Question]:
    """Every question the version of ``text`` asks, by id, with its right answer as the
    quiz generator gives it (read, never retyped)."""
    return {q.id: q for q in questions(load_policy_text(text).policy)}


def shown_answer(question: Question) -> str:
    """The right answer as the page words it: a number with its unit, an option quoted."""
    if question.form == "number":
        return f"{question.answer} {question.unit}" if question.unit else question.answer
    return f"“{question.answer}”"


def wrong_to(question: Question) -> str:
    """An answer the policy says is wrong."""
    if question.form == "number":
        return str(float(question.answer) + 1)
    return next(option for option in question.options if option != question.answer)


@pytest.fixture
def team(database: Database, monkeypatch: pytest.MonkeyPatch) -> Team:
    """Version 1 in force, the team made, the clock at Tuesday 8 December 10:00."""
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    at(monkeypatch, "2026-12-08 10:00")
    return make_team(database)


def test_ava_is_asked_to_acknowledge_version_1_by_the_close_of_saturday_12_december(
    client: TestClient, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as(client, "ava")
    html = client.get("/training").text
    text = plain(html)
    assert "Version 1 of the policy" in text
    assert "Why you are asked the first version in force asks everyone" in text
    # Working days 1-5 from Monday 7: Tue 8 ... Sat 12, which closes at 17:00 (GMT = UTC).
    assert "Deadline Sat 12 Dec 2026 17:00 GMT Sat 12 Dec 2026 17:00 UTC" in text
    assert "State due" in text
    # The form carries the version in force and the hash of its text.
    assert 'name="number" value="1"' in html
    assert f'name="content_hash" value="{digest(EXAMPLE_TEXT)}"' in html
    assert "I have read version 1 and acknowledge it" in text
    assert 'href="/training" aria-current="page"' in html
    # A minute after Saturday's close she is overdue (signed in afresh: days have passed).
    at(monkeypatch, "2026-12-12 17:01")
    sign_in_as(client, "ava")
    assert "State overdue" in plain(client.get("/training").text)


def test_acknowledging_from_the_page_records_version_1_and_its_hash(
    client: TestClient, database: Database, team: Team
) -> None:
    sign_in_as(client, "ava")
    token = csrf_of(client.get("/training").text)
    form = {"number": "1", "content_hash": digest(EXAMPLE_TEXT), "csrf_token": token}
    sent = client.post("/training/acknowledge", data=form, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/training?done=acknowledged"
    text = plain(client.get(sent.headers["location"]).text)
    assert "Thank you: your acknowledgment is recorded." in text
    assert "Acknowledged Tue 08 Dec 2026 10:00 GMT" in text
    assert "I have read version 1" not in text  # no form once acknowledged
    assert rows(database, "SELECT user_id, version_number, content_hash FROM acknowledgments") == [
        (team.ava, 1, digest(EXAMPLE_TEXT))
    ]


def test_a_stale_page_hash_is_refused_with_the_services_message_and_nothing_recorded(
    client: TestClient, database: Database, team: Team
) -> None:
    sign_in_as(client, "ava")
    token = csrf_of(client.get("/training").text)
    sent = client.post("/training/acknowledge", data={"number": "1", "content_hash":
                       digest("an older text"), "csrf_token": token})  # fmt: skip
    assert sent.status_code == 409
    assert "the text you read is not version 1 as published (its hash differs); reload the " \
        "page and read it again" in plain(sent.text)  # fmt: skip
    assert rows(database, "SELECT count(*) FROM acknowledgments") == [(0,)]
    # Without the form's CSRF token nothing is done at all.
    refused = client.post("/training/acknowledge", data={"number": "1",
                          "content_hash": digest(EXAMPLE_TEXT)})  # fmt: skip
    assert refused.status_code == 403
    assert rows(database, "SELECT count(*) FROM acknowledgments") == [(0,)]


def take_quiz(client: TestClient, wrong: int) -> tuple[str, list[str]]:
    """Start the quiz from /training and answer every question, the ``wrong``-th (from 1)
    wrongly and the others rightly; the last page's HTML and the pages shown after the
    wrong answer."""
    token = csrf_of(client.get("/training").text)
    started = client.post("/training/quiz", data={"csrf_token": token}, follow_redirects=False)
    assert started.status_code == 303
    url = started.headers["location"]
    known, shown, position = right_answers(), [], 0
    html = client.get(url).text
    while 'name="question"' in html:
        position += 1
        assert f"Question {position} of 10" in plain(html)
        question = known[part(html, r'name="question" value="([^"]+)"')]
        given = wrong_to(question) if position == wrong else question.answer
        sent = client.post(url, data={"question": question.id, "answer": given,
                                      "csrf_token": csrf_of(html)})  # fmt: skip
        assert sent.status_code == 200
        if position == wrong:
            shown.append(sent.text)
            html = client.get(url).text if 'name="question"' not in sent.text else sent.text
        else:
            html = sent.text
    return html, shown


def test_a_wrong_answer_shows_the_right_one_and_the_clause_then_nine_of_ten_pass(
    client: TestClient, database: Database, team: Team
) -> None:
    sign_in_as(client, "ava")
    last, shown = take_quiz(client, wrong=3)
    (after_wrong,) = shown
    ((question_id,),) = rows(database, "SELECT question_id FROM quiz_answers WHERE NOT correct")
    question = right_answers()[question_id]
    clause = next(c for c in clauses(POLICY) if c.id == question.clause_id)
    text = plain(after_wrong)
    assert f"Not quite: the answer is {shown_answer(question)}." in text
    assert f"{question.prompt} You answered “{wrong_to(question)}”." in text
    # The clause's heading and text, before the next question.
    assert clause.heading in text and " ".join(clause.body.split()) in text
    assert f'href="/handbook#{question.clause_id}"' in after_wrong
    assert "Next question" in text and 'name="answer"' not in after_wrong
    # Nine of ten right: 90 %, at or above the pass mark of 80 %.
    final = plain(last)
    assert "You scored 90 % (9 of 10 right); the pass mark is 80 %." in final
    assert "Passed." in final and "Try again" in final


def test_a_major_change_to_chat_asks_ava_again_with_the_clause_while_ben_is_only_told(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    v2 = example(chat=CHAT_SLOWER)
    publish_chain(database, (EXAMPLE_TEXT, V1_AT), (v2, utc("2026-12-14 09:00")))
    at(monkeypatch, "2026-12-08 10:00")
    team = make_team(database)
    for person in (team.ava, team.ben):
        acknowledge(database, person, 1, digest(EXAMPLE_TEXT), utc("2026-12-08 10:00"))
    at(monkeypatch, "2026-12-14 10:00")
    sign_in_as(client, "ava")
    html = client.get("/training").text
    text = plain(html)
    assert "Version 2 of the policy" in text
    assert "Why you are asked a change concerns your work" in text
    # Live chat's first response went from 5 to 10 business minutes; it links to its rule.
    changes = part(html, r'<ul class="changes" id="changes">(.*?)</ul>')
    assert plain(changes) == (
        "first response for chat: 5 business minutes → 10 business minutes (weaker for "
        "customers) § service_levels.rules.sl-chat"
    )
    assert 'href="/handbook#service_levels.rules.sl-chat"' in changes
    # 5 working days from Monday 14: Tue 15 ... Sat 19, closing at 17:00.
    assert "Deadline Sat 19 Dec 2026 17:00 GMT" in text
    assert 'name="number" value="2"' in html and digest(v2) in html
    assert "10 questions on version 2, the changed clauses first; the pass mark is 80 %." in text
    # Ben answers e-mail: his acknowledgment of version 1 stands; he is told what changed.
    sign_in_as(client, "ben")
    ben = plain(client.get("/training").text)
    assert "Version 1 of the policy" in ben and "State due" not in ben
    assert ("What changed in version 2 Version 2 changed nothing you must acknowledge again: "
            "your acknowledgment of version 1 stands.") in ben  # fmt: skip
    assert "first response for chat: 5 business minutes → 10 business minutes" in ben
    # His quiz is of the version in force, which covers version 1.
    assert ("The quiz is on the version in force (passing it covers version 1): 10 questions "
            "on version 2; the pass mark is 80 %.") in ben  # fmt: skip


def test_a_typo_fixed_in_version_3_keeps_avas_acknowledgment_of_version_2(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    v2, v3 = example(chat=CHAT_SLOWER, typo=TYPO_IN), example(chat=CHAT_SLOWER)
    publish_chain(database, (EXAMPLE_TEXT, V1_AT), (v2, utc("2026-12-14 09:00")),
                  (v3, utc("2026-12-16 09:00")))  # fmt: skip
    at(monkeypatch, "2026-12-15 10:00")
    make_team(database)
    sign_in_as(client, "ava")
    page = client.get("/training").text
    client.post("/training/acknowledge", data={"number": "2", "content_hash": digest(v2),
                                               "csrf_token": csrf_of(page)})  # fmt: skip
    at(monkeypatch, "2026-12-16 10:00")
    sign_in_as(client, "ava")
    text = plain(client.get("/training").text)
    # Version 3 only spelt "customer" right again: still version 2, still acknowledged.
    assert "Version 2 of the policy" in text and "Version 3 of the policy" not in text
    assert "Acknowledged Tue 15 Dec 2026 10:00 GMT" in text
    assert "your acknowledgment of version 2 stands" in text
    assert ("text of courtesy standard courtesy-name: Greet the custmer by name and give your "
            "own. → Greet the customer by name and give your own.") in text  # fmt: skip


def test_a_new_joiner_reads_her_sections_from_the_checklist_by_saturday_19_december(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    at(monkeypatch, "2026-12-08 10:00")
    make_team(database, started_on=dt.date(2026, 12, 8))
    sign_in_as(client, "ava")
    html = client.get("/training").text
    text = plain(html)
    assert "Why you are asked you are new: the version in force when you started" in text
    # 10 working days from Tuesday 8: Wed 9 ... Sat 12 (4), Mon 14 ... Sat 19 (10), 17:00.
    assert "Deadline Sat 19 Dec 2026 17:00 GMT" in text
    # A chat agent reads seven sections (the handbook's, in its order), then acknowledges
    # and passes the quiz: 9 items.
    assert "0 of 9 done." in text
    assert 'href="/handbook#service_levels">Read “Service levels” in the handbook</a>' in html
    assert html.count(">Mark as read</button>") == 7
    sent = client.post("/training/read", data={"section": "service_levels",
                                               "csrf_token": csrf_of(html)})  # fmt: skip
    text = plain(sent.text)
    assert "Marked as read." in text and "1 of 9 done." in text
    assert "Done Read “Service levels” in the handbook Tue 08 Dec 2026 10:00 GMT" in text
    # A section that is not hers is refused naming the ones that are.
    refused = client.post("/training/read", data={"section": "kpis", "csrf_token": csrf_of(html)})
    assert refused.status_code == 422
    assert "section 'kpis' is not on your checklist; read one of calendars," in plain(refused.text)


def test_a_question_got_wrong_comes_back_a_day_later_and_shows_its_clause_when_wrong_again(
    client: TestClient, database: Database, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt = start_quiz(database, team.ava, utc("2026-12-08 10:00"))
    first = right_answers()[attempt.questions[0].id]
    answer(database, team.ava, attempt.id, first.id, wrong_to(first), utc("2026-12-08 10:00"))
    sign_in_as(client, "ava")
    assert "None due now." in plain(client.get("/training").text)
    # The first step is one day: due again Wednesday 9 December 10:00.
    at(monkeypatch, "2026-12-09 10:00")
    sign_in_as(client, "ava")
    html = client.get("/training").text
    assert "1 is due now." in plain(html)
    assert f'name="question" value="{first.id}"' in html
    sent = client.post("/training/refresher", data={"question": first.id,
                       "answer": wrong_to(first), "csrf_token": csrf_of(html)})  # fmt: skip
    text = plain(sent.text)
    assert f"Not quite: the answer is {shown_answer(first)}." in text
    clause = next(c for c in clauses(POLICY) if c.id == first.clause_id)
    assert clause.heading in text
    assert "None due now." in text  # back to the first step: tomorrow again
    at(monkeypatch, "2026-12-10 10:00")
    sign_in_as(client, "ava")
    html = client.get("/training").text
    right = client.post("/training/refresher", data={"question": first.id,
                        "answer": first.answer, "csrf_token": csrf_of(html)})  # fmt: skip
    assert "Right." in plain(right.text) and "None due now." in plain(right.text)


def test_quiz_addresses_and_answers_that_do_not_read_are_refused_with_a_message(
    client: TestClient, database: Database, team: Team
) -> None:
    attempt = start_quiz(database, team.ava, utc("2026-12-08 10:00"))
    sign_in_as(client, "ava")
    assert client.get("/training/quiz/abc").status_code == 404
    page = client.get(f"/training/quiz/{attempt.id}")
    empty = client.post(
        f"/training/quiz/{attempt.id}",
        data={
            "question": attempt.questions[0].id,
            "answer": "  ",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert empty.status_code == 422
    text = plain(empty.text)
    assert "answer: nothing given; choose an option or type a number" in text
    assert "Question 1 of 10" in text  # the same question again
    sign_in_as(client, "ben")
    other = client.get(f"/training/quiz/{attempt.id}")
    assert other.status_code == 404 and f"no quiz {attempt.id} of yours" in plain(other.text)


@pytest.fixture
def results_story(database: Database, team: Team) -> str:
    """On Tuesday 8 December Ava acknowledges and passes with one answer wrong, Ben only
    acknowledges, Mo does nothing; the clause of Ava's wrong answer."""
    for person in (team.ava, team.ben):
        acknowledge(database, person, 1, digest(EXAMPLE_TEXT), utc("2026-12-08 10:00"))
    attempt = start_quiz(database, team.ava, utc("2026-12-08 10:00"))
    known = right_answers()
    for place, asked in enumerate(attempt.questions):
        question = known[asked.id]
        given = wrong_to(question) if place == 0 else question.answer
        answer(database, team.ava, attempt.id, asked.id, given, utc("2026-12-08 10:00"))
    return known[attempt.questions[0].id].clause_id


def people_of(html: str) -> list[str]:
    table = re.search(r'<table class="training-people".*?</table>', html, re.S)
    return re.findall(r'<th scope="row">([^<]+)<span', table.group(0)) if table else []


def test_mo_sees_who_is_behind_the_clause_ava_got_wrong_and_each_teams_completion(
    client: TestClient, team: Team, results_story: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2026-12-14 10:00")  # after Saturday 12 December's 17:00 deadline
    sign_in_as(client, "mo")
    html = client.get("/training/team").text
    text = plain(html)
    assert people_of(html) == ["Ava", "Ben", "Mo"]  # by name
    ava = plain(part(html, rf'<tr id="person-{team.ava}">.*?</tr>'))
    # Ava: version 1, acknowledged and passed on Tuesday, 1 attempt, 9 of 10 = 90 %.
    # Seven handbook sections to read for an agent (the checklist's), none marked read.
    assert ava == (
        "Ava ava@larkfield.example done UK care agent 1 first version "
        "Sat 12 Dec 2026 17:00 GMT Tue 08 Dec 2026 10:00 GMT Tue 08 Dec 2026 10:00 GMT "
        "90 % 1 quiz finished 0 of 7"
    )
    ben = plain(part(html, rf'<tr id="person-{team.ben}">.*?</tr>'))
    assert ben.startswith("Ben ben@larkfield.example overdue")
    assert ben.endswith("— 0 quizzes finished 0 of 7")
    # The clause Ava got wrong heads the list: 1 of the 1 person who answered it, 100 %.
    first = re.search(r'<tr id="clause-([^"]+)">(.*?)</tr>', html, re.S)
    assert first is not None and first.group(1) == results_story
    assert "100 % 1 of 1" in plain(first.group(2))
    assert f'href="/handbook#{results_story}"' in first.group(2)
    # Completion: UK care 2 people, 1 done, 1 overdue = 50 %; Managers: Mo, overdue, 0 %.
    teams = plain(part(html, r'<table class="training-teams".*?</table>'))
    assert "Managers 1 0 1 0 %" in teams and "UK care 2 1 1 50 %" in teams
    assert "3 people (CSV of exactly these)" in text


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("team=UK+care", ["Ava", "Ben"]),
        ("state=overdue", ["Ben", "Mo"]),
        ("role=agent&state=overdue", ["Ben"]),
        ("team=Managers&state=done", []),
    ],
)
def test_the_count_of_filtered_people_links_to_a_csv_of_exactly_them(
    client: TestClient, team: Team, results_story: str, monkeypatch: pytest.MonkeyPatch,
    query: str, names: list[str],
) -> None:  # fmt: skip
    at(monkeypatch, "2026-12-14 10:00")
    sign_in_as(client, "mo")
    html = client.get(f"/training/team?{query}").text
    assert people_of(html) == names
    link = re.search(r'<p class="count" id="people-count"><a href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert link is not None
    assert link.group(1) == f"/training/team.csv?{query}".replace("&", "&amp;")
    assert link.group(2) == f"{len(names)} {'person' if len(names) == 1 else 'people'}"
    got = client.get(unescape(link.group(1)))
    assert got.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(got.text)))
    assert [row["name"] for row in lines] == names


def test_a_bad_state_filter_shows_the_form_with_the_services_message(
    client: TestClient, team: Team
) -> None:
    sign_in_as(client, "mo")
    page = client.get("/training/team?state=lost")
    assert page.status_code == 422
    assert "state 'lost' is not one of done, due, overdue, none" in plain(page.text)
    assert client.get("/training/team.csv?state=lost").status_code == 422


def test_mo_writes_bens_profile_and_a_role_the_policy_lacks_is_refused_naming_the_roles(
    client: TestClient, database: Database, team: Team
) -> None:
    sign_in_as(client, "mo")
    html = client.get("/training/team?team=UK+care").text
    form = {"user_id": str(team.ben), "policy_role": "team-lead", "channels": ["email", "phone"],
            "team": "UK care", "manager_id": str(team.mo), "started_on": "2026-12-14",
            "back": "team=UK+care", "csrf_token": csrf_of(html)}  # fmt: skip
    saved = client.post("/training/team/profile", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/training/team?team=UK+care&saved={team.ben}"
    assert "Saved Ben’s training profile." in plain(client.get(saved.headers["location"]).text)
    stored = {s.user.id: s.profile for s in standings(database, utc("2026-12-08 10:00"))}
    ben = stored[team.ben]
    assert ben is not None
    assert (ben.policy_role, ben.channels, ben.team, ben.manager_id, ben.started_on) == (
        "team-lead",
        ["email", "phone"],
        "UK care",
        team.mo,
        dt.date(2026, 12, 14),
    )
    refused = client.post("/training/team/profile", data={**form, "policy_role": "wizard"})
    assert refused.status_code == 422
    assert ("role 'wizard' is not a staff role of the policy; use one of agent, team-lead, "
            "service-manager") in plain(refused.text)  # fmt: skip
    assert f'<details class="profile" open id="profile-{team.ben}">' in refused.text
    bad_day = client.post("/training/team/profile", data={**form, "started_on": "14/12/2026"})
    assert bad_day.status_code == 422
    assert "started_on: '14/12/2026' is not a date" in plain(bad_day.text)


def test_an_agent_may_not_see_the_teams_page(client: TestClient, team: Team) -> None:
    sign_in_as(client, "ava")
    page = client.get("/training/team")
    assert page.status_code == 403
    assert "this page is for admin or manager accounts" in plain(page.text)
    assert client.get("/training/team.csv").status_code == 403


def test_before_any_version_is_in_force_the_pages_say_there_is_nothing_to_do(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2026-12-08 10:00")
    make_team(database)
    sign_in_as(client, "ava")
    text = plain(client.get("/training").text)
    assert "No version of the policy is in force yet, so there is nothing to acknowledge" in text
    assert "Take the quiz" not in text
    sign_in_as(client, "mo")
    page = client.get("/training/team")
    assert page.status_code == 200
    # Three people, each with nothing asked; no answers, so no clause figures.
    assert "3 people (CSV of exactly these)" in plain(page.text)
    assert "No one has answered a quiz question yet." in plain(page.text)
    assert page.text.count('<td class="state state-none">nothing asked</td>') == 3
