"""The review pack's story: Acme's policy (version 1, written and published on Monday
1 June 2026), seven tickets, two survey answers, two quiz answers, and version 2, a
draft written on Monday 7 December 2026 (today, 12:00 UTC) with comments on it.

London is on UTC in November and December and one hour ahead in June to August; the
``desk`` calendar opens Monday to Friday 09:00-17:00 London.

Promises: ``chat`` (chat tickets) answers within 1 business hour for 50 % of tickets;
``main`` (everything else) within 2 business hours for 80 %. Version 2 gives ``main``
3 hours.

| ticket | created (London) | answered after | verdict (v1) | imported CSAT, NPS | survey |
|--------|------------------|----------------|--------------|--------------------|--------|
| e4     | Mon 3 Aug 09:00  | 4 h            | breached     | 3, -               |        |
| e5     | Tue 4 Aug 09:00  | 1 h            | met          | 5, -               |        |
| e1     | Mon 2 Nov 09:00  | 1 h            | met          | 5, 10              |        |
| e2     | Tue 3 Nov 09:00  | 3 h            | breached     | 2, 3               |        |
| e3     | Wed 4 Nov 09:00  | 1 h 30 min     | met          | 4, 7               |        |
| c1     | Thu 5 Nov 09:00  | 30 min (chat)  | met          | 1, -               | CSAT 5 |
| c2     | Fri 6 Nov 09:00  | 2 h (chat)     | breached     | -, -               | NPS 9  |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from charter import clock
from charter.services.accounts import Principal
from charter.services.dashboard import refresh_dashboard
from charter.services.lifecycle import (
    add_comment,
    create_policy,
    edit_draft,
    get_version,
    new_draft,
)
from charter.services.lifecycle import transition as step
from charter.services.tickets import import_tickets
from charter.services.training import acknowledge
from charter.store import Database
from charter.store.models import QuizAnswer, SurveyInvitation, Ticket
from charter.tickets.importing import ImportResult
from charter.tickets.schema import empty_rejects
from support.seed import principal_of
from support.sla import at, data, make_ticket

SLUG = "acme"
WRITTEN = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
TODAY = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
DESK = ", ".join(f"{d}: [09:00-17:00]" for d in ("mon", "tue", "wed", "thu", "fri"))


def policy_text(main_within: str = "2h") -> str:
    return f"""
organisation: {{name: Acme, mission: Keep promises}}
calendars: [{{id: desk, timezone: Europe/London, weekly: {{{DESK}}}}}]
staff:
  roles: [{{id: service-manager, name: Service manager}}]
service_levels:
  rules:
    - id: chat
      name: Live chat
      when: {{channel: [chat]}}
      targets:
        first_response: {{within: 1h, clock: desk, attainment: 50%}}
    - id: main
      name: Everything else
      targets:
        first_response: {{within: {main_within}, clock: desk, attainment: 80%}}
kpis:
  targets:
    - {{id: kpi-sla, name: First responses within promise, metric: sla_compliance,
        sla_metric: first_response, target: 80%, direction: at_least}}
    - {{id: kpi-csat, name: Customer satisfaction, metric: csat, target: 90%,
        direction: at_least}}
