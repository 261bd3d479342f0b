"""The unit layer: pure functions, each with a table of inputs and what they must give (as
lychee tests its quirks), in-process and fast. What needs a whole build lives in the other files."""

from __future__ import annotations

import pytest

from datasite.mkdocs_plugin import published_url, unused_theme_file
from datasite.paths import search_index_path
from datasite.pipeline import parse_link_mode, search_indexes
from datasite.render.pages import followed_by, human_size
from datasite.render.text import attr, escape_html, escape_markdown, linkify, mailto, mark_han, paragraphs

ESCAPES = [
    # (function, input, output)
    (escape_html, "<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;"),
    (escape_html, 'say "hi"', 'say "hi"'),  # quotes are only special in attributes
    (attr, 'a "b" <c> & \'d\'', "a &quot;b&quot; &lt;c&gt; &amp; &#x27;d&#x27;"),
    (escape_markdown, "X_MOL *bold* [x](y)", r"X\_MOL \*bold\* \[x\]\(y\)"),
    (escape_markdown, "1. not a list", r"1\. not a list"),
    (escape_markdown, "<script>", "&lt;script&gt;"),
    (escape_markdown, "数据 #1", r"数据 \#1"),
    (mailto, "a.b+c@example.org", "mailto:a.b+c@example.org"),
    (mailto, "a b@example.org", "mailto:a%20b@example.org"),
]


@pytest.mark.parametrize("function,text,expected", ESCAPES, ids=[f"{f.__name__}:{t}" for f, t, _ in ESCAPES])
def test_escaping(function, text, expected):
    assert function(text) == expected


LINKIFY = [
    ("no link here", "no link here"),
    ("see https://example.org/a.", 'see <a href="https://example.org/a">https://example.org/a</a>.'),
    ("见https://example.org/a获取", '见<a href="https://example.org/a">https://example.org/a</a>获取'),
    ("(https://example.org/Ohm_(unit))", '(<a href="https://example.org/Ohm_(unit)">https://example.org/Ohm_(unit)</a>)'),
    ("mail me@example.org now", 'mail <a href="mailto:me@example.org">me@example.org</a> now'),
    ("<b>https://x.example/?a=1&b=2</b>",
     '&lt;b&gt;<a href="https://x.example/?a=1&amp;b=2">https://x.example/?a=1&amp;b=2</a>&lt;/b&gt;'),
    ("ftp://example.org stays text", "ftp://example.org stays text"),
]


@pytest.mark.parametrize("text,expected", LINKIFY, ids=[t for t, _ in LINKIFY])
def test_linkify_links_bare_http_urls_and_emails_and_escapes_the_rest(text, expected):
    assert linkify(text) == expected


MARK_CHINESE = [
    ("<p>Data 数据</p>", '<p>Data <span lang="zh">数据</span></p>'),
    ('<a title="数据">x</a>', '<a title="数据">x</a>'),  # attributes stay as they are
    ("<script>var s = '数据';</script>", "<script>var s = '数据';</script>"),
    ("<p>no Chinese</p>", "<p>no Chinese</p>"),
]


@pytest.mark.parametrize("html,expected", MARK_CHINESE, ids=[h for h, _ in MARK_CHINESE])
def test_chinese_text_is_marked_outside_tags_and_scripts(html, expected):
    assert mark_han(html, "zh") == expected


PARAGRAPHS = [
    ("one", [["one"]]),
    ("one\ntwo", [["one", "two"]]),
    ("one\n\n\n\ntwo", [["one"], ["two"]]),
    ("one\r\n\r\ntwo", [["one"], ["two"]]),
    ("one\n  \t\ntwo", [["one"], ["two"]]),  # a line of spaces is blank
    ("\n\n", []),
]


@pytest.mark.parametrize("text,expected", PARAGRAPHS, ids=[repr(t) for t, _ in PARAGRAPHS])
def test_paragraphs_split_at_blank_lines(text, expected):
    assert paragraphs(text) == expected


SPACING = [
    ("许可协议：", "CC BY 4.0", "许可协议：CC BY 4.0"),  # full-width punctuation carries its own space
    ("状态：", "未知", "状态：未知"),
    ("License:", "CC BY 4.0", "License: CC BY 4.0"),
    ("下载", "GitHub", "下载 GitHub"),
]


@pytest.mark.parametrize("text,rest,expected", SPACING, ids=[e for _, _, e in SPACING])
def test_followed_by_spaces_as_each_language_wants(text, rest, expected):
    assert followed_by(text, rest) == expected


