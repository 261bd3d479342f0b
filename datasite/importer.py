"""Import a hand-written bilingual dataset README into the data of a dataset.yml, losing nothing.

The README: a title per language (`# Title`; one may be missing), sections under `***Section***`,
`**Section**` or `## Section` headings, `<br>` line breaks, mirror lines (`Label: URL`,
`Label at ( URL )`, `Label (PWD:xxxx): URL`, `URL (PWD:xxxx)`, full-width colons and parentheses,
codes in the URL's query). Inline Markdown (links, emphasis, code spans, escapes, inline HTML) is
read by a Markdown parser (markdown-it-py), so a URL is never glued to markup; the README's own
conventions (headings, mirror lines, codes) are read by the patterns below.

The two halves are paired section by section (aligned by their numbers and links) and mirror by
mirror (by URL). Every line ends up in a field: a clause, a mirror, a region's note, the home
page's notice, a publication, the contact. Warnings are decisions for the maintainer to confirm.

A README written by `datasite export readme` carries the data it was made from; when its text is
unchanged, that data is imported exactly.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from .model import LANGUAGES
from .tokens import doi_of_url, find_emails, find_urls, invariant_tokens
from .ui import UI

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_CODE = re.compile(r"(?:\b(?:PWD|pwd|Pwd|password|Password|passcode|code|Code)\s*[:：=]|(?:提取码|密码|访问码)\s*[:：=]?)"
                   r"\s*[`'\"“]?([A-Za-z0-9]{2,12})\b")
_CODE_IN_PARENS = re.compile(r"[（(]\s*(?:PWD|pwd|Pwd|password|Password|code|Code|extraction code|提取码|密码|访问码)"
                             r"\s*[:：=]\s*`?[A-Za-z0-9]+`?\s*[)）]")
_CONTACT_LABEL = re.compile(r"E-?mail|Mail|WeChat(?:\s*ID)?|Web(?:site)?|Homepage|Phone|电子邮[箱件]|邮箱|微信号?|网站|网页|主页",
                            re.IGNORECASE)
_WECHAT = re.compile(r"(?:WeChat(?:\s*ID)?|微信号?)\s*[:：]\s*`?([A-Za-z][-_A-Za-z0-9]{2,63})")
_LICENSE = re.compile(r"CC\s?BY(?:-(?:NC|ND|SA)){0,2}\s?\d\.\d|CC0\s?1\.0")
_WEBSITE = re.compile(r"^(?:Website|Web site|Homepage|Site|网站|网址|主页)\s*[:：]\s*(?P<url>https?://\S+)$", re.IGNORECASE)
_LICENSE_LINE = re.compile(r"^(?:License|Licence|许可协议)\s*[:：]\s*(?P<short>[^(（]+?)\s*[(（](?P<url>https?://[^)）\s]+)[)）]"
                           r"(?:\s*[—–-]\s*(?P<name>.+))?$")
_DATA_BLOCK = re.compile(r"<!-- datasite-data\n(?P<json>.*?)\n-->", re.DOTALL)
# The citation formats `datasite export readme` writes: renderings of `article`, not texts of their own.
_CITATION_ENTRY = re.compile(r"^[-*•]\s*(?:APA|GB/T 7714-2015|" + "|".join(
    re.escape(UI[lang]["the_dataset"]) for lang in LANGUAGES) + r")\s*[:：]")
KINDS = ("clause", "mirrors", "contact", "publications", "related", "citation")


class ImportFailure(Exception):
    """The input is not a README this importer can read (empty, binary, no sections)."""


@dataclass
class Line:
    number: int
    text: str  # plain text: inline Markdown read, <br> removed


@dataclass
class Section:
    title: str
    number: int
    lines: list[Line] = field(default_factory=list)
    kind: str = "clause"
    region: str | None = None
    language: str = "en"

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Half:
    language: str
    title: str | None
    number: int
    sections: list[Section] = field(default_factory=list)
    preamble: list[Line] = field(default_factory=list)


@dataclass
class Mirror:
    url: str
    labels: dict[str, str]
    codes: dict[str, tuple[str, int]]  # language -> (code, line)
    region: str
    lines: dict[str, int]


@dataclass
class ImportResult:
    data: dict
    warnings: list[str]


# --- reading the text --------------------------------------------------------------------------

def decode(raw: bytes, name: str) -> str:
    if not raw.strip():
        raise ImportFailure(f"{name}: the file is empty")
    if b"\0" in raw:
        raise ImportFailure(f"{name}: not a text file (it contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"{name}: not UTF-8 text (byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Tag(HTMLParser):
    """One inline HTML tag: its name and attributes (never a pattern over markup)."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.name, self.attrs, self.closing = "", {}, False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.name, self.attrs = tag, {k: v or "" for k, v in attrs}

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.name, self.closing = tag, True


_MARKDOWN = None


def _markdown():
    global _MARKDOWN  # one parser for every line; building it is the costly part
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        _MARKDOWN = MarkdownIt("commonmark")
        _MARKDOWN.normalizeLink = lambda url: url  # keep URLs exactly as written
        _MARKDOWN.normalizeLinkText = lambda text: text
    return _MARKDOWN


