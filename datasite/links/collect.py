"""Collect: every external link of the dataset, with where it appears.

A link is collected once per URL; its occurrences say on which page, in which language, for which
mirror (if any), and at which line of which source file it is written.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass, field
from pathlib import Path

from msgspec import Struct

from ..loader import LoadedDataset, display_name
from ..model import Dataset, Doi, Email, Localized, Mirror, Passage, Url, doi_url, hints_within, may_hold_text
from ..render.text import mailto
from ..sync import read_page, scan_pages
from ..tokens import find_urls


@dataclass(frozen=True)
class Occurrence:
    page: str  # "download", "license", "docs/guide", …
    language: str
    source: str  # "dataset.yml:88" or "docs/guide.en.md:3"
    mirror: str | None = None

    def as_dict(self) -> dict:
        return {"page": self.page, "language": self.language, "source": self.source, "mirror": self.mirror}


@dataclass
class Link:
    url: str
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def mirror(self) -> str | None:
        return next((o.mirror for o in self.occurrences if o.mirror), None)


class LinkSet:
    def __init__(self) -> None:
        self.links: dict[str, Link] = {}

    def add(self, url: str, occurrence: Occurrence) -> None:
        link = self.links.setdefault(url, Link(url))
        if occurrence not in link.occurrences:
            link.occurrences.append(occurrence)

    def __iter__(self):
        return iter(self.links.values())


# The page each top-level key of dataset.yml is shown on: where its links are reported. A key
# missing here is a defect a test names (tests/test_hostile.py), never a link left unchecked.
FIELD_PAGES = {
    "id": "index", "languages": "index", "name": "index", "title": "index", "description": "index", "notice": "index",
    "doi": "cite", "creators": "cite", "updated": "index", "license": "license", "clauses": "license",
    "article": "cite", "article_for": "cite", "publications": "cite", "related_datasets": "cite",
    "regions": "download", "mirrors": "download", "releases": "download", "changes": "changes",
    "contact": "contact",
    # What machines read alone (every page's JSON-LD, the metadata files), linked from the home page's.
    "cstr": "index", "other_records": "index", "publisher": "index", "published": "index", "keywords": "index",
    "funding": "index",
}
NOT_LINKED = {"site_url", "link_check"}  # the site's own address; the checker's settings


@functools.cache
def _hints(cls: type) -> dict:
    return typing.get_type_hints(cls, include_extras=True)


@functools.cache
def _item_hint(hint: object) -> object:
    """The type of a list's items (`Annotated[list[Region], …] | None` -> Region)."""
    while typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if len(args) == 1 and typing.get_origin(hint) is not list:  # `list[X] | None`
        return _item_hint(args[0])
    return args[0] if args else None


@functools.cache
def _linking_fields(cls: type) -> tuple[str, ...]:
    """The fields of a model class whose values can hold a link: a Url, Doi or Email, or a text
    (a release's 10,000 files hold none, and are not walked)."""
    def links(hint: object) -> bool:
        parts = hints_within(hint)
        return may_hold_text(hint) or any(kind in parts for kind in (Url, Doi, Email)) \
            or any(not isinstance(part, type) and typing.get_origin(part) is dict for part in parts)
    hints = _hints(cls)
    return tuple(name for name in cls.__struct_fields__ if links(hints[name]))


@functools.cache
def _is(hint: object, kind: object) -> bool:
    return hint == kind or kind in typing.get_args(hint)


def linked_values(dataset: Dataset):
    """(key path, URL) of every link the pages show, found by the model's types: each `Url` field,
    each DOI (as its resolver link), each e-mail address (as mailto:), every URL in a text.
    What the renderers link is what the model types say; this walks the same types, so a new
    field with a URL is checked without being listed anywhere (retired mirrors are not linked)."""

    def walk(node: object, path: tuple, hint: object):
        if node is None:
            return
        if isinstance(node, (Localized, Passage)):
            for language, value in node.items():
                for _, _, url in find_urls(value):
                    yield path + (language,), url
        elif isinstance(node, Struct):
            if isinstance(node, Mirror) and node.retired:
                return
            hints = _hints(type(node))
            for name in _linking_fields(type(node)):
                if not path and name in NOT_LINKED:
                    continue
                yield from walk(getattr(node, name), path + (name,), hints.get(name))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, path + (index,), _item_hint(hint))
        elif isinstance(node, dict):
            for key, item in node.items():
                yield from walk(item, path + (key,), None)
        elif isinstance(node, str):
            if _is(hint, Url):
                yield path, node
            elif _is(hint, Doi):
                yield path, doi_url(node)
            elif _is(hint, Email):
                yield path, mailto(node)

    yield from walk(dataset, (), None)


def collect_links(loaded: LoadedDataset, docs_dir: Path | None = None) -> list[Link]:
    dataset = loaded.dataset
    links = LinkSet()
    for path, url in linked_values(dataset):
        page = FIELD_PAGES.get(path[0], "index")
        mirror = dataset.mirrors[path[1]].id if path[0] == "mirrors" else None
        source = f"{loaded.display}:{loaded.locate(path)[0]}"
        # A URL inside a text is linked in that text's language; a field's in every language.
        languages = [path[-1]] if path[-1] in dataset.languages else dataset.languages
        for language in languages:
            links.add(url, Occurrence(page, language, source, mirror))

    if docs_dir is not None:
        pages, _ = scan_pages(docs_dir, dataset.languages)
        for page in pages:
            for language, path in page.files.items():
                lines = read_page(path).splitlines()
                for number, line in enumerate(lines, start=1):
                    for _, _, url in find_urls(line):
                        links.add(url, Occurrence(f"docs/{page.name}", language, f"{display_name(path)}:{number}"))
    return list(links)


def links_from_file(path: Path) -> list[Link]:
    """Links listed one per line in a text file (blank lines and # comments ignored)."""
    links = LinkSet()
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        url = line.strip()
        if url and not url.startswith("#"):
            links.add(url, Occurrence("", "", f"{display_name(path)}:{number}"))
    return list(links)
