"""Demo data for this app, called by `manage.py seed_demo` after clinics and patients exist."""


def seed_demo() -> None:
    """Nothing yet: this app adds its demo records when its features land."""
