"""The MkDocs plugin `datasite`: the one module that knows MkDocs (ProperDocs loads it unchanged).

It connects the engine-free build (`pipeline.py`) to MkDocs' events. Its state lives on the
plugin instance; mkdocs-static-i18n runs one build per language (first language first, the
others inside its post-build event), so the state of the first build serves the others.

    plugins:
      - search
      - i18n: {languages: [...]}
      - datasite:
          dataset: dataset.yml   # beside mkdocs.yml
          check_links: false     # true: check external links; strict: a dead link fails the build
          offline: false         # the build for file:// (the offline bundle)
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import sys
import time
from html import escape, unescape
from pathlib import Path
from urllib.parse import urljoin

import jinja2
from jinja2 import BytecodeCache, FileSystemBytecodeCache
from jinja2.bccache import Bucket
from markupsafe import Markup

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import pipeline
from .fsio import file_kind_problem
from .publish import PublishError, SiteFolder
from .loader import display_name
from .language import DEFAULT_SITE, KNOWN, han_language
from .language import language as language_record
from .paths import feed_path, language_prefix
from .render.metadata import head_tags
from .render.text import attr, mark_han
from .segments import CachedSegmenter, SegmentCache, dictionary_key
from .sync import GENERATED_PAGES, in_ci
from .ui import LANGUAGE_NAMES, UI

CJK_TEXT = re.compile("[\u3400-\u9fff]")

log = get_plugin_logger("datasite")
ENGINE = log.name.split(".")[0]  # "mkdocs", or "properdocs" when ProperDocs runs this plugin

THEME_DIR = Path(__file__).parent / "theme"
ASSETS = {"css": pipeline.THEME_CSS, "js": pipeline.THEME_JS}
WORKER_SHIM = "assets/javascripts/iframe-worker-shim.js"
FEATURES = ("navigation.footer", "search.highlight", "content.code.copy")
# \u200b: the zero-width space that jieba's segmentation puts between Chinese words
SEARCH_SEPARATOR = r'[\s\u200b\-_,:!=\[\]()"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'
MATERIAL_FAVICON = "assets/images/favicon.png"
# Third-party log lines a maintainer has no use for; their warnings still come through.
QUIET_LOGGERS = ("jieba", f"{ENGINE}.plugins.mkdocs_static_i18n", f"{ENGINE}.plugins.material.search")


class LinkCheckMode(c.BaseConfigOption[str]):
    """`check_links`: false/true/strict; the environment variable DATASITE_CHECK_LINKS overrides it."""

    def __init__(self) -> None:
        super().__init__()
        self.default = "off"

    def run_validation(self, value: object) -> str:
        try:
            return pipeline.parse_link_mode(value)
        except ValueError as exc:
            raise c.ValidationError(str(exc)) from None


class DatasiteConfig(base.Config):
    dataset = c.Type(str, default="dataset.yml")
    check_links = LinkCheckMode()
    offline = c.Type(bool, default=False)
    minify = c.Type(bool, default=True)

    def _validate(self):
        # An option MkDocs does not know is only a warning there; here it is a mistake, as in dataset.yml.
        failed, warnings = super()._validate()
        for key in set(self.keys()) - self._schema_keys:
            hint = difflib.get_close_matches(key, sorted(self._schema_keys), n=1)
            failed.append((key, f"unknown option '{key}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")
                           + f"; the options are {', '.join(sorted(self._schema_keys))}"))
        warnings = [(key, message) for key, message in warnings if key in self._schema_keys]
        return failed, warnings


def env_flag(name: str, value: bool) -> bool:
    override = os.environ.get(name)
    return value if override is None else override.strip().lower() in ("1", "true", "yes", "on")


class DatasitePlugin(BasePlugin[DatasiteConfig]):
    def __init__(self) -> None:
        self.start_command()

    def start_command(self) -> None:
        """The state of one command: the builds of `mkdocs serve` share it (the compiled templates,
        the segmented words), two commands in one process do not. (MkDocs keeps one instance of a
        plugin with startup events for the whole process.)"""
        self.build: pipeline.SiteBuild | None = None
        self.language: str | None = None
        self.engine_languages: tuple[list[str], str | None] | None = None  # the i18n plugin's (locales, default)
        self.open_builds: list[str] = []  # languages whose build has begun and not ended (nested)
        self.started = 0.0
        self.page_counts: dict[str, int] = {}
        self.original_redirects: dict[str, str] | None = None
        self.generated_sources: set[str] = set()
        self.staged = False
        self.site: Site | None = None
        self.templates: TemplateCache | None = None
        self.segmenter: SearchSegmenter | None = None
        self.log_settings = LogSettings()

    # -- settings -------------------------------------------------------------------------

    @property
    def data_path(self) -> Path:
        return self.config_dir / self.config.dataset

    @property
    def link_mode(self) -> str:
        value = os.environ.get("DATASITE_CHECK_LINKS")
        if value is None:
            return self.config.check_links
        try:
            return pipeline.parse_link_mode(value)
        except ValueError as exc:
            raise PluginError(f"datasite: DATASITE_CHECK_LINKS: {exc}") from None

    @property
    def offline(self) -> bool:
        return env_flag("DATASITE_OFFLINE", self.config.offline)

    def on_startup(self, *, command, dirty) -> None:
        # `mkdocs build` writes into a staging folder, moved into place only when the build has
        # succeeded: a failing build never leaves an emptied or half-written site/.
        self.start_command()
        self.staged = command == "build" and not dirty
        self.log_settings.install()

    def on_shutdown(self) -> None:
        self.log_settings.remove()  # (another build in this process starts from the engine's own)

    # -- configuration: first the engine's settings, then this language's build -----------

    # Before the theme's search plugin (0) and mkdocs-static-i18n (-100) read the settings.
    @event_priority(100)
    def _configure_engine(self, config: MkDocsConfig) -> MkDocsConfig:
        self.config_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.started = self.started or time.monotonic()
        if not self.open_builds:
            self.log_settings.count_quiet_warnings(config.strict)
        if self.staged and not self.open_builds and self.site is None:  # the outer build, once
            try:
                self.site = Site(Path(config.site_dir))
            except PublishError as exc:
                raise PluginError(f"datasite: {exc}") from None
            config.site_dir = str(self.site.folder.staging)
        theme = config.theme
        if theme.name != "material":
            raise PluginError(f"datasite: the theme must be 'material', not '{theme.name}'")
        if str(THEME_DIR) not in theme.dirs:
            # After the site's own custom_dir, before the theme's templates.
            custom = 1 if theme.custom_dir else 0
            theme.dirs.insert(custom, str(THEME_DIR))
        theme["font"] = False  # no Google Fonts: readers in China and offline readers have no access
        if theme.get("favicon") in (None, MATERIAL_FAVICON):
            theme["favicon"] = pipeline.THEME_FAVICON  # 0.4 kB instead of the theme's 2 kB PNG
        features = theme.get("features") or []
        theme["features"] = features + [f for f in FEATURES if f not in features]
        if not theme.get("palette"):
            theme["palette"] = default_palette()  # (its names: per language, name_palette_toggles)
        for kind, path in ASSETS.items():
            extra = config.extra_css if kind == "css" else config.extra_javascript
            if path not in [str(item) for item in extra]:
                extra.append(path)
        add_markdown_extensions(config)
        raise_validation_levels(config)
        i18n = config.plugins.get("i18n")
        engine = list(i18n.config.get("languages") or []) if i18n is not None else []
        locales = [lang.locale for lang in engine] or list(DEFAULT_SITE)
        if not self.open_builds:  # (compared with dataset.yml's once it is read: _prepare_language)
            self.engine_languages = (locales, next((lang.locale for lang in engine if lang.default), None)) \
                if i18n is not None else None
        if i18n is not None:
            # Its search reconfiguration drops a Chinese section whose text equals the English one,
            # which suits one index for all languages; each language has its own (split_search_index).
            i18n.config["reconfigure_search"] = False
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None:
            if not search.config.get("separator"):
                search.config["separator"] = SEARCH_SEPARATOR
            if not search.config.get("lang"):
                # Every language's words in every index: Latin words on Chinese pages are searched too.
                search.config["lang"] = list(dict.fromkeys(KNOWN[code].search for code in locales if code in KNOWN))
            if not self.open_builds:
                self.segmenter = SearchSegmenter.install(search, self.segmenter,
                                                         pipeline.segment_cache_path(self.data_path))
        if self.offline:
            config.use_directory_urls = False
            # Workers cannot start from file://: the theme's shim, shipped with datasite.
            config.extra["polyfills"] = [WORKER_SHIM]
        return config

    # After mkdocs-static-i18n (-100) has set this build's language.
    @event_priority(-110)
    def _prepare_language(self, config: MkDocsConfig) -> MkDocsConfig:
        # The other languages' builds follow the first one at once: its checks and pages still hold.
        if not self.open_builds or self.build is None or self.build.loaded.path != self.data_path:
            self.page_counts = {}
            try:
                self.build = pipeline.prepare(self.data_path, Path(config.docs_dir), link_mode=self.link_mode,
                                              strict=config.strict, directory_urls=config.use_directory_urls)
            except pipeline.BuildFailure as exc:
                raise PluginError(f"datasite: {exc}") from None
            if self.engine_languages is not None:
                problem = pipeline.language_setup_problem(*self.engine_languages, self.build.dataset.languages)
                if problem:  # (else a site whose pages search an empty index, or miss a language)
                    raise PluginError(f"datasite: {display_name(Path(config.config_file_path or 'mkdocs.yml'))}: "
                                      f"plugins.i18n.languages: {problem}")
            for warning in self.build.warnings:
                log.warning(warning)
            for notice in self.build.notices:
                log.info(notice)
        languages = self.build.dataset.languages
        language = config.theme.get("language") or languages[0]
        if language not in languages:
            raise PluginError(f"datasite: the theme language '{language}' is not one of {', '.join(languages)} "
                              "(dataset.yml's `languages:`); list them under the i18n plugin's languages")
        self.language = language
        self.open_builds.append(language)
        self.log_settings.link_locations.docs_dir = config.docs_dir
        self.localize_redirects(config)
        dataset = self.build.dataset
        if not config.site_url and dataset.site_url:
            config.site_url = dataset.site_url  # `mkdocs serve` sets its own, which is kept
        # The theme prints it unescaped in places and escaped in others: Markup prints once escaped.
        config.site_name = Markup(escape(dataset.name[language]))
        config.site_description = escape(dataset.description[language])
        name_palette_toggles(config, language)
        if not config.nav:
            config.nav = [f"{name}.md" for name in self.build.nav]
        return config

    on_config = CombinedEvent(_configure_engine, _prepare_language)

    def localize_redirects(self, config: MkDocsConfig) -> None:
        """Make mkdocs-redirects' `old.md: new.md` work in every language.

        Pages are `<name>.<lang>.md` and each language is its own build, so the map is rewritten
        per build: `zh/old.md -> new.zh.md` in the Chinese one.
        """
        plugin = config.plugins.get("redirects")
        if plugin is None:
            return
        if self.original_redirects is None:
            self.original_redirects = dict(plugin.config.get("redirect_maps") or {})
        localized = {}
        for old, new in self.original_redirects.items():
            if not new.lower().startswith(("http://", "https://")):
                target, _, fragment = new.partition("#")
                new = f"{target.removesuffix('.md')}.{self.language}.md" + (f"#{fragment}" if fragment else "")
            localized[language_prefix(self.language, self.build.dataset.languages) + old] = new
        plugin.config["redirect_maps"] = localized

    def mark_han(self, html: str) -> str:
        """Han text on the pages of a language not written in it, marked with the site's
        Han-script language (screen readers and fonts then treat it as that language)."""
        if language_record(self.language).han:
            return html
        han = han_language(tuple(self.build.dataset.languages))
        return mark_han(html, han) if han else html

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        # Compiling the theme's templates is a third of a build's own work (imports aside):
        # compiled once, for every language's build and, kept in .cache/, for the builds after it.
        # Per engine and Jinja version: the compiled code is theirs. Not on CI, which starts from a
        # fresh checkout (nothing to gain) and must not run compiled code that came with one.
        folder = pipeline.template_cache_path(self.data_path) / f"{ENGINE}-jinja-{jinja2.__version__}"
        if self.templates is None or self.templates.folder != folder:
            self.templates = TemplateCache(folder, disk=not in_ci())
        env.bytecode_cache = self.templates
        return env

    # -- files: the generated pages and assets --------------------------------------------

    # Before mkdocs-static-i18n sorts files into languages (it runs at -100) ...
    @event_priority(10)
    def _add_generated_pages(self, files: Files, config: MkDocsConfig) -> Files:
        for lang, pages in self.build.pages.items():
            for name in pages:
                files.append(File(f"{name}.{lang}.md", config.docs_dir, config.site_dir, config.use_directory_urls))
        return files

    # ... and after it, since it re-creates the File objects.
    @event_priority(-110)
    def _fill_generated_files(self, files: Files, config: MkDocsConfig) -> Files:
        sources = {f"{name}.{lang}.md": md for lang, pages in self.build.pages.items() for name, md in pages.items()}
        self.generated_sources = set(sources)
        in_nav = {f"{name}.{lang}.md" for lang in self.build.pages for name in GENERATED_PAGES}
        for file in files:
            if file.src_uri in sources:
                file.content_string = sources[file.src_uri]
                if file.src_uri not in in_nav:  # a large release's pages of files: linked from the download page
                    file.inclusion = InclusionLevel.NOT_IN_NAV
            elif self.config.minify and file.src_uri in ASSETS.values() and file.abs_src_path:
                file.content_string = minify_asset(Path(file.abs_src_path))
        searched = self.build.dataset.languages
        for unused in [f for f in files if unused_theme_file(f.src_uri, searched)]:
            files.remove(unused)
        for path, content in self.build.assets.items():
            files.append(File.generated(config, path, content=content))
        redirects = config.plugins.get("redirects")
        if redirects is not None:  # it listed the pages before mkdocs-static-i18n gave them their URLs
            redirects.doc_pages = {f.src_uri: f for f in files.documentation_pages()}
        return files

    on_files = CombinedEvent(_add_generated_pages, _fill_generated_files)

    # -- pages ------------------------------------------------------------------------------

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Generated pages store their title HTML-escaped (the theme prints it unescaped in some
        # places and escapes it again in others): as Markup, both print it once escaped.
        if page.file.src_uri in self.generated_sources and isinstance(page.meta.get("title"), str):
            page.meta["title"] = Markup(page.meta["title"])
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if "toc" in (page.meta.get("hide") or []):
            page.toc = type(page.toc)([])  # the theme only hides it: a hidden table is not sent either
        # Han text inside pages of another language is marked as the site's Han-script language.
        return self.mark_han(html)

    # After mkdocs-static-i18n (50) has set its own, site-wide, language links.
    @event_priority(-110)
    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        self.page_counts[self.language] = self.page_counts.get(self.language, 0) + 1
        links = language_links(page, config, self.build.dataset.languages)
        context["datasite_languages"] = links
        # The theme's templates do not escape: the value is escaped here.
        context["datasite_feed"] = feed_path(self.language, self.build.dataset.languages)
        context["datasite_home"] = page.file.src_uri == f"index.{self.language}.md"
        # The theme finds the search index (and resolves its results) from this base: each
        # language's pages search their own index (pipeline.split_search_index).
        prefix = language_prefix(self.language, self.build.dataset.languages)
        context["datasite_search_base"] = f"{context['base_url']}/{prefix}" if prefix else context["base_url"]
        context["datasite_made_with"] = UI[self.language]["made_with"]
        context["datasite_feed_title"] = attr(f"{self.build.dataset.name[self.language]} · "
                                              f"{UI[self.language]['changes_title']}")
        absolute = {}
        if config.site_url:
            site = config.site_url if config.site_url.endswith("/") else config.site_url + "/"
            absolute = {link["lang"]: urljoin(site, link["link"].removeprefix("./")) for link in links}
        if not config.use_directory_urls:
            # The offline bundle's pages are name.html; the published ones they point at are name/.
            absolute = {lang: published_url(url) for lang, url in absolute.items()}
            if page.canonical_url:
                page.canonical_url = published_url(page.canonical_url)
        # The theme writes <link rel="alternate" hreflang> from extra.alternate: absolute where the
        # site's URL is known, as search engines want.
        config.extra.alternate = [dict(link, link=absolute.get(link["lang"], link["link"])) for link in links]
        dataset = self.build.dataset
        # Generated pages keep their meta values HTML-escaped (render/pages.py); hand-written ones
        # are the author's own front matter.
        title = unescape(str(page.meta.get("title") or page.title or dataset.name[self.language]))
        description = unescape(str(page.meta.get("description") or dataset.description[self.language]))
        listing = page.file.src_uri == f"download.{self.language}.md"
        # The machine-readable files at the site's root, as this page links them: by their
        # published URL where the site's is known, else relative (the offline bundle, a preview).
        base = dataset.site_url or f"{context['base_url']}/"
        context["datasite_head"] = head_tags(dataset, self.language, title, description, page.canonical_url,
                                             absolute, listing=listing, base=base, home=context["datasite_home"])
        return context

    # Last, once every plugin has written its part of the page (and the search has indexed it).
    @event_priority(-200)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        name = page.file.src_uri.removesuffix(f".{self.language}.md")
        if page.file.src_uri in self.generated_sources:
            for marker, html in self.build.blocks.get(self.language, {}).get(name, {}).items():
                if CJK_TEXT.search(html):
                    html = self.mark_han(html)
                output = output.replace(marker, html, 1)
        return pipeline.minify_page(output) if self.config.minify else output

    # After mkdocs-static-i18n (-100) has built the other languages and rewritten the search index.
    @event_priority(-200)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.open_builds.pop()
        if self.open_builds:
            return  # an inner language build; the first language's event comes last
        site_dir = Path(config.site_dir)
        pipeline.finish(self.build, site_dir)
        if not config.site_url:
            pipeline.drop_sitemaps(site_dir)
        pipeline.split_search_index(site_dir, self.build.dataset.languages, self.build.search_entries)
        if self.segmenter is not None:
            self.segmenter.remove(save=True)
        if self.offline:
            inline_search_index(site_dir)
        if self.site is not None:
            if config.strict and self.site.warnings.get_counts():
                return  # MkDocs aborts the build next: on_build_error removes the staging folder
            self.site.publish()
            config.site_dir = str(self.site.target)
            self.site = None
        log.info(pipeline.summary(self.build, self.page_counts, time.monotonic() - self.started))
        self.started = 0.0

    def on_build_error(self, *, error: Exception) -> None:
        pipeline.abandon(self.build)
        if self.segmenter is not None:
            self.segmenter.remove(save=False)
        if self.site is not None:
            self.site.discard()
            self.site = None
        self.open_builds.clear()

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        server.watch(str(self.data_path))
        return server


class SearchSegmenter:
    """The theme's search plugin cuts Chinese text with the module-level `jieba` of its own
    module: for one build, that name stands for a CachedSegmenter (segments.py), so a build
    whose texts were all cut before does not load jieba's dictionary. Put back when the build
    ends, whether it succeeds or fails."""

    def __init__(self, module, original, cache: SegmentCache):
        self.module, self.original, self.cache = module, original, cache

    @classmethod
    def install(cls, search: BasePlugin, previous: "SearchSegmenter | None", path: Path) -> "SearchSegmenter | None":
        module = sys.modules.get(type(search).__module__)
        original = getattr(module, "jieba", None)
        if isinstance(original, CachedSegmenter):  # (left by a build that ended without its events)
            original = original._module
        if original is None or not callable(getattr(original, "cut", None)):
            return None  # jieba is not installed: the theme does not segment
        key = dictionary_key(str(getattr(original, "__version__", "")),
                             [search.config.get("jieba_dict"), search.config.get("jieba_dict_user")])
        if previous is not None and previous.cache.key == key and previous.cache.path == path:
            cache = previous.cache  # (`mkdocs serve`: the words of the build before, in memory)
        else:
            cache = SegmentCache(path, key, original.cut)
        module.jieba = CachedSegmenter(original, cache)
        return cls(module, original, cache)

    def remove(self, *, save: bool) -> None:
        if isinstance(getattr(self.module, "jieba", None), CachedSegmenter):
            self.module.jieba = self.original
        if save:
            self.cache.save()


class Site:
    """The site folder of one `mkdocs build` (publish.SiteFolder: staged, then put in place, one
    build at a time) and the warnings MkDocs counts for --strict (its own counter is not reachable)."""

    def __init__(self, target: Path):
        self.folder = SiteFolder.open(target, notify=log.info)
        self.target = self.folder.target
        from mkdocs.utils import CountHandler

        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)
        logging.getLogger(ENGINE).addHandler(self.warnings)

    def publish(self) -> None:
        logging.getLogger(ENGINE).removeHandler(self.warnings)
        try:
            self.folder.publish()
        except PublishError as exc:
            raise PluginError(f"datasite: {exc}") from None

    def discard(self) -> None:
        logging.getLogger(ENGINE).removeHandler(self.warnings)
        self.folder.discard()


class TemplateCache(BytecodeCache):
    """Compiled templates in memory and, where the folder can be written, on disk.

    Jinja keys each entry by the template's name and checks it against a checksum of the
    template's source, so an edited template (the theme's, or a site's custom_dir) is compiled
    anew. A damaged file is compiled anew too, never an error; where the folder cannot be made,
    the memory alone serves, and where it cannot be written, what it holds is still read.
    """

    def __init__(self, folder: Path, *, disk: bool = True):
        self.folder = folder
        self.memory: dict[str, bytes] = {}
        self.disk: FileSystemBytecodeCache | None = None
        if disk:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self.disk = FileSystemBytecodeCache(str(folder))
            except OSError:
                pass  # no folder: compiled in memory only
        self.writable = self.disk is not None  # until a write fails; reading goes on

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            if bucket.key in self.memory:
                bucket.bytecode_from_string(self.memory[bucket.key])
            elif self.disk is not None and not file_kind_problem(self.disk._get_cache_filename(bucket)):
                self.disk.load_bytecode(bucket)  # (a pipe put there would make the read wait: not opened)
        except Exception:  # unreadable (cut off, not Jinja's): compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.memory[bucket.key] = bucket.bytecode_to_string()
        if self.writable:
            try:
                self.disk.dump_bytecode(bucket)
            except OSError:
                self.writable = False


class _BuiltInFilter(logging.Filter):
    """datasite's summary says how long the build took; MkDocs' own line would repeat it. The
    folder a build writes to is named as the maintainer gave it (see Site)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith("Building documentation to directory:"):  # name the folder, not its staging copy
            message = re.sub(r"[\\/]\.datasite\.building$", "", message)
            record.msg = re.sub(r"([\\/])\.([^\\/]+)\.building$", r"\1\2", message)
        return not message.startswith("Documentation built in")


