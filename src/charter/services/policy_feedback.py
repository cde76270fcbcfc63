"""Visitors rate the public charter's sections: was it clear? fair? and a comment.

Anonymous, and guarded without third-party services:

- a signed form token (``charter.feedback.tokens``, salt ``charter.policy-feedback``)
  carries the version the page showed and lasts ``FORM_LIFETIME``; a form from
  elsewhere, changed, or left open too long is refused;
- a honeypot field (``website``) people never see: a form that fills it is thanked and
  dropped, so a bot learns nothing;
- at most ``PER_HOUR`` ratings an hour and ``PER_DAY`` a day from one address, kept
  only as a keyed hash (HMAC-SHA256 with the server's secret), never the address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from charter import clock
from charter.config import Settings
from charter.errors import InvalidInput, TooManyRequests
from charter.feedback import tokens
from charter.feedback.comments import MAX_COMMENT, clean_comment
from charter.policy.clauses import SECTIONS
from charter.services.lifecycle import operating_version
from charter.store import Database
from charter.store import feedback as records

__all__ = [
    "FORM_LIFETIME", "MAX_COMMENT", "PER_DAY", "PER_HOUR", "RATED_SECTIONS", "Rated",
    "form_token", "rate_section",
]  # fmt: skip

SALT = "charter.policy-feedback"
FORM_LIFETIME = dt.timedelta(hours=12)
PER_HOUR, PER_DAY = 10, 30
# The public page's sections a visitor can rate, by their clause id.
RATED_SECTIONS = ("vision", "contact_points", "service_levels", "delivery", "returns",
                  "complaints")  # fmt: skip


@dataclass(frozen=True)
class Rated:
    """What became of a rating: ``stored`` is False for a honeypot's (thanked all the
    same); ``heading`` names the section in the thanks."""

    section: str
    heading: str
    stored: bool


def form_token(settings: Settings, version_id: int, now: dt.datetime | None = None) -> str:
    """The token the public page's rating forms carry for ``version_id``."""
    moment = clock.utc_moment(now)
    return tokens.sign([version_id], moment + FORM_LIFETIME, settings.secret_key, SALT)


def rate_section(
    database: Database, settings: Settings, *, token: str, section: str, clear: str | None,
    fair: str | None, comment: str | None, honeypot: str | None, address: str,
    now: dt.datetime | None = None,
) -> Rated:  # fmt: skip
    """Store one visitor's rating of ``section``; refused (``InvalidInput``) when the
    form is not ours or out of date, the section or an answer unknown, nothing is said,
    or the comment too long; ``TooManyRequests`` past the address's limits."""
    moment = clock.utc_moment(now)
    try:
        [version_id] = tokens.unsign(token, settings.secret_key, SALT, now=moment)
    except tokens.Expired:
        raise InvalidInput("this page was open a long time; reload it and send again") from None
    except (InvalidInput, ValueError):
        raise InvalidInput("this form is not one of ours; reload the page and send again") from None
    if section not in RATED_SECTIONS:
        raise InvalidInput(f"section {section[:40]!r} is not one you can rate here",
                           [{"field": "section", "problem": "not a rated section"}])  # fmt: skip
    heading = SECTIONS.get(section, section)
    if honeypot:
        return Rated(section, heading, stored=False)
    said = clean_comment(comment)
    answers = {"clear": _yes_no("clear", clear), "fair": _yes_no("fair", fair)}
    if answers["clear"] is None and answers["fair"] is None and not said:
        raise InvalidInput("say whether the section is clear or fair, or write a comment",
                           [{"field": "clear", "problem": "nothing given"}])  # fmt: skip
    live = operating_version(database)
    if live is None or live.id != version_id:
        raise InvalidInput("the charter has changed since this page was opened; reload it")
    hashed = _hash(address, settings.secret_key)
    with database.transaction() as session:
        for limit, window in ((PER_HOUR, dt.timedelta(hours=1)), (PER_DAY, dt.timedelta(days=1))):
            if records.sent_since(session, hashed, moment - window) >= limit:
                raise TooManyRequests(
                    f"thank you, but this address has sent {limit} ratings in the last "
                    f"{'hour' if window.days == 0 else 'day'}; please try again later",
                    retry_after=int(window.total_seconds()),
                )
        records.add_rating(session, version_id=version_id, section=section,
                           clear=answers["clear"], fair=answers["fair"], comment=said,
                           address_hash=hashed, created_at=moment)  # fmt: skip
    return Rated(section, heading, stored=True)


def _yes_no(field: str, value: str | None) -> bool | None:
    if value in (None, ""):
        return None
    if value in ("yes", "no"):
        return value == "yes"
    raise InvalidInput(f"{field}: {str(value)[:20]!r} is not yes or no",
                       [{"field": field, "problem": "not yes or no"}])  # fmt: skip


def _hash(address: str, secret: str) -> str:
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()
