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

import dataclasses
import json
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from .problems import DatasiteError
from .loader import format_path, item_ids
from .language import KNOWN
from .model import DESCRIPTION_MINIMUM, reading_length
from .reference import Reference, parse_bibtex, parse_reference
from .repository import GitRemote, published_site_url, remote_origin, repository_url
from .review import PLACEHOLDER_HOST, ReviewItem
from .tokens import doi_of_url, find_dois, find_emails, find_urls, invariant_tokens
from .ui import UI

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# The words before an extraction code: "code:", "PASSWORD:", "The password is:", "with code 1231", "提取码".
_CODE_WORDS = (r"(?:(?i:(?<![A-Za-z])(?:(?:extract(?:ion)?\s+)?code|pwd|passcode|password|access(?:\s+code)?)"
               r"(?:\s+is)?\s*[:：=]|(?<![A-Za-z])with\s+(?:an?\s+)?(?:extract(?:ion)?\s+)?code\s*[:：]?)"
               r"|(?:提取码|密码|访问码)\s*(?:为|是)?\s*[:：=]?)")
_CODE = re.compile(_CODE_WORDS + r"\s*[`'\"“]?([A-Za-z0-9]{2,12})(?![A-Za-z0-9])")
_CODE_IN_PARENS = re.compile(r"[（(【\[]\s*(?:" + _CODE_WORDS + r"|(?i:password|passcode|pwd|code)\s)\s*[`'\"“]?"
                             r"[A-Za-z0-9]+[`'\"”]?\s*[)）】\]]")
# A line that only gives the code of the mirror above it ("-Password: xxxx", "提取码：xxxx").
_CODE_LINE = re.compile(r"[-*•]?\s*" + _CODE_WORDS + r"\s*[`'\"“]?([A-Za-z0-9]{2,12})[`'\"”]?\s*[.。]?")
# The languages a README is read in, by the records that say how (`importer:` in
# datasite/languages/): a half in Latin script and a half in Han characters, told apart by script.
IMPORTED = {code: record for code, record in KNOWN.items() if record.importer}
LATIN = next(code for code, record in IMPORTED.items() if not record.han)
HAN = next(code for code, record in IMPORTED.items() if record.han)
READ_LANGUAGES = (LATIN, HAN)

# Link texts that say nothing of where they lead: the service's name is taken from the host.
_GENERIC_LABELS = {"link", "links", "download", "download link", "here", "click here", "dataset", "data", "url",
                   "链接", "下载", "下载地址", "下载链接", "地址", "网址", "数据集", "数据", "点击这里", "这里", "点击下载"}
# Services by host (and its subdomains): what a reader calls them, per language.
SERVICES = {host: {code: IMPORTED[code].importer["services"][host] for code in READ_LANGUAGES}
            for host in IMPORTED[READ_LANGUAGES[0]].importer["services"]}


def service_of(url: str) -> dict[str, str] | None:
    host = (urlsplit(url).hostname or "").lower()
    return next((names for known, names in SERVICES.items() if host == known or host.endswith("." + known)), None)
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
    re.escape(UI[lang]["the_dataset"]) for lang in READ_LANGUAGES) + r")\s*[:：]")
KINDS = ("clause", "mirrors", "contact", "publications", "related", "citation")
# How authors ask users to name the data: the name is in the quotes that follow.
_NAMED_AS = {code: re.compile(IMPORTED[code].importer["named_as"]) for code in READ_LANGUAGES}
# The words around a name in a README's title ("Download and License of X", "X的下载方式及许可协议").
_TITLE_WORDS = (
    re.compile(r"^(?:Downloads?\s*(?:and|&)\s*Licen[cs]es?(?:\s+Agreement)?|Licen[cs]e\s*(?:and|&)\s*Downloads?)"
               r"\s+(?:of|for)\s+(?:the\s+)?", re.IGNORECASE),
    re.compile(r"\s*[:：|\-–—]\s*(?:Downloads?|Licen[cs]es?|Terms)\b.*$", re.IGNORECASE),
    re.compile(r"\s*(?:[:：|\-–—]\s*|的)?(?:下载方式及许可协议|下载及许可协议|下载与许可协议|下载方式与许可协议|下载与使用许可|下载方式|许可协议)$"),
)
# What a README says before a reference: "and cite the source article:", "请引用以下文章："
_CITE_CUE = re.compile(r"\b(?:cite|citing)\b[^:：\n]{0,80}?[:：]|引用[^:：\n]{0,30}?[:：]", re.IGNORECASE)
_CONTACT_PERSON = {code: re.compile(IMPORTED[code].importer["contact_person"]) for code in READ_LANGUAGES}
_TITLE_ONLY = re.compile(r"(?:Dr|Prof|Mr|Ms|Mrs|Professor|Doctor)\.?")  # a title is not yet a name
# Not a name, though it stands before a comma: "如有问题，…", "For questions, …".
_NOT_A_NAME = r"(?!如|若|请|欢迎|有关|关于|对于|任何|感谢|谢谢|For\b|If\b|Please\b|Questions?\b|Contact\b)"
_NAME_FIRST = {code: re.compile(_NOT_A_NAME + IMPORTED[code].importer["name_first"]) for code in READ_LANGUAGES}
# A line that only switches to the README of another language ("English | 中文说明").
_LANGUAGE_NAME = r"(?:English(?:\s+version)?|中文(?:说明|版本?)?|Chinese|简体中文|繁體中文|英文(?:版本?)?)"
_LANGUAGE_SWITCH = re.compile(rf"{_LANGUAGE_NAME}(?:\s*\([^)\s]*\))?(?:\s*[|｜/·]\s*{_LANGUAGE_NAME}(?:\s*\([^)\s]*\))?)*")
# The importer's own titles, where a README has none.
CLAUSE_TITLE = {code: IMPORTED[code].importer["clause_title"] for code in READ_LANGUAGES}
REGION_TITLE = {code: IMPORTED[code].importer["region_title"] for code in READ_LANGUAGES}
PLACEHOLDERS = {code: IMPORTED[code].importer["placeholders"] for code in READ_LANGUAGES}
# Words around a service's name in a mirror's label: "Kaggle at", "OneDrive download", "百度网盘下载链接".
_LABEL_BEFORE = re.compile(r"^(?:(?:available|also|download(?:able)?|mirrored|hosted|get\s+it|find\s+it)\s+)*"
                           r"(?:(?:at|on|from|via|in)\s+)?", re.IGNORECASE)
_LABEL_AFTER = re.compile(r"(?:\s+(?:at|on|via|from|download(?:s|\s+link|\s+address|\s+page)?|links?|mirror|url|address|"
                          r"page|here))+$|(?:下载地址|下载链接|下载|链接|地址|网址|入口)$", re.IGNORECASE)


# A section that says what the data is: its first sentences are the description.
_ABOUT = re.compile(r"^(?:about|overview|introduction|description|summary|background|dataset\s+(?:description|overview)"
                    r"|(?:about|overview of)\s+the\s+(?:data(?:set)?|\w+\s+data)|the\s+data(?:set)?)\b"
                    r"|^(?:数据集?|项目)?(?:简介|概述|介绍|概况|描述)|^数据集?说明", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"(?<=[。！？])|(?<=[.!?])(?<!et al\.)(?<! [A-Z]\.)\s+", text.replace("\n", " "))
            if t.strip()]


def _contact_person(lang: str, intro: list[str]) -> str | None:
    """Whom the contact's first line names: "please contact Dr. Mei Tan: …", "请联系周蕾。",
    "Clara Vogt, Institute of …" (the name before the affiliation), or a line that is a name."""
    first = re.sub(r"^(?:联系人|Contact(?:\s+person)?|Name|姓名)\s*[:：]\s*", "", intro[0], flags=re.IGNORECASE)
    found = _CONTACT_PERSON[lang].search(first)
    if found:
        person = found.group("person").strip().rstrip(".。").strip()
        if not _TITLE_ONLY.fullmatch(person):
            return person
    named = _NAME_FIRST[lang].match(first)
    if named:
        return named.group("person")
    untitled = re.sub(r"^(?:Dr|Prof|Mr|Ms|Mrs)\.\s+", "", first)
    if len(intro) == 1 and _is_label(untitled) and not find_urls(first) and not re.search(r"[,，。!?！？]", first) \
            and re.match(_NOT_A_NAME, first):
        return re.sub(r"(?<![A-Z])[.。]$", "", first)  # a line that only names whom to write to
    return None


