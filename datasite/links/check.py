"""Check: concurrent HTTP verdicts on links, with the quirks of cloud drives in mind.

Redirects are followed (bounded) and the final URL reported; HEAD falls back to GET when a host
rejects it; timeouts and 5xx are retried with backoff; 429 waits for Retry-After; a per-host
limit keeps any one host from being hammered; pages of hosts with soft-404 rules are read and
searched for their "dead share" texts. `mailto:` and DOI links are checked by syntax.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote, urlsplit

import certifi
import httpx
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
    if value.isdigit():
        return float(value)
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
        except (TypeError, ValueError):
            pass
    return default


class Checker:
    def __init__(self, options: CheckOptions | None = None, transport: httpx.AsyncBaseTransport | None = None):
        self.options = options or CheckOptions()
        self.transport = transport
        self._hosts: dict[str, asyncio.Semaphore] = {}

    def run(self, urls: list[str]) -> dict[str, Verdict]:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.check_all(urls))
        # Called from code that already runs an event loop: check in a thread of our own.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(lambda: asyncio.run(self.check_all(urls))).result()

    async def check_all(self, urls: list[str]) -> dict[str, Verdict]:
        self._global = asyncio.Semaphore(self.options.concurrency)
        self._clients: dict[str, httpx.AsyncClient] = {}
        # Building an SSL context costs ~0.2 s: one for all clients.
        self._ssl = ssl.create_default_context(cafile=certifi.where())
        try:
            verdicts = await asyncio.gather(*(self.check(url) for url in urls))
        finally:
            await asyncio.gather(*(client.aclose() for client in self._clients.values()))
        return {v.url: v for v in verdicts}

    def _client_for(self, host: str) -> httpx.AsyncClient:
        # One small connection pool per host: httpcore scans its whole pool on every request,
        # which makes a single shared pool quadratic in the number of hosts checked at once.
        client = self._clients.get(host)
        if client is None:
            options = self.options
            client = self._clients[host] = httpx.AsyncClient(
                headers=HEADERS,
                follow_redirects=True,
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
        if parts.hostname.lower() in DOI_HOSTS and not self.options.resolve_dois:
            valid = bool(_DOI_PATH.match(unquote(parts.path)))
            reason = "DOI syntax valid (not resolved)" if valid else "not a valid DOI"
            return Verdict(url, valid, None, None, reason, now_iso())
        host = f"{parts.hostname.lower()}:{parts.port or ''}"
        semaphore = self._hosts.setdefault(host, asyncio.Semaphore(self.options.per_host))
        async with semaphore, self._global:
            try:
                return await self._check_http(url, parts.hostname, self._client_for(host))
            except _Unreachable as exc:
                return Verdict(url, None, None, None, f"not checked: {exc}", None)

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
        for attempt in range(attempts):
            last = attempt == attempts - 1
            delay = options.backoff * (2 ** attempt)
            try:
                async with client.stream(method, url) as response:
                    body = b""
                    if read_body:
                        async for chunk in response.aiter_bytes():
                            body += chunk
                            if len(body) >= options.max_body:
                                break
            except httpx.TimeoutException:
                if not last:
                    await asyncio.sleep(delay)
                    continue
                return Verdict(url, False, None, None, f"timed out ({attempts} attempts of {options.timeout:g} s)", now_iso())
            except httpx.TooManyRedirects:
                return Verdict(url, False, None, None, f"more than {options.max_redirects} redirects", now_iso())
            except httpx.TransportError as exc:
                if _is_network_unavailable(exc):
                    raise _Unreachable("network unavailable (host name could not be resolved)") from None
                return Verdict(url, False, None, None, f"connection failed: {exc or exc.__class__.__name__}", now_iso())
            if response.status_code == 429 and not last:
                await asyncio.sleep(min(_retry_after(response, delay), options.max_retry_after))
                continue
            if response.status_code >= 500 and not last:
                await asyncio.sleep(delay)
                continue
            return response, body
        raise AssertionError("unreachable")  # the loop always returns
