"""Reading and checking an import's rows in another process while this one writes them.

A large import is two kinds of work: reading the file and parsing, checking, encrypting and
hashing each row (pure Python, no database), and binding and writing the rows (queries and
COPY/INSERT). One process does them one after the other and leaves the second core idle.
``ordered_map`` hands the first kind to a worker process: it reads the rest of the file and
maps each chunk of rows, while this process writes the chunks already mapped, in order.

The worker is forked where the caller stands: it inherits the reader (the open file and how
far it got), the function (a closure over the import's spec, its lookup tables and the active
language) and everything they refer to, so nothing but the mapped chunks crosses the process
boundary, pickled, through a bounded queue (memory stays flat however large the file). The
function must not use the database: a forked child shares its parent's connections. This
process must not read the source after the fork: the child reads it from there on.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings

from zhenxing.core.errors import DomainError

T = TypeVar("T")
R = TypeVar("R")

#: How long the reading side waits for a chunk before checking that the worker is alive.
_POLL_SECONDS = 1.0


def import_workers() -> int:
    """Whether a large import reads and checks in a worker process: ``IMPORT_WORKERS`` (0 or
    1), by default 1 on a machine with more than one core; never ``in_this_process``."""
    if not _MAY_FORK.get():
        return 0
    return min(1, max(0, int(settings.IMPORT_WORKERS)))


_MAY_FORK: ContextVar[bool] = ContextVar("import_may_fork", default=True)


@contextmanager
def in_this_process() -> Iterator[None]:
    """Imports started inside keep all their work in this process: for a small upload
    imported at once by a web server, which runs other threads. A fork copies only the
    forking thread, and a lock another thread held at that instant would stay held in the
    child forever. Background imports run in the task worker, a single thread."""
    token = _MAY_FORK.set(False)
    try:
        yield
    finally:
        _MAY_FORK.reset(token)


class WorkerFailed(RuntimeError):
    """The worker process stopped on an unexpected error; its traceback is the message."""


def ordered_map(
    function: Callable[[T], R], chunks: Iterable[T], *, workers: int, ahead: int = 4
) -> Generator[R, None, None]:
    """``map(function, chunks)``, the chunks after the first read and mapped in a worker.

    The first chunk is done here: a file of one chunk (a village's sheet) never starts a
    process. A ``DomainError`` raised in the worker (a file found unreadable halfway) is raised
    here, with its message and code; any other error as ``WorkerFailed``. Closing the
    iterator early stops the worker.
    """
    source = iter(chunks)
    first = next(source, None)
    if first is None:
        return
    yield function(first)
    if workers <= 0:
        yield from map(function, source)
        return
    context = multiprocessing.get_context("fork")
    results: Any = context.Queue(maxsize=ahead)
    # One worker, not a pool: this process already keeps a core busy writing, and a second
    # worker (one reading, one checking) measured slower on two cores than one doing both.
    worker = context.Process(
        target=_produce, args=(function, source, results), name="import-worker", daemon=True
    )
    worker.start()
    try:
        yield from _received(results, worker)
        worker.join()
    finally:
        if worker.is_alive():
            worker.terminate()
            worker.join()
        results.close()
        results.cancel_join_thread()


def _received(channel: Any, worker: Any) -> Iterator[Any]:
    """The chunks the worker sends until it is done; its errors raised here (``_produce``)."""
    while True:
        try:
            kind, value = channel.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            if worker.is_alive():
                continue
            try:  # what it sent just before it ended may have arrived since
                kind, value = channel.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                raise WorkerFailed("the import worker stopped without a word") from None
        if kind == "chunk":
            yield value
        elif kind == "done":
            return
        elif kind == "domain":
            message, code, field = value
            raise DomainError(message, code=code, field=field)
        else:
            raise WorkerFailed(value)


def _produce(function: Callable[[T], R], source: Iterator[T], results: Any) -> None:
    """The worker: map every remaining chunk, in order, then say it is done."""
    try:
        for chunk in source:
            results.put(("chunk", function(chunk)))
    except DomainError as exc:
        results.put(("domain", (str(exc.message), exc.code, exc.field)))
    except BaseException:
        import traceback

        results.put(("error", traceback.format_exc()))
    else:
        results.put(("done", None))
    results.close()
    results.join_thread()