def service_label(label: str, url: str) -> str:
    """The service's name from a mirror's label, without the words around it; the label as
    written when nothing would be left."""
    cleaned = _LABEL_AFTER.sub("", _LABEL_BEFORE.sub("", label)).strip(" :：-—")
    if re.fullmatch(r"[(（][^()（）]+[)）]", cleaned):
        cleaned = cleaned[1:-1].strip()  # "Download (Baidu Cloud)": the name in the brackets
    return cleaned if len(cleaned) >= 2 else label


def _title_name(title: str) -> str:
    """The dataset's name in a README's title: the title without its "Download and License" words."""
    name = title
    for pattern in _TITLE_WORDS:
        name = pattern.sub("", name).strip()
    return name or title


@dataclass(frozen=True)
class Review:
    """A value the import made, at its key path in the data: inferred or copied."""

    path: tuple
    kind: str
    source: str
    why: str


def review_items(data: dict, review: list[Review]) -> list[ReviewItem]:
    """The review list by the keys messages and `datasite confirm` use (mirrors by their id);
    two notes on one value become one item."""
    ids = item_ids(data)
    merged: dict[str, ReviewItem] = {}
    for item in review:
        key = format_path(item.path, ids)
        if key in merged:
            earlier = merged[key]
            kind = "copied" if "copied" in (earlier.kind, item.kind) else earlier.kind
            merged[key] = ReviewItem(key, kind, earlier.source, f"{earlier.why}; {item.why}")
        else:
            merged[key] = ReviewItem(key, item.kind, item.source, item.why)
    return list(merged.values())


class ImportFailure(DatasiteError):
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
    language: str = LATIN

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
    labels: dict[str, str]  # the service's name
    codes: dict[str, tuple[str, int]]  # language -> (code, line)
    region: str
    lines: dict[str, int]
    written: dict[str, str] = field(default_factory=dict)  # the label as the README has it


@dataclass
class ImportResult:
    data: dict
    warnings: list[str]
    review: list[ReviewItem] = field(default_factory=list)  # values not read verbatim, to confirm


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
    return HAN if letters and cjk / len(letters) > 0.2 else LATIN


def _lines(raw: str, number: int) -> list[Line]:
    """A source line as plain-text lines (a <br> in the middle of it breaks it; a backslash at
    its end is Markdown's hard line break, not text)."""
    if raw.endswith("\\") and not raw.endswith("\\\\"):
        raw = raw[:-1]
    parts = [inline_text(part).strip() for part in _BR.split(raw)]
    return [Line(number, part) for part in parts if part]


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
    # A heading's number and a leading pictograph are its layout ("2. 📥 Download"), not its title.
    title = _HEADING_NUMBER.sub("", title).strip()
    if "://" in title or len(title) > 120:
        return None  # an emphasised line of text (`***Available also at: https://…***`), not a heading
    return title or None


_HEADING_NUMBER = re.compile(r"^(?:(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.|[一二三四五六七八九十]+[、.．])\s*)?"
                             r"(?:[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]\s*)*")


def _title(line: str) -> str | None:
    """The title of a `# Title` line, or None."""
    if not line.startswith("#") or line[1:2] not in (" ", "\t"):
        return None
    title = line[1:].strip().rstrip("#").strip()
    return inline_text(title) if title else None


# Lines that only fold or unfold a part of the page (the other language, in <details>).
_LAYOUT_ONLY = re.compile(r"(?i)</?details(?:\s[^>]*)?>|<summary>.*</summary>|</?summary>|<br\s*/?>|<hr\s*/?>")
_SETEXT = re.compile(r"(=+|-+)\s*")
_RULE = re.compile(r"(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}")  # a thematic break: layout


def _atx_headings(lines: list[str]) -> list[str]:
    """Setext headings (a line underlined with === or ---) as `#` headings, line for line; and a
    YAML front matter block (a dataset card's metadata, `---` … `---` on top) left out."""
    out = list(lines)
    if out and out[0].strip() == "---":
        end = next((i for i in range(1, min(len(out), 200)) if out[i].strip() in ("---", "...")), None)
        if end is not None:
            out[:end + 1] = [""] * (end + 1)
    fence = ""
    for index in range(1, len(out)):
        stripped = out[index - 1].strip()
        if stripped.startswith(("```", "~~~")):
            fence = "" if fence else stripped[:3]
        underline = _SETEXT.fullmatch(out[index].strip())
        before = out[index - 2].strip() if index >= 2 else ""
        # A one-line paragraph over the line (a list item, a table row or the last line of a longer
        # paragraph over `---` is text over a rule).
        if fence or not underline or not stripped or before or stripped.startswith(("#", "|", "-", "*", "+", ">", "<")):
            continue
        out[index - 1] = ("# " if underline.group(1)[0] == "=" else "## ") + stripped
        out[index] = ""
    return out


def _interleaved(lines: list[str]) -> str | None:
    """Where a README alternates the languages heading by heading (`# Title` / `# 标题`, `## 1. 简介
    (Introduction)`): a layout of pairs, not of halves. None if it is not one."""
    headings: list[tuple[int, str, bool]] = []  # line, text, the line before it was blank
    fence, blank = "", True
    for number, raw in enumerate(lines, start=1):
        stripped = _BR.sub("", raw.strip()).strip()
        if fence or stripped.startswith(("```", "~~~")):
            fence = "" if fence and stripped.startswith(fence) else (fence or stripped[:3])
            continue
        text = _title(stripped) or _heading(stripped)
        if text and any(c.isalpha() for c in text):
            headings.append((number, text, blank or bool(headings and headings[-1][0] == number - 1)))
        if stripped:
            blank = bool(text)
    both = [(n, t) for n, t, _ in headings if _CJK.search(t) and re.search(r"[A-Za-z]{3,}", t)]
    if len(headings) >= 4 and len(both) * 2 >= len(headings):
        return f"line {both[0][0]}: '{both[0][1]}', and {len(both) - 1} more headings in both languages"
    pairs = [(a, b) for a, b in zip(headings, headings[1:]) if b[2] and b[0] - a[0] <= 2
             and language_of(a[1]) != language_of(b[1])]
    if len(pairs) >= 2:
        (first, second), _ = pairs[0], pairs[1]
        return f"lines {first[0]}-{second[0]}: '{first[1]}' then '{second[1]}', and {len(pairs) - 1} more such pairs"
    return None


def _banner_headings(lines: list[str]) -> bool:
    """Whether bold lines above the first `# Title` are the banner's text: there is a title, and
    at most one such line stands above it (several make a half without a title)."""
    fence, headings = "", 0
    for raw in lines:
        stripped = raw.strip()
        if fence or stripped.startswith(("```", "~~~")):
            fence = "" if fence and stripped.startswith(fence) else (fence or stripped[:3])
            continue
        stripped = _BR.sub("", stripped).strip()
        if _title(stripped):
            return headings <= 1
        headings += bool(_heading(stripped))
    return False


def _bold_line(line: str) -> bool:
    """A line emphasised whole (`**…**`, `***…***`, `__…__`)."""
    core = _BR.sub("", line).strip()
    return any(core.startswith(m) and core.endswith(m) and len(core) > 2 * len(m) for m in ("**", "__"))


