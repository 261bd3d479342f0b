"""Check: concurrent HTTP verdicts on links, with the quirks of cloud drives in mind.

Redirects are followed (bounded) and the final URL reported; HEAD falls back to GET when a host
rejects it; timeouts and 5xx are retried with backoff; 429 waits for Retry-After; a per-host
limit keeps any one host from being hammered; pages of hosts with soft-404 rules are read and
searched for their "dead share" texts. `mailto:` and DOI links are checked by syntax.
"""

from __future__ import annotations

import asyncio
import email.utils
import importlib.util
import sys
import ipaddress
import re
import zlib
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote, urljoin, urlsplit

import certifi
import httpx

if importlib.util.find_spec("sniffio") is None:
    # httpcore imports sniffio (optional) on every request to learn the async library; without
    # it, each attempt searches the whole sys.path again: a third of the checker's CPU. Marked
    # missing once, that import fails at once, as it would have anyway.
    sys.modules["sniffio"] = None
from email_validator import EmailNotValidError, validate_email

from .rules import markers_for
from .verdict import CheckOptions, Verdict, now_iso

USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
    # Only what _read_capped decodes: a brotli or zstd body would be searched still compressed.
    "Accept-Encoding": "gzip, deflate",
}
_DOI_PATH = re.compile(r"^/10\.\d{4,9}/\S+$")
DOI_HOSTS = ("doi.org", "dx.doi.org")
HEAD_REJECTED = {400, 403, 405, 501}  # answers of hosts that refuse HEAD but serve GET


class _Unreachable(Exception):
    """The host could not even be looked up or routed to: says nothing about the link."""


def _is_network_unavailable(exc: BaseException) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, socket.gaierror):
            return True
        if isinstance(exc, OSError) and exc.errno in (101, 113):  # ENETUNREACH, EHOSTUNREACH
            return True
        text = str(exc)
        if "Name or service not known" in text or "Temporary failure in name resolution" in text \
                or "nodename nor servname" in text or "No address associated with hostname" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _retry_after(response: httpx.Response, default: float) -> float:
    value = response.headers.get("Retry-After", "").strip()
    if re.fullmatch(r"[0-9]{1,10}", value):  # ASCII digits only ("²".isdigit() is true)
        return float(value)
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return default


_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")  # "_" occurs in real host names (data_2024.example.org)


def host_problem(host: str) -> str | None:
    """Why `host` is not a host name or an IP address (None if it is one)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return None
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return "the host name cannot be encoded"
    labels = ascii_host.rstrip(".").split(".")
    if len(ascii_host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        return "not a valid host name"
    return None


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address: str) -> bool:
    """A globally routable address; an IPv4 address carried inside an IPv6 one (mapped, 6to4,
    NAT64, IPv4-compatible, SIIT) is judged as that IPv4 address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        value, inner = int(ip), ip.ipv4_mapped or ip.sixtofour
        if inner is None and (ip in _NAT64 or value >> 32 in (0, 0xFFFF0000)):
            inner = ipaddress.IPv4Address(value & 0xFFFFFFFF)
        if inner is not None:
            return inner.is_global
    return ip.is_global


