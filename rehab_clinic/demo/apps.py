from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data: `manage.py seed_demo`. No models; the one module allowed to import every
    app (tests/test_architecture.py)."""

    name = "rehab_clinic.demo"
    label = "demo"
