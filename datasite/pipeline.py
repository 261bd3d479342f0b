"""One build of a dataset's site, free of any site engine.

The order of work: load + validate dataset.yml and the hand-written pages (before anything is
written) -> link verdicts by the link-check policy -> pages per language, generated assets ->
after the engine has written the site: status.json, the render cache, a summary.

The MkDocs adapter (`mkdocs_plugin.py`) and the CLI call these functions; a move to another
engine needs a new adapter and nothing here.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from .links import check_links, default_cache_path, network_unavailable
from .links.cache import VerdictCache, verdict_problem
from .links.collect import Link, collect_links
from .links.report import as_json, report_entries
from .links.rules import merged_markers
from .links.verdict import CheckOptions, Verdict
from .loader import LoadedDataset, load_dataset
from .parsecache import ParseCache
from .model import Dataset, LinkCheck
from .paths import feed_path, page_path, search_index_path
from .problems import DatasetError, DatasiteError
from .review import placeholder_reason
from .render.citation import bib_file, ris_file
from .render.memo import RenderMemo
from .render.feed import atom_feed
from .render.croissant import croissant_json
from .render.datacite import datacite_xml
from .render.metadata import dataset_jsonld
from .render.signposting import CROISSANT_FILE, DATACITE_FILE, JSONLD_FILE, LINKSET_FILE, linkset
from .render.citation import dataset_url
from .render.pages import (QR_FILES, SHA256SUMS, citation_file, file_search_entries, listing_blocks,
                           qr_payloads, render_pages, sha256sums)
from .render.qr import qr_svg
from .sync import GENERATED_PAGES, atomic_write, check_sync, in_ci, lock_path_for, scan_pages

LINK_MODES = ("off", "on", "strict")
"""off: pages show the cached link states; on: links are checked (a dead one is reported);
strict: a dead link, or no network, fails the build."""


class BuildFailure(DatasiteError):
    """The build must stop before anything is written; `lines` say why, one problem each."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        noun = "problem" if len(lines) == 1 else "problems"
        super().__init__(f"{len(lines)} {noun} to fix before the site can be built:\n"
                         + "\n".join(f"  {line}" for line in lines))


