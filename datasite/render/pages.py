"""Pure functions: the model of a dataset -> the Markdown source of each generated page.

Text from dataset.yml is never interpreted as Markdown or HTML: prose goes into raw HTML
blocks, escaped, with bare URLs and emails turned into links; headings and link labels are
backslash-escaped. Legal text therefore renders exactly as written.
"""

from __future__ import annotations

import json
import re
from typing import Mapping
from urllib.parse import urlsplit

from ..hosts import display_host
from ..links.verdict import Verdict
from ..model import Article, Clause, Dataset, Mirror, Region, Release, doi_url
from ..sync import GENERATED_PAGES
from ..language import language
from ..paths import feed_path, language_prefix, page_link, page_path
from ..ui import LANGUAGE_NAMES, UI
from .citation import Citations, article_citations, dataset_citations
from .text import attr, escape_html, escape_markdown, linkify, mailto, paragraphs, spaced


def render_pages(dataset: Dataset, language: str, verdicts: Mapping[str, Verdict] | None = None, *,
                 directory_urls: bool = True) -> dict[str, str]:
    """Markdown source of every generated page, keyed by page name (see GENERATED_PAGES).

    `verdicts` (URL -> last link-check verdict) gives each mirror its shown status;
    `directory_urls`: the site's pages are `name/` (published) or `name.html` (offline bundle).
    """
    ui = dict(UI[language], verdicts=verdicts or {}, directory_urls=directory_urls, languages=tuple(dataset.languages))
    renderers = {
        "index": _home,
        "download": _download,
        "license": _license,
        "cite": _cite,
        "contact": _contact,
        "changes": _changes,
    }
    assert tuple(renderers) == GENERATED_PAGES
    pages = {name: render(dataset, language, ui) for name, render in renderers.items()}
    return pages | files_pages(dataset, language, ui)


def _front_matter(title: str, description: str, hide_toc: bool = False) -> str:
    # The theme prints page.meta values into <title> and attributes without escaping them, so
    # they are stored HTML-escaped; JSON strings are valid YAML scalars, so quoting is safe too.
    return (
        "---\n"
        f"title: {json.dumps(attr(title))}\n"
        f"description: {json.dumps(attr(description))}\n"
        + ("hide: [toc]\n" if hide_toc else "")
        + "---\n\n"
    )


TOC_CHANGES = 30  # a changes page of more entries shows no table of contents (it would double the page)


_FULL_WIDTH_END = tuple("：，。；！？、）")


def followed_by(text: str, rest: str) -> str:
    """`text`, then `rest`: a space between them, except after Chinese punctuation, which
    carries its own space ("许可协议：CC BY 4.0", not "许可协议： CC BY 4.0")."""
    return text + ("" if text.endswith(_FULL_WIDTH_END) else " ") + rest


def _heading(level: int, text: str, anchor: str | None = None, attributes: str = "") -> str:
    suffix = f" {{#{anchor}{attributes}}}" if anchor else ""
    return f"{'#' * level} {escape_markdown(text)}{suffix}\n\n"


def _paragraphs(text: str, css_class: str) -> str:
    """A raw HTML block: paragraphs at blank lines, line breaks at single newlines."""
    inner = "".join("<p>" + "<br>\n".join(linkify(line) for line in lines) + "</p>" for lines in paragraphs(text))
    return f'<div class="{css_class}">{inner}</div>\n\n'


def _home(dataset: Dataset, lang: str, ui: dict) -> str:
    name = dataset.name[lang]
    out = _front_matter(name, dataset.description[lang])
    out += _heading(1, name)
    if dataset.notice and dataset.notice.get(lang):  # (a notice in other languages only is not shown)
        out += _paragraphs(dataset.notice[lang], "ds-notice")
    out += _paragraphs(dataset.description[lang], "ds-lead")
    out += _glance(dataset, lang, ui)
    out += (
        f"[{escape_markdown(ui['download'])}](download.md){{ .md-button .md-button--primary }} "
        f"[{escape_markdown(ui['cite'])}](cite.md){{ .md-button }} "
        f"[{escape_markdown(ui['read_terms'])}](license.md){{ .md-button }}\n\n"
    )
    return out


