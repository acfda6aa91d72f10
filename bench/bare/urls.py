from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path


def table(request: HttpRequest) -> HttpResponse:
    """Fifty rows from PostgreSQL in a template: the least a real page does."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, first_name, last_name, mrn, date_of_birth FROM patients_patient "
            "ORDER BY id LIMIT 50"
        )
        rows = cursor.fetchall()
    return render(request, "table.html", {"rows": rows})


urlpatterns = [path("", table)]
