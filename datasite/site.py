"""What the MkDocs hooks do, as plain functions over MkDocs objects.

hooks/datasite_hooks.py only wires these to MkDocs events. The order of work in a build:
load + validate dataset.yml (on_config, before anything is written) -> add the generated pages
as files (on_files, before mkdocs-static-i18n sorts files into languages) -> give them their
Markdown (on_files, after it) -> per-page language links (on_page_context).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from urllib.parse import urljoin

import minify_html
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .links import check_links, default_cache_path, network_unavailable
from .links.cache import VerdictCache
from .links.verdict import CheckOptions, Verdict
from .links.collect import Link, collect_links
from .links.report import as_json, report_entries
from .links.rules import merged_markers
from .loader import LoadedDataset, display_name, load_dataset
from .model import LANGUAGES
from .problems import DatasetError, Problem
from .render.citation import bib_file, ris_file
from .render.memo import MEMO
from .render.pages import QR_FILES, citation_file, qr_payloads, render_pages
from .render.metadata import head_tags
from .render.qr import qr_svg
from .render.text import mark_chinese
from .ui import LANGUAGE_NAMES, UI
from .sync import GENERATED_PAGES, atomic_write, check_sync, in_ci, lock_path_for, scan_pages

log = get_plugin_logger("datasite")


@dataclass
class BuildState:
    loaded: LoadedDataset
    language: str
    sources: dict[str, str]  # generated src_uri ("download.zh.md") -> Markdown
    links: list[Link]
    verdicts: dict[str, Verdict]


def data_path(config: MkDocsConfig) -> Path:
    """dataset.yml beside mkdocs.yml, unless `extra.datasite.data` names another file."""
    options = config.extra.get("datasite") or {}
    base = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    return base / options.get("data", "dataset.yml")


def _fail(problems: list[Problem]) -> PluginError:
    noun = "problem" if len(problems) == 1 else "problems"
    lines = "\n".join(f"  {p}" for p in problems)
    return PluginError(f"datasite: {len(problems)} {noun} to fix before the site can be built:\n{lines}")


def prepare(config: MkDocsConfig, previous: BuildState | None = None) -> BuildState:
    """Validate everything this build depends on, then set the site's per-language config.

    `previous` is the state of the build of the first language, whose link verdicts the other
    languages reuse (mkdocs-static-i18n runs one build per language, first language first).
    """
    path = data_path(config)
    language = config.theme.get("language") or LANGUAGES[0]
    # The other languages' builds follow the first one at once: its checks and pages still hold.
    reuse = previous is not None and language != LANGUAGES[0] and previous.loaded.path == path
    if reuse:
        loaded = previous.loaded
    else:
        try:
            loaded = load_dataset(path)
        except DatasetError as exc:
            raise _fail(exc.problems) from None
        report = check_sync(loaded, Path(config.docs_dir), lock_path_for(path))
        if report.errors:
            raise _fail(report.errors)
        if report.warnings:
            if in_ci():
                raise _fail(report.warnings)
            for warning in report.warnings:
                log.warning(str(warning))

    install_link_locations(config)
    if language not in LANGUAGES:
        raise PluginError(f"datasite: the theme language '{language}' is not one of {', '.join(LANGUAGES)}")
    localize_redirects(config, language)
    dataset = loaded.dataset
    set_source_date(dataset)
    if not config.site_url and dataset.site_url:
        config.site_url = dataset.site_url  # `mkdocs serve` sets its own, which is kept
    config.site_name = escape(dataset.name[language])  # the theme prints it unescaped
    config.site_description = escape(dataset.description[language])
    name_palette_toggles(config, language)
    if not config.nav:
        pages, _ = scan_pages(Path(config.docs_dir))
        config.nav = [f"{name}.md" for name in GENERATED_PAGES] + [f"{page.name}.md" for page in pages]
    if reuse:
        return BuildState(loaded, language, previous.sources, previous.links, previous.verdicts)
    MEMO.open(render_cache_path(path))
    links = collect_links(loaded, Path(config.docs_dir))
    verdicts = link_verdicts(config, loaded, links)
    sources = {
        f"{name}.{lang}.md": markdown
        for lang in LANGUAGES
        for name, markdown in render_pages(dataset, lang, verdicts).items()
    }
    return BuildState(loaded, language, sources, links, verdicts)


def name_palette_toggles(config: MkDocsConfig, language: str) -> None:
    """The light/dark switch says what it does in the page's language (mkdocs.yml has one name)."""
    for palette in config.theme.get("palette") or []:
        if isinstance(palette, dict) and palette.get("toggle") and palette.get("scheme") in ("default", "slate"):
            key = "switch_to_dark" if palette["scheme"] == "default" else "switch_to_light"
            palette["toggle"]["name"] = UI[language][key]


