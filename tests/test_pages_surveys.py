"""The survey page a customer's link opens (GET and POST /s/{token}): no account, the
scale's scores as radio buttons, the reasons under their hint, one answer per link, and
polite pages for a used, expired or forged link. On the example policy (CSAT, reasons
the defaults), published as version 1."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from charter import clock
from charter.feedback.surveys import link_token
from charter.services import surveys as service
from charter.store import Database
from charter.store.models import PolicyVersion, SurveyInvitation
from support.seed import publish_example
from support.web import SECRET

DAY = dt.timedelta(days=1)


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _invite(database: Database, *, ticket_id: int = 41, state: str = "sent",
            kind: str = "csat") -> str:  # fmt: skip
    """A sent invitation of the published version; its link's token (valid 14 days)."""
    now = clock.now()
    with database.transaction() as session:
        version_id = session.scalars(select(PolicyVersion.id)).one()
        row = SurveyInvitation(ticket_id=ticket_id, version_id=version_id, kind=kind,
                               email="ana@example.test", solved_at=now - DAY,
                               due_at=now - DAY, expires_at=now + 14 * DAY, state=state,
                               created_at=now - DAY, sent_at=now - DAY)  # fmt: skip
        session.add(row)
        session.flush()
        return link_token(row.id, now + 14 * DAY, SECRET)


def _answer(database: Database) -> tuple[str, int | None, str | None, list[str] | None]:
    with database.reading() as session:
        row = session.scalars(select(SurveyInvitation)).one()
        return row.state, row.score, row.comment, row.reasons


@pytest.fixture
def token(client: TestClient, database: Database) -> str:
    publish_example(database)
    return _invite(database)


def test_the_link_opens_the_question_with_five_scores_and_the_reasons_under_their_hint(
    client: TestClient, token: str
) -> None:
    response = client.get(f"/s/{token}")
    assert response.status_code == 200
    html = response.text
    # CSAT: the question, and one radio button per score 1..5; 1 and 2 are the bad ones
    assert "How satisfied are you with how we handled your request?" in html
    assert re.findall(r'type="radio" name="score" id="score-(\d)"', html) == list("12345")
    assert re.findall(r'id="score-(\d)" value="\d" required\s+class="bad"', html) == ["1", "2"]
    # Without JavaScript the reasons are in the page, under the hint
    text = plain(html)
    assert "If your score is low (1 to 2), why? Tick any that apply." in text
    assert re.findall(r'name="reasons" id="reason-\d" value="([^"]+)"', html) == [
        "It took too long", "My problem is not solved", "I was passed around",
        "The answer was unclear", "Staff were unhelpful",
    ]  # fmt: skip
    assert 'maxlength="1000"' in html and "<script" not in html
    assert response.headers["cache-control"] == "no-store"
    # the link is the key: no other site sees it as a referrer
    assert response.headers["referrer-policy"] in ("same-origin", "no-referrer")


