"""The public page's result for a promise and the dashboard's figure for that promise
over the same period are the same number, and each page says what it counts.

The public page counts per promise: the tickets a service-level rule governed, on the
business's clock. The dashboard's compliance charts count per channel (priority, team)
across promises. Chat in the example policy is governed by the "Live chat" rule, but
urgent chats and chats from US customers fall under earlier rules, so the two used to
disagree with nothing to say why (46.9 % against 55.1 % in the issue).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from charter.publish.public_page import PublicPage
from charter.services.public_charter import public_charter
from charter.store import Database
from charter.store.models import SlaState, Ticket
from support.pages import sign_in
from support.seed import import_synthetic, publish_example

SHOWN_AT = dt.datetime(2026, 11, 5, 12, tzinfo=dt.UTC)  # "last month" is October 2026
LONDON = zoneinfo.ZoneInfo("Europe/London")  # the example's business clock
ROW = re.compile(
    r'<th scope="row"><a href="/handbook#service_levels\.rules\.([\w-]+)">[^<]*</a></th>\s*'
    r"<td>([^<]+)</td><td>([^<]+)</td>\s*"
    r'<td class="num">([0-9,]+)</td><td class="num">([0-9,]+)</td>\s*'
    r'<td class="num">([^<]+)</td>'
)
COUNTS = re.compile(r" ([0-9.]+ %) of .* \(([0-9]+) of ([0-9]+)\)\.$")


@pytest.fixture
def seeded(
    client: TestClient, database: Database
) -> tuple[PublicPage, dict[tuple[str, ...], tuple[int, int, str]]]:
    publish_example(database)
    import_synthetic(database, 1200, seed=5)
    sign_in(client, database, "manager")
    page = public_charter(database, now=SHOWN_AT)
    assert page is not None
    board = client.get("/dashboard", params={"period": "2026-10"})
    assert board.status_code == 200, board.text
    rows = {
        (rule, metric, channel): (int(met.replace(",", "")), int(out.replace(",", "")), share)
        for rule, metric, channel, met, out, share in ROW.findall(html.unescape(board.text))
    }
    return page, rows


def _stored(database: Database, channel: str, rule: str) -> tuple[int, int, int, int]:
    """Counted here from the rows: chat tickets' first responses met and breached, under
    the rule only and created in October on London's clock; and under any rule, created
    on October's UTC days (what the per-channel chart counts)."""
    states = SlaState.__table__
    query = (
        select(Ticket.created_at, states.c.rule_id, states.c.first_response_status)
        .join(states, states.c.ticket_id == Ticket.id)
        .where(Ticket.channel == channel)
    )
    with database.reading() as session:
        found = [tuple(row) for row in session.execute(query)]
    start = dt.datetime(2026, 10, 1, tzinfo=LONDON)  # 30 September 23:00 UTC (BST)
    stop = dt.datetime(2026, 11, 1, tzinfo=LONDON)  # 1 November 00:00 UTC (GMT)
    ruled = [s for at, r, s in found if r == rule and start <= at < stop]
    october = [s for at, _, s in found if at.astimezone(dt.UTC).month == 10]
    return (ruled.count("met"), ruled.count("breached"),
            october.count("met"), october.count("breached"))  # fmt: skip


def test_chat_in_october_reads_the_same_on_the_public_page_and_the_dashboard(
    database: Database,
    seeded: tuple[PublicPage, dict[tuple[str, ...], tuple[int, int, str]]],
) -> None:
    page, rows = seeded
    met, breached, all_met, all_breached = _stored(database, "chat", "sl-chat")
    # The shape of the issue: the channel across promises differs from the promise.
    assert round(100 * met / (met + breached), 1) != round(
        100 * all_met / (all_met + all_breached), 1
    )
    chat = next(a for a in page.answers if a.channel == "chat")
    assert chat.result is not None and chat.rule_anchor == "service_levels.rules.sl-chat"
    found = COUNTS.search(chat.result)
    assert found, chat.result
    share, kept, measured = found.groups()
    assert (int(kept), int(measured)) == (met, met + breached)
    assert rows[("sl-chat", "first response", "every channel")] == (met, breached, share)


def test_every_result_on_the_public_page_is_a_row_of_the_dashboards_promise_table(
    seeded: tuple[PublicPage, dict[tuple[str, ...], tuple[int, int, str]]],
) -> None:
    page, rows = seeded
    checked = 0
    for answer in page.answers:  # per channel: the first response of its usual promise
        if answer.result is None:
            continue
        rule = (answer.rule_anchor or "").rsplit(".", 1)[-1]
        share, met, measured = COUNTS.search(answer.result).groups()  # type: ignore[union-attr]
        row = (
            rows.get((rule, "first response", answer.channel))
            or rows[(rule, "first response", "every channel")]
        )
        assert row == (int(met), int(measured) - int(met), share), answer.channel
        checked += 1
    for group in page.promises:  # per promise, every channel
        rule = group.anchor.rsplit(".", 1)[-1]
        for line in group.lines:
            if line.result is None:
                continue
            share, met, measured = COUNTS.search(line.result).groups()  # type: ignore[union-attr]
            metric = line.metric.replace("_", " ")
            row = rows[(rule, metric, "every channel")]
            assert row == (int(met), int(measured) - int(met), share), (rule, metric)
            checked += 1
    assert checked >= 10


def test_the_dashboard_says_which_figures_are_per_promise_and_which_across_promises(
    client: TestClient,
    seeded: tuple[PublicPage, dict[tuple[str, ...], tuple[int, int, str]]],
) -> None:
    text = html.unescape(client.get("/dashboard", params={"period": "2026-10"}).text)
    assert "Promises kept, per promise, October 2026" in text
    assert "Per promise, as the public charter page counts it" in text
    assert "created from 1 October 2026 to 31 October 2026 on the business's clock" in text
    assert "(Europe/London)" in text
    assert "SLA compliance by channel, priority and team, across promises" in text
    assert "whatever promise governed it" in text
