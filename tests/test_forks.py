"""modmap.forks: a part of a job run by a forked child, its errors raised by the parent."""

from __future__ import annotations

import os
import time

import pytest

from modmap.errors import InputError
from modmap.forks import ChildError, fork_call

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"{text} {os.getpid()}")


def _fail(message):
    raise InputError(message)


def test_the_child_runs_in_another_process_and_join_waits_for_it(tmp_path):
    out = tmp_path / "child.txt"
    with fork_call(_write, out, "drawn"):
        pass  # leaving the block joins the child
    text, pid = out.read_text(encoding="utf-8").split()
    assert text == "drawn"
    assert int(pid) != os.getpid()


def test_the_childs_error_is_raised_by_join_with_its_type_message_and_traceback():
    call = fork_call(_fail, "table x.tsv, row 3: bad value 'y'")
    with pytest.raises(InputError, match=r"row 3: bad value 'y'") as info:
        call.join()
    notes = "".join(getattr(info.value, "__notes__", []))
    assert "in the forked part" in notes and "_fail" in notes


def test_a_child_that_dies_without_an_error_is_reported():
    with pytest.raises(ChildError, match="status 3"):
        fork_call(os._exit, 3).join()


def test_an_error_of_the_parent_kills_the_child(tmp_path):
    out = tmp_path / "late.txt"

    def slow():
        time.sleep(5)
        _write(out, "late")

    start = time.monotonic()
    with pytest.raises(KeyError), fork_call(slow):
        raise KeyError("parent failed")
    assert time.monotonic() - start < 4  # killed, not waited for
    time.sleep(0.2)
    assert not out.exists()
