"""Link validation against servers started on 127.0.0.1: verdicts, retries, soft 404s, cache."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from conftest import SEED, datasite, mkdocs_build, page, text_of
from datasite.links import check_links
from datasite.links.cache import VerdictCache
from datasite.links.check import Checker, CheckOptions
from datasite.links.rules import DEFAULT_DEAD_SHARE_MARKERS
from linkserver import LinkServer, Reply, ResolvingTransport

FAST = dict(timeout=0.5, backoff=0.05, retries=2)


@pytest.fixture
def server():
    with LinkServer() as running:
        yield running


def check(url: str, transport=None, **options):
    return Checker(CheckOptions(**{**FAST, **options}), transport).run([url])[url]


def test_alive(server):
    verdict = check(server.route("/ok", Reply(200)))
    assert verdict.ok is True and verdict.status == 200 and verdict.final_url == server.url("/ok")
    assert verdict.checked_at.endswith("Z")


def test_not_found(server):
    verdict = check(server.route("/gone", Reply(404)))
    assert verdict.ok is False and verdict.status == 404 and "404" in verdict.reason


def test_server_error_then_success_is_retried(server):
    url = server.route("/flaky", Reply(500), Reply(200))
    verdict = check(url)
    assert verdict.ok is True and verdict.status == 200
    assert [method for method, _, _ in server.requests_to("/flaky")] == ["HEAD", "HEAD"]


def test_persistent_server_error_is_dead_after_bounded_retries(server):
    verdict = check(server.route("/down", Reply(503)))
    assert verdict.ok is False and verdict.status == 503
    assert len(server.requests_to("/down")) <= 2 * (FAST["retries"] + 1)  # HEAD attempts, then GET attempts


def test_timeout(server):
    verdict = check(server.route("/slow", Reply(200, delay=2.0)))
    assert verdict.ok is False and verdict.status is None and "timed out" in verdict.reason
    assert len(server.requests_to("/slow")) == FAST["retries"] + 1


def test_429_waits_for_retry_after(server):
    url = server.route("/busy", Reply(429, headers={"Retry-After": "1"}), Reply(200))
    verdict = check(url)
    assert verdict.ok is True
    (_, _, first), (_, _, second) = server.requests_to("/busy")
    assert second - first >= 0.9  # the server saw the retry only after Retry-After


def test_redirect_chain_reports_final_url(server):
    server.route("/r1", Reply(301, headers={"Location": "/r2"}))
    server.route("/r2", Reply(302, headers={"Location": server.url("/r3")}))
    server.route("/r3", Reply(307, headers={"Location": "/final"}))
    server.route("/final", Reply(200))
    verdict = check(server.url("/r1"))
    assert verdict.ok is True and verdict.final_url == server.url("/final")


def test_redirect_to_not_found(server):
    server.route("/moved", Reply(302, headers={"Location": "/missing"}))
    verdict = check(server.url("/moved"))
    assert verdict.ok is False and verdict.status == 404 and verdict.final_url == server.url("/missing")


def test_redirect_loop_is_bounded(server):
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    verdict = check(server.url("/loop"), max_redirects=5)
    assert verdict.ok is False and "redirects" in verdict.reason


def test_head_rejected_but_get_fine(server):
    verdict = check(server.route("/nohead", Reply(200, head_status=405)))
    assert verdict.ok is True and verdict.status == 200
    assert [m for m, _, _ in server.requests_to("/nohead")] == ["HEAD", "GET"]


def test_connection_refused(server):
    port = server.port
    server.httpd.server_close()  # nothing listens there any more
    verdict = check(f"http://127.0.0.1:{port}/anything")
    assert verdict.ok is False and "connection failed" in verdict.reason


def _example_host(pattern: str) -> str:
    return pattern.replace("*.", "share.").replace("?", "x")


SOFT_404_CASES = [(pattern, marker) for pattern, markers in DEFAULT_DEAD_SHARE_MARKERS.items() for marker in markers]


@pytest.mark.parametrize("pattern,marker", SOFT_404_CASES)
def test_soft_404_default_markers(server, pattern, marker):
    server.route("/s/share", Reply(200, f"<html><body><div class='error'>{marker}</div></body></html>"))
    verdict = check(f"https://{_example_host(pattern)}/s/share", ResolvingTransport(server.port))
    assert verdict.ok is False and verdict.status == 200 and verdict.marker == marker
    assert marker in verdict.reason


def test_live_share_asking_for_its_code_is_alive(server):
    server.route("/s/1WTL", Reply(200, "<html><body><p>请输入提取码：</p><input></body></html>"))
    verdict = check("https://pan.baidu.com/s/1WTL?pwd=WZRD", ResolvingTransport(server.port))
    assert verdict.ok is True and verdict.marker is None
    assert [m for m, _, _ in server.requests_to("/s/1WTL")] == ["GET"]  # read, since HEAD cannot show the text


def test_markers_apply_only_to_their_host(server):
    server.route("/page", Reply(200, "<p>文件取消分享了 is discussed in this blog post</p>"))
    verdict = check("https://blog.example.org/page", ResolvingTransport(server.port))
    assert verdict.ok is True


def test_mailto_and_doi_are_checked_by_syntax():
    checker = Checker(CheckOptions(**FAST))
    verdicts = checker.run(["mailto:someone@example.org", "mailto:not-an-address",
                            "https://doi.org/10.1016/j.xcrp.2024.102164", "https://doi.org/banana"])
    assert [verdicts[u].ok for u in verdicts] == [True, False, True, False]
    assert all(v.status is None for v in verdicts.values())  # nothing was sent


def test_per_host_limit(server):
    server.route("/p", Reply(200, delay=0.2))
    urls = [server.url(f"/p?n={i}") for i in range(8)]
    verdicts = Checker(CheckOptions(**{**FAST, "per_host": 2, "timeout": 5})).run(urls)
    assert all(v.ok for v in verdicts.values())
    times = sorted(t for _, _, t in server.requests_to("/p"))
    # never more than two requests in flight: the third starts only after the first finished
    assert times[2] - times[0] >= 0.18


# --- cache ---------------------------------------------------------------------------------------

def test_warm_run_within_ttl_makes_no_request(server, tmp_path):
    urls = [server.route("/a", Reply(200)), server.route("/b", Reply(404))]
    cache = VerdictCache(tmp_path / "links.json", ttl_seconds=3600).load()
    first = check_links(urls, cache, CheckOptions(**FAST))
    sent = len(server.log)
    assert sent >= 2
    again = check_links(urls, VerdictCache(tmp_path / "links.json", 3600).load(), CheckOptions(**FAST))
    assert len(server.log) == sent
    assert {u: v.ok for u, v in again.items()} == {u: v.ok for u, v in first.items()} == {urls[0]: True, urls[1]: False}


def test_expired_verdicts_are_checked_again(server, tmp_path):
    url = server.route("/a", Reply(200))
    path = tmp_path / "links.json"
    check_links([url], VerdictCache(path, 3600).load(), CheckOptions(**FAST))
    data = json.loads(path.read_text())
    data["entries"][url]["checked_at"] = "2000-01-01T00:00:00Z"
    path.write_text(json.dumps(data))
    sent = len(server.log)
    check_links([url], VerdictCache(path, 3600).load(), CheckOptions(**FAST))
    assert len(server.log) == sent + 1


def test_cache_is_written_atomically(server, tmp_path, monkeypatch):
    url = server.route("/a", Reply(200))
    path = tmp_path / "links.json"
    check_links([url], VerdictCache(path, 3600).load(), CheckOptions(**FAST))
    before = path.read_bytes()

    def crash(*args):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        check_links([url, server.route("/b", Reply(200))], VerdictCache(path, 3600).load(), CheckOptions(**FAST))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["links.json"]  # no temporary file left behind


# --- the command -----------------------------------------------------------------------------------

def test_links_command_json_report_and_exit_codes(server, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.route('/ok', Reply(200))}\n# a comment\n{server.route('/gone', Reply(404))}\n")
    cache = tmp_path / "cache.json"
    result = datasite(SEED, "links", "--urls", str(urls), "--cache", str(cache), "--format", "json", "--timeout", "2")
    assert result.returncode == 1, result.stderr
    report = {entry["url"]: entry for entry in json.loads(result.stdout)}
    ok, gone = report[server.url("/ok")], report[server.url("/gone")]
    assert ok["ok"] is True and ok["status"] == 200 and ok["final_url"] == server.url("/ok")
    assert gone["ok"] is False and gone["status"] == 404 and gone["reason"]
    assert gone["where"][0]["source"].endswith("urls.txt:3") and gone["checked_at"]

    urls.write_text(server.url("/ok") + "\n")
    assert datasite(SEED, "links", "--urls", str(urls), "--cache", str(cache)).returncode == 0
    assert datasite(SEED, "links", "--format", "yaml").returncode == 2
    assert datasite(SEED, "links", "--offline", "--refresh").returncode == 2


def test_corrupted_cache_gives_a_message_and_a_fresh_check(server, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(server.route("/ok", Reply(200)) + "\n")
    cache = tmp_path / "cache.json"
    cache.write_text('{"version": 1, "entries": {"trunc')
    result = datasite(SEED, "links", "--urls", str(urls), "--cache", str(cache))
    assert result.returncode == 0
    assert "link cache is unreadable" in result.stderr and "Traceback" not in result.stderr
    assert len(server.log) == 1
    assert json.loads(cache.read_text())["entries"][server.url("/ok")]["ok"] is True


def test_offline_reports_from_cache_only(server, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(server.route("/ok", Reply(200)) + "\n" + server.route("/new", Reply(200)) + "\n")
    cache = tmp_path / "cache.json"
    one = tmp_path / "one.txt"
    one.write_text(server.url("/ok") + "\n")
    datasite(SEED, "links", "--urls", str(one), "--cache", str(cache))
    sent = len(server.log)
    result = datasite(SEED, "links", "--urls", str(urls), "--cache", str(cache), "--offline", "--format", "json")
    assert len(server.log) == sent
    states = {e["url"]: e["state"] for e in json.loads(result.stdout)}
    assert states == {server.url("/ok"): "reachable", server.url("/new"): "unknown"}


def test_dead_share_markers_extend_from_dataset_yml(server, project):
    server.route("/s/x", Reply(200, "<html>这个分享被作者藏起来了</html>"))
    data = project / "dataset.yml"
    data.write_text(data.read_text(encoding="utf-8") + (
        "\nlink_check:\n  dead_share_markers:\n    127.0.0.1: [这个分享被作者藏起来了]\n"), encoding="utf-8")
    urls = project / "urls.txt"
    urls.write_text(server.url("/s/x") + "\n")
    result = datasite(project, "links", "--urls", "urls.txt", "--format", "markdown")
    assert result.returncode == 1
    assert "这个分享被作者藏起来了" in result.stdout and "| dead |" in result.stdout


def test_markdown_report_names_mirror_page_language_and_cause(project):
    cache = project / ".cache" / "datasite" / "links.json"
    cache.parent.mkdir(parents=True)
    baidu = "https://pan.baidu.com/s/1WTLFhtEZ83UfMZEmhubOUg?pwd=WZRD"
    entries = {baidu: {"url": baidu, "ok": False, "status": 200, "final_url": baidu, "marker": "分享的文件已经被取消了",
                       "reason": "dead share", "checked_at": "2026-01-01T00:00:00Z"}}
    cache.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    result = datasite(project, "links", "--offline", "--format", "markdown")
    row = next(line for line in result.stdout.splitlines() if baidu in line)
    assert "| dead |" in row and "| baidu |" in row and "| download |" in row and "en, zh" in row
    assert "soft 404: “分享的文件已经被取消了” (HTTP 200)" in row and "dataset.yml:" in row


# --- the site ----------------------------------------------------------------------------------

def test_download_page_shows_each_mirrors_status(project):
    cache = project / ".cache" / "datasite" / "links.json"
    cache.parent.mkdir(parents=True)
    baidu = "https://pan.baidu.com/s/1WTLFhtEZ83UfMZEmhubOUg?pwd=WZRD"
    github = "https://github.com/lvdongzhen/Wenzhou-Randomized-Battery-Data"
    entries = {
        baidu: {"url": baidu, "ok": False, "status": 200, "final_url": baidu, "marker": "链接不存在",
                "reason": "dead share", "checked_at": "2026-11-20T08:00:00Z"},
        github: {"url": github, "ok": True, "status": 200, "final_url": github, "marker": None,
                 "reason": "HTTP 200", "checked_at": "2026-11-21T08:00:00Z"},
    }
    cache.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    result = mkdocs_build(project, "--strict", "--site-dir", "out")
    assert result.returncode == 0, result.stderr
    expectations = {"en": ("dead link", "reachable", "unknown", "2026-11-20"),
                    "zh": ("链接已失效", "可访问", "未知", "2026-11-20")}
    for language, (dead, alive, unknown, date) in expectations.items():
        html = page(project / "out", "download" if language == "en" else "zh/download")
        baidu_block = html.select_one('[data-mirror="baidu"]')
        assert baidu_block["data-state"] == "dead" and "ds-mirror--dead" in baidu_block["class"]
        assert dead in text_of(baidu_block) and date in text_of(baidu_block)
        assert alive in text_of(html.select_one('[data-mirror="github"]'))
        assert unknown in text_of(html.select_one('[data-mirror="quark"]'))
        assert len(html.select(".ds-mirror")) == 11  # the dead one is still listed
    status = {e["url"]: e for e in json.loads((project / "out" / "status.json").read_text(encoding="utf-8"))}
    assert status[baidu]["ok"] is False and status[baidu]["mirror"] == "baidu"
    assert status[github]["state"] == "reachable"


def _unresolvable(monkeypatch) -> None:
    """No name resolves, and no lookup leaves the machine: a stub in place of the system resolver
    (the build runs in this process, which keeps it). Addresses (127.0.0.1) still work."""
    import offline_resolver

    monkeypatch.setattr(socket, "getaddrinfo", offline_resolver.refuse)


def test_build_goes_on_without_network_and_says_so_in_one_line(project, monkeypatch):
    _unresolvable(monkeypatch)
    result = mkdocs_build(project, "--strict", DATASITE_CHECK_LINKS="1")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "network unavailable" in line]
    assert len(lines) == 1 and "links not checked" in lines[0]


def test_strict_external_check_fails_without_network(project, monkeypatch):
    _unresolvable(monkeypatch)
    result = mkdocs_build(project, DATASITE_CHECK_LINKS="strict")
    assert result.returncode != 0 and "network unavailable" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_check_finds_a_dead_mirror_and_marks_it(project, server, monkeypatch):
    server.route("/gone", Reply(404))
    data = project / "dataset.yml"
    text = data.read_text(encoding="utf-8").replace("https://pan.quark.cn/s/0fe7ffce2dec", server.url("/gone"))
    data.write_text(text, encoding="utf-8")
    _unresolvable(monkeypatch)
    strict = mkdocs_build(project, DATASITE_CHECK_LINKS="strict")
    assert strict.returncode != 0 and server.url("/gone") in strict.stderr and "HTTP 404" in strict.stderr
    lenient = mkdocs_build(project, "--site-dir", "out", DATASITE_CHECK_LINKS="1")
    assert lenient.returncode == 0, lenient.stderr
    assert page(project / "out", "zh/download").select_one('[data-mirror="quark"]')["data-state"] == "dead"


def test_links_are_collected_from_the_dataset_and_hand_written_pages(project):
    (project / "docs" / "guide.en.md").write_text("# Guide\n\nSee <https://example.org/guide-en>.\n", encoding="utf-8")
    (project / "docs" / "guide.zh.md").write_text("# 指南\n\n见 https://example.org/guide-zh 。\n", encoding="utf-8")
    result = datasite(project, "links", "--offline", "--format", "json")
    entries = {e["url"]: e for e in json.loads(result.stdout)}
    assert entries["https://example.org/guide-en"]["where"] == [
        {"page": "docs/guide", "language": "en", "source": "docs/guide.en.md:3", "mirror": None}]
    assert entries["https://example.org/guide-zh"]["where"][0]["language"] == "zh"
    mirror_urls = [e for e in entries.values() if e["mirror"]]
    assert len(mirror_urls) == 11 and "mailto:lvdongzhen@hrbeu.edu.cn" in entries


def test_a_malformed_link_does_not_stop_the_check(server, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"http://127.0.0.1:99999/x\nhttp://[::1\n{server.route('/ok', Reply(200))}\n")
    result = datasite(SEED, "links", "--urls", str(urls), "--cache", str(tmp_path / "c.json"), "--format", "json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    states = {e["url"]: e["state"] for e in json.loads(result.stdout)}
    assert states[server.url("/ok")] == "reachable" and list(states.values()).count("dead") == 2


def test_cache_with_damaged_entries_is_replaced_by_a_fresh_check(server, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(server.route("/ok", Reply(200)) + "\n")
    cache = tmp_path / "cache.json"
    cache.write_text(json.dumps({"version": 1, "entries": {server.url("/ok"): {"url": server.url("/ok"), "ok": "yes"}}}))
    result = datasite(SEED, "links", "--urls", str(urls), "--cache", str(cache))
    assert result.returncode == 0 and "link cache is unreadable" in result.stderr
    assert "Traceback" not in result.stderr and len(server.log) == 1


def test_links_command_takes_retries_and_deadlines(server, tmp_path):
    """The options a CI harness sets: --retries, --deadline, --run-deadline (127.0.0.1 only)."""
    import time

    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.route('/hangs', Reply(200, delay=30))}\n{server.route('/down', Reply(503))}\n")
    start = time.monotonic()
    result = datasite(SEED, "links", "--urls", str(urls), "--cache", str(tmp_path / "c.json"), "--format", "json",
                      "--timeout", "20", "--retries", "0", "--run-deadline", "2")
    assert time.monotonic() - start < 15
    report = {entry["url"]: entry for entry in json.loads(result.stdout)}
    assert "run's deadline of 2 s" in report[server.url("/hangs")]["reason"]
    assert len(server.requests_to("/down")) == 1  # --retries 0: no second attempt
    assert datasite(SEED, "links", "--retries", "99").returncode == 2
