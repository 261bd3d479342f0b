"""The built site carries everything the seed README says, in both languages."""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, SEED, datasite, edit, mkdocs_build, normalize, page, text_of

SEED_TEXT = (FIXTURES / "seed" / "README.original.md").read_text(encoding="utf-8")
ENGLISH_HALF, CHINESE_HALF = re.split(r"^# (?=WZU)", SEED_TEXT, flags=re.M)
URL = re.compile(r"https?://[^\s<>()（）]+")
CODES = ["WZRD", "nj5b", "3mde"]

# Section headings of the seed that are terms (the rest are mirrors and contact).
CLAUSE_SECTIONS = {
    "en": ["Accessibility and Attribution", "Attribution-NoDerivatives Requirement", "Commercial Use",
           "Cooperation Invitation", "Application Case", "Competing interests declaration",
           "License Agreement", "Disclaimer", "Revision Clause"],
    "zh": ["数据访问和署名", "署名-禁止演绎要求", "商用条款", "合作邀请", "应用案例", "利益相关声明",
           "许可协议", "免责声明", "修订条款"],
}
HALVES = {"en": ENGLISH_HALF, "zh": CHINESE_HALF}
PREFIX = {"en": "", "zh": "zh/"}


def seed_sections(half: str) -> dict[str, list[str]]:
    sections = {}
    for chunk in re.split(r"^\*\*\*", half, flags=re.M)[1:]:
        title, _, body = chunk.partition("***")
        lines = [re.sub(r"\s*<br>\s*$", "", line).strip() for line in body.splitlines()]
        sections[title.strip()] = [line for line in lines if line]
    return sections


def mirror_lines() -> list[str]:
    lines = []
    for half in HALVES.values():
        for title, body in seed_sections(half).items():
            if "Storage" in title or "存储" in title:
                lines += body
    return lines


SEED_URLS = sorted({url for line in mirror_lines() for url in URL.findall(line)})


def test_the_importer_reads_every_mirror_url_of_the_seed_once():
    """The URLs of the README's storage sections (read here by their own headings) are the
    mirrors the importer makes, each once. (Fails if the importer drops or doubles a mirror.)"""
    from datasite.importer import import_readme

    result = import_readme(SEED_TEXT.encode("utf-8"), "README.md")
    urls = [mirror["url"] for mirror in result.data["mirrors"]]
    assert len(SEED_URLS) == 11 and sorted(urls) == SEED_URLS


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_mirror_url_and_code_is_on_the_download_page(site, language):
    html = page(site, f"{PREFIX[language]}download")
    hrefs = {a["href"] for a in html.select("article a[href]")}
    text = text_of(html.select_one("article"))
    for url in SEED_URLS:
        assert url in hrefs, f"{url} is not linked on the {language} download page"
    for code in CODES:
        assert code in text
        assert html.select(f'button[data-clipboard-text="{code}"]'), f"no copy button for {code}"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_clause_paragraph_is_verbatim_on_the_license_page(site, language):
    article_text = text_of(page(site, f"{PREFIX[language]}license").select_one("article"))
    sections = seed_sections(HALVES[language])
    for title in CLAUSE_SECTIONS[language]:
        assert normalize(title) in article_text
        for line in sections[title]:
            assert normalize(line) in article_text, f"{title}: paragraph not verbatim: {line[:60]}…"


def test_clause_order_follows_the_seed(site):
    for language in ("en", "zh"):
        headings = [normalize(h.get_text()) for h in page(site, f"{PREFIX[language]}license").select("article h2")]
        headings = [h.rstrip("¶").strip() for h in headings]
        assert headings == CLAUSE_SECTIONS[language]


def test_anchors_are_the_ids_and_identical_in_both_languages(site):
    data = yaml.safe_load((SEED / "dataset.yml").read_text(encoding="utf-8"))
    for url_path, items in (("download", data["mirrors"]), ("license", data["clauses"])):
        for language in ("en", "zh"):
            ids = {tag["id"] for tag in page(site, f"{PREFIX[language]}{url_path}").select("article [id]")}
            for item in items:
                assert item["id"] in ids, f"#{item['id']} missing on {language} {url_path}"
            assert not any(re.fullmatch(r"_\d+", i) for i in ids)


@pytest.mark.parametrize("url_path", ["", "download", "license", "cite", "contact"])
def test_stable_pages_exist_in_both_languages(site, url_path):
    for language in ("en", "zh"):
        html = page(site, f"{PREFIX[language]}{url_path}")
        assert html.html["lang"] == language


def test_contact_and_citation(site):
    for language in ("en", "zh"):
        contact = page(site, f"{PREFIX[language]}contact")
        assert contact.select_one('a[href="mailto:lvdongzhen@hrbeu.edu.cn"]')
        assert "LyuDongzhen" in text_of(contact.select_one("article"))
        cite = text_of(page(site, f"{PREFIX[language]}cite").select_one("article"))
        assert "Battery cumulative lifetime prognostics to bridge laboratory and real-life scenarios" in cite
        assert "https://doi.org/10.1016/j.xcrp.2024.102164" in cite
    assert "Wenzhou Randomized Battery Data" in text_of(page(site, "cite").select_one("article"))
    assert "WZU随机电池退化数据" in text_of(page(site, "zh/cite").select_one("article"))


