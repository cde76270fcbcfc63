"""Links in the policy are only ever http(s): in the schema, and again wherever a page,
the static site or the PDF builds an ``href`` from data."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from markupsafe import Markup
from sqlalchemy import update

from charter.errors import PolicyError
from charter.policy import links as policy_links
from charter.policy import load_policy_text
from charter.publish.links import link, safe_href
from charter.services.publishing import export_pdf, export_site
from charter.store import Database
from charter.store.models import PolicyVersion
from support import EXAMPLE_TEXT, column_of, line_of
from support.pages import sign_in
from support.seed import publish_example

SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}
BAD_LINKS = [
    pytest.param("javascript:alert(1)", id="javascript"),
    pytest.param("JavaScript:alert(1)", id="mixed case"),
    pytest.param(" javascript:alert(1)", id="leading space"),
    pytest.param("\tjavascript:alert(1)", id="leading tab"),
    pytest.param("java\nscript:alert(1)", id="newline inside"),
    pytest.param("data:text/html,<script>alert(1)</script>", id="data"),
    pytest.param("vbscript:msgbox(1)", id="vbscript"),
    pytest.param("ftp://files.acme.example/", id="ftp"),
    pytest.param("https://acme.example/\x00", id="NUL"),
    pytest.param("\x01https://acme.example/", id="control first"),
    pytest.param("https://acme.example/\u202egnp.exe", id="bidi override"),
    pytest.param("//www.acme.example", id="no scheme, two slashes"),
    pytest.param("https://", id="no host"),
]
GOOD_LINKS = ["https://www.acme.example", "http://acme.example/help?x=1#top",
              "HTTPS://ACME.EXAMPLE/"]  # fmt: skip


def policy_with(organisation_extra: str = "", contact: str | None = None) -> str:
    text = "organisation:\n  name: Acme\n  mission: Delight customers\n" + organisation_extra
    if contact is not None:
        text += f"contact_points:\n  - id: c\n    channel: chat\n    address: {contact}\n"
    return text


def errors_of(text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, "p.yaml")
    return [d.render() for d in caught.value.diagnostics]


@pytest.mark.parametrize("url", BAD_LINKS)
def test_a_website_that_is_not_http_is_a_schema_error_at_its_place(url: str) -> None:
    text = policy_with(f"  website: {json.dumps(url)}\n")
    [error] = errors_of(text)
    where = f"p.yaml:{line_of(text, 'website')}:{column_of(text, json.dumps(url)[:4])}"
    assert error.startswith(f"{where}: error P201 organisation.website: "), error
    assert "https://" in error  # says how to fix it


@pytest.mark.parametrize("url", GOOD_LINKS)
def test_an_http_or_https_website_is_accepted_as_written(url: str) -> None:
    policy = load_policy_text(policy_with(f"  website: {json.dumps(url)}\n")).policy
    assert policy.organisation.website == url


@pytest.mark.parametrize(
    ("written", "read"),
    [("www.acme.example", "https://www.acme.example"),
     ("acme.example/help", "https://acme.example/help")],
)  # fmt: skip
def test_a_website_written_without_a_scheme_is_read_as_https(written: str, read: str) -> None:
    policy = load_policy_text(policy_with(f"  website: {written}\n")).policy
    assert policy.organisation.website == read


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x",
     "ftp://acme.example/", "tel:+44 20 7946 0321\u0000"],
)  # fmt: skip
def test_a_contact_address_may_be_a_web_address_only_over_http(address: str) -> None:
    text = policy_with(contact=json.dumps(address))
    [error] = errors_of(text)
    where = f"p.yaml:{line_of(text, 'address:')}:{column_of(text, json.dumps(address)[:4])}"
    assert error.startswith(f"{where}: error P201 contact_points[0].address: "), error


@pytest.mark.parametrize(
    "address", ["help@acme.example", "mailto:help@acme.example", '"+44 20 7946 0321"',
                "https://acme.example/chat", "www.acme.example/chat"],
)  # fmt: skip
def test_e_mail_phone_and_web_contact_addresses_still_load(address: str) -> None:
    policy = load_policy_text(policy_with(contact=address)).policy
    assert policy.contact_points[0].address == address.strip('"')


@pytest.mark.parametrize(
    ("target", "expected"),
    [("https://acme.example/a?b=1", "https://acme.example/a?b=1"),
     ("http://acme.example", "http://acme.example"), ("#returns", "#returns"),
     ("/tickets?page=2", "/tickets?page=2"), ("handbook.html", "handbook.html"),
     ("mailto:help@acme.example", "mailto:help@acme.example"),
     ("tel:+442079460321", "tel:+442079460321"),
     ("//evil.example/", None), ("/\\evil.example/", None), ("javascript:alert(1)", None),
     ("JaVaScRiPt:alert(1)", None), (" javascript:alert(1)", None), ("java\tscript:x", None),
     ("data:text/html,x", None), ("vbscript:x", None), ("mailto:x@y?body=<b>", None),
     ("tel:javascript:alert(1)", None), ("ftp://acme.example/", None), ("https:///x", None),
     ("", None), (None, None), (42, None)],
)  # fmt: skip
def test_only_http_links_fragments_site_paths_and_built_mail_and_phone_links_pass(
    target: object, expected: str | None
) -> None:
    assert safe_href(target) == expected


def test_a_refused_link_is_shown_as_escaped_text_alone() -> None:
    assert str(link("javascript:alert(1)", "<b>Our site</b>")) == "&lt;b&gt;Our site&lt;/b&gt;"
    made = str(link('https://acme.example/?a=1&b="2"', "Acme", rel="next"))
    assert made == '<a href="https://acme.example/?a=1&amp;b=&#34;2&#34;" rel="next">Acme</a>'


class Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value or "" for name, value in attrs if name in ("href", "src", "action")]


def unsafe_links(html: str) -> list[str]:
    """Every href, src or action whose scheme a browser would run or leave the web for."""
    parser = Hrefs()
    parser.feed(html)
    cleaned = [re.sub(r"[\x00-\x20]", "", value) for value in parser.found]  # as browsers do
    return [value for value in cleaned if urlsplit(value).scheme.lower() not in SAFE_SCHEMES]


@pytest.fixture
def bad_store(database: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The published example with a javascript: website and contact address written straight
    into the stored text, and the schema check switched off, as if it got there before
    the check existed: only the second wall (``safe_href``) stands."""
    monkeypatch.setattr(policy_links, "http_link_problem", lambda value: None)
    publish_example(database)
    text = EXAMPLE_TEXT.replace("website: https://www.larkfield.example",
                                'website: "javascript:alert(1)"')  # fmt: skip
    text = text.replace("https://www.larkfield.example/chat", "JavaScript:alert(2)")
    assert text.count("alert(") == 2
    with database.transaction() as session:
        session.execute(update(PolicyVersion).values(text=text))
    return database


