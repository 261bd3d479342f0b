"""Pure functions: the model -> machine-readable metadata (schema.org JSON-LD, Open Graph,
Twitter cards, hreflang alternates, Signposting links) and the Citation File Format file."""

from __future__ import annotations

import json

import yaml

from ..language import language as language_record, metadata_language
from ..mediatypes import media_type
from ..model import Dataset, Organization, Person, ReleaseFile, cstr_url, doi_url, orcid_url, ror_url
from .citation import dataset_url
from .pages import INLINE_FILES
from .signposting import file_items, head_links, signposts
from .text import attr

SUMMARY_MIRRORS = 3


def organization_jsonld(organization: Organization, language: str) -> dict:
    data = {"@type": "Organization", "name": organization.name[language]}
    if organization.ror:
        data["@id"] = data["sameAs"] = ror_url(organization.ror)
    return data


def person_jsonld(person: Person, language: str) -> dict:
    data = {"@type": "Person", "name": person.name, "givenName": person.given, "familyName": person.family}
    if person.orcid:
        data["@id"] = data["sameAs"] = orcid_url(person.orcid)
    if person.affiliation:
        data["affiliation"] = organization_jsonld(person.affiliation, language)
    return data


def published(dataset: Dataset) -> str:
    """When the data was published, as precisely as dataset.yml says it (a date, else a year)."""
    date = dataset.publication_date
    return date.isoformat() if date else str(dataset.publication_year)


def same_as(dataset: Dataset) -> list[str]:
    """Other identifiers and records of the same data: its DOI, CSTR and records elsewhere."""
    urls = [doi_url(dataset.doi)] if dataset.doi else []
    if dataset.cstr:
        urls.append(cstr_url(dataset.cstr))
    return urls + [url for url in dataset.other_records if url not in urls]


INLINE_LISTING = INLINE_FILES  # files listed in the download page's own JSON-LD at most (as on the page)


def _file(item: ReleaseFile) -> dict:
    data = {"@type": "DataDownload", "name": item.name, "contentSize": f"{item.size} B", "sha256": item.sha256,
            "encodingFormat": media_type(item.name, item.format)}
    if item.url:
        data["contentUrl"] = item.url
    return data


def dataset_jsonld(dataset: Dataset, language: str, url: str | None, *, listing: bool = True,
                   files: int | None = INLINE_LISTING) -> dict:
    """schema.org Dataset, as Google Dataset Search reads it. `listing`: with every mirror and
    every file of the latest release; the download page carries them, the other pages a summary
    (the first SUMMARY_MIRRORS mirrors, recommended ones first), so that no page but that one
    grows with the number of files or mirrors. `files`: the files of a release of at most that
    many are listed (None: every file, for JSONLD_FILE, what `describedby` links to).

    A file is a `distribution` (a DataDownload: the bytes at `contentUrl`) where it has a URL of
    its own; one that lies in a share only is a part of the dataset (`hasPart`), with its size,
    checksum and type. A mirror is a share page, not a file: an action that downloads the
    data (a DownloadAction whose target is the page)."""
    def scholarly(article) -> dict:
        citation = {
            "@type": "ScholarlyArticle",
            "name": article.title,
            "author": [person_jsonld(p, language) for p in article.authors],
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
        "creator": [person_jsonld(p, language) for p in dataset.dataset_creators],
        "citation": citation,
        "inLanguage": list(dataset.languages),
        "isAccessibleForFree": True,
        "datePublished": published(dataset),
    }
    publisher = dataset.publishing_organization
    if publisher:
        data["publisher"] = organization_jsonld(publisher, language)
    if dataset.keywords:
        data["keywords"] = [keyword[language] for keyword in dataset.keywords]
    if dataset.funding:
        data["funder"] = [organization_jsonld(grant.funder, language) for grant in dataset.funding]
        grants = [{"@type": "Grant", "identifier": grant.award, "funder": organization_jsonld(grant.funder, language)}
                  for grant in dataset.funding if grant.award]
        if grants:
            data["funding"] = grants
    if dataset.doi:
        data["identifier"] = doi_url(dataset.doi)
    elif dataset.site_url:
        data["identifier"] = dataset.site_url
    if same_as(dataset):
        data["sameAs"] = same_as(dataset)
    release = dataset.latest_release
    if release:
        data["version"] = release.version
        listed = listing and (files is None or len(release.files) <= files)
        entries = [_file(item) for item in release.files] if listed else []
        if any("contentUrl" in entry for entry in entries):
            data["distribution"] = [entry for entry in entries if "contentUrl" in entry]
        parts = [dict(entry, **{"@type": "MediaObject"}) for entry in entries if "contentUrl" not in entry]
        if parts:
            data["hasPart"] = parts
    mirrors = dataset.live_mirrors
    if not listing:
        mirrors = sorted(mirrors, key=lambda mirror: not mirror.recommended)[:SUMMARY_MIRRORS]
    data["potentialAction"] = [{"@type": "DownloadAction", "name": mirror.label[language], "target": mirror.url}
                               for mirror in mirrors]  # (a URL target: no EntryPoint, 300 mirrors are a page's weight)
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
    base: str = "",
    home: bool = False,
) -> str:
    """<head> additions for one page. `alternates`: language -> absolute URL of this page;
    `listing`: the page carries the dataset's distributions in its JSON-LD (the download page);
    `base`: the site's root as the page links it (absolute where the site's URL is known);
    `home`: the page is a home page, the landing page of the data's files (Signposting `item`)."""
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
    items = home and len(file_items(dataset)) <= INLINE_LISTING  # (more: in the linkset only)
    out.extend(head_links(signposts(dataset, base, items=items), attr))
    return "\n".join(out)


def citation_cff(dataset: Dataset) -> str:
    """CITATION.cff (Citation File Format 1.2.0), with the article as the preferred citation."""
    article = dataset.article

    language = metadata_language(dataset.languages)

    def authors(people: list[Person]) -> list[dict]:
        out = []
        for person in people:
            author = {"family-names": person.family, "given-names": person.given}
            if person.affiliation:
                author["affiliation"] = person.affiliation.name[language]
            if person.orcid:
                author["orcid"] = orcid_url(person.orcid)
            out.append(author)
        return out

    preferred = {"type": "article", "title": article.title, "authors": authors(article.authors),
                 "journal": article.journal, "year": article.year}
    for key, value in (("volume", article.volume), ("issue", article.issue), ("doi", article.doi),
                       ("url", article.url)):
        if value:
            preferred[key] = value
    name = dataset.name[language]
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
    if dataset.keywords:
        content["keywords"] = [keyword[language] for keyword in dataset.keywords]
    header = "# Generated from dataset.yml by `datasite export`; do not edit.\n"
    return header + yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100)
