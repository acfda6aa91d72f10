"""Pages of a list whose rows grow with the clinic, with a count that costs no scan.

`page_of` counts at most a look-ahead past the page asked for (``COUNT(*)`` over a ``LIMIT``),
so a list of 300,000 audit events counts 1,050 rows on its first page and says "more than";
every list page reads its page's rows and a bounded count, whatever the clinic's size. The
links keep the list's filters (`query`, the request's query string without ``page``).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

if TYPE_CHECKING:
    _Paginator = Paginator[Any]  # generic in the stubs only; Django's class takes no parameter
else:
    _Paginator = Paginator

__all__ = ["BoundedPaginator", "page_of", "query_without_page"]

LOOK_AHEAD = 1000
_MAX_PAGE = 100_000


def _page_number(value: Any) -> int:
    try:
        return min(max(int(value), 1), _MAX_PAGE)
    except (TypeError, ValueError):
        return 1


class BoundedPaginator(_Paginator):
    """A paginator that counts no further than `look_ahead` rows past the asked-for page;
    `capped` says the real count is larger (the last page shown is then not the last)."""

    def __init__(
        self, object_list: Any, per_page: int, *, asked: int = 1, look_ahead: int | None = None
    ) -> None:
        super().__init__(object_list, per_page)
        self.limit = asked * per_page + (LOOK_AHEAD if look_ahead is None else look_ahead)
        self.capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # How many rows there are does not depend on their order: without it the database
            # stops at the limit instead of sorting every matching row first.
            rows = rows.order_by()
        rows = rows[: self.limit + 1]
        n = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
        self.capped = n > self.limit
        return int(n)


def page_of(request: HttpRequest, rows: Any, per_page: int) -> Page[Any]:
    """The page `?page=` asks for (the last one counted if it asks beyond, the first if it is
    not a number)."""
    asked = _page_number(request.GET.get("page"))
    return BoundedPaginator(rows, per_page, asked=asked).get_page(asked)


def query_without_page(request: HttpRequest) -> str:
    """The list's filters, for its page links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
