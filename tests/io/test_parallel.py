"""The import's worker process: order, errors, stopping, and when it is (not) used."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator

import pytest

from zhenxing.core.errors import DomainError
from zhenxing.io.parallel import WorkerFailed, import_workers, in_this_process, ordered_map


def numbered(count: int) -> Iterator[int]:
    """A generator, like a reader: the worker carries on from where this process left it."""
    yield from range(count)


def test_chunks_come_back_in_order_the_first_mapped_here_the_rest_in_one_worker() -> None:
    mapped = list(ordered_map(lambda n: (n * n, os.getpid()), numbered(40), workers=1))
    assert [value for value, _pid in mapped] == [n * n for n in range(40)]
    here, *rest = [pid for _value, pid in mapped]
    assert here == os.getpid()
    assert len(set(rest)) == 1 and rest[0] != os.getpid()
    assert not multiprocessing.active_children()


def test_without_workers_everything_is_mapped_here() -> None:
    pids = {pid for _n, pid in ordered_map(lambda n: (n, os.getpid()), range(5), workers=0)}
    assert pids == {os.getpid()}


def test_a_file_of_one_chunk_never_starts_a_worker() -> None:
    assert list(ordered_map(lambda n: os.getpid(), [1], workers=1)) == [os.getpid()]
    assert list(ordered_map(lambda n: n, [], workers=1)) == []


def test_a_domain_error_in_the_worker_is_raised_here_with_its_message_and_code() -> None:
    def unreadable_at_three(n: int) -> int:
        if n == 3:
            raise DomainError("The file cannot be read.", code="file_unreadable", field="file")
        return n

    seen = []
    with pytest.raises(DomainError) as caught:
        for value in ordered_map(unreadable_at_three, numbered(8), workers=1):
            seen.append(value)
    assert seen == [0, 1, 2]
    assert (str(caught.value.message), caught.value.code, caught.value.field) == (
        "The file cannot be read.",
        "file_unreadable",
        "file",
    )
    assert not multiprocessing.active_children()


def test_an_unexpected_error_in_the_worker_carries_its_traceback() -> None:
    def broken(n: int) -> int:
        if n == 2:
            raise ValueError("no such column")
        return n

    with pytest.raises(WorkerFailed, match="ValueError: no such column"):
        list(ordered_map(broken, numbered(5), workers=1))


def test_a_worker_that_dies_without_a_word_is_noticed() -> None:
    def dies(n: int) -> int:
        if n == 2:
            os._exit(3)
        return n

    with pytest.raises(WorkerFailed, match="without a word"):
        list(ordered_map(dies, numbered(5), workers=1))
    assert not multiprocessing.active_children()


def test_stopping_early_stops_the_worker() -> None:
    mapped = ordered_map(lambda n: n, numbered(100_000), workers=1)
    assert [next(mapped), next(mapped), next(mapped)] == [0, 1, 2]
    assert multiprocessing.active_children()
    mapped.close()
    assert not multiprocessing.active_children()


def test_the_setting_and_in_this_process_decide_whether_a_worker_is_used(settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_WORKERS = 1
    assert import_workers() == 1
    with in_this_process():
        assert import_workers() == 0
    assert import_workers() == 1
    settings.IMPORT_WORKERS = 0
    assert import_workers() == 0
