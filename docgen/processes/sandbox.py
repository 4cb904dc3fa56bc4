"""Run an outside program (LibreOffice) in a box: no network, bounded memory and CPU, killed whole at its deadline.

LibreOffice opens documents people designed, and a document can ask it to
fetch what it links to (a picture by URL, a remote template) or hold it busy
forever. So every call:

- runs in its own network namespace with no interface but a downed loopback
  (``unshare --net`` as root, ``unshare -rn`` through a user namespace
  otherwise): nothing it fetches reaches any host. Where neither works, it runs
  with the network and ``network_notice()`` says so, for the operator;
- runs in its own session and process group, so that at the deadline the whole
  group (the ``soffice`` wrapper, ``oosplash``, ``soffice.bin`` and anything
  they started) is killed at once, and nothing is left waiting on pipes an
  orphan still holds: output goes to a file, never a pipe;
- has address-space, CPU-time, file-size and core-dump limits (util-linux's
  ``prlimit`` before it starts; ``setrlimit`` in the child where prlimit is
  missing), so a picture built to decode to gigabytes fails in LibreOffice,
  not in the server;
- has its HOME and temporary folder inside the caller's private folder, and
  sees the folders the caller names as ``hidden`` (the server's data folder,
  with its database) as empty: an empty file system is mounted over each in
  its own mount namespace, where the system allows one.
"""

from __future__ import annotations

import logging
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# mounts an empty file system over each argument before "--", then runs what follows it
_HIDE = 'while [ "$1" != "--" ]; do mount -t tmpfs -o size=16k,mode=000 docgen "$1" || exit 97; shift; done; shift; '
MEMORY_BYTES = 2 * 2**30  # address space; LibreOffice converting a plan maps about 600 MB
FILE_BYTES = 512 * 2**20  # the largest file it may write (a plan's PDF is a few MB)
_log = logging.getLogger("docgen.sandbox")
_probing = threading.Lock()


@dataclass(frozen=True)
class Outcome:
    """How a boxed program ended: its exit status (None when killed at the deadline) and what it printed."""

    returncode: int | None
    output: str

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


def network_wrapper() -> tuple[str, ...]:
    """Return the command prefix that runs a program with no network, or () when this system offers none."""
    with _probing:  # conversions start in several threads at once; the system is asked once
        return _network_wrapper()


def hiding_wrapper() -> tuple[str, ...]:
    """Return the command prefix that runs a program with no network in its own mount namespace, or ()."""
    with _probing:
        return _hiding_wrapper()


@lru_cache(maxsize=1)
def _hiding_wrapper() -> tuple[str, ...]:
    network = _network_wrapper()
    if not network:
        return ()
    prefix = (*network, "--mount") if network[-1] == "--net" else (network[0], "-rnm")
    with tempfile.TemporaryDirectory(prefix="docgen-probe-") as probe:
        try:
            done = subprocess.run([*prefix, "sh", "-c", _HIDE + "true", "sh", probe, "--"], capture_output=True,
                                  timeout=10)
        except (OSError, subprocess.SubprocessError):
            return ()
    return prefix if done.returncode == 0 else ()


@lru_cache(maxsize=1)
def _network_wrapper() -> tuple[str, ...]:
    unshare = shutil.which("unshare")
    if not unshare:
        return ()
    for prefix in ((unshare, "--net"), (unshare, "-rn")):  # as root; through a user namespace otherwise
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.SubprocessError):
            continue
    return ()


def network_notice() -> str:
    """Return what the operator must know when conversions cannot be cut off from the network ("" when they are)."""
    if network_wrapper():
        return ""
    return ("LibreOffice runs WITH network access: neither 'unshare --net' (as root) nor 'unshare -rn' (user "
            "namespaces) works on this system. Install util-linux's unshare and allow unprivileged user namespaces "
            "(sysctl kernel.unprivileged_userns_clone=1), or firewall the server's outgoing connections.")


def run(argv: list[str], folder: Path, seconds: float, memory_bytes: int = MEMORY_BYTES,
        hidden: tuple[Path, ...] = ()) -> Outcome:
    """Run ``argv`` boxed, with ``folder`` (private to this call) as its HOME and temporary folder, and the
    folders ``hidden`` (but one holding ``folder``) seen empty.

    Returns once the program ended or ``seconds`` passed; either way its whole
    process group is killed, so nothing it started outlives the call.
    """
    folder = Path(folder)
    wrapper = network_wrapper()
    if not wrapper:
        _log.warning(network_notice())
    env = {**os.environ, "HOME": str(folder), "TMPDIR": str(folder), "TMP": str(folder), "TEMP": str(folder)}
    log = folder / "output.log"
    limits = _limits(seconds, memory_bytes)
    prlimit = shutil.which("prlimit")
    command = [prlimit, *(f"--{name}={value}" for name, _, value in limits), "--", *argv] if prlimit else argv
    hide = [str(h) for h in map(Path, hidden) if h.is_dir() and not folder.resolve().is_relative_to(h.resolve())]
    if hide and hiding_wrapper():
        command = [*hiding_wrapper(), "sh", "-c", _HIDE + 'exec "$@"', "sh", *hide, "--", *command]
    else:
        command = [*wrapper, *command]
    with log.open("wb") as sink:
        # prlimit, not a preexec_fn: a server's threads make Python code between fork and exec unsafe
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
                                   cwd=folder, env=env, start_new_session=True,
                                   preexec_fn=None if prlimit else lambda: _set(limits))
        try:
            returncode: int | None = process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            returncode = None
        finally:
            kill_group(process.pid)
            if process.poll() is None:
                process.wait()
    return Outcome(returncode, log.read_text("utf-8", "replace")[-4000:])


def kill_group(pgid: int) -> None:
    """Kill every process of a group (the leader may already have ended; its children may not have)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    for _ in range(50):  # the kernel takes a moment to end them; do not return while they still run
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.02)


def _limits(seconds: float, memory_bytes: int) -> list[tuple[str, int, int]]:
    """Return the program's limits: (prlimit's name, setrlimit's resource, value)."""
    return [("as", resource.RLIMIT_AS, memory_bytes), ("cpu", resource.RLIMIT_CPU, max(1, int(seconds) + 1)),
            ("fsize", resource.RLIMIT_FSIZE, FILE_BYTES), ("core", resource.RLIMIT_CORE, 0)]


def _set(limits: list[tuple[str, int, int]]) -> None:
    """In the child, before the program starts, where prlimit is missing: its resource limits."""
    for _, limit, value in limits:
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):  # a hard limit already lower than ours: keep it
            pass
