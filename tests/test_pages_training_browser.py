"""The training pages in real Chromium on a live server (the demo store: the example
policy published as version 1 when the store was seeded; Avery Agent answers chat in
UK care, Morgan Manager leads UK care, Alex Admin manages the managers).

The story: the agent acknowledges version 1, takes its quiz, answers the second
question wrongly and reads the clause, then passes with 9 of 10; the manager sees it
on the team page; a major change to chat asks the agent again, a typo fix does not.
The right answers are read from the quiz generator for the version's own text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from charter.policy import load_policy_text
from charter.policy.clauses import clauses
from charter.services.accounts import Principal, find_user
from charter.services.lifecycle import edit_draft, new_draft
from charter.services.publishing import take_action
from charter.store import Database
from charter.training.quiz import Question, questions
from support import EXAMPLE_TEXT
from support.browser import Live, chromium, live_charter, sign_in
from support.training import example

pytestmark = pytest.mark.browser

CHAT_SLOWER = (
    "first_response: {within: 5m, clock: uk-support, attainment: 90%}"
    "=>first_response: {within: 10m, clock: uk-support, attainment: 90%}"
)
TYPO_IN = "Greet the customer by name=>Greet the custmer by name"
# Reports every Content-Security-Policy violation on the context's pages to the test.
REPORT = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation(`${e.violatedDirective} ${e.blockedURI} at ${location.pathname}`);
});
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Live, Database]]:
    """A fresh live demo (each story starts from version 1 with nothing done) and the
    same store opened by the test, to publish versions as a manager would."""
    with live_charter(tmp_path, tickets=200) as live:
        database = Database(f"sqlite:///{tmp_path / 'charter.db'}")
        yield live, database
        database.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


class Watched:
    """A browser page whose CSP violations are kept."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.violations: list[str] = []
        self.context.expose_function("cspViolation", self._report)
        self.context.add_init_script(REPORT)
        self.page = self.context.new_page()

    def _report(self, violation: str) -> None:
        self.violations.append(violation)


def known(text: str) -> dict[str, Question]:
    """The questions of the version whose text is ``text``, with their right answers."""
    return {q.id: q for q in questions(load_policy_text(text).policy)}


def choose(page: Any, question: Question, right: bool) -> str:
    """Fill the question's form with its right answer, or a wrong one; what was given."""
    if question.form == "number":
        given = question.answer if right else str(int(float(question.answer)) + 1)
        page.locator("form.question input[name=answer]").fill(given)
        return given
    given = question.answer if right else next(o for o in question.options if o != question.answer)
    page.get_by_role("radio", name=given, exact=True).check()
    return given


def take_the_quiz(page: Any, text: str, wrong_at: int) -> Question:
    """From /training, take the quiz answering question ``wrong_at`` (from 1) wrongly and
    the others rightly, checking what each answer shows; the question got wrong."""
    facts, missed = known(text), None
    page.get_by_role("button", name="Take the quiz").click()
    for position in range(1, 11):
        assert page.get_by_role("heading", name=f"Question {position} of 10").is_visible()
        question = facts[page.locator("form.question input[name=question]").input_value()]
        choose(page, question, right=position != wrong_at)
        page.get_by_role("button", name="Answer").click()
        page.wait_for_load_state()
        if position == wrong_at:
            missed = question
            feedback = page.locator("section.feedback")
            said = feedback.get_by_role("heading", level=2).inner_text()
            assert said.startswith("Not quite: the answer is ") and question.answer in said
            clause = next(c for c in clauses(load_policy_text(text).policy)
                          if c.id == question.clause_id)  # fmt: skip
            shown = feedback.locator("blockquote.clause-text")
            assert shown.get_by_role("heading").inner_text() == clause.heading
            assert " ".join(clause.body.split()) in " ".join(shown.inner_text().split())
            assert page.locator("form.question").count() == 0  # the clause comes first
            if position < 10:
                page.get_by_role("link", name="Next question").click()
        elif position < 10:
            assert page.get_by_role("status").inner_text() == "Right."
    assert missed is not None
    return missed


def test_an_agent_acknowledges_takes_the_quiz_reads_the_clause_of_a_wrong_answer_and_passes(
    browser: Any, store: tuple[Live, Database]
) -> None:
    live, _ = store
    watched = Watched(browser)
    page = watched.page
    sign_in(page, live, "agent")
    page.get_by_role("link", name="Training").click()
    assert page.locator("#state").inner_text() == "due"
    page.get_by_role("button", name="I have read version 1 and acknowledge it").click()
    assert "your acknowledgment is recorded" in page.get_by_role("status").inner_text()
    take_the_quiz(page, EXAMPLE_TEXT, wrong_at=2)
    # 9 of 10 right: 90 %, above the pass mark of 80 %.
    assert page.locator("p.score").inner_text() == (
        "You scored 90 % (9 of 10 right); the pass mark is 80 %."
    )
    assert page.locator("#outcome").inner_text() == "Passed."
    page.get_by_role("link", name="Back to your training").first.click()
    assert page.locator("#state").inner_text() == "done"
    assert watched.violations == []
    watched.context.close()


