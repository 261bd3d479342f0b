"""Validate plain data (parsed YAML) against the model and report every mistake at once.

msgspec converts data into the model's structs and checks the constraints declared there
(types, patterns, lengths, ranges, unknown keys), but it stops at the first mistake. A
maintainer fixing dataset.yml wants all of them, so this module walks the data alongside the
model's type hints, lets msgspec judge each value, runs the model's `Check` rules, and
collects one message per mistake with its key path. Only data with no mistake is converted.
"""

from __future__ import annotations

import difflib
import functools
import types
from datetime import date
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

import msgspec

from . import model
from .model import Check, Dataset

KeyPath = tuple  # such as ("mirrors", 3, "url")


class SchemaError(Exception):
    """Every mistake found, as (key path, message) pairs."""

    def __init__(self, errors: list[tuple[KeyPath, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors))


def validate(data: Any) -> Dataset:
    with model.site_languages(_declared_languages(data)):
        return _validate(data)


def _declared_languages(data: Any) -> tuple[str, ...]:
    """The site's languages as dataset.yml lists them, for checking its texts (a list that is
    itself wrong is reported at its key; the texts are checked against the default meanwhile)."""
    declared = data.get("languages") if isinstance(data, dict) else None
    if isinstance(declared, list) and declared and all(isinstance(code, str) and code in model.KNOWN
                                                       for code in declared):
        return tuple(dict.fromkeys(declared))
    return model.DEFAULT_SITE


def _validate(data: Any) -> Dataset:
    # The usual case first: msgspec converts a valid file in one pass (its types, patterns and
    # ranges), then only the model's own Check rules are run, over the converted objects. Only a
    # file with a mistake is walked value by value, for every message at once (ten times slower).
    try:
        dataset = msgspec.convert(data, Dataset)
    except msgspec.ValidationError:
        dataset = None
    if dataset is not None:
        errors = list(_check_walk(dataset, Dataset, ()))
        if not errors:
            return dataset
    errors = list(_errors(data, Dataset, ()))
    if errors:
        raise SchemaError(errors)
    try:
        return msgspec.convert(data, Dataset)
    except msgspec.ValidationError as exc:  # a rule the walk above does not know about
        raise SchemaError([((), str(exc))]) from None


def _check_walk(value: Any, annotation: Any, path: KeyPath):
    """The Check rules of the model over converted objects (whose types msgspec has checked)."""
    bare, _, checks, _ = _split(annotation)
    origin = get_origin(bare)
    if origin in (Union, types.UnionType):
        if value is None:
            return
        (inner,) = [arg for arg in get_args(bare) if arg is not type(None)]
        yield from _check_walk(value, Annotated[(inner, *checks)] if checks else inner, path)
        return
    found = []
    if isinstance(bare, type) and issubclass(bare, msgspec.Struct):
        for name, hint in _checked_fields(bare):
            found += _check_walk(getattr(value, name), hint, path + (name,))
    elif origin is list:
        (item,) = get_args(bare)
        if _has_checks(item):
            for index, entry in enumerate(value):
                found += _check_walk(entry, item, path + (index,))
    elif origin is dict:
        key_type, item = get_args(bare)
        for key, entry in value.items():
            if key_type is not str:
                found += _check_walk(key, key_type, path + (key,))
            found += _check_walk(entry, item, path + (key,))
    yield from found
    if not found:
        yield from _run_checks(value, checks, path)


@functools.cache
def _hints(struct: type) -> dict[str, Any]:
    return get_type_hints(struct, vars(model), include_extras=True)


@functools.cache
def _has_checks(annotation: Any) -> bool:
    """Whether any Check rule applies within values of this annotation."""
    return any((get_origin(part) is Annotated and any(isinstance(extra, Check) for extra in get_args(part)[1:]))
               or (isinstance(part, type) and issubclass(part, model.Localized))
               for part in model.hints_within(annotation))


@functools.cache
def _checked_fields(struct: type) -> tuple[tuple[str, Any], ...]:
    """(name, annotation) of the fields of a model class that a Check rule applies within; the
    others (sizes, digests …) msgspec has already judged whole."""
    hints = _hints(struct)
    return tuple((field.name, hints[field.name]) for field in _fields(struct) if _has_checks(hints[field.name]))


@functools.cache
def _fields(struct: type) -> tuple:
    return msgspec.structs.fields(struct)  # (msgspec evaluates the annotations anew each time)


@functools.cache
def _split(annotation: Any) -> tuple[Any, tuple[msgspec.Meta, ...], tuple[Check, ...], Any]:
    """The bare type of an annotation, its msgspec constraints, its datasite checks, and the
    type msgspec judges a single value by (the bare type with its constraints)."""
    metas: list[msgspec.Meta] = []
    checks: list[Check] = []
    while get_origin(annotation) is Annotated:
        annotation, *extras = get_args(annotation)
        metas += [e for e in extras if isinstance(e, msgspec.Meta)]
        checks += [e for e in extras if isinstance(e, Check)]
    if isinstance(annotation, type) and issubclass(annotation, model.Localized):
        checks.append(model.check_localized)  # the site's languages, every one
    leaf = Annotated[(annotation, *metas)] if metas else annotation
    return annotation, tuple(metas), tuple(checks), leaf


def _errors(value: Any, annotation: Any, path: KeyPath):
    bare, metas, checks, leaf = _split(annotation)
    origin = get_origin(bare)

    if origin in (Union, types.UnionType):  # only `X | None` occurs in the model
        if value is None:
            return
        (inner,) = [arg for arg in get_args(bare) if arg is not type(None)]
        yield from _errors(value, Annotated[(inner, *metas, *checks)] if metas or checks else inner, path)
        return

    if value is None:  # `key:` with nothing after it
        yield path, "has no value: write one, or remove the key if it is optional"
        return

    if isinstance(bare, type) and issubclass(bare, msgspec.Struct):
        if not isinstance(value, dict):
            yield path, "expected a mapping of keys (key: value)"
            return
        found = list(_struct_errors(value, bare, path))
        yield from found
        if not found:
            yield from _check_errors(value, bare, checks, path)
        return

    if origin is list:
        if not isinstance(value, list):
            yield path, "expected a list (lines starting with '- ')"
            return
        for meta in metas:
            if meta.min_length and len(value) < meta.min_length:
                yield path, f"the list needs at least {meta.min_length} item{'s' if meta.min_length > 1 else ''}"
        (item,) = get_args(bare)
        found = [error for index, entry in enumerate(value) for error in _errors(entry, item, path + (index,))]
        yield from found
        if not found:
            yield from _check_errors(value, bare, checks, path)  # (rules on the whole list)
        return

    if origin is dict:
        if not isinstance(value, dict):
            yield path, "expected a mapping of keys (key: value)"
            return
        key_type, item = get_args(bare)
        for key, entry in value.items():
            if key_type is not str:  # keys with rules of their own (a language)
                yield from _errors(key, key_type, path + (key,))
            yield from _errors(entry, item, path + (key,))
        return

    try:
        msgspec.convert(value, leaf)
    except msgspec.ValidationError as exc:
        yield path, _leaf_message(value, bare, metas, str(exc))
        return
    yield from _check_errors(value, bare, checks, path)


def _struct_errors(value: dict, struct: type, path: KeyPath):
    hints = _hints(struct)
    for key in value:
        if key not in hints:
            close = difflib.get_close_matches(str(key), list(hints), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield path + (key,), f"unknown key '{key}'{hint}"
    for field in _fields(struct):
        if field.name in value:
            yield from _errors(value[field.name], hints[field.name], path + (field.name,))
        elif field.required:
            # Reported at the mapping that lacks the key: that is where it has to be added.
            yield path, f"required key '{field.name}' is missing"


def _check_errors(value: Any, bare: Any, checks: tuple[Check, ...], path: KeyPath):
    if not checks:
        return
    if isinstance(bare, type) and issubclass(bare, msgspec.Struct):
        value = msgspec.convert(value, bare)  # checks of a mapping see the model object
    yield from _run_checks(value, checks, path)


def _run_checks(value: Any, checks: tuple[Check, ...], path: KeyPath):
    """The first Check rule the value breaks, with its message (each rule says what to do)."""
    for check in checks:
        try:
            check(value)
        except ValueError as exc:
            yield path, str(exc)
            return


def _leaf_message(value: Any, bare: Any, metas: tuple[msgspec.Meta, ...], fallback: str) -> str:
    if bare is str and not isinstance(value, str):
        if isinstance(value, (dict, list)):
            return "expected text"
        return f"expected text, got {value!r}: put the value in quotes"
    described = [meta.description for meta in metas if meta.description]
    if isinstance(value, str) and described:
        return f"{value!r} is not {described[0]}"
    if bare is bool:
        return f"expected true or false, got {value!r}"
    if bare in (int, float):
        bounds = [f"{word} {getattr(meta, name)}" for meta in metas
                  for name, word in (("ge", "at least"), ("gt", "more than"), ("le", "at most"), ("lt", "less than"))
                  if getattr(meta, name) is not None]
        kind = "a whole number" if bare is int else "a number"
        return f"expected {kind}{' ' + ' and '.join(bounds) if bounds else ''}, got {value!r}"
    if bare is date:
        return f"expected a date (YYYY-MM-DD), got {value!r}"
    return f"{fallback} (got {value!r})"
