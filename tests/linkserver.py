"""A scripted HTTP server on 127.0.0.1 for link-check tests and benchmarks.

Each route is a list of responses served in turn (the last one repeats); every request is logged
with its method, path and time, so tests can count what the checker really sent.
"""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass, field

import httpx


@dataclass
class Reply:
    status: int = 200
    body: str = "<html><body>ok</body></html>"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    head_status: int | None = None  # answer HEAD differently (e.g. 405)


class LinkServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.log: list[tuple[str, str, float]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self, method: str) -> None:
                with server._lock:
                    server.log.append((method, self.path, time.monotonic()))
                    replies = server.routes.get(self.path.split("?")[0])
                    reply = (replies.pop(0) if len(replies) > 1 else replies[0]) if replies else Reply(404, "not found")
                if reply.delay:
                    time.sleep(reply.delay)
                status = reply.head_status if (method == "HEAD" and reply.head_status) else reply.status
                payload = reply.body.encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if method != "HEAD":
                        self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def do_GET(self):
                self._serve("GET")

            def do_HEAD(self):
                self._serve("HEAD")

        class Server(http.server.ThreadingHTTPServer):
            request_queue_size = 1024  # the default backlog of 5 would stall concurrent clients

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        # a short poll: shutdown() waits for it at the end of every test
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        return self.url(path)

    def requests_to(self, path: str) -> list[tuple[str, str, float]]:
        return [entry for entry in self.log if entry[1].split("?")[0] == path]

    def __enter__(self) -> "LinkServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class ResolvingTransport(httpx.AsyncBaseTransport):
    """Sends requests for any host to one local server, like curl's --resolve: lets tests use
    real drive host names (pan.baidu.com …) whose soft-404 rules they exercise."""

    def __init__(self, port: int):
        self.port = port
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
