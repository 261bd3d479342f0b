"""Pure function: the model's `changes` -> an Atom feed (RFC 4287) per language.

Readers are told to check the terms for revisions; a feed lets them subscribe instead.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import urljoin, urlsplit

from ..model import Dataset
from ..paths import feed_path, page_path
from ..ui import UI
from .pages import change_anchors

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 20
"""The most recent changes a feed carries (a reader polls it; the changes page keeps them all)."""


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _absolute(dataset: Dataset, path: str) -> str | None:
    """Absolute URL of a site path (None if the site's address is unknown)."""
    if not dataset.site_url:
        return None
    base = dataset.site_url if dataset.site_url.endswith("/") else dataset.site_url + "/"
    return urljoin(base, path)


def _tag(dataset: Dataset, language: str, suffix: str) -> str:
    """A permanent id (RFC 4151 tag URI): the site's host, a date that never changes (the year of
    the dataset's article), the dataset and the entry. Feed readers know an entry by it."""
    host = urlsplit(dataset.site_url).hostname if dataset.site_url else "datasite.invalid"
    return f"tag:{host},{dataset.article.year}:{dataset.id}/{language}/{suffix}"


def atom_feed(dataset: Dataset, language: str) -> str:
    ui = UI[language]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})

    def child(parent, name, text=None, **attributes):
        element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
        if text is not None:
            element.text = text
        return element

    child(feed, "title", f"{dataset.name[language]} · {ui['changes_title']}")
    child(feed, "id", _tag(dataset, language, "changes"))
    dates = [c.date for c in dataset.changes] + ([dataset.updated] if dataset.updated else [])
    child(feed, "updated", _stamp(max(dates, default=date(2000, 1, 1))))
    author = child(feed, "author")
    child(author, "name", dataset.contact.person[language])
    if dataset.contact.email:
        child(author, "email", dataset.contact.email)
    changes_page = _absolute(dataset, page_path("changes", language, dataset.languages))
    if changes_page:
        child(feed, "link", rel="self", href=_absolute(dataset, feed_path(language, dataset.languages)), type="application/atom+xml")
        child(feed, "link", rel="alternate", href=changes_page, type="text/html")
    anchors = change_anchors(dataset)
    order = sorted(range(len(dataset.changes)), key=lambda i: (dataset.changes[i].date, i), reverse=True)
    for index in order[:FEED_ENTRIES]:
        change = dataset.changes[index]
        anchor = anchors[index]
        entry = child(feed, "entry")
        child(entry, "title", f"{change.date} · {ui['kind_' + change.kind]}")
        child(entry, "id", _tag(dataset, language, anchor))
        child(entry, "updated", _stamp(change.date))
        if changes_page:
            child(entry, "link", rel="alternate", href=f"{changes_page}#{anchor}", type="text/html")
        child(entry, "content", change.text[language], type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