def human_size(size: int) -> str:
    """Bytes in SI units, as download pages and file managers show them ("1.2 GB")."""
    value, unit = float(size), "B"
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if value < 1000 or unit == "PB":
            break
        value /= 1000
    return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"


def _glance(dataset: Dataset, lang: str, ui: dict) -> str:
    """What a reader wants to know first: version, size, license, DOI, how to cite."""
    rows = []
    release = dataset.latest_release
    if release:
        rows.append((ui["version"], f'{escape_html(release.version)} · <time datetime="{release.date}">'
                                    f"{release.date}</time>"))
        if release.files:
            count = ui["file_count"].format(count=len(release.files))
            rows.append((ui["files"], f"{escape_html(count)}, {escape_html(human_size(release.size))}"))
    lic = dataset.license
    rows.append((ui["licensed_under"].rstrip(":："), f'<a href="{attr(lic.url)}">{escape_html(lic.short)}</a>'))
    if dataset.doi:
        rows.append(("DOI", f'<a class="ds-doi" href="{attr(doi_url(dataset.doi))}">'
                            f'<span class="ds-doi__label">DOI</span><span class="ds-doi__value">'
                            f"{escape_html(dataset.doi)}</span></a>"))
    items = "".join(f"<div><dt>{escape_html(term)}</dt><dd>{value}</dd></div>" for term, value in rows)
    apa = article_citations(dataset.article_in(lang)).apa
    return (
        f'<dl class="ds-glance">{items}</dl>\n\n'
        f'<div class="ds-cite-box"><p class="ds-cite-box__label">{escape_html(ui["cite_as"])}</p>'
        f'<p class="ds-cite-box__text">{linkify(apa)}</p>'
        f'<p>{_copy_button(apa, ui["copy_citation"], ui, announce=ui["citation"])}</p></div>\n\n'
        f"[{escape_markdown(ui['all_formats'])}](cite.md){{ .ds-all-formats }}\n\n"
    )


def _download(dataset: Dataset, lang: str, ui: dict) -> str:
    out = _front_matter(ui["download_title"], f"{dataset.name[lang]}: {ui['download_intro']}")
    out += _heading(1, ui["download_title"])
    out += f'<p class="ds-intro">{escape_html(ui["download_intro"])}</p>\n\n'
    checked = any(m.url in ui["verdicts"] for m in dataset.mirrors)
    if not checked:  # one note rather than "unknown" beside every mirror
        out += f'<p class="ds-status-note" data-search-exclude>{escape_html(ui["status_never_checked"])}</p>\n\n'
    for region in dataset.regions_for(lang):
        zones = " ".join(region.first_for_time_zones)
        attributes = f' data-ds-region="{region.id}"' + (f' data-ds-first-tz="{zones}"' if zones else "")
        out += _heading(2, region.title[lang], region.id, attributes)
        if region.note and region.note.get(lang):
            out += _paragraphs(region.note[lang], "ds-region-note")
        out += _mirror_table(dataset, region, lang, ui, checked)
    release = dataset.latest_release
    if release and release.files:
        out += _files(dataset, release, lang, ui)
    return out


def _copy_button(value: str, label: str, ui: dict, announce: str | None = None) -> str:
    # Material's ClipboardJS copies [data-clipboard-text]; datasite.js announces it to screen readers.
    said = f"{announce}" if announce else value
    return (
        f'<button type="button" class="ds-copy md-button" data-search-exclude data-clipboard-text="{attr(value)}" '
        f'data-ds-copied="{attr(ui["copied"])}: {attr(said)}" data-ds-done="{attr(ui["copied"])}" '
        f'aria-label="{attr(label)}">{escape_html(ui["copy"])}</button>'
    )


def _mirror_status(verdict: Verdict | None, ui: dict) -> str:
    state = verdict.state if verdict else "unknown"
    when = (verdict.checked_at or "")[:10] if verdict else ""
    checked = f' · <time datetime="{attr(when)}">{escape_html(when)}</time>' if when else ""
    return f'<span class="ds-status ds-status--{state}"><strong>{escape_html(ui["state_" + state])}</strong>{checked}</span>'


