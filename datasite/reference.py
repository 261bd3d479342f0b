"""Reading a reference as authors write it into a README: authors, title, journal, year, volume,
issue, pages and DOI, in the styles common in dataset READMEs of both languages.

A reference is read only when one style matches it whole; otherwise nothing is returned, never
a part of it. What is returned is still a reading of someone's text: the importer records it as
inferred, for a person to confirm.

The styles (each a function below, tried in order):

- GB/T 7714, marked `[J]`: `Holt M, Ode K. Title[J]. Journal, 2021, 7(2): 11-19.` (and in Chinese)
- APA: `Holt, M., Ode, K., & Lind, P. (2022). Title. Journal, 12(3), 101-109.`
- IEEE, a quoted title: `M. Holt, K. Ode and P. Lind, "Title," Journal, vol. 12, pp. 1-9, 2023.`
  (also closed by '' as LaTeX writes it, and with the year before the journal)
- ACS and MDPI: `Wang, Q.; Liu, P. Title. Cell Rep. Phys. Sci. 2023, 4, 101720.`
- Chinese, comma-separated: `霍某等著, 标题, 期刊, 2024`
- Name first: `Mira Holt et al. Title. Journal (2021)`, `Mira Holt, et al. Title, Journal, 2026`

A DOI anywhere in the reference (a doi.org link, `DOI: 10.x/y`, a bare `10.x/y`) is the
reference's DOI, whatever the style; other links become its `url`. Every pattern here runs on at
most MAX_LENGTH characters, so reading takes linear time in the README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .tokens import CJK_CHARACTERS, find_dois, find_urls

MAX_LENGTH = 1000  # characters: a reference is a line, not a page

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_YEAR = r"(?:1[6-9]|20)\d\d"
# Two-character surnames, which a Chinese name does not otherwise show.
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "夏侯", "轩辕",
                      "令狐", "宇文", "司徒", "司空", "端木", "独孤", "南宫", "西门")
_ET_AL = re.compile(r"(?:,|，)?\s*(?:et\s+al\.?|等著|等人|等)\s*$", re.IGNORECASE)
_SMALL_WORDS = {"of", "and", "the", "in", "on", "for", "&", "a", "an", "to", "de", "und", "der", "la"}


@dataclass
class Reference:
    authors: list[dict[str, str]]  # {"family": …, "given": …}
    title: str
    journal: str
    year: int
    et_al: bool = False
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None
    style: str = ""
    fields: dict = field(default_factory=dict, repr=False)

    def as_article(self) -> dict:
        """As `article` in dataset.yml."""
        article: dict = {"authors": self.authors, "et_al": self.et_al, "title": self.title,
                         "journal": self.journal, "year": self.year}
        for key in ("volume", "issue", "pages", "doi", "url"):
            value = getattr(self, key)
            if value:
                article[key] = value
        return article

    @property
    def chinese(self) -> bool:
        """Written in Chinese (its title is): cited by manuscripts in Chinese."""
        return bool(_HAN.search(self.title))


# --- the parts --------------------------------------------------------------------------------

def person(name: str) -> dict[str, str] | None:
    """A name as family and given names: "Dongzhen Lyu", "M. Holt", "Holt, M.", "Holt M", "霍米拉"."""
    name = re.sub(r"\s+", " ", name).strip(" ,，、;")
    if name.endswith(".") and not re.search(r"(?:^|[\s.,-])[A-Z]\.$", name):
        name = name[:-1]  # a sentence's stop, not an initial's
    if not name or len(name) > 80 or any(c.isdigit() for c in name):
        return None
    if _HAN.search(name):
        name = name.replace(" ", "")
        if not re.fullmatch(f"[{CJK_CHARACTERS}·]{{2,6}}", name):
            return None
        family = next((s for s in _COMPOUND_SURNAMES if name.startswith(s) and len(name) > len(s)), name[0])
        return {"family": family, "given": name[len(family):]}
    word = r"[A-Z][A-Za-z'’\-]+|[A-Z][a-z]*\.?(?:-?[A-Z]\.?)*"
    if "," in name:  # "Holt, M." / "Sauer, D.U." / "Holt, Mira"
        family, _, given = name.partition(",")
        family, given = family.strip(), given.strip()
        if re.fullmatch(rf"(?:{word})(?: (?:{word}|van|von|de|der|la|le|du))*", family) and given \
                and re.fullmatch(rf"(?:{word})(?: (?:{word}))*", given):
            return {"family": family, "given": given}
        return None
    parts = name.split(" ")
    if len(parts) < 2 or not all(re.fullmatch(rf"{word}|van|von|de|der|la|le|du", p) for p in parts):
        return None
    if re.fullmatch(r"[A-Z]{1,3}", parts[-1]) and len(parts) == 2:  # "Holt M" (GB/T, Vancouver)
        return {"family": parts[0], "given": parts[1]}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def people(text: str, separators: str) -> tuple[list[dict[str, str]], bool] | None:
    """A list of names split at `separators` (a pattern), and whether it ends in "et al."/"等"."""
    et_al = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text).strip(" ,，")
    names = [n for n in re.split(separators, text) if n.strip()]
    found = [person(n) for n in names]
    if not found or None in found:
        return None
    return found, et_al


def _journal_words(text: str) -> bool:
    """A journal's name, full or abbreviated: words that start with a capital (but small words);
    in Chinese, a name without punctuation (储能科学与技术)."""
    if _HAN.search(text):
        return bool(re.fullmatch(rf"[{CJK_CHARACTERS}A-Za-z0-9（）() ]{{2,40}}", text.strip()))
    words = text.replace(".", " ").split()
    return bool(words) and len(text) <= 200 and words[0][:1].isupper() and all(
        w[:1].isupper() or w.lower() in _SMALL_WORDS or w[:1].isdigit() for w in words)


def _numbers(text: str) -> dict[str, str] | None:
    """What follows the journal: "2021, 7(2): 11-19", "12(3), 101-109", "vol. 12, no. 3, pp. 1-9"."""
    text = text.strip(" ,.;")
    found: dict[str, str] = {}
    if not text:
        return found
    gbt = re.fullmatch(rf"(?P<year>{_YEAR})(?:\s*[,，]\s*(?P<volume>\d+))?(?:\s*[(（](?P<issue>[^)）]{{1,20}})[)）])?"
                       r"(?:\s*[:：]\s*(?P<pages>[\w–-]{1,30}))?", text)
    apa = re.fullmatch(r"(?P<volume>\d+)(?:\s*\((?P<issue>[^)]{1,20})\))?(?:\s*,\s*(?P<pages>[\w–-]{1,30}))?", text)
    match = gbt or apa
    if match:
        return {k: v.replace("–", "-") for k, v in match.groupdict().items() if v}
    for part in re.split(r"\s*,\s*", text):  # IEEE: named parts in any order
        named = re.fullmatch(r"(?:(vol|volume)|(no|issue|iss)|(pp?|pages))\.?\s*([\w–-]{1,30})", part, re.IGNORECASE)
        if named:
            key = "volume" if named.group(1) else "issue" if named.group(2) else "pages"
            found[key] = named.group(4).replace("–", "-")
        elif re.fullmatch(rf"(?:[A-Z][a-z]{{2,8}}\.?\s+)?({_YEAR})", part):
            found["year"] = re.search(_YEAR, part).group(0)
        else:
            return None
    return found


def _build(style: str, authors, title: str, journal: str, numbers: dict | None, year: str | None = None
           ) -> Reference | None:
    if authors is None or numbers is None:
        return None
    year = numbers.pop("year", None) or year
    title, journal = title.strip(" ,.，。"), journal.strip(" ,，。")
    if journal.endswith(".") and "." not in journal[:-1]:
        journal = journal[:-1]  # a stop; an abbreviated name ("Cell Rep. Phys. Sci.") keeps its own
    if not year or not title or not journal or len(title) > 300 or "\n" in title:
        return None
    names, et_al = authors
    return Reference(names, title, journal, int(year), et_al, style=style, **numbers)


# --- the styles -------------------------------------------------------------------------------

def _gbt(text: str) -> Reference | None:
    """GB/T 7714: AUTHORS. TITLE[J]. JOURNAL, YEAR, VOLUME(ISSUE): PAGES."""
    match = re.fullmatch(r"(?P<head>.+?)\s*\[J\]\s*[.．。]\s*(?P<journal>[^,，]+?)\s*[,，]\s*(?P<rest>.+)", text)
    if not match:
        return None
    split = re.search(r"[.．。]\s*", match["head"])
    if not split:
        return None
    authors, title = match["head"][:split.start()], match["head"][split.end():]
    return _build("gbt7714", people(authors, r"\s*[,，、]\s*"), title, match["journal"], _numbers(match["rest"]))


def _apa(text: str) -> Reference | None:
    """APA: Family, G., Family, G., & Family, G. (YEAR). TITLE. JOURNAL, VOLUME(ISSUE), PAGES."""
    match = re.fullmatch(rf"(?P<authors>[^()]+?)\s*\((?P<year>{_YEAR})[a-z]?\)\.\s+(?P<title>.+?[^A-Z])[.?!]\s+"
                         r"(?P<journal>[^,]+?)(?:,\s*(?P<rest>.+?))?\.?", text)
    if not match:
        return None
    names = re.findall(r"([A-Z][\w'’\- ]*?),\s*((?:[A-Z]\.\s*-?)+)", match["authors"])
    rest = re.sub(r"([A-Z][\w'’\- ]*?),\s*((?:[A-Z]\.\s*-?)+)", "", match["authors"])
    et_al = bool(re.search(r"et al|…", rest))
    if not names or re.sub(r"et al\.?|…|&|,|\s", "", rest):
        return None
    authors = ([{"family": f.strip(), "given": g.strip()} for f, g in names], et_al)
    return _build("apa", authors, match["title"], match["journal"], _numbers(match["rest"] or ""), match["year"])


_QUOTED = re.compile(r"(?P<authors>.+?)[,，]?\s*(?:\"|“|``)(?P<title>[^\"”]+?)[,，.]?\s*(?:\"|”|'')\s*[,，.]?\s*"
                     r"(?P<rest>.+)")


def _ieee(text: str) -> Reference | None:
    """IEEE: AUTHORS, "TITLE," JOURNAL, vol. N, no. N, pp. A-B, YEAR (any order after the title)."""
    match = _QUOTED.fullmatch(text)
    if not match:
        return None
    authors = people(match["authors"], r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
    parts = re.split(r"\s*,\s*", match["rest"].strip(" ,."))
    journal = [p for p in parts if _journal_words(p) and not re.fullmatch(r"(?:vol|no|pp?|volume|issue)\.?\s*\S+", p,
                                                                         re.IGNORECASE)
               and not re.fullmatch(rf"(?:[A-Z][a-z]{{2,8}}\.?\s+)?{_YEAR}", p)]  # "Mar. 2020" is a date
    if len(journal) != 1:
        return None
    numbers = _numbers(", ".join(p for p in parts if p is not journal[0]))
    return _build("ieee", authors, match["title"], journal[0], numbers)


def _acs(text: str) -> Reference | None:
    """ACS and MDPI: Family, G.; Family, G. TITLE. JOURNAL YEAR, VOLUME, PAGES."""
    match = re.fullmatch(rf"(?P<authors>(?:[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)*,\s*(?:[A-Z]\.\s*-?)+\s*;\s*)*"
                         rf"[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)*,\s*(?:[A-Z]\.-?)+(?:\s*;?\s*et al\.)?)\s+(?P<body>.+?)\s+"
                         rf"(?P<year>{_YEAR})\s*,\s*(?P<volume>\d+)(?:\s*\((?P<issue>[^)]{{1,20}})\))?"
                         r"(?:\s*,\s*(?P<pages>[\w–-]{1,30}))?\.?", text)
    if not match or ";" not in match["authors"] + ";":
        return None
    authors = people(match["authors"], r"\s*;\s*")
    # The title ends at the first ". " after which only a journal's (abbreviated) name follows.
    body = match["body"]
    for split in re.finditer(r"[.?!]\s+", body):
        title, journal = body[:split.start() + 1], body[split.end():]
        if _journal_words(journal):
            numbers = {k: match[k] for k in ("volume", "issue", "pages") if match[k]}
            return _build("acs", authors, title, journal, numbers, match["year"])
    return None


def _chinese_commas(text: str) -> Reference | None:
    """Chinese, fields between commas: AUTHORS(等著), TITLE, JOURNAL, YEAR."""
    if not _HAN.search(text):
        return None
    parts = [p.strip() for p in re.split(r"\s*[,，]\s*", text.strip(" 。."))]
    if len(parts) != 4 or not re.fullmatch(rf"{_YEAR}(?:\s*年)?", parts[3]):
        return None
    authors = people(parts[0], r"\s*[、]\s*")
    return _build("chinese", authors, parts[1], parts[2], {}, re.match(_YEAR, parts[3]).group(0))


def _names_end(body: str) -> tuple[int, int] | None:
    """Where the list of names at the start of `body` ends: at the first stop that follows a
    whole list of names ("Mei Tan, Joaquim Rocha, Xiaobo Lu. Title"), else at the first comma
    after which no further name follows ("Mei Tan, Title, Journal"). Never inside the list: a
    title that starts with the second author's name is a misreading."""
    separators = r"\s*[,，、]\s*(?:and\s+)?|\s+and\s+"
    for stop in (r"[.。．]\s+|(?<=[\u3400-\u9fff])[.。．]", r"[,，]\s*"):
        for match in re.finditer(stop, body):
            head = body[:match.start()]
            if re.search(r"(?:^|[\s.])[A-Z]$", head):
                continue  # an initial's stop ("M. Holt")
            if people(head, separators) is None:
                if stop.startswith("[.") and "." in match.group(0):
                    break  # the text before the first sentence stop is not a list of names
                continue
            following = re.split(r"[.,，。]", body[match.end():], maxsplit=1)[0]
            if stop.startswith("[,") and person(following.removeprefix("and ")) is not None:
                continue  # the list of names goes on
            return match.start(), match.end()
    return None


