"""A paginator that does not count: for logs of millions of rows (the audit log), where
"page 3 of 94,164" costs a count over every row in scope on each request and tells the reader
nothing a "next" link does not. A page reads one row more than it shows to know whether there
is a next one. (The Django admin's ``show_full_result_count`` answers the same cost.)"""

from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator


class UncountedPage(Page):
    def __init__(self, object_list: Any, number: int, paginator: Any, has_more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        return self._has_more

    def next_page_number(self) -> int:
        if not self._has_more:
            raise InvalidPage("That page contains no results")
        return self.number + 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class UncountedPaginator(Paginator):
    """``count`` and ``num_pages`` are None: templates show "page N" with previous and next."""

    @property
    def count(self) -> Any:
        return None

    @property
    def num_pages(self) -> Any:
        return None

    def validate_number(self, number: Any) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise InvalidPage("That page number is not an integer") from exc
        if number < 1:
            raise InvalidPage("That page number is less than 1")
        return number

    def get_page(self, number: Any) -> UncountedPage:
        try:
            return self.page(number)
        except InvalidPage:
            return self.page(1)

    def page(self, number: Any) -> UncountedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise InvalidPage("That page contains no results")
        return UncountedPage(rows[: self.per_page], number, self, len(rows) > self.per_page)
