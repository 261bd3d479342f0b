"""Pure functions: the model of a dataset -> the Markdown source of each generated page.

Text from dataset.yml is never interpreted as Markdown or HTML: prose goes into raw HTML
blocks, escaped, with bare URLs and emails turned into links; headings and link labels are
backslash-escaped. Legal text therefore renders exactly as written.
"""

from __future__ import annotations

import json
import re
from typing import Mapping

from ..links.verdict import Verdict
from ..model import Article, Clause, Dataset, Mirror, doi_url
from ..sync import GENERATED_PAGES
from ..ui import UI
from .citation import Citations, article_citations, dataset_citations
from .text import attr, escape_html, escape_markdown, linkify, mailto, paragraphs


def render_pages(dataset: Dataset, language: str, verdicts: Mapping[str, Verdict] | None = None) -> dict[str, str]:
    """Markdown source of every generated page, keyed by page name (see GENERATED_PAGES).

    `verdicts` (URL -> last link-check verdict) gives each mirror its shown status.
    """
    ui = dict(UI[language], verdicts=verdicts or {})
    renderers = {
        "index": _home,
        "download": _download,
        "license": _license,
        "cite": _cite,
        "contact": _contact,
    }
    assert tuple(renderers) == GENERATED_PAGES
    return {name: render(dataset, language, ui) for name, render in renderers.items()}


def _front_matter(title: str, description: str) -> str:
    # The theme prints page.meta values into <title> and attributes without escaping them, so
    # they are stored HTML-escaped; JSON strings are valid YAML scalars, so quoting is safe too.
    return (
        "---\n"
        f"title: {json.dumps(attr(title))}\n"
        f"description: {json.dumps(attr(description))}\n"
        "---\n\n"
    )


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
    if dataset.notice:
        out += _paragraphs(dataset.notice[lang], "ds-notice")
    out += _paragraphs(dataset.description[lang], "ds-lead")
    out += (
        f'<p class="ds-license-line">{escape_html(ui["licensed_under"])} '
        f'<a href="{attr(dataset.license.url)}">{escape_html(dataset.license.short)}</a></p>\n\n'
    )
    out += (
        f"[{escape_markdown(ui['download'])}](download.md){{ .md-button .md-button--primary }} "
        f"[{escape_markdown(ui['cite'])}](cite.md){{ .md-button }} "
        f"[{escape_markdown(ui['read_terms'])}](license.md){{ .md-button }}\n\n"
    )
    return out


def _download(dataset: Dataset, lang: str, ui: dict) -> str:
    out = _front_matter(ui["download_title"], f"{dataset.name[lang]}: {ui['download_intro']}")
    out += _heading(1, ui["download_title"])
    out += f'<p class="ds-intro">{escape_html(ui["download_intro"])}</p>\n\n'
    for region in dataset.regions_for(lang):
        zones = " ".join(region.first_for_time_zones)
        attributes = f' data-ds-region="{region.id}"' + (f' data-ds-first-tz="{zones}"' if zones else "")
        out += _heading(2, region.title[lang], region.id, attributes)
        if region.note:
            out += _paragraphs(region.note[lang], "ds-region-note")
        for mirror in dataset.mirrors_in(region):
            out += _heading(3, mirror.label[lang], mirror.id)
            out += _mirror_block(mirror, lang, ui)
    return out


def _copy_button(value: str, label: str, ui: dict) -> str:
    # Material's ClipboardJS copies [data-clipboard-text]; datasite.js announces it to screen readers.
    return (
        f'<button type="button" class="ds-copy md-button" data-search-exclude data-clipboard-text="{attr(value)}" '
        f'data-ds-copied="{attr(ui["copied"])}: {attr(value)}" data-ds-done="{attr(ui["copied"])}" '
        f'aria-label="{attr(label)} {attr(value)}">{escape_html(ui["copy"])}</button>'
    )


def _mirror_status(verdict: Verdict | None, ui: dict) -> str:
    state = verdict.state if verdict else "unknown"
    when = (verdict.checked_at or "")[:10] if verdict else ""
    checked = f' · {escape_html(ui["last_checked"])} <time datetime="{attr(when)}">{escape_html(when)}</time>' \
        if when else f' · {escape_html(ui["never_checked"])}'
    return (
        f'<p class="ds-status ds-status--{state}" data-search-exclude>{escape_html(ui["status"])} '
        f'<strong>{escape_html(ui["state_" + state])}</strong>{checked}</p>'
    )


def _mirror_block(mirror: Mirror, lang: str, ui: dict) -> str:
    label = mirror.label[lang]
    verdict = ui["verdicts"].get(mirror.url)
    state = verdict.state if verdict else "unknown"
    out = f'<div class="ds-mirror ds-mirror--{state}" data-mirror="{attr(mirror.id)}" data-state="{state}">'
    # The link says where it leads, also out of context ("Baidu Drive — extraction code WZRD").
    text = (ui["link_with_code"] if mirror.code else ui["open_mirror"]).format(label=label, code=mirror.code)
    out += (
        f'<p class="ds-mirror__link"><a href="{attr(mirror.url)}" rel="noopener">{escape_html(text)}</a></p>'
        f'<p class="ds-url" data-search-exclude>{escape_html(mirror.url)}</p>'
    )
    if mirror.code:
        out += (
            f'<p class="ds-code"><span class="ds-code__label">{escape_html(ui["code"])}</span> '
            f'<code class="ds-code__value">{escape_html(mirror.code)}</code> '
            f'{_copy_button(mirror.code, ui["copy_label"] + " (" + label + ")", ui)}</p>'
        )
    out += _mirror_status(verdict, ui)
    return out + "</div>\n\n"


