"""Pure function: the model -> the dataset's bilingual README (GitHub Markdown).

The same content as the site: terms, mirrors with their codes, how to cite, contact; one half
per language, as the dataset's original README had it.
"""

from __future__ import annotations

import json
import re

import msgspec

from ..model import Dataset, doi_url
from .citation import article_citations, dataset_citations
from ..language import DEFAULT_SITE
from ..language import language as language_record
from ..ui import UI
from .pages import human_size
from .text import paragraphs

_SPECIAL = re.compile(r"([\\`*\[\]<>|~&])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_LINE_START = re.compile(r"^(\s*)(?:([#+>-])|(\d+)([.)]))", re.MULTILINE)  # every line of a text



README_FILES = 200  # files listed in the README; the download page and SHA256SUMS list them all


def escape(text: str) -> str:
    """Markdown-escape text so that GitHub shows it exactly as written (URLs stay clickable)."""
    text = _SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    # Not a heading, quote or list: "\#", "\-", "1\." (CommonMark escapes punctuation only).
    return _LINE_START.sub(
        lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), text
    )


def _body(text: str) -> str:
    """Paragraphs at blank lines, hard line breaks (a trailing backslash) at single newlines."""
    return "\n\n".join("\\\n".join(escape(line) for line in lines) for lines in paragraphs(text))


def _half(dataset: Dataset, language: str) -> str:
    record = language_record(language)
    words, ui, sep = record.readme, UI[language], record.label_separator
    out = [f"# {escape(dataset.title[language])}", ""]
    links = []
    if dataset.site_url:
        links.append(f"{words['website']}{sep}{dataset.site_url}")
    for other in dataset.languages:  # (each other language's half, by that language's own name)
        if other != language:
            links.append(f"[{language_record(other).name}](#{_anchor(dataset.title[other])})")
    out += [" · ".join(links), ""]
    license = dataset.license
    out += [f"{ui['licensed_under'].rstrip(':：')}{sep}{escape(license.short)} ({license.url}) — "
            f"{escape(license.name[language])}", ""]
    if dataset.doi:
        out += [f"DOI{sep}{doi_url(dataset.doi)}", ""]
    if dataset.notice and dataset.notice.get(language):
        out += [_body(dataset.notice[language]), ""]

    # (A text its author wrote in other languages only is left out of this language's half.)
    first, *rest = [clause for clause in dataset.clauses if language in clause.languages] or [None]
    if first:
        out += [f"### {escape(first.title[language])}", "", _body(first.body[language]), ""]
    for region in dataset.regions:
        out += [f"### {escape(region.title[language])}", ""]
        if region.note and region.note.get(language):
            out += [_body(region.note[language]), ""]
        for mirror in dataset.mirrors_in(region):
            if mirror.retired:
                out.append(f"- {escape(mirror.label[language])} ({ui['retired_on'].format(date=mirror.retired)})")
                continue
            line = f"- {escape(mirror.label[language])}{sep}{mirror.url}"
            if mirror.code:
                line += f" ({words['code']}{sep}`{mirror.code}`)"
            out.append(line)
        out.append("")
    release = dataset.latest_release
    if release and release.files:
        title = ui["files_of_release"].format(version=release.version, date=release.date)
        out += [f"### {escape(title)}", "", f"| {ui['file']} | {ui['size']} | SHA-256 |", "| --- | --- | --- |"]
        listed = release.files[:README_FILES]
        out += [f"| {escape(f.name)} | {_size(f.size)} | `{f.sha256}` |" for f in listed]
        out.append("")
        if len(release.files) > len(listed):  # (GitHub shows a README of at most 512 KiB)
            out += [escape(ui["files_more"].format(count=len(release.files) - len(listed))), ""]
    for clause in rest:
        out += [f"### {escape(clause.title[language])}", "", _body(clause.body[language]), ""]

    article, data = article_citations(dataset.article_in(language)), dataset_citations(dataset, language)
    out += [f"### {ui['cite_title']}", "", f"- APA{sep}{escape(article.apa)}",
            f"- GB/T 7714-2015{sep}{escape(article.gbt7714)}",
            f"- {ui['the_dataset']}{sep}{escape(data.gbt7714)}", ""]
    publications = [p for p in dataset.publications if p.text.get(language)]
    if publications:
        out += [f"### {ui['publications']}", ""]
        for publication in publications:
            extra = "".join(f" {doi_url(publication.doi)}" if publication.doi else "")
            extra += f" {publication.url}" if publication.url else ""
            out.append(f"- {escape(publication.text[language])}{extra}")
        out.append("")
    if dataset.related_datasets:
        out += [f"### {ui['related_datasets']}", ""]
        for related in dataset.related_datasets:
            note = f" — {escape(related.note[language])}" if related.note and related.note.get(language) else ""
            out.append(f"- {escape(related.name[language])}{sep}{related.url}{note}")
        out.append("")

    contact = dataset.contact
    out += [f"### {words['contact']}", ""]
    if contact.intro and contact.intro.get(language):
        out += [_body(contact.intro[language]), ""]
    else:
        out += [escape(contact.person[language]), ""]  # whom to write to
    if contact.email:
        out.append(f"- {ui['email']}{sep}{escape(contact.email)}")
    if contact.wechat:
        out.append(f"- {ui['wechat']}{sep}`{contact.wechat}`")
    if contact.url:
        out.append(f"- {contact.url}")
    return "\n".join(out).rstrip() + "\n"


def _size(size: int) -> str:
    """Readable, and exact for the importer: "1.2 GB (1234567890 B)"."""
    readable = human_size(size)
    return readable if readable == f"{size} B" else f"{readable} ({size} B)"


def _anchor(title: str) -> str:
    # GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens.
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def plain_data(dataset: Dataset) -> dict:
    """The dataset as the data of a dataset.yml: keys that are unset or empty left out."""
    def prune(value):
        if isinstance(value, dict):
            return {k: prune(v) for k, v in value.items() if v is not None and v != [] and v != {}}
        if isinstance(value, list):
            return [prune(v) for v in value]
        return value

    data = prune(msgspec.to_builtins(dataset))
    if tuple(data.get("languages", ())) == DEFAULT_SITE:
        del data["languages"]  # (the default: left out, as in a dataset.yml that does not list them)
    return data


def data_block(dataset: Dataset) -> str:
    """The data the README was made from, in a comment that GitHub does not show, so that
    `datasite import` gives back exactly this dataset. ("--" may not appear inside a comment:
    JSON writes it, inside strings only, as "-\\u002d".)"""
    text = json.dumps(plain_data(dataset), ensure_ascii=False, separators=(",", ":")).replace("--", "-\\u002d")
    return f"<!-- datasite-data\n{text}\n-->\n"


GENERATED_HEADER = "<!-- Generated from dataset.yml by `datasite export readme`; do not edit by hand. -->"


def render_readme(dataset: Dataset) -> str:
    header = GENERATED_HEADER + "\n\n"
    return header + "\n".join(_half(dataset, language) for language in dataset.languages) + "\n" + data_block(dataset)