def _mirror_table(dataset: Dataset, region: Region, lang: str, ui: dict, checked: bool) -> str:
    """One row per mirror: a compact table that becomes a list of cards on narrow screens."""
    mirrors = dataset.mirrors_in(region)
    notes = any(m.note and m.note.get(lang) for m in mirrors)
    columns = [ui["mirror"], ui["code"]] + ([ui["status_column"]] if checked else []) + ([ui["note"]] if notes else [])
    head = "".join(f'<th scope="col">{escape_html(c)}</th>' for c in columns)
    rows = "".join(_mirror_row(m, lang, ui, checked, notes, columns) for m in mirrors)
    return (f'<table class="ds-mirrors" aria-labelledby="{attr(region.id)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>\n\n")


def _mirror_row(mirror: Mirror, lang: str, ui: dict, checked: bool, notes: bool, columns: list[str]) -> str:
    label = mirror.label[lang]
    verdict = ui["verdicts"].get(mirror.url)
    state = verdict.state if verdict else "unknown"
    badge = f' <span class="ds-badge">{escape_html(ui["recommended"])}</span>' if mirror.recommended else ""
    if mirror.retired:  # kept for its anchor: named, not linked
        state = "retired"
        cells = [f'<span class="ds-mirror__link">{escape_html(label)}</span> <span class="ds-retired">'
                 f'{escape_html(ui["retired_on"].format(date=mirror.retired))}</span>']
    else:
        # The host says where the link leads (a domestic drive or a foreign one) before it is followed.
        host = display_host(urlsplit(mirror.url).hostname or "")  # as the reader's address bar will show it
        cells = [f'<a class="ds-mirror__link" href="{attr(mirror.url)}" rel="noopener">{escape_html(label)}</a>{badge}'
                 f' <span class="ds-host">{escape_html(host)}</span>']
    if mirror.retired:
        cells.append("")
    elif mirror.code:
        cells.append(f'<code class="ds-code__value">{escape_html(mirror.code)}</code> '
                     f'{_copy_button(mirror.code, ui["copy_label"] + " (" + label + ")", ui)}')
    else:
        cells.append(f'<span class="ds-none">{escape_html(ui["no_code"])}</span>')
    if checked:
        cells.append("" if mirror.retired else _mirror_status(verdict, ui))
    if notes:
        cells.append(linkify(mirror.note[lang]).replace("\n", "<br>") if mirror.note and mirror.note.get(lang) else "")
    body = "".join(f'<td data-label="{attr(column)}">{cell}</td>' for column, cell in zip(columns, cells))
    return (f'<tr class="ds-mirror ds-mirror--{state}" id="{attr(mirror.id)}" data-mirror="{attr(mirror.id)}" '
            f'data-state="{state}">{body}</tr>')


def sha256sums(release: Release) -> str:
    """The release's SHA256SUMS file, as `sha256sum -c` reads it."""
    return "".join(f"{f.sha256}  {f.name}\n" for f in release.files)


SHA256SUMS = "SHA256SUMS"

def _files(dataset: Dataset, release: Release, lang: str, ui: dict) -> str:
    title = ui["files_of_release"].format(version=release.version, date=release.date)
    out = _heading(2, title, "files")
    if release.notes:
        out += _paragraphs(release.notes[lang], "ds-release-notes")
    carriers = dataset.mirrors_of(release)
    if len(carriers) < len(dataset.live_mirrors):
        names = language(lang).list_separator.join(m.label[lang] for m in carriers)
        out += f'<p class="ds-intro">{escape_html(ui["carried_by"])}{escape_html(names)}</p>\n\n'
    # The listing is HTML made here, put into the page after Markdown and the search indexer
    # have run (see listing_blocks); a large release's files are on pages of their own.
    out += (FILES_MARKER + "\n\n") if len(release.files) <= INLINE_FILES else _file_pages_table(release, lang, ui)
    out += followed_by(escape_markdown(ui["checksums"]), f"[{SHA256SUMS}]({SHA256SUMS})") + "\n\n"
    out += _heading(3, ui["verify_title"], "verify")
    out += f'<p>{escape_html(ui["verify_intro"])}</p>\n\n'
    example = release.files[0].name
    for system, command, language in (
        ("Linux", f"sha256sum -c {SHA256SUMS}", "text"),
        ("macOS", f"shasum -a 256 -c {SHA256SUMS}", "text"),
        ("Windows (PowerShell)", f'Get-FileHash -Algorithm SHA256 "{example}"', "text"),
    ):
        out += f'<p class="ds-system">{escape_html(system)}</p>\n\n' + _code(command, language)
    out += f'<p>{escape_html(ui["verify_windows"])}</p>\n\n'
    return out


FILES_MARKER = "<!-- datasite:files -->"
INLINE_FILES = 200  # a release of more files is listed on pages of its own, one per folder (or part of one)
GROUP_BYTES = 110_000  # of rows on one such page at most (a larger folder is split in parts): each page,
# with the theme's 30 kB around it, stays under 150 kB whatever the length of the names
FILES_PAGES = "download/files"  # the folder of those pages


def file_anchor(name: str) -> str:
    """The id of a file's row: "f-" and its name (whitespace, which an id may not hold, as "_")."""
    return "f-" + re.sub(r"\s", "_", name)


def file_groups(release: Release) -> list[tuple[str, str, list]]:
    """(slug, folder, files) of each page of a large release: its top-level folders in order
    (the files outside any folder first), each split into parts of at most GROUP_BYTES of rows."""
    folders: dict[str, list] = {}
    for item in release.files:
        folder = item.name.split("/", 1)[0] + "/" if "/" in item.name else ""
        folders.setdefault(folder, []).append(item)
    groups = []
    for folder in sorted(folders, key=lambda name: (name != "", name)):
        items = folders[folder]
        slug = re.sub(r"[^0-9A-Za-z\u00c0-\uffff]+", "-", folder.strip("/")).strip("-").lower() or "top"
        parts, size = [[]], 0
        for item in items:
            row = _LIGHT_ROW + 2 * len(item.name.encode("utf-8"))
            if parts[-1] and size + row > GROUP_BYTES:
                parts.append([])
                size = 0
            parts[-1].append(item)
            size += row
        for number, part in enumerate(parts, start=1):
            groups.append((slug + (f"-{number}" if len(parts) > 1 else ""), folder, part))
    return groups


def _whole_folders(groups: list) -> set[str]:
    """The folders whose files are on one page (the others' pages name their first and last file)."""
    counts: dict[str, int] = {}
    for _, folder, _ in groups:
        counts[folder] = counts.get(folder, 0) + 1
    return {folder for folder, count in counts.items() if count == 1}


def _group_title(folder: str, items: list, whole: bool, ui: dict) -> str:
    first, last = items[0].name.rsplit("/", 1)[-1], items[-1].name.rsplit("/", 1)[-1]
    span = f" ({first} – {last})" if not whole else ""
    return (folder or ui["files_top_level"]) + span


_LIGHT_ROW = 165  # bytes of a light row (files_table without buttons) besides its name, twice


def files_table(items: list, lang: str, *, buttons: bool) -> str:
    """The HTML table of files: name, size and SHA-256, each row with its id (`file_anchor`).
    `buttons`: a copy button per digest (a small release; on the pages of a large one the rows
    are kept light)."""
    ui = UI[lang]
    head = "".join(f'<th scope="col">{escape_html(c)}</th>' for c in (ui["file"], ui["size"], "SHA-256"))
    seen: dict[str, int] = {}
    rows = []
    for item in items:
        anchor = file_anchor(item.name)
        seen[anchor] = seen.get(anchor, 0) + 1
        anchor = anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}"
        if not buttons:  # a page of a large release: the least markup (a plain table, scrolled on phones)
            rows.append(f'<tr id="{attr(anchor)}"><td><code>{escape_html(item.name)}</code></td>'
                        f'<td>{escape_html(human_size(item.size))}</td><td><code class="ds-hash">{item.sha256}</code></td></tr>')
            continue
        fmt = f' <span class="ds-format">{escape_html(item.format)}</span>' if item.format and buttons else ""
        button = " " + _copy_button(item.sha256, ui["copy_hash"].format(name=item.name), ui, announce="SHA-256") \
            if buttons else ""
        rows.append(
            f'<tr id="{attr(anchor)}" data-file="{attr(item.name)}"><td data-label="{attr(ui["file"])}">'
            f'<code>{escape_html(item.name)}</code>{fmt}</td>'
            f'<td data-label="{attr(ui["size"])}"><span title="{item.size} B">{escape_html(human_size(item.size))}</span></td>'
            f'<td data-label="SHA-256"><code class="ds-hash">{item.sha256}</code>{button}</td></tr>')
    kind = "ds-files" if buttons else "ds-files ds-files-light"
    return f'<table class="{kind}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _file_pages_table(release: Release, lang: str, ui: dict) -> str:
    """A large release on the download page: one row per page of files (folder, count, size)."""
    groups = file_groups(release)
    whole = _whole_folders(groups)
    head = "".join(f'<th scope="col">{escape_html(c)}</th>' for c in (ui["folder"], ui["files_column"], ui["size"]))
    rows = ""
    for slug, folder, items in groups:
        title = _group_title(folder, items, folder in whole, ui)
        rows += (f'<tr id="files-{attr(slug)}"><td data-label="{attr(ui["folder"])}">'
                 f'<a href="{attr(_files_page_href(slug, ui))}">{escape_html(title)}</a></td>'
                 f'<td data-label="{attr(ui["files_column"])}">{len(items)}</td>'
                 f'<td data-label="{attr(ui["size"])}">{escape_html(human_size(sum(i.size for i in items)))}</td></tr>')
    intro = ui["files_grouped"].format(count=len(release.files), groups=len(groups))
    return (f'<p class="ds-intro">{escape_html(intro)}</p>\n\n'
            f'<table class="ds-files ds-file-pages"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>\n\n')