def test_a_bad_score_is_kept_with_its_reasons_and_comment(
    client: TestClient, database: Database, token: str
) -> None:
    response = client.post(
        f"/s/{token}",
        data={"score": "2", "reasons": ["It took too long", "I was passed around"],
              "comment": "  Three agents, \x07four days.  "},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Thank you" in plain(response.text)
    # the bell character dropped, the blanks trimmed; reasons in the policy's order
    assert _answer(database) == (
        "answered",
        2,
        "Three agents, four days.",
        ["It took too long", "I was passed around"],
    )


def test_a_good_score_keeps_no_reasons(client: TestClient, database: Database, token: str) -> None:
    # 4 is not a bad CSAT: reasons ticked before choosing it are not what was meant
    client.post(f"/s/{token}", data={"score": "4", "reasons": ["It took too long"]})
    assert _answer(database) == ("answered", 4, None, [])


def test_a_second_use_of_the_link_is_refused_politely(
    client: TestClient, database: Database, token: str
) -> None:
    client.post(f"/s/{token}", data={"score": "5"})
    again = client.get(f"/s/{token}")
    assert again.status_code == 200
    assert "You already answered — thank you" in plain(again.text)
    assert 'name="score"' not in again.text
    resent = client.post(f"/s/{token}", data={"score": "1"})
    assert resent.status_code == 409
    assert "You already answered — thank you" in plain(resent.text)
    assert _answer(database)[:2] == ("answered", 5)  # the first answer stands


def test_an_expired_link_is_a_polite_410(client: TestClient, database: Database) -> None:
    publish_example(database)
    _invite(database)
    with database.reading() as session:
        invitation_id = session.scalars(select(SurveyInvitation.id)).one()
    token = link_token(invitation_id, clock.now() - dt.timedelta(seconds=1), SECRET)
    for response in (client.get(f"/s/{token}"), client.post(f"/s/{token}", data={"score": "3"})):
        assert response.status_code == 410
        assert "This survey link has expired" in plain(response.text)
    assert _answer(database)[0] == "sent"


@pytest.mark.parametrize(
    "change",
    [
        # the signature changed (not its last character, whose low bits are padding: two
        # different last characters can decode to the same bytes)
        lambda t: t[:-5] + ("A" if t[-5] != "A" else "B") + t[-4:],
        lambda t: "x" * 500,  # nonsense, and long
        lambda t: "",  # nothing after /s/
    ],
)
def test_a_forged_or_mangled_link_is_a_polite_404(
    client: TestClient, database: Database, token: str, change: object
) -> None:
    assert callable(change)
    target = f"/s/{change(token)}"
    response = client.get(target)
    if target == "/s/":
        assert response.status_code == 404
        return
    assert response.status_code == 404
    assert "We could not find this survey" in plain(response.text)
    assert client.post(target, data={"score": "3"}).status_code == 404
    assert _answer(database)[0] == "sent"


def test_a_link_to_a_withdrawn_invitation_is_not_ours(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    token = _invite(database, state="withdrawn")
    assert client.get(f"/s/{token}").status_code == 404


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({}, "Choose a score from 1 to 5"),
        ({"score": "6"}, "Score: 6 is not on the CSAT scale; give a whole number from 1 to 5"),
        ({"score": "two"}, "is not on the CSAT scale"),
        ({"score": "1", "reasons": ["It was raining"]},
         "Reason 'It was raining' is not one of those offered"),
        ({"score": "3", "comment": "x" * 1001},
         "Comment: 1,001 characters is too long; at most 1,000"),
    ],
)  # fmt: skip
def test_a_bad_answer_shows_the_form_again_saying_what_to_change(
    client: TestClient, database: Database, token: str, data: dict[str, object], says: str
) -> None:
    response = client.post(f"/s/{token}", data=data)
    assert response.status_code == 422
    assert says in plain(response.text)
    assert 'name="score"' in response.text  # the form, to try again
    assert _answer(database)[0] == "sent"


def test_an_nps_survey_offers_eleven_scores_and_asks_why_from_six_down(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    token = _invite(database, kind="nps")
    html = client.get(f"/s/{token}").text
    assert re.findall(r'name="score" id="score-(\d+)"', html) == [str(n) for n in range(11)]
    assert "If your score is low (0 to 6), why?" in plain(html)


def test_one_address_may_answer_ten_surveys_an_hour(client: TestClient, database: Database) -> None:
    publish_example(database)
    tokens = [_invite(database, ticket_id=100 + n) for n in range(11)]
    for token in tokens[:10]:
        assert client.post(f"/s/{token}", data={"score": "5"}).status_code == 200
    limited = client.post(f"/s/{tokens[10]}", data={"score": "5"})
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "3600"
    assert "answered 10 surveys in the last hour" in plain(limited.text)
    assert service.PER_HOUR == 10


def test_the_customer_is_asked_by_the_business_not_by_the_product(
    client: TestClient, token: str
) -> None:
    # The example policy's organisation is Larkfield Home: its customers have never heard
    # of Charter, so the page's header and footer name the business, on every state.
    for response in (client.get(f"/s/{token}"), client.get("/s/forged.token")):
        header = re.search(r'class="brand">([^<]*)<', response.text)
        assert header is not None and header.group(1) == "Larkfield Home"
        footer = plain(response.text.split('<footer class="site">')[1])
        assert footer == "Larkfield Home"
        assert "Charter" not in plain(response.text)
