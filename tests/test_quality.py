"""Quality a reader feels, in a real browser, on every page of both languages: accessibility
(axe-core), a clean console, no request leaving the site, small screens, dark mode, printing."""

from __future__ import annotations

import json

import pytest

from conftest import ARTIFACTS, axe_violations, datasite, edit, mkdocs_build, open_page

PAGES = ["", "download/", "license/", "cite/", "contact/", "changes/"]
LANGUAGES = {"en": "", "zh": "zh/"}
ALL_PAGES = [(language, path) for language in LANGUAGES for path in PAGES]


@pytest.mark.parametrize("language,path", ALL_PAGES, ids=[f"{l}-{p or 'home'}" for l, p in ALL_PAGES])
def test_page_is_accessible_in_light_and_dark_clean_and_self_contained(site, serve, browser, language, path):
    url = f"{serve(site)}/{LANGUAGES[language]}{path}"
    context, tab, seen = open_page(browser, url, settle="networkidle")
    light = axe_violations(tab)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{language}-{path.strip('/') or 'home'}.png"), full_page=True)
    context.close()
    # Dark mode follows the system setting: a reader whose system is dark.
    context, tab, _ = open_page(browser, url, color_scheme="dark")
    scheme = tab.locator("body").get_attribute("data-md-color-scheme")
    dark = axe_violations(tab)
    context.close()
    assert light == [], json.dumps(light, ensure_ascii=False, indent=1)
    assert scheme == "slate"
    assert dark == [], json.dumps(dark, ensure_ascii=False, indent=1)
    assert seen["errors"] == []
    assert seen["outside"] == []


@pytest.mark.parametrize("language,path", ALL_PAGES, ids=[f"{l}-{p or 'home'}" for l, p in ALL_PAGES])
def test_usable_on_a_360_pixel_screen(site, serve, browser, language, path):
    context, tab, _ = open_page(browser, f"{serve(site)}/{LANGUAGES[language]}{path}",
                                viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    widths = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{language}-{path.strip('/') or 'home'}-360px.png"), full_page=True)
    context.close()
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths[0]}px wide in a {widths[1]}px screen"


def region_order(tab) -> list[str]:
    return tab.evaluate("[...document.querySelectorAll('article h2[data-ds-region]')].map(h => h.id)")


def mirror_ids(tab) -> list[str]:
    return tab.evaluate("[...document.querySelectorAll('article .ds-mirror')].map(m => m.dataset.mirror)")


@pytest.mark.parametrize("language,zone,first", [
    ("en", "Europe/Berlin", "international"),
    ("en", "America/New_York", "international"),
    ("en", "Asia/Shanghai", "china"),
    ("zh", "Europe/Berlin", "china"),
    ("zh", "Asia/Shanghai", "china"),
])
def test_region_most_useful_to_the_reader_comes_first(site, serve, browser, language, zone, first):
    context, tab, _ = open_page(browser, f"{serve(site)}/{LANGUAGES[language]}download/", timezone_id=zone)
    order, mirrors = region_order(tab), mirror_ids(tab)
    toc = tab.evaluate("[...document.querySelectorAll('.md-nav--secondary > .md-nav__list > li > a')]"
                       ".map(a => a.getAttribute('href'))")
    context.close()
    assert order[0] == first and sorted(order) == ["china", "international"]
    assert len(mirrors) == 11 and len(set(mirrors)) == 11
    assert toc[0] == f"#{first}"


def test_copy_button_copies_and_announces(site, serve, browser):
    context, tab, _ = open_page(browser, f"{serve(site)}/download/",
                                permissions=["clipboard-read", "clipboard-write"])
    button = tab.locator('[data-mirror="baidu-backup"] button.ds-copy')
    button.click()
    assert tab.evaluate("navigator.clipboard.readText()") == "WZRD"
    live = tab.locator("#ds-live")
    live.wait_for(state="attached")
    tab.wait_for_function("document.getElementById('ds-live').textContent.length > 0")
    assert live.get_attribute("aria-live") == "polite" and live.text_content() == "Copied: WZRD"
    assert button.inner_text() == "Copied"
    context.close()


