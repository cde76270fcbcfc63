"""Themes in customers' comments, tied to the policy's clauses (issue 17, point 3).

The labelled set (``support.comments``) holds 86 comments about the example policy in
five groups, each written about one clause. The themes must find the groups, link each
to its clause, show examples from it and count it by month; pins are keyword rules a
manager can read.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from functools import cache

import pytest

from charter.errors import InvalidInput, NotFound
from charter.feedback.themes import (
    Comment,
    Pin,
    Theme,
    matcher,
    matches,
    merge,
    rename,
    themes,
)
from charter.policy import load_policy_text
from charter.policy.schema import Policy
from support import EXAMPLE_TEXT
from support.comments import GROUPS, MONTHS, comments, labelled

AT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@cache
def example() -> Policy:
    return load_policy_text(EXAMPLE_TEXT).policy


@cache
def found() -> tuple[Theme, ...]:
    return tuple(themes(comments(), example()))


def group_of() -> dict[str, str]:
    return {item.comment.id: item.group for item in labelled()}


def theme_of(group: str) -> Theme:
    """The theme that holds most of ``group``'s comments."""
    groups = group_of()
    return max(found(), key=lambda t: sum(groups[c] == group for c in t.comment_ids))


def clause_fits(clause_id: str, labelled_clause: str) -> bool:
    if labelled_clause.endswith(".*"):
        return clause_id.startswith(labelled_clause[:-1])
    return clause_id == labelled_clause


def test_the_count_chosen_from_the_labelled_comments_is_their_five_groups() -> None:
    # Written as five groups of 16-18 comments; no count given, the data must say five.
    assert len(found()) == 5


@pytest.mark.parametrize("group", GROUPS)
def test_a_group_of_comments_lands_mostly_in_one_theme(group: str) -> None:
    # Purity both ways: at least 80 % of the group's comments share one theme, and at
    # least 80 % of that theme's comments come from the group.
    groups = group_of()
    theme = theme_of(group)
    written = sum(g == group for g in groups.values())
    inside = sum(groups[c] == group for c in theme.comment_ids)
    assert inside / written >= 0.8, (theme.terms, inside, written)
    assert inside / len(theme.comment_ids) >= 0.8, (theme.terms, Counter(theme.comment_ids))


def test_each_group_has_a_theme_of_its_own() -> None:
    assert len({theme_of(group).id for group in GROUPS}) == len(GROUPS)


@pytest.mark.parametrize(
    "group, clause",
    [
        ("refunds", "returns"),  # "refund took three weeks": Returns and refunds
        ("delivery", "delivery.*"),  # "the courier was late": one of the delivery methods
        ("chat", "service_levels.rules.sl-chat"),  # "waited 40 minutes on live chat"
        ("courtesy", "staff.courtesy.*"),  # "rude, never gave their name": courtesy standards
        ("saturday", "calendars.uk-support"),  # "lines closed on Saturday afternoon"
    ],
)
def test_the_refund_story_and_the_others_link_their_theme_to_the_clause_they_are_about(
    group: str, clause: str
) -> None:
    theme = theme_of(group)
    assert theme.clauses, f"{theme.name}: linked to no clause"
    top, similarity = theme.clauses[0]
    assert clause_fits(top, clause), theme.clauses
    assert similarity >= 0.1  # LINKED_FROM
    assert [s for _, s in theme.clauses] == sorted((s for _, s in theme.clauses), reverse=True)


@pytest.mark.parametrize("group", GROUPS)
def test_a_theme_s_examples_are_comments_of_its_group(group: str) -> None:
    theme = theme_of(group)
    groups = group_of()
    assert len(theme.examples) == 3
    assert [groups[c] for c in theme.examples] == [group] * 3
    assert theme.examples == theme.comment_ids[:3]  # the heaviest, first
    assert list(theme.weights) == sorted(theme.weights, reverse=True)


def test_sizes_by_month_add_up_to_each_theme_and_follow_the_comments_dates() -> None:
    dates = {item.comment.id: item.comment.at for item in labelled()}
    themed = 0
    for theme in found():
        assert sum(theme.by_month.values()) == len(theme.comment_ids)
        counted = Counter(dates[c].strftime("%Y-%m") for c in theme.comment_ids)
        assert theme.by_month == dict(sorted(counted.items()))
        themed += len(theme.comment_ids)
    assert themed == 86  # 18 + 18 + 17 + 17 + 16: every labelled comment has a theme