def _banners_above_titles(lines: list[str]) -> set[int]:
    """Line numbers of the bold paragraphs standing right above a later half's `# Title`
    (`**数据也可在 Kaggle 获取：…**`): that half's banner, not the end of the half before it."""
    found: set[int] = set()
    fence, seen_title = "", False
    for index, raw in enumerate(lines):
        stripped = raw.strip()
        if fence or stripped.startswith(("```", "~~~")):
            fence = "" if fence and stripped.startswith(fence) else (fence or stripped[:3])
            continue
        if not _title(_BR.sub("", stripped).strip()):
            continue
        if seen_title:
            above, cursor = [], index - 1
            while cursor >= 0 and (not lines[cursor].strip() or set(lines[cursor].strip()) <= set("-*_ ")):
                cursor -= 1  # blank lines and rules between the banner and the title
            while cursor >= 0 and lines[cursor].strip() and _bold_line(lines[cursor]):
                above.append(cursor)
                cursor -= 1
            # The bold lines are a paragraph of their own, not the last lines of one.
            if above and (cursor < 0 or not lines[cursor].strip()):
                found.update(number + 1 for number in above)
        seen_title = True
    return found


def split_halves(text: str, name: str) -> list[Half]:
    """Titles, sections and the text before them, in order; then a half per language."""
    halves: list[Half] = []
    banner: list[Line] = []  # text above the first title
    upcoming: list[Line] = []  # a later half's banner, above its title
    in_comment, fence = False, ""
    source = _atx_headings(text.split("\n"))
    # Above the first title, a bold line is part of the banner (`**Available also at Kaggle**`),
    # not a section: the sections are the title's. So is a bold paragraph right above a later title.
    banner_headings = _banner_headings(source)
    later_banners = _banners_above_titles(source)
    interleaved = _interleaved(source)
    if interleaved:
        raise ImportFailure(f"{name}: the languages alternate heading by heading ({interleaved}); datasite reads a "
                            "README whose halves follow each other (all English, then all Chinese, or the other way "
                            "round): reorder it that way, or start from a skeleton (`datasite init --skeleton`)")
    for number, raw in enumerate(source, start=1):
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
            if _LAYOUT_ONLY.fullmatch(stripped) or _RULE.fullmatch(stripped) \
                    or _LANGUAGE_SWITCH.fullmatch(inline_text(stripped).strip(" *_#")):
                continue  # <details>, <summary>中文说明</summary>, "English | 中文": the page's layout, not its text
            title = _title(stripped)
            if title:
                halves.append(Half("", title, number, preamble=upcoming))
                upcoming = []
                continue
            if number in later_banners:
                upcoming += _lines(stripped, number)
                continue
            heading = _heading(stripped)
            if heading and (halves or not banner_headings):
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
        halves = _untitled_paragraphs(banner)
    if not halves:
        raise ImportFailure(
            f"{name}: does not look like a dataset README: expected a '# Title' followed by "
            "'***Section***' (or '## Section') headings, or paragraphs of text"
        )
    for half in halves:
        for section in half.sections:
            # A section's language is its title's (a mirror list in Chinese is mostly URLs).
            has_letters = any(c.isalpha() for c in section.title)
            section.language = language_of(section.title if has_letters else _without_urls(section.text()))
        if half.language:
            continue
        if half.title and any(c.isalpha() for c in half.title):
            half.language = language_of(half.title)
        else:
            half.language = language_of(" ".join(s.title + s.text() for s in half.sections))
    return _split_untitled(halves)


def _untitled_paragraphs(lines: list[Line]) -> list[Half]:
    """A README of paragraphs alone (an attribution, a link): a half per language, each a section
    without a title. (Its title and the sections' titles are then the importer's to infer.)"""
    if not any(url.lower().startswith(("http://", "https://")) for line in lines for _, _, url in find_urls(line.text)):
        return []  # no link to the data: notes, not a dataset's README
    by_language: dict[str, list[Line]] = {}
    current = None
    for line in lines:
        if any(c.isalpha() for c in _without_urls(line.text)):
            current = language_of(_without_urls(line.text))
        by_language.setdefault(current or LATIN, []).append(line)  # a line of links goes with the text above it
    halves = []
    for language, found in by_language.items():
        links = [line for line in found if parse_mirror_line(line.text) or split_mirror_line(line.text)]
        text = [line for line in found if line not in links]
        sections = [Section("", text[0].number, text)] if text else []
        if links:  # the links to the data: a mirror list of its own
            sections.append(Section("", links[0].number, links, kind="mirrors"))
        halves.append(Half(language, None, found[0].number, sections, []))
    return halves


def _without_urls(text: str) -> str:
    for _, _, url in find_urls(text):
        text = text.replace(url, " ")
    return text


def _split_untitled(halves: list[Half]) -> list[Half]:
    """A README whose second language has no title: its sections follow the first half's, in
    the other language. They become a half of their own (without a title)."""
    out = []
    for index, half in enumerate(halves):
        first = half.sections[0].language
        other = HAN if first == LATIN else LATIN
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
    if not code:  # "(password mc38)": the word and the code in brackets, without a colon
        bracketed = _CODE_IN_PARENS.search(before + " " + after)
        code = re.findall(r"[A-Za-z0-9]+", bracketed.group(0))[-1] if bracketed else None
    if not code:
        query = parse_qs(urlsplit(url).query)
        code = next((values[0] for key, values in query.items() if key.lower() in ("pwd", "password", "code")
                     and re.fullmatch(r"[A-Za-z0-9]{1,32}", values[0])), None)
    label = _CODE_IN_PARENS.sub("", before)
    if code_match and code_match.start() < len(before):
        label = label.replace(code_match.group(0), "")  # "BaiduDisk with code 1231 (URL)"
    label = re.sub(r"(?:\s+at)?\s*[（(]\s*$", "", label)  # "Label at ( URL )", "Label (URL)" of a link
    label = label.strip().rstrip(":：-—,，").strip().lstrip("-*•+ ").strip()
    head, colon, tail = re.split(r"\s*([:：])\s*", label, maxsplit=1)[:3] if re.search("[:：]", label) \
        else (label, "", "")
    if colon and tail.lower() in _GENERIC_LABELS:  # "Baidu Disk: [Dataset](URL)"
        label = head
    rest = _CODE_IN_PARENS.sub("", after)
    if code_match:
        rest = rest.replace(code_match.group(0), "")
        rest = re.sub(r"(?i)^\s*(?:the|and|,)\s*$", "", rest)  # "… The password is: x"
    rest = re.sub(r"^[\s)）:：.,;，。；]+|[\s(（:：.,;，。；]+$", "", rest)
    if not label:
        label, rest = rest, ""
    return label, url, code, rest


_MIRROR_SEPARATOR = re.compile(r"\s+(?:or|OR|and)\s+|\s*(?:或|或者|和|[|｜;；])\s*")


def split_mirror_line(text: str) -> list[tuple[str, str, str | None]]:
    """Several mirrors on one line ("[Google Drive](URL) or [Baidu Netdisk](URL?pwd=x)"): each
    part between the separators must be a mirror, else none is."""
    if len([u for u in find_urls(text) if u[2].lower().startswith("http")]) < 2:
        return []
    parts = [part for part in _MIRROR_SEPARATOR.split(text) if part.strip()]
    found = [parse_mirror_line(part) for part in parts]
    return found if len(found) >= 2 and None not in found else []


def _one_line(text: str, length: int) -> str:
    """A text quoted in a message: one line, cut at `length` characters."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


def reference_in(text: str) -> Reference | None:
    """The reference `text` starts with: the whole text, or the longest part of it that ends at
    a sentence's end and reads as one ("<reference>. Manuscripts in Chinese, please")."""
    found = parse_reference(text)
    if found:
        return found
    ends = [m.start() + 1 for m in re.finditer(r"[.;。；](?:\s|$)|[；。]", text)] + [end for _, end, _ in find_urls(text)]
    ends.sort()
    for end in reversed(ends[-20:]):
        found = parse_reference(text[:end].strip())
        if found:
            return found
    return None


def _blocks(lines: list[Line]) -> list[Line]:
    """Lines, with each code block (a BibTeX entry) made one line of its own, fences left out."""
    out: list[Line] = []
    block: list[Line] | None = None
    for line in lines:
        if line.text.lstrip().startswith(("```", "~~~")):
            if block is not None:
                if block:
                    out.append(Line(block[0].number, "\n".join(item.text for item in block)))
                block = None
            else:
                block = []
            continue
        if block is not None:
            block.append(line)
        else:
            out.append(line)
    if block:
        out.append(Line(block[0].number, "\n".join(item.text for item in block)))
    return out


