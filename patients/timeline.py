"""Moved to `patients.hooks`. Kept only while assessments/ (being split by another change) still
imports the old path; delete it once nothing does (tests/test_architecture.py lists the importers).
"""

from patients.hooks import TimelineEntry, register_episode_panel, register_timeline

__all__ = ["TimelineEntry", "register_episode_panel", "register_timeline"]
