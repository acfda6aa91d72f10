"""The clinic admin's outcomes report: what the clinic achieves (docs/outcomes_report.md)."""
