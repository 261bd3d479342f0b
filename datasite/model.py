"""The typed model of a dataset.yml file.

Everything a page, README or citation file shows comes from these classes; the loader
(`datasite.loader`) is the only place that builds them from YAML.
"""

from __future__ import annotations

import datetime as _dt
import functools
import typing
import unicodedata  # `date` is also a field name (of releases and changes)
from datetime import date, datetime, timezone
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Iterator
from urllib.parse import urlsplit

from msgspec import Meta, Struct, defstruct, field

from .hosts import ascii_host, label_scripts, mixed_script_label
from .language import DEFAULT_SITE, KNOWN

ALLOWED_SCHEMES = ("https", "http")


def doi_url(doi: str) -> str:
    """The resolver URL of a DOI: how a DOI is linked, printed and checked."""
    return f"https://doi.org/{doi}"


class Check:
    """A rule msgspec's constraints cannot express, attached to a type with Annotated.

    `datasite.validation` runs it once the value has the right shape; it raises ValueError
    with a message for the maintainer. (msgspec itself ignores this metadata.)
    """

    def __init__(self, function):
        self.function = function

    def __call__(self, value):
        self.function(value)


_URL_FORBIDDEN = set('<>"\'`{}|\\^')
# Characters that change how text is shown without showing themselves: direction overrides and
# isolates (U+202A-U+202E, U+2066-U+2069), marks, zero-width characters, the byte-order mark.
_INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff") | {chr(c) for c in range(0x202A, 0x202F)} \
    | {chr(c) for c in range(0x2066, 0x206A)}
