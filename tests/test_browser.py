"""What a reader sees in a real browser (Playwright driving Debian's chromium)."""

from __future__ import annotations

from urllib.parse import urlsplit

from conftest import mkdocs_build, open_page, search_hits


def switch_language(tab, language: str) -> None:
    tab.hover(".md-header .md-select")
    tab.click(f'.md-select__link[hreflang="{language}"]')
    tab.wait_for_load_state()


def test_language_switch_keeps_the_page(site, serve, tab):
    base = serve(site)
    traffic = tab.seen
    tab.goto(f"{base}/zh/download/")
    assert tab.locator("html").get_attribute("lang") == "zh"
    assert tab.locator("#baidu").is_visible()
    switch_language(tab, "en")
    assert tab.url == f"{base}/download/"
    assert tab.locator("article h1").inner_text().startswith("Download")

    tab.goto(f"{base}/")
    switch_language(tab, "zh")
    assert tab.url == f"{base}/zh/"
    switch_language(tab, "en")
    assert tab.url == f"{base}/"
    assert not [url for url in traffic["requests"] if url.endswith("sitemap.xml")]
    assert traffic["errors"] == []


search = search_hits


def test_chinese_multi_word_search_finds_the_license_page_in_chinese_only(site, serve, tab):
    requests = tab.seen["requests"]
    tab.goto(f"{serve(site)}/zh/download/")
    hits = search(tab, "许可协议")
    assert "/zh/license/" in hits, hits
    assert all(hit.startswith("/zh/") for hit in hits), hits
    # The Chinese pages load the Chinese index alone.
    assert [urlsplit(url).path for url in requests if "search_index" in url] == ["/zh/search/search_index.json"]


def test_english_search_finds_the_download_page_in_english_only(site, serve, tab):
    requests = tab.seen["requests"]
    tab.goto(f"{serve(site)}/license/")
    hits = search(tab, "GitHub")  # a word the Chinese pages have too
    assert "/download/" in hits and not [hit for hit in hits if hit.startswith("/zh/")], hits
    tab.goto(f"{serve(site)}/")
    assert "/download/" in search(tab, "extraction code")
    assert {urlsplit(url).path for url in requests if "search_index" in url} == {"/search/search_index.json"}


def test_language_switch_works_from_disk(seed_project, tmp_path_factory, tab):
    out = tmp_path_factory.mktemp("offline")
    result = mkdocs_build(seed_project, "--strict", "--site-dir", str(out), DATASITE_OFFLINE="true")
    assert result.returncode == 0, result.stderr
    traffic = tab.seen
    tab.goto((out / "zh" / "license.html").as_uri())
    switch_language(tab, "en")
    assert tab.url == (out / "license.html").as_uri()
    assert tab.locator("#disclaimer").is_visible()
    tab.goto((out / "index.html").as_uri())
    switch_language(tab, "zh")
    assert tab.url == (out / "zh" / "index.html").as_uri()
    assert all(url.startswith("file://") for url in traffic["requests"]), traffic["requests"]
    assert not [url for url in traffic["requests"] if url.endswith("sitemap.xml")]


def test_copy_button_copies_the_extraction_code(site, serve, browser):
    context, tab, _ = open_page(browser, f"{serve(site)}/zh/download/", permissions=["clipboard-read", "clipboard-write"])
    tab.click('#china-mobile button.ds-copy')
    assert tab.evaluate("navigator.clipboard.readText()") == "nj5b"
    context.close()


def test_qr_codes_on_the_cite_page_decode_to_the_site_and_the_doi(site, serve, tab):
    import io

    import zxingcpp
    from PIL import Image

    tab.goto(f"{serve(site)}/zh/cite/#qr")
    decoded = []
    for image in tab.locator("img.ds-qr").all():
        image.scroll_into_view_if_needed()
        picture = Image.open(io.BytesIO(image.screenshot()))
        decoded += [result.text for result in zxingcpp.read_barcodes(picture)]
    assert decoded == ["https://lvdongzhen.github.io/Wenzhou-Randomized-Battery-Data/",
                       "https://doi.org/10.1016/j.xcrp.2024.102164"]
