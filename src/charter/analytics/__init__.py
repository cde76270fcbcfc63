"""Measuring the service against its policy: KPIs, trends and alerts, backtests of
draft promises, target recommendations, and pilot-against-control statistics."""
