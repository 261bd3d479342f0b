"""`datasite init`: make a folder (an existing dataset repository, or an empty one) a datasite site.

It writes dataset.yml (imported from the README, or a commented skeleton), mkdocs.yml, the
confirmed translation lock, the generated README export, CITATION.cff and .zenodo.json, the Pages and weekly
link-check workflows (through datasite's GitHub Action: `workflows.py`), an `overrides/` folder
for the site's own templates, and .gitignore entries. No datasite code is copied: the installed
package (and, on GitHub, the action) brings the theme, the plugin and the checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .loader import LoadedDataset, load_dataset
from .problems import DatasiteError, DatasetError
from .repository import published_site_url
from .review import PLACEHOLDER_HOST, ReviewItem, covers
from .fsio import read_bytes
from .sync import atomic_write, lock_path_for, scan_pages, translation_units, write_lock

TEMPLATES = Path(__file__).parent / "templates"

# target path -> template (None: made by code)
FILES = {
    "dataset.yml": None,
    "mkdocs.yml": "mkdocs.yml",
    "docs/.gitkeep": None,  # hand-written pages go here; MkDocs needs the folder
    "overrides/README.md": "overrides.md",  # the theme's custom_dir: a site's own templates (never copied into the site)
}


@dataclass
class InitResult:
    written: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # errors `datasite check` finds right after
    review: list[str] = field(default_factory=list)  # values to confirm or fill in, located (check's warnings)
    readme: str = "README.dataset.md"  # where the README export went
    action: str | None = None  # the GitHub Action the workflows use; None: no workflows written
    no_workflows: str | None = None  # why not


class InitRefused(DatasiteError):
    """init would overwrite something, or cannot read what it imports (a usage error: exit 2)."""

    exit_code = 2


def skeleton(root: Path) -> tuple[str, list[ReviewItem]]:
    """A commented dataset.yml to fill in, and what in it was made from the folder and git."""
    from .importer import slug

    name = root.resolve().name or "dataset"
    ident = slug(name) or "dataset"  # "2024-soil-survey" -> "m-2024-soil-survey": an id starts with a letter
    readable = re.sub(r"[-_]+", " ", name).strip() or "Dataset"
    found = published_site_url(root)
    site_url = found[0] if found else f"https://{PLACEHOLDER_HOST}/"
    text = (TEMPLATES / "dataset.yml").read_text(encoding="utf-8")
    review = [ReviewItem(key, "inferred", "the folder's name", f"made from the folder's name '{name}'")
              for key in ("id", "name", "title")]
    if found:
        review.append(ReviewItem("site_url", "inferred", found[1], "where GitHub Pages publishes the site"))
    return text.format(id=ident, name=readable.replace('"', "'"), year=date.today().year, site_url=site_url), review


def init_repository(root: Path, readme: Path | None, *, force: bool, action: str | None = None,
                    own_readme: bool = False, as_skeleton: bool = False) -> InitResult:
    """Write the files of a datasite site into `root`; refuses to replace any without `force`.

    `action`: where the workflows take datasite's GitHub Action from (OWNER/REPO@REF; default:
    this package's own repository, at this version's tag). `own_readme`: the README export
    replaces README.md (committed, so git keeps the hand-written one), so the page GitHub shows
    never goes stale."""
    from .importer import ImportFailure, import_readme, to_yaml
    from .workflows import WORKFLOWS, WorkflowError, checked_action, package_action, write_workflows

    # Also the files written after dataset.yml: the lock file and the generated ones.
    written_later = ("dataset.lock.json", "README.dataset.md", "CITATION.cff", ".zenodo.json", *WORKFLOWS)
    kept = ("docs/.gitkeep", "overrides/README.md")  # a folder's marker: never in the way
    existing = [name for name in (*FILES, *written_later) if (root / name).exists() and name not in kept]
    if existing and not force:
        raise InitRefused(f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
                          "use --force to replace")
    result = InitResult()
    try:
        action = checked_action(action) if action else package_action()
    except WorkflowError as exc:
        raise InitRefused(str(exc)) from None
    if readme is None and not as_skeleton and (root / "README.md").is_file():
        readme = root / "README.md"
    if own_readme:
        from .export import take_readme

        refusal = take_readme(root, check_only=True)
        if refusal:
            raise InitRefused(refusal)
    review: list[ReviewItem] = []
    if readme is not None:
        try:
            imported = import_readme(read_bytes(readme), readme.name, readme.resolve().parent)
        except OSError as exc:
            raise InitRefused(f"cannot read {readme}: {exc.strerror}") from None
        except ImportFailure as exc:
            raise InitRefused(f"{readme}: {exc}") from None
        data_text = to_yaml(imported.data, readme.name)
        result.warnings += imported.warnings
        review = imported.review
    else:
        data_text, review = skeleton(root)
    contents = {"dataset.yml": data_text, "docs/.gitkeep": ""}
    for target, template in FILES.items():
        if target in kept and (root / target).exists():
            continue
        text = contents[target] if template is None else (TEMPLATES / template).read_text(encoding="utf-8")
        atomic_write(root / target, text)
        result.written.append(target)
    if action:
        written, result.action = write_workflows(root, action, force=True)
        result.written += written
    else:
        result.no_workflows = ("this datasite names no GitHub repository to take its action from (a development "
                               "checkout: project.urls is a placeholder)")
    if add_ignored(root / ".gitignore"):
        result.written.append(".gitignore")

    try:
        loaded = load_dataset(root / "dataset.yml")
    except DatasetError as exc:
        result.problems += [str(p) for p in exc.problems]
        return result
    lock = write_import_lock(loaded, root / "docs", review)
    result.written.append(lock.name)
    from .export import TARGETS, export, take_readme

    if own_readme:
        take_readme(root)
    for path, _ in export(loaded.dataset, root, list(TARGETS), check=False, own_readme=own_readme):
        result.written.append(path.name)
        if path.name.startswith("README"):
            result.readme = path.name
    from .sync import check_sync

    report = check_sync(loaded, root / "docs", lock)
    result.problems += [str(p) for p in report.errors]
    result.review += [str(p) for p in report.warnings]
    return result


def write_import_lock(loaded: LoadedDataset, docs: Path, review: list[ReviewItem]) -> Path:
    """The lock of a dataset a tool has just written: the texts read as their author wrote them
    are confirmed as they are; what the tool inferred or copied is listed to review, and no anchor
    is recorded (nothing is published yet: ids may still change). Anchors recorded by a person
    (`datasite confirm --all`) before are kept."""
    from .sync import read_anchors

    pages, _ = scan_pages(docs, loaded.dataset.languages)
    units = translation_units(loaded, pages)
    reviewed = {unit.key for unit in units if any(covers(item.key, unit.key) for item in review)}
    lock = lock_path_for(loaded.path)
    write_lock(lock, units, {unit.key for unit in units} - reviewed, {}, read_anchors(lock),
               {item.key: item for item in review})
    return lock


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