_LUNR = re.compile(r"assets/javascripts/lunr/(?:min/lunr\.(?P<language>[a-z]{2})\.min\.js|wordcut\.js|tinyseg\.js)")


def unused_theme_file(src_uri: str, languages: list[str]) -> bool:
    """Files of the theme a datasite site never loads: source maps (for the theme's developers) and
    the search's word splitters of other languages (Thai's alone is 200 kB). The offline bundle
    and every reader's download are smaller without them."""
    if src_uri.endswith(".map"):
        return True
    match = _LUNR.fullmatch(src_uri)
    if not match:
        return False
    records = [language_record(code) for code in languages]
    if match["language"]:
        return match["language"] not in {record.search for record in records}
    return not any(src_uri.endswith("/" + script) for record in records for script in record.search_scripts)


def default_palette() -> list[dict]:
    # The switch's names are set per language (name_palette_toggles).
    return [
        {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo", "accent": "indigo",
         "toggle": {"icon": "material/brightness-7", "name": UI[DEFAULT_SITE[0]]["switch_to_dark"]}},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo", "accent": "indigo",
         "toggle": {"icon": "material/brightness-4", "name": UI[DEFAULT_SITE[0]]["switch_to_light"]}},
    ]


def add_markdown_extensions(config: MkDocsConfig) -> None:
    """The Markdown extensions the generated pages use; a site's own settings for them are kept."""
    from pymdownx.slugs import slugify

    wanted = {
        "attr_list": {},
        "md_in_html": {},  # Markdown inside the cite page's collapsed <details>
        "pymdownx.highlight": {},
        "pymdownx.superfences": {},
        # Unicode-aware anchors for hand-written Chinese headings (no "_1" ids)
        "toc": {"permalink": True, "slugify": slugify(case="lower")},
    }
    for name, options in wanted.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        settings = config.mdx_configs.setdefault(name, {})
        for key, value in options.items():
            settings.setdefault(key, value)


