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
            for verdict in self.entries.values():
                if verdict.ok not in (True, False, None) or not isinstance(verdict.url, str):
                    raise ValueError(f"bad entry for {verdict.url!r}")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self.entries = {}
            self.problem = f"{self.path}: the link cache is unreadable ({exc.__class__.__name__}: {exc}); " \
                           "checking every link again"
        return self

    def fresh(self, url: str, now: float | None = None) -> Verdict | None:
        verdict = self.entries.get(url)
        checked = parse_time(verdict.checked_at) if verdict else None
        if verdict is None or verdict.ok is None or checked is None:
            return None
        return verdict if (now or time.time()) - checked < self.ttl else None

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
