"""Check-in surge benchmark: see __main__.py (`python -m benchmarks.checkin --small`)."""
