"""Unit tables for the pure renderers (no engine, no build): what each gives for the tiny
fixture, in both languages. Each row names what a mutant of the renderer would break."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import TINY

from datasite.links.collect import collect_links
from datasite.loader import load_dataset
from datasite.render.feed import atom_feed
from datasite.render.metadata import head_tags
from datasite.render.pages import render_pages

LOADED = load_dataset(TINY / "dataset.yml")
DATASET = LOADED.dataset
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("language,page,expected", [
    ("en", "index", "# Lakeside Thermometer Readings"),           # the title is the dataset's name
    ("zh", "index", "# 湖畔温度计读数"),                              # … in the page's language
    ("en", "download", 'id="example-drive"'),                       # a mirror's anchor is its id
    ("zh", "download", "0042"),                                     # the extraction code, as written
    ("en", "license", "Use the readings for anything"),             # a clause's text, verbatim
    ("zh", "license", "可将读数用于任何用途"),
    ("en", "cite", "10.5555/example.2022.1"),                       # the article's DOI
    ("en", "contact", "mailto:lab@example.org"),                     # the address, linked
    ("en", "changes", "c-2022-02-01"),                              # a change's stable anchor
])
def test_a_generated_page_says_what_the_data_says(language, page, expected):
    assert expected in render_pages(DATASET, language)[page]


@pytest.mark.parametrize("language,locale,alternate", [("en", "en_US", "zh_CN"), ("zh", "zh_CN", "en_US")])
def test_head_tags_name_the_page_its_language_and_the_dataset(language, locale, alternate):
    html = head_tags(DATASET, language, "Title <b>", "About & more", "https://example.org/p/",
                     {"en": "https://example.org/p/", "zh": "https://example.org/zh/p/"})
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one('meta[property="og:locale"]')["content"] == locale
    assert soup.select_one('meta[property="og:locale:alternate"]')["content"] == alternate
    assert soup.select_one('meta[property="og:title"]')["content"] == "Title <b>"  # escaped once, read back
    assert soup.select_one('link[hreflang="x-default"]')["href"] == "https://example.org/p/"
    ld = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert ld["name"] == DATASET.name[language] and ld["url"] == "https://example.org/p/"
    assert ld["identifier"] == "https://doi.org/10.5555/lakeside.data"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_feed_lists_changes_newest_first_with_stable_ids(language):
    root = ET.fromstring(atom_feed(DATASET, language))
    entries = root.findall(f"{ATOM}entry")
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True) and len(entries) == len(DATASET.changes)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(f"/{language}/c-" in i for i in ids)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language


@pytest.mark.parametrize("url,page,mirror", [
    ("https://archive.example.org/lakeside", "download", "example-archive"),
    ("https://drive.example.net/s/lakeside", "download", "example-drive"),
    ("https://creativecommons.org/licenses/by/4.0/", "license", None),
    ("https://doi.org/10.5555/example.2022.1", "cite", None),
    ("mailto:lab@example.org", "contact", None),
])
def test_collected_links_say_where_each_appears(url, page, mirror):
    links = {link.url: link for link in collect_links(LOADED)}
    link = links[url]
    assert {o.page for o in link.occurrences} == {page} and link.mirror == mirror
    assert {o.language for o in link.occurrences} == {"en", "zh"}
    assert all(o.source.startswith(LOADED.display + ":") for o in link.occurrences)