def _name_first(text: str) -> Reference | None:
    """AUTHOR(S) (et al.). TITLE. JOURNAL (YEAR) — or with commas, or ", YEAR" at the end."""
    match = re.fullmatch(rf"(?P<body>.+?)\s*(?:\(\s*(?P<year>{_YEAR})\s*\)|[,，]\s*(?P<year2>{_YEAR}))"
                         r"(?P<rest>(?:\s*[,，]\s*[\w():–-]{1,40}){0,3})\s*[.。]?", text)
    if not match:
        return None
    body = match["body"]
    et_al = re.search(r"\s*,?\s*et\s+al\.?\s*[,.]?\s+", body, re.IGNORECASE)
    if et_al:
        authors = people(body[:et_al.start()], r"\s*,\s*(?:and\s+)?|\s+and\s+")
        authors = (authors[0], True) if authors else None
        rest = body[et_al.end():]
    else:
        cut = _names_end(body)
        if cut is None:
            return None
        authors = people(body[:cut[0]], r"\s*[,，、]\s*(?:and\s+)?|\s+and\s+")
        rest = body[cut[1]:]
    # Title and journal: at the ". " (else ", ") after which only a journal's name follows.
    for separator in (r"[.?!。．]\s*" if _HAN.search(rest) else r"[.?!]\s+", r"[,，]\s*"):
        for split in re.finditer(separator, rest):
            journal = rest[split.end():]
            if _journal_words(journal):
                numbers = _numbers(match["rest"] or "")
                return _build("name-first", authors, rest[:split.start() + 1], journal, numbers,
                              match["year"] or match["year2"])
    return None


