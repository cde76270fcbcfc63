"""The survey after a solve: scheduling and sending invitations, and the customer's
answer (docs/feedback.md, "The survey after a solve").

The worker's step (``send_surveys``) works on whole sets, a statement or two each:

1. every ticket solved (or closed) since surveys were switched on, with a requester's
   address and no invitation, gets one, ``scheduled`` for the solve plus the policy's
   ``after``; a second worker's insert of the same ticket does nothing (``ticket_id``
   is unique);
2. a scheduled invitation whose ticket is no longer solved, or was solved again at
   another instant, is ``withdrawn``; a withdrawn one whose ticket is solved again
   later is scheduled again for that solve;
3. the due ones still standing move to ``sent`` and their e-mails go to the outbox
   in the same transaction; only the rows this transaction moved are sent, so two
   workers never send one twice;
4. sent invitations whose link ran out unanswered become ``expired``.

"Switched on" is the effective instant of the earliest version in the unbroken run of
versions with a ``surveys:`` section that ends with the one in force: publishing a
policy with surveys never mails the tickets solved before it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from charter import clock
from charter.config import Settings
from charter.errors import ConfigError, InvalidInput, TooManyRequests
from charter.feedback import tokens
from charter.feedback.comments import MAX_COMMENT, clean_comment
from charter.feedback.surveys import SCALES, Scale, check_score, is_bad, link_token, read_token
from charter.figures import instant
from charter.policy.surveys import Surveys
from charter.services.lifecycle import Version, judging_versions, operating_version
from charter.store import Database
from charter.store import surveys as records

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "MAX_COMMENT", "PER_DAY", "PER_HOUR", "SOLVED", "SurveyPage", "SurveyRun",
    "answer_survey", "open_survey", "send_surveys", "switched_on",
]  # fmt: skip

SOLVED = records.SOLVED
PER_HOUR, PER_DAY = 10, 30
MAX_SENT = 10_000  # surveys queued in one tick, the longest due first; the rest next tick
FOOTER = (
    "We ask once, after your request was solved. The link needs no account and works "
    "once; you can ignore this e-mail."
)


@dataclass(frozen=True)
class SurveyRun:
    """What one run of the step did."""

    scheduled: int = 0
    withdrawn: int = 0
    sent: int = 0
    expired: int = 0

    @property
    def total(self) -> int:
        return self.scheduled + self.withdrawn + self.sent + self.expired


def switched_on(versions: list[Version], live: Version) -> dt.datetime | None:
    """When surveys were switched on for ``live``: the effective instant of the earliest
    version in the unbroken run with a ``surveys:`` section that ends at ``live``;
    None when ``live`` has none."""
    ordered = sorted(
        (v for v in versions if v.effective_at is not None and v.id != live.id),
        key=lambda v: v.effective_at or dt.datetime.min.replace(tzinfo=dt.UTC),
    )
    if live.policy().surveys is None or live.effective_at is None:
        return None
    since = live.effective_at
    for version in reversed([v for v in ordered if v.effective_at and v.effective_at < since]):
        if version.policy().surveys is None:
            break
        since = version.effective_at or since
    return since


def send_surveys(
    database: Database, settings: Settings, now: dt.datetime | None = None
) -> SurveyRun:
    """Schedule, withdraw, send and expire survey invitations at ``now`` (the worker's
    step); ``ConfigError`` after scheduling when there are e-mails to send and no
    ``CHARTER_BASE_URL`` to build their links from."""
    moment = clock.utc_moment(now)
    live = operating_version(database, moment)
    section = live.policy().surveys if live is not None else None
    if live is None or section is None:
        return SurveyRun()
    since = switched_on(judging_versions(database, moment), live)
    assert since is not None
    after = dt.timedelta(seconds=section.after.seconds)
    base = (settings.base_url or "").rstrip("/")
    with database.transaction() as session:
        scheduled = records.schedule(session, since=since, after_seconds=int(section.after.seconds),
                                     version_id=live.id, kind=section.kind, now=moment)  # fmt: skip
        withdrawn, due_ids = _standing(session, moment, after)
        expired = records.expire(session, moment)
        linked = base.startswith(("http://", "https://"))
        valid_for = dt.timedelta(seconds=section.valid_for.seconds)
        claimed = records.claim_due(session, due_ids if linked else [], moment, valid_for)
        known = records.source_ids(session, [d.ticket_id for d in claimed])
        payloads = [_payload(d, known.get(d.ticket_id, ""), base, settings) for d in claimed]
        records.queue_mail(session, claimed, payloads, moment)
    if due_ids and not linked:  # kept scheduled: they go once the address is set
        raise ConfigError(
            f"{len(due_ids)} survey e-mail(s) are due, but a survey link needs the server's "
            "public address: set CHARTER_BASE_URL (https://...)"
        )
    return SurveyRun(scheduled, withdrawn, len(claimed), expired)


def _standing(session: Session, moment: dt.datetime, after: dt.timedelta
              ) -> tuple[int, list[int]]:  # fmt: skip
    """Withdraw what a reopen undid, schedule again what a later solve redid; the count
    withdrawn and the ids of the scheduled invitations now due."""
    still = pl.col("status").is_in(SOLVED) & (pl.col("now_solved_at") == pl.col("solved_at"))
    scheduled = records.against_tickets(session, "scheduled")
    gone = scheduled.filter(~still.fill_null(False))
    withdrawn = records.withdraw(session, gone["id"].to_list())
    solved_again = records.against_tickets(session, "withdrawn").filter(
        pl.col("status").is_in(SOLVED) & (pl.col("now_solved_at") > pl.col("solved_at"))
    )
    again = solved_again.select(
        "id", pl.col("now_solved_at").alias("solved_at"),
        (pl.col("now_solved_at") + after).alias("due_at"),
    )  # fmt: skip
    records.reschedule(session, again.to_dicts())
    due = pl.concat([
        scheduled.filter(still.fill_null(False) & (pl.col("due_at") <= moment)).select(
            "id", "due_at"),
        again.filter(pl.col("due_at") <= moment).select("id", "due_at"),
    ]).sort("due_at", "id").head(MAX_SENT)  # fmt: skip
    return withdrawn, due["id"].to_list()


def _payload(due: records.Due, ticket: str, base: str, settings: Settings) -> dict[str, object]:
    scale = SCALES[due.kind]
    link = f"{base}/s/{link_token(due.id, due.expires_at, settings.secret_key)}"
    request = f"Your request {ticket}" if ticket else "Your request"
    facts = [
        {"label": "About", "text": f"{request}, which we solved", "href": None},
        {"label": "One question", "text": scale.question, "href": link},
        {"label": "Link works until", "text": instant(due.expires_at), "href": None},
    ]
    return {"headline": "How did we do?", "facts": facts, "footer": FOOTER}


@dataclass(frozen=True)
class SurveyPage:
    """What the survey page shows: ``state`` is ``open`` (the form), ``thanks`` (the
    answer just taken), ``answered`` (answered before: the link is used), ``expired``
    or ``unknown`` (not a link of ours)."""

    state: str
    kind: str = "csat"
    scale: Scale = SCALES["csat"]
    scores: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    problem: str = ""

    def bad(self, score: int) -> bool:
        """Whether ``score`` is a bad one (the reasons are asked)."""
        return is_bad(self.kind, score)


def open_survey(
    database: Database, settings: Settings, token: str, now: dt.datetime | None = None
) -> SurveyPage:
    """The page a survey link opens at ``now``."""
    moment = clock.utc_moment(now)
    try:
        invitation_id = read_token(token, settings.secret_key, now=moment)
    except tokens.Expired as error:
        return SurveyPage("expired", problem=str(error))
    except InvalidInput as error:
        return SurveyPage("unknown", problem=str(error))
    with database.reading() as session:
        found = records.invitation(session, invitation_id)
        if found is None or found.state in ("scheduled", "withdrawn"):
            return SurveyPage("unknown", problem="this survey link is not one of ours")
        state, kind, version_id = found.state, found.kind, found.version_id
    if state == "expired":
        return SurveyPage("expired", problem="this survey link has expired")
    scale = SCALES[kind]
    return SurveyPage(
        "answered" if state == "answered" else "open",
        kind=kind,
        scale=scale,
        scores=list(range(scale.low, scale.high + 1)),
        reasons=_reasons(database, version_id, moment),
    )


def asking_organisation(database: Database) -> str:
    """Who asks the customer: the name of the organisation of the policy in force ("" when
    none is), shown at the top of the survey page instead of the product's name."""
    live = operating_version(database)
    return live.policy().organisation.name if live is not None else ""


