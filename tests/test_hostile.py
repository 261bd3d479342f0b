"""Hostile input: every class of mistake in dataset.yml (or in the files datasite keeps beside it)
gets one located message and exit 1 — never a traceback, a hang, a broken page or a changed site.

Each test names a class and runs members of it; the loader runs in-process where it can (a unit
layer), the build only where the site itself is the subject."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import TINY, copy_project, datasite, edit, mkdocs_build, page

from datasite.loader import load_dataset
from datasite.problems import DatasetError

BASE = (TINY / "dataset.yml").read_text(encoding="utf-8")


def problems_of(tmp_path: Path, text: str | bytes) -> list[str]:
    """The located problems `datasite check` reports for this dataset.yml (none: [])."""
    path = tmp_path / "dataset.yml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    try:
        load_dataset(path)
    except DatasetError as exc:
        return [str(p) for p in exc.problems]
    return []


def replaced(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


LOCATED = re.compile(r"^\S+:\d+:\d+: ")


@pytest.mark.parametrize("text,message", [
    # 1. patterns match the whole value: a final newline is not part of an id, code or SPDX id
    (replaced("  - id: example-archive\n", '  - id: "example-archive\\n"\n'), "mirrors[0].id: 'example-archive\\n' is not"),
    (replaced('    code: "0042"', '    code: "0042\\n"'), "mirrors.example-drive.code"),
    (replaced("  spdx: CC-BY-4.0", '  spdx: "CC-BY-4.0\\n"'), "license.spdx"),
    (replaced("  - id: use\n", '  - id: "use\\n"\n'), "clauses[0].id"),
    # 2. line breaks in one-line texts; control and invisible characters
    (replaced("title: {en: Mirrors,", 'title: {en: "Mir\\u2028rors",'), "regions.everywhere.title.en: this text must be a single line"),
    (replaced("title: {en: Mirrors,", 'title: {en: "Mir\\u0085rors",'), "regions.everywhere.title.en: this text must be a single line"),
    (replaced("note: {en: Every release since 2019.", 'note: {en: "Every\\0 release since 2019."'),
     "mirrors.example-archive.note.en: the text contains control or direction-changing characters (U+0000)"),
    (replaced("note: {en: Every release since 2019.", 'note: {en: "Every\\x9b release since 2019."'), "(U+009B)"),
    (replaced("note: {en: Every release since 2019.", 'note: {en: "Every \\u202ereleases"'), "(U+202E)"),
    (replaced("    url: https://archive.example.org/lakeside\n", '    url: "https://archive.example.org/lake\\u202eside"\n'),
     "mirrors.example-archive.url: a URL may not contain invisible or direction-changing characters (U+202E)"),
    (replaced("    url: https://archive.example.org/lakeside\n", '    url: "https://archive.example.org/lake\\u200bside"\n'),
     "(U+200B)"),
    (replaced("    url: https://archive.example.org/lakeside\n", '    url: "https://archive.example.org/\\ufefflakeside"\n'),
     "(U+FEFF)"),
    (replaced("    url: https://archive.example.org/lakeside\n", '    url: "https://archive.example.org/lake\\x7fside"\n'),
     "control characters"),
    # 3. what a renderer cannot make fails in check, located (a QR code holds 2331 bytes)
    (replaced("  doi: 10.5555/example.2022.1", "  doi: 10.5555/" + "x" * 4000), "article.doi: too long for the QR code"),
    (replaced("site_url: https://example.github.io/lakeside-thermometer-readings/",
              "site_url: https://example.org/" + "y" * 2400), "site_url: too long for the QR code"),
    # 4. values YAML itself resolves, and explicit tags
    (BASE + "\nupdated: 2026-02-30\n", "updated: '2026-02-30' is not a valid timestamp"),
    (BASE + "\nupdated: !!timestamp x\n", "updated: explicit YAML tags (!!timestamp)"),
    (replaced("  year: 2022", "  year: !!int abc"), "article.year: explicit YAML tags (!!int)"),
    (replaced("  year: 2022", "  year: !!float 2022"), "article.year: explicit YAML tags (!!float)"),
    (replaced("  short: CC BY 4.0", "  short: !!binary Q0MgQlkgNC4w"), "license.short: explicit YAML tags (!!binary)"),
    (replaced("  year: 2022", "  year: 1e999999"), "article.year"),
    (replaced("  en: Lakeside Thermometer Readings\n  zh: 湖畔温度计读数\n\ntitle",
              "  en: &n Lakeside Thermometer Readings\n  zh: *n\n\ntitle"), "dataset.yml:8:3: name.zh: YAML aliases"),
    # 5. nesting that parsers recurse into (and libyaml crashes on)
    (BASE + "\nextra: " + "[" * 1000 + "]" * 1000 + "\n", "nested more than 64 levels deep"),
    (BASE + "\nextra: " + "{a: " * 100_000 + "}" * 100_000 + "\n", "nested more than 64 levels deep"),
    (BASE + "\nextra:\n" + "".join(" " * i + "- x:\n" for i in range(0, 400, 2)), "nested more than 64 levels deep"),
    # 15. the maintainer's own mistakes: a code that disagrees with its URL
    (replaced("url: https://drive.example.net/s/lakeside\n", "url: https://drive.example.net/s/lakeside?pwd=0043\n"),
     "mirrors.example-drive.code: the code '0042' differs from pwd=0043 in the mirror's URL"),
    # 18. the wording of YAML's own errors
    (replaced("\nlicense:\n  name:", "\nlicense:\n\tname:"), "indent with spaces, not tabs"),
])
def test_hostile_values_are_located_problems(tmp_path, text, message):
    problems = problems_of(tmp_path, text)
    assert problems and all(LOCATED.match(p) for p in problems), problems
    assert any(message in p for p in problems), problems


def test_a_byte_that_is_not_utf8_is_placed_where_it_is(tmp_path):
    raw = BASE.encode("utf-8").replace(b"Every release", b"Every \xff release")
    line = BASE[:BASE.index("Every release")].count("\n") + 1
    (problem,) = problems_of(tmp_path, raw)
    assert re.search(rf"dataset\.yml:{line}:\d+: ", problem) and "byte 0xff" in problem


def test_the_build_fails_before_writing_and_keeps_the_previous_site(tmp_path):
    """Class 3: a build that fails — early (check) or late (a broken link under --strict) —
    leaves the site that was there, byte for byte, and no staging folder."""
    project = copy_project(tmp_path / "p", TINY)
    assert mkdocs_build(project, "--site-dir", "site").returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    edit(project, "  doi: 10.5555/example.2022.1", "  doi: 10.5555/" + "x" * 4000)
    early = mkdocs_build(project, "--site-dir", "site")
    assert early.returncode == 1 and "too long for the QR code" in early.stderr and "Traceback" not in early.stderr
    edit(project, "  doi: 10.5555/" + "x" * 4000, "  doi: 10.5555/example.2022.1")
    (project / "docs" / "format.en.md").write_text("# File format\n\n[gone](nowhere.md)\n", encoding="utf-8")
    assert datasite(project, "confirm", "--all").returncode == 0
    late = mkdocs_build(project, "--strict", "--site-dir", "site")
    assert late.returncode == 1 and "nowhere.md" in late.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


@pytest.mark.parametrize("name", ["dataset.lock.json", ".cache/datasite/links.json", ".cache/datasite/render.json"])
def test_deeply_nested_json_beside_the_data_is_reported_not_a_crash(tmp_path, name):
    project = copy_project(tmp_path / "p", TINY)
    target = project / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = mkdocs_build(project, "--site-dir", "out")
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    if name == "dataset.lock.json":
        assert result.returncode == 1 and "dataset.lock.json:1:1:" in result.stderr
    else:
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("entry", [
    {"url": "https://drive.example.net/s/lakeside", "ok": True, "status": 200, "final_url": None, "reason": "ok",
     "checked_at": 12345},
    {"url": "https://drive.example.net/s/lakeside", "ok": "yes", "status": 200, "final_url": None, "reason": "ok",
     "checked_at": "2026-01-01T00:00:00Z"},
    {"url": "https://drive.example.net/s/lakeside", "ok": True, "status": "200", "final_url": None, "reason": "ok",
     "checked_at": "2026-01-01T00:00:00Z"},
    {"url": "https://other.example.org/", "ok": True, "status": 200, "final_url": None, "reason": "ok",
     "checked_at": "2026-01-01T00:00:00Z"},
])
def test_a_damaged_link_cache_entry_is_set_aside(tmp_path, entry):
    """Class 7: an entry of the right shape but the wrong types, or under another URL."""
    project = copy_project(tmp_path / "p", TINY)
    cache = project / ".cache" / "datasite" / "links.json"
    cache.parent.mkdir(parents=True)
    cache.write_text(json.dumps({"version": 1, "entries": {"https://drive.example.net/s/lakeside": entry}}),
                     encoding="utf-8")
    result = mkdocs_build(project, "--site-dir", "out")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "link cache is unreadable" in result.stderr


def test_a_verdict_from_the_future_is_checked_again():
    from datasite.links.cache import VerdictCache
    from datasite.links.verdict import Verdict

    cache = VerdictCache(Path("unused.json"), 3600)
    cache.entries["https://a.example.org/"] = Verdict("https://a.example.org/", True, 200, None, "ok",
                                                      "2999-01-01T00:00:00Z")
    cache.entries["https://b.example.org/"] = Verdict("https://b.example.org/", True, 200, None, "ok",
                                                      "2026-01-01T00:00:00Z")
    now = 1767225700.0  # 2026-01-01T00:01:40Z
    assert cache.fresh("https://a.example.org/", now) is None
    assert cache.fresh("https://b.example.org/", now) is not None


@pytest.mark.parametrize("old,new", [
    ("  title: Readings from imaginary lakes", '  title: "Readings\\nTY  - JOUR\\nER  - "'),
    ("  journal: Journal of Examples", '  journal: "Journal\\rER  -"'),
])
def test_bibliographic_fields_are_one_line(tmp_path, old, new):
    """Class 8: a line break in a field of a line-based format would add records (RIS) or fields."""
    problems = problems_of(tmp_path, replaced(old, new))
    assert any("must be a single line" in p for p in problems), problems


def test_the_readme_export_escapes_every_line_start(tmp_path):
    from datasite.render.readme import escape

    assert escape("first\n# Heading\n- item\n> quote\n1. list") == "first\n\\# Heading\n\\- item\n\\> quote\n1\\. list"


def test_a_removed_mirror_warns_and_a_retired_one_keeps_its_anchor(tmp_path):
    """Class 16: papers print /download/#id; removing a mirror breaks it, retiring keeps it."""
    project = copy_project(tmp_path / "p", TINY)
    assert datasite(project, "confirm", "--all").returncode == 0  # records the published anchors
    text = (project / "dataset.yml").read_text(encoding="utf-8")
    start = text.index("  - id: example-drive")
    end = text.index("\n\n", start)
    (project / "dataset.yml").write_text(text[:start] + text[end + 1:], encoding="utf-8")
    removed = datasite(project, "check", "--strict")
    assert removed.returncode == 1
    assert "the anchor /download/#example-drive is gone" in removed.stderr and "retired:" in removed.stderr
    (project / "dataset.yml").write_text(text.replace('    code: "0042"', '    code: "0042"\n    retired: 2026-11-28'),
                                         encoding="utf-8")
    assert datasite(project, "confirm", "--all").returncode == 0
    assert datasite(project, "check", "--strict").returncode == 0
    assert mkdocs_build(project, "--strict", "--site-dir", "out").returncode == 0
    for prefix in ("", "zh/"):
        row = page(project / "out", f"{prefix}download").select_one("#example-drive")
        assert row["data-state"] == "retired" and not row.select("a") and "2026-11-28" in row.get_text()
    links = datasite(project, "links", "--offline", "--format", "json")
    assert "drive.example.net" not in links.stdout  # not checked any more


