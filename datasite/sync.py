"""Keeping the languages in sync: presence, invariant tokens, hand-written pages, staleness.

Staleness is tracked in a small lock file next to dataset.yml. For every translatable unit
(a dataset.yml text or a hand-written page) it records a fingerprint of each language's text
when a person last confirmed that the translations match. When one language has changed since
then and another has not, the unit is stale: the other language probably needs the same edit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .fsio import atomic_write, describe, file_kind_problem, read_bytes, special_kind  # (atomic_write: imported from here too)
from .loader import LoadedDataset, display_name, format_path
from .model import translatable_fields
from .problems import Problem
from .review import ReviewItem, covers, placeholders
from .tokens import spelled_tokens

GENERATED_PAGES = ("index", "download", "license", "cite", "contact", "changes")
"""Pages generated from dataset.yml; their URLs are part of the site's contract."""

LOCK_VERSION = 1


@dataclass(frozen=True)
class Unit:
    """One translatable thing: its stable key, text per language, and where to point at it."""

    key: str
    texts: dict[str, str]
    where: Problem  # a template problem carrying file/line/column/key for messages


def fingerprint(text: str) -> str:
    normalized = text.replace("\r\n", "\n").strip()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def token_problems(loaded: LoadedDataset) -> list[Problem]:
    problems = []
    for path, key, value in translatable_fields(loaded.dataset):
        tokens = {lang: spelled_tokens(text) for lang, text in value.items()}
        if len(tokens) < 2:
            continue  # written in one language only: nothing to compare it with
        reference, *others = tokens
        for lang in others:
            missing = sorted(tokens[reference][k] for k in tokens[reference].keys() - tokens[lang].keys())
            extra = sorted(tokens[lang][k] for k in tokens[lang].keys() - tokens[reference].keys())
            if missing or extra:
                parts = []
                if missing:
                    parts.append(f"only in {reference}: {', '.join(missing)}")
                if extra:
                    parts.append(f"only in {lang}: {', '.join(extra)}")
                problems.append(
                    loaded.problem(
                        path,
                        f"the {reference} and {lang} texts differ in URLs, emails, DOIs or numbers "
                        f"({'; '.join(parts)})",
                    )
                )
    return problems


@dataclass(frozen=True)
class HandWrittenPage:
    name: str  # e.g. "guide" or "howto/setup"
    files: dict[str, Path]  # language -> file


def scan_pages(docs_dir: Path, languages: list[str]) -> tuple[list[HandWrittenPage], list[Problem]]:
    """Hand-written Markdown pages in docs/, grouped by page, with naming problems (`languages`:
    the site's, dataset.yml's `languages:`)."""
    pages: dict[str, dict[str, Path]] = {}
    problems = []
    if not docs_dir.is_dir():
        return [], []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if any(part.startswith(".") for part in path.relative_to(docs_dir).parts) or file_kind_problem(path):
            continue  # (a special file is refused by docs_problems)
        display = display_name(path)
        stem, _, language = rel[: -len(".md")].rpartition(".")
        if not stem or "/" in language:
            problems.append(
                Problem(display, 1, 1, rel, f"a page needs a language suffix: name it "
                        f"{rel[:-3]}.{languages[0]}.md"
                        + "".join(f" and add {rel[:-3]}.{other}.md" for other in languages[1:]))
            )
            continue
        if language not in languages:
            problems.append(
                Problem(display, 1, 1, rel, f"unknown language suffix '.{language}' (use {', '.join(languages)})")
            )
            continue
        if stem in GENERATED_PAGES:
            problems.append(
                Problem(display, 1, 1, rel, f"'{stem}' is generated from dataset.yml; give this page another name")
            )
            continue
        pages.setdefault(stem, {})[language] = path
    result = []
    for stem, files in sorted(pages.items()):
        for lang in languages:
            if lang not in files:
                present = next(iter(files.values()))
                problems.append(
                    Problem(display_name(present), 1, 1, f"docs/{stem}",
                            f"this page exists in {', '.join(sorted(files))} only: add {stem}.{lang}.md")
                )
        if len(files) == len(languages):
            result.append(HandWrittenPage(stem, files))
    return result, problems