_OUR_EPOCH = "DATASITE_SET_SOURCE_DATE_EPOCH"


def set_source_date(dataset) -> None:
    """Reproducible builds: dates in the output (sitemap) come from `updated`, not the clock.

    MkDocs reads SOURCE_DATE_EPOCH; a value the user set wins, one set here follows the data
    (also when `updated` changes while `mkdocs serve` runs).
    """
    current = os.environ.get("SOURCE_DATE_EPOCH")
    if current and current != os.environ.get(_OUR_EPOCH):
        return
    if dataset.updated_epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = os.environ[_OUR_EPOCH] = str(dataset.updated_epoch)
    elif current:
        del os.environ["SOURCE_DATE_EPOCH"]


def link_check_mode(config: MkDocsConfig) -> str:
    """"" (only show cached status), "check", or "strict" (dead or unchecked links fail the build)."""
    value = os.environ.get("DATASITE_CHECK_LINKS")
    if value is None:
        value = str((config.extra.get("datasite") or {}).get("check_links", ""))
    value = value.strip().lower()
    if value in ("", "0", "false", "no", "off", "none"):
        return ""
    return "strict" if value == "strict" else "check"


def link_verdicts(config: MkDocsConfig, loaded: LoadedDataset, links: list[Link]) -> dict[str, Verdict]:
    settings = loaded.dataset.link_check
    cache = VerdictCache(default_cache_path(loaded.path), settings.ttl_hours * 3600).load()
    if cache.problem:
        log.info(cache.problem)
    mode = link_check_mode(config)
    urls = [link.url for link in links]
    if not mode:
        return {url: cache.entries[url] for url in urls if url in cache.entries}
    verdicts = check_links(urls, cache, CheckOptions(markers=merged_markers(settings.dead_share_markers)))
    messages = []
    if network_unavailable(verdicts):
        unknown = sum(1 for v in verdicts.values() if v.ok is None)
        messages.append(f"external links not checked: network unavailable ({unknown} of {len(urls)} links); "
                        "mirror status shows the last known state")
    dead = [v for v in verdicts.values() if v.ok is False]
    if dead:
        lines = "\n".join(f"  {v.url}: {v.reason}" for v in dead)
        messages.append(f"{len(dead)} dead external link{'s' if len(dead) > 1 else ''}:\n{lines}")
    if messages and mode == "strict":
        raise PluginError("datasite: " + "\ndatasite: ".join(messages))
    for message in messages:
        log.info(message)
    return verdicts


def write_status(config: MkDocsConfig, state: BuildState) -> None:
    """status.json at the site root: the link report, for tools watching the mirrors."""
    if state.language == LANGUAGES[0]:
        atomic_write(Path(config.site_dir) / "status.json", as_json(report_entries(state.links, state.verdicts)))
    MEMO.save()  # after the last language too, whose generated files may have added entries


def render_cache_path(data: Path) -> Path:
    return default_cache_path(data).with_name("render.json")  # beside the link cache


def localize_redirects(config: MkDocsConfig, language: str) -> None:
    """Make mkdocs-redirects' `old.md: new.md` work in every language.

    Pages are `<name>.<lang>.md` and each language is its own build, so the map is rewritten per
    build: `zh/old.md -> new.zh.md` in the Chinese one.
    """
    plugin = config.plugins.get("redirects")
    if plugin is None:
        return
    original = getattr(plugin, "datasite_original_maps", None)
    if original is None:
        original = plugin.datasite_original_maps = dict(plugin.config.get("redirect_maps") or {})
    localized = {}
    for old, new in original.items():
        if not new.lower().startswith(("http://", "https://")):
            target, _, fragment = new.partition("#")
            new = f"{target.removesuffix('.md')}.{language}.md" + (f"#{fragment}" if fragment else "")
        localized[old if language == LANGUAGES[0] else f"{language}/{old}"] = new
    plugin.config["redirect_maps"] = localized


def add_generated_files(files: Files, config: MkDocsConfig, state: BuildState) -> Files:
    """Register the generated pages as if they were in docs/, so mkdocs-static-i18n sorts them."""
    for src_uri in state.sources:
        files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


def fill_generated_files(files: Files, config: MkDocsConfig, state: BuildState) -> Files:
    # mkdocs-static-i18n re-creates File objects from their paths, so content is set afterwards.
    for file in files:
        if file.src_uri in state.sources:
            file.content_string = state.sources[file.src_uri]
    for path, content in generated_assets(state.loaded.dataset).items():
        files.append(File.generated(config, path, content=content))
    redirects = config.plugins.get("redirects")
    if redirects is not None:  # it listed the pages before mkdocs-static-i18n gave them their URLs
        redirects.doc_pages = {f.src_uri: f for f in files.documentation_pages()}
    return files