def test_a_theme_of_one_group_counts_its_months_by_hand() -> None:
    # Only the chat comments (17): n = 0..16 dated Sep, Oct, Nov in turn, so 6, 6, 5.
    chat = [item.comment for item in labelled() if item.group == "chat"]
    (theme,) = themes(chat, example(), count=1)
    assert theme.by_month == MONTHS["chat"] == {"2026-09": 6, "2026-10": 6, "2026-11": 5}


def test_months_are_utc_months() -> None:
    # 31 October 23:30 at UTC-2 is 1 November 01:30 UTC: a November comment.
    west = dt.timezone(dt.timedelta(hours=-2))
    said = [
        Comment("a", "refund late again", dt.datetime(2026, 10, 31, 23, 30, tzinfo=west), "survey"),
        Comment("b", "refund late", dt.datetime(2026, 10, 15, tzinfo=dt.UTC), "import"),
    ]
    (theme,) = themes(said, example(), count=1)
    assert theme.by_month == {"2026-10": 1, "2026-11": 1}


def test_the_same_comments_give_the_same_themes_in_any_order() -> None:
    again = themes(comments(), example())
    shuffled = comments()
    random.Random(7).shuffle(shuffled)
    assert again == list(found())
    assert themes(shuffled, example()) == list(found())


def test_a_theme_is_named_by_its_top_terms_and_its_id_is_made_from_them() -> None:
    theme = theme_of("chat")
    assert theme.name == " · ".join(theme.terms[:3])
    assert "chat" in theme.terms[:3]  # 17 chat comments: 16 say "chat"
    assert theme.id.startswith("-".join(w for t in theme.terms[:3] for w in t.split()))


def test_a_comment_sharing_no_word_with_the_others_is_unthemed() -> None:
    odd = Comment("odd-1", "Xylophones quartz zebra.", AT, "policy")
    ids = {c for t in themes([*comments(), odd], example()) for c in t.comment_ids}
    assert "odd-1" not in ids
    assert len(ids) == 86


def test_varied_complaints_beside_many_alike_thanks_get_themes_of_their_own() -> None:
    # 60 thanks in two wordings, then 16 refund complaints and 9 late-delivery ones,
    # each an opening joined to an ending. Two themes of thanks alone group their 60
    # perfectly, so a count judged only on the comments it themes would leave the 25
    # complaints out of every theme; the count is judged on all of them.
    thanks = ["Quick answer, thank you."] * 30 + ["Great service, very happy."] * 30
    refunds = [f"{start} {end}" for start in ("My refund is late", "Still no refund for my "
               "return", "The refund took weeks", "Had to chase my refund")
               for end in ("and nobody told me why.", "after I sent the item back.",
                           "to reach my card.", "again.")]  # fmt: skip
    late = [f"{start} {end}" for start in ("My delivery is late", "Late delivery again",
            "The parcel came late") for end in ("and the tracking never updated.",
                                               "after the promised date.", "again.")]  # fmt: skip
    said = [Comment(f"c{n}", text, AT, "survey") for n, text in enumerate(thanks + refunds + late)]
    member = {c: t.id for t in themes(said, example()) for c in t.comment_ids}
    complaints = {f"c{n}" for n in range(60, 85)}
    assert complaints <= member.keys()  # every complaint is in a theme
    thanked = {member[f"c{n}"] for n in range(60)}
    assert not thanked & {member[c] for c in complaints}  # and none shares one with thanks


def test_comments_without_a_shared_word_give_no_themes() -> None:
    said = [Comment("a", "apple", AT, "survey"), Comment("b", "banana", AT, "survey")]
    assert themes(said, example()) == []
    assert themes([], example()) == []