def _is_label(text: str) -> bool:
    """A mirror's name, not a sentence: short, a few words at most."""
    return len(text) <= 60 and len(re.findall(r"[A-Za-z]+", text)) <= 6 and "\n" not in text \
        and not re.search(r"[.。!?！？]\s*\S", text)


_TABLE_ROW = re.compile(r"\|.*\|")
_CODE_HEADER = re.compile(r"(?i:code|pwd|passcode|password)|提取码|密码|访问码")
_TABLE_RULE = re.compile(r"\|(?:\s*:?-{2,}:?\s*\|)+")


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip()[1:-1].split("|")]


def _web_urls(text: str) -> list[str]:
    return [url for _, _, url in find_urls(text) if url.lower().startswith(("http://", "https://"))]


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
                              .replace(r"\{date\}", r"(?P<date>\d{4}-\d{2}-\d{2})") + "$") for lang in READ_LANGUAGES]
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
    mirrors = sum(1 for t in texts if parse_mirror_line(t) or split_mirror_line(t))
    texts = [t for t in texts if not _CODE_LINE.fullmatch(t)]  # a code below its link is part of that mirror
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

# --- the stages: read -> pair -> extract -> audit ----------------------------------------------
# read: split_halves (text -> halves, as written); pair: pair_halves (halves -> one per language,
# mirror sections paired into regions); extract: Importer (the paired halves -> dataset.yml's
# data, with what to review); audit: audit (nothing of the input lost). Each stage says what it
# decided in Notes; the git lookup is passed in (repository.remote_origin by default).

@dataclass
class Notes:
    """What a stage tells the maintainer, by line (None: the whole README), and the input lines
    whose content it put in a field other than as text."""
    warnings: list[tuple[int | None, str]] = field(default_factory=list)
    represented: set[int] = field(default_factory=set)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append((line, message))


def pair_halves(halves: list[Half]) -> tuple[dict[str, Half], Notes]:
    """Stage 2: the halves as read -> one half per language (a second half of a language adds
    its sections to the first), tables of mirrors read as mirror lines, sections classified, a
    section pasted twice kept once, mirror sections paired by position into regions. The halves
    given are left as they are."""
    notes = Notes()
    paired: dict[str, Half] = {}
    for read in halves:
        half = dataclasses.replace(read, sections=[dataclasses.replace(s, lines=list(s.lines)) for s in read.sections],
                                   preamble=list(read.preamble))
        for section in half.sections:
            if not any(pattern.match(section.title) for pattern in _RELEASE_TITLES):
                section.lines = table_rows(section.lines, notes)
            classify(section)
        if half.language in paired:
            notes.warn(half.number, f"a second {half.language} half ('{half.title}'): its sections are added "
                                    "to the first one")
            paired[half.language].sections += half.sections
            paired[half.language].preamble += half.preamble
        else:
            paired[half.language] = half
    for half in paired.values():
        drop_repeated_sections(half, notes)
    pair_regions(paired)
    for language in READ_LANGUAGES:
        if language not in paired and paired:
            other = next(iter(paired))
            notes.warn(None, f"no {language} half: its texts are {other} only (shown on the {other} pages "
                             f"alone), its titles and labels copies of the {other} ones to translate")
    return paired, notes


