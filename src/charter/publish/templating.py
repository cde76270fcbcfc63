"""The Jinja2 environment of the charter's pages, shared by the web and the exports.

The templates the web pages and the exports both render live in publish's
``templates/site``: the page shell (``_page.html``), the public charter
(``public/charter.html`` and its parts), the handbook document and its printed form
(``handbook/``) and the PDF (``export/document.html``); their stylesheets are in
``STATIC``. ``environment`` builds an environment over them with the globals they use
(``link``, from ``charter.publish.links``; ``instant``, from ``charter.figures``; and
``layout``, the shell a full page extends). The static site and the PDF render with
``environment()``; the web calls it too, with its own templates first and its own
shell, so a page and its export render from the same files with the same globals.

>>> env = environment()
>>> env.globals["layout"], str(env.globals["link"]("javascript:alert(1)", "Our site"))
('_page.html', 'Our site')
>>> "<b>" in env.from_string("{{ text }}").render(text="<b>")
False
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from charter import figures
from charter.publish.links import link

TEMPLATES = Path(__file__).parent / "templates" / "site"
STATIC = Path(__file__).parent / "static"
LAYOUT = "_page.html"


def environment(*first: jinja2.BaseLoader, layout: str = LAYOUT) -> jinja2.Environment:
    """An environment over the shared templates, searched after the loaders in ``first``."""
    loader = jinja2.ChoiceLoader([*first, jinja2.FileSystemLoader(TEMPLATES)])
    env = jinja2.Environment(loader=loader, autoescape=jinja2.select_autoescape())
    env.globals["link"] = link  # every href built from data: charter.publish.links
    env.globals["layout"] = layout
    env.globals["instant"] = figures.instant  # every instant a person reads: charter.figures
    return env
