"""The languages datasite knows, read from their records in `datasite/languages/<code>.yml`.

A language is data: its code, its own name, its locale, the theme's search language and word
segmenter, its typography and the interface words of the pages. A site names its languages in
dataset.yml (`languages:`, the first served at the site's root); adding a language datasite
does not know yet is adding one file there (README: "Languages"). No other module names a
language: they iterate over the site's languages and ask their records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

FOLDER = Path(__file__).parent / "languages"
DEFAULTS = FOLDER / "defaults.yml"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # by its own name, for the language switcher
    locale: str  # Open Graph locale (en_US)
    iso639_3: str  # the three-letter code (ISO 639-3) that Zenodo's metadata asks for
    search: str  # the theme's search language (lunr.js)
    han: bool  # written in Han characters: other languages' pages mark Han text with this code
    metadata: bool  # the language of CITATION.cff, BibTeX and RIS where the site has it
    segmenter: str | None  # how the search index cuts words without spaces ("jieba"), if at all
    search_scripts: tuple[str, ...]  # the theme's search scripts this language needs besides its own
    list_separator: str  # between the items of a list in a sentence
    label_separator: str  # between a label and its value ("Website: …")
    readme: dict[str, str]  # the README's own words
    words: dict[str, str]  # the pages' interface words
    importer: dict | None = None  # how `datasite import` reads a README half in it (importer.py), if it does


class LanguageDataError(Exception):
    """A language record datasite ships is incomplete (a defect of datasite, found by its tests)."""


def _record(path: Path) -> Language:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    typography = data.get("typography") or {}
    try:
        return Language(code=data["code"], name=data["name"], locale=data["locale"],
                        iso639_3=data["iso639_3"], search=data["search"],
                        han=bool(data.get("han")), metadata=bool(data.get("metadata")), segmenter=data.get("segmenter"),
                        search_scripts=tuple(data.get("search_scripts") or ()),
                        list_separator=typography["list_separator"], label_separator=typography["label_separator"],
                        readme=dict(data["readme"]), words=dict(data["words"]),
                        importer=data.get("importer"))
    except (KeyError, TypeError) as exc:
        raise LanguageDataError(f"{path}: missing {exc}") from None


def _load() -> tuple[dict[str, Language], tuple[str, ...]]:
    defaults = tuple(yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))["site_languages"])
    records = {}
    for path in sorted(FOLDER.glob("*.yml")):
        if path == DEFAULTS:
            continue
        record = _record(path)
        if record.code != path.stem:
            raise LanguageDataError(f"{path}: code '{record.code}' is not the file's name")
        records[record.code] = record
    # The default site's languages first, in their order (the order of a Localized text's fields).
    ordered = {code: records[code] for code in defaults}
    ordered.update((code, record) for code, record in records.items() if code not in ordered)
    first = ordered[defaults[0]]
    for record in ordered.values():
        for kind in ("words", "readme"):
            missing = sorted(set(getattr(first, kind)) - set(getattr(record, kind)))
            if missing:
                raise LanguageDataError(f"{FOLDER / (record.code + '.yml')}: {kind}: missing {', '.join(missing)}")
    return ordered, defaults


KNOWN, DEFAULT_SITE = _load()
"""Every language datasite knows, by code; the languages of a dataset.yml that names none."""


def language(code: str) -> Language:
    return KNOWN[code]


def han_language(languages: tuple[str, ...]) -> str | None:
    """The one site language written in Han characters, whose text is marked as such on the
    other languages' pages; None where there is none, or more than one (Chinese and Japanese
    both write 日本語: a run of Han text alone does not say which it is)."""
    han = [code for code in languages if KNOWN[code].han]
    return han[0] if len(han) == 1 else None


def metadata_language(languages: tuple[str, ...] | list[str]) -> str:
    """The language of citation files and other metadata read worldwide: the first of the site's
    languages whose record says so, else the site's first."""
    return next((code for code in languages if KNOWN[code].metadata), languages[0])