def test_a_new_text_is_unconfirmed_until_confirmed(tmp_path):
    """Class 17: a text with no fingerprint is said to be unconfirmed (an error under --strict)."""
    project = copy_project(tmp_path / "p", TINY)
    edit(project, "    recommended: true\n", "    recommended: true\n    label2: x\n")  # typo first: no crash
    edit(project, "    label2: x\n", "")
    edit(project, '    code: "0042"', '    code: "0042"\n    note: {en: Slow from Asia., zh: 亚洲访问较慢。}')
    warned = datasite(project, "check")
    assert warned.returncode == 0 and "mirrors.example-drive.note: unconfirmed translation" in warned.stderr
    assert datasite(project, "check", "--strict").returncode == 1
    assert datasite(project, "confirm", "mirrors.example-drive.note").returncode == 0
    assert datasite(project, "check", "--strict").returncode == 0


# -- the link checker against hostile servers (in-process transports and a resolver stub: no
#    packet leaves this machine) --------------------------------------------------------------------

import asyncio  # noqa: E402
import gzip  # noqa: E402
import time  # noqa: E402

import httpx  # noqa: E402

from datasite.links.check import Checker  # noqa: E402
from datasite.links.verdict import CheckOptions  # noqa: E402

FAST = dict(timeout=0.5, backoff=0.01, retries=1)