@pytest.mark.parametrize("size,expected", [
    (0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (1_234_567, "1.2 MB"), (5 * 10**9, "5.0 GB"),
    (10**18, "1000.0 PB"),
])
def test_human_size(size, expected):
    assert human_size(size) == expected


@pytest.mark.parametrize("value,expected", [
    (False, "off"), (True, "on"), ("", "off"), ("0", "off"), ("no", "off"), ("1", "on"), ("YES", "on"),
    (" strict ", "strict"), ("check", "on"),
])
def test_link_modes(value, expected):
    assert parse_link_mode(value) == expected


@pytest.mark.parametrize("value", ["sometimes", "strict\n2", 2])
def test_link_mode_mistakes(value):
    with pytest.raises(ValueError, match="expected one of off, on, strict"):
        parse_link_mode(value)


def test_search_index_split_per_language():
    config = {"lang": ["en", "zh"], "separator": "[\\s]+"}
    combined = {"config": config, "docs": [
        {"location": "", "title": "Home", "text": "a"},
        {"location": "download/#baidu", "title": "Baidu", "text": "b"},
        {"location": "zh/", "title": "首页", "text": "c"},
        {"location": "zh/download/#baidu", "title": "百度", "text": "d"},
        {"location": "zhong/", "title": "A page named zhong", "text": "e"},  # not the zh/ folder
    ]}
    split = search_indexes(combined, ("en", "zh"))
    assert [d["location"] for d in split["en"]["docs"]] == ["", "download/#baidu", "zhong/"]
    assert [d["location"] for d in split["zh"]["docs"]] == ["", "download/#baidu"]
    assert [d["title"] for d in split["zh"]["docs"]] == ["首页", "百度"]
    assert split["en"]["config"] == split["zh"]["config"] == config
    assert combined["docs"][2]["location"] == "zh/"  # the input is left as it was
    assert search_index_path("en", ("en", "zh")) == "search/search_index.json"
    assert search_index_path("zh", ("en", "zh")) == "zh/search/search_index.json"
    # A Chinese-first site: Chinese at the root, English beside it.
    assert search_index_path("zh", ("zh", "en")) == "search/search_index.json"
    assert search_index_path("en", ("zh", "en")) == "en/search/search_index.json"


THEME_FILES = [
    ("assets/javascripts/bundle.a5f9d56c.min.js.map", True),
    ("assets/javascripts/lunr/min/lunr.th.min.js", True),
    ("assets/javascripts/lunr/wordcut.js", True),
    ("assets/javascripts/lunr/tinyseg.js", True),
    ("assets/javascripts/lunr/min/lunr.zh.min.js", False),
    ("assets/javascripts/lunr/min/lunr.multi.min.js", False),
    ("assets/javascripts/lunr/min/lunr.stemmer.support.min.js", False),
    ("assets/javascripts/bundle.a5f9d56c.min.js", False),
]


@pytest.mark.parametrize("path,unused", THEME_FILES, ids=[p for p, _ in THEME_FILES])
def test_theme_files_no_datasite_page_loads_are_left_out(path, unused):
    assert unused_theme_file(path, ["en", "zh"]) is unused


def test_a_japanese_site_keeps_the_japanese_search_and_its_word_splitter():
    # (the ja record's search language and search_scripts; mutant: the records not read)
    for path in ("assets/javascripts/lunr/min/lunr.ja.min.js", "assets/javascripts/lunr/tinyseg.js"):
        assert unused_theme_file(path, ["en", "zh"]) is True
        assert unused_theme_file(path, ["en", "zh", "ja"]) is False


@pytest.mark.parametrize("url,expected", [
    ("https://x.example/site/download.html", "https://x.example/site/download/"),
    ("https://x.example/site/zh/index.html", "https://x.example/site/zh/"),
    ("https://x.example/site/", "https://x.example/site/"),
])
def test_published_url_of_an_offline_page(url, expected):
    assert published_url(url) == expected


def test_each_build_keeps_its_own_render_memo_and_a_renderer_outside_one_computes():
    """Two builds in one process (two memos, active in turn) give what no memo gives, and neither
    memo holds the other's results. (Fails with a process-wide memo: the second would start full.)"""
    from conftest import SEED, TINY
    from datasite.loader import load_dataset
    from datasite.render.memo import RenderMemo
    from datasite.render.pages import render_pages

    tiny, seed = (load_dataset(folder / "dataset.yml").dataset for folder in (TINY, SEED))
    plain = {name: render_pages(dataset, "zh") for name, dataset in (("tiny", tiny), ("seed", seed))}
    first, second = RenderMemo(), RenderMemo()
    with first.active():
        assert render_pages(tiny, "zh") == plain["tiny"]
    with second.active():
        assert second.entries == {}
        assert render_pages(seed, "zh") == plain["seed"]
    assert first.used and second.used and not first.used & second.used
    with first.active():  # what it kept serves it again
        before = dict(first.entries)
        assert render_pages(tiny, "zh") == plain["tiny"] and first.entries == before


def test_the_source_date_is_the_builds_own_and_the_users_wins(monkeypatch):
    """SOURCE_DATE_EPOCH follows `updated` while a build runs and goes back after it (a second
    build in the process sets its own); one the user set is left alone."""
    import os
    from datetime import date

    import msgspec

    from conftest import TINY
    from datasite import pipeline
    from datasite.loader import load_dataset

    dataset = msgspec.structs.replace(load_dataset(TINY / "dataset.yml").dataset, updated=date(2026, 1, 1))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    saved = pipeline.set_source_date(dataset)
    try:
        assert os.environ["SOURCE_DATE_EPOCH"] == "1767225600"
    finally:
        pipeline.restore_environment(saved)
    assert "SOURCE_DATE_EPOCH" not in os.environ
    later = msgspec.structs.replace(dataset, updated=date(2026, 2, 1))
    pipeline.restore_environment(pipeline.set_source_date(later))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "42")
    pipeline.restore_environment(pipeline.set_source_date(later))
    assert os.environ["SOURCE_DATE_EPOCH"] == "42"


@pytest.mark.parametrize("name,declared,expected", [
    ("cells.zip", "zip", "application/zip"),
    ("cells.rar", None, "application/vnd.rar"),  # IANA's registered type
    ("cells.7z", None, "application/x-7z-compressed"),
    ("run/cell-01.MAT", None, "application/x-matlab-data"),  # (case does not matter)
    ("cells.h5", "h5", "application/x-hdf5"),
    ("cells.tar.gz", "tar.gz", "application/gzip"),
    ("readings.csv", "CSV", "text/csv"),
    ("readings.dat", "csv", "text/csv"),  # the declared format names what the name does not say
    ("readings.dat", None, "application/octet-stream"),
    ("notes", "application/x-custom", "application/x-custom"),  # a media type given is kept
    (".hidden", None, "application/octet-stream"),
])
def test_media_type_of_a_file(name, declared, expected):
    from datasite.mediatypes import media_type

    assert media_type(name, declared) == expected