STYLES = (_gbt, _apa, _ieee, _acs, _chinese_commas, _name_first)


def clean(text: str) -> tuple[str, str | None, str | None]:
    """The reference without its DOI and links (and the brackets and labels around them), its
    DOI, and its first other link."""
    dois = find_dois(text)
    doi = dois[0] if dois else None
    urls = [url for _, _, url in find_urls(text) if "doi.org/" not in url.lower()]
    out = text
    for _, _, url in sorted(find_urls(text), key=lambda u: -len(u[2])):
        out = out.replace(url, " ")
    for found in dois:
        out = out.replace(found, " ")
    out = re.sub(r"(?:https?://)?(?:dx\.)?doi\.org/", " ", out, flags=re.IGNORECASE)
    out = re.sub(r"\b(?:DOI|doi)\s*[:：]?", " ", out)
    out = re.sub(r"[(（\[]\s*[)）\]]", " ", out)  # brackets left empty
    out = re.sub(r"\s+", " ", out).strip()
    out = re.sub(r"(?:[,，]?\s*(?:see|at|via|见|详见))?(?:\s*[,，;；.。])*\s*$", "", out) if dois or urls else out
    out = re.sub(r"(?:\s*[,，;；])+\s*$", "", out)
    out = re.sub(r"\s+([,，.;；])", r"\1", out)
    out = re.sub(r"([,，;])(?:\s*[,，;])+", r"\1", out).strip()
    return out, doi, urls[0] if urls else None