def docs_problems(docs_dir: Path, reserved: set[str]) -> list[Problem]:
    """Files in docs/ the build cannot take: special files (a FIFO would hang the build's read of
    it) and files at a path the build generates (one would silently replace the other)."""
    problems = []
    if not docs_dir.is_dir():
        return problems
    for folder, folders, names in os.walk(docs_dir, followlinks=True):
        folders.sort()
        for name in sorted(names + [f for f in folders if os.path.islink(os.path.join(folder, f))]):
            path = Path(folder) / name
            rel = path.relative_to(docs_dir).as_posix()
            try:
                mode = os.stat(path).st_mode
            except OSError:
                continue  # a dangling link: MkDocs names it
            kind = special_kind(mode)
            if kind:
                problems.append(Problem(display_name(path), 1, 1, rel, f"{kind}, not a file: a page or an asset must "
                                        "be a regular file; remove it or move it out of docs/"))
            elif rel in reserved:
                problems.append(Problem(display_name(path), 1, 1, rel, f"the build generates /{rel} from dataset.yml, "
                                        "so this file would replace it or be replaced by it: rename or remove it"))
    return problems


def translation_units(loaded: LoadedDataset, pages: list[HandWrittenPage]) -> list[Unit]:
    units = []
    for path, key, value in translatable_fields(loaded.dataset):
        units.append(Unit(key, dict(value.items()), loaded.problem(path, "")))
    for page in pages:
        texts = {lang: read_page(file) for lang, file in page.files.items()}
        first = page.files[loaded.dataset.languages[0]]
        units.append(Unit(f"docs/{page.name}", texts, Problem(display_name(first), 1, 1, f"docs/{page.name}", "")))
    return units


def read_page(path: Path) -> str:
    # Undecodable bytes are kept visible (U+FFFD) rather than crashing: MkDocs reports the file.
    return read_bytes(path).decode("utf-8-sig", errors="replace")


def lock_path_for(data_path: Path) -> Path:
    return data_path.with_name(data_path.stem + ".lock.json")


def published_anchors(loaded: LoadedDataset) -> dict[str, list[str]]:
    """The anchors papers may print, by page: mirror and region ids, clause ids."""
    dataset = loaded.dataset
    return {"download": [r.id for r in dataset.regions] + [m.id for m in dataset.mirrors],
            "license": [c.id for c in dataset.clauses]}


def read_anchors(path: Path) -> dict[str, list[str]]:
    content, problems = lock_content(path)
    return {} if problems else content.get("anchors", {})


def anchor_problems(loaded: LoadedDataset, lock_file: Path) -> list[Problem]:
    """An anchor that was confirmed once and is gone now: a link printed in a paper breaks."""
    now = published_anchors(loaded)
    problems = []
    for page, ids in read_anchors(lock_file).items():
        for anchor in ids:
            if anchor not in now.get(page, []):
                kind = "mirror" if page == "download" else "clause"
                hint = (f"keep the mirror with `retired: {date.today()}` (its anchor stays, marked retired)"
                        if page == "download" else "keep a clause with this id")
                problems.append(Problem(display_name(lock_file), 1, 1, f"{page}#{anchor}",
                                        f"the anchor /{page}/#{anchor} is gone (a {kind} was removed or renamed): "
                                        f"papers may print it; {hint}, or run `datasite confirm --all` to let it go"))
    return problems


_HEX16 = re.compile(r"[0-9a-f]{16}")
_ANCHOR = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
LOCK_KEYS = ("version", "fingerprints", "anchors", "review")


