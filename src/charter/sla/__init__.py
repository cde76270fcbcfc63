"""Service levels applied to a ticket table: rules, metrics, statuses, escalations."""
