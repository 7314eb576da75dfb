"""Run one part of a job in a forked child process while the parent runs the rest.

A figure job draws independent figures (the module map, the dot matrix, the heatmaps), each
mostly single-threaded matplotlib work. With two cores (``threads: 2``) one of them can be drawn
by a child forked from the job: the child inherits the imported modules (no second start-up) and
writes its own output files; the parent waits for it and re-raises its error, so the job fails as
if the part had run in the parent. Each part must write only its own files and must not depend on
what another part leaves in the process (``tests/test_module_figures.py`` checks every figure
against the figure drawn alone in a fresh interpreter). See docs/performance.md, "Module figures:
two processes".

Where :func:`os.fork` does not exist (Windows), :func:`fork_call` runs the part in the calling
process before returning.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import traceback
from collections.abc import Callable
from typing import Any

__all__ = ["ChildError", "ForkedCall", "fork_call"]


class ChildError(RuntimeError):
    """A forked part died without reporting an exception (killed, or its error did not pickle)."""


def _flush() -> None:
    # Buffered output would be written twice (by the parent and by the child) after a fork.
    for handler in logging.getLogger().handlers + logging.getLogger("modmap").handlers:
        handler.flush()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, ValueError, OSError):
            pass


class ForkedCall:
    """A call running in a forked child; :meth:`join` waits and re-raises its exception.

    As a context manager: on leaving normally the child is joined (its error raised); when the
    block raises, the child is killed and reaped and the block's exception propagates.
    """

    def __init__(self, pid: int | None, read_fd: int | None, error: BaseException | None) -> None:
        self._pid, self._fd, self._error = pid, read_fd, error

    def join(self) -> None:
        """Wait for the child; raise the exception it raised (or :class:`ChildError`)."""
        if self._pid is not None:
            chunks = []
            while chunk := os.read(self._fd, 1 << 16):
                chunks.append(chunk)
            os.close(self._fd)
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            code = os.waitstatus_to_exitcode(status)
            if chunks:
                self._error = pickle.loads(b"".join(chunks))
            elif code != 0:
                self._error = ChildError(f"the forked part exited with status {code}")
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def kill(self) -> None:
        """Stop the child (if still running) and reap it; its error, if any, is dropped."""
        if self._pid is not None:
            try:
                os.kill(self._pid, 9)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            os.close(self._fd)
            self._pid = None
        self._error = None

    def __enter__(self) -> ForkedCall:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.join()
        else:
            self.kill()


def fork_call(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> ForkedCall:
    """Start ``function(*args, **kwargs)`` in a forked child and return at once.

    The child's return value is dropped (it reports through the files it writes); an exception
    is pickled back to the parent and raised by :meth:`ForkedCall.join` with its type and
    message (an exception that does not pickle becomes a :class:`ChildError` naming it).
    Without :func:`os.fork`, the call runs here and its exception is kept for ``join``.
    """
    if not hasattr(os, "fork"):
        try:
            function(*args, **kwargs)
        except Exception as error:  # raised by join, as for a child
            return ForkedCall(None, None, error)
        return ForkedCall(None, None, None)
    _flush()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid:  # parent
        os.close(write_fd)
        return ForkedCall(pid, read_fd, None)
    code = 0  # child: never returns into the caller's code
    try:
        os.close(read_fd)
        try:
            function(*args, **kwargs)
        except BaseException as error:
            code = 1
            # the parent re-raises it: keep where it happened in the child (shown in the log)
            error.add_note(
                "".join(["in the forked part:\n", *traceback.format_tb(error.__traceback__)])
            )
            try:
                data = pickle.dumps(error)
            except Exception:
                data = pickle.dumps(ChildError(f"{type(error).__name__}: {error}"))
            view = memoryview(data)
            while view:
                view = view[os.write(write_fd, view) :]
        _flush()
    finally:
        os._exit(code)
