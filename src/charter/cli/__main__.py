"""``python -m charter.cli``: the same as the ``charter`` command."""

from charter.cli.app import main

main()
