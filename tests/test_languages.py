"""A language is data (issue 23): a site lists its languages in dataset.yml, the first served at
the root; each language is a record in datasite/languages/<code>.yml.

- a Chinese-first site (the tiny fixture with `languages: [zh, en]` and the engine's default
  moved to zh): Chinese at /, English under /en/, search, feeds, sitemap, hreflang, the switcher
  and the offline bundle;
- a site in English, Chinese and Japanese (tests/fixtures/trilingual), made by its dataset.yml,
  its mkdocs.yml and the Japanese record alone;
- the records themselves, and the guard that no module but the language data names a language.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import FIXTURES, ROOT, TINY, copy_project, datasite, edit, mkdocs_build, page, search_hits, text_of

from datasite.language import KNOWN, han_language, metadata_language
from datasite.validation import SchemaError, validate

TRILINGUAL = FIXTURES / "trilingual"


def chinese_first(dest: Path) -> Path:
    """As a maintainer whose readers are mostly in China would make the tiny site."""
    project = copy_project(dest, TINY)
    shutil.copytree(TINY / "release", project / "release")
    edit(project, "id: lakeside-thermometer-readings\n", "id: lakeside-thermometer-readings\nlanguages: [zh, en]\n")
    edit(project, "        - {locale: en, name: English, default: true}\n        - {locale: zh, name: 中文}",
         "        - {locale: zh, name: 中文, default: true}\n        - {locale: en, name: English}", "mkdocs.yml")
    return project


@pytest.fixture(scope="module")
def zh_first(tmp_path_factory) -> tuple[Path, Path]:
    project = chinese_first(tmp_path_factory.mktemp("zh-first"))
    site = tmp_path_factory.mktemp("zh-first-site")
    result = mkdocs_build(project, "--strict", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return project, site


@pytest.fixture(scope="module")
def trilingual(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("trilingual"), TRILINGUAL)
    site = tmp_path_factory.mktemp("trilingual-site")
    result = mkdocs_build(project, "--strict", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


def _index(site: Path, prefix: str) -> dict:
    return json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))


# -- Chinese first ---------------------------------------------------------------------------

def test_chinese_first_serves_chinese_at_the_root_and_english_under_en(zh_first):
    _, site = zh_first
    root, english = page(site, ""), page(site, "en/")
    assert root.html["lang"] == "zh" and "湖畔温度计读数" in root.title.text
    assert english.html["lang"] == "en" and "Lakeside Thermometer Readings" in english.title.text
    assert page(site, "license/").html["lang"] == "zh"
    assert not (site / "zh").exists(), "no stray /zh/ (it held only a feed and an empty index)"


def test_chinese_first_search_indexes_hold_each_language(zh_first):
    _, site = zh_first
    chinese, english = _index(site, ""), _index(site, "en")
    assert any("许可协议" in doc["text"].replace("\u200b", "") for doc in chinese["docs"])
    assert chinese["docs"] and not any(doc["location"].startswith("en/") for doc in chinese["docs"])
    assert any(doc["title"] == "License and terms" for doc in english["docs"])
    assert not any(re.search("[\u4e00-\u9fff]", doc["title"]) for doc in english["docs"])


def test_chinese_first_feeds_sitemap_and_hreflang(zh_first):
    _, site = zh_first
    assert 'xml:lang="zh"' in (site / "feed.xml").read_text(encoding="utf-8")
    assert 'xml:lang="en"' in (site / "en" / "feed.xml").read_text(encoding="utf-8")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    base = "https://example.github.io/lakeside-thermometer-readings/"
    assert f"<loc>{base}license/</loc>" in sitemap and f"<loc>{base}en/license/</loc>" in sitemap
    head = page(site, "en/license/")
    alternates = {link["hreflang"]: link["href"] for link in head.select('link[rel="alternate"][hreflang]')}
    assert alternates == {"zh": f"{base}license/", "en": f"{base}en/license/", "x-default": f"{base}license/"}
    assert head.select_one('meta[property="og:locale"]')["content"] == "en_US"


def test_chinese_first_switcher_links_the_same_page(zh_first):
    _, site = zh_first
    links = {a["hreflang"]: a["href"] for a in page(site, "license/").select(".md-select__link")}
    assert links == {"zh": "./", "en": "../en/license/"}
    links = {a["hreflang"]: a["href"] for a in page(site, "en/download/").select(".md-select__link")}
    assert links == {"zh": "../../download/", "en": "./"}


def test_chinese_first_english_pages_mark_chinese_text_and_link_the_feed(zh_first):
    _, site = zh_first
    english = page(site, "en/")
    feed = english.select_one('link[type="application/atom+xml"]')["href"]
    assert urljoin("https://example.org/en/", feed) == "https://example.org/en/feed.xml"
    assert english.select('[lang="zh"]'), "Chinese text on an English page is marked as Chinese"


def test_chinese_first_offline_bundle(zh_first, tmp_path):
    project, _ = zh_first
    result = datasite(project, "bundle", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    (archive,) = tmp_path.glob("*.zip")
    names = zipfile.ZipFile(archive).namelist()
    folder = names[0].split("/")[0]
    assert f"{folder}/index.html" in names and f"{folder}/en/index.html" in names
    assert f"{folder}/search/search_index.js" in names and f"{folder}/en/search/search_index.js" in names
    assert not [name for name in names if name.startswith(f"{folder}/zh/")]
    home = BeautifulSoup(zipfile.ZipFile(archive).read(f"{folder}/index.html"), "html.parser")
    assert home.html["lang"] == "zh"


def test_chinese_first_search_finds_the_license_at_the_root_in_a_browser(zh_first, serve, tab):
    _, site = zh_first
    base = serve(site)
    requests = tab.seen["requests"]
    tab.goto(f"{base}/")
    hits = search_hits(tab, "许可协议")
    assert "/license/" in hits and not [hit for hit in hits if hit.startswith("/en/")], hits
    assert [urlsplit(url).path for url in requests if "search_index" in url] == ["/search/search_index.json"]
    # The switcher keeps the page and its anchor.
    tab.goto(f"{base}/license/#use")
    tab.hover(".md-header .md-select")
    tab.click('.md-select__link[hreflang="en"]')
    tab.wait_for_load_state()
    assert tab.url == f"{base}/en/license/#use"
    assert tab.seen["errors"] == []


def test_engine_default_that_is_not_dataset_yml_s_first_language_is_a_located_error(tmp_path):
    project = chinese_first(tmp_path / "project")
    edit(project, "languages: [zh, en]\n", "languages: [en, zh]\n")
    result = mkdocs_build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("datasite: mkdocs.yml: plugins.i18n.languages: 'zh' is marked `default: true`, "
            "but dataset.yml lists en first") in result.stderr


# -- three languages -------------------------------------------------------------------------

def test_three_languages_build_with_every_page_in_each(trilingual):
    site = trilingual
    for prefix, lang, heading in (("", "en", "License and terms"), ("zh/", "zh", "许可协议与条款"),
                                  ("ja/", "ja", "ライセンスと利用条件")):
        html = page(site, f"{prefix}license/")
        assert html.html["lang"] == lang
        assert text_of(html.select_one("article h1")).startswith(heading)
        links = {a["hreflang"] for a in html.select(".md-select__link")}
        assert links == {"en", "zh", "ja"}
        assert (site / prefix / "feed.xml").exists() and (site / prefix / "format" / "index.html").exists()


def test_three_languages_a_text_in_one_language_keeps_its_anchor_in_the_others(trilingual):
    english = page(trilingual, "license/")
    assert english.select_one("#greeting") is not None
    elsewhere = text_of(english.select_one("#greeting").find_next("p"))
    assert "日本語" in elsewhere and "only" in elsewhere
    # Chinese and Japanese both write Han characters: a run of them is not marked as either.
    assert not english.select('span[lang="zh"]')


def test_three_languages_search_in_each(trilingual):
    titles = {prefix: {doc["title"].replace("\u200b", "") for doc in _index(trilingual, prefix)["docs"]}
              for prefix in ("", "zh", "ja")}
    assert "License and terms" in titles[""]
    assert "许可协议与条款" in titles["zh"]
    assert "ライセンスと利用条件" in titles["ja"]
    assert _index(trilingual, "ja")["config"]["lang"] == ["en", "zh", "ja"]
    # The theme's Japanese search scripts are served; other languages' are not.
    scripts = trilingual / "assets" / "javascripts" / "lunr"
    assert (scripts / "min" / "lunr.ja.min.js").exists() and (scripts / "tinyseg.js").exists()
    assert not (scripts / "min" / "lunr.th.min.js").exists()


def test_three_languages_japanese_search_in_a_browser(trilingual, serve, tab):
    base = serve(trilingual)
    tab.goto(f"{base}/ja/")
    hits = search_hits(tab, "ダウンロード")
    assert "/ja/download/" in hits and all(hit.startswith("/ja/") for hit in hits), hits
    assert tab.seen["errors"] == []


def test_three_languages_stay_in_sync(tmp_path):
    project = copy_project(tmp_path / "project", TRILINGUAL)
    assert datasite(project, "check", "--strict").returncode == 0
    edit(project, "ja: 読み取り値はどのような目的にも利用でき、2022 年の論文を引用してください。",
         "ja: 読み取り値は研究にのみ利用できます。")
    result = datasite(project, "check", "--strict")
    assert result.returncode == 1 and "clauses.use.body" in result.stderr, result.stderr
    assert "ja" in result.stderr


def test_three_languages_a_missing_text_is_a_located_error(tmp_path):
    project = copy_project(tmp_path / "project", TRILINGUAL)
    line = edit(project, "    title: {en: Mirrors, zh: 镜像, ja: ミラー}", "    title: {en: Mirrors, zh: 镜像}")
    result = datasite(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"dataset.yml:{line}:" in result.stderr
    assert "regions.everywhere.title: missing the 'ja' text (every text needs en, zh, ja)" in result.stderr


# -- what the model checks -------------------------------------------------------------------

def _tiny_data() -> dict:
    return yaml.safe_load((TINY / "dataset.yml").read_text(encoding="utf-8"))


def test_a_text_in_a_language_the_site_does_not_list_is_refused():
    data = _tiny_data()
    data["regions"][0]["title"]["ja"] = "ミラー"
    with pytest.raises(SchemaError) as caught:
        validate(data)
    assert caught.value.errors == [(("regions", 0, "title"), "there is a 'ja' text, but ja is not one of this "
                                    "site's languages (en, zh; `languages:` in dataset.yml)")]


def test_a_language_named_by_a_key_must_be_one_of_the_site_s():
    # (`first_for_languages`, `only`, `article_for` keys: mutant: the site-language Check dropped)
    data = _tiny_data()
    data["regions"][0]["first_for_languages"] = ["ja"]
    with pytest.raises(SchemaError) as caught:
        validate(data)
    assert caught.value.errors == [(("regions", 0, "first_for_languages", 0), "'ja' is not one of this site's "
                                    "languages (en, zh; `languages:` in dataset.yml)")]
    data["languages"] = ["en", "zh", "ja"]
    with pytest.raises(SchemaError) as caught:  # now a site language, and so every text needs it
        validate(data)
    assert all("missing the 'ja' text" in message for _, message in caught.value.errors)


def test_languages_are_known_and_listed_once():
    for languages, message in (([], "the list needs at least 1 item"), (["en", "en"], "each language once"),
                               (["en", "xx"], "'xx' is not one of en, zh, ja")):
        data = _tiny_data()
        data["languages"] = languages
        with pytest.raises(SchemaError) as caught:
            validate(data)
        assert any(path[:1] == ("languages",) and message in text for path, text in caught.value.errors), \
            caught.value.errors


def test_the_order_of_languages_is_the_site_s_and_the_texts_need_each():
    data = _tiny_data()
    data["languages"] = ["zh", "en"]
    assert validate(data).languages == ["zh", "en"]
    data["languages"] = ["zh"]
    with pytest.raises(SchemaError) as caught:
        validate(data)
    assert ((("name",), "there is a 'en' text, but en is not one of this site's languages "
             "(zh; `languages:` in dataset.yml)") in caught.value.errors)


# -- the records -----------------------------------------------------------------------------

@pytest.mark.parametrize("code", sorted(KNOWN))
def test_every_record_has_every_word_with_the_same_placeholders(code):
    reference, record = KNOWN["en"], KNOWN[code]
    for kind in ("words", "readme"):
        assert set(getattr(record, kind)) == set(getattr(reference, kind)), kind
    for key, text in reference.words.items():
        assert set(re.findall(r"\{\w+\}", record.words[key])) == set(re.findall(r"\{\w+\}", text)), key
    assert record.locale.startswith(code)


def test_the_importer_reads_the_languages_whose_records_say_how():
    from datasite import importer

    assert importer.READ_LANGUAGES == tuple(code for code, record in KNOWN.items() if record.importer)
    assert importer.SERVICES["pan.baidu.com"] == {code: KNOWN[code].importer["services"]["pan.baidu.com"]
                                                  for code in importer.READ_LANGUAGES}
    for code in importer.READ_LANGUAGES:
        assert set(KNOWN[code].importer) == set(KNOWN[importer.READ_LANGUAGES[0]].importer)


def test_han_and_metadata_languages_come_from_the_records():
    assert han_language(("en", "zh")) == "zh"
    assert han_language(("zh", "en", "ja")) is None  # ambiguous: not marked
    assert metadata_language(("zh", "en")) == "en"  # CITATION.cff and BibTeX keys in English
    assert metadata_language(("zh", "ja")) == "zh"


def test_no_module_names_a_language_but_the_language_data():
    """Mutant: any `"en"` or `"zh"` written back into a module (the importer's names of services,
    its patterns and placeholders are in the records' `importer:` too)."""
    found = []
    for path in sorted((ROOT / "datasite").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in KNOWN:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert found == []
