"""Where a generated page of a language is served, and how one page links another.

The first language of the site is served at the root, every other one under `/<code>/`; with
directory URLs (the published site) a page is `name/`, without them (the offline bundle)
`name.html`.
"""

from __future__ import annotations

import posixpath
from typing import Sequence

Languages = Sequence[str]  # a site's languages, as dataset.yml lists them (the first at the root)

FEED = "feed.xml"  # the Atom feed of `changes`, one per language (render/feed.py)
SEARCH_INDEX = "search/search_index.json"  # the theme's, split into one per language


def language_prefix(language: str, languages: Languages) -> str:
    """The folder of a language's pages, relative to the site's root: "" for the site's first
    language (`languages`, as dataset.yml lists them), "<code>/" for each other one."""
    return "" if language == languages[0] else f"{language}/"


def page_path(page: str, language: str, languages: Languages, directory_urls: bool = True) -> str:
    """Site path of a generated page ("index", "license", …) in `language`: "zh/license/"."""
    if page == "index":
        name = "" if directory_urls else "index.html"
    else:
        name = f"{page}/" if directory_urls else f"{page}.html"
    return language_prefix(language, languages) + name


def feed_path(language: str, languages: Languages) -> str:
    """Site path of a language's feed: beside that language's pages (/feed.xml, /zh/feed.xml)."""
    return language_prefix(language, languages) + FEED


def search_index_path(language: str, languages: Languages) -> str:
    """Where a language's search index is served, beside its pages."""
    return language_prefix(language, languages) + SEARCH_INDEX


def relative_url(source: str, target: str) -> str:
    """A link from the page at site path `source` to the page at `target`, as a relative URL
    (so that it works on any host and from disk)."""
    base = source[:-1] if source.endswith("/") else posixpath.dirname(source)
    relative = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") or not target:
        relative = relative.rstrip("/") + "/" if relative != "." else "./"
    return relative


def page_link(page: str, source_language: str, target_language: str, languages: Languages,
              directory_urls: bool = True) -> str:
    """A link from a generated page in one language to the same page in another."""
    return relative_url(page_path(page, source_language, languages, directory_urls),
                        page_path(page, target_language, languages, directory_urls))
