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


# -- Signposting: the links of a page, as data --------------------------------------------------

@pytest.mark.parametrize("changes,base,home,expected", [
    # (what dataset.yml holds, the page's base, a home page?) -> (rel, href) that must be there
    ({}, "https://example.github.io/lakeside-thermometer-readings/", False,
     [("cite-as", "https://doi.org/10.5555/lakeside.data"),
      ("describedby", "https://example.github.io/lakeside-thermometer-readings/datacite.xml"),
      ("linkset", "https://example.github.io/lakeside-thermometer-readings/linkset.json")]),
    ({"doi": None}, "https://example.github.io/lakeside-thermometer-readings/", False,
     [("cite-as", "https://example.github.io/lakeside-thermometer-readings/")]),  # no DOI: the home page
    ({"doi": None, "site_url": None}, "../../", False,
     [("describedby", "../../dataset.jsonld"), ("linkset", "../../linkset.json")]),  # relative: from disk too
])
def test_signposts_of_a_page(changes, base, home, expected):
    import msgspec

    from datasite.render.signposting import signposts

    dataset = msgspec.structs.replace(LOADED.dataset, **changes)
    links = [(link.rel, link.href) for link in signposts(dataset, base, items=home)]
    for link in expected:
        assert link in links
    assert sum(rel == "cite-as" for rel, _ in links) == (1 if dataset.doi or dataset.site_url else 0)
    assert not [rel for rel, _ in links if rel == "item"]  # the tiny files lie in shares: no item


def test_the_linkset_has_a_context_per_page_and_the_items_on_the_home_pages():
    import msgspec

    from datasite.render.signposting import linkset

    release = LOADED.dataset.releases[-1]
    files = [msgspec.structs.replace(f, url=f"https://files.example.org/{f.name}") for f in release.files]
    dataset = msgspec.structs.replace(LOADED.dataset, releases=[msgspec.structs.replace(release, files=files)])
    pages = {"en": ["", "license/"], "zh": ["zh/", "zh/license/"]}
    contexts = linkset(dataset, pages, "https://example.org/site/")["linkset"]
    anchors = [context["anchor"] for context in contexts]
    assert anchors[:4] == ["https://example.org/site/", "https://example.org/site/license/",
                           "https://example.org/site/zh/", "https://example.org/site/zh/license/"]
    items = {context["anchor"]: [i["href"] for i in context.get("item", [])] for context in contexts}
    assert items["https://example.org/site/zh/"] == [f"https://files.example.org/{f.name}" for f in files]
    assert items["https://example.org/site/license/"] == []
    describes = next(c for c in contexts if c["anchor"].endswith("datacite.xml"))["describes"]
    assert describes == [{"href": "https://example.org/site/"}]  # the landing page the DOI leads to
    collections = {c["anchor"]: c["collection"] for c in contexts if "collection" in c}
    assert collections == {f"https://files.example.org/{f.name}": [{"href": "https://example.org/site/"}]
                           for f in files}


@pytest.mark.parametrize("iri,uri", [
    ("https://files.example.org/数据.csv", "https://files.example.org/%E6%95%B0%E6%8D%AE.csv"),
    ("https://files.example.org/a%20b.csv?x=1#y", "https://files.example.org/a%20b.csv?x=1#y"),  # kept as written
])
def test_a_link_target_is_a_uri(iri, uri):
    from datasite.render.signposting import as_uri

    assert as_uri(iri) == uri