def parse_link_mode(value: object) -> str:
    """A link-check mode from an option or environment value (booleans and on/off words too)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    text = str(value).strip().lower()
    if text in ("", "0", "false", "no", "off", "none"):
        return "off"
    if text in ("1", "true", "yes", "on", "check"):
        return "on"
    if text == "strict":
        return "strict"
    raise ValueError(f"expected one of {', '.join(LINK_MODES)} (or true/false), not {value!r}")


@dataclass
class SiteBuild:
    """Everything the pages of one build come from, computed once for all languages."""

    loaded: LoadedDataset
    docs_dir: Path
    pages: dict[str, dict[str, str]]  # language -> page name ("download") -> Markdown
    links: list[Link]
    verdicts: dict[str, Verdict]
    assets: dict[str, str]  # generated files beside the pages: site path -> content
    blocks: dict[str, dict[str, dict[str, str]]]  # language -> page -> {marker: HTML put in after Markdown}
    search_entries: dict[str, list[dict]]  # language -> search entries of its own (the release's file names)
    memo: RenderMemo  # the slow renderers' results, kept in the render cache
    environment: dict[str, str | None]  # what the build set in os.environ for the engine, to put back (abandon)
    warnings: list[str] = field(default_factory=list)  # stale translations outside strict builds
    notices: list[str] = field(default_factory=list)  # link-check notes

    @property
    def dataset(self) -> Dataset:
        return self.loaded.dataset

    @property
    def nav(self) -> list[str]:
        """Page names in navigation order: the generated pages, then the hand-written ones."""
        pages, _ = scan_pages(self.docs_dir, self.dataset.languages)
        return list(GENERATED_PAGES) + [page.name for page in pages]


def prepare(data_path: Path, docs_dir: Path, *, link_mode: str = "off", strict: bool = False,
            directory_urls: bool = True) -> SiteBuild:
    """Validate everything the build depends on and render its pages; raises BuildFailure.

    `strict`: stale translations, unconfirmed values and placeholders fail the build (they
    always do on CI). `directory_urls`: pages are `name/` (else `name.html`, the offline bundle).
    """
    sections = ParseCache(parse_cache_path(data_path))
    try:
        loaded = load_dataset(data_path, sections)
    except DatasetError as exc:
        raise BuildFailure([str(p) for p in exc.problems]) from None
    finally:
        sections.save()
    report = check_sync(loaded, docs_dir, lock_path_for(data_path))
    if report.errors:
        raise BuildFailure([str(p) for p in report.errors])
    if report.warnings and (strict or in_ci()):
        raise BuildFailure([str(p) for p in report.warnings])
    if loaded.dataset.site_url and placeholder_reason(loaded.dataset.site_url):
        # (Refused above under --strict.) A local build links no placeholder: as if it were unset.
        loaded = dataclasses.replace(loaded, dataset=msgspec.structs.replace(loaded.dataset, site_url=None))
    environment = set_source_date(loaded.dataset)
    memo = RenderMemo(render_cache_path(loaded.path))
    links = collect_links(loaded, docs_dir)
    verdicts, notices = site_link_verdicts(loaded, links, link_mode)
    # Everything is rendered now, so that a failure stops the build before the engine writes a file.
    with memo.active():
        pages = {lang: render_pages(loaded.dataset, lang, verdicts, directory_urls=directory_urls)
                 for lang in loaded.dataset.languages}
        assets = generated_assets(loaded.dataset)
    blocks = {lang: listing_blocks(loaded.dataset, lang) for lang in loaded.dataset.languages}
    search = {lang: file_search_entries(loaded.dataset, lang, directory_urls) for lang in loaded.dataset.languages}
    return SiteBuild(loaded, docs_dir, pages, links, verdicts, assets, blocks, search, memo, environment,
                     [str(p) for p in report.warnings], notices)


def language_setup_problem(locales: list[str], default: str | None, languages: list[str]) -> str | None:
    """What is wrong with the site engine's languages (mkdocs-static-i18n's `languages`) for a
    dataset whose texts are in `languages` (dataset.yml's, the first served at the site's root);
    None if nothing."""
    expected = ", ".join(languages)
    if sorted(locales) != sorted(languages) or len(set(locales)) != len(locales):
        return (f"the languages are {', '.join(locales) or 'none'}, but dataset.yml's texts are in {expected} "
                "(its `languages:`): list each of them once")
    if default != languages[0]:
        return (f"'{default}' is marked `default: true`, but dataset.yml lists {languages[0]} first "
                f"(`languages: [{expected}]`), and the first is served at the site's root: mark {languages[0]} "
                "as the default, or list the languages in dataset.yml in the order you want")
    return None


def link_check_options(settings: LinkCheck | None, **overrides) -> CheckOptions:
    """The checker's options: the defaults, the dataset's dead-share markers, then `overrides`."""
    markers = merged_markers(settings.dead_share_markers if settings else None)
    return CheckOptions(markers=markers, **{k: v for k, v in overrides.items() if v is not None and v is not False})


def open_link_cache(data_path: Path, settings: LinkCheck | None, *, path: Path | None = None,
                    ttl_hours: float | None = None) -> VerdictCache:
    """The verdict cache beside the data file (or at `path`); its `problem` says if it was unusable."""
    ttl = ttl_hours if ttl_hours is not None else (settings or LinkCheck()).ttl_hours
    return VerdictCache(path or default_cache_path(data_path), ttl * 3600).load()


def site_link_verdicts(loaded: LoadedDataset, links: list[Link], mode: str) -> tuple[dict[str, Verdict], list[str]]:
    """Verdicts to show on the pages, by the link-check policy; raises BuildFailure in strict mode."""
    settings = loaded.dataset.link_check
    cache = open_link_cache(loaded.path, settings)
    notices = [cache.problem] if cache.problem else []
    urls = [link.url for link in links]
    if mode == "off":
        return {url: cache.entries[url] for url in urls if url in cache.entries}, notices
    verdicts = check_links(urls, cache, link_check_options(settings))
    # (What the cache held was checked when it was read; this is what a page or status.json shows.)
    verdicts = {url: v for url, v in verdicts.items() if verdict_problem(v) is None}
    if cache.save_problem:
        notices.append(cache.save_problem)
    problems = []
    if network_unavailable(verdicts):
        unknown = sum(1 for v in verdicts.values() if v.ok is None)
        problems.append(f"external links not checked: network unavailable ({unknown} of {len(urls)} links); "
                        "mirror status shows the last known state")
    dead = [v for v in verdicts.values() if v.ok is False]
    if dead:
        lines = "\n".join(f"  {v.url}: {v.reason}" for v in dead)
        problems.append(f"{len(dead)} dead external link{'s' if len(dead) > 1 else ''}:\n{lines}")
    if problems and mode == "strict":
        raise BuildFailure(problems)
    return verdicts, notices + problems


def generated_assets(dataset: Dataset) -> dict[str, str]:
    """Files served beside the pages: citation downloads, QR codes, the checksums of the latest
    release, an Atom feed per language."""
    assets = {citation_file(dataset, "bib"): bib_file(dataset), citation_file(dataset, "ris"): ris_file(dataset)}
    for key, payload in qr_payloads(dataset).items():
        assets[QR_FILES[key]] = qr_svg(payload, payload)
    release = dataset.latest_release
    if release and release.files:
        assets[SHA256SUMS] = sha256sums(release)
    # What machines read (README: "Found and cited by machines"): the complete JSON-LD (every
    # file listed), DataCite's XML, Croissant, and the linkset of every page's signposts.
    assets[JSONLD_FILE] = json.dumps(dataset_jsonld(dataset, dataset.languages[0], dataset_url(dataset), files=None),
                                     ensure_ascii=False, separators=(",", ":"))
    assets[DATACITE_FILE] = datacite_xml(dataset)
    assets[CROISSANT_FILE] = json.dumps(croissant_json(dataset), ensure_ascii=False, indent=1)
    pages = {language: [page_path(name, language, dataset.languages) for name in GENERATED_PAGES]
             for language in dataset.languages}
    assets[LINKSET_FILE] = json.dumps(linkset(dataset, pages, dataset.site_url or ""), ensure_ascii=False, indent=1)
    for language in dataset.languages:
        assets[feed_path(language, dataset.languages)] = atom_feed(dataset, language)
    return assets


THEME_CSS, THEME_JS, THEME_FAVICON = "assets/datasite.css", "assets/datasite.js", "assets/favicon.svg"
THEME_ASSETS = (THEME_CSS, THEME_JS, THEME_FAVICON)
"""Files of datasite's theme every site serves."""


