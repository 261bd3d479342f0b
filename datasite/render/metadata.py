"""Pure functions: the model -> machine-readable metadata (schema.org JSON-LD, Open Graph,
Twitter cards, hreflang alternates) and the Citation File Format file."""

from __future__ import annotations

import json

import yaml

from ..language import language as language_record, metadata_language
from ..model import Dataset, Person, doi_url
from .citation import dataset_url
from .pages import INLINE_FILES
from .text import attr

SUMMARY_MIRRORS = 3


def _person(person: Person) -> dict:
    return {"@type": "Person", "name": person.name,
            "givenName": person.given, "familyName": person.family}


LISTING_FILE = "dataset.jsonld"
"""The complete JSON-LD of a release too large to list in a page's head."""
INLINE_LISTING = INLINE_FILES  # files listed in the download page's own JSON-LD at most (as on the page)


def dataset_jsonld(dataset: Dataset, language: str, url: str | None, *, listing: bool = True,
                   files: int | None = INLINE_LISTING) -> dict:
    """schema.org Dataset, as Google Dataset Search reads it. `listing`: with its distributions
    (every mirror, every file of the latest release); the download page carries them, the other
    pages a summary (the first SUMMARY_MIRRORS mirrors, recommended ones first), so that no page
    but that one grows with the number of files or mirrors. `files`: the files of a release of at
    most that many are listed (None: every file, for LISTING_FILE)."""
    def scholarly(article) -> dict:
        citation = {
            "@type": "ScholarlyArticle",
            "name": article.title,
            "author": [_person(p) for p in article.authors],
            "datePublished": str(article.year),
            "isPartOf": {"@type": "Periodical", "name": article.journal},
        }
        if article.doi:
            citation["identifier"] = citation["sameAs"] = doi_url(article.doi)
        return citation

    articles = [scholarly(article) for article in dataset.articles]
    citation = articles[0] if len(articles) == 1 else articles
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": dataset.name[language],
        "alternateName": [dataset.name[other] for other in dataset.languages if other != language],
        "description": dataset.description[language],
        "url": url or dataset_url(dataset),
        "license": dataset.license.url,
        "creator": [_person(p) for p in dataset.dataset_creators],
        "citation": citation,
        "inLanguage": list(dataset.languages),
        "isAccessibleForFree": True,
    }
    mirrors = dataset.live_mirrors
    if not listing:
        mirrors = sorted(mirrors, key=lambda mirror: not mirror.recommended)[:SUMMARY_MIRRORS]
    data["distribution"] = [{"@type": "DataDownload", "name": mirror.label[language], "contentUrl": mirror.url}
                            for mirror in mirrors]
    release = dataset.latest_release
    if dataset.doi:
        data["identifier"] = doi_url(dataset.doi)
    elif dataset.site_url:
        data["identifier"] = dataset.site_url
    if release:
        data["version"] = release.version
        carriers = dataset.mirrors_of(release)
        listed = listing and (files is None or len(release.files) <= files)
        for item in release.files if listed else ():
            download = {"@type": "DataDownload", "name": item.name, "contentSize": f"{item.size} B",
                        "sha256": item.sha256}
            if item.format:
                download["encodingFormat"] = item.format
            if carriers:
                download["contentUrl"] = carriers[0].url  # the file lies in the share, not at its own URL
            data["distribution"].append(download)
    modified = max([d for d in (dataset.updated, release.date if release else None) if d], default=None)
    if modified:
        data["dateModified"] = modified.isoformat()
    return data


def head_tags(
    dataset: Dataset,
    language: str,
    title: str,
    description: str,
    canonical: str | None,
    alternates: dict[str, str],
    listing: bool = True,
    listing_file: str | None = None,
) -> str:
    """<head> additions for one page. `alternates`: language -> absolute URL of this page;
    `listing`: the page carries the dataset's distributions in its JSON-LD (the download page);
    `listing_file`: the URL of LISTING_FILE, linked where a release is too large for that."""
    tags = [
        ("property", "og:type", "website"),
        ("property", "og:site_name", dataset.name[language]),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:locale", language_record(language).locale),
        *[("property", "og:locale:alternate", language_record(other).locale)
          for other in dataset.languages if other != language],
        ("name", "twitter:card", "summary"),  # title and description: Twitter reads og:*
    ]
    if canonical:
        tags.append(("property", "og:url", canonical))
    out = [f'<meta {kind}="{attr(key)}" content="{attr(value)}">' for kind, key, value in tags]
    root = dataset.languages[0]  # (the language at the site's root is the default)
    if alternates.get(root, "").startswith("http"):
        out.append(f'<link rel="alternate" hreflang="x-default" href="{attr(alternates[root])}">')
    payload = json.dumps(dataset_jsonld(dataset, language, canonical, listing=listing), ensure_ascii=False,
                         separators=(",", ":"))
    out.append('<script type="application/ld+json">' + payload.replace("<", "\\u003c") + "</script>")
    if listing and listing_file:
        out.append(f'<link rel="describedby" type="application/ld+json" href="{attr(listing_file)}">')
    return "\n".join(out)


def citation_cff(dataset: Dataset) -> str:
    """CITATION.cff (Citation File Format 1.2.0), with the article as the preferred citation."""
    article = dataset.article

    def authors(people: list[Person]) -> list[dict]:
        return [{"family-names": p.family, "given-names": p.given} for p in people]

    preferred = {"type": "article", "title": article.title, "authors": authors(article.authors),
                 "journal": article.journal, "year": article.year}
    for key, value in (("volume", article.volume), ("issue", article.issue), ("doi", article.doi),
                       ("url", article.url)):
        if value:
            preferred[key] = value
    name = dataset.name[metadata_language(dataset.languages)]
    content = {
        "cff-version": "1.2.0",
        "message": f'If you use this dataset, name the data source as "{name}" and cite the article below.',
        "type": "dataset",
        "title": name,
        "authors": authors(dataset.dataset_creators),
        "license": dataset.license.spdx,
        "url": dataset_url(dataset),
        "preferred-citation": preferred,
    }
    release = dataset.latest_release
    if release:
        content["version"] = release.version
    if dataset.doi:
        content["doi"] = dataset.doi
    released = release.date if release else dataset.updated
    if released:
        content["date-released"] = released.isoformat()
    header = "# Generated from dataset.yml by `datasite export`; do not edit.\n"
    return header + yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100)
