"""Citable and findable: citation formats, CITATION.cff, the dataset README, page metadata."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml

from conftest import FIXTURES, SEED, datasite, edit, mkdocs_build, page, text_of

SITE_URL = "https://lvdongzhen.github.io/Wenzhou-Randomized-Battery-Data/"
DOI = "10.1016/j.xcrp.2024.102164"
TITLE = "Battery cumulative lifetime prognostics to bridge laboratory and real-life scenarios"
PREFIX = {"en": "", "zh": "zh/"}

EXPECTED = {
    "article-apa": f"Lyu, D., et al. (2024). {TITLE}. Cell Reports Physical Science. https://doi.org/{DOI}",
    "article-gbt7714": f"LYU D, et al. {TITLE}[J]. Cell Reports Physical Science, 2024. DOI:{DOI}.",
    "dataset-apa": f"Lyu, D. (2024). Wenzhou Randomized Battery Data [Dataset]. {SITE_URL}",
    "dataset-gbt7714": f"LYU D. Wenzhou Randomized Battery Data[DS/OL]. (2024)[2026-11-25]. {SITE_URL}.",
}


def code_after(html, anchor: str) -> str:
    return html.select_one(f'[id="{anchor}"]').find_next("code").get_text()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_cite_page_formats(site, language):
    html = page(site, f"{PREFIX[language]}cite")
    for anchor, expected in EXPECTED.items():
        if language == "zh" and anchor.startswith("dataset-"):  # the name the author asks for in Chinese
            expected = expected.replace("Wenzhou Randomized Battery Data", "WZU随机电池退化数据")
        assert code_after(html, anchor).strip() == expected
    bib = bibtexparser.parse_string(code_after(html, "article-bibtex"))
    assert not bib.failed_blocks
    entry = bib.entries[0]
    assert entry.entry_type == "article"
    assert entry["doi"] == DOI and entry["year"] == "2024" and entry["journal"] == "Cell Reports Physical Science"
    assert entry["author"] == "Lyu, Dongzhen and others" and entry["title"].strip("{}") == TITLE
    (ris,) = rispy.loads(code_after(html, "article-ris"))
    assert ris["type_of_reference"] == "JOUR" and ris["doi"] == DOI and ris["title"] == TITLE
    assert ris["authors"] == ["Lyu, Dongzhen"] and ris["year"] == "2024"
    (csl,) = json.loads(code_after(html, "article-csl-json"))
    assert csl["type"] == "article-journal" and csl["DOI"] == DOI and csl["issued"]["date-parts"] == [[2024]]
    name = "Wenzhou Randomized Battery Data" if language == "en" else "WZU随机电池退化数据"
    assert f"“{name}”" in text_of(html.select_one(".ds-attribution"))
    assert html.select("pre code")  # copy buttons are added by the theme to every code block


@pytest.mark.parametrize("language", ["en", "zh"])
def test_machine_formats_are_collapsed_and_the_human_ones_shown(site, language):
    html = page(site, f"{PREFIX[language]}cite")
    for part in ("article", "dataset"):
        for kind in ("apa", "gbt7714"):
            heading = html.select_one(f'[id="{part}-{kind}"]')
            assert heading.name == "h3" and not heading.find_parent("details")
        for kind, label in (("bibtex", "BibTeX"), ("ris", "RIS"), ("csl-json", "CSL-JSON")):
            block = html.select_one(f'[id="{part}-{kind}"]')
            assert block.name == "details" and not block.has_attr("open"), block.name
            assert text_of(block.summary) == label and block.select_one("pre code")
            assert block.has_attr("data-search-exclude")  # the fields repeat: kept out of search
    index = json.loads((site / PREFIX[language] / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [doc["text"].replace("\u200b", "") for doc in index["docs"]]  # jieba's word breaks
    assert not [text for text in texts if "@article" in text or "TY  - JOUR" in text or '"type": "dataset"' in text]


def test_a_link_to_a_machine_format_opens_it(site, serve, tab):
    tab.goto(f"{serve(site)}/cite/#dataset-bibtex")
    assert tab.locator("#dataset-bibtex").evaluate("details => details.open")
    assert tab.locator("#dataset-bibtex pre").inner_text().startswith("@misc{")
    assert tab.locator("#dataset-ris pre").is_hidden()  # the others stay collapsed
    tab.goto(f"{serve(site)}/zh/cite/")
    assert tab.locator("#article-ris pre").is_hidden()
    tab.locator("#article-ris summary").click()
    assert tab.locator("#article-ris pre").is_visible()
    tab.evaluate("location.hash = '#dataset-csl-json'")
    tab.wait_for_function("document.getElementById('dataset-csl-json').open")


def test_downloadable_bib_and_ris_round_trip(site):
    bib = bibtexparser.parse_file(str(site / "citation" / "wenzhou-randomized-battery-data.bib"))
    assert not bib.failed_blocks
    assert [e.entry_type for e in bib.entries] == ["article", "misc"]
    assert bib.entries[1]["url"] == SITE_URL
    entries = rispy.load(site / "citation" / "wenzhou-randomized-battery-data.ris")
    assert [e["type_of_reference"] for e in entries] == ["JOUR", "DATA"]
    assert entries[1]["urls"] == [SITE_URL]
    for language in ("en", "zh"):
        links = {a["href"] for a in page(site, f"{PREFIX[language]}cite").select("article a[href]")}
        depth = "../" * (1 + (language == "zh"))
        assert f"{depth}citation/wenzhou-randomized-battery-data.bib" in links

# Installed with the test dependencies, beside this Python (in the venv, whether or not it is active).
CFFCONVERT = str(Path(sys.executable).with_name("cffconvert"))


def test_citation_cff_is_valid_and_prefers_the_article():
    result = subprocess.run([CFFCONVERT, "--validate", "-i", str(SEED / "CITATION.cff")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    cff = yaml.safe_load((SEED / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["preferred-citation"]["doi"] == DOI and cff["preferred-citation"]["type"] == "article"
    assert cff["license"] == "CC-BY-ND-4.0"


def test_cff_validation_can_fail(tmp_path):
    broken = tmp_path / "CITATION.cff"
    broken.write_text((SEED / "CITATION.cff").read_text(encoding="utf-8").replace("cff-version: 1.2.0", "cff-version: 1.2.0\nauthors: oops"))
    result = subprocess.run([CFFCONVERT, "--validate", "-i", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_generated_files_of_the_seed_fixture_are_fresh():
    result = datasite(SEED, "export", "--check")
    assert result.returncode == 0, result.stderr


def test_export_check_fails_after_an_edit_and_passes_after_regeneration(project):
    assert datasite(project, "export", "--check").returncode == 0
    data = project / "dataset.yml"
    data.write_text(data.read_text(encoding="utf-8").replace("code: nj5b", "code: nj6b"), encoding="utf-8")
    stale = datasite(project, "export", "--check")
    assert stale.returncode == 1 and "README.dataset.md: stale" in stale.stderr
    assert "CITATION.cff" not in stale.stderr  # untouched by a mirror's code
    assert datasite(project, "export").returncode == 0
    assert datasite(project, "export", "--check").returncode == 0
    assert "nj6b" in (project / "README.dataset.md").read_text(encoding="utf-8")


def test_readme_reproduces_every_url_code_clause_and_contact_of_the_seed():
    readme = (SEED / "README.dataset.md").read_text(encoding="utf-8")
    unescaped = re.sub(r"\\([^\w\s])", r"\1", readme)
    seed = (FIXTURES / "seed" / "README.original.md").read_text(encoding="utf-8")
    for url in set(re.findall(r"https?://[^\s<>()（）]+", seed)):
        assert url in readme, url
    for code in ("WZRD", "nj5b", "3mde", "LyuDongzhen", "lvdongzhen@hrbeu.edu.cn"):
        assert code in readme
    for line in seed.splitlines():
        line = re.sub(r"\s*<br>\s*$", "", line).strip()
        if len(line) > 60 and not line.startswith(("#", "***")) and "http" not in line[:40]:
            assert line in unescaped, line[:70]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("url_path", ["", "download", "license", "cite", "contact"])
def test_page_metadata(site, language, url_path):
    html = page(site, f"{PREFIX[language]}{url_path}")
    here = f"{SITE_URL}{PREFIX[language]}{url_path + '/' if url_path else ''}"
    assert html.select_one('link[rel="canonical"]')["href"] == here
    alternates = {link["hreflang"]: link["href"] for link in html.select('link[rel="alternate"][hreflang]')}
    assert alternates == {
        "en": f"{SITE_URL}{url_path + '/' if url_path else ''}",
        "zh": f"{SITE_URL}zh/{url_path + '/' if url_path else ''}",
        "x-default": f"{SITE_URL}{url_path + '/' if url_path else ''}",
    }
    description = html.select_one('meta[name="description"]')["content"]
    assert len(description) >= 20
    assert html.select_one('meta[property="og:url"]')["content"] == here
    assert html.select_one('meta[property="og:locale"]')["content"] == {"en": "en_US", "zh": "zh_CN"}[language]
    assert html.select_one('meta[name="twitter:card"]')
    (ld,) = [json.loads(s.string) for s in html.select('script[type="application/ld+json"]')]
    for key in ("name", "alternateName", "description", "url", "license", "creator", "citation", "identifier",
                "inLanguage", "isAccessibleForFree", "datePublished", "potentialAction"):
        assert key in ld, key
    assert ld["@type"] == "Dataset" and 50 <= len(ld["description"]) <= 5000
    # Every mirror on the download page; a summary (three, recommended first) on the others. A
    # mirror is a share page, not the data's bytes: an action that downloads it, not a DataDownload.
    assert len(ld["potentialAction"]) == (11 if url_path == "download" else 3)
    assert all(d["@type"] == "DownloadAction" for d in ld["potentialAction"])
    assert "distribution" not in ld  # (no release file has a URL of its own)
    assert ld["citation"]["identifier"] == f"https://doi.org/{DOI}"


def test_meta_descriptions_differ_per_page_and_language(site):
    seen = {page(site, f"{PREFIX[l]}{p}").select_one('meta[name="description"]')["content"]
            for l in ("en", "zh") for p in ("", "download", "license", "cite", "contact")}
    assert len(seen) == 10


def test_sitemap_lists_both_languages(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for path in ("", "download/", "license/", "cite/", "contact/"):
        assert f"<loc>{SITE_URL}{path}</loc>" in sitemap and f"<loc>{SITE_URL}zh/{path}</loc>" in sitemap


# The contract with printed papers: these URLs and anchors never change.
PERMANENT = {
    "": [], "cite": ["article", "dataset", "qr"], "contact": [],
    "download": ["international", "china", "github", "researchgate", "onedrive", "google-drive", "onedrive-backup",
                 "x-mol", "quark", "baidu", "baidu-backup", "china-mobile", "torrent"],
    "license": ["accessibility-and-attribution", "attribution-noderivatives", "commercial-use",
                "cooperation-invitation", "application-case", "competing-interests", "license-agreement",
                "disclaimer", "revision-clause"],
}


def test_permanent_urls_and_anchors(site):
    for language in ("en", "zh"):
        for url_path, anchors in PERMANENT.items():
            html = page(site, f"{PREFIX[language]}{url_path}")
            ids = {tag["id"] for tag in html.select("[id]")}
            assert set(anchors) <= ids, (language, url_path, set(anchors) - ids)


def test_renamed_page_keeps_its_old_url_through_a_redirect(project):
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("  - redirects:\n      redirect_maps:\n        mirrors.md: download.md\n")
    result = mkdocs_build(project, "--strict", "--site-dir", "out")
    assert result.returncode == 0, result.stderr
    redirect = (project / "out" / "mirrors" / "index.html").read_text(encoding="utf-8")
    assert "../download/" in redirect
    redirect = (project / "out" / "zh" / "mirrors" / "index.html").read_text(encoding="utf-8")
    assert "../download/" in redirect  # from /zh/mirrors/ to /zh/download/


def test_qr_codes_carry_the_site_and_doi(site):
    from datasite.render.qr import qr_svg

    assert (site / "assets" / "qr" / "site.svg").read_text(encoding="utf-8") == qr_svg(SITE_URL, SITE_URL)
    doi_url = f"https://doi.org/{DOI}"
    assert (site / "assets" / "qr" / "doi.svg").read_text(encoding="utf-8") == qr_svg(doi_url, doi_url)
    images = page(site, "zh/cite").select("img.ds-qr")
    assert [img["src"] for img in images] == ["../../assets/qr/site.svg", "../../assets/qr/doi.svg"]


def _site_files(folder) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_render_cache_changes_speed_not_output(project):
    """Formatted citations and QR codes are kept in .cache/datasite/render.json between builds;
    a warm, a damaged and a missing cache all give the same site, and new data is never served stale."""
    cache = project / ".cache" / "datasite" / "render.json"
    assert not cache.exists()
    assert mkdocs_build(project, "--strict", "--site-dir", "cold").returncode == 0
    assert cache.exists()
    written = cache.stat().st_mtime_ns
    assert mkdocs_build(project, "--strict", "--site-dir", "warm").returncode == 0
    assert cache.stat().st_mtime_ns == written  # every result came from the cache: nothing to write
    cold = _site_files(project / "cold")
    assert _site_files(project / "warm") == cold
    cache.write_text('{"version": 1, "entries": {"x": 1}', encoding="utf-8")  # cut off mid-write
    result = mkdocs_build(project, "--strict", "--site-dir", "damaged")
    assert result.returncode == 0, result.stderr
    assert _site_files(project / "damaged") == cold
    assert json.loads(cache.read_text(encoding="utf-8"))["entries"]  # rewritten whole

    edit(project, f"title: {TITLE}", "title: A renamed article")
    assert mkdocs_build(project, "--strict", "--site-dir", "edited").returncode == 0
    html = page(project / "edited", "cite")
    assert code_after(html, "article-apa").strip() == EXPECTED["article-apa"].replace(TITLE, "A renamed article")
    bib = (project / "edited" / "citation" / "wenzhou-randomized-battery-data.bib").read_text(encoding="utf-8")
    assert "{A renamed article}" in bib and TITLE not in bib


def test_template_cache_changes_speed_not_output(project):
    """The theme's compiled templates are kept in .cache/datasite/templates: a warm, a damaged, a
    deleted and an impossible cache give the same site, and an edited template is never served stale.
    The builds run in one process: a second command starts from nothing of the first's (mutant:
    the plugin's state kept between commands, its templates served from memory, leaves the
    deleted folder unmade)."""
    assert mkdocs_build(project, "--strict", "--site-dir", "cold").returncode == 0
    (folder,) = (project / ".cache" / "datasite" / "templates").iterdir()  # one per engine and Jinja version
    assert folder.name.startswith("mkdocs-jinja-")
    cached = sorted(folder.iterdir())
    assert len(cached) > 10  # main.html, base.html, the partials, ...
    cold = _site_files(project / "cold")
    damages = [None, lambda data: data[:24], lambda data: b"not a compiled template", "deleted", "a file"]
    for damage in damages:
        if damage == "deleted":
            shutil.rmtree(folder.parent)
        elif damage == "a file":  # where the folder should be: it cannot be made, memory serves
            shutil.rmtree(folder.parent)
            folder.parent.write_text("not a folder", encoding="utf-8")
        elif damage is not None:
            for path in cached:
                path.write_bytes(damage(path.read_bytes()))
        result = mkdocs_build(project, "--strict", "--site-dir", "again")
        assert result.returncode == 0, result.stderr
        assert _site_files(project / "again") == cold
    folder.parent.unlink()
    assert mkdocs_build(project, "--strict", "--site-dir", "ci", CI="true").returncode == 0
    assert not folder.parent.exists()  # CI builds from a fresh checkout: nothing kept, nothing run from one
    # A site's own template (theme.custom_dir), edited between two builds.
    edit(project, "  name: material\n", "  name: material\n  custom_dir: overrides\n", name="mkdocs.yml")
    partial = project / "overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    for words in ("First footer", "Second footer"):
        partial.write_text(f'<div class="md-copyright">{words}</div>', encoding="utf-8")
        assert mkdocs_build(project, "--strict", "--site-dir", "custom").returncode == 0
        assert text_of(page(project / "custom", "").select_one(".md-copyright")) == words


def test_bibtex_stays_valid_with_latex_special_characters(project):
    title = "Li-ion {cells} at 100% SOC & #1_test"
    edit(project, f"title: {TITLE}", f"title: '{title}'")
    assert mkdocs_build(project, "--strict", "--site-dir", "out").returncode == 0
    bib = bibtexparser.parse_file(str(project / "out" / "citation" / "wenzhou-randomized-battery-data.bib"))
    assert not bib.failed_blocks and [e.entry_type for e in bib.entries] == ["article", "misc"]
    assert bib.entries[0]["title"] == r"{Li-ion \{cells\} at 100\% SOC \& \#1\_test}"
    assert title in code_after(page(project / "out", "cite"), "article-apa")  # as written elsewhere
