"""Load dataset.yml into the typed model, turning every mistake into a located message.

PyYAML's safe loader builds the node tree (no arbitrary tags); we construct plain data from
it ourselves only to remember where each key stood, then `datasite.validation` checks the data
against the model (msgspec) and converts it.
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import yaml

from .model import Dataset, doi_url
from .fsio import read_bytes
from .problems import DatasetError, Problem

if TYPE_CHECKING:
    from .parsecache import ParseCache
from .validation import KeyPath, SchemaError, validate


@dataclass
class SourceMarks:
    """Where each key of dataset.yml stands, to point the maintainer at it."""

    display: str
    marks: dict[KeyPath, tuple[int, int]] = field(repr=False)
    # List items named by their id ("mirrors.quark.label"): the name `datasite confirm` and the
    # lock file use, so that one field has one name in every message.
    ids: dict[KeyPath, str] = field(default_factory=dict, repr=False)

    def locate(self, key_path: KeyPath) -> tuple[int, int]:
        """Line and column (1-based) of the nearest key of `key_path` that exists in the file."""
        key_path = tuple(key_path)
        while key_path and key_path not in self.marks:
            key_path = key_path[:-1]
        return self.marks.get(key_path, (1, 1))

    def problem(self, key_path: KeyPath, message: str) -> Problem:
        line, column = self.locate(key_path)
        return Problem(self.display, line, column, format_path(key_path, self.ids), message)


@dataclass(kw_only=True)
class LoadedDataset(SourceMarks):
    """The validated model, its file, and where its keys stand."""

    dataset: Dataset
    path: Path

    @functools.cached_property
    def key_paths(self) -> dict[str, KeyPath]:
        """Stable key ("mirrors.quark.label") -> key path, for every key of the file (made once:
        a large file has a hundred thousand)."""
        return {format_path(path, self.ids): path for path in self.marks}


def format_path(key_path: KeyPath, ids: dict[KeyPath, str] | None = None) -> str:
    """"mirrors.quark.label" where the item has an id (unique in its list), "mirrors[6].label"
    where it has none, and for the id itself ("mirrors[6].id")."""
    out = ""
    for index, part in enumerate(key_path):
        ident = (ids or {}).get(tuple(key_path[:index + 1])) if isinstance(part, int) else None
        if ident and key_path[index + 1:index + 2] != ("id",):
            out += f".{ident}"
        else:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def display_name(path: Path) -> str:
    """The path as the maintainer would type it: relative to the working directory if inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def load_dataset(path: str | os.PathLike, cache: "ParseCache | None" = None) -> LoadedDataset:
    """`cache`: parsed sections of earlier builds (parsecache.py), for a large file edited a little."""
    path = Path(path)
    display = display_name(path)
    try:
        raw = read_bytes(path)
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise DatasetError([Problem(display, 1, 1, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DatasetError([Problem(display, line, column, "",
                                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x}: {exc.reason}); "
                                    "save the file as UTF-8")]) from None
    except OSError as exc:
        raise DatasetError([Problem(display, 1, 1, "", f"cannot read the file: {exc.strerror}")]) from None

    if cache is not None:
        data, marks = cache.parse(text, lambda section: parse_yaml(section, display))
    else:
        data, marks = parse_yaml(text, display)
    try:
        dataset = validate(data)
    except SchemaError as exc:
        source = SourceMarks(display, marks, item_ids(data))
        problems = [source.problem(key_path, message) for key_path, message in exc.errors]
        raise DatasetError(list(dict.fromkeys(problems))) from None  # each once, in order

    loaded = LoadedDataset(display, marks, item_ids(data), dataset=dataset, path=path)
    problems = cross_reference_problems(loaded)
    if problems:
        raise DatasetError(problems)
    return loaded


# libyaml's parser when PyYAML has it (several times faster); both are "safe" (no object tags).
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_SafeLoader = _BaseLoader


MAX_DEPTH = 64  # of nested lists and mappings: dataset.yml needs 5; parsers recurse (and crash) on deep ones


def _too_deep(text: str, display: str) -> None:
    """Refuse deeply nested input before the parser sees it: PyYAML recurses into each level,
    and libyaml's C stack overflows (a crash, not an error) on a hundred thousand."""
    depth, quote = 0, ""
    for number, line in enumerate(text.split("\n"), start=1):
        nested = len(line) - len(line.lstrip(" -"))  # "- - - x" and indentation nest blocks
        if nested > MAX_DEPTH * 4:
            raise DatasetError([Problem(display, number, 1, "", f"nested more than {MAX_DEPTH} levels deep")])
        if depth == 0 and not quote and not line.lstrip().startswith(("[", "{")) and ": [" not in line \
                and ": {" not in line and "- [" not in line and "- {" not in line:
            continue  # no flow collection starts on this line: brackets in it are text
        for column, char in enumerate(line, start=1):
            if quote:  # inside a quoted scalar, brackets are text
                if char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "#" and (column == 1 or line[column - 2] in " \t"):
                break  # a comment
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise DatasetError([Problem(display, number, column, "",
                                                f"nested more than {MAX_DEPTH} levels deep")])
            elif char in "]}":
                depth = max(0, depth - 1)
        if depth == 0:
            quote = ""  # a quote inside plain text (an apostrophe) does not run on


_TAB_HINT = "; indent with spaces, not tabs"


def parse_yaml(text: str, display: str) -> tuple[object, dict[KeyPath, tuple[int, int]]]:
    _too_deep(text, display)
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise DatasetError([Problem(display, 1, 1, "", "the file is empty")])
        marks: dict[KeyPath, tuple[int, int]] = {}
        data = _construct(loader, node, (), marks, display, set())
        return data, marks
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(s) for s in (exc.context, exc.problem) if s)
        lines = text.split("\n")
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
        if "\t" in source_line[:column] or "\\t" in what:  # PyYAML does not say it was a tab
            what += _TAB_HINT
        raise DatasetError([Problem(display, line, column, "", f"YAML syntax error: {what}")]) from None
    except RecursionError:
        raise DatasetError([Problem(display, 1, 1, "", f"nested more than {MAX_DEPTH} levels deep")]) from None
    except yaml.YAMLError as exc:
        raise DatasetError([Problem(display, 1, 1, "", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()


def item_ids(data: object, path: KeyPath = ()) -> dict[KeyPath, str]:
    """The ids of list items (unique in their list, well formed): how messages name them."""
    found: dict[KeyPath, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            found.update(item_ids(value, path + (key,)))
    elif isinstance(data, list):
        named = [item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
                 for item in data]
        counts = Counter(named)
        for index, item in enumerate(data):
            ident = named[index]
            if isinstance(ident, str) and counts[ident] == 1 and _ID.fullmatch(ident):
                found[path + (index,)] = ident
            found.update(item_ids(item, path + (index,)))
    return found


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_PLAIN = (True, False)  # what PyYAML's resolver is told of an unquoted scalar
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def _construct(loader, node, path: KeyPath, marks: dict, display: str, seen: set):
    # A node met twice is an alias (*name): refused, since aliases can loop or multiply a file
    # ("billion laughs"), and dataset.yml has no need for them. Reported where it is used.
    if id(node) in seen:
        line, column = marks.get(path) or _mark(node)
        raise DatasetError([Problem(display, line, column, format_path(path),
                                    "YAML aliases (*name) are not supported here: write the value out")])
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *name` copies from an alias
                line, column = _mark(key_node)
                raise DatasetError([Problem(display, line, column, format_path(path),
                                            "YAML merge keys (<<) are not supported here: write the keys out")])
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = _mark(key_node)
                raise DatasetError([Problem(display, line, column, format_path(path), "keys must be plain words")])
            key = _scalar(loader, key_node) if not key_node.style else key_node.value
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                line, column = _mark(key_node)
                raise DatasetError(
                    [Problem(display, line, column, format_path(path + (key,)), "duplicate key: it is already set above")]
                )
            marks[path + (key,)] = _mark(key_node)
            result[key] = _construct(loader, value_node, path + (key,), marks, display, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item_node in enumerate(node.value):
            marks[path + (index,)] = _mark(item_node)
            items.append(_construct(loader, item_node, path + (index,), marks, display, seen))
        return items
    # (libyaml gives a plain scalar the style "", PyYAML None)
    implicit = _resolved(loader, node.value) if not node.style else _STR
    if node.tag == _STR == implicit:
        return node.value  # text, the most common value: nothing to construct
    line, column = _mark(node)
    if node.tag != implicit:  # `!!int abc`, `!!binary …`, `!python/…`: the file says what a value is
        raise DatasetError([Problem(display, line, column, format_path(path),
                                    f"explicit YAML tags ({node.tag.replace('tag:yaml.org,2002:', '!!')}) are "
                                    "not supported here: write the value plainly, and quote text")])
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError) as exc:  # 2026-02-30, 1e999999 …
        raise DatasetError([Problem(display, line, column, format_path(path),
                                    f"'{node.value}' is not a valid {node.tag.rsplit(':', 1)[-1]} ({exc}); "
                                    "quote it if it is text")]) from None


_STR = "tag:yaml.org,2002:str"


def _resolved(loader, value: str) -> str:
    """The tag YAML gives a plain scalar."""
    return loader.resolve(yaml.ScalarNode, value, _PLAIN)


def _scalar(loader, node) -> object:
    return node.value if _resolved(loader, node.value) == _STR else loader.construct_object(node)


# A QR code (version 40, error correction M, as render/qr.py makes it) holds at most 2331 bytes.
QR_CAPACITY = 2331


def qr_sources(dataset: Dataset) -> list[tuple[KeyPath, str]]:
    """Where the cite page's QR codes come from, and what they encode."""
    sources = [(("site_url",), dataset.site_url)] if dataset.site_url else []
    if dataset.article.doi:
        sources.append((("article", "doi"), doi_url(dataset.article.doi)))
    return sources


def cross_reference_problems(loaded: LoadedDataset) -> list[Problem]:
    """Checks that span several entries: unique ids (they are anchors) and region references."""
    dataset = loaded.dataset
    problems = []
    # Regions and mirrors are anchors of the same page (download), clauses of another (license).
    for list_names in (("regions", "mirrors"), ("clauses",)):
        entries = [(name, index, item) for name in list_names for index, item in enumerate(getattr(dataset, name))]
        counts = Counter(item.id for _, _, item in entries)
        for name, index, item in entries:
            if counts[item.id] > 1:
                problems.append(loaded.problem(
                    (name, index, "id"), f"id '{item.id}' is used more than once in {' and '.join(list_names)}"))
    for index, clause in enumerate(dataset.clauses):
        if clause.title.languages != clause.body.languages:
            problems.append(loaded.problem(("clauses", index, "title"),
                                           f"the title is in {', '.join(clause.title.languages)}, the body in "
                                           f"{', '.join(clause.body.languages)}: a clause has its title in the "
                                           "languages of its body (`only` the same in both)"))
    region_ids = {r.id for r in dataset.regions}
    for index, mirror in enumerate(dataset.mirrors):
        if mirror.region not in region_ids:
            problems.append(
                loaded.problem(
                    ("mirrors", index, "region"),
                    f"unknown region '{mirror.region}' (regions are: {', '.join(sorted(region_ids))})",
                )
            )
    if not dataset.live_mirrors:
        problems.append(loaded.problem(("mirrors",), "every mirror is retired: the data needs one to download from"))
    for index, region in enumerate(dataset.regions):
        if not dataset.mirrors_in(region):
            problems.append(loaded.problem(("regions", index), f"region '{region.id}' has no mirrors"))
    for index, mirror in enumerate(dataset.mirrors):
        query = parse_qs(urlsplit(mirror.url).query)
        in_url = next((values[0] for key, values in query.items() if key.lower() in ("pwd", "password")), None)
        if mirror.code and in_url and in_url != mirror.code:
            problems.append(loaded.problem(("mirrors", index, "code"),
                                           f"the code '{mirror.code}' differs from pwd={in_url} in the mirror's URL; "
                                           "make them the same"))
    for key_path, payload in qr_sources(dataset):
        size = len(payload.encode("utf-8"))
        if size > QR_CAPACITY:
            problems.append(loaded.problem(key_path, f"too long for the QR code of the cite page ({size} bytes "
                                                     f"as a URL; at most {QR_CAPACITY})"))
    mirror_ids, clause_ids = {m.id for m in dataset.mirrors}, {c.id for c in dataset.clauses}
    versions = Counter(r.version for r in dataset.releases)
    for index, release in enumerate(dataset.releases):
        if versions[release.version] > 1:
            problems.append(loaded.problem(("releases", index, "version"),
                                           f"version '{release.version}' is listed more than once"))
        names = Counter(f.name for f in release.files)
        for number, item in enumerate(release.files):
            if names[item.name] > 1:
                problems.append(loaded.problem(("releases", index, "files", number, "name"),
                                               f"file '{item.name}' is listed more than once"))
        if release.mirrors is not None and release.files and not dataset.mirrors_of(release):
            problems.append(loaded.problem(("releases", index, "mirrors"),
                                           "no mirror that carries this release is live (all are retired): "
                                           "name a live mirror"))
        for number, mirror in enumerate(release.mirrors or []):
            if mirror not in mirror_ids:
                problems.append(loaded.problem(("releases", index, "mirrors", number),
                                               f"unknown mirror '{mirror}' (mirrors are: {', '.join(sorted(mirror_ids))})"))
    for index, change in enumerate(dataset.changes):
        for number, clause in enumerate(change.clauses):
            if clause not in clause_ids:
                problems.append(loaded.problem(("changes", index, "clauses", number),
                                               f"unknown clause '{clause}' (clauses are: {', '.join(sorted(clause_ids))})"))
    return problems