def table_rows(lines: list[Line], notes: Notes) -> list[Line]:
    """A Markdown table of mirrors (`| Service | Link | Code |`) as mirror lines, a row each:
    "Service: link (code: ab12)". A table without links is text, as written."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        block = []
        while index + len(block) < len(lines) and _TABLE_ROW.fullmatch(lines[index + len(block)].text):
            block.append(lines[index + len(block)])
        rows = [_cells(line.text) for line in block]
        if len(block) < 3 or not _TABLE_RULE.fullmatch(block[1].text) \
                or not any(len(_web_urls(" ".join(row))) for row in rows[2:]):
            out += block or [lines[index]]
            index += len(block) or 1
            continue
        header = rows[0]
        notes.represented |= {block[0].number, block[1].number}  # (the table's head: read, not text)
        code_column = next((i for i, h in enumerate(header) if _CODE_HEADER.search(h)), None)
        for line, row in zip(block[2:], rows[2:]):
            urls = [i for i, cell in enumerate(row) if len(_web_urls(cell)) == 1]
            if len(urls) != 1:
                out.append(line)  # not a mirror's row: kept as written
                continue
            url = _web_urls(row[urls[0]])[0]
            code = row[code_column].strip("`'\" ") if code_column is not None and code_column < len(row) else ""
            code = code if re.fullmatch(r"[A-Za-z0-9]{2,12}", code) else ""
            labels = [cell for i, cell in enumerate(row) if i not in (urls[0], code_column)
                      and any(c.isalpha() for c in cell)]
            label = labels[0] if labels else _without_urls(row[urls[0]]).strip(" ()（）") or urlsplit(url).hostname
            for name, cell in zip(header, row):
                if cell and cell not in (label, row[urls[0]], row[code_column] if code_column is not None else None) \
                        and cell.strip("-—–/ "):
                    notes.warn(line.number, f"not imported: the '{name}' column of the mirror table ('{cell[:40]}')")
            text = f"{label}: {url}" + (f" (code: {code})" if code else "")
            out.append(Line(line.number, text))
        index += len(block)
    return out


def drop_repeated_sections(half: Half, notes: Notes) -> None:
    """A section pasted twice into one half is one section (the other half has it once)."""
    seen: dict[tuple[str, str], Section] = {}
    kept = []
    for section in half.sections:
        key = (section.title, section.text())
        if key in seen and section.text():
            notes.warn(section.number, f"section '{section.title}' repeats the one at line {seen[key].number} "
                                      "word for word: imported once")
            notes.represented |= {line.number for line in section.lines}
            continue
        seen[key] = section
        kept.append(section)
    half.sections = kept


def pair_regions(halves: dict[str, Half]) -> None:
    """Mirror sections are paired by position; a region named in either half names both, and
    each pair is a region of its own ("china", "china-2")."""
    lists = [[s for s in half.sections if s.kind == "mirrors"] for half in halves.values()]
    ids = Ids()
    for index in range(max(map(len, lists))):
        pair = [sections[index] for sections in lists if index < len(sections)]
        known = next((s.region for s in pair if s.region in ("china", "international")), None)
        english = next((s for s in pair if s.title and language_of(s.title) == LATIN), None)
        region = ids.make(known or (slug(english.title) if english else "") or
                          ("download" if index == 0 else f"download-{index + 1}"))
        for section in pair:
            section.region = region


class Importer:
    """One README read into the data of a dataset.yml, with a warning for each decision to make
    and a review item for each value not read verbatim (see `datasite.review`)."""

    def __init__(self, text: str, name: str, folder: Path | None = None, *, labels_as_written: bool = False,
                 git_remote: GitRemote = remote_origin):
        self.name = name
        self.folder = folder
        self.git_remote = git_remote  # (the repository's remote origin: git's, or a test's)
        self.labels_as_written = labels_as_written
        self.warnings: list[str] = []
        self.review: list[Review] = []
        self.represented: set[int] = set()  # lines whose content is in a field other than as text
        self.license_lines: dict[str, re.Match] = {}
        self.switches: set[int] = set()  # lines that link the README of another language: left out
        self.article_lines: set[int] = set()  # lines of a citation section read as the article
        self.halves = split_halves(text, name)  # stage 1, read (kept as read: the audit compares with it)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"{self.name}:{line}: {message}" if line else f"{self.name}: {message}")

    def where(self, line: int | None) -> str:
        return f"{self.name}:{line}" if line else self.name

    def infer(self, path: tuple, line: int | None, why: str) -> None:
        """`path` holds a value the import made, not one it read as written: a person confirms it."""
        self.review.append(Review(path, "inferred", self.where(line), why))

    def copy(self, path: tuple, line: int | None, why: str) -> None:
        self.review.append(Review(path, "copied", self.where(line), why))

    def take(self, notes: Notes) -> None:
        """A stage's notes, as this README's warnings."""
        self.warnings += [f"{self.name}:{line}: {message}" if line else f"{self.name}: {message}"
                          for line, message in notes.warnings]
        self.represented |= notes.represented

    def run(self) -> ImportResult:
        halves, notes = pair_halves(self.halves)
        self.take(notes)
        self.by_language = halves
        data: dict = {"id": "", "name": {}, "title": {}, "description": {}}
        site_url, notice = self.preamble()
        clauses = self.clauses()
        data["name"] = self.names()
        data["title"] = self.titles(data["name"])
        data["id"] = self.identifier(data["name"], data["title"])
        data["description"] = self.descriptions(data["name"], data["title"], clauses)
        data["site_url"] = site_url or self.published_address()
        if notice:
            data["notice"] = notice
        data["license"] = self.license(clauses)
        article, translated = self.article()
        data["article"] = article
        if translated:
            data["article_for"] = translated
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
        self.take(audit(data, self.halves, self.represented, self.switches))
        return ImportResult(data, self.warnings, review_items(data, self.review))

    def sections(self, language: str, kind: str) -> list[Section]:
        half = self.by_language.get(language)
        return [s for s in half.sections if s.kind == kind] if half else []

    def passage(self, pair: dict[str, str | None], what: str, number: int | None) -> dict:
        """A text as its author wrote it: in every language, or in those it was written in (`only`)."""
        present = [lang for lang in READ_LANGUAGES if pair.get(lang)]
        text = {lang: pair[lang] for lang in present}
        if len(present) < len(READ_LANGUAGES) and len(self.by_language) == len(READ_LANGUAGES):
            missing = [lang for lang in READ_LANGUAGES if lang not in present]
            self.warn(number, f"{what} is written in {', '.join(present)} only: shown on the {', '.join(present)} "
                              f"pages alone (translate it, and remove `only`, to show it on the {', '.join(missing)} "
                              "ones)")
        if len(present) < len(READ_LANGUAGES):
            text["only"] = present
        return text

    def line_pair(self, pair: dict[str, str | None], what: str, number: int | None, path: tuple) -> dict:
        """A title, name or label in every language: one the README lacks is a copy, to translate."""
        present = {lang: v for lang, v in pair.items() if v}
        for lang in READ_LANGUAGES:
            if not pair.get(lang):
                source, value = next(iter(present.items()))
                pair[lang] = value
                self.copy(path, number, f"the {lang} text of {what} is a copy of the {source} one ('{value[:60]}')")
        return {lang: pair[lang] for lang in READ_LANGUAGES}

    # --- names and titles ----------------------------------------------------------------------

    def names(self) -> dict:
        """The name the author asks users to give the data ("name the data source as “X”"), else
        the title without its "Download and License of" words. Never a name from a list of other
        datasets ("including but not limited to “A”, “B”")."""
        names, lines = {}, {}
        for lang in READ_LANGUAGES:
            half = self.by_language.get(lang)
            if half is None:
                continue
            for line in [line for s in half.sections for line in s.lines] + half.preamble:
                found = _NAMED_AS[lang].search(line.text)
                if found:
                    names[lang], lines[lang] = found.group("name").strip(), line.number
                    self.represented.discard(line.number)
                    break
        for lang in READ_LANGUAGES:
            half = self.by_language.get(lang)
            if lang not in names and half is not None and half.title:
                names[lang], lines[lang] = _title_name(half.title), half.number
        if not names:
            names = {lang: PLACEHOLDERS[lang]["name"] for lang in READ_LANGUAGES}
            self.warn(None, "no name found (no '# Title' and no \"name the data source as …\"): fill in `name`")
            return names
        first = min(lines.values()) if lines else None
        how = "; ".join(f"{lang} from line {lines[lang]}" for lang in READ_LANGUAGES if lang in lines)
        self.infer(("name",), first, f"the name users are asked to give the data ({how})")
        return self.line_pair(names, "the name", first, ("name",))

    def titles(self, names: dict) -> dict[str, str]:
        titles = {lang: half.title for lang, half in self.by_language.items() if half.title}
        if not titles:
            self.infer(("title",), None, "no '# Title' line: the title is the dataset's name")
            return dict(names)
        number = min(self.by_language[lang].number for lang in titles)
        return self.line_pair(titles, "the title", number, ("title",))

    def identifier(self, names: dict, titles: dict) -> str:
        candidates = [names.get(LATIN, ""), titles.get(LATIN, "")]
        if self.folder is not None:
            candidates.append(self.folder.name)
        ident = next((slug(c) for c in candidates if slug(c) and "todo" not in slug(c)), "dataset")
        self.infer(("id",), None, f"the id '{ident}' (file names of the citations and the offline bundle) is made "
                                  "from the English name")
        return ident

    def descriptions(self, names: dict, titles: dict, clauses: list[dict]) -> dict:
        """A starting point (what a reader reads in 50 Latin or 20 Chinese characters, at most
        600): the name, then the first sentence of the terms that names no number or link (those
        differ where the halves do, and belong to the terms)."""
        descriptions = {}
        about = next((c for c in clauses if any(_ABOUT.search(t) for t in c["title"].values() if isinstance(t, str))
                      and all(c["body"].get(lang) for lang in self.by_language)), None)
        for lang in [lang for lang in READ_LANGUAGES if lang in self.by_language]:
            stop, joiner = IMPORTED[lang].importer["sentence_end"], IMPORTED[lang].importer["sentence_joiner"]
            if about:  # "About the data" / "数据简介": its first sentences say what the data is
                text = ""
                for sentence in _sentences(about["body"][lang]):
                    if reading_length(text) >= DESCRIPTION_MINIMUM or len(text) + len(sentence) > 600:
                        break
                    text += (joiner if text else "") + sentence
                if reading_length(text) >= DESCRIPTION_MINIMUM:
                    descriptions[lang] = text
                    continue
            body = next((c["body"][lang] for c in clauses if c["body"].get(lang)), "")
            sentences = _sentences(body)
            plain = next((t for t in sentences if not invariant_tokens(t) and reading_length(t) >= 20
                          and not _CITE_CUE.search(t)), "")
            text = names[lang].rstrip(".。") + (stop + plain if plain else "")
            if reading_length(text) < DESCRIPTION_MINIMUM and titles[lang] != names[lang]:
                text += stop + titles[lang]
            while reading_length(text) < DESCRIPTION_MINIMUM:
                text += stop + names[lang]
            descriptions[lang] = text if len(text) <= 600 else text[:599].rstrip() + "…"
        if about and len(descriptions) == len(self.by_language):
            self.infer(("description",), None, f"the first sentences of '{about['title'].get(LATIN) or about['title'].get(HAN)}'"
                                               ": is that what the data is, in a sentence or two?")
        else:
            self.infer(("description",), None, "made from the name and the first sentence of the terms: write one or "
                                               "two sentences on what the data is")
        return self.line_pair(descriptions, "the description", None, ("description",))

    def published_address(self) -> str:
        """Where the site will be published, from the repository (GitHub Pages, or the CNAME's
        domain); a placeholder if the README lies in none."""
        found = published_site_url(self.folder, self.git_remote) if self.folder else None
        if found:
            address, source = found
            self.infer(("site_url",), None, f"where GitHub Pages publishes the site, from {source} (is it "
                                            "published there, or under a custom domain?)")
            return address
        return f"https://{PLACEHOLDER_HOST}/"

    # --- texts ----------------------------------------------------------------------------------

    def preamble(self) -> tuple[str | None, dict | None]:
        """Text before the first section: a website line (site_url), language links (dropped:
        the site has its own switch), and everything else as the home page's notice."""
        site_url = None
        texts: dict[str, str] = {}
        first = {}
        seen: set[str] = set()
        for lang, half in self.by_language.items():
            kept = []
            for line in half.preamble:
                if line.text in seen:  # the same banner above both titles: said once
                    self.represented.add(line.number)
                    continue
                seen.add(line.text)
                parts = [p.strip() for p in line.text.split(" · ")]
                rest = []
                for part in parts:
                    website, license_line = _WEBSITE.match(part), _LICENSE_LINE.match(part)
                    if website:
                        site_url = site_url or website["url"]
                    elif license_line:
                        self.license_lines.setdefault(lang, license_line)
                    elif _LANGUAGE_SWITCH.fullmatch(part):
                        self.switches.add(line.number)  # left out: the site has its own switch
                    else:
                        rest.append(part)
                if rest and len(rest) == len(parts):
                    kept.append(line.text)
                elif rest:
                    kept.append(" · ".join(rest))
                else:
                    self.represented.add(line.number)
                first.setdefault(lang, line.number)
            if kept:
                # Text above the title is in the language it is written in, whichever half it came with.
                language = lang if len(self.by_language) == 1 else language_of(_without_urls(" ".join(kept)))
                texts[language] = (texts[language] + "\n" if language in texts else "") + "\n".join(kept)
        if not texts:
            return site_url, None
        return site_url, self.passage(texts, "the text before the first section", min(first.values()))

    def clauses(self) -> list[dict]:
        en, zh = self.sections(LATIN, "clause"), self.sections(HAN, "clause")
        pairs = align(en, zh) if en and zh else [(s, None) for s in en] + [(None, s) for s in zh]
        clauses, ids = [], Ids()
        for index, (first, second) in enumerate(pairs):
            present = {LATIN: first, HAN: second}
            section = first or second
            number = section.number
            clause_id = ids.make(slug(first.title if first else "") or slug(second.title if second else "")
                                 or (slug(CLAUSE_TITLE[LATIN]) if not section.title else f"clause-{index + 1}"))
            if not section.title:  # paragraphs without a heading: the title is the import's
                titles = {lang: CLAUSE_TITLE[lang] for lang, s in present.items() if s}
                self.infer(("clauses", index, "title"), number, "the text has no heading: its title is datasite's")
            else:
                titles = {lang: s.title for lang, s in present.items() if s}
            bodies = {lang: s.text() or s.title for lang, s in present.items() if s}
            body = self.passage(bodies, f"section '{section.title or titles[next(iter(titles))]}'", number)
            title = {lang: titles[lang] for lang in READ_LANGUAGES if lang in titles}
            if "only" in body:
                title["only"] = body["only"]
            if first and second and invariant_tokens(body[LATIN]) != invariant_tokens(body[HAN]):
                only_en = sorted(invariant_tokens(body[LATIN]) - invariant_tokens(body[HAN]))
                only_zh = sorted(invariant_tokens(body[HAN]) - invariant_tokens(body[LATIN]))
                self.warn(second.number, f"sections '{first.title}' and '{second.title}' differ in numbers or links "
                                         f"(only in en: {', '.join(only_en) or '-'}; only in zh: "
                                         f"{', '.join(only_zh) or '-'}); `datasite check` will ask you to fix it")
            clauses.append({"id": clause_id, "title": title, "body": body})
        if not clauses:
            self.warn(None, "no terms found: add clauses to dataset.yml")
            clauses.append({"id": "terms", "title": dict(CLAUSE_TITLE),
                            "body": {lang: PLACEHOLDERS[lang]["terms"] for lang in READ_LANGUAGES}})
        return clauses

    def license(self, clauses: list[dict]) -> dict:
        if self.license_lines:  # "License: CC BY 4.0 (https://…) — Creative Commons …", as datasite writes it
            first = next(iter(self.license_lines.values()))
            short, url = first["short"].strip(), first["url"]
            names = {lang: (line["name"] or short).strip() for lang, line in self.license_lines.items()}
            spdx = _creative_commons(short)[0] if _LICENSE.fullmatch(short) else short
            return {"name": self.line_pair(names, "the license's name", None, ("license", "name")), "short": short,
                    "spdx": spdx, "url": url}
        text = {lang: "\n".join(c["body"].get(lang, "") for c in clauses) for lang in READ_LANGUAGES}
        found = _LICENSE.search(text[LATIN]) or _LICENSE.search(text[HAN])
        if not found:
            self.warn(None, "no Creative Commons license found: fill in `license`")
            return {"name": {lang: PLACEHOLDERS[lang]["license"] for lang in READ_LANGUAGES}, "short": "TODO",
                    "spdx": "TODO", "url": f"https://{PLACEHOLDER_HOST}/license"}
        short = re.sub(r"\s+", " ", found.group(0).replace("CCBY", "CC BY"))
        spdx, url = _creative_commons(short)
        names = {}
        for lang in READ_LANGUAGES:
            match = re.search(IMPORTED[lang].importer["license_name"] + re.escape(short), text[lang])
            names[lang] = match.group(1).strip() if match else short
        self.infer(("license",), None, f"read as {short} ({spdx}, {url}) from the text of the terms")
        return {"name": names, "short": short, "spdx": spdx, "url": url}

    def article(self) -> tuple[dict, dict | None]:
        """The source article to cite, read from the reference in the terms, the citation section
        or the notice; and the one manuscripts in Chinese cite, where the README names another."""
        found: dict[str, tuple[Reference, int, str]] = {}
        unread: tuple[int, str] | None = None
        for lang in READ_LANGUAGES:
            for lines, segment, cited in self.reference_segments(lang):
                number = lines[0]
                reference = parse_bibtex(segment) if segment.lstrip().startswith("@") else reference_in(segment)
                if reference is None:
                    if unread is None and (find_dois(segment) or re.search(r"\b(?:19|20)\d\d\b", segment)):
                        unread = (number, segment)
                    continue
                key = HAN if reference.chinese else LATIN
                # A line of a citation section with the article's own reference (in either half) is
                # the article; a further reference there (a second BibTeX entry) is a publication.
                if cited and (key not in found or found[key][0].as_article() == reference.as_article()):
                    self.article_lines |= set(lines)
                    self.represented |= set(lines)
                found.setdefault(key, (reference, number, segment))
        if LATIN not in found and HAN in found:
            found[LATIN] = found.pop(HAN)  # the only article there is, whatever its language
        if LATIN not in found:
            if unread:
                self.warn(unread[0], f"a reference datasite could not read: '{_one_line(unread[1], 120)}': fill in `article`")
            else:
                self.warn(None, "no source article found: fill in `article`")
            return {"authors": [{"family": "TODO", "given": "TODO"}], "title": "TODO: the article to cite",
                    "journal": "TODO", "year": self.placeholder_year()}, None
        reference, number, segment = found[LATIN]
        self.infer(("article",), number, f"read as a reference ({reference.style}) from '{_one_line(segment, 100)}': are "
                                         "the authors, title, journal, year and DOI right?")
        article = reference.as_article()
        translated = None
        if HAN in found and found[HAN][0].as_article() != article:
            reference, number, segment = found[HAN]
            translated = {HAN: reference.as_article()}
            self.infer(("article_for", HAN), number, f"the article manuscripts in Chinese cite, read as a reference "
                                                      f"({reference.style}) from '{_one_line(segment, 100)}'")
        return article, translated

    def placeholder_year(self) -> int:
        """A year must be a number: this one is today's, and listed to review like any guess, so
        that filling in the article's authors, title and journal never publishes it unchecked."""
        self.infer(("article", "year"), None, "a placeholder: this year, not the article's (no reference was read)")
        return date.today().year

    def reference_segments(self, lang: str):
        """(lines, text, in a citation section) of what may be a reference, in the order a reader
        meets them: each entry of a citation section (a line, a BibTeX block), the text after
        "cite …:" in a line, a line with a DOI."""
        half = self.by_language.get(lang)
        if half is None:
            return
        lines = [line for line in half.preamble] + [line for s in half.sections if s.kind == "clause"
                                                    for line in s.lines]
        for section in self.sections(lang, "citation"):
            bibtex: list[Line] = []
            for line in section.lines:
                if line.text.lstrip().startswith("@") or bibtex:  # a BibTeX entry, to its closing brace
                    bibtex.append(line)
                    text = "\n".join(item.text for item in bibtex)
                    if text.count("{") and text.count("{") <= text.count("}"):
                        yield [item.number for item in bibtex], text, True
                        bibtex = []
                    continue
                if line.text.startswith(("```", "~~~")):
                    continue
                entry = _CITATION_ENTRY.match(line.text)
                if entry and any(line.text[entry.start():].lstrip("-*• ").startswith(UI[other]["the_dataset"])
                                 for other in READ_LANGUAGES):
                    continue  # the dataset's own citation, as the export writes it
                yield [line.number], _CITE_CUE.split(line.text[entry.end():] if entry else line.text)[-1].strip(), True
        for line in lines:
            cues = list(_CITE_CUE.finditer(line.text))
            for index, cue in enumerate(cues):  # the text from each "cite …:" to the next
                end = cues[index + 1].start() if index + 1 < len(cues) else len(line.text)
                yield [line.number], line.text[cue.end():end].strip(), False
            if not cues and find_dois(line.text):
                yield [line.number], line.text, False

    # --- mirrors --------------------------------------------------------------------------------

    def mirrors(self) -> tuple[list[dict], list[dict]]:
        mirrors: dict[str, Mirror] = {}
        region_titles: dict[str, dict[str, str]] = {}
        region_lines: dict[str, int] = {}
        notes: dict[str, dict[str, list[str]]] = {}
        note_lines: dict[str, int] = {}
        for lang in READ_LANGUAGES:
            for section in self.sections(lang, "mirrors"):
                region_titles.setdefault(section.region, {})[lang] = section.title or REGION_TITLE[lang]
                region_lines.setdefault(section.region, section.number)
                previous: Mirror | None = None  # the mirror of the line above (its code may follow)
                for line in section.lines:
                    parsed = parse_mirror_line(line.text)
                    found = [parsed] if parsed else split_mirror_line(line.text)
                    code_only = _CODE_LINE.fullmatch(line.text) if not found else None
                    if code_only and previous is not None and lang not in previous.codes:
                        previous.codes[lang] = (code_only.group(1), line.number)  # "-Password: xxxx" below its link
                        self.represented.add(line.number)
                        continue
                    if not found:
                        # A shared password, an FTP address, a remark: the region's note, verbatim.
                        previous = None
                        notes.setdefault(section.region, {}).setdefault(lang, []).append(line.text)
                        note_lines.setdefault(section.region, line.number)
                        if "://" in line.text:
                            self.warn(line.number, f"'{line.text[:60]}' is not a plain mirror line (label, URL, "
                                                   "code): kept as a note of its region; make it a mirror in "
                                                   "dataset.yml if it is one")
                        continue
                    self.represented.add(line.number)
                    for label, url, code in found:
                        mirror = mirrors.setdefault(url, Mirror(url, {}, {}, section.region, {}))
                        mirror.written.setdefault(lang, label)
                        mirror.labels[lang] = label if self.labels_as_written else self.mirror_label(label, url, lang)
                        mirror.lines[lang] = line.number
                        if code:
                            mirror.codes[lang] = (code, line.number)
                        previous = mirror
        regions = []
        for index, (region, titles) in enumerate(region_titles.items()):
            entry = {"id": region, "title": self.line_pair(titles, f"the title of region '{region}'",
                                                           region_lines[region], ("regions", index, "title"))}
            if region == "china":
                entry["first_for_languages"] = [HAN]
            if region in ("china", "international"):
                said = "in China (listed first on the Chinese pages)" if region == "china" else "outside China"
                self.infer(("regions", index), region_lines[region], f"read from its title as the mirrors for readers "
                                                                     f"{said}")
            if not any(title for title in titles.values() if title not in REGION_TITLE.values()):
                self.infer(("regions", index, "title"), region_lines[region], "the links have no heading: the "
                                                                              "region's title is datasite's")
            if region in notes:
                texts = {lang: "\n".join(lines) for lang, lines in notes[region].items()}
                entry["note"] = self.passage(texts, f"the note of region '{region}'", note_lines[region])
            regions.append(entry)
        result, ids = [], Ids({r["id"] for r in regions})
        for mirror in mirrors.values():
            index = len(result)
            if len(mirror.labels) < len(READ_LANGUAGES) and len(self.by_language) == len(READ_LANGUAGES):
                self.warn(next(iter(mirror.lines.values())),
                          f"mirror {mirror.url} is listed in {', '.join(mirror.labels)} only")
            codes = {code for code, _ in mirror.codes.values()}
            code = None
            if len(codes) > 1:
                details = "; ".join(f"{lang}: {c} (line {n})" for lang, (c, n) in mirror.codes.items())
                query = parse_qs(urlsplit(mirror.url).query)
                in_url = next((v[0] for k, v in query.items() if k.lower() in ("pwd", "password", "code")), None)
                code = in_url if in_url in codes else mirror.codes.get(LATIN, next(iter(mirror.codes.values())))[0]
                self.warn(min(n for _, n in mirror.codes.values()),
                          f"mirror {mirror.url} has different codes: {details}; kept {code}")
                self.infer(("mirrors", index, "code"), min(n for _, n in mirror.codes.values()),
                           f"the README gives different codes ({details}): {code} was kept")
            elif codes:
                code = codes.pop()
            first_line = min(mirror.lines.values())
            label = self.line_pair(dict(mirror.labels), f"the label of mirror {mirror.url}", first_line,
                                   ("mirrors", index, "label"))
            changed = {lang: written for lang, written in mirror.written.items() if written != mirror.labels[lang]}
            if changed:
                said = "; ".join(f"'{mirror.labels[lang]}' from '{written}'" for lang, written in changed.items())
                self.infer(("mirrors", index, "label"), first_line, f"the service's name, without the words around "
                                                                    f"it: {said}")
            base = slug(label[LATIN]) or slug(urlsplit(mirror.url).hostname or "") or "mirror"
            entry = {"id": ids.make(base), "region": mirror.region, "label": label, "url": mirror.url}
            if code:
                entry["code"] = code
            result.append(entry)
        if not result:
            return self.no_mirrors(regions)
        return regions, result

    @staticmethod
    def mirror_label(label: str, url: str, lang: str) -> str:
        """The service's name: the label without the words around it, or, where the label says
        nothing of where it leads ("Link", "下载", the bare host), the service's name by its host."""
        cleaned = service_label(label, url)
        known = service_of(url)
        if known and (cleaned.lower() in _GENERIC_LABELS or cleaned == urlsplit(url).hostname):
            return known[lang]
        return cleaned

    def no_mirrors(self, regions: list[dict]) -> tuple[list[dict], list[dict]]:
        """No mirror list: the data lies in the repository beside the README, whose web address
        git knows; without one, a placeholder to fill in."""
        url = repository_url(self.folder, self.git_remote) if self.folder else None
        title = self.halves[0].number
        path = ("mirrors", 0)
        if url:
            self.warn(title, f"no mirror list: the repository {url} is the one mirror (the data lies beside "
                             "the README); add mirrors to dataset.yml if there are others")
            self.infer(path, title, f"the README lists no mirror: the repository {url} (git's remote origin)")
            host = urlsplit(url).hostname or "repository"
            label = {"github.com": "GitHub", "gitlab.com": "GitLab", "gitee.com": "Gitee"}.get(host, host)
            mirror_label = {lang: label for lang in READ_LANGUAGES}
        else:
            url = f"https://{PLACEHOLDER_HOST}/download"
            self.warn(title, "no mirror list and no git remote: mirror 'download' is a placeholder; "
                             "fill in `mirrors` in dataset.yml")
            mirror_label = {lang: IMPORTED[lang].importer["download_label"] for lang in READ_LANGUAGES}
        region = {"id": "repository", "title": dict(REGION_TITLE)}
        return regions + [region], [{"id": "download", "region": "repository", "label": mirror_label, "url": url}]

    # --- contact, publications, related datasets ------------------------------------------------

    def contact(self) -> dict:
        contact: dict = {"person": {}, "intro": {}}
        number = None
        for lang in READ_LANGUAGES:
            lines = [line for section in self.sections(lang, "contact") for line in section.lines]
            intro = []
            for line in lines:
                number = number or line.number
                text = line.text
                emails, wechat = find_emails(text), _WECHAT.search(text)
                urls = [u for _, _, u in find_urls(text) if u.lower().startswith("http")]
                if emails:
                    contact.setdefault("email", emails[0][2])  # the first named: whom the README asks readers to write to
                if wechat:
                    contact.setdefault("wechat", wechat.group(1))
                if urls and not emails:
                    contact.setdefault("url", urls[0])
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
                person = _contact_person(lang, intro)
                if person:
                    contact["person"][lang] = person
        intro = contact.pop("intro")
        if intro:
            contact["intro"] = self.passage(intro, "the contact's text", number)
        people = contact.pop("person")
        if people:
            contact["person"] = self.line_pair(people, "the contact person", number, ("contact", "person"))
            self.infer(("contact", "person"), number, "the person named in the contact's first line")
        else:
            self.warn(None, "no contact person found: fill in `contact.person`")
            contact["person"] = {lang: PLACEHOLDERS[lang]["person"] for lang in READ_LANGUAGES}
        return {key: contact[key] for key in ("person", "intro", "email", "wechat", "url") if key in contact}

    def listed(self) -> list[dict]:
        """Publications, paired line by line; references in a citation section other than the
        formats datasite itself writes (APA, GB/T, the dataset) are publications too."""
        for section in self.sections(LATIN, "citation") + self.sections(HAN, "citation"):
            self.represented |= {line.number for line in section.lines if _CITATION_ENTRY.match(line.text)}
        lead_ins = {line.number for lang in READ_LANGUAGES for s in self.sections(lang, "citation") for line in s.lines
                    if self.article_lines and _CITE_CUE.search(line.text)
                    and not line.text[_CITE_CUE.search(line.text).end():].strip()}
        self.represented |= lead_ins  # "please cite:" above the article's reference: the cite page says it
        lines = {lang: [line for s in self.sections(lang, "publications") for line in s.lines]
                 + [line for s in self.sections(lang, "citation") for line in s.lines
                    if not _CITATION_ENTRY.match(line.text) and line.number not in self.article_lines | lead_ins]
                 for lang in READ_LANGUAGES}
        self.represented |= {line.number for found in lines.values() for line in found
                             if line.text.lstrip().startswith(("```", "~~~"))}  # a code block's fences
        lines = {lang: _blocks(found) for lang, found in lines.items()}
        out = []
        for index in range(max(len(lines[LATIN]), len(lines[HAN]))):
            pair = {lang: lines[lang][index] if index < len(lines[lang]) else None for lang in READ_LANGUAGES}
            present = next(line for line in pair.values() if line is not None)
            text = self.passage({lang: line.text if line else None for lang, line in pair.items()},
                                "a publication", present.number)
            out.append({"text": text})
        return out

    def related(self) -> list[dict]:
        found: dict[str, dict] = {}
        lines: dict[str, int] = {}
        for lang in READ_LANGUAGES:
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
                    lines.setdefault(url, line.number)
                    entry["name"][lang] = label or url
                    if rest:
                        entry.setdefault("note", {})[lang] = rest.lstrip("—–- ").strip()
                    self.represented.add(line.number)
        out = []
        for index, (url, entry) in enumerate(found.items()):
            entry["name"] = self.line_pair(entry["name"], f"the name of related dataset {url}", lines[url],
                                           ("related_datasets", index, "name"))
            if "note" in entry:
                entry["note"] = self.passage(entry["note"], f"the note of related dataset {url}", lines[url])
            out.append(entry)
        return out

    def releases(self) -> list[dict]:
        """The files of a release, from the table `datasite export readme` writes."""
        out = []
        for lang in READ_LANGUAGES:
            for section in self.sections(lang, "release"):
                for line in section.lines:
                    if line.text.startswith("|") and line.text.endswith("|"):
                        self.represented.add(line.number)  # a row of the table, its header or its rule
        for section in self.sections(READ_LANGUAGES[0], "release") or self.sections(READ_LANGUAGES[1], "release"):
            title = next(m for m in (p.match(section.title) for p in _RELEASE_TITLES) if m)
            files = []
            for line in section.lines:
                row = _FILE_ROW.match(line.text)
                if row:
                    files.append({"name": row["name"], "size": int(row["size"]), "sha256": row["sha256"]})
            out.append({"version": title["version"], "date": date.fromisoformat(title["date"]), "files": files})
        return out

    # --- the guarantee ------------------------------------------------------------------------------


