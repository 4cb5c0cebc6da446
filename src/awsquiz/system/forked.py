"""Work done by a second process while this one goes on: the one place awsquiz uses more than
one core (a first `stats` over a long history reads half its log there).

`Forked(work)` forks; the child runs `work` and sends back what it returns (or the error it
raised), pickled through a pipe. Where forking is unsafe or impossible (no `os.fork`, not
Linux, threads running), or the child dies without an answer, `result()` runs `work` here
instead: the answer is the same, only slower.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

_T = TypeVar("_T")


def can_fork() -> bool:
    """Whether a child can be forked safely: on Linux, with no other thread running."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and (
        threading.active_count() == 1
    )


class Forked(Generic[_T]):
    """`work` running in a child process (see the module's docstring)."""

    def __init__(self, work: Callable[[], _T]) -> None:
        self._work = work
        self._pid = 0
        self._pipe = -1
        if not can_fork():
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(work, write)
        os.close(write)
        self._pid, self._pipe = pid, read

    def result(self) -> _T:
        """What `work` returned; what it raised is raised here."""
        if not self._pid:
            return self._work()
        import pickle

        try:
            with os.fdopen(self._pipe, "rb", closefd=False) as pipe:
                ok, value = pickle.load(pipe)  # as it comes: never all the bytes at once
        except Exception:  # the child died (killed, out of memory): the work is done here
            self._reap()
            return self._work()
        self._reap()
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child, if it still runs (the parent met an error of its own)."""
        if self._pid:
            import signal

            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        os.close(self._pipe)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)
        self._pid, self._pipe = 0, -1


def _child(work: Callable[[], object], pipe: int) -> None:
    """Run `work` and write (True, result) or (False, error), pickled; then exit at once,
    never running the parent's clean-up or flushing its output a second time."""
    code = 0
    try:
        import pickle
        import signal

        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent says so, once
        try:
            data = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - every error goes back to the parent
            try:
                data = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # an error that cannot be pickled: the parent does the work
                data = b""
        view = memoryview(data)
        while view:
            view = view[os.write(pipe, view):]
    except BaseException:  # noqa: BLE001 - the child must reach os._exit
        code = 1
    finally:
        os._exit(code)
