"""Redraw stored drawings so their labels follow each exercise's own dose.

A drawing borrowed from a held exercise kept its "Hold" label on a 3 x 10 exercise. The pose is
unchanged; only the SVG is redrawn. A pose the renderer no longer accepts keeps its old SVG.
"""

from typing import Any

from django.db import migrations


def redraw(apps: Any, schema_editor: Any) -> None:
    from exercises.illustration import PoseError, render_pose_spec

    exercise_model = apps.get_model("exercises", "Exercise")
    for exercise in exercise_model.objects.exclude(illustration_pose={}).iterator():
        try:
            svg = render_pose_spec(
                exercise.name,
                exercise.illustration_pose,
                hold_seconds=exercise.hold_seconds,
                reps=exercise.reps,
                dosed=True,
            )
        except (PoseError, TypeError, ValueError):
            continue
        if svg != exercise.illustration_svg:
            exercise.illustration_svg = svg
            exercise.save(update_fields=["illustration_svg"])


class Migration(migrations.Migration):
    dependencies = [("exercises", "0003_hidden_exercise")]

    operations = [migrations.RunPython(redraw, migrations.RunPython.noop)]