def _lock_shape(content: object) -> list[tuple[str, str]]:
    """What is wrong with the parsed lock file, as (key, message): it is checked as strictly as
    dataset.yml, since a malformed part would silently switch off the guard it keeps."""
    if not isinstance(content, dict):
        return [("", "not a JSON object")]
    found = []
    version = content.get("version")
    if type(version) is not int or version != LOCK_VERSION:
        found.append(("version", f"expected {LOCK_VERSION}, found {json.dumps(version)}"))
    for key in content:
        if key not in LOCK_KEYS:
            found.append((str(key), f"unknown key (the keys are {', '.join(LOCK_KEYS)})"))
    fingerprints = content.get("fingerprints")
    if not isinstance(fingerprints, dict):
        found.append(("fingerprints", "expected an object of texts"))
    else:
        for key, value in fingerprints.items():
            if not isinstance(value, dict) or not value or not all(
                    isinstance(lang, str) and isinstance(v, str) and _HEX16.fullmatch(v) for lang, v in value.items()):
                found.append((f"fingerprints.{key}", "expected an object of languages and 16-digit fingerprints"))
    anchors = content.get("anchors", {})
    if not isinstance(anchors, dict):
        found.append(("anchors", "expected an object of pages and their anchor lists"))
    else:
        for page, ids in anchors.items():
            if page not in ("download", "license"):
                found.append((f"anchors.{page}", "unknown page (anchors are kept for download and license)"))
            elif not isinstance(ids, list) or not all(isinstance(a, str) and _ANCHOR.fullmatch(a) for a in ids):
                found.append((f"anchors.{page}", "expected a list of anchors (ids such as baidu-backup)"))
    review = content.get("review", {})
    if not isinstance(review, dict):
        found.append(("review", "expected an object of values to review"))
    else:
        for key, value in review.items():
            if ReviewItem.from_json(key, value) is None:
                found.append((f"review.{key}", "expected {\"kind\": \"inferred\" or \"copied\", \"from\": …, \"why\": …}"))
    return found


def _line_of(text: str, key: str) -> int:
    """The line where the last part of a lock key is written (1 if it cannot be found)."""
    name = key.rpartition(".")[2]
    position = text.find(json.dumps(name)) if name else -1
    return text.count("\n", 0, position) + 1 if position >= 0 else 1


def lock_content(path: Path) -> tuple[dict, list[Problem]]:
    """The lock file's content, checked; with one located problem per part that is wrong."""
    if not path.exists():
        return {}, []
    shown = display_name(path)
    fix = "run `datasite confirm --all` to write it again"
    try:
        text = read_bytes(path).decode("utf-8")
        content = json.loads(text)
    except RecursionError:
        return {}, [Problem(shown, 1, 1, "", f"the translation lock file is unreadable (nested too deeply); {fix}")]
    except json.JSONDecodeError as exc:
        return {}, [Problem(shown, exc.lineno, exc.colno, "",
                            f"the translation lock file is unreadable ({exc.msg}); {fix}")]
    except (OSError, ValueError) as exc:
        why = describe(exc) if isinstance(exc, OSError) else exc.__class__.__name__
        return {}, [Problem(shown, 1, 1, "", f"the translation lock file is unreadable ({why}); {fix}")]
    problems = [Problem(shown, _line_of(text, key), 1, key, f"{message}; {fix}") for key, message in _lock_shape(content)]
    return (content if not problems else {}), problems


