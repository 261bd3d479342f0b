"""Generated files kept in the repository: the dataset README, CITATION.cff and .zenodo.json.

`datasite export` writes them; `datasite export --check` fails when a committed one differs from
what dataset.yml gives, so CI catches a forgotten regeneration.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Callable

from .model import Dataset
from .render.metadata import citation_cff
from .render.readme import GENERATED_HEADER, render_readme
from .render.zenodo import zenodo_json
from .sync import atomic_write

TARGETS: dict[str, tuple[str, Callable[[Dataset], str]]] = {
    "readme": ("README.dataset.md", render_readme),
    "cff": ("CITATION.cff", citation_cff),
    "zenodo": (".zenodo.json", zenodo_json),  # what Zenodo reads when it archives a GitHub release
}
OWN_README = "README.md"  # the page GitHub shows: the export's, once datasite owns it


def readme_owned(root: Path) -> bool:
    """Whether README.md is datasite's export (it starts with the export's header)."""
    try:
        with (root / OWN_README).open(encoding="utf-8") as handle:
            return handle.read(len(GENERATED_HEADER)) == GENERATED_HEADER
    except (OSError, UnicodeDecodeError):
        return False


def take_readme(root: Path, *, check_only: bool = False) -> str | None:
    """Let the README export own README.md: refused (the reason returned) unless README.md is
    datasite's already, absent, or committed unchanged, so that git keeps the hand-written one.
    README.dataset.md, the export's place until now, is removed."""
    readme = root / OWN_README
    if readme.exists() and not readme_owned(root):
        def git(*args: str) -> int:
            try:
                return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=30).returncode
            except (OSError, subprocess.SubprocessError):
                return 1
        if git("ls-files", "--error-unmatch", OWN_README) != 0 or git("diff", "--quiet", "HEAD", "--", OWN_README) != 0:
            return (f"{OWN_README} is not committed as it is: commit it first, so that git keeps the hand-written "
                    "one, then let the export replace it")
    if not check_only:
        (root / TARGETS["readme"][0]).unlink(missing_ok=True)
    return None


def export(dataset: Dataset, root: Path, names: list[str], check: bool, *, own_readme: bool = False
           ) -> list[tuple[Path, str]]:
    """Write (or, with `check`, compare) the targets; returns (path, "written"/"stale"/"fresh").

    The README goes to README.md where datasite owns it (`own_readme`, or it did before)."""
    results = []
    for name in names:
        filename, render = TARGETS[name]
        if name == "readme" and (own_readme or readme_owned(root)):
            filename = OWN_README
        path = root / filename
        content = render(dataset)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            results.append((path, "fresh"))
        elif check:
            results.append((path, "stale" if current is not None else "missing"))
        else:
            atomic_write(path, content)
            results.append((path, "written"))
    return results