def test_the_manager_sees_completion_and_the_clause_the_agent_got_wrong(
    browser: Any, store: tuple[Live, Database]
) -> None:
    live, _ = store
    agent = browser.new_page()
    sign_in(agent, live, "agent")
    agent.goto(f"{live.url}/training")
    agent.get_by_role("button", name="I have read version 1 and acknowledge it").click()
    missed = take_the_quiz(agent, EXAMPLE_TEXT, wrong_at=1)
    agent.close()
    watched = Watched(browser)
    page = watched.page
    sign_in(page, live, "manager")
    page.goto(f"{live.url}/training/team")
    # Three demo accounts; the agent is done: UK care (manager and agent) is 1 of 2.
    assert page.locator("#people-count a").inner_text() == "3 people"
    teams = page.locator("table.training-teams tbody tr").all_inner_texts()
    assert [" ".join(t.split()) for t in teams] == ["Managers 1 0 0 0 %", "UK care 2 1 0 50 %"]
    # Only the agent answered: the clause of the wrong answer heads the list, 1 of 1 wrong.
    first = page.locator("table.training-clauses tbody tr").first
    assert first.locator("code").inner_text() == missed.clause_id
    assert " ".join(first.inner_text().split()).endswith("100 % 1 of 1 1 of 1")
    assert first.get_by_role("link").get_attribute("href") == f"/handbook#{missed.clause_id}"
    # The filters are a plain form: done people are the agent alone, and the CSV says so.
    page.get_by_label("State").select_option("done")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/training/team?*state=done*")
    assert page.locator("#people-count a").inner_text() == "1 person"
    with page.expect_download() as caught:
        page.locator("#people-count a").click()
    lines = Path(caught.value.path()).read_text("utf-8").splitlines()
    assert len(lines) == 2 and lines[1].startswith("Avery Agent,agent@demo.example,UK care")
    assert watched.violations == []
    watched.context.close()


def publish(database: Database, text: str, summary: str) -> int:
    """A new version of the demo policy with ``text``, written by the manager, approved by
    the admin and published now; its number."""

    def principal(email: str) -> Principal:
        found = find_user(database, email)
        return Principal(found.id, found.email, found.name, found.role, "cli")

    manager, admin = principal("manager@demo.example"), principal("admin@demo.example")
    number = new_draft(database, "larkfield", manager, change_summary=summary).number
    edit_draft(database, "larkfield", number, manager, text=text)
    for action, actor in (("submit", manager), ("approve", admin), ("publish", manager)):
        take_action(database, "larkfield", number, action, actor)
    return number


def test_a_major_change_to_chat_asks_the_agent_again_and_a_typo_fix_does_not(
    browser: Any, store: tuple[Live, Database]
) -> None:
    live, database = store
    page = browser.new_page()
    sign_in(page, live, "agent")
    page.goto(f"{live.url}/training")
    page.get_by_role("button", name="I have read version 1 and acknowledge it").click()
    # Version 2: live chat's first response from 5 to 10 minutes, and a typo slips into
    # a courtesy standard. The chat change is material and the agent answers chat.
    assert publish(database, example(chat=CHAT_SLOWER, typo=TYPO_IN), "Chat: 10 minutes") == 2
    page.goto(f"{live.url}/training")
    assert page.get_by_role("heading", name="Version 2 of the policy").is_visible()
    assert page.locator("#reason").inner_text() == "a change concerns your work"
    changes = [" ".join(li.split()) for li in page.locator("#changes li").all_inner_texts()]
    assert changes == [
        "first response for chat: 5 business minutes → 10 business minutes (weaker for "
        "customers) § service_levels.rules.sl-chat"
    ]
    page.locator("#changes a").click()
    page.wait_for_url("**/handbook#service_levels.rules.sl-chat")
    assert page.locator("[id='service_levels.rules.sl-chat']").is_visible()
    page.goto(f"{live.url}/training")
    page.get_by_role("button", name="I have read version 2 and acknowledge it").click()
    # Version 3 only spells "customer" right again: not material, the agent is told only.
    assert publish(database, example(chat=CHAT_SLOWER), "Typo fixed") == 3
    page.goto(f"{live.url}/training")
    assert page.get_by_role("heading", name="Version 2 of the policy").is_visible()
    assert page.get_by_role("heading", name="What changed in version 3").is_visible()
    assert "your acknowledgment of version 2 stands" in page.locator("section.told").inner_text()
    told = page.locator("#told li").all_inner_texts()
    assert len(told) == 1 and told[0].startswith("text of courtesy standard courtesy-name")
    assert page.get_by_role("button", name="I have read version 3 and acknowledge it").count() == 0
    page.close()