async def no_lookups(host: str) -> list[str]:
    raise AssertionError(f"a test looked up {host}: give it a stub resolver")


def check(handler, url: str, resolver=None, **options):
    """One verdict, every request answered in-process by `handler` (httpx.MockTransport) and every
    host name by a stub: the addresses named in these tests (169.254.169.254, 192.168.x, …) are
    data, never contacted, and no packet leaves the machine."""
    checker = Checker(CheckOptions(**{**FAST, **options}), httpx.MockTransport(handler), resolver=resolver or no_lookups)
    return checker.run([url])[url]


def stub_resolver(table: dict[str, list[str]]):
    async def resolve(host: str) -> list[str]:
        return table[host]
    return resolve


PUBLIC = {"data.example.org": ["93.184.216.34"]}  # what the stub resolver answers; nothing is contacted


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/admin", "http://10.0.0.5/",
    "http://[::1]/", "http://internal.example.org/", "http://[::ffff:192.168.1.1]/",
    "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::]/", "http://[::ffff:0:7f00:1]/", "http://[::127.0.0.1]/",
])
def test_a_public_link_is_not_followed_to_a_private_address(target):
    """Class 11: by default a redirect from a public host to a loopback, link-local or private
    address is reported as suspicious and not followed."""
    seen = []

    def handler(request):
        seen.append(str(request.url))
        if request.url.host == "data.example.org":
            return httpx.Response(302, headers={"Location": target})
        return httpx.Response(200)

    resolver = stub_resolver({**PUBLIC, "internal.example.org": ["192.168.0.7"]})
    verdict = check(handler, "https://data.example.org/share", resolver)
    assert verdict.ok is False and verdict.reason.startswith("suspicious: redirects to a private or local address")
    assert seen == ["https://data.example.org/share"]
    allowed = check(handler, "https://data.example.org/share", resolver, allow_private_redirects=True)
    assert allowed.ok is True and allowed.final_url.rstrip("/") == target.rstrip("/")