def generated_assets(dataset) -> dict[str, str]:
    """Files served beside the pages: citation downloads and QR codes."""
    assets = {citation_file(dataset, "bib"): bib_file(dataset), citation_file(dataset, "ris"): ris_file(dataset)}
    for key, payload in qr_payloads(dataset).items():
        assets[QR_FILES[key]] = qr_svg(payload, payload)
    return assets


def language_links(page: Page, config: MkDocsConfig) -> list[dict]:
    """The language switcher's entries, each pointing at this same page in that language.

    Links are site-relative page URLs; the theme turns them into paths relative to the page, so
    they also work when the site is opened from disk (no sitemap lookup as the theme would do).
    """
    alternates = getattr(page.file, "alternates", {}) or {}
    links = []
    for language in LANGUAGES:
        target = alternates.get(language)
        url = target.url if target is not None else ("" if language == LANGUAGES[0] else f"{language}/")
        if not url and not config.use_directory_urls:
            url = "index.html"
        links.append({"name": LANGUAGE_NAMES[language], "link": url or "./", "lang": language})
    return links


def minify_page(output: str) -> str:
    """Smaller pages for slow connections (minify-html: fast, and aware of <pre> and scripts)."""
    return minify_html.minify(output, keep_closing_tags=True, keep_html_and_head_opening_tags=True)


def page_content(html: str, state: BuildState) -> str:
    """Chinese text inside pages of another language is marked as Chinese."""
    return html if state.language == "zh" else mark_chinese(html)


def page_context(context: dict, page: Page, config: MkDocsConfig, state: BuildState) -> dict:
    """Language links and <head> metadata of one page."""
    links = language_links(page, config)
    context["datasite_languages"] = links
    absolute = {}
    if config.site_url:
        base = config.site_url if config.site_url.endswith("/") else config.site_url + "/"
        absolute = {link["lang"]: urljoin(base, link["link"].removeprefix("./")) for link in links}
    if not config.use_directory_urls:
        # The offline bundle's pages are name.html; the published ones they point at are name/.
        absolute = {lang: published_url(url) for lang, url in absolute.items()}
        if page.canonical_url:
            page.canonical_url = published_url(page.canonical_url)
    # The theme writes <link rel="alternate" hreflang> from extra.alternate: absolute where the
    # site's URL is known, as search engines want. (mkdocs-static-i18n sets it as an attribute.)
    config.extra.alternate = [
        dict(link, link=absolute.get(link["lang"], link["link"])) for link in links
    ]
    dataset = state.loaded.dataset
    # Generated pages keep their meta values HTML-escaped (see render/pages.py); hand-written ones
    # are the author's own front matter.
    title = unescape(str(page.meta.get("title") or page.title or dataset.name[state.language]))
    description = unescape(str(page.meta.get("description") or dataset.description[state.language]))
    context["datasite_head"] = head_tags(dataset, state.language, title, description,
                                         page.canonical_url, absolute)
    return context


def published_url(url: str) -> str:
    """A page URL with directory URLs, as the site is published: …/name.html -> …/name/."""
    if url.endswith("/index.html"):
        return url[: -len("index.html")]
    return url[: -len(".html")] + "/" if url.endswith(".html") else url


class LinkLocationFilter(logging.Filter):
    """Prefixes MkDocs' broken-link warnings with the file and line of the link.

    MkDocs names the page and the link but not the line; the maintainer wants `file:line:`.
    """

    _pattern = re.compile(r"^Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)'")

    def __init__(self, docs_dir: str):
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        match = self._pattern.match(message)
        if match:
            path = Path(self.docs_dir) / match["page"]
            location = _find_line(path, match["link"])
            if location:
                record.msg, record.args = f"{display_name(path)}:{location[0]}:{location[1]}: {message}", ()
        return True


def _find_line(path: Path, needle: str) -> tuple[int, int] | None:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return None  # a generated page: its links come from datasite itself
    for number, line in enumerate(lines, start=1):
        column = line.find(needle)
        if column >= 0:
            return number, column + 1
    return None


def install_link_locations(config: MkDocsConfig) -> None:
    logger = logging.getLogger("mkdocs.structure.pages")
    for existing in logger.filters:
        if isinstance(existing, LinkLocationFilter):
            existing.docs_dir = config.docs_dir
            return
    logger.addFilter(LinkLocationFilter(config.docs_dir))