def test_home_page_has_license_line_and_download_and_cite_entries(site):
    for language, name in (("en", "Wenzhou Randomized Battery Data"), ("zh", "WZU随机电池退化数据")):
        home = page(site, PREFIX[language])
        article = home.select_one("article")
        assert name in article.h1.get_text()
        assert "CC BY-ND 4.0" in text_of(article)
        buttons = {a["href"].strip("./") for a in article.select("a.md-button")}
        assert {"download", "cite"} <= buttons


def test_language_links_point_at_the_same_page(site):
    html = page(site, "zh/download")
    links = {a["hreflang"]: a["href"] for a in html.select("a.md-select__link")}
    assert links == {"en": "../../download/", "zh": "./"}
    html = page(site, "license")
    links = {a["hreflang"]: a["href"] for a in html.select("a.md-select__link")}
    assert links == {"en": "./", "zh": "../zh/license/"}


SIGNPOSTS = {"cite-as", "describedby", "type", "author", "license", "item", "linkset"}


def test_no_third_party_resources_in_pages(site):
    for path in site.rglob("*.html"):
        html = page(site, str(path.relative_to(site)))
        for tag in html.select("link[href], script[src], img[src]"):
            ref = tag.get("href") or tag.get("src")
            # (What names the page's place and what machines follow, Signposting's typed links:
            # no browser loads them.)
            if tag.name == "link" and set(tag.get("rel")) & {"canonical", "alternate", *SIGNPOSTS}:
                continue
            assert not re.match(r"^(https?:)?//", ref), f"{path}: loads {ref}"


def test_text_from_yaml_is_escaped(project):
    data = (project / "dataset.yml").read_text(encoding="utf-8")
    data = data.replace("label: {en: GitHub, zh: GitHub}",
                        "label: {en: '<script>alert(1)</script> *bold*', zh: '<b>粗</b> _斜_'}")
    data = data.replace("  en: Wenzhou Randomized Battery Data\n", "  en: 'Wenzhou <i>Randomized</i> \"Battery\" Data'\n", 1)
    (project / "dataset.yml").write_text(data, encoding="utf-8")
    result = mkdocs_build(project, "--site-dir", "out")
    assert result.returncode == 0, result.stderr
    en = page(project / "out", "download")
    assert not en.select("article script") and not en.select("#github em, #github strong")
    assert "<script>alert(1)</script> *bold*" in text_of(en.select_one("#github"))
    # <title> holds text only (a browser shows "<i>" as written), whatever entities the minifier keeps
    raw = (project / "out" / "download" / "index.html").read_text(encoding="utf-8")
    title = html.unescape(re.search(r"<title>(.*?)</title>", raw).group(1))
    assert title == 'Download - Wenzhou <i>Randomized</i> "Battery" Data'
    assert not en.select("header i") and en.select_one(".md-header__topic").get_text(strip=True) == (
        'Wenzhou <i>Randomized</i> "Battery" Data')
    home = page(project / "out", "")
    assert home.select_one('meta[name="description"]')["content"] == (
        "Wenzhou Randomized Battery Data is the battery degradation dataset released with the article "
        '"Battery cumulative lifetime prognostics to bridge laboratory and real-life scenarios" (Cell Reports '
        "Physical Science, 2024). This site lists its license and terms, how to cite it, where to download it "
        "from mirrors in China and abroad, and whom to contact.")
    zh = page(project / "out", "zh/download")
    assert not zh.select("article b, #github em")
    assert "<b>粗</b> _斜_" in text_of(zh.select_one("#github"))


def test_urls_end_where_the_text_around_them_says(project):
    """A URL followed by Chinese text with no space, or ending in a bracket it opened, links whole."""
    edit(project, "Real-Life Scenarios, Cell Reports Physical Science (2024), https://doi.org/10.1016/j.xcrp.2024.102164\n",
         "Real-Life Scenarios, Cell Reports Physical Science (2024), https://doi.org/10.1016/j.xcrp.2024.102164获取全文\n")
    edit(project, "  wechat: LyuDongzhen\n", "  wechat: LyuDongzhen\n  url: https://en.wikipedia.org/wiki/Ohm_(unit)\n")
    assert datasite(project, "confirm", "clauses.accessibility-and-attribution.body").returncode == 0
    result = mkdocs_build(project, "--strict", "--site-dir", "out")
    assert result.returncode == 0, result.stderr  # the same DOI URL in both languages
    license_zh = page(project / "out", "zh/license")
    assert license_zh.select_one('a[href="https://doi.org/10.1016/j.xcrp.2024.102164"]')
    assert "获取全文" in text_of(license_zh.select_one("article"))
    for prefix, label in (("", "Web"), ("zh/", "网页")):
        contact = page(project / "out", f"{prefix}contact")
        link = contact.select_one('a[href="https://en.wikipedia.org/wiki/Ohm_(unit)"]')
        assert link and link.get_text() == "https://en.wikipedia.org/wiki/Ohm_(unit)"
        assert link.find_parent("dd").find_previous_sibling("dt").get_text() == label


