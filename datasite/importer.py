"""Import a hand-written bilingual dataset README (the style of the original Wenzhou README) into
the data of a dataset.yml, and tell the maintainer everything that did not fit or disagreed.

The README: a `# Title` per language, sections under `***Section***` (or `## Section`) headings,
`<br>` line breaks, mirror lines (`Label: URL`, `Label at ( URL )`, `Label (PWD:xxxx): URL`,
`URL (PWD:xxxx)`, full-width colons and parentheses, codes in the URL's query). The two halves are
paired section by section and mirror by mirror (by URL); texts are kept verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import yaml

from .model import LANGUAGES
from .tokens import EMAIL as _EMAIL, find_urls, invariant_tokens

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SECTION = re.compile(r"^\s*(?:\*\*\*(?P<a>.+?)\*\*\*|#{2,4}\s+(?P<b>.+?)|\*\*(?P<c>[^*]+)\*\*)\s*(?:<br\s*/?>)?\s*$")
_TITLE = re.compile(r"^#\s+(?P<title>.+?)\s*$")
_BR = re.compile(r"\s*<br\s*/?>\s*$", re.IGNORECASE)
_CODE = re.compile(r"(?:PWD|pwd|Pwd|password|Password|code|Code|提取码|密码|访问码)\s*[:：=]\s*([A-Za-z0-9]{2,12})")
_WECHAT = re.compile(r"(?:WeChat(?:\s*ID)?|微信号?)\s*[:：]\s*([A-Za-z][-_A-Za-z0-9]{2,63})")
_LICENSE = re.compile(r"CC\s?BY(?:-(?:NC|ND|SA)){0,2}\s?\d\.\d|CC0\s?1\.0")


class ImportFailure(Exception):
    """The input is not a README this importer can read (empty, binary, no sections)."""


@dataclass
class Line:
    number: int
    text: str


@dataclass
class Section:
    title: str
    number: int
    lines: list[Line] = field(default_factory=list)
    kind: str = "clause"  # clause, mirrors, contact, publications, related
    region: str | None = None


@dataclass
class Half:
    language: str
    title: str
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


def language_of(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    cjk = sum(1 for c in letters if _CJK.match(c))
    return "zh" if letters and cjk / len(letters) > 0.2 else "en"


def clean(text: str) -> str:
    return _BR.sub("", text).strip()


def split_halves(text: str, name: str) -> list[Half]:
    halves: list[Half] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        title = _TITLE.match(raw)
        if title:
            halves.append(Half("", clean(title["title"]), number))
            continue
        section = _SECTION.match(raw)
        if section and halves:
            halves[-1].sections.append(Section(clean(section["a"] or section["b"] or section["c"]), number))
            continue
        line = clean(raw)
        if not line or not halves:
            continue
        target = halves[-1].sections[-1].lines if halves[-1].sections else halves[-1].preamble
        target.append(Line(number, line))
    halves = [h for h in halves if h.sections]
    if not halves:
        raise ImportFailure(
            f"{name}: does not look like a dataset README: expected a '# Title' followed by "
            "'***Section***' (or '## Section') headings"
        )
    for half in halves:
        body = half.title + " ".join(line.text for s in half.sections for line in s.lines)
        half.language = language_of(body)
    return halves


def parse_mirror_line(text: str) -> tuple[str, str, str | None] | None:
    """(label, url, code) of a mirror line, or None when the line is not one."""
    urls = find_urls(text)
    if len(urls) != 1 or not urls[0][2].lower().startswith(("http://", "https://")):
        return None
    start, end, url = urls[0]
    code_match = _CODE.search(text[:start] + " " + text[end:])
    code = code_match.group(1) if code_match else None
    if not code:
        query = parse_qs(urlsplit(url).query)
        code = next((values[0] for key, values in query.items() if key.lower() in ("pwd", "password", "code")
                     and re.fullmatch(r"[A-Za-z0-9]{1,32}", values[0])), None)
    label = text[:start]
    label = re.sub(r"[（(]\s*(?:PWD|pwd|Pwd|password|提取码|密码|访问码)\s*[:：=]\s*[A-Za-z0-9]+\s*[)）]", "", label)
    label = re.sub(r"\s+at\s*[（(]\s*$", "", label)
    label = label.strip().rstrip(":：").strip().lstrip("-*• ").strip()
    if not label:
        after = re.sub(r"[（(].*?[)）]", "", text[end:]).strip(" :：()（）")
        label = after or urlsplit(url).hostname or url
    if len(label) > 60:
        return None
    return label, url, code


def classify(section: Section) -> None:
    title = section.title.lower()
    texts = [line.text for line in section.lines]
    if re.search(r"contact|联系", title) or (texts and all(_EMAIL.search(t) or _WECHAT.search(t) or t == texts[0]
                                                           for t in texts) and any(_EMAIL.search(t) for t in texts)):
        section.kind = "contact"
    elif re.search(r"related|other datasets?|sibling|相关数据|其他数据", title):
        section.kind = "related"
    elif re.search(r"publication|papers?|references?|文献|论文|成果", title):
        section.kind = "publications"
    elif texts and sum(1 for t in texts if parse_mirror_line(t)) >= max(1, (len(texts) + 1) // 2):
        section.kind = "mirrors"
        if re.search(r"china|中国|国内|大陆", title):
            section.region = "china"
        elif re.search(r"international|abroad|global|国际|海外|境外", title):
            section.region = "international"
        else:
            section.region = slug(section.title) or "mirrors"


def slug(text: str) -> str:
    """An id: lowercase ASCII words joined by hyphens, starting with a letter ("" if none)."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return f"m-{value}" if value[:1].isdigit() else value


