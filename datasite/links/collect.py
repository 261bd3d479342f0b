"""Collect: every external link of the dataset, with where it appears.

A link is collected once per URL; its occurrences say on which page, in which language, for which
mirror (if any), and at which line of which source file it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..loader import LoadedDataset, display_name
from ..model import LANGUAGES, Localized, Passage, doi_url
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


def collect_links(loaded: LoadedDataset, docs_dir: Path | None = None) -> list[Link]:
    dataset = loaded.dataset
    links = LinkSet()

    def where(path: tuple) -> str:
        return f"{loaded.display}:{loaded.locate(path)[0]}"

    def everywhere(url: str, page: str, path: tuple, mirror: str | None = None) -> None:
        for language in LANGUAGES:
            links.add(url, Occurrence(page, language, where(path), mirror))

    def in_text(text: Localized | Passage, page: str, path: tuple) -> None:
        for language, value in text.items():
            for _, _, url in find_urls(value):
                links.add(url, Occurrence(page, language, where(path + (language,))))

    for index, mirror in enumerate(dataset.mirrors):
        if not mirror.retired:  # a retired mirror is not linked, so not checked
            everywhere(mirror.url, "download", ("mirrors", index, "url"), mirror.id)
    everywhere(dataset.license.url, "license", ("license", "url"))
    for path, article in [(("article",), dataset.article)] + [(("article_for", language), article)
                                                             for language, article in dataset.article_for.items()]:
        if article.doi:
            everywhere(doi_url(article.doi), "cite", path + ("doi",))
        if article.url:
            everywhere(article.url, "cite", path + ("url",))
    in_text(dataset.description, "index", ("description",))
    if dataset.notice:
        in_text(dataset.notice, "index", ("notice",))
    for index, region in enumerate(dataset.regions):
        if region.note:
            in_text(region.note, "download", ("regions", index, "note"))
    for index, clause in enumerate(dataset.clauses):
        in_text(clause.body, "license", ("clauses", index, "body"))
    for index, publication in enumerate(dataset.publications):
        in_text(publication.text, "cite", ("publications", index, "text"))
        if publication.doi:
            everywhere(doi_url(publication.doi), "cite", ("publications", index, "doi"))
        if publication.url:
            everywhere(publication.url, "cite", ("publications", index, "url"))
    for index, related in enumerate(dataset.related_datasets):
        everywhere(related.url, "cite", ("related_datasets", index, "url"))
        if related.note:
            in_text(related.note, "cite", ("related_datasets", index, "note"))
    contact = dataset.contact
    if contact.intro:
        in_text(contact.intro, "contact", ("contact", "intro"))
    if contact.email:
        everywhere(mailto(contact.email), "contact", ("contact", "email"))
    if contact.url:
        everywhere(contact.url, "contact", ("contact", "url"))

    if docs_dir is not None:
        pages, _ = scan_pages(docs_dir)
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
