"""Vendor the policy editor's code editor (CodeMirror 5 and its YAML mode) into the package.

Downloads one pinned version from the npm registry, checks the tarball against the
integrity hash the registry publishes for that version (and that this script pins, so
a changed tarball is refused), and copies only the files the editor needs, with the
licence, into ``src/charter/web/static/vendor/codemirror/``. The files are committed:
the server never loads anything from the network, and installing Charter needs no npm.

Run it again only to move to another version (change ``VERSION`` and ``INTEGRITY``)::

    python scripts/vendor_codemirror.py
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "5.65.18"
INTEGRITY = (
    "sha512-Gaz4gHnkbHMGgahNt3CA5HBk5lLQBqmD/"
    "pBgeB4kQU6OedZmqMBjlRF0LSrp2tJ4wlLNPm2FfaUd1pDy0mdlpA=="
)
REGISTRY = "https://registry.npmjs.org/codemirror"
# Where each needed file is in the package, and its name in the vendored folder.
FILES = {
    "package/lib/codemirror.js": "codemirror.js",
    "package/lib/codemirror.css": "codemirror.css",
    "package/mode/yaml/yaml.js": "yaml.js",
    "package/LICENSE": "LICENSE",
}
TARGET = Path(__file__).resolve().parent.parent / "src/charter/web/static/vendor/codemirror"


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as answer:  # noqa: S310 - a fixed https URL
        return bytes(answer.read())


def _check(tarball: bytes, integrity: str) -> None:
    """Refuse a tarball whose SHA-512 is not the one the registry and this script name."""
    algorithm, _, expected = integrity.partition("-")
    found = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if found != expected:
        raise SystemExit(f"codemirror {VERSION}: the tarball's {algorithm} is {found}, "
                         f"not the published {expected}; nothing was copied")  # fmt: skip


def main() -> int:
    meta = json.loads(_get(f"{REGISTRY}/{VERSION}"))
    published = meta["dist"]["integrity"]
    if published != INTEGRITY:
        raise SystemExit(
            f"codemirror {VERSION}: the registry now publishes integrity {published}, "
            f"not the pinned {INTEGRITY}; nothing was copied"
        )
    tarball = _get(meta["dist"]["tarball"])
    _check(tarball, INTEGRITY)
    TARGET.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member, name in FILES.items():
            source = archive.extractfile(member)
            if source is None:
                raise SystemExit(f"codemirror {VERSION}: {member} is not in the tarball")
            (TARGET / name).write_bytes(source.read())
    (TARGET / "VERSION").write_text(f"codemirror {VERSION} from {REGISTRY} ({INTEGRITY})\n")
    sys.stdout.write(f"copied {', '.join(FILES.values())} of codemirror {VERSION} to {TARGET}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
