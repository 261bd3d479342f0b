"""Load dataset.yml into the typed model, turning every mistake into a located message.

PyYAML's safe loader builds the node tree (no arbitrary tags); we construct plain data from
it ourselves only to remember where each key stood, then `datasite.validation` checks the data
against the model (msgspec) and converts it.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from .model import Dataset
from .problems import DatasetError, Problem
from .validation import KeyPath, SchemaError, validate


@dataclass
class SourceMarks:
    """Where each key of dataset.yml stands, to point the maintainer at it."""

    display: str
    marks: dict[KeyPath, tuple[int, int]] = field(repr=False)

    def locate(self, key_path: KeyPath) -> tuple[int, int]:
        """Line and column (1-based) of the nearest key of `key_path` that exists in the file."""
        key_path = tuple(key_path)
        while key_path and key_path not in self.marks:
            key_path = key_path[:-1]
        return self.marks.get(key_path, (1, 1))

    def problem(self, key_path: KeyPath, message: str) -> Problem:
        line, column = self.locate(key_path)
        return Problem(self.display, line, column, format_path(key_path), message)


@dataclass(kw_only=True)
class LoadedDataset(SourceMarks):
    """The validated model, its file, and where its keys stand."""

    dataset: Dataset
    path: Path


def format_path(key_path: KeyPath) -> str:
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def display_name(path: Path) -> str:
    """The path as the maintainer would type it: relative to the working directory if inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def load_dataset(path: str | os.PathLike) -> LoadedDataset:
    path = Path(path)
    display = display_name(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DatasetError([Problem(display, 1, 1, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise DatasetError([Problem(display, 1, 1, "", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise DatasetError([Problem(display, 1, 1, "", f"cannot read the file: {exc.strerror}")]) from None

    data, marks = parse_yaml(text, display)
    try:
        dataset = validate(data)
    except SchemaError as exc:
        source = SourceMarks(display, marks)
        problems = [source.problem(key_path, message) for key_path, message in exc.errors]
        raise DatasetError(list(dict.fromkeys(problems))) from None  # each once, in order

    loaded = LoadedDataset(display, marks, dataset=dataset, path=path)
    problems = cross_reference_problems(loaded)
    if problems:
        raise DatasetError(problems)
    return loaded


# libyaml's parser when PyYAML has it (several times faster); both are "safe" (no object tags).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, display: str) -> tuple[object, dict[KeyPath, tuple[int, int]]]:
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
        raise DatasetError([Problem(display, line, column, "", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise DatasetError([Problem(display, 1, 1, "", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _construct(loader, node, path: KeyPath, marks: dict, display: str, seen: set):
    # A node met twice is an alias (*name): refused, since aliases can loop or multiply a file
    # ("billion laughs"), and dataset.yml has no need for them.
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in seen:
            line, column = _mark(node)
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
            key = loader.construct_object(key_node)
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
    return loader.construct_object(node, deep=True)


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
    region_ids = {r.id for r in dataset.regions}
    for index, mirror in enumerate(dataset.mirrors):
        if mirror.region not in region_ids:
            problems.append(
                loaded.problem(
                    ("mirrors", index, "region"),
                    f"unknown region '{mirror.region}' (regions are: {', '.join(sorted(region_ids))})",
                )
            )
    for index, region in enumerate(dataset.regions):
        if not dataset.mirrors_in(region):
            problems.append(loaded.problem(("regions", index), f"region '{region.id}' has no mirrors"))
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
