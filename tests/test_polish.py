"""Lean and polished (part of issue 15): what the offline bundle leaves out, Chinese typography by
rule, the footer and titles in the page's language, the language switch keeping the place."""

from __future__ import annotations

import re
import zipfile

import pytest

from conftest import page, text_of

from datasite.ui import UI

CJK = r"[\u3400-\u9fff]"


@pytest.mark.parametrize("key", sorted(UI["zh"]))
def test_chinese_ui_words_are_spaced_from_latin_ones(key):
    """The Chinese copywriting rule: a space between Chinese and Latin words or digits; none after
    full-width punctuation."""
    text = UI["zh"][key]
    assert not re.search(rf"{CJK}[A-Za-z0-9]|[A-Za-z0-9]{CJK}", text), text
    assert not re.search(r"[：，。；！？、] ", text), text


def test_every_ui_word_exists_in_both_languages():
    assert UI["en"].keys() == UI["zh"].keys()


@pytest.mark.parametrize("path", ["zh/", "zh/download/", "zh/license/", "zh/cite/", "zh/contact/", "zh/changes/"])
def test_chinese_pages_have_no_space_after_full_width_punctuation(site, path):
    html = page(site, path).select_one("article")
    for br in html.find_all("br"):
        br.replace_with("\n")
    # The text of each paragraph, cell and heading (buttons side by side are not a sentence);
    # line breaks stay line breaks.
    article = "\n".join(re.sub(r" *\n *", "\n", e.get_text()) for e in html.select("p, li, td, dd, dt, h1, h2, h3")
                        if not e.select(".md-button"))
    assert not re.search(r"[：；。，] (?=\S)", article), re.search(r".{20}[：；。，] \S.{20}", article)
    assert not re.search(rf"{CJK} {CJK}", article), re.search(rf".{{20}}{CJK} {CJK}.{{20}}", article)


@pytest.mark.parametrize("prefix,made", [("", "Made with Material for MkDocs"), ("zh/", "本站使用 Material for MkDocs 构建")])
def test_footer_and_home_title_speak_the_page_language(site, prefix, made):
    home = page(site, prefix)
    assert text_of(home.select_one(".md-copyright")) == made
    name = {"": "Wenzhou Randomized Battery Data", "zh/": "WZU随机电池退化数据"}[prefix]
    assert home.title.get_text() == name  # not "Name - Name"
    assert page(site, f"{prefix}download").title.get_text().endswith(f" - {name}")


def test_the_bundle_leaves_out_source_maps_and_other_languages_search(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
    assert not [n for n in names if n.endswith(".map")]
    lunr = sorted(n.rsplit("/", 1)[1] for n in names if "/lunr/" in n)
    assert lunr == ["lunr.multi.min.js", "lunr.stemmer.support.min.js", "lunr.zh.min.js"]


def test_the_language_switch_keeps_the_anchor(site, serve, tab):
    tab.goto(f"{serve(site)}/download/#baidu")
    tab.hover(".md-header .md-select")
    tab.click('.md-select__link[hreflang="zh"]')
    tab.wait_for_url("**/zh/download/#baidu")
    assert tab.url.endswith("/zh/download/#baidu")
