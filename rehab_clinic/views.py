"""Project-level views: the role-based landing page and the health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_safe

from rehab_clinic.accounts.decorators import any_role, public
from rehab_clinic.accounts.requests import AuthedRequest
from rehab_clinic.celery import app as celery_app


@any_role
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.is_patient:
        return redirect("portal:home")
    if user.is_clinic_admin:
        return redirect("accounts:admin_home")
    return redirect("patients:today")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:
        return False


def _broker_state() -> str:
    if celery_app.conf.task_always_eager:
        return "in-process"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        return "unreachable"


@public
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database = "ok" if _database_ok() else "unreachable"
    broker = _broker_state()
    healthy = database == "ok" and broker != "unreachable"
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
