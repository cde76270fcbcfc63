"""Figures as a person reads them live in ``charter.figures``; these names remain for the
dashboard service until it imports from there."""

from charter.figures import DURATION, SHARE
from charter.figures import number as format_number
from charter.figures import value as format_value

__all__ = ["DURATION", "SHARE", "format_number", "format_value"]
