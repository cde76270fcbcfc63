"""The dashboard's CSAT when the promise was kept against when it was broken, with
survey answers beside the scores imported from the helpdesk; and the CSAT and NPS KPIs
counting survey answers where a ticket's imported score would count.

Nine tickets, hand-built (first response and resolution statuses, imported CSAT, survey
answer), in November 2026 unless said:

| ticket | clocks            | imported | survey           | group   |
| ------ | ----------------- | -------- | ---------------- | ------- |
| T1     | met, met          | 5        | —                | kept    |
| T2     | met, met          | 2        | csat 4, answered | kept    |
| T3     | met, none         | —        | csat, sent only  | kept    |
| T4     | met, breached     | 4        | —                | broken  |
| T5     | breached, met     | —        | csat 1, answered | broken  |
| T6     | breached, none    | 1        | —                | broken  |
| T7     | met, pending      | 5        | —                | neither |
| T8     | met, met (31 Oct) | 5        | —                | outside |
| T9     | met, met          | 5        | nps 9, answered  | kept    |

Kept: T1 T2 T3 T9, 4 tickets; scored T1 5, T2 4 (the answer overrides the imported 2),
T9 5 (an NPS answer does not replace a CSAT): 3 scored, 3 satisfied, 1 from a survey,
CSAT 3/3 = 100 %. Broken: T4 T5 T6, 3 tickets; scored T4 4, T5 1 (from its answer), T6
1: 3 scored, 1 satisfied, 1 from a survey, CSAT 1/3 = 33.3 %. Gap 100 - 33.3 = +66.7
points. Without the answers: kept 2 of 3 (66.7 %), broken 1 of 2 (50 %).
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import insert

from charter.services.dashboard import dashboard, refresh_dashboard
from charter.store import Database
from charter.store.models import SlaState, SurveyInvitation, Ticket
from support.pages import sign_in
from support.ticket_store import publish

NOV = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)
CASES = [
    # source id, first response, resolution, imported csat, survey (kind, score, state)
    ("T1", "met", "met", 5, None),
    ("T2", "met", "met", 2, ("csat", 4, "answered")),
    ("T3", "met", None, None, ("csat", None, "sent")),
    ("T4", "met", "breached", 4, None),
    ("T5", "breached", "met", None, ("csat", 1, "answered")),
    ("T6", "breached", None, 1, None),
    ("T7", "met", "pending", 5, None),
    ("T8", "met", "met", 5, None),
    ("T9", "met", "met", 5, ("nps", 9, "answered")),
]


def _store(database: Database) -> None:
    version_id = publish(database)
    with database.transaction() as session:
        for n, (source_id, first, resolution, csat, survey) in enumerate(CASES):
            created = dt.datetime(2026, 10, 31, 9, tzinfo=dt.UTC) if source_id == "T8" else NOV
            created += n * dt.timedelta(minutes=1)
            ticket = Ticket(source="zendesk", source_id=source_id, created_at=created,
                            status="solved", solved_at=created + dt.timedelta(hours=3), csat=csat,
                            channel="email", priority="normal", content_hash="-",
                            imported_at=NOV)  # fmt: skip
            session.add(ticket)
            session.flush()
            session.execute(
                insert(SlaState.__table__).values(
                    ticket_id=ticket.id, version_id=version_id, computed_at=NOV,
                    first_response_status=first, resolution_status=resolution,
                )
            )  # fmt: skip
            if survey is not None:
                kind, score, state = survey
                session.add(SurveyInvitation(
                    ticket_id=ticket.id, version_id=version_id, kind=kind, email="c@x.test",
                    solved_at=NOV, due_at=NOV, state=state, score=score, reasons=[],
                    answered_at=NOV + dt.timedelta(days=1) if state == "answered" else None,
                    created_at=NOV))  # fmt: skip


def test_csat_when_kept_against_broken_counts_survey_answers_over_imported_scores(
    database: Database,
) -> None:
    _store(database)
    refresh_dashboard(database, NOV + dt.timedelta(days=20))
    board = dashboard(database, {"period": "2026-11"})
    assert board.csat is not None
    kept, broken = board.csat.kept, board.csat.broken
    assert (kept.tickets, kept.answers, kept.from_surveys, kept.shown) == (4, 3, 1, "100 %")
    assert (broken.tickets, broken.answers, broken.from_surveys, broken.shown) == (
        3, 3, 1, "33.3 %")  # fmt: skip
    assert board.csat.gap == "+66.7 points"
    # each count links to exactly its tickets in the ticket list
    assert kept.link == {"worst": "met", "period": "2026-11"}
    assert broken.link == {"worst": "breached", "period": "2026-11"}


def test_the_csat_and_nps_kpis_count_survey_answers_where_imported_scores_would(
    database: Database,
) -> None:
    _store(database)
    refresh_dashboard(database, NOV + dt.timedelta(days=20))
    board = dashboard(database, {"period": "2026-11"})
    figures = {f["kpi"]: f for f in board.figures}
    # November's scored tickets: T1 5, T2 4 (answer), T4 4, T5 1 (answer), T6 1, T7 5,
    # T9 5: 7 scored, 5 of them 4-5. NPS: T9's answer 9 is the only NPS, a promoter.
    csat = figures["csat"]
    assert (csat["count"], round(csat["value"], 4)) == (7, round(5 / 7, 4))
    nps = figures["nps"]
    assert (nps["count"], nps["value"]) == (1, 100.0)


def test_the_dashboard_page_shows_kept_against_broken_with_links(
    client: TestClient, database: Database
) -> None:
    _store(database)
    refresh_dashboard(database, NOV + dt.timedelta(days=20))
    sign_in(client, database, "manager")
    html = client.get("/dashboard", params={"period": "2026-11"}).text
    section = html[html.index('id="csat-by-promise"') :]
    section = section[: section.index("</section>")]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", section)).split())
    assert "Promise kept 4 3 1 100 %" in text
    assert "Promise broken 3 3 1 33.3 %" in text
    assert "Kept minus broken: +66.7 points" in text
    assert re.findall(r'href="/tickets\?([^"]+)"', section) == [
        "worst=met&amp;period=2026-11", "worst=breached&amp;period=2026-11"]  # fmt: skip
