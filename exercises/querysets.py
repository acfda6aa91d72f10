"""The library's querysets: who sees which rows, and the search in the clinic's words.

The database narrows the rows by any word or tag; `exercises.search` (pure) matches and ranks
them. Models are reached through `self.model` (and the app registry for the hidden rows), so this
module imports no model and `exercises.models` can import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import BooleanField, Case, ExpressionWrapper, Q, Value, When

from exercises import search

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


class LibraryQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User) -> Self:
        """Shared entries plus the user's clinic's own, without archived ones."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        shared = Q(clinic__isnull=True)
        if user.clinic_id is not None:
            shared |= Q(clinic_id=user.clinic_id)
        return self.filter(shared, archived_at__isnull=True)

    def readable_by(self, user: User) -> Self:
        """What a user may open: the visible library, plus archived own entries for admins."""
        visible = self.visible_to(user)
        if not user.is_authenticated or not user.is_clinic_admin or user.clinic_id is None:
            return visible
        return self.filter(
            Q(clinic__isnull=True, archived_at__isnull=True) | Q(clinic_id=user.clinic_id)
        )

    def editable_by(self, user: User) -> Self:
        """What a clinic admin may change: their own clinic's entries, archived ones included."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.is_clinic_admin or user.clinic_id is None:
            return self.none()
        return self.filter(clinic_id=user.clinic_id)


def _narrowing(words: list[str], tags: set[str], tag_fields: tuple[str, ...]) -> Q:
    """Rows that may match: any word in the indexed search text or a tag name, or a tag."""
    wanted = Q(pk__in=[])
    for word in words:
        wanted |= Q(search_text__contains=word)
        for name in tag_fields:
            wanted |= Q(**{f"{name}__name__icontains": word})
    for name in tag_fields:
        kind = {"regions": "region", "injuries": "injury", "equipment": "equipment"}[name]
        slugs = [t.split(":", 1)[1] for t in tags if t.startswith(f"{kind}:")]
        if slugs:
            wanted |= Q(**{f"{name}__slug__in": slugs})
    return wanted


def _words(phrases: list[str]) -> list[str]:
    return list(dict.fromkeys(w for p in phrases for w in p.split()[:1]))


_QS = TypeVar("_QS", bound=models.QuerySet[Any])


def _ranked(queryset: _QS, ids: list[int]) -> _QS:
    order = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)))
    return queryset.filter(pk__in=ids).order_by(order) if ids else queryset.none()


def _hidden_by(clinic_id: int) -> Any:
    hidden = apps.get_model("exercises", "HiddenExercise")
    return hidden.objects.filter(clinic_id=clinic_id).values("exercise_id")


def _document(row: Any, categories: dict[str, str]) -> search.SearchDocument:
    return search.SearchDocument(
        key=row.pk,
        name=row.name,
        aliases=list(row.aliases),
        tags=[f"region:{t.slug}" for t in row.regions.all()]
        + [f"injury:{t.slug}" for t in row.injuries.all()]
        + [f"equipment:{t.slug}" for t in row.equipment.all()]
        + [f"category:{row.category}"],
        tag_names=[t.name for t in (*row.regions.all(), *row.injuries.all())],
        category=categories.get(row.category, ""),
        equipment=[t.name for t in row.equipment.all()],
    )


# What no list of exercises shows (exercises/_exercise_results.html, the builder's search).
_NOT_LISTED = (
    "aliases",
    "search_text",
    "instructions",
    "cues",
    "common_mistakes",
    "precautions",
    "illustration_pose",
    "illustration_svg",
)


class ExerciseQuerySet(LibraryQuerySet):
    def visible_to(self, user: User) -> Self:
        """The library as the clinic uses it: shared rows the clinic hid are left out too."""
        visible = super().visible_to(user)
        if user is None or not user.is_authenticated or user.clinic_id is None:
            return visible
        return visible.exclude(pk__in=_hidden_by(user.clinic_id))

    def readable_by(self, user: User) -> Self:
        """Hidden shared rows can still be opened (a program may point at them) and unhidden."""
        readable = super().readable_by(user)
        if user is None or not user.is_authenticated or user.clinic_id is None:
            return readable
        hidden = self.filter(
            clinic__isnull=True, archived_at__isnull=True, pk__in=_hidden_by(user.clinic_id)
        )
        return readable | hidden

    def put_away_by(self, user: User) -> Self:
        """For a clinic admin's "show archived" filter: own archived rows and hidden shared ones."""
        if user is None or not user.is_authenticated or not user.is_clinic_admin:
            return self.none()
        if user.clinic_id is None:
            return self.none()
        return self.filter(
            Q(clinic_id=user.clinic_id, archived_at__isnull=False)
            | Q(clinic__isnull=True, archived_at__isnull=True, pk__in=_hidden_by(user.clinic_id))
        )

    def for_listing(self) -> Self:
        """Rows for a list of names (the library, the builder's search): without the steps, the
        search text and the drawing (a 3 KB SVG a row), with `has_drawing` for the picture."""
        return self.defer(*_NOT_LISTED).annotate(
            has_drawing=ExpressionWrapper(~Q(illustration_svg=""), output_field=BooleanField())
        )

    def search_candidates(self, text: str) -> Self:
        """Rows that may match: any word in the (trigram-indexed) search text, a tag or its name,
        or a category. A superset; `search()` ranks and filters it."""
        phrases, tags = search.candidate_terms(text)
        words = _words(phrases)
        categories = dict(self.model.Category.choices)
        return self.filter(
            _narrowing(words, tags, ("regions", "injuries", "equipment"))
            | Q(
                category__in=[t.split(":", 1)[1] for t in tags if t.startswith("category:")]
                + [v for v, label in categories.items() if any(w in label.lower() for w in words)]
            )
        )

    def search(self, text: str) -> Self:
        """Rows matching the query in the clinic's words, best first (exercises.search).

        The database narrows by any word or tag (trigram-indexed on PostgreSQL); the match and
        the order come from pure Python, the same on SQLite and PostgreSQL.
        """
        if not search.parse_query(text):
            return self
        tag_fields = ("regions", "injuries", "equipment")
        narrowed = self.model.objects.filter(
            pk__in=self.search_candidates(text).values("pk")
        ).prefetch_related(*tag_fields)
        categories = dict(self.model.Category.choices)
        documents = [_document(row, categories) for row in narrowed]
        return _ranked(self, [d.key for d in search.rank(documents, text)])


class ModalityQuerySet(LibraryQuerySet):
    def search(self, text: str) -> Self:
        """Modalities in the clinic's words ("ice" → the cold modalities), best first."""
        if not search.parse_query(text):
            return self
        phrases, tags = search.candidate_terms(text)
        kinds = [t.split(":", 1)[1] for t in tags if t.startswith("modality:")]
        wanted = Q(kind__in=kinds)
        for word in _words(phrases):
            wanted |= Q(name__icontains=word)
        labels = dict(self.model.Kind.choices)
        documents = [
            search.SearchDocument(
                key=row.pk,
                name=row.name,
                tags=[f"modality:{row.kind}"],
                category=labels.get(row.kind, ""),
            )
            for row in self.filter(wanted)
        ]
        return _ranked(self, [d.key for d in search.rank(documents, text)])