def raise_validation_levels(config: MkDocsConfig) -> None:
    """Broken links and anchors in hand-written pages are warnings (errors under --strict)."""
    validation = config.validation
    for option in ("omitted_files", "not_found"):
        validation.nav[option] = max(validation.nav[option], logging.WARNING)
    for option in ("not_found", "anchors", "absolute_links", "unrecognized_links"):
        validation.links[option] = max(validation.links[option], logging.WARNING)


def name_palette_toggles(config: MkDocsConfig, language: str) -> None:
    """The light/dark switch says what it does in the page's language."""
    for palette in config.theme.get("palette") or []:
        if isinstance(palette, dict) and palette.get("toggle") and palette.get("scheme") in ("default", "slate"):
            key = "switch_to_dark" if palette["scheme"] == "default" else "switch_to_light"
            palette["toggle"]["name"] = UI[language][key]


def minify_asset(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".css":
        from csscompressor import compress

        return compress(text)
    from jsmin import jsmin

    return jsmin(text)


def inline_search_index(site_dir: Path) -> None:
    """Offline search: the index as a script, since file:// pages cannot fetch JSON (as the theme's
    offline plugin does)."""
    for index in site_dir.glob("**/search/search_index.json"):
        index.with_name("search_index.js").write_text(
            "var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8")


def language_links(page: Page, config: MkDocsConfig, languages: list[str]) -> list[dict]:
    """The language switcher's entries, each pointing at this same page in that language.

    Links are site-relative page URLs; the theme turns them into paths relative to the page, so
    they also work when the site is opened from disk.
    """
    alternates = getattr(page.file, "alternates", {}) or {}
    links = []
    for language in languages:
        target = alternates.get(language)
        url = target.url if target is not None else language_prefix(language, languages)
        if not url and not config.use_directory_urls:
            url = "index.html"
        links.append({"name": LANGUAGE_NAMES[language], "link": url or "./", "lang": language})
    return links


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


class LogSettings:
    """What datasite changes in the engine's logging, for the length of one command (startup to
    shutdown) and put back after it: quieter third-party loggers, the build log's lines, the
    location of a broken link in a hand-written page."""

    def __init__(self) -> None:
        self.built_in = _BuiltInFilter()
        self.link_locations = LinkLocationFilter("")
        self.levels: dict[str, int] | None = None
        self.engine_levels: list[tuple[logging.Logger | logging.Handler, int]] = []

    def install(self) -> None:
        if self.levels is not None:
            return
        self.levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        logging.getLogger(f"{ENGINE}.commands.build").addFilter(self.built_in)
        logging.getLogger(f"{ENGINE}.structure.pages").addFilter(self.link_locations)

    def remove(self) -> None:
        for thing, level in reversed(self.engine_levels):
            thing.setLevel(level)
        self.engine_levels.clear()
        if self.levels is None:
            return
        for name, level in self.levels.items():
            logging.getLogger(name).setLevel(level)
        logging.getLogger(f"{ENGINE}.commands.build").removeFilter(self.built_in)
        logging.getLogger(f"{ENGINE}.structure.pages").removeFilter(self.link_locations)
        self.levels = None

    def count_quiet_warnings(self, strict: bool) -> None:
        """`-q` raises the engine's log level to ERROR, so that --strict, which counts warnings, never
        saw one (a broken link passed with exit 0). The level goes back to WARNING, for the counters,
        until the command ends; the terminal still shows errors only, and under --strict the warnings
        too (they fail the build)."""
        engine_log = logging.getLogger(ENGINE)
        if engine_log.level <= logging.WARNING:
            return
        self.engine_levels.append((engine_log, engine_log.level))
        engine_log.setLevel(logging.WARNING)
        for handler in engine_log.handlers:
            if type(handler) is logging.StreamHandler:
                self.engine_levels.append((handler, handler.level))
                handler.setLevel(logging.WARNING if strict else logging.ERROR)