def test_a_public_redirect_is_followed_and_reported():
    def handler(request):
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/new"})
        return httpx.Response(200)

    verdict = check(handler, "https://data.example.org/old", stub_resolver(PUBLIC))
    assert verdict.ok is True and verdict.final_url == "https://data.example.org/new"


def test_a_trickling_server_meets_the_deadline():
    """Class 10: every read is within the timeout, the whole answer never is."""
    class Trickle(httpx.AsyncByteStream):
        async def __aiter__(self):
            while True:
                await asyncio.sleep(0.2)
                yield b"x"

    async def handler(request):
        return httpx.Response(200, stream=Trickle())

    start = time.monotonic()
    verdict = Checker(CheckOptions(**{**FAST, "deadline": 1.0, "markers": {"data.example.org": ("gone",)}}),
                      httpx.MockTransport(handler), resolver=no_lookups).run(["https://data.example.org/s"])["https://data.example.org/s"]
    assert time.monotonic() - start < 5
    assert verdict.ok is False and "deadline of 1 s" in verdict.reason


def test_the_run_has_a_deadline_too():
    async def handler(request):
        await asyncio.sleep(30)
        return httpx.Response(200)

    start = time.monotonic()
    verdicts = Checker(CheckOptions(**{**FAST, "timeout": 60, "deadline": 60, "run_deadline": 1.0}),
                       httpx.MockTransport(handler), resolver=no_lookups).run(["https://a.example.org/", "https://b.example.org/"])
    assert time.monotonic() - start < 5
    assert all(v.ok is None and "run's deadline of 1 s" in v.reason for v in verdicts.values())


