"""Listening: themes in what customers and staff write, tied to the policy's clauses,
and the figures a review reads.

Pure: texts and the policy in, plain values out; the store keeps the comments and the
managers' edits, the services decide when to recompute.
"""
