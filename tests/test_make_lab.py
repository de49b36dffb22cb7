"""`make lab` serves JupyterLab on the start page with the whole course visible (curl-style, on loopback)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, follow: bool = True):
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, b""


@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="make lab needs the .venv that make builds")
def test_make_lab_serves_the_start_page():
    port = free_port()
    # No --allow-root here: as root (CI containers), make lab must add it itself.
    args = f"--no-browser --port {port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token="
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, headers, _ = get(base + "/", follow=False)
                break
            except OSError:
                assert proc.poll() is None, "make lab exited before serving"
                assert time.monotonic() < deadline, "JupyterLab did not start within 90 s"
                time.sleep(0.5)
        assert status == 302
        assert headers["Location"].rstrip("?").endswith("/lab/tree/notebooks/00_start_here.ipynb")
        assert get(base + "/lab/tree/notebooks/00_start_here.ipynb")[0] == 200
        status, _, body = get(base + "/api/contents/notebooks/00_start_here.ipynb")
        notebook = json.loads(body)
        assert status == 200 and notebook["type"] == "notebook"
        assert notebook["content"]["cells"][0]["source"].startswith("# MHSM Lessons: start here")
        listing = json.loads(get(base + "/api/contents/exercises")[2])
        assert "01_budgeting_lab.ipynb" in [item["name"] for item in listing["content"]]
        root_listing = json.loads(get(base + "/api/contents/")[2])
        assert "work" in [item["name"] for item in root_listing["content"]]  # the students' own folder
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