def test_a_gzip_bomb_is_decompressed_no_further_than_the_cap(monkeypatch):
    """Class 12: a small answer that expands a thousandfold is decompressed up to the cap only
    (counted at the decompressor: a reader that expanded it whole and cut it after would fail)."""
    import zlib

    from datasite.links import check as module

    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)
    produced = []
    original = zlib.decompressobj

    class Counting:
        def __init__(self, **options):
            self.inner = original(**options)

        def decompress(self, data, max_length=0):
            out = self.inner.decompress(data, max_length)
            produced.append(len(out))
            return out

        @property
        def unconsumed_tail(self):
            return self.inner.unconsumed_tail

    monkeypatch.setattr(module.zlib, "decompressobj", Counting)

    def handler(request):
        assert request.headers["Accept-Encoding"] == "gzip, deflate"  # only what is decoded here
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(bomb))

    verdict = check(handler, "https://data.example.org/s", markers={"data.example.org": ("gone",)}, max_body=100_000)
    assert verdict.ok is True and 0 < sum(produced) <= 100_000


@pytest.mark.parametrize("value,reason", [
    ("999999", "asked to wait 999999 s"),
    ("²", None), ("１２", None), ("Wed, 99 Foo 2026 99:99:99 GMT", None), ("\u00e9t\u00e9", None),
])
def test_retry_after_is_bounded_and_read_safely(value, reason):
    """Class 13: a long Retry-After is not waited for (and the link is not called dead); a
    malformed one is a default wait, not a crash."""
    calls = []

    def handler(request):
        calls.append(time.monotonic())
        headers = [("Retry-After", value.encode("utf-8"))]
        return httpx.Response(429 if len(calls) == 1 else 200, headers=headers)

    start = time.monotonic()
    verdict = check(handler, "https://data.example.org/s", max_retry_after=5)
    assert time.monotonic() - start < 5
    if reason:
        assert verdict.ok is None and reason in verdict.reason
    else:
        assert verdict.ok is True, verdict.reason


def test_a_host_name_with_an_underscore_is_checked():
    verdict = check(lambda request: httpx.Response(200), "https://data_2024.example.org/x")
    assert verdict.ok is True, verdict.reason


@pytest.mark.parametrize("url", ["http://a..b/", "http://-bad-.example.org/", "http://" + "a" * 64 + ".org/",
                                 "http://exa mple.org/"])
def test_a_malformed_host_is_invalid_not_a_network_problem(url):
    verdict = check(lambda request: httpx.Response(200), url)
    assert verdict.ok is False and verdict.reason.startswith("invalid link"), verdict.reason


@pytest.mark.parametrize("retries", [0, 1, 3])
def test_the_number_of_retries_is_an_option(retries):
    """Class 14: timeouts and 5xx answers are tried again exactly `retries` times."""
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(503)

    verdict = check(handler, "https://data.example.org/s", retries=retries)
    assert verdict.ok is False and len(calls) == retries + 1



# -- members found by a review ------------------------------------------------------------------

@pytest.mark.parametrize("text,message", [
    (replaced("  - id: example-drive\n", "  - id: [example-drive]\n"), "mirrors[1].id: expected text"),
    (replaced("note: {en: Every release since 2019.", 'note: {en: "Every\\v release since 2019."'), "(U+000B)"),
    (replaced("note: {en: Every release since 2019.", 'note: {en: "Every\\x1c release"'), "(U+001C)"),
    (replaced("note: {en: Every release since 2019.", 'note: {en: "Every \\uFFFE release"'), "(U+FFFE)"),
])
def test_more_hostile_values(tmp_path, text, message):
    problems = problems_of(tmp_path, text)
    assert any(message in p for p in problems), problems


def test_brackets_in_text_and_comments_are_not_nesting(tmp_path):
    text = BASE + "".join(f"# see [{i}\n" for i in range(70))
    text = text.replace("note: {en: Every release since 2019.", 'note: {en: "' + "[0, 1) " * 70 + '"', 1)
    assert problems_of(tmp_path, text) == []