def read_lock(path: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    content, problems = lock_content(path)
    return content.get("fingerprints", {}), problems


def in_ci() -> bool:
    """On a CI machine, stale translations fail the build and `datasite check` (else they warn)."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def stale_problems(units: list[Unit], lock: dict[str, dict[str, str]], reviewed: set[str] = frozenset()
                   ) -> list[Problem]:
    """`reviewed`: keys with a review item of their own, which says more than "unconfirmed"."""
    problems = []
    for unit in units:
        recorded = lock.get(unit.key)
        if unit.key in reviewed:
            continue
        if not recorded or set(recorded) != set(unit.texts):
            # (A language added to or removed from a text is a new text of the others too.)
            # A new text: nobody has said yet that its languages match, so a later one-sided edit
            # could not be noticed. Said once, so that it is confirmed.
            where = unit.where
            problems.append(Problem(where.file, where.line, where.column, unit.key,
                                    "unconfirmed translation: check that both languages say the same, then run "
                                    f"`datasite confirm {unit.key}`"))
            continue
        changed = [lang for lang in unit.texts if recorded.get(lang) != fingerprint(unit.texts[lang])]
        if changed and len(changed) < len(unit.texts):
            unchanged = [lang for lang in unit.texts if lang not in changed]
            where = unit.where
            problems.append(
                Problem(
                    where.file, where.line, where.column, unit.key,
                    f"stale translation: {', '.join(changed)} changed since it was last confirmed but "
                    f"{', '.join(unchanged)} did not; update {', '.join(unchanged)}, then run "
                    f"`datasite confirm {unit.key}`",
                )
            )
    return problems


def read_review(path: Path) -> dict[str, ReviewItem]:
    """The values a tool wrote and a person has not confirmed yet (see review.py)."""
    content, problems = lock_content(path)
    items = {key: ReviewItem.from_json(key, value) for key, value in content.get("review", {}).items()}
    return {key: item for key, item in items.items() if item is not None}


def write_lock(path: Path, units: list[Unit], keys: set[str] | None, lock: dict,
               anchors: dict[str, list[str]] | None = None,
               review: dict[str, ReviewItem] | None = None) -> list[str]:
    """Record current fingerprints for `keys` (all units if None), the published anchors and the
    values to review (each kept as it was if None); returns the keys written."""
    known = {unit.key: unit for unit in units}
    entries = {k: v for k, v in lock.items() if k in known}
    written = []
    for key, unit in known.items():
        if keys is None or key in keys:
            entries[key] = {lang: fingerprint(text) for lang, text in unit.texts.items()}
            written.append(key)
    if anchors is None:
        anchors = read_anchors(path)
    if review is None:
        review = read_review(path)
    content = {"version": LOCK_VERSION, "fingerprints": dict(sorted(entries.items()))}
    if anchors:
        content["anchors"] = anchors
    if review:
        content["review"] = {key: item.as_json() for key, item in sorted(review.items())}
    text = json.dumps(content, ensure_ascii=False, indent=1) + "\n"
    atomic_write(path, text)
    return written


@dataclass
class SyncReport:
    errors: list[Problem]
    warnings: list[Problem]
    units: list[Unit]


def key_paths(loaded: LoadedDataset) -> dict[str, tuple]:
    """Stable key ("mirrors.quark.label") -> key path, for every key of the file (made once per
    loaded file: a large one has a hundred thousand)."""
    return loaded.key_paths


def placeholder_problems(loaded: LoadedDataset) -> list[Problem]:
    """Placeholders anywhere in the data: never published by a strict build, whoever confirmed them."""
    problems = [loaded.problem(path, f"{why}: replace it with the real value") for path, why in placeholders(loaded.dataset)]
    if loaded.dataset.site_url is None:
        problems.append(loaded.problem(("site_url",), "not set: canonical links, the sitemap, citations "
                                                      "and the site's QR code need it (for GitHub Pages: "
                                                      "https://<user>.github.io/<repository>/)"))
    return problems


def review_problems(loaded: LoadedDataset, review: dict[str, ReviewItem]) -> list[Problem]:
    """One located line per value a tool wrote that nobody has confirmed yet."""
    if not review:
        return []  # (the usual case: no key of the file needs naming)
    paths = key_paths(loaded)
    problems = [loaded.problem(paths[key], item.message()) for key, item in review.items() if key in paths]
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


def unconfirmed_keys(loaded: LoadedDataset, review: dict[str, ReviewItem]) -> set[str]:
    """The review items that still name a value of the file (and the translation units they hold)."""
    if not review:
        return set()
    paths = key_paths(loaded)
    return {key for key in review if key in paths}


def check_sync(loaded: LoadedDataset, docs_dir: Path, lock_file: Path, reserved: set[str] | None = None) -> SyncReport:
    """`reserved`: the site paths the build generates (default: those of this dataset)."""
    if reserved is None:
        from .pipeline import reserved_site_paths

        reserved = reserved_site_paths(loaded.dataset)
    errors = docs_problems(docs_dir, reserved) + token_problems(loaded)
    pages, page_problems = scan_pages(docs_dir, loaded.dataset.languages)
    errors += page_problems
    units = translation_units(loaded, pages)
    lock, lock_problems = read_lock(lock_file)
    errors += lock_problems
    review = read_review(lock_file)
    warnings = placeholder_problems(loaded) + review_problems(loaded, review)
    if not lock_file.exists():  # one message rather than one per text
        warnings.append(Problem(display_name(lock_file), 1, 1, "", "no translation lock file: check the "
                                "translations, then run `datasite confirm --all`"))
    else:
        pending = unconfirmed_keys(loaded, review)  # (once: it walks every key of the file)
        reviewed = {unit.key for unit in units if any(covers(key, unit.key) for key in pending)}
        warnings += stale_problems(units, lock, reviewed) + anchor_problems(loaded, lock_file)
    return SyncReport(errors, warnings, units)