def _files_page_href(slug: str, ui: dict) -> str:
    # (From the download page: download/ with directory URLs, download.html beside it without.)
    return f"files/{slug}/" if ui["directory_urls"] else f"{FILES_PAGES}/{slug}.html"


def _files_page(dataset: Dataset, release: Release, slug: str, folder: str, items: list, lang: str, ui: dict,
                whole: bool) -> str:
    title = f'{ui["files_of_release"].format(version=release.version, date=release.date)}: ' \
            f'{_group_title(folder, items, whole, ui)}'
    out = _front_matter(title, f"{dataset.name[lang]}: {title}")
    out += _heading(1, title)
    back = "../../" if ui["directory_urls"] else "../../download.html"
    sums = "../../../SHA256SUMS" if ui["directory_urls"] else "../../SHA256SUMS"
    if language_prefix(lang, ui["languages"]):
        sums = "../" + sums
    out += (f'<p class="ds-intro">{escape_html(ui["files_page_intro"])} <a href="{back}">{escape_html(ui["download_title"])}'
            f'</a> · <a href="{sums}">{SHA256SUMS}</a></p>\n\n')
    return out + FILES_MARKER + "\n"


def files_pages(dataset: Dataset, lang: str, ui: dict) -> dict[str, str]:
    """The pages of a large release's files (none for a release of INLINE_FILES files or fewer)."""
    release = dataset.latest_release
    if not release or len(release.files) <= INLINE_FILES:
        return {}
    groups = file_groups(release)
    whole = _whole_folders(groups)
    return {f"{FILES_PAGES}/{slug}": _files_page(dataset, release, slug, folder, items, lang, ui, folder in whole)
            for slug, folder, items in groups}