def audit(data: dict, halves: list[Half], represented: set[int], switches: set[int]) -> Notes:
    """Stage 4: every URL, email, code and line of the input (`halves`, as read) is in the
    output `data`, or named in a warning. `represented`: lines whose content is in a field other
    than as text; `switches`: lines that only link another language's README.

    Linear in the size of the README: output lines and tokens go into sets once."""
    strings = text_values(data)
    lines_out = {line.strip() for text in strings for line in text.split("\n")}
    tokens_out = set(strings)
    for text in strings:
        tokens_out |= {url for _, _, url in find_urls(text)}
        tokens_out |= {email for _, _, email in find_emails(text)}
        tokens_out |= set(_CODE.findall(text))
    notes = Notes()
    for half in halves:
        for line in half.preamble + [line for section in half.sections for line in section.lines]:
            if line.number not in switches or line.number in represented - switches:
                _check_line(line, lines_out, tokens_out, represented, notes)
    return notes

def _check_line(line: Line, lines_out: set[str], tokens_out: set[str], represented: set[int], notes: Notes) -> None:
    """A line is kept verbatim in a field, or it is a value datasite keeps in its own field (a
    mirror line, "Email: address", a citation format it writes itself); its links, emails and
    codes are in the output either way."""
    missing = [url for _, _, url in find_urls(line.text) if url not in tokens_out and doi_of_url(url) not in tokens_out]
    missing += [e for _, _, e in find_emails(line.text) if e not in tokens_out]
    missing += [c for c in _CODE.findall(line.text) if c not in tokens_out]
    if missing:
        notes.warn(line.number, f"not imported: {', '.join(missing)} (in '{line.text[:60]}')")
    elif line.number not in represented and line.text.strip() not in lines_out:
        notes.warn(line.number, f"paragraph not imported: '{line.text[:60]}…'")


