"""Demo data for this app, called by `manage.py seed_demo` after clinics and patients exist."""

from exercises.transfer import load_shared_library


def seed_demo() -> None:
    """Load (or refresh) the shared exercise and modality library. Idempotent."""
    load_shared_library()
