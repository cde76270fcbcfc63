"""Server-rendered HTML pages; each module exposes a ``router``."""
