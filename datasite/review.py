"""Values a person has yet to confirm: nothing guessed is published.

Two kinds, found two ways:

- **Placeholders** are found in the data itself, however they got there: a text holding the word
  `TODO`, an address on the reserved `.invalid` domain (RFC 2606: it never resolves). No
  confirmation lets one through a `--strict` gate; only replacing it does.
- **Review items** are recorded by the tool that wrote the value (`datasite import`, `datasite
  init`) in the lock file beside dataset.yml: a value it *inferred* (a name from a title, an
  article parsed from a reference, a site address from the git remote) or *copied* from another
  language. Each stays unconfirmed, a warning (an error under `--strict` and on CI) at its line,
  until `datasite confirm KEY` records that a person checked it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit

from msgspec import Struct

from .model import Dataset, Localized, Passage

REVIEW_KINDS = ("inferred", "copied")

_TODO = re.compile(r"(?<![A-Za-z0-9])TODO(?![A-Za-z0-9])")
PLACEHOLDER_HOST = "TODO.invalid"  # what the tools write where an address is unknown


@dataclass(frozen=True)
class ReviewItem:
    """A value written by a tool, not read verbatim: its stable key (as messages and `datasite
    confirm` name it), how it came about, where from, and what to check."""

    key: str
    kind: str  # one of REVIEW_KINDS
    source: str  # "README.md:12": where it was read, or what it was derived from
    why: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "from": self.source, "why": self.why}

    @classmethod
    def from_json(cls, key: str, value: object) -> "ReviewItem | None":
        if not isinstance(value, dict) or value.get("kind") not in REVIEW_KINDS:
            return None
        source, why = value.get("from", ""), value.get("why", "")
        if not isinstance(source, str) or not isinstance(why, str):
            return None
        return cls(key, value["kind"], source, why)

    def message(self) -> str:
        where = f" ({self.source})" if self.source else ""
        if self.kind == "copied":
            return f"copied, not translated{where}: {self.why}; once translated: `datasite confirm {self.key}`"
        return f"inferred{where}: {self.why}; once checked: `datasite confirm {self.key}`"


def placeholder_reason(value: str) -> str | None:
    """Why a string is a placeholder, or None."""
    if _TODO.search(value):
        return "a placeholder (TODO)"
    for candidate in re.findall(r"(?:https?://|mailto:|@)[^\s<>\"'`]+", value):
        host = candidate.split("@", 1)[1] if candidate.startswith("@") or candidate.startswith("mailto:") \
            else urlsplit(candidate).hostname or ""
        host = host.split("/", 1)[0].rstrip(".").lower()
        if host == "invalid" or host.endswith(".invalid"):
            return f"a placeholder address ({host}: the reserved domain that never resolves)"
    return None


def placeholders(dataset: Dataset) -> Iterator[tuple[tuple, str]]:
    """(key path, why) of every placeholder in the dataset."""

    def walk(node: object, path: tuple) -> Iterator[tuple[tuple, str]]:
        if isinstance(node, str):
            why = placeholder_reason(node)
            if why:
                yield path, why
        elif isinstance(node, (Localized, Passage)):
            for language, text in node.items():
                yield from walk(text, path + (language,))
        elif isinstance(node, Struct):
            for name in node.__struct_fields__:
                yield from walk(getattr(node, name), path + (name,))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, path + (index,))
        elif isinstance(node, dict):
            for key, item in node.items():
                yield from walk(item, path + (key,))

    yield from walk(dataset, ())


def covers(key: str, other: str) -> bool:
    """Whether the value named `key` contains the one named `other` ("article" covers "article.title")."""
    return other == key or other.startswith(key + ".") or other.startswith(key + "[")

