"""Moved to tests/builders.py. Re-exported only so branches written before the move still
import; nothing in this tree imports it (tests/test_test_infrastructure.py)."""

from tests.builders import LEFS_50, daily, intake

__all__ = ["LEFS_50", "daily", "intake"]