competitors:
  benchmarks:
    - {{id: rival-email, competitor: Rival, metric: first_response, channel: email,
        value: 8h, source: Rival's help pages, date: 2026-10-01}}
    - {{id: rival-chat, competitor: Rival, metric: first_response, channel: chat,
        value: 30m, source: Mystery shopping, date: 2026-10-02}}
review: {{cadence_months: 3, next_review: 2027-01-15, owner: service-manager, warn_days: 30}}
"""


# ticket: (channel, London creation, London reply, imported csat, imported nps)
TICKETS = {
    "e4": ("email", "2026-08-03 09:00", "2026-08-03 13:00", 3, None),
    "e5": ("email", "2026-08-04 09:00", "2026-08-04 10:00", 5, None),
    "e1": ("email", "2026-11-02 09:00", "2026-11-02 10:00", 5, 10),
    "e2": ("email", "2026-11-03 09:00", "2026-11-03 12:00", 2, 3),
    "e3": ("email", "2026-11-04 09:00", "2026-11-04 10:30", 4, 7),
    "c1": ("chat", "2026-11-05 09:00", "2026-11-05 09:30", 1, None),
    "c2": ("chat", "2026-11-06 09:00", "2026-11-06 11:00", None, None),
}
SURVEYS = {"c1": ("csat", 5), "c2": ("nps", 9)}
SURVEY_COMMENTS = {
    "c1": "The live chat answered within minutes, quick and helpful",
    "c2": "Waited two hours for the live chat to answer, far too slow",
}


@dataclass(frozen=True)
class Story:
    author: Principal
    reviewer: Principal


def on(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def build(database: Database, monkeypatch: pytest.MonkeyPatch) -> Story:
    """The whole story; the clock is left at ``TODAY``."""
    on(monkeypatch, WRITTEN)
    author, reviewer = principal_of(database, "manager"), principal_of(database, "manager")
    create_policy(database, slug=SLUG, name="Acme", text=policy_text(), actor=author,
                  change_summary="First policy")  # fmt: skip
    add_comment(database, SLUG, 1, reviewer, body="Written before the period: left out")
    for action, who in (("submit", author), ("approve", reviewer), ("publish", author)):
        step(database, SLUG, 1, action, who)
    on(monkeypatch, TODAY)
    _tickets(database)
    _answers(database)
    refresh_dashboard(database, TODAY)  # the KPIs count the survey answers too
    new_draft(database, SLUG, author, change_summary="Three hours for e-mail")
    edit_draft(database, SLUG, 2, author, text=policy_text("3h"))
    add_comment(database, SLUG, 2, reviewer, body="Is three hours still a promise?")
    add_comment(database, SLUG, 2, author, body="Rival gives 8 hours",
                clause="service_levels.rules.main")  # fmt: skip
    add_comment(database, SLUG, 2, reviewer, body="Keep 80 %",
                clause="service_levels.rules.main")  # fmt: skip
    version = _version_hash(database)
    acknowledge(database, author.id, 1, version)
    return Story(author, reviewer)


def _tickets(database: Database) -> None:
    rows = [
        make_ticket(id=ticket, channel=channel, created_at=at(created),
                    first_response_at=at(reply), csat=csat, nps=nps, status="solved",
                    solved_at=at(reply))
        for ticket, (channel, created, reply, csat, nps) in TICKETS.items()
    ]  # fmt: skip
    built = data(rows)
    result = ImportResult(built.tickets, built.events, empty_rejects())
    import_tickets(database, result, source="story", batch_size=100)


def stored_id(database: Database, ticket: str) -> int:
    with database.reading() as session:
        found = session.execute(select(Ticket.id).where(Ticket.source_id == ticket)).scalar_one()
        return int(found)


def _answers(database: Database) -> None:
    """The two survey answers and two quiz answers on the clause of rule ``main``."""
    answered = dt.datetime(2026, 11, 10, 10, 0, tzinfo=dt.UTC)
    ids = {ticket: stored_id(database, ticket) for ticket in SURVEYS}
    agents = ((principal_of(database, "agent"), True), (principal_of(database, "agent"), False))
    with database.transaction() as session:
        for ticket, (kind, score) in SURVEYS.items():
            session.add(SurveyInvitation(
                ticket_id=ids[ticket], version_id=1, kind=kind, email=f"{ticket}@example.com",
                solved_at=answered, due_at=answered, state="answered", score=score,
                comment=SURVEY_COMMENTS[ticket], answered_at=answered,
            ))  # fmt: skip
        for user, correct in agents:
            session.add(QuizAnswer(
                user_id=user.id, attempt_id=None, version_id=1, question_id=f"q-{user.id}",
                clause_id="service_levels.rules.main", prompt="Within how long?",
                response="2 hours" if correct else "1 day", correct=correct, answered_at=answered,
            ))  # fmt: skip


def _version_hash(database: Database) -> str:
    return get_version(database, SLUG, 1).content_hash
