"""What readers expect of a dataset page: releases with files, sizes and SHA-256, a DOI, what
changed (a page and Atom feeds), at a glance; and `datasite files`, which fills in the files.

Built from the tiny fixture, whose release 2.0 has two small files in tests/fixtures/tiny/release/."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import feedparser
import pytest
import yaml

from conftest import ARTIFACTS, TINY, axe_violations, copy_project, datasite, edit, mkdocs_build, open_page, page, text_of

PREFIX = {"en": "", "zh": "zh/"}


def sha256sum(folder) -> dict[str, str]:
    """What coreutils' sha256sum says of each file (the reference the page must agree with)."""
    output = subprocess.run(["sha256sum", *sorted(p.name for p in folder.iterdir())], cwd=folder,
                            capture_output=True, text=True, check=True).stdout
    return {name: digest for digest, name in (line.split("  ", 1) for line in output.splitlines())}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_download_page_lists_the_files_of_the_latest_release_with_their_sha256(tiny_site, language):
    html = page(tiny_site, f"{PREFIX[language]}download")
    rows = {row["data-file"]: row for row in html.select("table.ds-files tr[data-file]")}
    assert rows.keys() == sha256sum(TINY / "release").keys()
    for name, digest in sha256sum(TINY / "release").items():
        assert rows[name].select_one("code.ds-hash").get_text() == digest
        assert rows[name].select_one("button.ds-copy")["data-clipboard-text"] == digest
        assert f"{(TINY / 'release' / name).stat().st_size} B" in rows[name].get_text()
    heading = html.select_one("#files").get_text()
    assert ("2.0" in heading and "2022-01-15" in heading)
    commands = " ".join(code.get_text() for code in html.select("pre code"))
    assert "sha256sum -c SHA256SUMS" in commands and "shasum -a 256 -c SHA256SUMS" in commands
    assert "Get-FileHash" in commands


def test_sha256sums_verifies_the_files_with_coreutils(tiny_site, tmp_path):
    for item in (TINY / "release").iterdir():
        shutil.copy2(item, tmp_path / item.name)
    shutil.copy2(tiny_site / "SHA256SUMS", tmp_path / "SHA256SUMS")
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.count(": OK") == 2, result.stdout + result.stderr
    (tmp_path / "lakes-2020.csv").write_text("damaged\n", encoding="utf-8")
    damaged = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
    assert damaged.returncode == 1 and "lakes-2020.csv: FAILED" in damaged.stdout


@pytest.mark.parametrize("language", ["en", "zh"])
def test_download_page_is_a_compact_table_per_region(tiny_site, language):
    html = page(tiny_site, f"{PREFIX[language]}download")
    rows = html.select("table.ds-mirrors tr.ds-mirror")
    assert [row["id"] for row in rows] == ["example-archive", "example-drive"]  # recommended first
    assert rows[0].select_one(".ds-badge").get_text() == {"en": "Recommended", "zh": "推荐"}[language]
    # Each code once, with its copy button; no status per mirror when no check has run, one note instead.
    assert html.get_text().count("0042") == 1  # shown once (its copy button carries it as data)
    assert rows[1].select_one("button.ds-copy")["data-clipboard-text"] == "0042"
    assert not html.select(".ds-status") and len(html.select(".ds-status-note")) == 1
    assert "Every release since 2019." in rows[0].get_text() if language == "en" else "自 2019 年起" in rows[0].get_text()