class Importer:
    def __init__(self, text: str, name: str):
        self.name = name
        self.warnings: list[str] = []
        self.halves = split_halves(text, name)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"{self.name}:{line}: {message}" if line else f"{self.name}: {message}")

    def run(self) -> ImportResult:
        halves: dict[str, Half] = {}
        for half in self.halves:
            if half.language in halves:
                self.warn(half.number, f"a second {half.language} half ('{half.title}'): its sections are added "
                                       "to the first one")
                halves[half.language].sections += half.sections
            else:
                halves[half.language] = half
            for section in half.sections:
                classify(section)
        self.pair_regions(halves)
        for language in LANGUAGES:
            if language not in halves:
                other = next(iter(halves.values()))
                self.warn(None, f"no {language} half: the {language} texts are copies of the {other.language} "
                                "ones; translate them")
                halves[language] = other
        self.by_language = halves
        data = {
            "id": "",
            "name": {},
            "title": {lang: halves[lang].title for lang in LANGUAGES},
            "description": {},
        }
        clauses = self.clauses()
        data["name"] = self.names()
        data["id"] = slug(data["name"]["en"]) or "dataset"
        data["description"] = self.descriptions(data["name"], clauses)
        data["license"] = self.license(clauses)
        data["article"] = self.article(clauses, data["name"])
        regions, mirrors = self.mirrors()
        data["regions"] = regions
        data["mirrors"] = mirrors
        data["clauses"] = clauses
        data["contact"] = self.contact()
        publications = self.listed("publications")
        if publications:
            data["publications"] = publications
        related = self.related()
        if related:
            data["related_datasets"] = related
        self.check_nothing_lost(data)
        return ImportResult(data, self.warnings)

    @staticmethod
    def pair_regions(halves: dict[str, Half]) -> None:
        """Mirror sections are paired by position; a region named in either half names both."""
        lists = [[s for s in half.sections if s.kind == "mirrors"] for half in halves.values()]
        for index in range(max(map(len, lists))):
            pair = [sections[index] for sections in lists if index < len(sections)]
            known = next((s.region for s in pair if s.region in ("china", "international")), None)
            english = next((s for s in pair if language_of(s.title) == "en"), None)
            region = known or (slug(english.title) if english else "") or f"region-{index + 1}"
            for section in pair:
                section.region = region

    # --- sections --------------------------------------------------------------------------

    def sections(self, language: str, kind: str) -> list[Section]:
        return [s for s in self.by_language[language].sections if s.kind == kind]

    def clauses(self) -> list[dict]:
        en, zh = self.sections("en", "clause"), self.sections("zh", "clause")
        clauses = []
        used_ids = set()
        for index in range(max(len(en), len(zh))):
            pair = {"en": en[index] if index < len(en) else None, "zh": zh[index] if index < len(zh) else None}
            present = {lang: s for lang, s in pair.items() if s is not None}
            for lang in LANGUAGES:
                if pair[lang] is None:
                    other = next(iter(present.values()))
                    self.warn(other.number, f"section '{other.title}' has no {lang} counterpart: its {lang} text is "
                                            f"a copy; translate it")
                    pair[lang] = other
            base = slug(pair["en"].title) or f"clause-{index + 1}"
            clause_id, n = base, 2
            while clause_id in used_ids:
                clause_id, n = f"{base}-{n}", n + 1
            used_ids.add(clause_id)
            body = {lang: "\n".join(line.text for line in pair[lang].lines) for lang in LANGUAGES}
            for lang in LANGUAGES:
                if not body[lang]:
                    body[lang] = pair[lang].title
            if invariant_tokens(body["en"]) != invariant_tokens(body["zh"]) and pair["en"] is not pair["zh"]:
                only_en = sorted(invariant_tokens(body["en"]) - invariant_tokens(body["zh"]))
                only_zh = sorted(invariant_tokens(body["zh"]) - invariant_tokens(body["en"]))
                self.warn(pair["zh"].number, f"sections '{pair['en'].title}' and '{pair['zh'].title}' differ in "
                                             f"numbers or links (only in en: {', '.join(only_en) or '-'}; only in "
                                             f"zh: {', '.join(only_zh) or '-'}); `datasite check` will ask you to fix it")
            clauses.append({"id": clause_id, "title": {lang: pair[lang].title for lang in LANGUAGES}, "body": body})
        if not clauses:
            self.warn(None, "no terms found: add clauses to dataset.yml")
        return clauses

    def names(self) -> dict:
        names = {}
        for lang, pattern in (("en", r'data source as\s+"([^"]+)"'), ("zh", r"“([^”]+)”")):
            found = re.search(pattern, "\n".join(line.text for s in self.by_language[lang].sections
                                                 for line in s.lines))
            names[lang] = found.group(1) if found else re.sub(
                r"^(Download and License of|Download and license of)\s+|的下载方式及许可协议$", "",
                self.by_language[lang].title)
        return names

    def descriptions(self, names: dict, clauses: list[dict]) -> dict:
        """A starting point (50 to 600 characters): the title, then the first section's text."""
        first = clauses[0]["body"] if clauses else {lang: names[lang] for lang in LANGUAGES}
        descriptions = {}
        for lang in LANGUAGES:
            stop = ". " if lang == "en" else "。"
            text = (self.by_language[lang].title + stop + first[lang]).replace("\n", " ")
            while len(text) < 50:
                text += stop + names[lang]
            descriptions[lang] = text if len(text) <= 600 else text[:599].rstrip() + "…"
        self.warn(None, "description: made from the title and the first section; write a proper one")
        return descriptions

    def license(self, clauses: list[dict]) -> dict:
        text = {lang: "\n".join(c["body"][lang] for c in clauses) for lang in LANGUAGES}
        found = _LICENSE.search(text["en"]) or _LICENSE.search(text["zh"])
        if not found:
            self.warn(None, "no Creative Commons license found: fill in `license` (it is set to CC BY 4.0)")
            short = "CC BY 4.0"
        else:
            short = re.sub(r"\s+", " ", found.group(0).replace("CCBY", "CC BY"))
        parts = re.match(r"CC\s?(BY(?:-(?:NC|ND|SA)){0,2}|0)\s?(\d\.\d)", short)
        kind, version = parts.group(1), parts.group(2)
        spdx = f"CC-{kind}-{version}" if kind != "0" else "CC0-1.0"
        url = f"https://creativecommons.org/licenses/{kind.lower()}/{version}/" if kind != "0" else \
            "https://creativecommons.org/publicdomain/zero/1.0/"
        names = {}
        for lang, pattern in (("en", r"under the ([^;()]+?)\s*\(\s*" + re.escape(short)),
                              ("zh", r"遵循([^。；（(]+?)\s*[（(]\s*" + re.escape(short))):
            match = re.search(pattern, text[lang])
            names[lang] = match.group(1).strip() if match else short
        return {"name": names, "short": short, "spdx": spdx, "url": url}

    def article(self, clauses: list[dict], names: dict) -> dict:
        pattern = re.compile(
            r"(?P<given>[A-Z][\w-]+)\s+(?P<family>[A-Z][\w-]+)(?P<etal>\s+et al\.?)?,?\s+(?P<title>[^.]+?)[.,]\s+"
            r"(?P<journal>[A-Z][^.(]+?)\s*\((?P<year>\d{4})\),?\s*https?://doi\.org/(?P<doi>10\.\d{4,9}/\S+)"
        )
        for clause in clauses:
            found = pattern.search(clause["body"]["en"])
            if found:
                return {
                    "authors": [{"family": found["family"], "given": found["given"]}],
                    "et_al": bool(found["etal"]),
                    "title": found["title"].strip(),
                    "journal": found["journal"].strip(),
                    "year": int(found["year"]),
                    "doi": found["doi"].rstrip(".,;)"),
                }
        self.warn(None, "no source article found (Author et al. Title. Journal (Year), https://doi.org/…): "
                        "fill in `article`")
        return {"authors": [{"family": "Unknown", "given": "Unknown"}], "title": names["en"],
                "journal": "Unknown", "year": 2000}

    def mirrors(self) -> tuple[list[dict], list[dict]]:
        mirrors: dict[str, Mirror] = {}
        region_titles: dict[str, dict[str, str]] = {}
        for lang in ("en", "zh"):
            for section in self.sections(lang, "mirrors"):
                region_titles.setdefault(section.region, {})[lang] = section.title
                for line in section.lines:
                    parsed = parse_mirror_line(line.text)
                    if not parsed:
                        continue  # reported by the nothing-lost check if it held anything
                    label, url, code = parsed
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
            regions.append(entry)
        result, used = [], set()
        for mirror in mirrors.values():
            for lang in LANGUAGES:
                if lang not in mirror.labels:
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
            mirror_id, n = base, 2
            while mirror_id in used:
                mirror_id, n = f"{base}-{n}", n + 1
            used.add(mirror_id)
            entry = {"id": mirror_id, "region": mirror.region,
                     "label": {lang: mirror.labels[lang] for lang in LANGUAGES}, "url": mirror.url}
            if code:
                entry["code"] = code
            result.append(entry)
        if not result:
            self.warn(None, "no mirrors found: add them to dataset.yml")
        return regions, result

    def contact(self) -> dict:
        contact: dict = {"person": {}, "intro": {}}
        for lang in LANGUAGES:
            lines = [line.text for section in self.sections(lang, "contact") for line in section.lines]
            intro = next((t for t in lines if not _EMAIL.search(t) and not _WECHAT.search(t)), "")
            if intro:
                contact["intro"][lang] = intro
            person = re.search(r"contact\s+(.+?)\.?$", intro) if lang == "en" else re.search(r"联系(.+?)[。.]?$", intro)
            contact["person"][lang] = person.group(1) if person else ""
            for text in lines:
                email, wechat = _EMAIL.search(text), _WECHAT.search(text)
                if email:
                    contact["email"] = email.group(0)
                if wechat:
                    contact["wechat"] = wechat.group(1)
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

    def listed(self, kind: str) -> list[dict]:
        """Publications: paired line by line between the halves."""
        lines = {lang: [line for s in self.sections(lang, kind) for line in s.lines] for lang in LANGUAGES}
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
        for lang in ("en", "zh"):
            for section in self.sections(lang, "related"):
                for line in section.lines:
                    parsed = parse_mirror_line(line.text)
                    if parsed:
                        label, url, _ = parsed
                        found.setdefault(url, {"name": {}, "url": url})["name"][lang] = label
        out = []
        for entry in found.values():
            for lang in LANGUAGES:
                entry["name"].setdefault(lang, next(iter(entry["name"].values())))
            out.append(entry)
        return out

    # --- the guarantee ---------------------------------------------------------------------------

    def check_nothing_lost(self, data: dict) -> None:
        """Every URL, email, code and paragraph of the input is in the output, or named here."""
        haystack = "\n".join(_strings(data))
        for half in self.halves:
            for section in half.sections:
                for line in section.lines:
                    missing = [url for _, _, url in find_urls(line.text) if url not in haystack]
                    missing += [e for e in _EMAIL.findall(line.text) if e not in haystack]
                    missing += [c for c in _CODE.findall(line.text) if c not in haystack]
                    if missing:
                        self.warn(line.number, f"not imported: {', '.join(missing)} (in '{line.text[:60]}')")
                    elif section.kind in ("clause", "publications") and line.text not in haystack:
                        self.warn(line.number, f"paragraph not imported: '{line.text[:60]}…'")
            for line in half.preamble:
                if line.text not in haystack:
                    self.warn(line.number, f"text before the first section not imported: '{line.text[:60]}'")


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)]


def import_readme(raw: bytes, name: str) -> ImportResult:
    return Importer(decode(raw, name), name).run()


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
