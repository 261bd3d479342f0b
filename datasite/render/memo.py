"""Results of the slow renderers (citation styles, BibTeX, RIS, QR codes), kept between builds.

Those renderers are pure: the same input and the same library versions give the same text. A
build that finds the text in the cache neither runs them nor imports their libraries (citeproc
with lxml, bibtexparser, rispy, segno: together about a tenth of a build's time). The cache
is one JSON file, read once and written atomically; an unreadable or outdated file is simply
rebuilt, since everything in it can be computed again.

A build owns its memo (pipeline.SiteBuild.memo) and makes it the active one while it renders
(`with memo.active():`, a context variable): two builds in one process each keep their own, and
a renderer called outside a build (an export, a test) simply computes.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import json
import logging
import sys
from importlib import metadata
from pathlib import Path
from typing import Callable

log = logging.getLogger("datasite")

FORMAT_VERSION = 1


class RenderMemo:
    def __init__(self, path: Path | None = None) -> None:
        """The memo kept in the cache file at `path` (in memory only if None)."""
        self.path = path
        self.entries: dict[str, str] = {}
        self.used: set[str] = set()
        self.changed = False
        if path is None:
            return
        try:
            from ..fsio import read_bytes

            data = json.loads(read_bytes(path).decode("utf-8"))
            if data.get("version") == FORMAT_VERSION and isinstance(data.get("entries"), dict):
                self.entries = {k: v for k, v in data["entries"].items() if isinstance(v, str)}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError, RecursionError) as exc:
            log.debug("datasite: render cache %s unreadable (%s); rebuilding it", path, exc)

    @contextlib.contextmanager
    def active(self):
        """This memo serves the memoized renderers until the block ends."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    def lookup(self, key: str, compute: Callable[[], str]) -> str:
        value = self.entries.get(key)
        if value is None:
            value = compute()
            self.entries[key] = value
            self.changed = True
        self.used.add(key)
        return value

    def save(self) -> None:
        """Write the entries this build used (older ones are dropped), if anything changed."""
        if self.path is None or not (self.changed or set(self.entries) != self.used):
            return
        from ..sync import atomic_write

        content = {"version": FORMAT_VERSION, "entries": {k: self.entries[k] for k in sorted(self.used)}}
        try:
            atomic_write(self.path, json.dumps(content, ensure_ascii=False, indent=0) + "\n")
        except OSError as exc:  # a read-only checkout still builds, only slower
            log.debug("datasite: cannot write render cache %s (%s)", self.path, exc)
        self.entries = content["entries"]
        self.changed = False


_ACTIVE: contextvars.ContextVar[RenderMemo | None] = contextvars.ContextVar("datasite_render_memo", default=None)


@functools.cache
def _versions(module: str, distributions: tuple[str, ...]) -> str:
    # The renderer's own code counts as much as its libraries: a change to either is a new key.
    code = hashlib.sha256(Path(sys.modules[module].__file__).read_bytes()).hexdigest()
    return ",".join([code] + [f"{name}={metadata.version(name)}" for name in distributions])


def memoized(*distributions: str):
    """Keep the function's text results in the active memo, keyed by its arguments, its module's
    source and the versions of the libraries (`distributions`) it uses (outside a build: computed)."""

    def decorate(function: Callable[..., str]) -> Callable[..., str]:
        @functools.wraps(function)
        def wrapper(*args):
            source = json.dumps([function.__module__, function.__qualname__, _versions(function.__module__, distributions), args],
                                ensure_ascii=False, sort_keys=True)
            memo = _ACTIVE.get()
            if memo is None:  # (outside a build)
                return function(*args)
            key = hashlib.sha256(source.encode("utf-8")).hexdigest()
            return memo.lookup(key, lambda: function(*args))

        return wrapper

    return decorate
