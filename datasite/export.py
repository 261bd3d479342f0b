"""Generated files kept in the repository: the dataset README and CITATION.cff.

`datasite export` writes them; `datasite export --check` fails when a committed one differs from
what dataset.yml gives, so CI catches a forgotten regeneration.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .model import Dataset
from .render.metadata import citation_cff
from .render.readme import render_readme
from .sync import atomic_write

TARGETS: dict[str, tuple[str, Callable[[Dataset], str]]] = {
    "readme": ("README.dataset.md", render_readme),
    "cff": ("CITATION.cff", citation_cff),
}


def export(dataset: Dataset, root: Path, names: list[str], check: bool) -> list[tuple[Path, str]]:
    """Write (or, with `check`, compare) the targets; returns (path, "written"/"stale"/"fresh")."""
    results = []
    for name in names:
        filename, render = TARGETS[name]
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