def _license(dataset: Dataset, lang: str, ui: dict) -> str:
    lic = dataset.license
    out = _front_matter(ui["license_title"], f"{dataset.name[lang]}: {lic.name[lang]} ({lic.short})")
    out += _heading(1, ui["license_title"])
    out += (
        f'<p class="ds-license">{escape_html(ui["license_intro"])} '
        f'<a href="{attr(lic.url)}">{escape_html(lic.name[lang])}</a> '
        f'({escape_html(lic.short)}, SPDX <code>{escape_html(lic.spdx)}</code>).</p>\n\n'
        f'<p class="ds-intro">{escape_html(ui["license_terms"])}</p>\n\n'
    )
    for clause in dataset.clauses:
        out += _clause(clause, lang)
    return out


def _clause(clause: Clause, lang: str) -> str:
    return _heading(2, clause.title[lang], clause.id) + _paragraphs(clause.body[lang], "ds-clause")


def format_reference(article: Article) -> str:
    """A plain one-line reference; the cite page adds journal formats on top of it."""
    authors = ", ".join(f"{p.given} {p.family}" for p in article.authors)
    if article.et_al:
        authors += " et al."
    out = f"{authors} {article.title}. {article.journal} ({article.year})"
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
        # Machine formats repeat the same fields: kept out of the search index (smaller, cleaner).
        attributes = "" if searchable else " data-search-exclude"
        out += _heading(3, title, f"{prefix}-{anchor}", attributes) + _code(text, language)
    return out


def _cite(dataset: Dataset, lang: str, ui: dict) -> str:
    name = dataset.name[lang]
    out = _front_matter(ui["cite_title"], f"{name}: {ui['cite_intro']} “{name}”.")
    out += _heading(1, ui["cite_title"])
    out += (
        f'<p class="ds-attribution">{escape_html(ui["cite_intro"])} '
        f'<strong class="ds-name">“{escape_html(name)}”</strong> {escape_html(ui["cite_article"])}</p>\n\n'
    )
    out += f'<blockquote class="ds-reference"><p>{linkify(format_reference(dataset.article))}</p></blockquote>\n\n'
    out += f'<p>{escape_html(ui["data_source_name"])}</p>\n\n' + _code(name, "text")
    downloads = " · ".join(
        f"[{escape_markdown('.' + kind)}]({citation_file(dataset, kind)})" for kind in CITATION_FILES
    )
    out += _heading(2, ui["source_article"], "article")
    out += _formats(article_citations(dataset.article), "article")
    out += _heading(2, ui["the_dataset"], "dataset")
    out += _formats(dataset_citations(dataset), "dataset")
    out += f"{escape_markdown(ui['downloads'])} {downloads}\n\n"
    if dataset.publications:
        out += _heading(2, ui["publications"], "publications")
        items = "".join(
            f"<li>{linkify(p.text[lang])}"
            + (f' <a href="{attr(doi_url(p.doi))}">doi:{escape_html(p.doi)}</a>' if p.doi else "")
            + (f' <a href="{attr(p.url)}">{escape_html(p.url)}</a>' if p.url else "")
            + "</li>"
            for p in dataset.publications
        )
        out += f'<ul class="ds-publications">{items}</ul>\n\n'
    if dataset.related_datasets:
        out += _heading(2, ui["related_datasets"], "related-datasets")
        items = "".join(
            f'<li><a href="{attr(r.url)}">{escape_html(r.name[lang])}</a>'
            + (f" — {linkify(r.note[lang])}" if r.note else "")
            + "</li>"
            for r in dataset.related_datasets
        )
        out += f'<ul class="ds-related">{items}</ul>\n\n'
    out += _heading(2, ui["qr_codes"], "qr")
    for key, payload in qr_payloads(dataset).items():
        label = ui[f"qr_{key}"]
        out += (f"![{escape_markdown(label)}]({QR_FILES[key]}){{ .ds-qr width=\"160\" height=\"160\" }}\n"
                f'{escape_markdown(label)}: <a href="{attr(payload)}">{escape_html(payload)}</a>\n\n')
    return out


def _contact(dataset: Dataset, lang: str, ui: dict) -> str:
    contact = dataset.contact
    about = contact.intro[lang] if contact.intro else contact.person[lang]
    out = _front_matter(ui["contact_title"], f"{dataset.name[lang]} · {ui['contact_title']}: {about}")
    out += _heading(1, ui["contact_title"])
    if contact.intro:
        out += _paragraphs(contact.intro[lang], "ds-intro")
    rows = [f"<dt>{escape_html(contact.person[lang])}</dt><dd></dd>"] if not contact.intro else []
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