def listing_blocks(dataset: Dataset, language: str) -> dict[str, dict[str, str]]:
    """HTML put into generated pages after Markdown and the search indexer have run (a table of
    10,000 rows is neither Markdown nor prose): page -> {marker: HTML}."""
    release = dataset.latest_release
    if not release or not release.files:
        return {}
    if len(release.files) <= INLINE_FILES:
        return {"download": {FILES_MARKER: files_table(release.files, language, buttons=True)}}
    return {f"{FILES_PAGES}/{slug}": {FILES_MARKER: files_table(items, language, buttons=False)}
            for slug, _, items in file_groups(release)}


def file_search_entries(dataset: Dataset, language: str, directory_urls: bool = True) -> list[dict]:
    """Search entries for the latest release's files: their names, one entry per table (not as
    prose of 10,000 rows, and without their digests), located at it."""
    release = dataset.latest_release
    if not release or not release.files:
        return []
    ui = UI[language]
    title = ui["files_of_release"].format(version=release.version, date=release.date)

    def located(page: str, fragment: str = "") -> str:
        return page_path(page, language, dataset.languages, directory_urls)[
            len(language_prefix(language, dataset.languages)):] + fragment

    if len(release.files) <= INLINE_FILES:
        return [{"location": located("download", "#files"), "title": title,
                 "text": " ".join(escape_html(f.name) for f in release.files)}]
    return [{"location": located(f"{FILES_PAGES}/{slug}"), "title": f"{title}: {folder or ui['files_top_level']}",
             "text": " ".join(escape_html(f.name) for f in items)} for slug, folder, items in file_groups(release)]


