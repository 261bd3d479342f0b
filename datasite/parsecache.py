"""Parsing a large dataset.yml again after a small edit: only the top-level section that changed.

A dataset.yml is a mapping whose keys start at column 0 (`mirrors:`, `releases:`, …). Each such
section is parsed on its own, with its line numbers as in the file, and remembered by its text:
a save under `datasite serve` that changes a mirror's note parses the mirrors again, not the
10,000 files of the release beside them. The sections are kept on disk between builds (MessagePack,
data only: nothing in it is executed).

Anything unusual — a document marker or directive, a line at column 0 that starts no key, a key
given twice, a section that fails to parse — is parsed whole, as before, so every message is
the same as without the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Callable

import msgspec

from .fsio import atomic_write, read_bytes

_KEY_LINE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:(?:[ \t]|$)")
_DATE = 1  # MessagePack extension type of a date
FORMAT = 1


def sections(text: str) -> list[tuple[str, int, str]] | None:
    """(key, first line index, text) of each top-level section, or None where the file is not
    a plain mapping of keys at column 0 (then it is parsed whole)."""
    lines = text.split("\n")
    found: list[tuple[str, int, str]] = []
    start, key = 0, None
    for number, line in enumerate(lines):
        if not line or line[0] in " #":
            continue
        if (line == "-" or line.startswith("- ")) and key is not None:
            continue  # an item of the section's list, written at column 0 ("indentless")
        if line.startswith(("---", "...", "%")) or not _KEY_LINE.match(line):
            return None
        if key is not None:
            found.append((key, start, "\n".join(lines[start:number])))
        key, start = line.split(":", 1)[0], number
    if key is None:
        return None
    found.append((key, start, "\n".join(lines[start:])))
    keys = [k for k, _, _ in found]
    return found if len(set(keys)) == len(keys) else None


def _encode(value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return msgspec.msgpack.Ext(_DATE, value.isoformat().encode())
    raise NotImplementedError(f"not kept in the parse cache: {type(value).__name__}")


def _decode(code: int, data: memoryview):
    if code == _DATE:
        return dt.date.fromisoformat(bytes(data).decode())
    raise NotImplementedError(code)


class ParseCache:
    """Parsed sections by the digest of their text (with where they start), kept in `path`."""

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, list] = {}
        self.used: set[str] = set()
        self.changed = False
        if path is not None:
            try:
                content = msgspec.msgpack.decode(read_bytes(path), ext_hook=_decode)
                if isinstance(content, dict) and content.get("format") == FORMAT:
                    self.entries = content.get("sections") or {}
            except (OSError, msgspec.DecodeError, ValueError, TypeError, NotImplementedError):
                self.entries = {}  # (damaged or of another version: parsed again)

    def parse(self, text: str, parse_whole: Callable[[str], tuple[object, dict]]) -> tuple[object, dict]:
        """The data and marks of `text`, as `parse_whole` gives them for the whole file."""
        parts = sections(text)
        if parts is None or len(parts) < 2:
            return parse_whole(text)
        data: dict = {}
        marks: dict = {}
        for key, start, section in parts:
            digest = hashlib.sha256(f"{start}\n{section}".encode()).hexdigest()
            entry = self.entries.get(digest)
            if entry is None:
                try:
                    # (blank lines first: the section's line numbers are the file's)
                    part, part_marks = parse_whole("\n" * start + section)
                except Exception:
                    return parse_whole(text)  # the whole file's messages, as without the cache
                if not isinstance(part, dict) or list(part) != [key]:
                    return parse_whole(text)
                try:
                    msgspec.msgpack.encode(part, enc_hook=_encode)
                except (NotImplementedError, TypeError, OverflowError):
                    return parse_whole(text)  # a value MessagePack cannot keep as it is
                entry = [part[key], [[list(path), line, column] for path, (line, column) in part_marks.items()]]
                self.entries[digest] = entry
                self.changed = True
            self.used.add(digest)
            data[key] = entry[0]
            marks.update((tuple(path), (line, column)) for path, line, column in entry[1])
        return data, marks

    def save(self) -> None:
        """Keep the sections of the last parse (older ones are dropped)."""
        if self.path is None or not (self.changed or set(self.entries) != self.used):
            return
        kept = {digest: self.entries[digest] for digest in sorted(self.used)}
        try:
            atomic_write(self.path, msgspec.msgpack.encode({"format": FORMAT, "sections": kept}, enc_hook=_encode))
        except OSError:
            pass  # a read-only checkout still builds, parsing the whole file each time
        self.entries, self.changed = kept, False