def test_mirror_links_are_named_and_read_in_their_row(site, serve, browser):
    """A screen reader announces a mirror's link with its column header and row: the code is read
    once, in its own cell."""
    context, tab, _ = open_page(browser, f"{serve(site)}/download/")
    rows = tab.evaluate("[...document.querySelectorAll('tr.ds-mirror')].map(r => [r.querySelector('a').textContent,"
                        " [...r.cells].map(c => c.dataset.label)])")
    headers = tab.evaluate("[...document.querySelectorAll('table.ds-mirrors thead th')].map(th => th.scope)")
    context.close()
    assert ["Baidu Drive", ["Mirror", "Extraction code"]] in rows and ["GitHub", ["Mirror", "Extraction code"]] in rows
    assert set(headers) == {"col"}


def test_chinese_inside_english_pages_is_marked_as_chinese(site, serve, browser):
    context, tab, _ = open_page(browser, f"{serve(site)}/download/")
    marked = tab.evaluate("[...document.querySelectorAll('article [lang=zh]')].map(e => e.textContent)")
    context.close()
    assert "种子下载" in marked


def test_license_page_prints_cleanly(site, serve, browser):
    context, tab, _ = open_page(browser, f"{serve(site)}/zh/license/")
    tab.emulate_media(media="print")
    hidden = tab.evaluate("['.md-header', '.md-sidebar--primary', '.md-footer', '.md-search']"
                          ".map(s => document.querySelector(s)).filter(Boolean)"
                          ".map(e => getComputedStyle(e).display)")
    clauses = tab.locator("article .ds-clause").count()
    pdf = tab.pdf(format="A4")
    context.close()
    assert set(hidden) == {"none"}
    assert clauses == 9 and pdf.startswith(b"%PDF")


def test_regions_for_the_time_zone_keep_their_own_order(project, serve, browser):
    edit(project, "# Every mirror once.", "  - id: asia\n    title: {en: Data Storage in Asia, zh: 数据亚洲存储位置}\n"
                                          "    first_for_time_zones: [Asia/Shanghai]\n\n# Every mirror once.")
    edit(project, "mirrors:\n", "mirrors:\n  - id: asia-drive\n    region: asia\n    label: {en: Asia Drive, zh: 亚洲网盘}\n"
                                "    url: https://example.org/asia\n")
    assert datasite(project, "confirm", "--all").returncode == 0
    result = mkdocs_build(project, "--site-dir", "out")
    assert result.returncode == 0, result.stderr
    context, tab, _ = open_page(browser, f"{serve(project / 'out')}/download/", timezone_id="Asia/Shanghai")
    order, mirrors = region_order(tab), mirror_ids(tab)
    context.close()
    assert order == ["china", "asia", "international"]
    assert len(mirrors) == 12


def test_copy_button_label_returns_after_repeated_clicks(site, serve, browser):
    context, tab, _ = open_page(browser, f"{serve(site)}/download/",
                                permissions=["clipboard-read", "clipboard-write"])
    button = tab.locator('[data-mirror="baidu-backup"] button.ds-copy')
    label = button.inner_text()
    button.click()
    button.click()
    assert button.inner_text() == "Copied"
    tab.wait_for_timeout(2500)
    assert button.inner_text() == label != "Copied"
    context.close()


def test_time_zone_is_only_asked_for_on_pages_with_regions(site, serve, browser):
    base = serve(site)
    calls = {}
    for path in ("license/", "zh/cite/", "download/"):
        context = browser.new_context()
        context.add_init_script("""(() => { const asked = Intl.DateTimeFormat.prototype.resolvedOptions;
            window.dsZoneCalls = 0;
            Intl.DateTimeFormat.prototype.resolvedOptions = function () { window.dsZoneCalls++;
                                                                          return asked.call(this); }; })()""")
        tab = context.new_page()
        tab.goto(f"{base}/{path}")  # datasite.js has run once the page has loaded
        calls[path] = tab.evaluate("window.dsZoneCalls")
        context.close()
    assert calls["license/"] == 0 and calls["zh/cite/"] == 0 and calls["download/"] >= 1