def test_checked_mirrors_show_their_state_and_date_in_a_column(tmp_path):
    from datasite.links.cache import VerdictCache
    from datasite.links.verdict import Verdict

    project = copy_project(tmp_path / "p", TINY)
    cache = VerdictCache(project / ".cache" / "datasite" / "links.json", 3600)
    cache.update({"https://drive.example.net/s/lakeside": Verdict(
        "https://drive.example.net/s/lakeside", False, 200, None, "dead share", "2026-01-02T03:04:05Z")})
    cache.save()
    assert mkdocs_build(project, "--strict", "--site-dir", "out").returncode == 0
    html = page(project / "out", "download")
    assert not html.select(".ds-status-note")
    drive = html.select_one("#example-drive")
    assert drive["data-state"] == "dead" and "dead link" in drive.get_text() and "2026-01-02" in drive.get_text()
    assert "unknown" in html.select_one("#example-archive").get_text()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_home_page_answers_at_a_glance(tiny_site, language):
    html = page(tiny_site, PREFIX[language])
    glance = {text_of(d.select_one("dt")): text_of(d.select_one("dd")) for d in html.select(".ds-glance > div")}
    version, files = {"en": ("Version", "Files"), "zh": ("版本", "文件")}[language]
    assert glance[version] == "2.0 · 2022-01-15"
    assert glance[files] == {"en": "2 files, 180 B", "zh": "2 个文件, 180 B"}[language]
    assert html.select_one(".ds-glance a.ds-doi")["href"] == "https://doi.org/10.5555/lakeside.data"
    citation = html.select_one(".ds-cite-box button.ds-copy")["data-clipboard-text"]
    assert citation.startswith("Example, A., & Sample, B. (2022).")
    assert html.select_one("a.ds-all-formats")["href"].endswith("cite/")
    assert html.select_one('a.md-button--primary')["href"].endswith("download/")


