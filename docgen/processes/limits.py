"""The one time limit (and memory limit) on work docgen does for people it does not trust: a child process.

A template is a program its author wrote (Jinja loops), and a signal can
only interrupt the main thread, which a server's request thread is not, and
only between bytecodes, which one huge string operation is not. So work under
a limit runs in a child process (pebble), killed when it runs over
``seconds`` (raising ``OverTime``, an ordinary DocgenError a caller tells
apart by its type) and given an address-space limit of ``memory_bytes``
beyond what it started with (a MemoryError there, or the child killed by the
kernel, raises ``OverMemory``). The server's own process never holds what a
hostile fill allocates.

Work already running in such a child (a worker of ``workers.run``, or a call
of ``call``) runs inline: its process is already bounded.
"""

from __future__ import annotations

import multiprocessing
import resource
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as TaskTimeout

from pebble import ProcessExpired, ProcessPool

from docgen.errors import OverMemory, OverTime

MEMORY_BYTES = 1024 * 2**20  # beyond the child's size at its start; a plan's fill needs under 100 MB
_bounded_process = False  # True in a child that already runs under these limits


def call(function: Callable, args: tuple = (), seconds: float = 60.0, memory_bytes: int = MEMORY_BYTES,
         what: str = "the work"):
    """Return ``function(*args)`` run in a child process under the limits; its DocgenError is raised here.

    ``what`` names the work in the messages ("filling the template").
    """
    if _bounded_process:
        return function(*args)
    context = multiprocessing.get_context("forkserver" if threading.active_count() > 1 else "fork")
    with ProcessPool(max_workers=1, context=context, initializer=bound, initargs=(memory_bytes,)) as pool:
        future = pool.schedule(function, args=args, timeout=seconds)
        try:
            return future.result()
        except TaskTimeout:
            raise OverTime(f"{what} took longer than {seconds:g} seconds and was stopped", seconds) from None
        except (MemoryError, ProcessExpired):
            raise OverMemory(f"{what} needed more than {memory_bytes // 2**20:,} MB of memory and was stopped") \
                from None


def bound(memory_bytes: int) -> None:
    """In a child process: limit its address space to what it holds now plus ``memory_bytes``."""
    global _bounded_process
    _bounded_process = True
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:  # not Linux: the time limit still holds
        return
    limit = size + memory_bytes
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
