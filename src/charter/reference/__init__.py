"""The generated reference pages, each written from the code it documents.

- ``python -m charter.reference.policy > docs/policy.md``: every field of the policy;
- ``python -m charter.reference.cli > docs/cli.md``: every command's ``--help``;
- ``python -m charter.reference.settings > docs/configuration.md``: every setting.

``make docs`` runs all three; a test fails when a committed page is stale.
"""
