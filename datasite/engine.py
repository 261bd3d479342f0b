"""Running the site engine (MkDocs, or ProperDocs, its maintained fork) from the `datasite` command.

Both engines load the datasite plugin from mkdocs.yml; this only starts them, with their
banners about each other turned off (the maintainer reads datasite's own summary instead).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from importlib.util import find_spec
from pathlib import Path

ENGINES = ("mkdocs", "properdocs")

# Material's end-of-life notice and ProperDocs' notice, printed by third-party packages on import.
QUIET_ENVIRONMENT = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def default_engine() -> str:
    return "mkdocs" if find_spec("mkdocs") is not None else "properdocs"


def engine_environment(**extra: str) -> dict[str, str]:
    return {**os.environ, **QUIET_ENVIRONMENT, **extra}


FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _terminal_sent_to_group() -> bool:
    """Whether this process runs in the terminal's foreground group, whose every process (the
    engine too) the terminal signals on Ctrl-C and on hang-up."""
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (OSError, ValueError, AttributeError):  # no terminal (a script, an IDE, CI)
        return False


def run_engine(engine: str, command: str, args: list[str], cwd: Path, *, capture: bool = False,
               **extra_env: str) -> subprocess.CompletedProcess:
    """`<engine> <command> <args>` in `cwd`, as a child process with the quiet environment
    (through `main` below: an operating-system error is one line, not a traceback).

    A stop (SIGINT from Ctrl-C, SIGTERM from an IDE's stop button or a script, SIGHUP from a
    closed terminal) is passed on to the engine, which is waited for: no `mkdocs serve` is left
    answering on the port. The status is the engine's (128 + the signal's number if a signal
    ended it, as a shell reports it)."""
    child = subprocess.Popen([sys.executable, "-m", "datasite.engine", engine, command, *args], cwd=cwd,
                             env=engine_environment(**extra_env), text=True,
                             stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE if capture else None)
    received: list[int] = []

    def forward(signum, frame):
        received.append(signum)
        if signum != signal.SIGTERM and _terminal_sent_to_group():
            return  # Ctrl-C, a closed terminal: the terminal told the engine too (a second one would cut its stop short)
        if child.poll() is None:
            child.send_signal(signum)

    previous = {}
    if threading.current_thread() is threading.main_thread():  # (handlers can be set there only)
        previous = {signum: signal.signal(signum, forward) for signum in FORWARDED}
    try:
        stdout, stderr = child.communicate()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    status = child.returncode
    if status < 0:
        status = 128 - status
    elif received and status == 0 and received[-1] != signal.SIGINT:
        status = 128 + received[-1]  # stopped, not finished: a caller must not take it for a build
    return subprocess.CompletedProcess(child.args, status, stdout, stderr)


def main(argv: list[str]) -> int:
    """`python -m datasite.engine ENGINE COMMAND ARGS`: the engine's own command line, with an
    operating-system error (a full disk, a read-only folder) told in one line with its path. The
    plugin has dropped the build's staging folder by then: the site before it is intact."""
    import runpy

    from .fsio import describe

    if not argv or argv[0] not in ENGINES:
        print(f"usage: python -m datasite.engine {{{','.join(ENGINES)}}} COMMAND [ARGS]", file=sys.stderr)
        return 2
    engine, *rest = argv
    sys.argv = [engine, *rest]
    try:
        runpy.run_module(engine, run_name="__main__", alter_sys=True)  # as `python -m ENGINE` runs it
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except OSError as exc:
        print(f"datasite {rest[0] if rest else engine}: {describe(exc, 'writing the site')}"
              + ("; the site before it is kept" if rest and rest[0] == "build" else ""), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
