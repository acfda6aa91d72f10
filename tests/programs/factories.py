"""Moved to tests/factories.py (ProgramExerciseFactory, HomeModalityFactory) and
tests/builders.py (make_program). Re-exported only so branches written before the move still
import; nothing in this tree imports it (tests/test_test_infrastructure.py)."""

from tests.builders import make_program
from tests.factories import HomeModalityFactory as ModalityFactory
from tests.factories import ProgramExerciseFactory as ExerciseFactory

__all__ = ["ExerciseFactory", "ModalityFactory", "make_program"]
