"""The typed model of a dataset.yml file.

Everything a page, README or citation file shows comes from these classes; the loader
(`datasite.loader`) is the only place that builds them from YAML.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Iterator
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StrictStr

LANGUAGES: tuple[str, ...] = ("en", "zh")
"""Languages of every translatable text; the first one is the site's default (served at /)."""

ALLOWED_SCHEMES = ("https", "http")


_URL_FORBIDDEN = set('<>"\'`{}|\\^')


def _check_url(value: str) -> str:
    # Keep the URL exactly as written (no normalisation): it is printed and copied verbatim.
    if value != value.strip() or any(c.isspace() or ord(c) < 32 for c in value):
        raise ValueError("a URL may not contain spaces or control characters")
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
    return value


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("the text is empty")
    return value


def _check_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("this text must be a single line (it is a title, name or label)")
    return value


Url = Annotated[StrictStr, AfterValidator(_check_url)]
Text = Annotated[StrictStr, AfterValidator(_check_text)]
Slug = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
Doi = Annotated[StrictStr, Field(pattern=r"^10\.\d{4,9}/[^\s<>\"'`{}|\\^]+$")]


class Strict(BaseModel):
    """Unknown keys are errors, so a typo in dataset.yml never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    """A text given in every language of the site."""

    en: Text
    zh: Text

    def __getitem__(self, language: str) -> str:
        return getattr(self, language)

    def items(self) -> Iterator[tuple[str, str]]:
        for language in LANGUAGES:
            yield language, self[language]


class LocalizedLine(Localized):
    """A one-line text in every language: titles, names, labels (a newline would break headings)."""

    en: Annotated[Text, AfterValidator(_check_line)]
    zh: Annotated[Text, AfterValidator(_check_line)]


class License(Strict):
    name: LocalizedLine
    short: Text
    spdx: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9.+-]+$")]
    url: Url


class Person(Strict):
    family: Text
    given: Text


class Article(Strict):
    authors: list[Person] = Field(min_length=1)
    et_al: bool = False
    title: Text
    journal: Text
    year: int = Field(ge=1000, le=9999)
    volume: Text | None = None
    issue: Text | None = None
    pages: Text | None = None
    doi: Doi | None = None
    url: Url | None = None


class Region(Strict):
    id: Slug
    title: LocalizedLine
    # Shown first on the site in these languages, and (decided in the reader's browser, with no
    # network) to readers whose time zone is one of these IANA names.
    first_for_languages: list[Annotated[StrictStr, Field(pattern="^(" + "|".join(LANGUAGES) + ")$")]] = Field(
        default_factory=list
    )
    first_for_time_zones: list[Annotated[StrictStr, Field(pattern=r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)+$")]] = Field(
        default_factory=list
    )


class Mirror(Strict):
    id: Slug
    region: Slug
    label: LocalizedLine
    url: Url
    code: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9._~-]{1,64}$")] | None = None


class Clause(Strict):
    id: Slug
    title: LocalizedLine
    body: Localized


class Contact(Strict):
    person: LocalizedLine
    intro: Localized | None = None
    email: EmailStr | None = None
    wechat: Annotated[StrictStr, Field(pattern=r"^[A-Za-z][-_A-Za-z0-9]{2,63}$")] | None = None
    url: Url | None = None


class Publication(Strict):
    """A further publication about or using the data, shown on the cite page as written."""

    text: Localized
    doi: Doi | None = None
    url: Url | None = None


class RelatedDataset(Strict):
    name: LocalizedLine
    url: Url
    note: Localized | None = None


class LinkCheck(Strict):
    """Settings of `datasite links` and of the build's optional external link check."""

    # Host pattern (e.g. "pan.baidu.com", "*.sharepoint.com") -> texts of a dead share's page.
    dead_share_markers: dict[str, list[Text]] = Field(default_factory=dict)
    ttl_hours: float = Field(default=24.0, gt=0)


def _check_description(value: Localized) -> Localized:
    # Google Dataset Search wants 50 to 5000 characters.
    for language, text in value.items():
        if not 50 <= len(text) <= 5000:
            raise ValueError(f"the {language} description has {len(text)} characters; use 50 to 5000")
    return value


class Dataset(Strict):
    id: Slug
    name: LocalizedLine
    title: LocalizedLine
    description: Annotated[Localized, AfterValidator(_check_description)]
    site_url: Url | None = None  # where the site is published; canonical and citation URLs use it
    creators: list[Person] | None = None  # of the dataset; the article's authors if not given
    updated: date | None = None  # last revision of this file's content; the citation access date
    license: License
    article: Article
    regions: list[Region] = Field(min_length=1)
    mirrors: list[Mirror] = Field(min_length=1)
    clauses: list[Clause] = Field(min_length=1)
    contact: Contact
    publications: list[Publication] = Field(default_factory=list)
    related_datasets: list[RelatedDataset] = Field(default_factory=list)
    link_check: LinkCheck = Field(default_factory=LinkCheck)

    @property
    def dataset_creators(self) -> list[Person]:
        return self.creators or self.article.authors

    def regions_for(self, language: str) -> list[Region]:
        """Regions in the order a reader of `language` sees them (preferred ones first)."""
        return sorted(self.regions, key=lambda region: language not in region.first_for_languages)

    def mirrors_in(self, region: Region) -> list[Mirror]:
        return [m for m in self.mirrors if m.region == region.id]


def translatable_fields(dataset: Dataset) -> Iterator[tuple[tuple, str, Localized]]:
    """Every Localized value as (YAML path, stable key, value).

    The stable key names list items by their `id`, so it survives reordering; it is the key
    used in the translation lock file and in messages.
    """

    def walk(node: object, path: tuple, key: str) -> Iterator[tuple[tuple, str, Localized]]:
        if isinstance(node, Localized):
            yield path, key, node
        elif isinstance(node, BaseModel):
            for name in type(node).model_fields:
                yield from walk(getattr(node, name), path + (name,), f"{key}.{name}" if key else name)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                label = getattr(item, "id", None) or str(index)
                yield from walk(item, path + (index,), f"{key}.{label}")

    yield from walk(dataset, (), "")

