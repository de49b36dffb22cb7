"""The real-browser layer: JupyterLab on a free loopback port, driven in headless Chromium with Playwright.

Playwright drives the system Chromium (Debian's ``chromium`` package, which ``.ci/run`` installs); it never
downloads a browser. Without Chromium the layer skips with a loud message, except in CI (``CI`` set), where it
fails. The server serves a temporary copy of the course, so Run All and typed answers never touch the checkout.
Screenshots go to ``test-artifacts/browser/`` (git-ignored).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium")


def chromium_path() -> str | None:
    for path in (os.environ.get("MHSM_CHROMIUM"), *CANDIDATES, shutil.which("chromium")):
        if path and Path(path).exists():
            return path
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        message = ("BROWSER LAYER NOT RUN: no Chromium found (install Debian's package: apt-get install -y chromium, "
                   "or set MHSM_CHROMIUM to its path).")
        if os.environ.get("CI"):
            pytest.fail(message)
        warnings.warn(message)
        print(f"\n{'!' * 100}\n{message}\n{'!' * 100}", file=sys.stderr)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A throwaway copy of the course (what JupyterLab serves), with notebooks fully rendered (no windowing)."""
    base = tmp_path_factory.mktemp("course")
    for folder in ("notebooks", "exercises", "solutions", "datasets"):
        shutil.copytree(ROOT / folder, base / folder)
    shutil.copy(ROOT / "environment.yml", base / "environment.yml")
    settings = base / ".lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    apputils = base / ".lab-settings" / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True)
    (apputils / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false",
                                                                           "checkForUpdates": False}))
    return base


@pytest.fixture(scope="session")
def server(course):
    port = _free_port()
    jupyter = ROOT / ".venv" / "bin" / "jupyter"
    command = [str(jupyter) if jupyter.exists() else "jupyter", "lab", "--no-browser", f"--port={port}",
               "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
               f"--ServerApp.root_dir={course}", f"--LabApp.user_settings_dir={course / '.lab-settings'}",
               f"--LabApp.workspaces_dir={course / '.lab-workspaces'}", "--ServerApp.open_browser=False"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(course / ".runtime"), MHSM_CHECK_LOG="")
    log = open(course / "jupyterlab.log", "w")
    proc = subprocess.Popen(command, cwd=course, stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/api/status", timeout=2):
                break
        except OSError:
            assert proc.poll() is None, (course / "jupyterlab.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "JupyterLab did not start within 90 s"
            time.sleep(0.5)
    yield base
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True,
                              args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, save what the page showed (test-artifacts/browser/FAILED-<test>.png)."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        try:
            page.screenshot(path=str(ARTIFACTS / f"FAILED-{item.name}.png"), full_page=True)
        except Exception:  # noqa: BLE001 - the screenshot is a courtesy
            pass
