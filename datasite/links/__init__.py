"""Link validation in three steps, as in lychee: collect -> check -> report."""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from .cache import VerdictCache
from .verdict import CheckOptions, Verdict

if TYPE_CHECKING:
    import httpx

DEFAULT_CACHE = Path(".cache") / "datasite" / "links.json"


def default_cache_path(data_path: Path) -> Path:
    return data_path.resolve().parent / DEFAULT_CACHE


def check_links(
    urls: list[str],
    cache: VerdictCache,
    options: CheckOptions,
    *,
    offline: bool = False,
    refresh: bool = False,
    transport: "httpx.AsyncBaseTransport | None" = None,
) -> dict[str, Verdict]:
    """Verdicts for `urls`: fresh cached ones reused, the rest checked (unless offline) and cached."""
    verdicts: dict[str, Verdict] = {}
    todo = []
    for url in urls:
        cached = None if refresh else cache.fresh(url)
        if cached is not None:
            verdicts[url] = cached
        elif offline:
            verdicts[url] = cache.entries.get(url) or Verdict(url, None, None, None, "not checked (offline)", None,
                                                              kind="not-checked")
        else:
            todo.append(url)
    if todo:
        from .check import Checker  # the HTTP client is imported only when something is checked

        checked = Checker(options, transport).run(todo)
        verdicts.update(checked)
        cache.update(checked)
        cache.save()
    return verdicts


def network_unavailable(verdicts: dict[str, Verdict]) -> bool:
    return any(v.ok is None and v.kind == "no-network" for v in verdicts.values())
