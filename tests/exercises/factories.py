"""Moved to tests/factories.py. Re-exported only so branches written before the move still
import; nothing in this tree imports it (tests/test_test_infrastructure.py)."""

from tests.factories import ExerciseFactory, ModalityFactory

__all__ = ["ExerciseFactory", "ModalityFactory"]
