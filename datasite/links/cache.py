"""The verdict cache: a JSON file of verdicts with a time-to-live, written atomically."""

from __future__ import annotations

import json
import time
from calendar import timegm
from pathlib import Path

from ..fsio import atomic_write, describe, read_bytes
from .verdict import UNKNOWN_KINDS, Verdict

CACHE_VERSION = 1


def parse_time(stamp: str | None) -> float | None:
    try:
        return float(timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))) if stamp else None
    except (TypeError, ValueError):
        return None


_TYPES = {"ok": (bool, type(None)), "status": (int, type(None)), "final_url": (str, type(None)),
          "reason": (str,), "checked_at": (str, type(None)), "marker": (str, type(None)),
          "kind": (str, type(None))}
CLOCK_SKEW = 3600.0  # seconds a verdict may seem to come from the future (another machine's clock)
MAX_TEXT = 2000  # characters of a reason or marker: what a page or status.json shows of it


def _well_typed(url: object, verdict: Verdict) -> bool:
    """An entry of the right shape with the right types (an entry edited by hand may have neither)."""
    return (isinstance(url, str) and verdict.url == url and not isinstance(verdict.status, bool)
            and all(isinstance(getattr(verdict, name), types) for name, types in _TYPES.items()))


def verdict_problem(verdict: Verdict, now: float | None = None) -> str | None:
    """Why a verdict may not be shown (None if it may): every value is in its range, and its date
    is a real one, not later than now. Checked wherever a verdict is published."""
    if verdict.status is not None and not 100 <= verdict.status <= 599:
        return f"HTTP status {verdict.status} is not one"
    if verdict.kind is not None and verdict.kind not in UNKNOWN_KINDS:
        return f"unknown kind {verdict.kind!r}"
    if verdict.final_url is not None and not verdict.final_url.lower().startswith(("http://", "https://")):
        return "its final URL is not an http(s) one"
    if len(verdict.reason) > MAX_TEXT or len(verdict.marker or "") > MAX_TEXT:
        return "its reason is too long"
    if verdict.ok is not None:
        checked = parse_time(verdict.checked_at)
        if checked is None:
            return f"its date {verdict.checked_at!r} is not one"
        if checked > (now or time.time()) + CLOCK_SKEW:
            return f"it is dated in the future ({verdict.checked_at})"
    return None


class VerdictCache:
    def __init__(self, path: Path, ttl_seconds: float):
        self.path = path
        self.ttl = ttl_seconds
        self.entries: dict[str, Verdict] = {}
        self.problem: str | None = None  # set when the file existed but could not be used
        self.save_problem: str | None = None  # set when the verdicts could not be written

    def load(self) -> "VerdictCache":
        if not self.path.exists():
            return self
        try:
            data = json.loads(read_bytes(self.path).decode("utf-8"))
            if data.get("version") != CACHE_VERSION:
                raise ValueError(f"version {data.get('version')!r}")
            self.entries = {url: Verdict.from_dict(entry) for url, entry in data["entries"].items()}
            for url, verdict in self.entries.items():
                if not _well_typed(url, verdict):
                    raise ValueError(f"bad entry for {url!r}")
            dropped = {url: why for url, verdict in self.entries.items() if (why := verdict_problem(verdict))}
            if dropped:  # shown nowhere and checked again; the others stay
                self.entries = {url: v for url, v in self.entries.items() if url not in dropped}
                url, why = next(iter(dropped.items()))
                more = f" (and {len(dropped) - 1} more)" if len(dropped) > 1 else ""
                self.problem = f"{self.path}: the verdict for {url} is not used: {why}{more}"
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            self.entries = {}
            why = "nested too deeply" if isinstance(exc, RecursionError) else f"{exc.__class__.__name__}: {exc}"
            self.problem = f"{self.path}: the link cache is unreadable ({why}); checking every link again"
        return self

    def fresh(self, url: str, now: float | None = None) -> Verdict | None:
        verdict = self.entries.get(url)
        checked = parse_time(verdict.checked_at) if verdict else None
        if verdict is None or verdict.ok is None or checked is None:
            return None
        age = (now or time.time()) - checked
        # A verdict from the future (a wrong clock, an edited file) is not trusted: checked again.
        return verdict if 0 <= age < self.ttl else None

    def update(self, verdicts: dict[str, Verdict]) -> None:
        for url, verdict in verdicts.items():
            if verdict.ok is not None:  # "unknown" says nothing worth remembering
                self.entries[url] = verdict

    def save(self) -> None:
        content = {
            "version": CACHE_VERSION,
            "entries": {url: self.entries[url].as_dict() for url in sorted(self.entries)},
        }
        try:
            atomic_write(self.path, json.dumps(content, ensure_ascii=False, indent=1) + "\n")
        except OSError as exc:  # the verdicts are still reported; only the next run checks again
            self.save_problem = f"{describe(exc)}: the link cache was not saved; the next run checks these links again"
