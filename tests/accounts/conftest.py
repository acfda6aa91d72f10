"""The broker fixtures of the PDF tests, for the account emails that go through the outbox too."""

from tests.programs.documents.conftest import broker_down, eager_celery  # noqa: F401
