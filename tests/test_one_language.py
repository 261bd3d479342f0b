"""One-language text is a decision, not a copy (issue 19): a text its author wrote in one language
says so (`only: [zh]`), is shown on that language's pages alone, keeps its anchor in every
language, and passes the sync check; a dataset whose Chinese manuscripts cite a Chinese article
shows it first on the Chinese cite page. Built from the tiny fixture with such texts added."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import TINY, copy_project, datasite, edit, mkdocs_build, page, text_of

from datasite.validation import SchemaError, validate

WRITTEN = {
    "clause": "\n".join([
        "  - id: wechat-group",
        "    title: {zh: 交流群, only: [zh]}",
        "    body: {zh: 扫码加入微信交流群，二维码有效期至 2027 年 1 月。, only: [zh]}",
    ]),
    "notice": "notice: {en: Version 2 adds the winter readings., only: [en]}\n",
    "article_for": "\n".join([
        "article_for:",
        "  zh:",
        "    authors: [{family: 湖, given: 畔}]",
        "    et_al: true",
        "    title: 湖畔温度计的读数",
        "    journal: 示例学报",
        "    year: 2023",
    ]) + "\n",
}


def written_project(folder: Path) -> Path:
    project = copy_project(folder, TINY)
    edit(project, "\ncontact:", "\n" + WRITTEN["clause"] + "\n\ncontact:")
    edit(project, "\nlicense:\n", "\n" + WRITTEN["notice"] + WRITTEN["article_for"] + "\nlicense:\n")
    assert datasite(project, "confirm", "--all").returncode == 0
    return project


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    project = written_project(tmp_path_factory.mktemp("written"))
    out = project / "out"
    result = mkdocs_build(project, "--strict", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_a_one_language_text_passes_the_strict_gates(tmp_path):
    project = written_project(tmp_path / "p")
    check = datasite(project, "check", "--strict")
    assert check.returncode == 0, check.stderr
    assert datasite(project, "export", "--check").returncode == 1  # the README export now says more
    assert datasite(project, "export").returncode == 0
    readme = (project / "README.dataset.md").read_text(encoding="utf-8")
    english, chinese = readme.split("\n# 湖畔", 1)
    assert "交流群" not in english and "### 交流群" in chinese
    assert "Version 2 adds the winter readings." in english and "winter" not in chinese.split("<!--")[0]


def test_a_clause_written_in_chinese_only_is_read_there_and_keeps_its_anchor_in_english(written):
    chinese = page(written, "zh/license").select_one("#wechat-group")
    assert text_of(chinese).rstrip("¶") == "交流群"
    assert "2027" in text_of(chinese.find_next("div", class_="ds-clause"))
    english = page(written, "license")
    heading = english.select_one("#wechat-group")
    assert heading is not None and "交流群" in text_of(heading)  # its title as written
    stub = heading.find_next("p", class_="ds-elsewhere")
    assert text_of(stub).startswith("This section is written in 中文 only.")
    link = stub.find("a")
    assert link["href"] == "../zh/license/#wechat-group" and link["hreflang"] == "zh"
    # The link leads to the page that holds the clause, at its anchor.
    target = (written / "license" / link["href"].split("#")[0] / "index.html").resolve()
    assert target == (written / "zh" / "license" / "index.html").resolve() and "wechat-group" in target.read_text()
    assert "2027" not in text_of(english.select_one("article"))  # the text is not copied onto English pages


def test_the_offline_bundle_links_a_one_language_clause_to_its_html_file(tmp_path):
    project = written_project(tmp_path / "p")
    result = mkdocs_build(project, "--site-dir", "offline", DATASITE_OFFLINE="1")
    assert result.returncode == 0, result.stderr
    stub = page(project / "offline", "license.html").select_one(".ds-elsewhere a")
    assert stub["href"] == "zh/license.html#wechat-group"
    back = page(project / "offline", "zh/license.html").select_one("#wechat-group")
    assert back is not None


def test_a_notice_written_in_english_only_is_shown_on_english_pages_only(written):
    assert "Version 2 adds the winter readings." in text_of(page(written, "").select_one(".ds-notice"))
    assert page(written, "zh/").select_one(".ds-notice") is None


def test_chinese_manuscripts_cite_the_chinese_article_first(written):
    chinese = page(written, "zh/cite")
    assert "湖畔温度计的读数" in text_of(chinese.select_one(".ds-reference"))
    headings = [h.get("id") for h in chinese.select("h2")]
    assert headings.index("article-zh") < headings.index("article")
    english = page(written, "cite")
    assert "Readings from imaginary lakes" in text_of(english.select_one(".ds-reference"))
    headings_en = [h.get("id") for h in english.select("h2")]
    assert headings_en.index("article") < headings_en.index("article-zh")
    # The same anchors in both languages (papers print them).
    ids = lambda soup: {e["id"] for e in soup.select("[id^=article]")}
    assert ids(chinese) == ids(english) and "article-zh-gbt7714" in ids(english)
    assert "湖畔温度计的读数" in text_of(page(written, "zh/").select_one(".ds-cite-box"))
    assert "Readings from imaginary lakes" in text_of(page(written, "").select_one(".ds-cite-box"))
    bib = next((written / "citation").glob("*.bib")).read_text(encoding="utf-8")
    assert "湖畔温度计的读数" in bib and "Readings from imaginary lakes" in bib


BASE = yaml.safe_load((TINY / "dataset.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("notice,message", [
    ({"zh": "只有中文。"}, "missing the 'en' text (every text needs en, zh; if its author wrote it in zh only, "
                          "say `only: [zh]`)"),
    ({"zh": "只有中文。", "only": ["en"]}, "`only` names en, but there is no 'en' text"),
    ({"zh": "只有中文。", "en": "Both.", "only": ["zh"]}, "there is a 'en' text, but `only` does not name en"),
    ({"zh": "只有中文。", "only": ["zh", "zh"]}, "`only` names each language once"),
    ({"zh": "中文。", "en": "English.", "only": ["en", "zh"]}, "`only` names every language: leave it out"),
    ({"zh": "只有中文。", "only": ["fr"]}, "'fr' is not one of en, zh"),
])
def test_only_says_exactly_which_languages_a_text_has(notice, message):
    with pytest.raises(SchemaError) as raised:
        validate({**BASE, "notice": notice})
    assert any(message in text for _, text in raised.value.errors), raised.value.errors


def test_a_clause_has_its_title_in_the_languages_of_its_body(tmp_path):
    project = copy_project(tmp_path / "p", TINY)
    line = edit(project, "\ncontact:", "\n  - id: half\n    title: {en: Half, zh: 一半}\n"
                                       "    body: {zh: 只有中文。, only: [zh]}\n\ncontact:")
    result = datasite(project, "check")
    assert result.returncode == 1
    assert re.search(rf"dataset\.yml:{line + 2}:\d+: clauses\.half\.title: the title is in en, zh, the body in zh",
                     result.stderr), result.stderr


def test_the_download_table_shows_where_each_link_leads(site):
    from urllib.parse import urlsplit

    for path in ("download", "zh/download"):
        for row in page(site, path).select("tr.ds-mirror"):
            link = row.select_one("a.ds-mirror__link")
            if link is None:
                continue  # a retired mirror is not linked
            assert text_of(row.select_one(".ds-host")) == urlsplit(link["href"]).hostname