def parse_bibtex(text: str) -> Reference | None:
    """The first entry of a BibTeX block (`@article{key, author = {Holt, Mira and Ode, Kai}, …}`),
    when it names authors, a title, a journal (or book title) and a year."""
    if len(text) > MAX_LENGTH * 10:
        return None
    import bibtexparser

    try:
        library = bibtexparser.parse_string(text)
    except Exception:  # bibtexparser raises its own and the standard library's errors alike
        return None
    if not library.entries:
        return None
    fields = {field.key.lower(): re.sub(r"[{}]", "", str(field.value)).strip() for field in library.entries[0].fields}
    names = [n for n in re.split(r"\s+and\s+", fields.get("author", "")) if n.strip()]
    et_al = bool(names) and names[-1].strip().lower() == "others"
    authors = [person(n) for n in (names[:-1] if et_al else names)]
    journal = fields.get("journal") or fields.get("booktitle") or fields.get("publisher")
    year = re.fullmatch(_YEAR, fields.get("year", ""))
    if not authors or None in authors or not fields.get("title") or not journal or not year:
        return None
    found = Reference(authors, re.sub(r"\s+", " ", fields["title"]), re.sub(r"\s+", " ", journal), int(year.group(0)),
                      et_al, style="bibtex")
    found.volume, found.issue = fields.get("volume") or None, fields.get("number") or None
    found.pages = fields.get("pages", "").replace("--", "-").replace("–", "-") or None
    dois = find_dois(fields.get("doi", ""))
    found.doi = dois[0] if dois else None
    found.url = None if found.doi else (fields.get("url") or None)
    return found


def parse_reference(text: str) -> Reference | None:
    """The reference in `text` (one whole reference), or None when no style reads all of it."""
    if len(text) > MAX_LENGTH:
        return None
    cleaned, doi, url = clean(text)
    for style in STYLES:
        found = style(cleaned)
        if found is not None:
            found.doi = doi
            found.url = None if doi else url
            return found
    return None
