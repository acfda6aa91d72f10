"""Joins the two branches of programs migrations built side by side (home programs, return to run)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_home_programs"),
        ("programs", "0001_return_to_run_rtr"),
    ]

    operations = []