PINS = [
    # query, text, matches? — worked out by reading the query
    ("refund", "My REFUND is late", True),  # case does not matter
    ("refund", "I was refunded", False),  # whole words only
    ("refund*", "I was refunded", True),  # ... unless the word ends in *
    ("refund AND (late OR slow)", "the refund is slow", True),
    ("refund AND (late OR slow)", "the refund came quickly", False),
    ("refund AND (late OR slow)", "the parcel is late", False),
    ("refund late", "the parcel is late", True),  # words side by side: any of them
    ('"phone line"', "the phone line was closed", True),
    ('"phone line"', "the phone-line was closed", True),  # as the text's words read
    ('"phone line"', "the line for the phone", False),  # a phrase keeps its order
    ("refund NOT card", "refund to my card", False),  # NOT after a word: AND NOT
    ("refund NOT card", "refund by cheque", True),
    ('NOT "on time"', "delivered on time", False),
    ('NOT "on time"', "delivered late", True),
    ("chat OR phone AND saturday", "chat on monday", True),  # AND binds tighter than OR
    ("(chat OR phone) AND saturday", "chat on monday", False),
    ("courier and late", "the courier was late", True),  # lower-case "and" is a word
    ("e-mail", "I sent an e-mail", True),  # a hyphenated word is read as its words
    ("e-mail", "mail it, e.g. by post", False),  # ... next to each other, in order
]


@pytest.mark.parametrize("query, text, expected", PINS)
def test_a_pin_matches_what_its_query_says(query: str, text: str, expected: bool) -> None:
    assert matches(Pin("delivery", query), text) is expected


def test_a_pin_read_once_sorts_the_labelled_comments() -> None:
    # "line" or "lines", and "Saturday": the Saturday group's comments that say both,
    # found by reading support.comments: 01, 02, 03, 04, 05, 06, 08, 10, 11, 12, 13, 14,
    # 16 (07 says "phone closes", 09 and 15 name no line); no other group says Saturday.
    test = matcher(Pin("calendars.uk-support", "(line OR lines) AND saturday"))
    hits = [item.comment.id for item in labelled() if test(item.comment.text)]
    expected = [f"saturday-{n:02d}" for n in (1, 2, 3, 4, 5, 6, 8, 10, 11, 12, 13, 14, 16)]
    assert hits == expected


BAD_QUERIES = [
    # query, column named, words of the reason
    ("", 1, "empty"),
    ("   ", 1, "empty"),
    ("refund AND", 8, "AND needs"),
    ("AND refund", 1, "nothing before"),
    ("refund OR OR late", 8, "OR needs"),
    ("(refund OR late", 1, "never closed"),
    ("refund) late", 7, "closes no bracket"),
    ('late "phone line', 6, "quote is never closed"),
    ('late ""', 6, "no words"),
    ("ref*und", 1, "* may only end"),
    ("refund !!", 8, "no letters"),
    ("()", 2, "nothing before"),
]


