"""Lists page: one page of a list at a time, the same way on every list page."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def page_of(request, items, *, per_page: int = PAGE_SIZE) -> Page:
    """The page of `items` that the request's `page` parameter asks for (bad numbers: the
    first or last page, never an error)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
