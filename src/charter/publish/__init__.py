"""Renderers that turn Charter's results into documents people read.

``charter.publish.report`` builds a self-contained HTML report (inline CSS, charts as
inline SVG drawn by ``charter.publish.svg``, no network) from a small document model:
sections of paragraphs, verdicts, tables and charts.
"""
