"""Moved to tests/builders.py. Re-exported only so branches written before the move still
import; nothing in this tree imports it (tests/test_test_infrastructure.py)."""

from tests.builders import check_in, log_run, make_plan, protocol

__all__ = ["check_in", "log_run", "make_plan", "protocol"]
