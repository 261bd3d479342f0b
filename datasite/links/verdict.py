"""A link's verdict and the checker's options: light types, shared by the site build (which
only reads cached verdicts) and the HTTP checker (check.py, which imports the HTTP client)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from .rules import DEFAULT_DEAD_SHARE_MARKERS


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


UNKNOWN_KINDS = ("rate-limited", "no-network", "not-checked")


@dataclass
class Verdict:
    url: str
    ok: bool | None  # None: unknown (not checked, or the network was unavailable)
    status: int | None
    final_url: str | None
    reason: str
    checked_at: str | None
    marker: str | None = None
    # Why a verdict is unknown, for the policies that read it (never the reason's wording):
    # "rate-limited" (the host asked us to slow down: says nothing of the link), "no-network"
    # (nothing could be looked up), "not-checked" (a deadline, --offline).
    kind: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Verdict":
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__})

    @property
    def state(self) -> str:
        return {True: "reachable", False: "dead", None: "unknown"}[self.ok]


@dataclass
class CheckOptions:
    timeout: float = 15.0  # of each read, connect or write (httpx)
    retries: int = 1  # further attempts after a timeout or a 5xx answer
    # A whole request, however slowly its server trickles bytes (None: 3 timeouts), and a whole run.
    deadline: float | None = None
    run_deadline: float | None = None
    allow_private_redirects: bool = False  # follow a public link's redirect to a private or local address
    backoff: float = 0.5
    max_redirects: int = 10
    per_host: int = 10  # as lychee's default host concurrency
    concurrency: int = 128  # as lychee
    max_retry_after: float = 60.0
    max_body: int = 1_000_000
    resolve_dois: bool = False
    markers: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_DEAD_SHARE_MARKERS))