def _creative_commons(short: str) -> tuple[str, str]:
    """SPDX id and deed URL of a Creative Commons license named like "CC BY-NC 4.0"."""
    parts = re.match(r"CC\s?(BY(?:-(?:NC|ND|SA)){0,2}|0)\s?(\d\.\d)", short)
    kind, version = parts.group(1), parts.group(2)
    if kind == "0":
        return "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"
    return f"CC-{kind}-{version}", f"https://creativecommons.org/licenses/{kind.lower()}/{version}/"


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


def import_readme(raw: bytes, name: str, folder: Path | None = None, git_remote: GitRemote = remote_origin
                  ) -> ImportResult:
    """`folder`: the README's repository, whose remote origin (`git_remote`) and CNAME say where
    the data and the site are, for a README that does not."""
    text = decode(raw, name)
    data, why_not = embedded_data(text, name)
    if data is not None:
        return ImportResult(data, [])
    # An export's labels are the data's own, as a person confirmed them: kept as written.
    result = Importer(text, name, folder, labels_as_written=why_not is not None, git_remote=git_remote).run()
    if why_not:
        result.warnings.insert(0, f"{name}: written by datasite, but {why_not}: its text is imported")
    return result


class _Dumper(yaml.SafeDumper):
    """Multi-line texts as literal blocks (|), as a person would write them; a value met twice is
    written out twice (dataset.yml refuses aliases)."""

    def ignore_aliases(self, data) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def to_yaml(data: dict, source: str) -> str:
    header = (f"# dataset.yml, imported from {source} by `datasite import`.\n"
              "# `datasite check` lists what the import inferred or copied: check each, then `datasite confirm KEY`.\n\n")
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000)
