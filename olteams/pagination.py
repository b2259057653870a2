"""The list pages' paging and query-string helpers: one page parameter, one way to keep the
filters in the links of the pager, the sort headers and the export buttons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict

PAGE_PARAM = "pagina"
PAGE_SIZE = 50


def paginate(request: HttpRequest, rows: Any, *, per_page: int = PAGE_SIZE) -> Page:
    """The page of ``rows`` the request asks for (``?pagina=``); a page out of range or not a
    number gives the last or the first page, never an error."""
    return Paginator(rows, per_page).get_page(request.GET.get(PAGE_PARAM))


def query_without(params: QueryDict, *names: str) -> str:
    """The query string without ``names`` (the page parameter when none are named), for links
    that keep the filters."""
    query = params.copy()
    for name in names or (PAGE_PARAM,):
        query.pop(name, None)
    return query.urlencode()


def sort_links(
    params: QueryDict, columns: Sequence[tuple[str, str]], key: str = "sorteer"
) -> list[dict[str, str]]:
    """Column headers that toggle ascending/descending sort, with aria-sort for screen readers."""
    current = params.get(key, "")
    links = []
    for name, label in columns:
        ascending = current == name
        descending = current == f"-{name}"
        query = params.copy()
        query.pop(PAGE_PARAM, None)
        query[key] = f"-{name}" if ascending else name
        links.append(
            {
                "label": label,
                "query": query.urlencode(),
                "aria_sort": "ascending" if ascending else "descending" if descending else "none",
            }
        )
    return links