def _reasons(database: Database, version_id: int, moment: dt.datetime) -> list[str]:
    """The reasons of the version the invitation followed (the defaults if it is gone)."""
    for version in judging_versions(database, moment):
        if version.id == version_id and version.policy().surveys is not None:
            section = version.policy().surveys
            assert section is not None
            return list(section.reasons)
    return list(Surveys(kind="csat").reasons)


def answer_survey(
    database: Database, settings: Settings, *, token: str, score: str | None,
    comment: str | None, reasons: list[str], address: str, now: dt.datetime | None = None,
) -> SurveyPage:  # fmt: skip
    """Record a customer's answer; the page to show next (``thanks``; ``answered`` when
    the link was used before, a second send of the form too). ``InvalidInput`` for a
    missing or off-scale score, an unknown reason or a comment over ``MAX_COMMENT``;
    ``TooManyRequests`` past the address's limits."""
    moment = clock.utc_moment(now)
    page = open_survey(database, settings, token, moment)
    if page.state != "open":
        return page
    given = _score(page.kind, score)
    said = clean_comment(comment)
    # Reasons count with a low score only: ticked, then a better score chosen, they are
    # not what the customer meant.
    chosen = _chosen(reasons, page.reasons) if is_bad(page.kind, given) else []
    hashed = hmac.new(settings.secret_key.encode(), address.encode(), hashlib.sha256).hexdigest()
    invitation_id = read_token(token, settings.secret_key, now=moment)
    with database.transaction() as session:
        for limit, window in ((PER_HOUR, dt.timedelta(hours=1)), (PER_DAY, dt.timedelta(days=1))):
            if records.answers_since(session, hashed, moment - window) >= limit:
                raise TooManyRequests(
                    f"thank you, but this address has answered {limit} surveys in the last "
                    f"{'hour' if window.days == 0 else 'day'}; please try again later",
                    retry_after=int(window.total_seconds()),
                )
        taken = records.answer(session, invitation_id, score=given, comment=said,
                               reasons=chosen, at=moment, address_hash=hashed)  # fmt: skip
    if not taken:  # the same form sent twice at once: the first one counted
        return SurveyPage("answered", kind=page.kind, scale=page.scale)
    return SurveyPage("thanks", kind=page.kind, scale=page.scale)


def _score(kind: str, score: str | None) -> int:
    scale = SCALES[kind]
    if score is None or not score.strip():
        raise InvalidInput(f"choose a score from {scale.low} to {scale.high}",
                           [{"field": "score", "problem": "missing"}])  # fmt: skip
    try:
        number = int(score.strip())
    except ValueError:
        number = -1
    return check_score(kind, number)


def _chosen(reasons: list[str], offered: list[str]) -> list[str]:
    unknown = [r for r in reasons if r not in offered]
    if unknown:
        raise InvalidInput(f"reason {unknown[0][:80]!r} is not one of those offered",
                           [{"field": "reasons", "problem": "not offered"}])  # fmt: skip
    return [r for r in offered if r in reasons]