_LINE_BREAKS = set("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def _control(char: str) -> bool:
    """C0 and C1 control characters, DEL and noncharacters (U+FFFE, U+FFFF): nothing XML may
    carry (a feed of a text that held one would not parse). A tab and a newline are text."""
    code = ord(char)
    return (code < 32 and char not in "\t\n") or 0x7F <= code <= 0x9F or code in (0xFFFE, 0xFFFF)


@Check
def _check_url(value: str) -> None:
    # Keep the URL exactly as written (no normalisation): it is printed and copied verbatim.
    if value != value.strip() or any(c.isspace() or ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in value):
        raise ValueError("a URL may not contain spaces or control characters")
    hidden = sorted({f"U+{ord(c):04X}" for c in value if c in _INVISIBLE})
    if hidden:
        raise ValueError(f"a URL may not contain invisible or direction-changing characters ({', '.join(hidden)})")
    bad = sorted(set(value) & _URL_FORBIDDEN)
    if bad:
        raise ValueError(f"a URL may not contain {' '.join(bad)} (percent-encode them)")
    parts = urlsplit(value)
    try:
        parts.port
    except ValueError:
        raise ValueError("the URL's port is not a number from 0 to 65535") from None
    if parts.scheme not in ALLOWED_SCHEMES:
        raise ValueError(
            f"URL scheme {parts.scheme + ':' if parts.scheme else '(none)'} is not allowed; "
            "use an https:// or http:// URL"
        )
    if not parts.netloc:
        raise ValueError("the URL has no host")
    if "@" in parts.netloc:
        # user:pass@ would be published on every page; "https://trusted.org@other.net" leads to other.net.
        raise ValueError("a URL may not hold a user name or password (the part before @ in the host): link the "
                         "page without it (a password for readers goes in the mirror's code or note)")
    lookalike = mixed_script_label(parts.hostname or "")
    if lookalike:
        scripts = " and ".join(sorted(s.title() for s in label_scripts(lookalike)))
        raise ValueError(f"the host name mixes {scripts} letters in '{lookalike}', as look-alike addresses do "
                         f"(a reader's browser shows it as {ascii_host(parts.hostname or '')}); write the real host")


@Check
def _check_text(value: str) -> None:
    if not value.strip():
        raise ValueError("the text is empty")
    # (Line breaks of any kind are left to _check_line: in a one-line text they are the mistake.)
    bad = sorted({f"U+{ord(c):04X}" for c in value
                  if (_control(c) and c not in "\r\x85\u2028\u2029")
                  or (c in _INVISIBLE and c not in "\u200b\u200c\u200d")})
    if bad:
        raise ValueError(f"the text contains control or direction-changing characters ({', '.join(bad)}); remove them")


@Check
def _check_line(value: str) -> None:
    if any(c in _LINE_BREAKS for c in value):
        raise ValueError("this text must be a single line (it is a title, name or label)")


def _pattern(regex: str, description: str) -> Meta:
    # The description is what the maintainer reads when a value does not match. Patterns match
    # the whole value: "$" would also match before a final newline ("archive\n"), "\Z" does not.
    if regex.endswith("$") and not regex.endswith("\\$"):
        regex = regex[:-1] + r"\Z"
    return Meta(pattern=regex, description=description)


Url = Annotated[str, _check_url]
Text = Annotated[str, _check_text]
Line = Annotated[str, _check_text, _check_line]
Slug = Annotated[str, _pattern(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
                               "a valid id: use lowercase letters, digits and hyphens")]
Doi = Annotated[str, _pattern(r"^10\.\d{4,9}/[^\s<>\"'`{}|\\^]+$",
                              "a DOI such as 10.1000/xyz123 (no URL prefix, spaces or <>\"'`{}|\\^)")]
# The WHATWG definition of a valid e-mail address (what browsers accept in <input type=email>),
# with a dot required in the domain.
Email = Annotated[str, _pattern(
    r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$",
    "an e-mail address such as name@example.org",
)]
NonEmpty = Meta(min_length=1)


class Strict(Struct, forbid_unknown_fields=True, frozen=True):
    """Unknown keys are errors, so a typo in dataset.yml never passes silently.

    (Classes whose optional keys come before required ones add kw_only=True: msgspec does not
    inherit that option.)
    """


def _text_methods(kind: str) -> dict:
    def languages(self) -> tuple[str, ...]:
        """The languages this text is given in (in the order of the language records)."""
        return tuple(code for code in KNOWN if getattr(self, code) is not None)

    def get(self, language: str) -> str | None:
        """The text in `language`, or None where the author wrote none."""
        return getattr(self, language, None)

    def __getitem__(self, language: str) -> str:
        text = getattr(self, language, None)
        if text is None:
            raise KeyError(f"no {language} text ({kind}: {', '.join(self.languages)})")
        return text

    def items(self) -> Iterator[tuple[str, str]]:
        for code in self.languages:
            yield code, getattr(self, code)

    return {"languages": property(languages), "get": get, "__getitem__": __getitem__, "items": items}


def _text_class(name: str, text_type: object, doc: str, base: type = Strict, **extra_fields) -> type:
    """A text with one optional field per language datasite knows (its record's code): which of
    them a site needs is its own `languages:` (checked by validation.py with the site's list)."""
    fields = [(code, text_type | None, None) for code in KNOWN] + [(k, t, None) for k, t in extra_fields.items()]
    namespace = {"__doc__": doc, **_text_methods("only" if extra_fields else "given in")}
    return defstruct(name, fields, bases=(base,), module=__name__, namespace=namespace, kw_only=True)


# The site's languages while a dataset.yml is validated (validation.py sets them from its
# `languages:`); a text is checked against them.
_SITE_LANGUAGES: ContextVar[tuple[str, ...]] = ContextVar("site_languages", default=DEFAULT_SITE)


@contextmanager
def site_languages(languages: tuple[str, ...]):
    token = _SITE_LANGUAGES.set(tuple(languages))
    try:
        yield
    finally:
        _SITE_LANGUAGES.reset(token)


def _check_site_language(value: str) -> None:
    site = _SITE_LANGUAGES.get()
    if value not in site:
        raise ValueError(f"'{value}' is not one of this site's languages ({', '.join(site)}; "
                         "`languages:` in dataset.yml)")


KnownLanguage = Annotated[str, _pattern("^(" + "|".join(KNOWN) + ")$", "one of " + ", ".join(KNOWN))]
"""A language datasite has a record of, by its code."""
Language = Annotated[KnownLanguage, Check(_check_site_language)]
"""A language of the site, by its code."""

Localized = _text_class("Localized", Text, "A text given in every language of the site.")
LocalizedLine = _text_class(
    "LocalizedLine", Line,
    "A one-line text in every language: titles, names, labels (a newline would break headings).", Localized)


def _site_and_present(value) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The site's languages and those the text is given in; refused if it is given in another."""
    site, present = _SITE_LANGUAGES.get(), value.languages
    extra = [code for code in present if code not in site]
    if extra:
        raise ValueError(f"there is a '{extra[0]}' text, but {extra[0]} is not one of this site's languages "
                         f"({', '.join(site)}; `languages:` in dataset.yml)")
    return site, present


@Check
def check_localized(value) -> None:
    """Every language of the site, and no other (run by validation.py for every Localized)."""
    site, present = _site_and_present(value)
    missing = [code for code in site if code not in present]
    if missing:
        raise ValueError(f"missing the '{missing[0]}' text (every text needs {', '.join(site)})")


Passage = _text_class(
    "Passage", Text,
    """A text as its author wrote it: in every language of the site, or, when `only` says so, in
    those languages alone (a line the author wrote in Chinese only is not translated by copying
    it). Shown on the pages of its languages; the sync check accepts the missing ones.""",
    only=list[Language] | None)
PassageLine = _text_class("PassageLine", Line, "A one-line Passage: the title of a clause written in some languages only.",
                          Passage, only=list[Language] | None)


@Check
def _check_passage(value) -> None:
    site, present = _site_and_present(value)
    if value.only is None:
        missing = [language for language in site if language not in present]
        if missing:
            raise ValueError(f"missing the '{missing[0]}' text (every text needs {', '.join(site)}; if its "
                             f"author wrote it in {', '.join(present) or 'one language'} only, say "
                             f"`only: [{', '.join(present) or site[0]}]`)")
        return
    named = list(dict.fromkeys(value.only))
    if not named or len(named) != len(value.only):
        raise ValueError(f"`only` names each language once (e.g. only: [{site[-1]}])")
    if set(named) == set(site):
        raise ValueError("`only` names every language: leave it out")
    for language in site:
        if language in named and language not in present:
            raise ValueError(f"`only` names {language}, but there is no '{language}' text")
        if language not in named and language in present:
            raise ValueError(f"there is a '{language}' text, but `only` does not name {language}: add it to "
                             "`only`, or remove `only` if the text exists in every language")


Written = Annotated[Passage, _check_passage]
WrittenLine = Annotated[PassageLine, _check_passage]


class License(Strict):
    name: LocalizedLine
    short: Text
    spdx: Annotated[str, _pattern(r"^[A-Za-z0-9.+-]+$", "an SPDX license identifier such as CC-BY-4.0")]
    url: Url


def _orcid_check_digit(digits: str) -> str:
    """ISO 7064 MOD 11-2, the last character of an ORCID iD."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


@Check
def _check_orcid(value: str) -> None:
    digits = value.replace("-", "")
    if _orcid_check_digit(digits[:-1]) != digits[-1]:
        raise ValueError(f"the ORCID iD {value} has a wrong check digit (its last character): copy it from the "
                         "person's ORCID record")


Orcid = Annotated[str, _pattern(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$",
                                "an ORCID iD such as 0000-0002-1825-0097 (no https://orcid.org/ prefix)"),
                  _check_orcid]
Ror = Annotated[str, _pattern(r"^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$",
                              "a ROR ID such as 02mhbdp94 (no https://ror.org/ prefix)")]
Cstr = Annotated[str, _pattern(r"^[0-9A-Za-z]{5}\.[0-9]{2}\.[^\s<>\"'`{}|\\^]+$",
                               "a CSTR identifier such as 31253.11.sciencedb.01234 (no CSTR: prefix)")]


def orcid_url(orcid: str) -> str:
    return f"https://orcid.org/{orcid}"


def ror_url(ror: str) -> str:
    return f"https://ror.org/{ror}"


def cstr_url(cstr: str) -> str:
    """The resolver URL of a CSTR identifier (China's identifier of science and technology resources)."""
    return f"https://cstr.cn/{cstr}"


class Organization(Strict):
    """An institution: a creator's affiliation, the contact's institution, the publisher, a funder."""

    name: LocalizedLine
    ror: Ror | None = None  # its Research Organization Registry id


class Person(Strict, kw_only=True):
    family: Line
    given: Line
    orcid: Orcid | None = None
    affiliation: Organization | None = None

    @property
    def chinese(self) -> bool:
        return any("\u3400" <= c <= "\u9fff" for c in self.family + self.given)

    @property
    def name(self) -> str:
        """The name as it is written: "Mira Holt", and a Chinese one family name first ("霍米拉")."""
        if self.chinese:
            return self.family + self.given
        return f"{self.given} {self.family}"


class Article(Strict, kw_only=True):
    authors: Annotated[list[Person], NonEmpty]
    et_al: bool = False
    title: Line  # bibliographic fields are one line each (RIS and BibTeX are line-based)
    journal: Line
    year: Annotated[int, Meta(ge=1000, le=9999)]
    volume: Line | None = None
    issue: Line | None = None
    pages: Line | None = None
    doi: Doi | None = None
    url: Url | None = None

    @property
    def chinese(self) -> bool:
        """Written in Chinese (its title is): cited in the Chinese way ("等", not "et al.")."""
        return any("\u3400" <= c <= "\u9fff" for c in self.title)


TimeZone = Annotated[str, _pattern(r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)+$", "an IANA time zone such as Asia/Shanghai")]


class Region(Strict):
    id: Slug
    title: LocalizedLine
    # Shown first on the site in these languages, and (decided in the reader's browser, with no
    # network) to readers whose time zone is one of these IANA names.
    first_for_languages: list[Language] = field(default_factory=list)
    first_for_time_zones: list[TimeZone] = field(default_factory=list)
    note: Written | None = None  # shown above the region's mirrors (a shared password, an FTP address)


class Mirror(Strict):
    id: Slug
    region: Slug
    label: LocalizedLine
    url: Url
    code: Annotated[str, _pattern(r"^[A-Za-z0-9._~-]{1,64}$",
                                  "an extraction code of letters, digits and . _ ~ - (at most 64)")] | None = None
    recommended: bool = False  # listed first in its region, and marked
    note: Written | None = None  # shown beside the mirror (what it holds, who it suits)
    # A mirror that is gone keeps its anchor (papers print /download/#id): listed as retired, unlinked.
    retired: date | None = None


Sha256 = Annotated[str, _pattern(r"^[0-9a-f]{64}$", "a SHA-256 digest: 64 lowercase hexadecimal digits "
                                 "(`datasite files` writes it)")]
@Check
def _check_file_name(value: str) -> None:
    # Shown on the download page and in SHA256SUMS: what a reader sees must be what the file is
    # called ("invoice\u202egpj.exe" shows as "invoiceexe.jpg").
    hidden = [] if value.isascii() and value.isprintable() else sorted(  # (the usual name: nothing to look up)
        {f"U+{ord(c):04X}" for c in value
         if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp") or (c.isspace() and c != " ")})
    if hidden:
        raise ValueError(f"a file name may not contain invisible, direction-changing or unassigned characters "
                         f"({', '.join(hidden)})")
    for part in value.split("/"):
        if part != part.strip() or part in (".", ".."):
            raise ValueError(f"the part '{part}' of the file name is not a file or folder name "
                             "(no leading or trailing spaces, no . or ..)")


FileName = Annotated[str, _pattern(r"^[^/\\\x00-\x1f\x7f<>:\"|?*]+(/[^/\\\x00-\x1f\x7f<>:\"|?*]+)*$",
                                   "a file name (folders separated by /), without control characters or \\ < > : \" | ? *"),
                     _check_file_name]
Version = Annotated[str, _pattern(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,39}$",
                                  "a version such as 1.0, 2026-04 or v2 (letters, digits and . _ + -)")]


class ReleaseFile(Strict):
    name: FileName
    size: Annotated[int, Meta(ge=0)]  # bytes
    sha256: Sha256
    format: Annotated[str, _pattern(r"^[A-Za-z0-9.+/ -]{1,40}$", "a format such as zip, CSV or application/zip")] \
        | None = None
    url: Url | None = None  # where the file itself is downloaded (not a share page that lists it)


class Release(Strict, kw_only=True):
    version: Version
    date: _dt.date
    notes: Localized | None = None
    files: list[ReleaseFile] = field(default_factory=list)
    mirrors: list[Slug] | None = None  # ids of the mirrors that carry it; every mirror if not given

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


CHANGE_KINDS = ("release", "terms", "mirrors", "other")


class Change(Strict, kw_only=True):
    """An entry of the "What's new" page and of the Atom feeds."""

    date: _dt.date
    kind: Annotated[str, _pattern(r"^(release|terms|mirrors|other)$", "one of release, terms, mirrors, other")]
    text: Localized
    clauses: list[Slug] = field(default_factory=list)  # the clauses a change of the terms revised


class Clause(Strict):
    id: Slug
    # A clause its author wrote in some languages only says so in both (`only`); its anchor stays
    # in every language, where the page says which language to read it in.
    title: WrittenLine
    body: Written

    @property
    def languages(self) -> tuple[str, ...]:
        return self.body.languages

    def title_in(self, language: str) -> str:
        """The title in `language`, or as its author wrote it where it has none there."""
        return self.title.get(language) or self.title[self.languages[0]]


class Contact(Strict):
    person: LocalizedLine
    institution: Organization | None = None  # the publisher, unless `publisher` names another
    intro: Written | None = None
    email: Email | None = None
    wechat: Annotated[str, _pattern(r"^[A-Za-z][-_A-Za-z0-9]{2,63}$", "a WeChat ID: a letter, then 2 to 63 letters, "
                                    "digits, - or _")] | None = None
    url: Url | None = None


class Publication(Strict):
    """A further publication about or using the data, shown on the cite page as written."""

    text: Written
    doi: Doi | None = None
    url: Url | None = None


class RelatedDataset(Strict):
    name: LocalizedLine
    url: Url
    note: Written | None = None


class Funding(Strict):
    funder: Organization
    award: Line | None = None  # the grant's number


class LinkCheck(Strict):
    """Settings of `datasite links` and of the build's optional external link check."""

    # Host pattern (e.g. "pan.baidu.com", "*.sharepoint.com") -> texts of a dead share's page.
    dead_share_markers: dict[str, list[Text]] = field(default_factory=dict)
    ttl_hours: Annotated[float, Meta(gt=0)] = 24.0


# A character of a script written without spaces between words (Han, kana, Hangul) carries about
# as much as two and a half Latin letters: what a reader reads, not what a byte count says.
_DENSE = ((0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF),
          (0x20000, 0x3134F))
DENSE_WEIGHT = 2.5
DESCRIPTION_MINIMUM = 50  # Google Dataset Search's minimum, in Latin characters


def reading_length(text: str) -> float:
    """The length of a text in Latin-script characters: a Han, kana or Hangul character counts 2.5."""
    dense = sum(1 for c in text if any(low <= ord(c) <= high for low, high in _DENSE))
    return len(text) - dense + DENSE_WEIGHT * dense


@Check
def _check_description(value: Localized) -> None:
    # Google Dataset Search wants 50 to 5000 characters; 20 Chinese characters say as much as 50 Latin ones.
    for language, text in value.items():
        if len(text) > 5000:
            raise ValueError(f"the {language} description has {len(text)} characters; use at most 5000")
        if reading_length(text) < DESCRIPTION_MINIMUM:
            raise ValueError(f"the {language} description is too short ({len(text)} characters); write at least "
                             f"{DESCRIPTION_MINIMUM} Latin-script characters or "
                             f"{DESCRIPTION_MINIMUM / DENSE_WEIGHT:g} Chinese ones (a sentence or two)")


@Check
def _check_languages(value: list[str]) -> None:
    if len(set(value)) != len(value):
        raise ValueError("each language once (the first is served at the site's root)")


class Dataset(Strict, kw_only=True):
    id: Slug
    # The site's languages, the first served at its root; each has a record in datasite/languages/.
    languages: Annotated[list[KnownLanguage], Meta(min_length=1), _check_languages] = \
        field(default_factory=lambda: list(DEFAULT_SITE))
    name: LocalizedLine
    title: LocalizedLine
    description: Annotated[Localized, _check_description]
    notice: Written | None = None  # shown on the home page above the description (a banner, an attribution)
    site_url: Url | None = None  # where the site is published; canonical and citation URLs use it
    doi: Doi | None = None  # of the dataset itself (a Zenodo concept DOI, say); the article has its own
    cstr: Cstr | None = None  # its CSTR identifier, where a Chinese repository registered one
    other_records: list[Url] = field(default_factory=list)  # the same data's records elsewhere (Zenodo, Kaggle)
    creators: list[Person] | None = None  # of the dataset; the article's authors if not given
    publisher: Organization | None = None  # who publishes the data; the contact's institution if not given
    published: date | None = None  # first published; the first release's date, else the article's year
    keywords: list[LocalizedLine] = field(default_factory=list)
    funding: list[Funding] = field(default_factory=list)
    updated: date | None = None  # last revision of this file's content; the citation access date
    license: License
    article: Article
    # The article manuscripts in a language cite instead (a Chinese article, cited by Chinese papers).
    article_for: dict[Language, Article] = field(default_factory=dict)
    regions: Annotated[list[Region], NonEmpty]
    mirrors: Annotated[list[Mirror], NonEmpty]
    clauses: Annotated[list[Clause], NonEmpty]
    contact: Contact
    publications: list[Publication] = field(default_factory=list)
    related_datasets: list[RelatedDataset] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    link_check: LinkCheck = field(default_factory=LinkCheck)

    @property
    def latest_release(self) -> Release | None:
        """The release with the latest date (the last listed of those on that date)."""
        return max(reversed(self.releases), key=lambda r: r.date, default=None)

    @property
    def version(self) -> str | None:
        release = self.latest_release
        return release.version if release else None

    def mirrors_of(self, release: Release) -> list[Mirror]:
        return [m for m in self.live_mirrors if release.mirrors is None or m.id in release.mirrors]

    @property
    def live_mirrors(self) -> list[Mirror]:
        """The mirrors that are not retired: the ones to link, check and offer."""
        return [m for m in self.mirrors if not m.retired]

    def revisions(self) -> dict[str, _dt.date]:
        """Clause id -> the date of its latest revision (from `changes` that name clauses)."""
        revised: dict[str, _dt.date] = {}
        for change in self.changes:
            for clause in change.clauses:
                revised[clause] = max(revised.get(clause, change.date), change.date)
        return revised

    @property
    def updated_epoch(self) -> int | None:
        """`updated` as a Unix time (midnight UTC): the date of reproducible builds and bundles."""
        if self.updated is None:
            return None
        return int(datetime.combine(self.updated, datetime.min.time(), tzinfo=timezone.utc).timestamp())

    def article_in(self, language: str) -> Article:
        """The article a manuscript written in `language` cites."""
        return self.article_for.get(language, self.article)

    @property
    def articles(self) -> list[Article]:
        """Every article to cite: the source article, then those of particular languages."""
        return [self.article] + [a for a in self.article_for.values() if a != self.article]

    @property
    def dataset_creators(self) -> list[Person]:
        return self.creators or self.article.authors

    @property
    def publishing_organization(self) -> Organization | None:
        return self.publisher or self.contact.institution

    @property
    def publication_date(self) -> date | None:
        """When the data was first published, where dataset.yml says it: `published`, else the
        first release's date."""
        return self.published or min((release.date for release in self.releases), default=None)

    @property
    def publication_year(self) -> int:
        """The year of the data's publication: that of `publication_date`, else the source
        article's (the data was published with it)."""
        published = self.publication_date
        return published.year if published else self.article.year

    def regions_for(self, language: str) -> list[Region]:
        """Regions in the order a reader of `language` sees them (preferred ones first)."""
        return sorted(self.regions, key=lambda region: language not in region.first_for_languages)

    def mirrors_in(self, region: Region) -> list[Mirror]:
        """The region's mirrors, recommended ones first (each group in the order of the file)."""
        return sorted((m for m in self.mirrors if m.region == region.id), key=lambda m: not m.recommended)


@functools.cache
def hints_within(hint: object) -> frozenset:
    """Every type annotation found inside `hint`: itself, its parts (`X | None`, `list[X]`,
    `Annotated[X, …]`) and, for a model class, its fields' (so that a walk over the data can
    skip a field, or a list of 10,000 files, where what it looks for cannot be)."""
    found: set = set()

    def visit(node: object) -> None:
        try:
            if node in found:
                return
            found.add(node)
        except TypeError:  # (an unhashable annotation part: nothing to look into)
            return
        for part in typing.get_args(node):
            visit(part)
        if isinstance(node, type) and issubclass(node, Struct):
            for part in typing.get_type_hints(node, include_extras=True).values():
                visit(part)

    visit(hint)
    return frozenset(found)


@functools.cache
def may_hold_text(hint: object) -> bool:
    """Whether a value of this annotation can hold a Localized or Passage text."""
    return any(isinstance(part, type) and issubclass(part, (Localized, Passage)) for part in hints_within(hint))


def translatable_fields(dataset: Dataset) -> Iterator[tuple[tuple, str, "Localized | Passage"]]:
    """Every Localized value as (YAML path, stable key, value).

    The stable key names list items by their `id`, so it survives reordering; it is the key
    used in the translation lock file and in messages.
    """

    def walk(node: object, path: tuple, key: str) -> Iterator[tuple[tuple, str, Localized]]:
        if isinstance(node, (Localized, Passage)):
            yield path, key, node
        elif isinstance(node, Struct):
            holding = _text_fields(type(node))
            for name in node.__struct_fields__:
                if name in holding:
                    yield from walk(getattr(node, name), path + (name,), f"{key}.{name}" if key else name)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                label = getattr(item, "id", None) or str(index)
                yield from walk(item, path + (index,), f"{key}.{label}")

    yield from walk(dataset, (), "")


@functools.cache
def _text_fields(cls: type) -> frozenset[str]:
    """The fields of a model class whose values can hold a translatable text."""
    return frozenset(name for name, hint in typing.get_type_hints(cls, include_extras=True).items()
                     if may_hold_text(hint))

