"""The documented value tables of each source (docs/importing.md states each rule).

Keys are compared in lower case; a mapping file's ``values:`` entries take precedence.

>>> FRESHDESK_STATUS["4"], ZENDESK_STATUS["hold"], FRESHDESK_SATISFACTION["-101"]
('solved', 'on_hold', '2')
"""

from __future__ import annotations

from typing import Final

CANONICAL_STATUS: Final = {s: s for s in ("new", "open", "pending", "on_hold", "solved", "closed")}
CANONICAL_PRIORITY: Final = {p: p for p in ("low", "normal", "high", "urgent")}
CSAT_5: Final = {str(n): str(n) for n in range(1, 6)}
# A 1-10 rating becomes ceil(rating / 2): 1-2 → 1, 3-4 → 2, 5-6 → 3, 7-8 → 4, 9-10 → 5.
CSAT_10: Final = {str(n): str((n + 1) // 2) for n in range(1, 11)}

# Zendesk: statuses are words; `hold` (`On-hold` in the CSV export) is on hold; `deleted`
# rows are rejected.
ZENDESK_STATUS: Final = {**CANONICAL_STATUS, "hold": "on_hold", "on-hold": "on_hold"}
ZENDESK_DELETED: Final = "deleted"
# Custom statuses belong to a status category, one of the system statuses.
ZENDESK_CATEGORY: Final = {"new": "new", "open": "open", "pending": "pending",
                           "hold": "on_hold", "solved": "solved"}  # fmt: skip
ZENDESK_PRIORITY: Final = dict(CANONICAL_PRIORITY)
ZENDESK_NULL_PRIORITY: Final = "normal"  # Zendesk leaves priority empty unless someone sets it
# `via.channel`: the "ticket created by" values of Zendesk's via types; a via id (a
# number) is read through the same table. Anything else is `other`.
ZENDESK_CHANNEL: Final = {
    "email": "email", "mail": "email", "4": "email",
    "web": "web", "web_form": "web", "0": "web", "web_widget": "web", "help_center": "web",
    "mobile_sdk": "web", "mobile": "web", "dropbox": "web", "17": "web", "batch": "web",
    "api": "api", "web_service": "api", "5": "api",
    "voice": "phone", "phone_call_inbound": "phone", "phone_call_outbound": "phone",
    "voicemail": "phone", "33": "phone", "34": "phone", "35": "phone",
    "chat": "chat", "29": "chat", "native_messaging": "chat", "messaging": "chat",
    "sms": "sms", "text_message": "sms",
    "twitter": "social", "facebook": "social", "instagram_dm": "social", "whatsapp": "social",
}  # fmt: skip
# CSAT: good is the top of the 1-5 scale, bad the bottom; offered/unoffered are no rating.
ZENDESK_CSAT: Final = {"good": "5", "bad": "1", "offered": "", "unoffered": "",
                       "not offered": ""}  # fmt: skip

# Freshdesk: numeric codes; the codes decide, never the label fields beside them.
FRESHDESK_STATUS: Final = {"2": "open", "3": "pending", "4": "solved", "5": "closed"}
FRESHDESK_PRIORITY: Final = {"1": "low", "2": "normal", "3": "high", "4": "urgent"}
FRESHDESK_SOURCE: Final = {"1": "email", "2": "web", "3": "phone", "7": "chat", "9": "web",
                           "10": "email"}  # fmt: skip
OTHER_CHANNEL: Final = "other"
# Satisfaction: 103 extremely happy … -103 extremely unhappy onto 1-5; the two "happy"
# grades share 4 and the two "unhappy" grades share 2, so 5 and 1 stay the extremes.
FRESHDESK_SATISFACTION: Final = {"103": "5", "102": "4", "101": "4", "100": "3",
                                 "-101": "2", "-102": "2", "-103": "1"}  # fmt: skip

# Freshdesk's CSV export writes the labels of the same codes.
FRESHDESK_STATUS_LABEL: Final = {"open": "open", "pending": "pending", "resolved": "solved",
                                 "closed": "closed"}  # fmt: skip
FRESHDESK_PRIORITY_LABEL: Final = {"low": "low", "medium": "normal", "high": "high",
                                   "urgent": "urgent"}  # fmt: skip
FRESHDESK_SOURCE_LABEL: Final = {"email": "email", "portal": "web", "phone": "phone",
                                 "chat": "chat", "feedback widget": "web",
                                 "outbound email": "email"}  # fmt: skip
FRESHDESK_SATISFACTION_LABEL: Final = {
    "extremely happy": "5", "very happy": "4", "happy": "4", "neutral": "3",
    "unhappy": "2", "very unhappy": "2", "extremely unhappy": "1",
}  # fmt: skip