def inline_text(line: str) -> str:
    """The plain text of one line of Markdown: emphasis and code marks dropped, escapes read,
    links as "text (URL)" (or the URL alone when it is the text)."""
    if not any(mark in line for mark in "*_`[]<>\\&!"):
        return line  # nothing to read: most lines, and no parser needed
    if len(line) > MAX_MARKDOWN_LINE:
        return line.strip()  # kept as written: the parser's emphasis rules grow quadratically
    line, urls = _protect_urls(line)
    out: list[str] = []
    links: list[tuple[str, int]] = []  # href, where its text starts in `out`

    def open_link(href: str) -> None:
        links.append((href, len(out)))

    def close_link() -> None:
        if not links:
            return
        href, start = links.pop()
        text = "".join(out[start:])
        del out[start:]
        if not href or href.startswith("#"):
            out.append(text)  # a link inside the README (a language switch): its text
        elif text.strip() in (href, href.removeprefix("mailto:")) or href in text:
            out.append(text)
        elif doi_of_url(href) and doi_of_url(href) in text:
            out.append(f"{text} ({href})")
        else:
            out.append(f"{text} ({href})" if text.strip() else href)

    for block in _markdown().parseInline(line):
        for token in block.children or []:
            if token.type == "text" or token.type == "code_inline":
                out.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                out.append("\n")
            elif token.type == "link_open":
                open_link(str(token.attrGet("href") or ""))
            elif token.type == "link_close":
                close_link()
            elif token.type == "image":
                src = str(token.attrGet("src") or "")
                alt = token.content
                out.append(f"{alt} ({src})" if alt else src)
            elif token.type == "html_inline":
                tag = _Tag(token.content)
                if tag.name == "a" and not tag.closing:
                    open_link(tag.attrs.get("href", ""))
                elif tag.name == "a":
                    close_link()
                elif tag.name == "img":
                    alt, src = tag.attrs.get("alt", ""), tag.attrs.get("src", "")
                    out.append(f"{alt} ({src})" if alt else src)
                elif tag.name == "br":
                    out.append("\n")
    while links:
        close_link()
    return _restore_urls("".join(out), urls).strip()


MAX_MARKDOWN_LINE = 10_000
_SLOT = "\ue000{}\ue001"  # private-use characters: never in a README, never Markdown syntax


def _protect_urls(line: str) -> tuple[str, list[str]]:
    """Bare URLs replaced by placeholders, so that "_" and "*" in them are not read as emphasis
    ("https://x.org/_data_/v1" stays as written)."""
    urls: list[str] = []
    out, position = [], 0
    for start, end, url in find_urls(line):
        if line[max(0, start - 1):start] in ("(", "[", "<") or "](" in url:
            continue  # a link's text or target, or an autolink: Markdown's own
        if url not in urls:
            urls.append(url)
        out += [line[position:start], _SLOT.format(urls.index(url))]
        position = end
    out.append(line[position:])
    return "".join(out), urls


def _restore_urls(text: str, urls: list[str]) -> str:
    for index, url in enumerate(urls):
        text = text.replace(_SLOT.format(index), url)
    return text