async def resolve(host: str) -> list[str]:
    """The addresses of `host` (an IP address is its own)."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


REDIRECTS = {301, 302, 303, 307, 308}


class Checker:
    def __init__(self, options: CheckOptions | None = None, transport: httpx.AsyncBaseTransport | None = None,
                 resolver=resolve):
        self.options = options or CheckOptions()
        self.transport = transport
        self.resolver = resolver  # host -> addresses (tests give a stub: no packet leaves the machine)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    def run(self, urls: list[str]) -> dict[str, Verdict]:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return _run_without_waiting(self.check_all(urls))
        # Called from code that already runs an event loop: check in a thread of our own.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(lambda: _run_without_waiting(self.check_all(urls))).result()

    async def check_all(self, urls: list[str]) -> dict[str, Verdict]:
        self._global = asyncio.Semaphore(self.options.concurrency)
        self._clients: dict[str, httpx.AsyncClient] = {}
        # Building an SSL context costs ~0.2 s: one for all clients.
        self._ssl = ssl.create_default_context(cafile=certifi.where())
        tasks = [asyncio.ensure_future(self.check(url)) for url in urls]
        try:
            done, pending = await asyncio.wait(tasks, timeout=self.options.run_deadline) if tasks else (set(), set())
            for task in pending:
                task.cancel()
            verdicts = {}
            for url, task in zip(urls, tasks):
                if task in done:
                    verdicts[url] = task.result()
                else:  # the run's deadline: named in the report, not called dead
                    verdicts[url] = Verdict(url, None, None, None,
                                            f"not checked: the run's deadline of {self.options.run_deadline:g} s passed",
                                            None, kind="not-checked")
        finally:
            await asyncio.gather(*(client.aclose() for client in self._clients.values()))
        return verdicts

    def _client_for(self, host: str) -> httpx.AsyncClient:
        # One small connection pool per host: httpcore scans its whole pool on every request,
        # which makes a single shared pool quadratic in the number of hosts checked at once.
        client = self._clients.get(host)
        if client is None:
            options = self.options
            client = self._clients[host] = httpx.AsyncClient(
                headers=HEADERS,
                follow_redirects=False,  # followed here, where each target can be looked at
                max_redirects=options.max_redirects,
                timeout=httpx.Timeout(options.timeout),
                limits=httpx.Limits(max_connections=options.per_host, max_keepalive_connections=options.per_host),
                transport=self.transport,
                verify=self._ssl,
                trust_env=False,
            )
        return client

    async def check(self, url: str) -> Verdict:
        try:
            return await self._check(url)
        except Exception as exc:  # one malformed link must not stop the whole check
            return Verdict(url, False, None, None, f"cannot be checked: {exc.__class__.__name__}: {exc}", now_iso())

    async def _check(self, url: str) -> Verdict:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "mailto":
            return self._check_mailto(url)
        if scheme not in ("http", "https") or not parts.hostname:
            return Verdict(url, False, None, None, f"not an http(s) link: {url}", now_iso())
        problem = host_problem(parts.hostname)
        if problem:
            return Verdict(url, False, None, None, f"invalid link: {problem} ({parts.hostname})", now_iso())
        if parts.hostname.lower() in DOI_HOSTS and not self.options.resolve_dois:
            valid = bool(_DOI_PATH.match(unquote(parts.path)))
            reason = "DOI syntax valid (not resolved)" if valid else "not a valid DOI"
            return Verdict(url, valid, None, None, reason, now_iso())
        host = f"{parts.hostname.lower()}:{parts.port or ''}"
        semaphore = self._hosts.setdefault(host, asyncio.Semaphore(self.options.per_host))
        async with semaphore, self._global:
            options = self.options
            # The link's whole check — attempts, HEAD then GET, waits — ends at this deadline.
            deadline = (options.deadline or options.timeout * 3) * (options.retries + 1) + options.max_retry_after
            try:
                # (asyncio.timeout, not wait_for: no task of its own per link, a fifth of the CPU)
                async with asyncio.timeout(deadline):
                    return await self._check_http(url, parts.hostname, self._client_for(host))
            except asyncio.TimeoutError:
                return Verdict(url, False, None, None, f"no verdict within the link's deadline of {deadline:g} s",
                               now_iso())
            except _Unreachable as exc:
                return Verdict(url, None, None, None, f"not checked: {exc}", None, kind="no-network")

    def _check_mailto(self, url: str) -> Verdict:
        address = unquote(urlsplit(url).path)
        try:
            validate_email(address, check_deliverability=False)
            return Verdict(url, True, None, None, "valid email address (not contacted)", now_iso())
        except EmailNotValidError as exc:
            return Verdict(url, False, None, None, f"invalid email address: {exc}", now_iso())

    async def _check_http(self, url: str, hostname: str, client: httpx.AsyncClient) -> Verdict:
        markers = markers_for(hostname, self.options.markers)
        # A dead share answers 200: only its text tells, so hosts with markers are read with GET.
        method = "GET" if markers else "HEAD"
        result = await self._request(client, method, url, read_body=bool(markers))
        if isinstance(result, Verdict):
            return result
        response, body = result
        if method == "HEAD" and response.status_code in HEAD_REJECTED:
            result = await self._request(client, "GET", url, read_body=False)  # some hosts reject HEAD
            if isinstance(result, Verdict):
                return result
            response, body = result
        status, final = response.status_code, str(response.url)
        if status >= 400:
            return Verdict(url, False, status, final, f"HTTP {status} {response.reason_phrase}".strip(), now_iso())
        if markers:
            text = body.decode(response.encoding or "utf-8", errors="replace")
            found = next((m for m in markers if m in text), None)
            if found:
                return Verdict(url, False, status, final, f"dead share: the page says “{found}”", now_iso(), found)
        return Verdict(url, True, status, final, f"HTTP {status}", now_iso())

    async def _request(self, client: httpx.AsyncClient, method: str, url: str, read_body: bool):
        options = self.options
        attempts = options.retries + 1
        deadline = options.deadline or options.timeout * 3
        for attempt in range(attempts):
            last = attempt == attempts - 1
            delay = options.backoff * (2 ** attempt)
            try:
                # However slowly a server sends (a byte a second passes every read timeout), the
                # whole request, redirects included, ends at its deadline.
                async with asyncio.timeout(deadline):
                    result = await self._follow(client, method, url, read_body)
            except asyncio.TimeoutError:
                return Verdict(url, False, None, None, f"no complete answer within the deadline of {deadline:g} s",
                               now_iso())
            except httpx.TimeoutException:
                if not last:
                    await asyncio.sleep(delay)
                    continue
                return Verdict(url, False, None, None, f"timed out ({attempts} attempts of {options.timeout:g} s)", now_iso())
            except httpx.TransportError as exc:
                if _is_network_unavailable(exc):
                    raise _Unreachable("network unavailable (host name could not be resolved)") from None
                return Verdict(url, False, None, None, f"connection failed: {exc or exc.__class__.__name__}", now_iso())
            if isinstance(result, Verdict):
                return result
            response, body = result
            if response.status_code == 429:
                wait = _retry_after(response, delay)
                if wait > options.max_retry_after:  # not waited for, and not called dead
                    return Verdict(url, None, 429, str(response.url),
                                   f"not checked: rate limited, asked to wait {wait:.0f} s "
                                   f"(more than {options.max_retry_after:g} s)", None, kind="rate-limited")
                if not last:
                    await asyncio.sleep(wait)
                    continue
                # Still limited after every attempt: the host says nothing of the link (never dead).
                return Verdict(url, None, 429, str(response.url),
                               f"not checked: rate limited (HTTP 429 to each of {attempts} attempts)", None,
                               kind="rate-limited")
            if response.status_code >= 500 and not last:
                await asyncio.sleep(delay)
                continue
            return response, body
        raise AssertionError("unreachable")  # the loop always returns

    async def _follow(self, client: httpx.AsyncClient, method: str, url: str, read_body: bool):
        """The answer at the end of the link's redirects, with at most `max_body` bytes of its body."""
        options = self.options
        origin_public = None  # looked up at the first redirect only: most links have none
        current = url
        for _ in range(options.max_redirects + 1):
            async with client.stream(method, current) as response:
                location = response.headers.get("Location", "").strip()
                if response.status_code in REDIRECTS and not location:
                    # A browser shows the redirect's own (empty) page: the link leads nowhere.
                    return Verdict(url, False, response.status_code, current,
                                   f"HTTP {response.status_code} redirect without a Location", now_iso())
                if response.status_code in REDIRECTS:
                    target = urljoin(current, location)
                    parts = urlsplit(target)
                    if parts.scheme not in ("http", "https") or not parts.hostname:
                        return Verdict(url, False, response.status_code, target,
                                       f"redirects to a link that is not http(s): {target}", now_iso())
                    if origin_public is None:
                        origin_public = await self._public(urlsplit(url).hostname)
                    if origin_public and not options.allow_private_redirects \
                            and not await self._public(parts.hostname):
                        return Verdict(url, False, response.status_code, target,
                                       f"suspicious: redirects to a private or local address ({target}); not "
                                       "followed (--allow-private-redirects follows it)", now_iso())
                    method = "GET" if response.status_code == 303 else method
                    current = target
                    continue
                try:
                    body = await _read_capped(response, options.max_body) if read_body else b""
                except UndecodableBody as exc:
                    return Verdict(url, None, response.status_code, current,
                                   f"not checked: the page is sent in a coding datasite cannot read ({exc}), so "
                                   "its text cannot be searched for a dead share", None, kind="not-checked")
                return response, body
        return Verdict(url, False, None, current, f"more than {options.max_redirects} redirects", now_iso())

    async def _public(self, host: str | None) -> bool:
        """Whether every address of `host` is a public one (a name that does not resolve: not public)."""
        try:
            return is_public((host or "").strip("[]"))  # an address, as written in the URL
        except ValueError:
            pass
        try:
            addresses = await self.resolver(host or "")
        except (OSError, UnicodeError, ValueError):
            return False
        return bool(addresses) and all(is_public(address) for address in addresses)


