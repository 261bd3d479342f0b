"""Pure functions: FAIR Signposting (https://signposting.org/FAIR/) for the site's pages.

Level 1: typed links in each page's <head> (GitHub Pages cannot send Link headers) that tell a
machine what the page is about and where its parts are: `cite-as` (the identifier to cite),
`describedby` (the metadata files, with their media types), `type`, `author` (ORCID), `license`
and `item` (the release files that have a URL of their own). Level 2: the same links for every
page as one RFC 9264 linkset (`linkset.json`), each page linking it with `rel="linkset"`.

The items are the home page's (the landing page of the data): a release of thousands of files
lists them in the linkset alone, not in every page's head.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urljoin

from ..mediatypes import media_type
from ..model import Dataset, doi_url, orcid_url

DATACITE_FILE = "datacite.xml"
JSONLD_FILE = "dataset.jsonld"
CROISSANT_FILE = "croissant.json"
LINKSET_FILE = "linkset.json"

DATACITE_TYPE = "application/vnd.datacite.datacite+xml"
JSONLD_TYPE = "application/ld+json"
LINKSET_TYPE = "application/linkset+json"
CROISSANT_PROFILE = "http://mlcommons.org/croissant/1.0"
PAGE_TYPES = ("https://schema.org/AboutPage", "https://schema.org/Dataset")


@dataclass(frozen=True)
class Signpost:
    rel: str
    href: str
    type: str | None = None
    profile: str | None = None


def as_uri(iri: str) -> str:
    """An address as a URI: characters outside ASCII percent-encoded (UTF-8), the rest kept
    (a link target of Signposting is a URI; a reader's parser refuses an IRI)."""
    return iri if iri.isascii() else quote(iri, safe="".join(chr(c) for c in range(33, 127)))


def license_uri(dataset: Dataset) -> str:
    """The license as FAIR Signposting asks for it: SPDX's URI of the license where it has one,
    else the license's own page."""
    spdx = dataset.license.spdx
    return dataset.license.url if spdx.startswith("LicenseRef-") else f"https://spdx.org/licenses/{spdx}"


def cite_as(dataset: Dataset) -> str | None:
    """What to cite: the dataset's DOI, else its site's home page (None where neither is known)."""
    if dataset.doi:
        return doi_url(dataset.doi)
    return dataset.site_url


def signposts(dataset: Dataset, base: str, *, items: bool, linkset: bool = True) -> list[Signpost]:
    """The signposts of one page. `base`: the URL of the site's root as this page links it
    (absolute where the site's URL is known, else relative: "../"); `items`: the page is the
    landing page of the data (its home page)."""
    def at(name: str) -> str:
        return base + name  # (`base` ends with "/": urljoin would drop a relative one's "../")

    links: list[Signpost] = []
    cited = cite_as(dataset)
    if cited:
        links.append(Signpost("cite-as", cited))
    links.append(Signpost("describedby", at(DATACITE_FILE), DATACITE_TYPE))
    links.append(Signpost("describedby", at(JSONLD_FILE), JSONLD_TYPE))
    links.append(Signpost("describedby", at(CROISSANT_FILE), JSONLD_TYPE, CROISSANT_PROFILE))
    links.extend(Signpost("type", page_type) for page_type in PAGE_TYPES)
    links.extend(Signpost("author", orcid_url(person.orcid)) for person in dataset.dataset_creators if person.orcid)
    links.append(Signpost("license", license_uri(dataset)))
    if items:
        links.extend(file_items(dataset))
    if linkset:
        links.append(Signpost("linkset", at(LINKSET_FILE), LINKSET_TYPE))
    return links


def file_items(dataset: Dataset) -> list[Signpost]:
    """`item` links to the latest release's files that have a URL of their own (a share page is
    not the file: it is a mirror, listed on the download page)."""
    release = dataset.latest_release
    if release is None:
        return []
    return [Signpost("item", as_uri(item.url), media_type(item.name, item.format))
            for item in release.files if item.url]


def head_links(links: list[Signpost], attr) -> list[str]:
    """The signposts as <link> elements (`attr` escapes an attribute value)."""
    out = []
    for link in links:
        extra = f' type="{attr(link.type)}"' if link.type else ""
        extra += f' profile="{attr(link.profile)}"' if link.profile else ""
        out.append(f'<link rel="{link.rel}" href="{attr(link.href)}"{extra}>')
    return out


def linkset(dataset: Dataset, pages: dict[str, list[str]], site: str) -> dict:
    """The RFC 9264 JSON linkset of the site. `pages`: language -> the site paths of its pages
    (the first of each list its home page, the landing page of the data's files); `site`: the
    site's URL, or "" where it is not known (the anchors are then relative to the linkset,
    which lies at the site's root)."""
    def anchor(path: str) -> str:
        return urljoin(site, path) if site else (path or "./")

    contexts = []
    for paths in pages.values():
        for index, path in enumerate(paths):
            context: dict[str, object] = {"anchor": anchor(path)}
            for link in signposts(dataset, site, items=index == 0, linkset=False):
                target = {"href": link.href}
                if link.type:
                    target["type"] = link.type
                # (`profile` is left out: RFC 9264 writes an extension attribute as an array,
                # which the signposting library cannot read; the head's <link> carries it.)
                context.setdefault(link.rel, []).append(target)
            contexts.append(context)
    # Each metadata file describes, and each file is an item of, the landing page: the home page
    # of the site's first language, where the DOI leads (level 2's `describes` and `collection`).
    landing = [{"href": anchor(next(iter(pages.values()))[0])}] if pages else []
    for name in (DATACITE_FILE, JSONLD_FILE, CROISSANT_FILE):
        contexts.append({"anchor": anchor(name), "describes": landing})
    for item in file_items(dataset):
        contexts.append({"anchor": item.href, "collection": landing})
    return {"linkset": contexts}