def _license(dataset: Dataset, lang: str, ui: dict) -> str:
    lic = dataset.license
    out = _front_matter(ui["license_title"], f"{dataset.name[lang]}: {lic.name[lang]} ({lic.short})")
    out += _heading(1, ui["license_title"])
    out += (
        '<p class="ds-license">' + ui["license_line"].format(
            license=f'<a href="{attr(lic.url)}">{escape_html(lic.name[lang])}</a>',
            short=escape_html(lic.short), spdx=f"<code>{escape_html(lic.spdx)}</code>") + '</p>\n\n'
        f'<p class="ds-intro">{escape_html(ui["license_terms"])}</p>\n\n'
    )
    if dataset.changes:
        out += followed_by(escape_markdown(ui["revisions_intro"]), f"[{escape_markdown(ui['changes_title'])}](changes.md) · "
                                                                  f"[{escape_markdown(ui['feed'])}]({feed_path(lang, ui['languages'])})") + "\n\n"
    revised = dataset.revisions()
    for clause in dataset.clauses:
        out += _clause(clause, lang, ui, revised.get(clause.id))
    return out


def _clause(clause: Clause, lang: str, ui: dict, revised=None) -> str:
    if lang not in clause.languages:
        return _clause_elsewhere(clause, lang, ui)
    out = _heading(2, clause.title[lang], clause.id)
    if revised:
        out += (f'<p class="ds-revised">{escape_html(ui["revised_on"])} '
                f'<time datetime="{revised}">{revised}</time></p>\n\n')
    return out + _paragraphs(clause.body[lang], "ds-clause")


def _clause_elsewhere(clause: Clause, lang: str, ui: dict) -> str:
    """A clause its author did not write in this language: its anchor stays (papers print it), with
    its title as written and a link to where it can be read."""
    written = clause.languages[0]
    link = page_link("license", lang, written, ui["languages"], ui["directory_urls"]) + f"#{clause.id}"
    name = LANGUAGE_NAMES[written]
    out = _heading(2, clause.title_in(lang), clause.id)
    return out + (f'<p class="ds-elsewhere">{escape_html(spaced(ui["written_in_only"].format(language=name)))} '
                  f'<a href="{attr(link)}" hreflang="{written}">{escape_html(spaced(ui["read_in"].format(language=name)))}</a>'
                  f"</p>\n\n")


def format_reference(article: Article) -> str:
    """A plain one-line reference; the cite page adds journal formats on top of it."""
    authors = ", ".join(p.name for p in article.authors)
    if article.et_al:
        authors += "等" if any(p.name != f"{p.given} {p.family}" for p in article.authors) else " et al."
    stop = "" if authors.endswith((".", "等")) else "."
    out = f"{authors}{stop} {article.title}. {article.journal} ({article.year})"
    for part in (article.volume, article.issue, article.pages):
        if part:
            out += f", {part}"
    if article.doi:
        out += f", {doi_url(article.doi)}"
    elif article.url:
        out += f", {article.url}"
    return out


