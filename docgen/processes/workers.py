"""Run many tasks in worker processes, each under a time limit: one stuck or crashing task never stops the rest.

A batch of 400 districts, or a region's download in the web app, must finish
even if one workbook makes the builders loop or a worker dies. pebble's
process pool gives each task its own time limit and replaces a worker that
ran over it or crashed; what went wrong comes back as a Failed result in that
task's place.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import TimeoutError as TaskTimeout
from dataclasses import dataclass
from typing import TypeVar

from pebble import ProcessExpired, ProcessPool

from docgen.errors import DocgenError, OverTime
from docgen.processes import limits

TASK_SECONDS = 60  # a district takes well under a second; a minute means it is stuck
TASK_MEMORY = 2 * 2**30  # beyond a worker's size at its start; a district's documents need under 200 MB


@dataclass(frozen=True)
class Failed:
    """The outcome of a task that ran over its time limit, crashed its worker, or raised.

    ``error`` is what stopped it, when docgen knows (an OverTime for a task stopped at its time limit)."""

    message: str
    error: DocgenError | None = None


T = TypeVar("T")


def run(function: Callable[..., T], tasks: Sequence[tuple], jobs: int | None = None,
        time_limit: float = TASK_SECONDS, context: str | None = None) -> Iterator[T | Failed]:
    """Yield ``function(*task)`` for each task, in order, or a Failed in its place.

    ``jobs`` worker processes share the tasks (default: one per CPU);
    ``context`` is a multiprocessing start method ("forkserver" from a
    threaded server, where forking is unsafe; default: the platform's).
    Each worker runs under limits.bound's memory limit, so that the
    template fills in a task run inline (limits.call) under the task's limits.
    """
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    with ProcessPool(max_workers=jobs, context=multiprocessing.get_context(context), initializer=limits.bound,
                     initargs=(TASK_MEMORY,)) as pool:
        outcomes = pool.map(_call, [(function, task) for task in tasks], timeout=time_limit, chunksize=1).result()
        for _ in tasks:
            try:
                yield next(outcomes)
            except StopIteration:
                return
            except TaskTimeout:
                message = (f"took longer than {time_limit:g} seconds and was stopped; please report it with this "
                           "workbook")
                yield Failed(message, OverTime(message, time_limit))
            except ProcessExpired as exc:
                yield Failed(f"the worker building it stopped unexpectedly (exit code {exc.exitcode}); please report "
                             "it with this workbook")
            except Exception as exc:  # noqa: BLE001 - one task's bug must not stop the others
                yield Failed(f"internal error ({type(exc).__name__}: {exc}); please report it with this workbook")


def _call(job: tuple[Callable, tuple]):
    function, task = job
    return function(*task)