def test_a_javascript_website_in_the_store_is_no_link_on_the_public_page(
    client: TestClient, bad_store: Database
) -> None:
    for _ in range(2):  # rendered, then answered from memory
        page = client.get("/")
        assert page.status_code == 200
        assert unsafe_links(page.text) == []
        assert "javascript:alert(1)" in page.text  # shown, as text
    document = re.search(r'application/ld\+json">(.*?)</script>', page.text, re.S)
    assert document is not None and "alert(" not in document.group(1)
    sign_in(client, bad_store, "agent")
    signed_in = client.get("/charter")
    assert signed_in.status_code == 200 and unsafe_links(signed_in.text) == []


def test_a_javascript_website_in_the_store_is_no_link_in_the_handbook(
    client: TestClient, bad_store: Database
) -> None:
    sign_in(client, bad_store, "agent")
    for path in ("/handbook", "/handbook/print", "/handbook/search?q=chat"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert unsafe_links(page.text) == [], path


def test_a_javascript_website_in_the_store_is_no_link_in_the_static_site_or_pdf(
    bad_store: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = export_site(bad_store, tmp_path)
    pages = [p for p in written if p.suffix == ".html"]
    assert len(pages) == 2
    for page in pages:
        assert unsafe_links(page.read_text("utf-8")) == [], page.name
    printed: list[str] = []

    class Printer:  # stands in for WeasyPrint: the HTML it would be given is what matters
        def __init__(self, string: str) -> None:
            printed.append(string)

        def write_pdf(self) -> bytes:
            return b"%PDF"

    monkeypatch.setattr("weasyprint.HTML", Printer)
    assert export_pdf(bad_store) == b"%PDF"
    [html] = printed
    assert "alert(2)" in html  # the contact point is there, as text
    assert unsafe_links(html) == []


def test_the_checked_pages_do_show_a_stored_javascript_link_without_the_helper(
    client: TestClient, bad_store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check above can fail: with a helper that lets everything through, it does.
    from charter.web import rendering

    monkeypatch.setitem(rendering.templates.env.globals, "link", _unchecked_link)
    monkeypatch.setattr("charter.publish.public_page.http_link_problem", lambda value: None)
    assert unsafe_links(client.get("/?tz=Europe/Paris").text) != []


def _unchecked_link(target: Any, text: Any, **attributes: str) -> Markup:
    return Markup(f'<a href="{target}">{text}</a>')