CITATION_FILES = ("bib", "ris")


def citation_file(dataset: Dataset, kind: str) -> str:
    """Site path of a downloadable citation file (the same file serves both languages)."""
    return f"citation/{dataset.id}.{kind}"


QR_FILES = {"site": "assets/qr/site.svg", "doi": "assets/qr/doi.svg"}


def qr_payloads(dataset: Dataset) -> dict[str, str]:
    """What each QR code of the cite page encodes, for the ones the dataset has."""
    payloads = {"site": dataset.site_url, "doi": doi_url(dataset.article.doi) if dataset.article.doi else None}
    return {key: payload for key, payload in payloads.items() if payload}


def _code(text: str, language: str) -> str:
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {language}\n{text.rstrip()}\n{fence}\n\n"


def _formats(citations: Citations, prefix: str) -> str:
    out = ""
    for title, anchor, text, language, searchable in (
        ("APA", "apa", citations.apa, "text", True),
        ("GB/T 7714-2015", "gbt7714", citations.gbt7714, "text", True),
        ("BibTeX", "bibtex", citations.bibtex, "bibtex", False),
        ("RIS", "ris", citations.ris, "text", False),
        ("CSL-JSON", "csl-json", citations.csl_json, "json", False),
    ):
        if searchable:
            out += _heading(3, title, f"{prefix}-{anchor}") + _code(text, language)
        else:
            # Machine formats are for reference managers: collapsed (the page stays short), and
            # kept out of the search index, since they repeat the same fields. A link to their
            # anchor opens them (the theme does).
            out += (f'<details class="ds-machine-format" id="{prefix}-{anchor}" data-search-exclude="" markdown>\n'
                    f"<summary>{escape_html(title)}</summary>\n\n{_code(text, language)}</details>\n\n")
    return out


def _cite(dataset: Dataset, lang: str, ui: dict) -> str:
    name = dataset.name[lang]
    out = _front_matter(ui["cite_title"], f"{name}: {ui['cite_intro']} “{name}”.")
    out += _heading(1, ui["cite_title"])
    out += (
        f'<p class="ds-attribution">{escape_html(ui["cite_intro"])} '
        f'<strong class="ds-name">“{escape_html(name)}”</strong> {escape_html(ui["cite_article"])}</p>\n\n'
    )
    out += f'<blockquote class="ds-reference"><p>{linkify(format_reference(dataset.article_in(lang)))}</p></blockquote>\n\n'
    out += f'<p>{escape_html(ui["data_source_name"])}</p>\n\n' + _code(name, "text")
    downloads = " · ".join(
        f"[{escape_markdown('.' + kind)}]({citation_file(dataset, kind)})" for kind in CITATION_FILES
    )
    # The source article, and the one manuscripts in a language cite instead: the reader's first.
    # Each keeps its anchors in every language (#article-apa, #article-zh-apa).
    sections = [(None, dataset.article)] + list(dataset.article_for.items())
    sections.sort(key=lambda section: section[0] != lang)
    for language, article in sections:
        if language is None:
            out += _heading(2, ui["source_article"], "article")
        else:
            title = spaced(ui["article_for_language"].format(language=LANGUAGE_NAMES[language]))
            out += _heading(2, title, f"article-{language}")
        out += _formats(article_citations(article), "article" if language is None else f"article-{language}")
    out += _heading(2, ui["the_dataset"], "dataset")
    out += _formats(dataset_citations(dataset, lang), "dataset")
    out += followed_by(escape_markdown(ui["downloads"]), downloads) + "\n\n"
    if dataset.publications:
        out += _heading(2, ui["publications"], "publications")
        items = "".join(
            f"<li>{linkify(p.text[lang])}"
            + (f' <a href="{attr(doi_url(p.doi))}">doi:{escape_html(p.doi)}</a>' if p.doi else "")
            + (f' <a href="{attr(p.url)}">{escape_html(p.url)}</a>' if p.url else "")
            + "</li>"
            for p in dataset.publications if p.text.get(lang)
        )
        out += f'<ul class="ds-publications">{items}</ul>\n\n'
    if dataset.related_datasets:
        out += _heading(2, ui["related_datasets"], "related-datasets")
        items = "".join(
            f'<li><a href="{attr(r.url)}">{escape_html(r.name[lang])}</a>'
            + (f" — {linkify(r.note[lang])}" if r.note and r.note.get(lang) else "")
            + "</li>"
            for r in dataset.related_datasets
        )
        out += f'<ul class="ds-related">{items}</ul>\n\n'
    payloads = qr_payloads(dataset)
    if payloads:
        out += _heading(2, ui["qr_codes"], "qr")
    for key, payload in payloads.items():
        label = ui[f"qr_{key}"]
        out += (f"![{escape_markdown(label)}]({QR_FILES[key]}){{ .ds-qr width=\"160\" height=\"160\" }}\n"
                f'{escape_markdown(label)}{ui["separator"]}<a href="{attr(payload)}">{escape_html(payload)}</a>\n\n')
    return out


