"""Decisions that cite their clause: whether a return is allowed and what is refunded,
when an order is dispatched and delivered, and the deadlines of a complaint's stages,
each counted by the conventions the policy sets.

Pure: the typed policy, its calendars and the inputs in, plain values out, each naming
the clauses that decided it; the services record them.
"""
