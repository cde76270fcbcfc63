"""Request and response schemas of the JSON API (never the tables)."""
