"""Training staff on the policy: what a new version asks of each person, quizzes made
from the policy's own facts, deadlines and reminders, refreshers, learning records.

Pure: the policy and the hours engine in, plain values out; the store keeps what
people did and the services decide when to ask.
"""
