"""The verdict cache: a JSON file of verdicts with a time-to-live, written atomically."""

from __future__ import annotations

import json
import time
from calendar import timegm
from pathlib import Path

from ..sync import atomic_write
from .verdict import Verdict

CACHE_VERSION = 1


def parse_time(stamp: str | None) -> float | None:
    try:
        return float(timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))) if stamp else None
    except (TypeError, ValueError):
        return None


_TYPES = {"ok": (bool, type(None)), "status": (int, type(None)), "final_url": (str, type(None)),
          "reason": (str,), "checked_at": (str, type(None)), "marker": (str, type(None))}


def _well_typed(url: object, verdict: Verdict) -> bool:
    """An entry of the right shape with the right types (an entry edited by hand may have neither)."""
    return (isinstance(url, str) and verdict.url == url and not isinstance(verdict.status, bool)
            and all(isinstance(getattr(verdict, name), types) for name, types in _TYPES.items()))


class VerdictCache:
    def __init__(self, path: Path, ttl_seconds: float):
        self.path = path
        self.ttl = ttl_seconds
        self.entries: dict[str, Verdict] = {}
        self.problem: str | None = None  # set when the file existed but could not be used

    def load(self) -> "VerdictCache":
        if not self.path.exists():
            return self
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != CACHE_VERSION:
                raise ValueError(f"version {data.get('version')!r}")
            self.entries = {url: Verdict.from_dict(entry) for url, entry in data["entries"].items()}
            for url, verdict in self.entries.items():
                if not _well_typed(url, verdict):
                    raise ValueError(f"bad entry for {url!r}")
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
        atomic_write(self.path, json.dumps(content, ensure_ascii=False, indent=1) + "\n")
