"""The engine's fast exit (``__main__.exit_now``) must never leave a child process holding the
engine's stdout: the bridge reads until the pipe closes, so an orphan would hang it forever."""

import subprocess
import sys
import textwrap
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[1]


def _run(script: str) -> subprocess.CompletedProcess[str]:
    # communicate() returns only once every holder of the stdout pipe has closed it.
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=PYTHON_DIR,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_a_live_child_process_gets_the_usual_shutdown_which_stops_it():
    # Freqtrade's hyperopt starts a multiprocessing.Manager (its logging workaround): a forked
    # server process stopped only by multiprocessing's exit handlers, which os._exit skips.
    done = _run(
        """
        import multiprocessing
        from tradai_engine.__main__ import exit_now
        manager = multiprocessing.Manager()
        print("children:", len(multiprocessing.active_children()), flush=True)
        exit_now(3)
        """
    )
    assert done.returncode == 3, done.stderr
    assert "children: 1" in done.stdout


def test_without_children_it_exits_at_once_with_the_code_and_flushed_output():
    done = _run(
        """
        import sys
        from tradai_engine.__main__ import exit_now, _has_child_processes
        sys.stdout.write("answer, not flushed by hand; children: %s" % _has_child_processes())
        exit_now(0)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "answer, not flushed by hand; children: False"
