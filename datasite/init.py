"""`datasite init`: make a folder (an existing dataset repository, or an empty one) a datasite site.

It writes dataset.yml (imported from the README, or a commented skeleton), mkdocs.yml, the
confirmed translation lock, the generated README export and CITATION.cff, the Pages and weekly
link-check workflows, requirements.txt (how CI installs datasite) and .gitignore entries. No
datasite code is copied: the installed package brings the theme, the plugin and the checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

from .loader import load_dataset
from .problems import DatasetError
from .sync import atomic_write, lock_path_for, published_anchors, scan_pages, translation_units, write_lock

TEMPLATES = Path(__file__).parent / "templates"

# target path -> template (None: made by code)
FILES = {
    "dataset.yml": None,
    "mkdocs.yml": "mkdocs.yml",
    ".github/workflows/pages.yml": "workflows/pages.yml",
    ".github/workflows/links.yml": "workflows/links.yml",
    "requirements.txt": None,
    "docs/.gitkeep": None,  # hand-written pages go here; MkDocs needs the folder
}


@dataclass
class InitResult:
    written: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what `datasite check` says right after


class InitRefused(Exception):
    pass


def requirement() -> str:
    """How CI installs datasite: this very version."""
    try:
        return f"datasite=={metadata.version('datasite')}"
    except metadata.PackageNotFoundError:
        return "datasite"


def skeleton(root: Path) -> str:
    from .importer import slug

    name = root.resolve().name or "dataset"
    ident = slug(name) or "dataset"  # "2024-soil-survey" -> "m-2024-soil-survey": an id starts with a letter
    readable = re.sub(r"[-_]+", " ", name).strip() or "Dataset"
    text = (TEMPLATES / "dataset.yml").read_text(encoding="utf-8")
    return text.format(id=ident, name=readable.replace('"', "'"), year=date.today().year)


def init_repository(root: Path, readme: Path | None, *, force: bool, install: str | None = None) -> InitResult:
    """Write the files of a datasite site into `root`; refuses to replace any without `force`."""
    from .importer import ImportFailure, import_readme, to_yaml

    # Also the files written after dataset.yml: the lock file and the generated ones.
    written_later = ("dataset.lock.json", "README.dataset.md", "CITATION.cff")
    existing = [name for name in (*FILES, *written_later) if (root / name).exists() and name != "docs/.gitkeep"]
    if existing and not force:
        raise InitRefused(f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
                          "use --force to replace")
    result = InitResult()
    if readme is None and (root / "README.md").is_file():
        readme = root / "README.md"
    if readme is not None:
        try:
            imported = import_readme(readme.read_bytes(), readme.name, readme.resolve().parent)
        except OSError as exc:
            raise InitRefused(f"cannot read {readme}: {exc.strerror}") from None
        except ImportFailure as exc:
            raise InitRefused(f"{readme}: {exc}") from None
        data_text = to_yaml(imported.data, readme.name)
        result.warnings += imported.warnings
    else:
        data_text = skeleton(root)
    contents = {
        "dataset.yml": data_text,
        "requirements.txt": (install or requirement()) + "\n",
        "docs/.gitkeep": "",
    }
    for target, template in FILES.items():
        text = contents[target] if template is None else (TEMPLATES / template).read_text(encoding="utf-8")
        atomic_write(root / target, text)
        result.written.append(target)
    if add_ignored(root / ".gitignore"):
        result.written.append(".gitignore")

    try:
        loaded = load_dataset(root / "dataset.yml")
    except DatasetError as exc:
        result.problems += [str(p) for p in exc.problems]
        return result
    # The texts as imported are what the author wrote in both languages: confirmed as they are.
    pages, _ = scan_pages(root / "docs")
    lock = lock_path_for(root / "dataset.yml")
    write_lock(lock, translation_units(loaded, pages), None, {}, published_anchors(loaded))
    result.written.append(lock.name)
    from .export import TARGETS, export

    for path, _ in export(loaded.dataset, root, list(TARGETS), check=False):
        result.written.append(path.name)
    from .sync import check_sync

    report = check_sync(loaded, root / "docs", lock)
    result.problems += [str(p) for p in report.errors + report.warnings]
    return result


def add_ignored(path: Path) -> bool:
    """Add the build's output folders to .gitignore (kept as it is otherwise); True if written."""
    header, *entries = (TEMPLATES / "gitignore").read_text(encoding="utf-8").splitlines()
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in current.splitlines()}
    missing = [entry for entry in entries if entry not in present and entry.rstrip("/") not in present]
    if not missing:
        return False
    separator = "" if not current or current.endswith("\n") else "\n"
    addition = "\n".join([header, *missing]) + "\n"
    atomic_write(path, current + separator + ("\n" if current else "") + addition)
    return True
