"""The fork runner (forkrun.py) gives what a real process gives: the same exit code and output,
warnings, tracebacks of threads and library log records included, and keeps nothing of the
command in the test process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

import forkrun

COMMAND = '''
import logging, os, sys, threading, warnings
print("out", os.getcwd() == sys.argv[1], os.environ.get("FORKRUN_TEST"))
print("err", file=sys.stderr)
warnings.warn("a warning for the user")
logging.getLogger("some.library").warning("a library's warning")
worker = threading.Thread(target=lambda: 1 / 0)
worker.start()
worker.join()
os.environ["FORKRUN_LEAK"] = "1"
sys.exit(int(sys.argv[2]))
'''


def both(tmp_path, *args: str, module: str = "forkrun_probe") -> list[subprocess.CompletedProcess]:
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(COMMAND), encoding="utf-8")
    env = {**os.environ, "FORKRUN_TEST": "yes"}
    command = [sys.executable, "-m", module, *args]
    real = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    fork = forkrun.run(command, tmp_path, env, timeout=60, forked=(module,))
    return [real, fork]


@pytest.mark.parametrize("code", [0, 3])
def test_a_forked_command_gives_what_a_real_process_gives(tmp_path, code):
    real, fork = both(tmp_path, str(tmp_path), str(code))
    assert fork.returncode == real.returncode == code
    assert fork.stdout == real.stdout == "out True yes\n"
    for stderr in (real.stderr, fork.stderr):
        assert stderr.startswith("err\n")
        assert "UserWarning: a warning for the user" in stderr
        assert "a library's warning" in stderr
        assert "Exception in thread" in stderr and "ZeroDivisionError" in stderr
    assert "FORKRUN_LEAK" not in os.environ


def test_an_uncaught_exception_is_a_traceback_and_exit_code_1(tmp_path):
    (tmp_path / "forkrun_crash.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    command = [sys.executable, "-m", "forkrun_crash"]
    fork = forkrun.run(command, tmp_path, dict(os.environ), timeout=60, forked=("forkrun_crash",))
    assert fork.returncode == 1 and "Traceback" in fork.stderr and "RuntimeError: boom" in fork.stderr


def test_a_command_past_its_timeout_is_ended(tmp_path):
    (tmp_path / "forkrun_slow.py").write_text("import time\ntime.sleep(30)\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        forkrun.run([sys.executable, "-m", "forkrun_slow"], tmp_path, dict(os.environ), timeout=0.5,
                    forked=("forkrun_slow",))
    assert time.monotonic() - started < 10
