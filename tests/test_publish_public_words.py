"""The public charter in plain words: each channel's verb, languages by name, times as
people say them, a footer without the content hash, and "our clock and yours" only when
the visitor's clock differs (the view model and its template, no store)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from charter.policy import Policy, load_policy_text
from charter.policy.service_level import Conditions, Target
from charter.policy.units import Duration
from charter.publish.public_page import Edition, PublicPage, public_page
from charter.publish.public_page import _words as words
from charter.publish.templating import environment
from support import EXAMPLE_TEXT

# Monday 7 December 2026, 10:00 in London (GMT): the UK desk is open 08:00-20:00.
MONDAY = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
HASH = "0123456789abcdef" * 4


@pytest.fixture(scope="module")
def example() -> Policy:
    return load_policy_text(EXAMPLE_TEXT).policy


def html_of(page: PublicPage) -> str:
    """The public page as the static site renders it (the web renders the same template)."""
    context = {"page": page, "lang": page.lang, "static_root": "static", "export": True,
               "export_links": [], "path": "/", "user": None, "csrf_token": ""}  # fmt: skip
    return environment().get_template("public/charter.html").render(context)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_story_phone_line_promises_to_answer_calls_not_messages(example: Policy) -> None:
    page = public_page(example, MONDAY)
    promised = {a.channel: a.promise for a in page.answers}
    # sl-phone: first response 2h on uk-support, no attainment: every call.
    assert promised["phone"] == "We answer every call within 2 working hours."
    # sl-default catches e-mail: 8h at 95 %; an e-mail is replied to, not answered.
    assert promised["email"] == "We reply to 95 % of e-mails within 8 working hours."
    # sl-chat: 5m at 90 % on uk-support: minutes of business time read "during opening hours".
    assert promised["chat"] == "We answer 90 % of live chats within 5 minutes during opening hours."
    phone = next(a for a in page.answers if a.channel == "phone")
    # 10:00 + 2 working hours on a desk open until 20:00 is 12:00 the same day.
    assert (
        phone.expect_by
        == "If you call us now, expect an answer by today at 12:00 (Europe/London time)."
    )
    assert "phone message" not in text_of(html_of(page))


@pytest.mark.parametrize(
    ("channels", "sentence"),
    [
        # A rule over two channels with different verbs responds to both.
        (["email", "phone"], "We respond to every e-mail or call within 4 working hours."),
        # Two channels that both reply keep their verb.
        (["email", "sms"], "We reply to every e-mail or text message within 4 working hours."),
        # A channel Charter does not know sends messages, which are replied to.
        (["fax"], "We reply to every fax message within 4 working hours."),
    ],
)  # fmt: skip
def test_story_each_channel_keeps_its_own_verb(channels: list[str], sentence: str) -> None:
    nouns = words.subject(Conditions(channel=channels))
    assert words.promise("first_response", Target(within=Duration(4 * 3600), clock="desk"),
                         nouns) == sentence  # fmt: skip


def test_story_languages_read_by_name_not_code(example: Policy) -> None:
    # The US line lists [en, es]; the UK line [en].
    page = public_page(example, MONDAY)
    languages = {c.anchor: c.languages for c in page.contacts}
    assert languages["contact_points.cp-phone-us"] == ["English", "Spanish"]
    assert languages["contact_points.cp-phone-uk"] == ["English"]
    assert "Languages: English, Spanish" in text_of(html_of(page))


def test_story_a_language_code_nobody_knows_is_shown_as_given() -> None:
    text = EXAMPLE_TEXT.replace("languages: [en, es]", "languages: [pt-BR, tlh, bfi]")
    page = public_page(load_policy_text(text).policy, MONDAY)
    us = next(c for c in page.contacts if c.anchor == "contact_points.cp-phone-us")
    assert us.languages == ["Portuguese (Brazil)", "tlh", "British Sign Language"]


@pytest.mark.parametrize(
    ("within", "clock", "said"),
    [
        (Duration(5 * 60), "desk", "5 minutes during opening hours"),
        (Duration(5 * 60), "24x7", "5 minutes"),
        (Duration(60), "24x7", "1 minute"),  # one: singular
        (Duration(3600), "desk", "1 working hour"),
        (Duration(2 * 3600), "desk", "2 working hours"),
        (Duration(2 * 3600), "24x7", "2 hours"),
        (Duration(90 * 60), "desk", "1 hour 30 minutes of working time"),
        (Duration(27 * 3600), "24x7", "27 hours"),  # not a whole number of days
        (Duration(86400), "24x7", "1 day"),
        (Duration(2 * 86400), "24x7", "2 days"),
        (Duration(36 * 3600), "desk", "36 working hours"),  # a working day is not 24 hours
        (Duration(working_days=1), "desk", "1 working day"),
        (Duration(working_days=10), "desk", "10 working days"),
        (Duration(8 * 7 * 86400, weeks=8), "desk", "8 weeks"),
    ],
)  # fmt: skip
def test_story_durations_read_as_people_say_them(within: Duration, clock: str, said: str) -> None:
    assert words.within(within, clock) == said


def test_story_the_customers_footer_has_no_content_hash_but_keeps_version_and_date(
    example: Policy,
) -> None:
    edition = Edition(3, dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), HASH)
    html = html_of(public_page(example, MONDAY, edition=edition))
    footer = text_of(html.split('<footer class="site">', 1)[1])
    assert "Larkfield Home customer charter, version 3, published 2026-11-02." in footer
    assert "hash" not in footer and HASH[:12] not in html


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        (None, False),  # no zone known: our clock only
        ("Europe/London", False),  # the visitor is on our clock: nothing to compare
        ("europe/london", False),  # the same zone in other letters
        ("Asia/Tokyo", True),  # nine hours ahead of London in December
        ("America/New_York", True),  # the US desk's zone, not the business's (London)
    ],
)
def test_story_our_clock_and_yours_only_when_the_visitors_zone_differs(
    example: Policy, zone: str | None, shown: bool
) -> None:
    page = public_page(example, MONDAY, visitor_tz=zone)
    assert page.on_your_clock is shown
    assert ("Times are on our clock and on yours" in text_of(html_of(page))) is shown