def test_paragraphs_split_at_any_blank_lines_on_pages_and_in_the_readme(project):
    # Two blank lines, and a "blank" line holding spaces, still separate paragraphs: no stray breaks.
    edit(project, "      en: |-\n        The related data and code",
         "      en: |-\n        First paragraph.\n\n\n        Second paragraph.\n          \n"
         "        The related data and code")
    assert datasite(project, "confirm", "--all").returncode == 0
    assert mkdocs_build(project, "--strict", "--site-dir", "out").returncode == 0
    clause = page(project / "out", "license").select_one("#accessibility-and-attribution").find_next("div")
    texts = [p.get_text() for p in clause.select("p")]
    assert texts[:2] == ["First paragraph.", "Second paragraph."] and not clause.select("p:first-child br")
    assert texts[2].startswith("The related data and code")
    assert datasite(project, "export", "readme").returncode == 0
    readme = (project / "README.dataset.md").read_text(encoding="utf-8")
    assert "First paragraph.\n\nSecond paragraph.\n\nThe related data and code" in readme


def test_light_dark_switch_speaks_the_page_language(site):
    for prefix, names in (("", ["Dark mode", "Light mode"]), ("zh/", ["深色模式", "浅色模式"])):
        switch = page(site, prefix)
        assert [i["aria-label"] for i in switch.select('input[name="__palette"]')] == names
        assert [label["title"] for label in switch.select('label[for^="__palette"]')] == names


def test_search_partial_is_the_themes_own_plus_a_dialog_name():
    """datasite/theme/partials/search.html copies mkdocs-material's; a theme upgrade that changes the
    original shows up here, so that the copy is renewed rather than left behind."""
    import material

    def body(path):
        text = path.read_text(encoding="utf-8")
        return text[text.index("-#}") + 3:].strip()

    ours = body(ROOT / "datasite" / "theme" / "partials" / "search.html")
    theirs = body(Path(material.__file__).parent / "templates" / "partials" / "search.html")
    assert ' aria-label="{{ lang.t(\'search\') }}"' in ours
    assert ours.replace(' aria-label="{{ lang.t(\'search\') }}"', "", 1) == theirs


def test_each_language_has_a_search_index_of_its_own_pages(site):
    indexes = {prefix: json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
               for prefix in ("", "zh/")}
    # Every page and section in both: the ids are the same in both languages, and a Chinese
    # section whose text is the English one's (a citation) is not dropped as a duplicate.
    english, chinese = ([doc["location"] for doc in index["docs"]] for index in indexes.values())
    assert sorted(english) == sorted(chinese) and "cite/#article-apa" in chinese
    for prefix, other in (("", "zh/"), ("zh/", None)):
        index = json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
        locations = [doc["location"] for doc in index["docs"]]
        assert "" in locations and "download/" in locations and "license/#disclaimer" in locations
        assert not [loc for loc in locations if other and loc.startswith(other)], locations
        assert index["config"]["lang"] == ["en", "zh"]  # Latin words on Chinese pages are searched too
        titles = {doc["location"]: doc["title"] for doc in index["docs"]}
        heading = page(site, f"{prefix}download").select_one("article h1").get_text().strip("¶")
        assert titles["download/"].replace("\u200b", "") == heading  # jieba splits Chinese words with U+200B
        # The pages tell the theme where their index is (and what its locations are relative to).
        for name in ("", "download/"):
            config = json.loads(page(site, prefix + name).select_one("script#__config").string)
            assert posixpath.normpath(posixpath.join("/" + prefix + name, config["base"])).rstrip("/") + "/" \
                == "/" + prefix, (prefix + name, config["base"])


def test_config_block_is_the_themes_own_but_for_the_base():
    """datasite/theme/main.html copies the theme's `config` block to set the search base per
    language; a theme upgrade that changes the original shows up here."""
    import textwrap

    import material

    def block(text):
        start = text.rindex("\n", 0, text.index("{% block config %}")) + 1  # from the line's start
        return textwrap.dedent(text[start:text.index("{% endblock %}", start)]).strip()

    ours = block((ROOT / "datasite" / "theme" / "main.html").read_text(encoding="utf-8"))
    theirs = block((Path(material.__file__).parent / "templates" / "base.html").read_text(encoding="utf-8"))
    changed = '"base": datasite_search_base or base_url,'
    assert changed in ours
    assert ours.replace(changed, '"base": base_url,', 1) == theirs
