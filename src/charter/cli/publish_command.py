"""``charter publish``: the published charter as a static site and as a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from charter.cli._output import out, reporting
from charter.cli._store import open_store
from charter.errors import UsageError
from charter.services.publishing import export_pdf, export_site


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)


def publish(
    site: Annotated[
        Path | None, typer.Option("--out", help="Write the static site into this folder.")
    ] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write a PDF to this file.")] = None,
    handbook: Annotated[bool, typer.Option(help="Include the staff handbook in the PDF.")] = True,
) -> None:
    """Export the published charter: a static site (--out) and/or a PDF (--pdf).

    charter publish --out site/ --pdf charter.pdf

    The site holds index.html (the public charter), handbook.html (the staff handbook,
    for an intranet) and their stylesheets, and works from files. The PDF holds the
    charter and the handbook (--no-handbook for the charter alone) with a contents
    page and the version and content hash in every footer.
    """
    with reporting():
        if site is None and pdf is None:
            raise UsageError("say what to write: --out FOLDER for the site, --pdf FILE, or both")
        database = open_store()
        try:
            if site is not None:
                written = export_site(database, site)
                out.print(f"Wrote {len(written)} files into {site}/ (open {site / 'index.html'}).")
            if pdf is not None:
                pdf.write_bytes(export_pdf(database, handbook=handbook))
                out.print(f"Wrote {pdf} ({pdf.stat().st_size:,} bytes).")
        finally:
            database.dispose()