def _contact(dataset: Dataset, lang: str, ui: dict) -> str:
    contact = dataset.contact
    intro = contact.intro.get(lang) if contact.intro else None
    about = intro or contact.person[lang]
    out = _front_matter(ui["contact_title"], f"{dataset.name[lang]} · {ui['contact_title']}: {about}")
    out += _heading(1, ui["contact_title"])
    if intro:
        out += _paragraphs(intro, "ds-intro")
    rows = [f"<dt>{escape_html(contact.person[lang])}</dt><dd></dd>"] if not intro else []
    if contact.email:
        rows.append(
            f'<dt>{escape_html(ui["email"])}</dt>'
            f'<dd><a href="{attr(mailto(contact.email))}">{escape_html(contact.email)}</a></dd>'
        )
    if contact.wechat:
        rows.append(
            f'<dt>{escape_html(ui["wechat"])}</dt><dd><code>{escape_html(contact.wechat)}</code> '
            f'{_copy_button(contact.wechat, ui["copy_wechat"], ui)}</dd>'
        )
    if contact.url:
        rows.append(f'<dt>{escape_html(ui["web"])}</dt>'
                    f'<dd><a href="{attr(contact.url)}">{escape_html(contact.url)}</a></dd>')
    out += f'<dl class="ds-contact">{"".join(rows)}</dl>\n\n'
    return out


def change_anchors(dataset: Dataset) -> list[str]:
    """The anchor of each change (in the order of the file): its date, and for further changes of
    the same date "-2", "-3" — so the first keeps its anchor when another is added below it."""
    seen: dict[str, int] = {}
    anchors = []
    for change in dataset.changes:
        base = f"c-{change.date}"
        seen[base] = seen.get(base, 0) + 1
        anchors.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return anchors


def _changes(dataset: Dataset, lang: str, ui: dict) -> str:
    out = _front_matter(ui["changes_title"], f"{dataset.name[lang]}: {ui['changes_intro']}",
                        hide_toc=len(dataset.changes) > TOC_CHANGES)
    out += _heading(1, ui["changes_title"])
    out += followed_by(escape_markdown(ui["changes_intro"]), f"[{escape_markdown(ui['feed'])}]({feed_path(lang, ui['languages'])})") + "\n\n"
    if not dataset.changes:
        return out + f'<p>{escape_html(ui["no_changes"])}</p>\n\n'
    titles = {clause.id: clause.title_in(lang) for clause in dataset.clauses}
    anchors = change_anchors(dataset)
    order = sorted(range(len(dataset.changes)), key=lambda i: (dataset.changes[i].date, i), reverse=True)
    for index in order:
        change = dataset.changes[index]
        out += _heading(2, f"{change.date} · {ui['kind_' + change.kind]}", anchors[index])
        out += _paragraphs(change.text[lang], "ds-change")
        if change.clauses:
            links = ", ".join(f"[{escape_markdown(titles[c])}](license.md#{c})" for c in change.clauses)
            out += followed_by(escape_markdown(ui["revised_clauses"]), links) + "\n\n"
    return out