@pytest.mark.parametrize("query, column, reason", BAD_QUERIES)
def test_a_bad_pin_query_is_refused_naming_the_spot(query: str, column: int, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        matches(Pin("returns", query), "anything")
    assert f"column {column}:" in str(caught.value)
    assert reason in str(caught.value)
    assert caught.value.details[0]["column"] == column


def test_a_pin_query_is_at_most_200_characters_and_20_words() -> None:
    matches(Pin("returns", "a" * 200), "")  # 200 characters: read
    with pytest.raises(InvalidInput, match="at most 200 characters, not 201"):
        matches(Pin("returns", "a" * 201), "")
    twenty = " OR ".join(f"w{n}" for n in range(20))
    assert matches(Pin("returns", twenty), "w19")
    # w0..w9 are 2 characters, w10..w19 are 3, with 19 " OR " between: 20 + 30 + 76 = 126
    # characters; " OR w20" puts the 21st word at column 126 + 4 + 1 = 131.
    with pytest.raises(InvalidInput, match=r"column 131: a query has at most 20 words"):
        matches(Pin("returns", twenty + " OR w20"), "")


def test_more_than_100000_comments_are_refused() -> None:
    many = [Comment(str(n), "x", AT, "survey") for n in range(100_001)]
    with pytest.raises(InvalidInput, match="Too many comments: 100,001"):
        themes(many, example())


def test_a_comment_longer_than_5000_characters_is_refused_by_its_id() -> None:
    long = Comment("survey-9", "word " * 1000 + "x", AT, "survey")  # 5,001 characters
    with pytest.raises(InvalidInput, match="'survey-9': its text is 5,001 characters"):
        themes([long], example())
    themes([Comment("survey-9", "w" * 5000, AT, "survey")], example())  # 5,000: read


@pytest.mark.parametrize(
    "said, message",
    [
        ([Comment("a", "x", dt.datetime(2026, 11, 2), "survey")], "'a': its instant"),
        ([Comment("a", "x", AT, "twitter")], "source 'twitter' is not one of"),
        ([Comment("a", "x", AT, "survey"), Comment("a", "y", AT, "import")], "appears twice"),
    ],
)
def test_a_bad_comment_is_refused_naming_it(said: list[Comment], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        themes(said, example())


@pytest.mark.parametrize("count", [0, 51])
def test_a_count_outside_1_to_50_is_refused(count: int) -> None:
    with pytest.raises(InvalidInput, match=f"ask for 1 to 50 themes, not {count}"):
        themes(comments(), example(), count=count)


def make_theme(
    theme_id: str, members: dict[str, float], months: dict[str, int], **kw: object
) -> Theme:
    ids = tuple(members)
    return Theme(
        id=theme_id,
        name=kw.get("name", theme_id),  # type: ignore[arg-type]
        terms=kw.get("terms", (theme_id,)),  # type: ignore[arg-type]
        comment_ids=ids,
        examples=ids[:3],
        by_month=months,
        clauses=kw.get("clauses", ()),  # type: ignore[arg-type]
        weights=tuple(members.values()),
    )


def two_themes() -> list[Theme]:
    return [
        make_theme("late", {"a": 0.9, "b": 0.5}, {"2026-10": 2},
                   terms=("late", "delivery"), clauses=(("delivery.x", 0.3), ("returns", 0.2))),
        make_theme("slow", {"c": 0.7, "d": 0.6, "e": 0.2}, {"2026-10": 1, "2026-11": 2},
                   terms=("slow", "parcel", "late"), clauses=(("returns", 0.1),)),
        make_theme("rude", {"f": 0.8}, {"2026-09": 1}),
    ]  # fmt: skip


def test_merging_two_themes_joins_their_comments_months_examples_and_clauses() -> None:
    merged, rude = merge(two_themes(), ["late", "slow"], "Late parcels")
    assert rude.id == "rude"
    assert merged.name == "Late parcels"
    # Weights 0.9 a, 0.7 c, 0.6 d, 0.5 b, 0.2 e: heaviest first; the first three are examples.
    assert merged.comment_ids == ("a", "c", "d", "b", "e")
    assert merged.examples == ("a", "c", "d")
    assert merged.by_month == {"2026-10": 3, "2026-11": 2}  # 2 + 1 in October, 2 in November
    # Every clause either was linked to, with its higher similarity: returns 0.2, not 0.1.
    assert merged.clauses == (("delivery.x", 0.3), ("returns", 0.2))
    assert merged.terms == ("late", "slow", "delivery", "parcel")  # rank by rank, once each


def test_merging_needs_two_known_themes() -> None:
    with pytest.raises(NotFound, match="No theme 'nope'"):
        merge(two_themes(), ["late", "nope"], "x")
    with pytest.raises(InvalidInput, match="two different themes"):
        merge(two_themes(), ["late", "late"], "x")


def test_renaming_a_theme_changes_its_name_only() -> None:
    before = two_themes()
    after = rename(before, "slow", "  Parcels  stuck ")
    assert [t.name for t in after] == ["late", "Parcels stuck", "rude"]
    assert after[1].comment_ids == before[1].comment_ids
    with pytest.raises(InvalidInput, match="1 to 100 characters"):
        rename(before, "slow", " ")
    with pytest.raises(NotFound):
        rename(before, "gone", "x")


def test_merged_themes_found_in_the_labelled_set_keep_every_comment() -> None:
    refunds, delivery = theme_of("refunds"), theme_of("delivery")
    merged = merge(list(found()), [refunds.id, delivery.id], "Orders")
    assert len(merged) == 4
    (joined,) = [t for t in merged if t.name == "Orders"]
    assert set(joined.comment_ids) == {*refunds.comment_ids, *delivery.comment_ids}
    assert sum(joined.by_month.values()) == len(refunds.comment_ids) + len(delivery.comment_ids)