def reserved_site_paths(dataset: Dataset) -> set[str]:
    """Every site path the build writes itself: a hand-written file there would collide with it."""
    paths = {citation_file(dataset, "bib"), citation_file(dataset, "ris"), "status.json", *SITEMAPS, *THEME_ASSETS,
             JSONLD_FILE, DATACITE_FILE, CROISSANT_FILE, LINKSET_FILE}
    paths |= {QR_FILES[key] for key in qr_payloads(dataset)}
    release = dataset.latest_release
    if release and release.files:
        paths.add(SHA256SUMS)
    for language in dataset.languages:
        index = search_index_path(language, dataset.languages)
        paths |= {feed_path(language, dataset.languages), index, index.replace(".json", ".js")}  # (.js: offline)
    return paths


def minify_page(html: str) -> str:
    """Smaller pages for slow connections (minify-html: fast, and aware of <pre> and scripts)."""
    import minify_html

    return minify_html.minify(html, keep_closing_tags=True, keep_html_and_head_opening_tags=True)


def search_indexes(index: dict, languages: tuple[str, ...] | list[str],
                   extra: dict[str, list[dict]] | None = None) -> dict[str, dict]:
    """The theme's one search index of every language, split into one per language.

    Each language's pages then load only their own entries (a reader's results stay in the
    reader's language). The first language keeps the site root; another language's entries are
    located relative to its own root (`zh/download/` -> `download/`), which its pages give the
    theme as their base. The settings (separator, languages) stay the same in every index.
    """
    others = languages[1:]
    split: dict[str, list] = {language: [] for language in languages}
    for doc in index.get("docs", []):
        location = str(doc.get("location", ""))
        language = next((lang for lang in others if location == lang or location.startswith(f"{lang}/")), None)
        if language is None:
            split[languages[0]].append(doc)
        else:
            split[language].append({**doc, "location": location[len(language):].lstrip("/")})
    for language, entries in (extra or {}).items():
        split[language].extend(entries)
    return {language: {**index, "docs": docs} for language, docs in split.items()}


