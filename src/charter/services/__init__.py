"""Use cases: each function owns its transaction and calls pure code and the store.

The CLI and the web layer call these; they never query the database themselves.
"""