def test_hidden_files_of_the_site_folder_stay(tmp_path):
    """A gh-pages worktree's .git and a .nojekyll in site/ stay, as MkDocs' own cleaning keeps them."""
    project = copy_project(tmp_path / "p", TINY)
    (project / "site" / ".git").mkdir(parents=True)
    (project / "site" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (project / "site" / ".nojekyll").write_text("", encoding="utf-8")
    assert mkdocs_build(project, "--site-dir", "site").returncode == 0
    assert (project / "site" / ".git" / "HEAD").exists() and (project / "site" / ".nojekyll").exists()
    assert (project / "site" / "index.html").exists()


def test_change_anchors_stay_when_a_change_of_the_same_date_is_added():
    from datasite.render.feed import atom_feed
    from datasite.render.pages import change_anchors
    from datasite.validation import validate
    from datasite.loader import parse_yaml

    def dataset(text):
        return validate(parse_yaml(text, "dataset.yml")[0])

    before = dataset(BASE)
    after = dataset(BASE.rstrip("\n") + "\n  - date: 2022-01-15\n    kind: mirrors\n"
                    "    text: {en: A mirror was added., zh: 新增一个镜像。}\n  - date: 2019-01-01\n    kind: other\n"
                    "    text: {en: Older., zh: 更早。}\n")
    assert change_anchors(after)[:2] == change_anchors(before) == ["c-2022-01-15", "c-2022-02-01"]
    old_ids = set(re.findall(r"<id>([^<]+)</id>", atom_feed(before, "en")))
    assert old_ids <= set(re.findall(r"<id>([^<]+)</id>", atom_feed(after, "en")))


def test_datasite_files_keeps_the_rest_of_the_file_as_it_was(tmp_path):
    import shutil

    project = copy_project(tmp_path / "p", TINY)
    shutil.copytree(TINY / "release", project / "release")
    path = project / "dataset.yml"
    text = "---\n" + BASE.replace("\nchanges:", "\n# the changes, newest last\nchanges:")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert datasite(project, "files", "release", "--release", "2.0").returncode == 0
    assert path.read_bytes() == text.replace("\n", "\r\n").encode("utf-8")  # the same hashes: not a byte changed


# -- identifiers machines read (issue 24): each checked whole, with what a person can fix ------

@pytest.mark.parametrize("text,message", [
    (replaced("    - {family: Example, given: Ada}", "    - {family: Example, given: Ada, orcid: 0000-0002-1825-0098}"),
     "article.authors[0].orcid: the ORCID iD 0000-0002-1825-0098 has a wrong check digit"),
    (replaced("    - {family: Example, given: Ada}", '    - {family: Example, given: Ada, orcid: "0000-0002-1825-0097\\n"}'),
     "article.authors[0].orcid: '0000-0002-1825-0097\\n' is not an ORCID iD"),
    (replaced("    - {family: Example, given: Ada}",
              "    - {family: Example, given: Ada, orcid: https://orcid.org/0000-0002-1825-0097}"),
     "no https://orcid.org/ prefix"),
    (replaced("    - {family: Example, given: Ada}",
              "    - {family: Example, given: Ada, affiliation: {name: {en: U, zh: 大学}, ror: https://ror.org/02mhbdp94}}"),
     "article.authors[0].affiliation.ror: 'https://ror.org/02mhbdp94' is not a ROR ID"),
    (BASE + "\ncstr: CSTR:31253.11.example\n", "cstr: 'CSTR:31253.11.example' is not a CSTR identifier"),
    (BASE + "\nother_records: [javascript:alert(1)]\n", "other_records[0]: URL scheme javascript: is not allowed"),
    (BASE + "\nkeywords: [{en: lakes}]\n", "keywords[0]: missing the 'zh' text"),
    (replaced("83d41523009ccd3c40b828c762241da8e1493dd5eca0d1273294010081c74b77, format: csv}",
              "83d41523009ccd3c40b828c762241da8e1493dd5eca0d1273294010081c74b77, format: csv, url: ftp://x.example/a}"),
     "releases[1].files[1].url: URL scheme ftp: is not allowed"),
])
def test_identifiers_for_machines_are_checked_whole(tmp_path, text, message):
    problems = problems_of(tmp_path, text)
    assert problems and all(LOCATED.match(p) for p in problems), problems
    assert any(message in p for p in problems), problems