def split_search_index(site_dir: Path, languages: list[str], extra: dict[str, list[dict]] | None = None) -> None:
    """Replace the theme's combined index (if the site has search) by one index per language."""
    combined = site_dir / search_index_path(languages[0], languages)
    try:
        index = json.loads(combined.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    for language, part in search_indexes(index, languages, extra=extra).items():
        # As the theme writes it (ASCII: the offline bundle loads it as a script from disk).
        atomic_write(site_dir / search_index_path(language, languages), json.dumps(part, separators=(",", ":")))


SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")


def drop_sitemaps(site_dir: Path) -> None:
    """A sitemap lists absolute URLs: without the site's address it could only list wrong ones."""
    for name in SITEMAPS:
        (site_dir / name).unlink(missing_ok=True)


def finish(build: SiteBuild, site_dir: Path) -> None:
    """After the site is written: status.json for tools watching the mirrors; the render cache."""
    atomic_write(site_dir / "status.json", as_json(report_entries(build.links, build.verdicts)))
    build.memo.save()
    abandon(build)


def abandon(build: SiteBuild | None) -> None:
    """The build is over (done or failed): the environment it set for the engine goes back."""
    if build is not None:
        restore_environment(build.environment)
        build.environment = {}


def summary(build: SiteBuild, page_counts: dict[str, int], seconds: float) -> str:
    """One line that says what was built."""
    urls = {link.url for link in build.links}
    states = {"reachable": 0, "dead": 0, "unknown": 0}
    for url in urls:
        if url in build.verdicts:
            states[build.verdicts[url].state] += 1
    checked = sum(states.values())
    unique = len(urls)
    if checked:
        links = ", ".join(f"{n} {state}" for state, n in states.items() if n) + f" of {unique} links"
    else:
        links = f"{unique} links not checked"
    pages = ", ".join(f"{n} {lang}" for lang, n in page_counts.items())
    return f"built {pages} pages, {len(build.dataset.mirrors)} mirrors, {links}, in {seconds:.1f} s"


def set_source_date(dataset: Dataset) -> dict[str, str | None]:
    """Reproducible builds: dates in the output (sitemap) come from `updated`, not the clock.

    Engines read SOURCE_DATE_EPOCH from the environment while they build; a value the user set
    wins. Returns what `restore_environment` puts back once the build is done: the setting is the
    build's own, so the next build (under a preview server, after `updated` changed) sets its own.
    """
    if os.environ.get("SOURCE_DATE_EPOCH") or dataset.updated_epoch is None:
        return {}
    os.environ["SOURCE_DATE_EPOCH"] = str(dataset.updated_epoch)
    return {"SOURCE_DATE_EPOCH": None}


def restore_environment(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def render_cache_path(data: Path) -> Path:
    return default_cache_path(data).with_name("render.json")  # beside the link cache


def parse_cache_path(data: Path) -> Path:
    return default_cache_path(data).with_name("sections.msgpack")  # beside the link cache


def segment_cache_path(data: Path) -> Path:
    return default_cache_path(data).with_name("segments.msgpack")  # beside the link cache


def template_cache_path(data: Path) -> Path:
    """The folder of the engine's compiled templates, beside the other caches."""
    return default_cache_path(data).with_name("templates")