def language_of(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    cjk = sum(1 for c in letters if _CJK.match(c))
    return "zh" if letters and cjk / len(letters) > 0.2 else "en"


def _lines(raw: str, number: int) -> list[Line]:
    """A source line as plain-text lines (a <br> in the middle of it breaks it; a backslash at
    its end is Markdown's hard line break, not text)."""
    if raw.endswith("\\") and not raw.endswith("\\\\"):
        raw = raw[:-1]
    parts = [inline_text(part) for part in _BR.split(raw)]
    return [Line(number, part) for part in parts if part.strip()]


def _heading(line: str) -> str | None:
    """The title of a section heading (`## Title`, `***Title***`, `**Title**`, `__Title__`), or None.

    Read with string operations: patterns with optional trailing parts backtrack badly on long
    lines of spaces."""
    hashes = len(line) - len(line.lstrip("#"))
    if 2 <= hashes <= 6 and line[hashes:hashes + 1] in (" ", "\t"):
        title = line[hashes:].strip().rstrip("#").strip()
    else:
        core = line.rstrip(" \t:：")
        title = None
        for marker, forbidden in (("***", ""), ("**", "*"), ("__", "_")):
            if core.startswith(marker) and core.endswith(marker) and len(core) > 2 * len(marker):
                inner = core[len(marker):-len(marker)]
                if inner[:1] == marker[0] or (forbidden and forbidden in inner):
                    continue
                title = inner
                break
    if not title:
        return None
    title = inline_text(title).strip().rstrip(":：").strip()
    return title or None


def _title(line: str) -> str | None:
    """The title of a `# Title` line, or None."""
    if not line.startswith("#") or line[1:2] not in (" ", "\t"):
        return None
    title = line[1:].strip().rstrip("#").strip()
    return inline_text(title) if title else None


def split_halves(text: str, name: str) -> list[Half]:
    """Titles, sections and the text before them, in order; then a half per language."""
    halves: list[Half] = []
    banner: list[Line] = []  # text above the first title
    in_comment, fence = False, ""
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if fence or stripped.startswith(("```", "~~~")):
            # A code block is text as written (a "# comment" in it is no heading).
            marker = stripped[:3]
            fence = "" if fence and stripped.startswith(fence) else (fence or marker)
            lines = [Line(number, raw.rstrip())] if raw.strip() else []
        else:
            if in_comment or stripped.startswith("<!--"):
                # A comment (the export's data block among them) is not text of the README;
                # text after it on the same line is.
                if "-->" not in stripped:
                    in_comment = True
                    continue
                in_comment = False
                raw = raw[raw.index("-->") + 3:]
                stripped = raw.strip()
            stripped = _BR.sub("", stripped).strip()
            title = _title(stripped)
            if title:
                halves.append(Half("", title, number))
                continue
            heading = _heading(stripped)
            if heading:
                if not halves:
                    halves.append(Half("", None, number))
                halves[-1].sections.append(Section(heading, number))
                continue
            if not stripped:
                continue
            lines = _lines(raw.strip(), number)
        if not halves:
            banner += lines
        elif halves[-1].sections:
            halves[-1].sections[-1].lines += lines
        else:
            halves[-1].preamble += lines
    # A "# Heading" with text but no sections (an appendix at the end, say) is a section of the
    # half before it; one before every half is part of the banner of the next.
    kept: list[Half] = []
    for half in halves:
        if half.sections:
            half.preamble[:0] = banner
            banner = []
            kept.append(half)
        elif kept:
            kept[-1].sections.append(Section(half.title or "", half.number, half.preamble))
        else:
            banner += [Line(half.number, half.title)] if half.title else []
            banner += half.preamble
    halves = kept
    if not halves:
        raise ImportFailure(
            f"{name}: does not look like a dataset README: expected a '# Title' followed by "
            "'***Section***' (or '## Section') headings"
        )
    for half in halves:
        for section in half.sections:
            # A section's language is its title's (a mirror list in Chinese is mostly URLs).
            has_letters = any(c.isalpha() for c in section.title)
            section.language = language_of(section.title if has_letters else section.text())
        if half.title and any(c.isalpha() for c in half.title):
            half.language = language_of(half.title)
        else:
            half.language = language_of(" ".join(s.title + s.text() for s in half.sections))
    return _split_untitled(halves)


def _split_untitled(halves: list[Half]) -> list[Half]:
    """A README whose second language has no title: its sections follow the first half's, in
    the other language. They become a half of their own (without a title)."""
    out = []
    for index, half in enumerate(halves):
        first = half.sections[0].language
        other = "zh" if first == "en" else "en"
        titled_other = any(h.language == other for i, h in enumerate(halves) if i != index)
        switch = next((i for i in range(1, len(half.sections))
                       if all(s.language == other for s in half.sections[i:])), None)
        if titled_other or switch is None:
            out.append(half)
            continue
        out += [Half(first, half.title, half.number, half.sections[:switch], half.preamble),
                Half(other, None, half.sections[switch].number, half.sections[switch:])]
    return out


# --- what each section is ----------------------------------------------------------------------

def _mirror_parts(text: str) -> tuple[str, str, str | None, str] | None:
    """(label, url, code, rest) of a line with one web URL; `rest`: text that is none of them."""
    urls = [u for u in find_urls(text) if u[2].lower().startswith(("http://", "https://"))]
    if len(urls) != 1 or len(find_urls(text)) != 1:
        return None
    start, end, url = urls[0]
    before, after = text[:start], text[end:]
    code_match = _CODE.search(before + " " + after)
    code = code_match.group(1) if code_match else None
    if not code:
        query = parse_qs(urlsplit(url).query)
        code = next((values[0] for key, values in query.items() if key.lower() in ("pwd", "password", "code")
                     and re.fullmatch(r"[A-Za-z0-9]{1,32}", values[0])), None)
    label = _CODE_IN_PARENS.sub("", before)
    label = re.sub(r"(?:\s+at)?\s*[（(]\s*$", "", label)  # "Label at ( URL )", "Label (URL)" of a link
    label = label.strip().rstrip(":：-—").strip().lstrip("-*•+ ").strip()
    rest = _CODE_IN_PARENS.sub("", after)
    if code_match:
        rest = rest.replace(code_match.group(0), "")
    rest = re.sub(r"^[\s)）:：.,;，。；]+|[\s(（:：.,;，。；]+$", "", rest)
    if not label:
        label, rest = rest, ""
    return label, url, code, rest


def _is_label(text: str) -> bool:
    """A mirror's name, not a sentence: short, a few words at most."""
    return len(text) <= 60 and len(re.findall(r"[A-Za-z]+", text)) <= 6 and "\n" not in text \
        and not re.search(r"[.。!?！？]\s*\S", text)


def parse_mirror_line(text: str) -> tuple[str, str, str | None] | None:
    """(label, url, code) of a mirror line, or None when the line is not exactly one."""
    parts = _mirror_parts(text)
    if parts is None:
        return None
    label, url, code, rest = parts
    if rest or not _is_label(label):
        return None
    return label or urlsplit(url).hostname or url, url, code


# The heading of the files of a release, as `datasite export readme` writes it in each language.
_RELEASE_TITLES = [re.compile("^" + re.escape(UI[lang]["files_of_release"]).replace(r"\{version\}", r"(?P<version>\S+)")
                              .replace(r"\{date\}", r"(?P<date>\d{4}-\d{2}-\d{2})") + "$") for lang in LANGUAGES]
_FILE_ROW = re.compile(r"^\|\s*(?P<name>[^|]+?)\s*\|[^|]*?(?P<size>\d+) B\)?\s*\|\s*(?P<sha256>[0-9a-f]{64})\s*\|$")


def classify(section: Section) -> None:
    title = section.title.lower()
    texts = [line.text for line in section.lines]
    if any(pattern.match(section.title) for pattern in _RELEASE_TITLES):
        section.kind = "release"
    elif re.search(r"contact|联系", title):
        section.kind = "contact"
    elif re.search(r"related|other datasets?|sibling|相关数据|其他数据", title):
        section.kind = "related"
    elif re.search(r"how to cite|citation|citing|^cite|引用", title):
        section.kind = "citation"
    elif re.search(r"publication|papers?|references?|文献|论文|成果", title):
        section.kind = "publications"
    elif _mirror_section(title, texts):
        section.kind = "mirrors"
        if re.search(r"china|chinese mainland|中国|国内|大陆", title):
            section.region = "china"
        elif re.search(r"international|abroad|global|overseas|国际|海外|境外", title):
            section.region = "international"
        else:
            section.region = slug(section.title) or "mirrors"


def _mirror_section(title: str, texts: list[str]) -> bool:
    """Mirror lines make a mirror section: one is enough under a title that says so, else most
    of its lines."""
    mirrors = sum(1 for t in texts if parse_mirror_line(t))
    if re.search(r"mirror|download|access|where to get|storage|镜像|下载|获取|存储", title):
        return mirrors >= 1
    return mirrors >= 2 and mirrors * 3 >= len(texts) * 2


def slug(text: str) -> str:
    """An id: lowercase ASCII words joined by hyphens, starting with a letter ("" if none)."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return f"m-{value}" if value[:1].isdigit() else value


BAND = 12  # how far the alignment may stray from the halves' common order, in sections


def align(first: list[Section], second: list[Section]) -> list[tuple[Section | None, Section | None]]:
    """Pair two halves' sections in order, skipping what has no counterpart: sections that share
    numbers and links pair best; sections of unlike length pair worse.

    A dynamic programme over a band around the diagonal: linear in the number of sections."""
    def signature(section: Section) -> tuple[set[str], int]:
        text = section.text()
        return invariant_tokens(text), max(1, len(text))

    a, b = [signature(s) for s in first], [signature(s) for s in second]
    n, m = len(first), len(second)

    def score(i: int, j: int) -> float:
        (ta, la), (tb, lb) = a[i], b[j]
        same_kind = first[i].kind == second[j].kind
        tokens = len(ta & tb) / len(ta | tb) if ta | tb else 0.5
        ratio = min(la, lb * 2.5) / max(la, lb * 2.5)  # Chinese is about 2.5 times denser
        return (0.5 if same_kind else -1.0) + tokens + 0.3 * ratio

    def in_band(i: int, j: int) -> bool:
        return abs(j - (i * m // n if n else 0)) <= BAND

    best: dict[tuple[int, int], float] = {}

    def value(i: int, j: int) -> float:
        if i == n and j == m:
            return 0.0
        return best.get((i, j), float("-inf"))

    for i in range(n, -1, -1):
        centre = i * m // n if n else 0
        for j in range(min(m, centre + BAND), max(0, centre - BAND) - 1, -1):
            if (i, j) == (n, m) or not in_band(i, j):
                continue
            options = [value(i + 1, j) if i < n else float("-inf"), value(i, j + 1) if j < m else float("-inf")]
            if i < n and j < m:
                options.append(score(i, j) + value(i + 1, j + 1))
            best[(i, j)] = max(options)
    pairs, i, j = [], 0, 0
    while i < n or j < m:
        if i < n and j < m and score(i, j) > 0 and value(i, j) == score(i, j) + value(i + 1, j + 1):
            pairs.append((first[i], second[j]))
            i, j = i + 1, j + 1
        elif i < n and (j >= m or value(i, j) == value(i + 1, j)):
            pairs.append((first[i], None))
            i += 1
        else:
            pairs.append((None, second[j]))
            j += 1
    return pairs


class Ids:
    """Unique ids from names: "archive", "archive-2", … (a counter per name, so linear)."""

    def __init__(self, taken: set[str] | None = None):
        self.taken = set(taken or ())
        self.next: dict[str, int] = {}

    def make(self, base: str) -> str:
        ident, n = base, self.next.get(base, 2)
        while ident in self.taken:
            ident, n = f"{base}-{n}", n + 1
        self.next[base] = n
        self.taken.add(ident)
        return ident


# --- the importer ------------------------------------------------------------------------------

class Importer:
    def __init__(self, text: str, name: str, folder: Path | None = None):
        self.name = name
        self.folder = folder
        self.warnings: list[str] = []
        self.represented: set[int] = set()  # lines whose content is in a field other than as text
        self.license_lines: dict[str, re.Match] = {}
        self.halves = split_halves(text, name)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"{self.name}:{line}: {message}" if line else f"{self.name}: {message}")

    def run(self) -> ImportResult:
        halves: dict[str, Half] = {}
        for half in self.halves:
            for section in half.sections:
                classify(section)
            if half.language in halves:
                self.warn(half.number, f"a second {half.language} half ('{half.title}'): its sections are added "
                                       "to the first one")
                halves[half.language].sections += half.sections
                halves[half.language].preamble += half.preamble
            else:
                halves[half.language] = half
        self.pair_regions(halves)
        for language in LANGUAGES:
            if language not in halves:
                other = next(iter(halves.values()))
                self.warn(None, f"no {language} half: the {language} texts are copies of the {other.language} "
                                "ones; translate them")
                halves[language] = other
        self.by_language = halves
        titles = self.titles()
        data: dict = {"id": "", "name": {}, "title": titles, "description": {}}
        site_url, notice = self.preamble()
        if site_url:
            data["site_url"] = site_url
        clauses = self.clauses()
        data["name"] = self.names(titles)
        data["id"] = slug(data["name"]["en"]) or "dataset"
        data["description"] = self.descriptions(titles, data["name"], clauses)
        if notice:
            data["notice"] = notice
        data["license"] = self.license(clauses)
        data["article"] = self.article(clauses, data["name"], notice)
        regions, mirrors = self.mirrors()
        data["regions"] = regions
        data["mirrors"] = mirrors
        data["clauses"] = clauses
        data["contact"] = self.contact()
        publications = self.listed()
        if publications:
            data["publications"] = publications
        related = self.related()
        if related:
            data["related_datasets"] = related
        releases = self.releases()
        if releases:
            data["releases"] = releases
        self.check_nothing_lost(data)
        return ImportResult(data, self.warnings)

    @staticmethod
    def pair_regions(halves: dict[str, Half]) -> None:
        """Mirror sections are paired by position; a region named in either half names both, and
        each pair is a region of its own ("china", "china-2")."""
        lists = [[s for s in half.sections if s.kind == "mirrors"] for half in halves.values()]
        ids = Ids()
        for index in range(max(map(len, lists))):
            pair = [sections[index] for sections in lists if index < len(sections)]
            known = next((s.region for s in pair if s.region in ("china", "international")), None)
            english = next((s for s in pair if language_of(s.title) == "en"), None)
            region = ids.make(known or (slug(english.title) if english else "") or f"region-{index + 1}")
            for section in pair:
                section.region = region

    def sections(self, language: str, kind: str) -> list[Section]:
        return [s for s in self.by_language[language].sections if s.kind == kind]

    def both(self, pair: dict[str, object | None], what: str, number: int) -> dict:
        """A value per language: the missing one is a copy of the other, and the maintainer is told."""
        present = {lang: v for lang, v in pair.items() if v}
        for lang in LANGUAGES:
            if not pair.get(lang):
                self.warn(number, f"{what} has no {lang} counterpart: its {lang} text is a copy; translate it")
                pair[lang] = next(iter(present.values()))
        return pair

    # --- texts ----------------------------------------------------------------------------------

    def titles(self) -> dict[str, str]:
        titles = {lang: self.by_language[lang].title for lang in LANGUAGES}
        if all(titles.values()):
            return titles
        if not any(titles.values()):
            fallback = self.by_language[LANGUAGES[0]].sections[0].title
            self.warn(None, f"no '# Title' line: the title is the first section's, '{fallback}'")
            return {lang: fallback for lang in LANGUAGES}
        for lang in LANGUAGES:
            if not titles[lang]:
                other = next(t for t in titles.values() if t)
                self.warn(self.by_language[lang].number, f"no {lang} title: it is a copy of '{other}'; translate it")
                titles[lang] = other
        return titles

    def preamble(self) -> tuple[str | None, dict | None]:
        """Text before the first section: a website line (site_url), language links (dropped:
        the site has its own switch), and everything else as the home page's notice."""
        site_url = None
        texts: dict[str, str] = {}
        first = {}
        for lang in LANGUAGES:
            half = self.by_language[lang]
            kept = []
            for line in half.preamble:
                parts = [p.strip() for p in line.text.split(" · ")]
                rest = []
                for part in parts:
                    website, license_line = _WEBSITE.match(part), _LICENSE_LINE.match(part)
                    if website:
                        site_url = site_url or website["url"]
                    elif license_line:
                        self.license_lines.setdefault(lang, license_line)
                    elif not re.fullmatch(r"(English|中文|Chinese|简体中文)( \(#[^)]*\))?", part):
                        rest.append(part)  # (a language switch is left out: the site has its own)
                if rest and len(rest) == len(parts):
                    kept.append(line.text)
                elif rest:
                    kept.append(" · ".join(rest))
                else:
                    self.represented.add(line.number)
                first.setdefault(lang, line.number)
            if kept:
                texts[lang] = "\n".join(kept)
        if not texts:
            return site_url, None
        if self.by_language["en"] is self.by_language["zh"]:
            return site_url, {lang: texts[LANGUAGES[0]] if LANGUAGES[0] in texts else next(iter(texts.values()))
                              for lang in LANGUAGES}
        return site_url, self.both(dict(texts), "the text before the first section", min(first.values()))

    def clauses(self) -> list[dict]:
        en, zh = self.sections("en", "clause"), self.sections("zh", "clause")
        if self.by_language["en"] is self.by_language["zh"]:
            pairs = [(s, s) for s in en]
        else:
            pairs = align(en, zh)
        clauses, ids = [], Ids()
        for index, (first, second) in enumerate(pairs):
            pair = self.both({"en": first, "zh": second}, f"section '{(first or second).title}'",
                             (first or second).number)
            clause_id = ids.make(slug(pair["en"].title) or slug(pair["zh"].title) or f"clause-{index + 1}")
            body = {lang: pair[lang].text() or pair[lang].title for lang in LANGUAGES}
            if pair["en"] is not pair["zh"] and invariant_tokens(body["en"]) != invariant_tokens(body["zh"]):
                only_en = sorted(invariant_tokens(body["en"]) - invariant_tokens(body["zh"]))
                only_zh = sorted(invariant_tokens(body["zh"]) - invariant_tokens(body["en"]))
                self.warn(pair["zh"].number, f"sections '{pair['en'].title}' and '{pair['zh'].title}' differ in "
                                             f"numbers or links (only in en: {', '.join(only_en) or '-'}; only in "
                                             f"zh: {', '.join(only_zh) or '-'}); `datasite check` will ask you to fix it")
            clauses.append({"id": clause_id, "title": {lang: pair[lang].title for lang in LANGUAGES}, "body": body})
        if not clauses:
            self.warn(None, "no terms found: add clauses to dataset.yml")
            clauses.append({"id": "terms", "title": {"en": "Terms", "zh": "条款"},
                            "body": {"en": "TODO: the terms of use.", "zh": "TODO：使用条款。"}})
        return clauses

    def names(self, titles: dict[str, str]) -> dict:
        names = {}
        everything = {lang: "\n".join(line.text for s in self.by_language[lang].sections for line in s.lines)
                      for lang in LANGUAGES}
        for lang, pattern in (("en", r'data source as\s+[“"]([^"”\n]+)[”"]'), ("zh", r"“([^”\n]+)”")):
            found = re.search(pattern, everything[lang])
            names[lang] = found.group(1) if found else re.sub(
                r"^(Download and License of|Download and license of)\s+|的下载方式及许可协议$", "", titles[lang])
        return names

    def descriptions(self, titles: dict, names: dict, clauses: list[dict]) -> dict:
        """A starting point (50 to 600 characters): the title, then the first section's text."""
        first = clauses[0]["body"] if clauses else {lang: names[lang] for lang in LANGUAGES}
        descriptions = {}
        for lang in LANGUAGES:
            stop = ". " if lang == "en" else "。"
            text = (titles[lang] + stop + first[lang]).replace("\n", " ")
            while len(text) < 50:
                text += stop + names[lang]
            descriptions[lang] = text if len(text) <= 600 else text[:599].rstrip() + "…"
        self.warn(None, "description: made from the title and the first section; write a proper one")
        return descriptions

    def license(self, clauses: list[dict]) -> dict:
        if self.license_lines:  # "License: CC BY 4.0 (https://…) — Creative Commons …", as datasite writes it
            first = next(iter(self.license_lines.values()))
            short, url = first["short"].strip(), first["url"]
            names = {lang: (line["name"] or short).strip() for lang, line in self.license_lines.items()}
            spdx = _creative_commons(short)[0] if _LICENSE.fullmatch(short) else short
            return {"name": self.both(names, "the license line", None), "short": short, "spdx": spdx, "url": url}
        text = {lang: "\n".join(c["body"][lang] for c in clauses) for lang in LANGUAGES}
        found = _LICENSE.search(text["en"]) or _LICENSE.search(text["zh"])
        if not found:
            self.warn(None, "no Creative Commons license found: fill in `license` (it is set to CC BY 4.0)")
            short = "CC BY 4.0"
        else:
            short = re.sub(r"\s+", " ", found.group(0).replace("CCBY", "CC BY"))
        spdx, url = _creative_commons(short)
        names = {}
        for lang, pattern in (("en", r"under the ([^;()\n]+?)\s*\(\s*" + re.escape(short)),
                              ("zh", r"遵循([^。；（(\n]+?)\s*[（(]\s*" + re.escape(short))):
            match = re.search(pattern, text[lang])
            names[lang] = match.group(1).strip() if match else short
        return {"name": names, "short": short, "spdx": spdx, "url": url}

    _DOI_FORMS = r"(?:https?://(?:dx\.)?doi\.org/|doi\.org/|DOI\s*[:：]?\s*)(?P<doi>10\.\d{4,9}/[^\s)）,;]+)"
    _SHORT_REFERENCE = re.compile(
        r"(?P<given>[A-Z][\w-]{0,40})\s+(?P<family>[A-Z][\w-]{0,40})(?P<etal>\s+et al\.?)?,?\s+(?P<title>[^.]{1,300}?)[.,]\s+"
        r"(?P<journal>[A-Z][^.(]{1,200}?)\s*\((?P<year>\d{4})\),?\s*" + _DOI_FORMS)
    _APA_REFERENCE = re.compile(
        r"(?P<family>[A-Z][\w-]{0,40}),\s+(?P<given>[A-Z][\w.\s-]{0,40}?)(?P<etal>,?\s+(?:et al\.|…|&)[^(]{0,500})?\s*"
        r"\((?P<year>\d{4})\)\.\s+(?P<title>[^.]{1,300})\.\s+(?P<journal>[^,.]{1,200}?)(?:,\s*(?P<volume>\d+)(?:\((?P<issue>[^)]+)\))?)?"
        r"(?:,\s*(?P<pages>[\w–-]+))?\.\s*" + _DOI_FORMS)

    def article(self, clauses: list[dict], names: dict, notice: dict | None) -> dict:
        texts = [c["body"]["en"] for c in clauses] + [s.text() for s in self.sections("en", "citation")]
        texts += [notice["en"]] if notice else []
        for text in texts:
            found = self._SHORT_REFERENCE.search(text) or self._APA_REFERENCE.search(text)
            if found:
                authors = [{"family": found["family"], "given": found["given"].strip().rstrip(",")}]
                et_al = bool(found["etal"])
                listed = re.findall(r"([A-Z][\w-]+),\s+((?:[A-Z]\.\s*)+)", found["etal"] or "")
                if listed and "et al" not in found["etal"]:  # an APA list of every author
                    authors += [{"family": family, "given": given.strip()} for family, given in listed]
                    et_al = False
                article = {
                    "authors": authors,
                    "et_al": et_al,
                    "title": found["title"].strip(),
                    "journal": found["journal"].strip(),
                    "year": int(found["year"]),
                }
                groups = found.groupdict()
                for key in ("volume", "issue", "pages"):
                    if groups.get(key):
                        article[key] = groups[key].replace("–", "-")
                article["doi"] = found["doi"].rstrip(".,;)")
                return article
        self.warn(None, "no source article found (Author et al. Title. Journal (Year), https://doi.org/…): "
                        "fill in `article`")
        return {"authors": [{"family": "Unknown", "given": "Unknown"}], "title": names["en"],
                "journal": "Unknown", "year": 2000}

    # --- mirrors --------------------------------------------------------------------------------

    def mirrors(self) -> tuple[list[dict], list[dict]]:
        mirrors: dict[str, Mirror] = {}
        region_titles: dict[str, dict[str, str]] = {}
        notes: dict[str, dict[str, list[str]]] = {}
        note_lines: dict[str, int] = {}
        for lang in LANGUAGES:
            if lang == "zh" and self.by_language["zh"] is self.by_language["en"]:
                break
            for section in self.sections(lang, "mirrors"):
                region_titles.setdefault(section.region, {})[lang] = section.title
                for line in section.lines:
                    parsed = parse_mirror_line(line.text)
                    if not parsed:
                        # A shared password, an FTP address, a remark: the region's note, verbatim.
                        notes.setdefault(section.region, {}).setdefault(lang, []).append(line.text)
                        note_lines.setdefault(section.region, line.number)
                        if "://" in line.text:
                            self.warn(line.number, f"'{line.text[:60]}' is not a plain mirror line (label, URL, "
                                                   "code): kept as a note of its region; make it a mirror in "
                                                   "dataset.yml if it is one")
                        continue
                    label, url, code = parsed
                    self.represented.add(line.number)
                    mirror = mirrors.setdefault(url, Mirror(url, {}, {}, section.region, {}))
                    mirror.labels[lang] = label
                    mirror.lines[lang] = line.number
                    if code:
                        mirror.codes[lang] = (code, line.number)
        regions = []
        for region, titles in region_titles.items():
            for lang in LANGUAGES:
                titles.setdefault(lang, titles.get("en") or titles.get("zh"))
            entry = {"id": region, "title": {lang: titles[lang] for lang in LANGUAGES}}
            if region == "china":
                entry["first_for_languages"] = ["zh"]
            if region in notes:
                texts = {lang: "\n".join(lines) for lang, lines in notes[region].items()}
                if self.by_language["zh"] is self.by_language["en"]:
                    texts = {lang: next(iter(texts.values())) for lang in LANGUAGES}
                entry["note"] = self.both(texts, f"the note of region '{region}'", note_lines[region])
            regions.append(entry)
        result, ids = [], Ids({r["id"] for r in regions})
        for mirror in mirrors.values():
            for lang in LANGUAGES:
                if lang not in mirror.labels:
                    if self.by_language["zh"] is not self.by_language["en"]:
                        other = next(iter(mirror.lines.values()))
                        self.warn(other, f"mirror {mirror.url} is listed in {', '.join(mirror.labels)} only")
                    mirror.labels[lang] = next(iter(mirror.labels.values()))
            codes = {code for code, _ in mirror.codes.values()}
            code = None
            if len(codes) > 1:
                details = "; ".join(f"{lang}: {c} (line {n})" for lang, (c, n) in mirror.codes.items())
                query = parse_qs(urlsplit(mirror.url).query)
                in_url = next((v[0] for k, v in query.items() if k.lower() in ("pwd", "password", "code")), None)
                code = in_url if in_url in codes else mirror.codes.get("en", next(iter(mirror.codes.values())))[0]
                self.warn(min(n for _, n in mirror.codes.values()),
                          f"mirror {mirror.url} has different codes: {details}; kept {code}")
            elif codes:
                code = codes.pop()
            base = slug(mirror.labels["en"]) or slug(urlsplit(mirror.url).hostname or "") or "mirror"
            entry = {"id": ids.make(base), "region": mirror.region,
                     "label": {lang: mirror.labels[lang] for lang in LANGUAGES}, "url": mirror.url}
            if code:
                entry["code"] = code
            result.append(entry)
        if not result:
            return self.no_mirrors(regions)
        return regions, result

    def no_mirrors(self, regions: list[dict]) -> tuple[list[dict], list[dict]]:
        """No mirror list: the data lies in the repository beside the README, whose web address
        git knows; without one, a placeholder to fill in."""
        url = repository_url(self.folder) if self.folder else None
        title = self.halves[0].number
        if url:
            self.warn(title, f"no mirror list: the repository {url} is the one mirror (the data lies beside "
                             "the README); add mirrors to dataset.yml if there are others")
            host = urlsplit(url).hostname or "repository"
            label = {"github.com": "GitHub", "gitlab.com": "GitLab", "gitee.com": "Gitee"}.get(host, host)
            mirror_label = {"en": label, "zh": label}
        else:
            url = "https://example.org/replace-with-the-download-address"
            self.warn(title, f"no mirror list and no git remote: mirror 'download' is a placeholder ({url}); "
                             "fill in `mirrors` in dataset.yml")
            mirror_label = {"en": "Download", "zh": "下载"}
        region = {"id": "repository", "title": {"en": "Download", "zh": "下载地址"}}
        return regions + [region], [{"id": "download", "region": "repository", "label": mirror_label, "url": url}]

    # --- contact, publications, related datasets ------------------------------------------------

    def contact(self) -> dict:
        contact: dict = {"person": {}, "intro": {}}
        for lang in LANGUAGES:
            lines = [line for section in self.sections(lang, "contact") for line in section.lines]
            intro = []
            for line in lines:
                text = line.text
                emails, wechat = find_emails(text), _WECHAT.search(text)
                urls = [u for _, _, u in find_urls(text) if u.lower().startswith("http")]
                if emails:
                    contact["email"] = emails[0][2]
                if wechat:
                    contact["wechat"] = wechat.group(1)
                if urls and not emails:
                    contact["url"] = urls[0]
                # A line that is only "Email: address" is the field; any other text stays, verbatim.
                rest = text
                for value in [e for _, _, e in emails] + urls + ([wechat.group(0)] if wechat else []):
                    rest = rest.replace(value, "")
                rest = _CONTACT_LABEL.sub("", rest).strip(" \t-*•:：,，;；.。()（）`")
                if rest or len(emails) > 1 or not (emails or wechat or urls):
                    intro.append(text)
                else:
                    self.represented.add(line.number)
            if intro:
                contact["intro"][lang] = "\n".join(intro)
            first = intro[0] if intro else ""
            person = re.search(r"contact\s+(.+?)\.?$", first) if lang == "en" else re.search(r"联系(.+?)[。.]?$", first)
            contact["person"][lang] = person.group(1) if person else ""
        for key in ("person", "intro"):
            values = contact[key]
            if not any(values.values()):
                del contact[key]
                continue
            for lang in LANGUAGES:
                values[lang] = values.get(lang) or next(v for v in values.values() if v)
        if "person" not in contact:
            self.warn(None, "no contact person found: fill in `contact.person`")
            contact["person"] = {lang: "—" for lang in LANGUAGES}
        return contact

    def listed(self) -> list[dict]:
        """Publications, paired line by line; references in a citation section other than the
        formats datasite itself writes (APA, GB/T, the dataset) are publications too."""
        for section in self.sections("en", "citation") + self.sections("zh", "citation"):
            self.represented |= {line.number for line in section.lines if _CITATION_ENTRY.match(line.text)}
        lines = {lang: [line for s in self.sections(lang, "publications") for line in s.lines]
                 + [line for s in self.sections(lang, "citation") for line in s.lines
                    if not _CITATION_ENTRY.match(line.text)] for lang in LANGUAGES}
        if self.by_language["zh"] is self.by_language["en"]:
            return [{"text": {lang: line.text for lang in LANGUAGES}} for line in lines["en"]]
        out = []
        for index in range(max(len(lines["en"]), len(lines["zh"]))):
            pair = {lang: lines[lang][index] if index < len(lines[lang]) else None for lang in LANGUAGES}
            present = next(line for line in pair.values() if line is not None)
            if None in pair.values():
                self.warn(present.number, "a publication without a counterpart in the other language: copied")
            out.append({"text": {lang: (pair[lang] or present).text for lang in LANGUAGES}})
        return out

    def related(self) -> list[dict]:
        found: dict[str, dict] = {}
        for lang in LANGUAGES:
            for section in self.sections(lang, "related"):
                last = None
                for line in section.lines:
                    parts = _mirror_parts(line.text)
                    if not parts:
                        if last is None:
                            self.warn(line.number, f"'{line.text[:60]}' comes before any related dataset: "
                                                   "not imported")
                            continue
                        # A remark below a dataset's line: part of its note, verbatim.
                        notes = last.setdefault("note", {})
                        notes[lang] = (notes[lang] + "\n" + line.text) if notes.get(lang) else line.text
                        continue
                    label, url, _, rest = parts
                    last = entry = found.setdefault(url, {"name": {}, "url": url})
                    entry["name"][lang] = label or url
                    if rest:
                        entry.setdefault("note", {})[lang] = rest.lstrip("—–- ").strip()
                    self.represented.add(line.number)
        out = []
        for entry in found.values():
            for key in ("name", "note"):
                if key in entry:
                    for lang in LANGUAGES:
                        entry[key].setdefault(lang, next(iter(entry[key].values())))
            out.append(entry)
        return out

    def releases(self) -> list[dict]:
        """The files of a release, from the table `datasite export readme` writes."""
        out = []
        for lang in LANGUAGES:
            for section in self.sections(lang, "release"):
                for line in section.lines:
                    if line.text.startswith("|") and line.text.endswith("|"):
                        self.represented.add(line.number)  # a row of the table, its header or its rule
        for section in self.sections(LANGUAGES[0], "release") or self.sections(LANGUAGES[1], "release"):
            title = next(m for m in (p.match(section.title) for p in _RELEASE_TITLES) if m)
            files = []
            for line in section.lines:
                row = _FILE_ROW.match(line.text)
                if row:
                    files.append({"name": row["name"], "size": int(row["size"]), "sha256": row["sha256"]})
            out.append({"version": title["version"], "date": date.fromisoformat(title["date"]), "files": files})
        return out

    # --- the guarantee ------------------------------------------------------------------------------

    def check_nothing_lost(self, data: dict) -> None:
        """Every URL, email, code and line of the input is in the output, or named here.

        Linear in the size of the README: output lines and tokens go into sets once."""
        strings = text_values(data)
        lines_out = {line.strip() for text in strings for line in text.split("\n")}
        tokens_out = set(strings)
        for text in strings:
            tokens_out |= {url for _, _, url in find_urls(text)}
            tokens_out |= {email for _, _, email in find_emails(text)}
            tokens_out |= set(_CODE.findall(text))
        for half in self.halves:
            for line in half.preamble + [line for section in half.sections for line in section.lines]:
                self._check_line(line, lines_out, tokens_out)

    def _check_line(self, line: Line, lines_out: set[str], tokens_out: set[str]) -> None:
        """A line is kept verbatim in a field, or it is a value datasite keeps in its own field (a
        mirror line, "Email: address", a citation format it writes itself); its links, emails and
        codes are in the output either way."""
        missing = [url for _, _, url in find_urls(line.text) if url not in tokens_out and doi_of_url(url) not in tokens_out]
        missing += [e for _, _, e in find_emails(line.text) if e not in tokens_out]
        missing += [c for c in _CODE.findall(line.text) if c not in tokens_out]
        if missing:
            self.warn(line.number, f"not imported: {', '.join(missing)} (in '{line.text[:60]}')")
        elif line.number not in self.represented and line.text.strip() not in lines_out:
            self.warn(line.number, f"paragraph not imported: '{line.text[:60]}…'")


def _creative_commons(short: str) -> tuple[str, str]:
    """SPDX id and deed URL of a Creative Commons license named like "CC BY-NC 4.0"."""
    parts = re.match(r"CC\s?(BY(?:-(?:NC|ND|SA)){0,2}|0)\s?(\d\.\d)", short)
    kind, version = parts.group(1), parts.group(2)
    if kind == "0":
        return "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"
    return f"CC-{kind}-{version}", f"https://creativecommons.org/licenses/{kind.lower()}/{version}/"


def repository_url(folder: Path) -> str | None:
    """The web address of the git repository that holds `folder` (its `origin`), if any."""
    try:
        result = subprocess.run(["git", "-C", str(folder), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    remote = result.stdout.strip()
    ssh = re.fullmatch(r"(?:ssh://)?git@([\w.-]+)[:/]([\w./-]+?)(?:\.git)?/?", remote)
    if ssh:
        remote = f"https://{ssh.group(1)}/{ssh.group(2)}"
    elif re.fullmatch(r"https?://[^\s@]+", remote):
        remote = re.sub(r"\.git/?$", "", remote)
    else:
        return None
    return remote


def text_values(value) -> list[str]:
    """Every string of a data tree (dataset.yml as Python data), in order."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in text_values(v)]
    if isinstance(value, list):
        return [s for v in value for s in text_values(v)]
    return [str(value)]


def embedded_data(text: str, name: str) -> tuple[dict | None, str | None]:
    """The data a README written by `datasite export readme` was made from, if its text is unchanged;
    else (None, why not)."""
    match = _DATA_BLOCK.search(text)
    if not match:
        return None, None
    try:
        data = json.loads(match.group("json"))
    except (ValueError, RecursionError):
        return None, "its datasite-data block is damaged"
    from .render.readme import render_readme
    from .validation import SchemaError, validate

    try:
        dataset = validate(data)
    except SchemaError:
        return None, "its datasite-data block is not a valid dataset"
    if render_readme(dataset) != text:
        return None, "it was edited after `datasite export readme`"
    return data, None


def import_readme(raw: bytes, name: str, folder: Path | None = None) -> ImportResult:
    text = decode(raw, name)
    data, why_not = embedded_data(text, name)
    if data is not None:
        return ImportResult(data, [])
    result = Importer(text, name, folder).run()
    if why_not:
        result.warnings.insert(0, f"{name}: written by datasite, but {why_not}: its text is imported")
    return result


class _Dumper(yaml.SafeDumper):
    """Multi-line texts as literal blocks (|), as a person would write them."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def to_yaml(data: dict, source: str) -> str:
    header = (f"# dataset.yml, imported from {source} by `datasite import`.\n"
              "# Check it with `datasite check`; review the description and any warnings of the import.\n\n")
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000)
