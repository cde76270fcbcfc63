"""The policy document: schema, YAML loading with line numbers, lint and diff."""

from charter.policy.diagnostic import Diagnostic
from charter.policy.loader import LoadedPolicy, load_policy, load_policy_bytes, load_policy_text
from charter.policy.schema import Policy

__all__ = [
    "Diagnostic",
    "LoadedPolicy",
    "Policy",
    "load_policy",
    "load_policy_bytes",
    "load_policy_text",
]
