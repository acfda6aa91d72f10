"""Exercise drawings for other pages: a thumbnail for search results, a large picture with
tap-to-enlarge for patients.

    {% load exercise_pictures %}
    {% exercise_thumbnail exercise %}            a 96 px drawing beside a name (decorative)
    {% exercise_picture exercise %}              a large drawing, an Enlarge button and a dialog
    {% exercise_picture exercise suffix="2" %}   the same exercise twice on one page
    {% exercise_picture src=entry.illustration name=entry.item.name key=entry.item.id %}
                                                 a patient's snapshot (a data: URI drawing)

The large picture needs static/js/exercise-picture.js (opens the dialog) and
static/css/exercises.css on the page. Given an Exercise, the drawing is served by the library's
own view, which checks that the viewer may see it; a patient's program shows the drawing its
published version kept, so the portal passes that snapshot as `src`.
"""

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("exercises/_exercise_thumbnail.html")
def exercise_thumbnail(exercise: Any) -> dict[str, Any]:
    # A listed row (`for_listing()`) says whether it has a drawing without reading the drawing.
    has_drawing = getattr(exercise, "has_drawing", None)
    if has_drawing is None:
        has_drawing = bool(exercise.illustration_svg)
    return {"exercise": exercise, "has_drawing": has_drawing}


@register.inclusion_tag("exercises/_exercise_picture.html")
def exercise_picture(
    exercise: Any = None, *, src: str = "", name: str = "", key: Any = "", suffix: str = ""
) -> dict[str, Any]:
    if exercise is not None:
        if exercise.illustration_svg and not src:
            src = reverse("exercises:illustration", args=[exercise.pk])
        name, key = name or exercise.name, key or exercise.pk
    return {"src": src, "name": name, "dialog_id": f"exercise-picture-{key}{suffix}"}
