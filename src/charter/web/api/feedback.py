"""``/api/feedback``: the themes in what customers write, tied to clauses, with the
managers' names, merges and pins; and the ratings of the public charter's sections
(docs/feedback.md). Staff read; managers and admins shape the themes."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from charter.services import feedback_themes as themes
from charter.services.section_ratings import section_ratings
from charter.web.deps import CurrentUser, DatabaseDep, Manager
from charter.web.schemas.feedback import (
    ClauseLinkPublic,
    PinCreate,
    PinPublic,
    SectionCommentPublic,
    SectionRatingsPublic,
    ThemeMergeCreate,
    ThemePublic,
    ThemeRename,
    ThemesPublic,
)

router = APIRouter(prefix="/feedback", tags=["feedback"])
Day = Annotated[dt.date | None, Query(description="A UTC day, YYYY-MM-DD.")]
Policy = Annotated[str | None, Query(max_length=100, description="Default: the policy in force.")]
PinId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The pin's id.")]


def _pin(pin: themes.PinView) -> PinPublic:
    return PinPublic(**{k: v for k, v in asdict(pin).items() if k != "pinned_by_name"})


def _theme(theme: themes.ThemeSummary) -> ThemePublic:
    links = [ClauseLinkPublic(clause_id=c, title=t, similarity=s) for c, t, s in theme.clauses]
    fields = {k: v for k, v in asdict(theme).items() if k != "clauses"}
    return ThemePublic(**fields, clauses=links)


@router.get("/themes")
def read_themes(
    database: DatabaseDep, _user: CurrentUser, policy: Policy = None, since: Day = None,
    until: Day = None,
) -> ThemesPublic:  # fmt: skip
    """The themes of the comments from ``since`` to ``until`` (whole UTC days, both
    included; default the last twelve calendar months), largest first."""
    start, end = themes.period(since, until)
    view = themes.themes_view(database, policy, start, end)
    return ThemesPublic(
        policy=view.slug, version=view.version, since=view.since, until=view.until,
        comments=view.comments, total=view.total, by_source=view.by_source,
        unthemed=view.unthemed, themes=[_theme(t) for t in view.themes],
        pins=[_pin(p) for p in view.pins], merges=view.merges,
    )  # fmt: skip


@router.post("/themes/names", status_code=status.HTTP_204_NO_CONTENT)
def rename(body: ThemeRename, database: DatabaseDep, user: Manager) -> Response:
    """Name the theme ``key``; the name holds whenever the themes are found again."""
    themes.rename_theme(database, user, body.policy, body.key, body.name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/themes/merges", status_code=status.HTTP_204_NO_CONTENT)
def merge(body: ThemeMergeCreate, database: DatabaseDep, user: Manager) -> Response:
    """Merge the theme ``key`` into ``into``."""
    themes.merge_theme(database, user, body.policy, body.key, body.into)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/themes/merges", status_code=status.HTTP_204_NO_CONTENT)
def unmerge(
    database: DatabaseDep, user: Manager, key: Annotated[str, Query(max_length=400)],
    policy: Policy = None,
) -> Response:  # fmt: skip
    """Undo the merge of the theme ``key``."""
    themes.unmerge_theme(database, user, policy, key)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/pins", status_code=status.HTTP_201_CREATED)
def create_pin(body: PinCreate, database: DatabaseDep, user: Manager) -> PinPublic:
    """Pin a keyword query to a clause; a query that cannot be read is a 422 naming its
    column and what is wrong."""
    return _pin(themes.add_pin(database, user, body.policy, body.clause_id, body.query))


@router.delete("/pins/{pin_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_pin(
    pin_id: PinId, database: DatabaseDep, user: Manager, policy: Policy = None
) -> Response:
    """Remove a pin."""
    themes.remove_pin(database, user, policy, pin_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/sections")
def read_sections(
    database: DatabaseDep, _user: CurrentUser, policy: Policy = None
) -> list[SectionRatingsPublic]:
    """Each rated section of the public charter: clear and fair tallies over every
    version, and its newest comments."""
    return [
        SectionRatingsPublic(
            **{k: v for k, v in asdict(s).items() if k != "comments"},
            comments=[
                SectionCommentPublic(
                    version=c.version,
                    clear=c.clear,
                    fair=c.fair,
                    comment=c.comment,
                    created_at=c.created_at,
                )
                for c in s.comments
            ],
        )  # fmt: skip
        for s in section_ratings(database, policy)
    ]