def test_the_dataset_doi_and_version_reach_every_citation_format(tiny_site):
    import bibtexparser
    import rispy

    bib = bibtexparser.parse_file(str(tiny_site / "citation" / "lakeside-thermometer-readings.bib"))
    data = next(e for e in bib.entries if e.entry_type == "misc")
    assert data["doi"] == "10.5555/lakeside.data" and data["version"] == "2.0"
    ris = rispy.load(tiny_site / "citation" / "lakeside-thermometer-readings.ris")[1]
    assert ris["doi"] == "10.5555/lakeside.data" and ris["edition"] == "2.0"
    cite = page(tiny_site, "cite")
    assert "https://doi.org/10.5555/lakeside.data" in cite.select_one("#dataset-apa + div").get_text()
    assert "10.5555/lakeside.data" in cite.select_one("#dataset-gbt7714 + div").get_text()
    home = json.loads(page(tiny_site, "").select_one('script[type="application/ld+json"]').string)
    assert "hasPart" not in home and "distribution" not in home  # the files are listed on the download page
    jsonld = json.loads(page(tiny_site, "download").select_one('script[type="application/ld+json"]').string)
    assert jsonld["version"] == "2.0" and jsonld["identifier"] == "https://doi.org/10.5555/lakeside.data"
    assert jsonld["dateModified"] == "2022-01-15"
    # The files lie in the shares (no URL of their own): parts of the dataset, not downloads.
    files = {d["name"]: d for d in jsonld["hasPart"]}
    assert files["lakes-2020.csv"] == {"@type": "MediaObject", "name": "lakes-2020.csv", "contentSize": "104 B",
                                       "sha256": sha256sum(TINY / "release")["lakes-2020.csv"],
                                       "encodingFormat": "text/csv"}
    cff = yaml.safe_load((TINY / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == "2.0" and cff["doi"] == "10.5555/lakeside.data"
    assert str(cff["date-released"]) == "2022-01-15"


def test_chinese_pages_cite_the_dataset_by_its_chinese_name(tiny_site):
    zh = page(tiny_site, "zh/cite")
    assert "湖畔温度计读数" in zh.select_one("#dataset-gbt7714 + div").get_text()
    assert "Lakeside" not in zh.select_one("#dataset-gbt7714 + div").get_text()
    assert "Lakeside Thermometer Readings" in page(tiny_site, "cite").select_one("#dataset-gbt7714 + div").get_text()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_what_changed_page_and_revised_clauses(tiny_site, language):
    changes = page(tiny_site, f"{PREFIX[language]}changes")
    headings = [h["id"] for h in changes.select("article h2")]
    assert headings == ["c-2022-02-01", "c-2022-01-15"]  # newest first
    link = changes.select_one('article a[href*="license/#use"]')
    assert link is not None
    license_page = page(tiny_site, f"{PREFIX[language]}license")
    revised = license_page.select_one("#use + .ds-revised time")
    assert revised["datetime"] == "2022-02-01"


@pytest.mark.parametrize("language,path", [("en", "feed.xml"), ("zh", "zh/feed.xml")])
def test_atom_feed_per_language_parses(tiny_site, language, path):
    feed = feedparser.parse((tiny_site / path).read_bytes())
    assert feed.bozo == 0 and feed.version == "atom10"
    assert feed.feed.language == language
    assert [e.title.split(" · ")[0] for e in feed.entries] == ["2022-02-01", "2022-01-15"]
    assert {"en": "Release 2.0 adds", "zh": "2.0 版增加"}[language] in feed.entries[1].summary
    head = page(tiny_site, f"{PREFIX[language]}changes").select_one('link[type="application/atom+xml"]')
    assert head["href"] == "../feed.xml"


def test_datasite_files_writes_sizes_and_hashes_keeping_comments(tmp_path):
    project = copy_project(tmp_path / "p", TINY)
    shutil.copytree(TINY / "release", project / "release")
    (project / "release" / "lakes-2021.csv").write_text("lake,time,celsius\n", encoding="utf-8")
    before = (project / "dataset.yml").read_text(encoding="utf-8")
    result = datasite(project, "files", "release", "--release", "3.0")
    assert result.returncode == 0, result.stderr
    # What to do next is said: a change entry, the confirmations, the export, a strict build.
    steps = result.stdout.split("Next steps:", 1)[1]
    assert "`changes` entry for release 3.0" in steps and "datasite confirm --all" in steps
    assert steps.index("datasite export") < steps.index("datasite build --strict")
    after = (project / "dataset.yml").read_text(encoding="utf-8")
    # Everything the maintainer wrote stays as written; the new release is added at the end of the list.
    kept = [line for line in before.splitlines() if line.startswith("#") or "# " in line]
    assert kept and all(line in after.splitlines() for line in kept)
    assert after.startswith(before.split("\nchanges:")[0].rstrip("\n").rsplit("\n", 1)[0])
    data = yaml.safe_load(after)
    release = data["releases"][-1]
    assert release["version"] == "3.0"
    expected = sha256sum(project / "release")
    assert {f["name"]: f["sha256"] for f in release["files"]} == expected
    assert {f["name"]: f["size"] for f in release["files"]} == {
        p.name: p.stat().st_size for p in (project / "release").iterdir()}
    assert datasite(project, "check").returncode == 0


def test_datasite_files_reports_mistakes_and_changes_nothing(tmp_path):
    project = copy_project(tmp_path / "p", TINY)
    before = (project / "dataset.yml").read_text(encoding="utf-8")
    missing = datasite(project, "files", "no-such-folder")
    assert missing.returncode == 1 and "no-such-folder is not a folder" in missing.stderr
    (project / "empty").mkdir()
    empty = datasite(project, "files", "empty")
    assert empty.returncode == 1 and "holds no files" in empty.stderr
    assert "Traceback" not in missing.stderr + empty.stderr
    assert (project / "dataset.yml").read_text(encoding="utf-8") == before


def test_hashing_streams_large_files_in_blocks(tmp_path):
    from datasite.files import BLOCK, sha256_of

    big = tmp_path / "big.bin"
    with big.open("wb") as handle:
        for index in range(5):
            handle.write(bytes([index]) * BLOCK)
        handle.write(b"tail")
    reads = []
    assert sha256_of(big, reads.append) == hashlib.sha256(big.read_bytes()).hexdigest()
    assert reads == [BLOCK] * 5 + [4]  # never the whole file at once


def test_release_mistakes_are_located(tmp_path):
    project = copy_project(tmp_path / "p", TINY)
    edit(project, "    clauses: [use]", "    clauses: [usage]")
    edit(project, '  - version: "2.0"', '  - version: "1.0"')
    result = datasite(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "changes[1].clauses[0]: unknown clause 'usage'" in result.stderr
    assert "releases[1].version: version '1.0' is listed more than once" in result.stderr


# -- in a real browser ---------------------------------------------------------------------------

GLANCE_PAGES = [(language, path) for language in PREFIX for path in ("", "download/", "changes/")]


@pytest.mark.parametrize("language,path", GLANCE_PAGES, ids=[f"{l}-{p or 'home'}" for l, p in GLANCE_PAGES])
def test_release_pages_are_accessible_in_both_modes(tiny_site, serve, browser, language, path):
    violations, seen, schemes = {}, {"errors": [], "outside": []}, {}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        context, tab, recorded = open_page(browser, f"{serve(tiny_site)}/{PREFIX[language]}{path}", color_scheme=scheme)
        violations[scheme] = axe_violations(tab)
        schemes[scheme] = tab.locator("body").get_attribute("data-md-color-scheme")
        tab.screenshot(path=str(ARTIFACTS / f"tiny-{language}-{path.strip('/') or 'home'}-{scheme}.png"), full_page=True)
        context.close()
        for key in seen:
            seen[key] += recorded[key]
    assert violations == {"light": [], "dark": []}, json.dumps(violations, ensure_ascii=False, indent=1)
    assert schemes == {"light": "default", "dark": "slate"}
    assert seen == {"errors": [], "outside": []}


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_download_tables_fit_the_screen(tiny_site, serve, browser, language, width):

    context, tab, _ = open_page(browser, f"{serve(tiny_site)}/{PREFIX[language]}download/",
                                viewport={"width": width, "height": 800})
    widths = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    hash_box = tab.locator('tr[data-file="lakes-2020.csv"] code.ds-hash').bounding_box()
    tab.screenshot(path=str(ARTIFACTS / f"tiny-{language}-download-{width}px.png"), full_page=True)
    context.close()
    assert widths[0] <= widths[1], f"the page scrolls sideways at {width}px: {widths}"
    assert hash_box["x"] + hash_box["width"] <= width


def test_copy_buttons_copy_the_hash_and_the_citation(tiny_site, serve, browser):

    context, tab, _ = open_page(browser, f"{serve(tiny_site)}/zh/download/",
                                permissions=["clipboard-read", "clipboard-write"])
    tab.locator('tr[data-file="lakes-2019.csv"] button.ds-copy').click()
    assert tab.evaluate("navigator.clipboard.readText()") == sha256sum(TINY / "release")["lakes-2019.csv"]
    tab.wait_for_function("document.getElementById('ds-live').textContent.length > 0")
    assert tab.locator("#ds-live").text_content() == "已复制: SHA-256"
    tab.goto(f"{serve(tiny_site)}/")
    tab.locator(".ds-cite-box button.ds-copy").click()
    assert tab.evaluate("navigator.clipboard.readText()").startswith("Example, A., & Sample, B. (2022).")
    context.close()


def test_datasite_files_keeps_the_url_a_maintainer_gave_a_file(tmp_path):
    """A rescan cannot know where a file is downloaded: the `url` written beside it stays
    (mutant: the entries rebuilt from the scan alone)."""
    project = copy_project(tmp_path / "p", TINY)
    shutil.copytree(TINY / "release", project / "release")
    url = "https://files.example.org/lakeside/lakes-2020.csv"
    line = next(l for l in (project / "dataset.yml").read_text(encoding="utf-8").splitlines()
                if l.startswith("      - {name: lakes-2020.csv, size: 104,"))
    edit(project, line + "\n", line.removesuffix("}") + f", url: {url}}}\n")
    (project / "release" / "lakes-2020.csv").write_text("lake,time,celsius\nnorth,0,4.5\n", encoding="utf-8")
    result = datasite(project, "files", "release", "--release", "2.0")
    assert result.returncode == 0, result.stderr
    files = {f["name"]: f for f in yaml.safe_load((project / "dataset.yml").read_text(encoding="utf-8"))["releases"][1]["files"]}
    assert files["lakes-2020.csv"]["url"] == url and files["lakes-2020.csv"]["size"] == 30
    assert "url" not in files["lakes-2019.csv"]
