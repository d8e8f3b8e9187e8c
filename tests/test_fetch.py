"""URL input against pages this test serves on 127.0.0.1 (no outside network)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from divergence.cli import app
from divergence.errors import InputError
from divergence.ingest import fetch_source

FAST = ["-m", "hashing", "-t", "0.5", "--attribution", "none"]
runner = CliRunner()


def _page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>Copyright Example Media</footer></body></html>"
    ).encode()


PAGES = {
    "/a.html": _page(
        "Harbour bridge closed after cracks found",
        [
            "The harbour bridge was closed on Monday after engineers found cracks in its deck.",
            "Traffic was diverted through the old town, the council said in a statement.",
            "Ferries will run every twenty minutes until the bridge reopens next month.",
        ],
    ),
    "/b.html": _page(
        "Cracks shut harbour crossing",
        [
            "Engineers found cracks in the harbour bridge on Monday, and the council shut it.",
            "Repairs are expected to take six weeks and to cost about two million.",
            "Ferry operators said they would add crossings during the closure.",
        ],
    ),
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.hits.append(self.path)
        if self.path in PAGES:
            self._send(200, "text/html; charset=utf-8", PAGES[self.path])
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/a.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200, "text/html", PAGES["/a.html"])
        elif self.path == "/data.json":
            self._send(200, "application/json", b'{"a": 1}')
        elif self.path == "/big.html":
            self._send(
                200, "text/html", b"<html><body>" + b"<p>x</p>" * 200_000 + b"</body></html>"
            )
        else:
            self._send(404, "text/html", b"<html><body>Not found</body></html>")


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A client that hangs up early (size limit, timeout) is expected: print nothing, since
        the CLI runner captures this thread's stderr too."""


@pytest.fixture
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("DIVERGENCE_CACHE_DIR", str(d))
    return d


def test_fetch_source_records_url_and_caches_the_page(server, cache_dir):
    httpd, base = server
    src = fetch_source(f"{base}/moved")
    assert src.meta["url"] == f"{base}/moved"
    assert src.meta["final_url"] == f"{base}/a.html"
    assert src.meta["fetched_at"].endswith("+00:00") and src.meta["from_cache"] is False
    assert src.title == "Harbour bridge closed after cracks found"
    assert "Ferries will run every twenty minutes" in src.text
    assert "Sport" not in src.text  # navigation left out
    assert list((cache_dir / "pages").glob("*.json"))
    hits = len(httpd.hits)
    again = fetch_source(f"{base}/moved", offline=True)
    assert again.text == src.text and again.meta["from_cache"] is True
    assert len(httpd.hits) == hits  # no request made


def test_compare_urls_then_offline(server, tmp_path):
    httpd, base = server
    local = tmp_path / "c.txt"
    local.write_text(
        "Bridge shut\nThe harbour bridge was closed on Monday after cracks were found.\n",
        encoding="utf-8",
    )
    args = ["compare", f"{base}/a.html", f"{base}/b.html", str(local), *FAST, "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    by_id = {s["id"]: s for s in out["sources"]}
    assert set(by_id) == {"127.0.0.1-a", "127.0.0.1-b", "c"}
    assert by_id["127.0.0.1-a"]["meta"]["url"] == f"{base}/a.html"
    httpd.shutdown()  # the network is gone: --offline reads the cache
    offline = runner.invoke(app, [*args, "--offline"])
    assert offline.exit_code == 0, offline.output
    assert json.loads(offline.stdout)["groups"] == out["groups"]


def _one_line_error(args: list[str]) -> str:
    result = runner.invoke(app, ["compare", *args, *FAST])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, lines
    return lines[0]


@pytest.mark.parametrize(
    "path,options,message",
    [
        ("/missing.html", [], "HTTP 404 Not Found"),
        ("/slow", ["--fetch-timeout", "0.5"], "timed out after 0.5 s"),
        ("/data.json", [], "not an HTML page (content type 'application/json')"),
        ("/big.html", ["--max-chars", "10000"], "over the limit of 80,000 bytes"),
        ("/loop", [], "more than 5 redirects"),
    ],
)
def test_failing_url_is_one_line(server, path, options, message):
    _, base = server
    line = _one_line_error([f"{base}/a.html", f"{base}{path}", *options])
    assert line.startswith(f"divergence: {base}{path}: ") and line.endswith(message), line


def test_offline_without_cache(server):
    _, base = server
    line = _one_line_error([f"{base}/a.html", f"{base}/b.html", "--offline"])
    assert f"{base}/a.html: not in the page cache" in line


def test_cannot_connect():
    with pytest.raises(InputError, match="cannot connect"):
        fetch_source("http://127.0.0.1:9/nothing.html", timeout=2)


def test_library_load_sources_takes_urls(server):
    from divergence.ingest import load_sources

    _, base = server
    sources = load_sources([f"{base}/a.html", "A line of text, not a URL: http://example.org."])
    assert sources[0].meta["final_url"] == f"{base}/a.html"
    assert sources[1].text.startswith("A line of text")
