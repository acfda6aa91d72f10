"""Exercise drawings for other pages: a thumbnail for search results, a large picture with
tap-to-enlarge for patients.

    {% load exercise_pictures %}
    {% exercise_thumbnail exercise %}            a 96 px drawing beside a name (decorative)
    {% exercise_picture exercise %}              a large drawing, an Enlarge button and a dialog
    {% exercise_picture exercise suffix="2" %}   the same exercise twice on one page

The large picture needs static/js/exercise-picture.js (opens the dialog) and
static/css/exercises.css on the page. Both take anything with `pk`, `name` and
`illustration_svg` (an Exercise); the drawing is served by the library's own view, which checks
that the viewer may see the exercise.
"""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("exercises/_exercise_thumbnail.html")
def exercise_thumbnail(exercise: Any) -> dict[str, Any]:
    return {"exercise": exercise}


@register.inclusion_tag("exercises/_exercise_picture.html")
def exercise_picture(exercise: Any, suffix: str = "") -> dict[str, Any]:
    return {"exercise": exercise, "dialog_id": f"exercise-picture-{exercise.pk}{suffix}"}
