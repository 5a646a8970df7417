"""The preview server listens on loopback, serves only the output folder and survives a burst."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from portal.preview.serve import resolve
from servetools import fetch, serving

TRAVERSALS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/assets/../../content/pages/enheten.sv.md",
    "/assets/%2e%2e/%2e%2e/build.py",
    "//etc/passwd",
    "/%2Fetc%2Fpasswd",
    "/assets%5c..%5c..%5cbuild.py",
    "/en/..",
    "/%00index.html",
]


def raw_get(origin, path):
    """Send the request line exactly as written (clients tidy `..` away themselves)."""
    address = urlsplit(origin)
    with socket.create_connection((address.hostname, address.port), timeout=30) as s:
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: {address.netloc}\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def listening_addresses(port):
    """Local addresses with a listening TCP socket on `port`, from the kernel's table."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]) if width == 8 else address)
    return found


def test_serve_listens_on_loopback_only_unless_told(tiny):
    with serving(tiny) as (origin, _):
        port = urlsplit(origin).port
        assert origin.startswith("http://127.0.0.1:")
        assert listening_addresses(port) == {"127.0.0.1"}


@pytest.mark.parametrize("path", TRAVERSALS)
def test_paths_that_leave_the_output_folder_get_404(tmp_path, path):
    out = tmp_path / "_site"
    (out / "assets").mkdir(parents=True)
    (out / "index.html").write_text("home")
    (tmp_path / "secret.txt").write_text("secret")
    assert resolve(out, path) is None
    assert resolve(out, "/") == (out / "index.html").resolve()


def test_a_link_out_of_the_output_folder_is_not_followed(tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (out / "secret.txt").symlink_to(tmp_path / "secret.txt")
    assert resolve(out, "/secret.txt") is None


def test_the_running_server_answers_traversal_with_404_and_leaks_nothing(tiny):
    with serving(tiny) as (origin, _):
        for path in TRAVERSALS:
            status, body = raw_get(origin, path)
            assert status == 404, path
            assert b"root:" not in body and b"import sys" not in body and b"title:" not in body
        assert raw_get(origin, "/robots.txt")[0] == 200


def test_a_thousand_concurrent_requests_all_succeed(tiny):
    with serving(tiny) as (origin, _):
        address = urlsplit(origin)
        paths = ["/", "/en/", "/enheten/", "/robots.txt", "/nyheter/", "/finns-inte/", "/../etc/passwd"]
        expected = {"/finns-inte/": 404, "/../etc/passwd": 404}

        async def one(n):
            path = paths[n % len(paths)]
            reader, writer = await asyncio.open_connection(address.hostname, address.port)
            writer.write(f"GET {path} HTTP/1.0\r\nHost: {address.netloc}\r\n\r\n".encode())
            await writer.drain()
            data = await reader.read()
            writer.close()
            head, _, body = data.partition(b"\r\n\r\n")
            return path, int(head.split()[1]), len(body)

        async def burst():
            # All 1,000 are opened before any is answered; bounded by a generous time limit.
            return await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(1000))), 120)

        results = asyncio.run(burst())
        assert len(results) == 1000
        wrong = [(p, s) for p, s, _ in results if s != expected.get(p, 200)]
        assert wrong == []
        assert all(size > 0 for _, _, size in results)
        assert fetch(origin + "/")[0] == 200  # and it still serves afterwards
