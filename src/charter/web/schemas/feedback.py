"""Feedback themes tied to clauses, managers' names, merges and pins, and the ratings
of the public charter's sections."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class ClauseLinkPublic(BaseModel):
    clause_id: str
    title: str
    similarity: float = Field(description="Cosine similarity; 1.0 for a pinned clause's theme.")


class ThemePublic(BaseModel):
    key: str = Field(description="The top three terms in alphabetical order: what names, "
                     "merges and pins are kept against.")  # fmt: skip
    name: str
    top_terms: list[str]
    size: int
    by_month: dict[str, int] = Field(description='Comments per UTC month, "YYYY-MM".')
    clauses: list[ClauseLinkPublic]
    examples: list[str]
    pinned: bool = Field(description="A pin placed comments in this theme.")


class PinPublic(BaseModel):
    id: int
    clause_id: str
    clause_title: str
    query: str
    pinned_by: int | None
    pinned_at: dt.datetime
    active: bool = Field(description="False when its clause is no longer in the policy.")


class ThemesPublic(BaseModel):
    policy: str
    version: int
    since: dt.datetime
    until: dt.datetime = Field(description="Exclusive.")
    comments: int = Field(description="Comments read: the newest 100,000 at most.")
    total: int = Field(description="Comments in the period.")
    by_source: dict[str, int]
    unthemed: int
    themes: list[ThemePublic]
    pins: list[PinPublic]
    merges: dict[str, str] = Field(description="Key merged -> key it went into.")


class _Write(BaseModel):
    model_config = ConfigDict(extra="forbid")

    policy: str | None = Field(None, max_length=100, description="Default: the policy in force.")


class ThemeRename(_Write):
    key: str = Field(max_length=400)
    name: str = Field(max_length=200)


class ThemeMergeCreate(_Write):
    key: str = Field(max_length=400, description="The theme merged away.")
    into: str = Field(max_length=400, description="The theme it joins (keeps its key).")


class PinCreate(_Write):
    clause_id: str = Field(max_length=200)
    query: str = Field(max_length=1000, description='e.g. refund AND (late OR "not arrived")')


class SectionCommentPublic(BaseModel):
    version: int
    clear: bool | None
    fair: bool | None
    comment: str
    created_at: dt.datetime


class SectionRatingsPublic(BaseModel):
    section: str
    heading: str
    ratings: int
    clear_yes: int
    clear_no: int
    fair_yes: int
    fair_no: int
    comment_count: int
    comments: list[SectionCommentPublic] = Field(description="The newest 20.")
