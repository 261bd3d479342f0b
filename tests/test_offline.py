"""The offline bundle and reproducible builds."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from conftest import BUNDLE, datasite, mkdocs_build, open_page



def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(seed_project, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert mkdocs_build(seed_project, "--site-dir", str(first)).returncode == 0
    assert mkdocs_build(seed_project, "--site-dir", str(second), SOURCE_DATE_EPOCH="").returncode == 0
    assert tree_digest(first) == tree_digest(second)
    assert "<lastmod>2026-11-25</lastmod>" in (first / "sitemap.xml").read_text()  # from dataset.yml


def test_two_bundles_are_byte_identical(seed_project, bundle, tmp_path):
    again = datasite(seed_project, "bundle", "--out", str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / bundle.name).read_bytes() == bundle.read_bytes()


def test_bundle_content(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        assert names == sorted(names) and all(n.startswith(f"{BUNDLE}/") for n in names)
        for page in ("index.html", "download.html", "zh/index.html", "zh/license.html", "search/search_index.js",
                     "assets/javascripts/iframe-worker-shim.js"):
            assert f"{BUNDLE}/{page}" in names
        html = archive.read(f"{BUNDLE}/zh/download.html").decode("utf-8")
        assert "unpkg.com" not in html and "https://fonts." not in html
    # Canonical and hreflang URLs name the published pages (directory URLs), not the bundle's files.
    head = BeautifulSoup(html, "html.parser")
    site_url = "https://lvdongzhen.github.io/Wenzhou-Randomized-Battery-Data/"
    assert head.select_one('link[rel="canonical"]')["href"] == site_url + "zh/download/"
    assert {link["hreflang"]: link["href"] for link in head.select('link[rel="alternate"][hreflang]')} == {
        "en": site_url + "download/", "zh": site_url + "zh/download/", "x-default": site_url + "download/"}


def test_bundle_works_from_disk_with_no_network(bundle, tmp_path, browser):
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path)
    root = tmp_path / BUNDLE
    context, tab, seen = open_page(browser, (root / "index.html").as_uri())
    assert "Wenzhou Randomized Battery Data" in tab.locator("article h1").inner_text()

    tab.hover(".md-header .md-select")
    tab.click('.md-select__link[hreflang="zh"]')
    assert tab.url == (root / "zh" / "index.html").as_uri()

    # Each language searches its own pages, from disk too.
    for start, query, expected in (("zh/index.html", "许可协议", "/zh/license.html"),
                                   ("index.html", "extraction code", "/download.html")):
        tab.goto((root / start).as_uri())
        field = tab.locator("input.md-search__input")
        field.click()
        field.fill(query)
        field.press("End")
        tab.locator(".md-search-result__item").first.wait_for()
        hits = [urlsplit(a.get_attribute("href")).path for a in tab.locator(".md-search-result__item > a").all()]
        assert any(path.endswith(expected) for path in hits), (query, hits)
        assert all(("/zh/" in path) == ("/zh/" in expected) for path in hits), (query, hits)
        tab.keyboard.press("Escape")

    tab.goto((root / "zh" / "download.html").as_uri())
    assert tab.locator("#baidu").is_visible() and "WZRD" in tab.locator('[data-mirror="baidu"]').inner_text()
    tab.click('a.md-nav__link[href$="license.html"]')
    assert tab.url.endswith("zh/license.html")
    assert seen["outside"] == [] and all(url.startswith("file://") for url in seen["requests"]), seen["requests"]
    context.close()


def test_mkdocs_serve_reloads_when_dataset_yml_changes(project):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from conftest import build_env

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                              env=build_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def page_text(path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(path: str, text: str, seconds: float = 90) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in page_text(path):
                return True
            time.sleep(0.5)
        return False

    try:
        assert wait_for("/zh/download/", "夸克网盘")
        data = project / "dataset.yml"
        data.write_text(data.read_text(encoding="utf-8").replace("zh: 夸克网盘", "zh: 夸克网盘（新）"), encoding="utf-8")
        assert wait_for("/zh/download/", "夸克网盘（新）")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_bundle_name_and_dates_follow_source_date_epoch(seed_project, tmp_path):
    # 2026-01-01T00:00:00Z, set by a release pipeline: the name and the zip entries agree on it
    result = datasite(seed_project, "bundle", "--out", str(tmp_path), SOURCE_DATE_EPOCH="1767225600")
    assert result.returncode == 0, result.stderr
    (target,) = tmp_path.glob("*.zip")
    assert target.name == BUNDLE.replace("2026-11-25", "2026-01-01") + ".zip"
    with zipfile.ZipFile(target) as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(2026, 1, 1)}
