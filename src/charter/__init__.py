"""Charter: a customer service policy as data, applied, measured and improved."""

__version__ = "0.1.0"
