"""The in-process runner (inprocess.py) gives what a real process gives: the same exit code and
output, warnings, tracebacks of threads and library log records included, and leaves the test
process as it found it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap

import pytest

import inprocess

PROBE = '''
import logging, os, subprocess, sys, threading, warnings

def main(argv):
    print("out", os.getcwd() == argv[0], os.environ.get("INPROCESS_TEST"), sys.argv[1:] == argv)
    print("err", file=sys.stderr)
    subprocess.run([sys.executable, "-c", "import sys; print('child out'); print('child err', file=sys.stderr)"])
    warnings.warn("a warning for the user")
    library = logging.getLogger("some.library")
    library.warning("a library's warning")
    handler = logging.StreamHandler()  # (as a command line tool sets up its log, on each start)
    library.addHandler(handler)
    library.setLevel(logging.ERROR)
    worker = threading.Thread(target=lambda: 1 / 0)
    worker.start()
    worker.join()
    os.environ["INPROCESS_LEAK"] = "1"
    os.chdir("/")
    if argv[1] == "crash":
        raise RuntimeError("boom")
    sys.exit(int(argv[1]))

if __name__ == "__main__":
    main(sys.argv[1:])
'''


def both(tmp_path, *args: str) -> list[subprocess.CompletedProcess]:
    (tmp_path / "inprocess_probe.py").write_text(textwrap.dedent(PROBE), encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        import inprocess_probe
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("inprocess_probe", None)
    env = {**os.environ, "INPROCESS_TEST": "yes"}
    command = [sys.executable, "-m", "inprocess_probe", *args]
    real = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    here = inprocess.run(command, tmp_path, env, timeout=60, entry_points={"inprocess_probe": inprocess_probe.main})
    return [real, here]


@pytest.mark.parametrize("code", [0, 3])
def test_a_command_run_here_gives_what_a_real_process_gives(tmp_path, code):
    cwd, level = os.getcwd(), logging.getLogger("some.library").level
    real, here = both(tmp_path, str(tmp_path), str(code))
    assert here.returncode == real.returncode == code
    # What a child process prints (inherited descriptors) is the command's output too (mutant:
    # only sys.stdout and sys.stderr captured).
    assert here.stdout == real.stdout == "out True yes True\nchild out\n"
    for stderr in (real.stderr, here.stderr):
        assert stderr.startswith("err\nchild err\n")
        assert "UserWarning: a warning for the user" in stderr
        assert "a library's warning" in stderr
        assert "Exception in thread" in stderr and "ZeroDivisionError" in stderr
    # Put back: the environment, the working folder, the logger's level and handlers.
    assert "INPROCESS_LEAK" not in os.environ  # mutant: the environment not restored
    assert os.getcwd() == cwd
    library = logging.getLogger("some.library")
    assert library.level == level and not library.handlers  # mutant: the command's handler kept


def test_an_uncaught_exception_is_a_traceback_and_exit_code_1(tmp_path):
    real, here = both(tmp_path, str(tmp_path), "crash")
    for result in (real, here):
        assert result.returncode == 1 and "Traceback" in result.stderr and "RuntimeError: boom" in result.stderr


def test_a_second_command_prints_its_warning_again(tmp_path):
    # A fresh interpreter shows a warning once per place; the runner starts each command afresh.
    first = both(tmp_path, str(tmp_path), "0")[1]
    second = both(tmp_path, str(tmp_path), "0")[1]
    assert "a warning for the user" in first.stderr and "a warning for the user" in second.stderr


def test_other_commands_are_real_processes(tmp_path):
    result = inprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], tmp_path, dict(os.environ),
                           timeout=60)
    assert result.returncode == 0 and int(result.stdout) != os.getpid()