def _run_without_waiting(coroutine):
    """Run `coroutine` on a loop of its own whose lookup threads (host names are resolved in
    threads) are not waited for at the end: asyncio.run would wait for a hanging lookup, past
    every deadline."""
    loop = asyncio.new_event_loop()
    executor = ThreadPoolExecutor(max_workers=32, thread_name_prefix="datasite-lookup")
    loop.set_default_executor(executor)
    try:
        return loop.run_until_complete(coroutine)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        loop.close()


class _Stage:
    """One content coding undone, with a bound on what it may produce per call: a small gzip
    "bomb" may expand a thousandfold, and a decoder without one expands it whole."""

    def __init__(self, coding: str, cap: int):
        self.cap = cap
        self.raw_deflate_tried = coding != "deflate"
        # gzip: 31+16 reads gzip or zlib; deflate: zlib, as the standard says, or raw (as IIS sends it).
        self.decoder = zlib.decompressobj(wbits=47 if coding != "deflate" else 15)
        self.seen = b""  # until the first output: read again as raw deflate if zlib refuses it
        self.tail = b""

    def feed(self, data: bytes, cap: int | None = None) -> bytes:
        cap = cap or self.cap
        if not self.raw_deflate_tried:
            self.seen += data
        try:
            out = self.decoder.decompress(self.tail + data, cap)
        except zlib.error:
            if self.raw_deflate_tried:
                raise
            self.raw_deflate_tried = True
            self.decoder, self.tail = zlib.decompressobj(wbits=-15), b""
            data, self.seen = self.seen, b""
            out = self.decoder.decompress(data, cap)
        self.tail = self.decoder.unconsumed_tail
        if out:
            self.raw_deflate_tried, self.seen = True, b""
        return out


DECODED = ("gzip", "x-gzip", "deflate")


class UndecodableBody(Exception):
    """The body is in a content coding this checker cannot undo: its text cannot be searched."""


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    """At most `limit` bytes of the body, with every content coding undone (in the reverse order
    of the header's list, "gzip, gzip" twice), each bounded (_Stage)."""
    codings = [c.strip().lower() for c in response.headers.get("Content-Encoding", "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    unknown = [c for c in codings if c not in DECODED]
    if unknown:
        raise UndecodableBody(", ".join(unknown))
    stages = [_Stage(coding, limit * 4) for coding in reversed(codings)]
    body, raw = b"", 0
    async for chunk in response.aiter_raw():
        raw += len(chunk)
        try:
            for number, stage in enumerate(stages, start=1):
                # The last stage gives the body: no more of it than is still wanted.
                chunk = stage.feed(chunk, max(1, limit - len(body)) if number == len(stages) else None)
        except zlib.error:
            break  # a damaged stream: what was read is judged
        body += chunk
        if len(body) >= limit or raw >= limit * 4:
            break
    return body[:limit]
