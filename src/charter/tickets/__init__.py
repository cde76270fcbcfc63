"""The canonical ticket and event tables, importers, and synthetic history."""
