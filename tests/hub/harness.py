"""A real JupyterHub on loopback for the hub test layer: the hub, its proxy, a git daemon, and students' browsers.

Everything binds to 127.0.0.1. :class:`Hub` starts JupyterHub (shared-password authenticator, the simple local
process spawner: one process and one home folder per student) with configurable-http-proxy from npm; :class:`GitServer`
serves a folder of bare repositories with ``git daemon``; :class:`Student` is a student's browser session (log in,
follow a link, let nbgitpuller pull) plus the kernel protocol a notebook front end speaks. Each class records the
processes it starts and :func:`stop_tree` ends every one of them.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".hub-tools"  # git-ignored: configurable-http-proxy from npm (installed by .ci/run or the layer)
CHP_VERSION = "5.3.0"
CHP = TOOLS / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "class-of-2026"  # the shared password (SharedPasswordAuthenticator needs 8 characters or more)
SERVICE_TOKEN = uuid.uuid4().hex


def install_proxy() -> Path:
    """configurable-http-proxy in .hub-tools/ (npm, once); the same command .ci/run runs."""
    if not CHP.exists():
        TOOLS.mkdir(exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(TOOLS),
                        f"configurable-http-proxy@{CHP_VERSION}"], check=True, timeout=600)
    return CHP


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout} s")


# ---------------------------------------------------------------- processes

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    """pid and every process below it."""
    tree, out, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(tree.get(current, []))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def stop_tree(pids, timeout: float = 20) -> list[int]:
    """SIGTERM, then SIGKILL after ``timeout``; return the pids that had to be killed."""
    pids = [p for p in pids if alive(p)]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.2)
    killed = [p for p in pids if alive(p)]
    for pid in killed:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return killed


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def environ_of(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in pairs}


def listening_sockets(pids) -> list[tuple[int, str, int]]:
    """(pid, address, port) of every TCP socket in LISTEN state held by these processes."""
    inodes: dict[str, int] = {}
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    target = os.readlink(fd)
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes[target[8:-1]] = pid
        except OSError:
            continue
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != "0A" or inode not in inodes:
                continue
            hex_addr, hex_port = local.split(":")
            raw = bytes.fromhex(hex_addr)
            if width == 8:
                address = socket.inet_ntop(socket.AF_INET, raw[::-1])
            else:
                words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                address = socket.inet_ntop(socket.AF_INET6, words)
            found.append((inodes[inode], address, int(hex_port, 16)))
    return found


def is_loopback(address: str) -> bool:
    return address.startswith("127.") or address in ("::1", "::ffff:127.0.0.1")


# ---------------------------------------------------------------- git daemon

class GitServer:
    """``git daemon`` on 127.0.0.1 serving the bare repositories in ``base``."""

    def __init__(self, base: Path):
        self.base = base
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={self.base}", "--listen=127.0.0.1",
             f"--port={self.port}", "--informative-errors", str(self.base)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_for_port(self.port)

    def url(self, name: str) -> str:
        return f"git://127.0.0.1:{self.port}/{name}"

    def pids(self) -> list[int]:
        return descendants(self.proc.pid) if self.proc else []

    def stop(self) -> None:
        if self.proc:
            stop_tree(self.pids())
            self.proc.wait(timeout=10)


# ---------------------------------------------------------------- the hub

HUB_CONFIG = """\
c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.db_url = "sqlite:///{work}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{work}/cookie_secret"
c.JupyterHub.pid_file = "{work}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.Authenticator.allowed_users = {users!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{work}/home/{{username}}"
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {environment!r}
c.JupyterHub.services = [{{"name": "mhsm-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "mhsm-test", "services": ["mhsm-test"],
                             "scopes": ["admin:users", "admin:servers", "access:servers"]}}]
"""


class Hub:
    """JupyterHub on 127.0.0.1 with a shared password and one local process (and home folder) per student."""

    def __init__(self, work: Path, users: list[str], environment: dict[str, str]):
        self.work = work
        self.users = users
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environment = environment
        self.proc: subprocess.Popen | None = None
        self.seen_pids: set[int] = set()
        self.log = work / "jupyterhub.log"

    def start(self) -> None:
        bindir = Path(sys.executable).parent
        args = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
        config = HUB_CONFIG.format(
            port=self.port, hub_port=free_port(), proxy_api_port=free_port(), chp=str(CHP), work=self.work,
            password=PASSWORD, users=set(self.users), singleuser=str(bindir / "jupyterhub-singleuser"), args=args,
            environment=self.environment, token=SERVICE_TOKEN)
        (self.work / "jupyterhub_config.py").write_text(config)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MHSM_", "JUPYTERHUB_", "JPY_"))}
        env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
        env.pop("MPLBACKEND", None)
        self.proc = subprocess.Popen([str(bindir / "jupyterhub"), "-f", str(self.work / "jupyterhub_config.py")],
                                     cwd=self.work, env=env, stdout=open(self.log, "wb"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited ({self.proc.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/hub/api", timeout=2).status_code == 200:
                    self.track()
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"JupyterHub did not answer within 90 s:\n{self.log.read_text()[-3000:]}")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.url}/hub/api{path}", timeout=60,
                                headers={"Authorization": f"token {SERVICE_TOKEN}"}, **kwargs)

    def track(self) -> set[int]:
        """Remember every process now under the hub (its proxy, students' servers, their kernels)."""
        if self.proc:
            self.seen_pids.update(descendants(self.proc.pid))
            # single-user servers run in their own sessions but are still the hub's children
        return self.seen_pids

    def server_ready(self, user: str) -> bool:
        model = self.api("GET", f"/users/{user}").json()
        server = (model.get("servers") or {}).get("")
        return bool(server and server.get("ready"))

    def processes_of(self, user: str) -> list[int]:
        """The student's server and kernels: processes under the hub whose environment names this hub user."""
        return [pid for pid in descendants(self.proc.pid) if environ_of(pid).get("JUPYTERHUB_USER") == user]

    def stop(self) -> list[int]:
        """Stop students' servers through the hub, then the hub (and so its proxy); kill anything left."""
        if not self.proc:
            return []
        self.track()
        for user in self.users:
            try:
                self.api("DELETE", f"/users/{user}/server")
            except requests.RequestException:
                pass
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if not any(self.server_ready(u) for u in self.users):
                    break
            except (requests.RequestException, ValueError):
                break
            time.sleep(0.3)
        self.track()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        killed = stop_tree(sorted(self.seen_pids), timeout=10)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        return killed


# ---------------------------------------------------------------- a student

class Student:
    """One student's browser on the hub: log in, follow the link, pull; and a notebook front end's kernel calls."""

    def __init__(self, hub: Hub, name: str):
        self.hub = hub
        self.name = name
        self.browser = requests.Session()
        self.base = f"{hub.url}/user/{name}"
        self.api_headers = {"Authorization": f"token {SERVICE_TOKEN}"}

    def log_in(self) -> None:
        self.browser.get(f"{self.hub.url}/hub/login", timeout=60).raise_for_status()
        xsrf = self.browser.cookies.get("_xsrf", path="/hub/") or self.browser.cookies.get("_xsrf")
        reply = self.browser.post(f"{self.hub.url}/hub/login", timeout=60, allow_redirects=False,
                                  data={"username": self.name, "password": PASSWORD, "_xsrf": xsrf})
        if reply.status_code != 302:
            raise AssertionError(f"{self.name} could not log in: HTTP {reply.status_code}")

    def follow_link(self, link: str, timeout: float = 150) -> tuple[float, requests.Response]:
        """Click the link: the hub starts the server if needed, then nbgitpuller's page opens. (seconds, page)."""
        start = time.monotonic()
        page = self.browser.get(link, timeout=120)
        while not self.hub.server_ready(self.name):
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"{self.name}'s server did not start in {timeout} s")
            time.sleep(0.25)
        ready = time.monotonic() - start
        if "/git-pull" not in urlsplit(page.url).path or page.status_code != 200:
            page = self.browser.get(link, timeout=120)  # after the spawn-pending page, the link again
        return ready, page

    def pull(self, link: str) -> str:
        """What the nbgitpuller page's script does: stream the pull from its API; return the streamed text."""
        query = parse_qs(urlsplit(link).query)
        params = {k: query[k][0] for k in ("repo", "branch", "targetpath")}
        reply = self.browser.get(f"{self.base}/git-pull/api", params=params, timeout=180)
        reply.raise_for_status()
        if '"phase": "finished"' not in reply.text and '"phase":"finished"' not in reply.text:
            raise AssertionError(f"the pull for {self.name} did not finish:\n{reply.text[-2000:]}")
        return reply.text

    # --- the server's REST API, as JupyterLab uses it
    def get(self, path: str) -> requests.Response:
        reply = requests.get(f"{self.base}/api/{path}", headers=self.api_headers, timeout=60)
        reply.raise_for_status()
        return reply

    def read_notebook(self, path: str) -> dict:
        return self.get(f"contents/{path}?content=1").json()["content"]

    def save_notebook(self, path: str, notebook: dict) -> None:
        reply = requests.put(f"{self.base}/api/contents/{path}", headers=self.api_headers, timeout=60,
                             json={"type": "notebook", "format": "json", "content": notebook})
        reply.raise_for_status()

    def rename(self, path: str, new_path: str) -> None:
        reply = requests.patch(f"{self.base}/api/contents/{path}", headers=self.api_headers, timeout=60,
                               json={"path": new_path})
        reply.raise_for_status()

    def run_all(self, notebook: dict, path: str, timeout: float = 180) -> tuple[float, list[dict]]:
        """Run All in a new kernel on the student's server, as JupyterLab does for the notebook at ``path``.

        Returns the seconds from the first cell to the last, and per code cell its stdout, stderr, text and status.
        """
        import websocket

        reply = requests.post(f"{self.base}/api/sessions", headers=self.api_headers, timeout=60,
                              json={"path": path, "type": "notebook", "name": Path(path).name,
                                    "kernel": {"name": "python3"}})
        reply.raise_for_status()
        session = reply.json()
        kernel_id = session["kernel"]["id"]
        ws_url = self.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        ws = websocket.create_connection(ws_url, header=[f"Authorization: token {SERVICE_TOKEN}"], timeout=timeout)
        results = []
        start = time.monotonic()
        try:
            for cell in notebook["cells"]:
                if cell["cell_type"] != "code":
                    continue
                source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                results.append(self._execute(ws, source, timeout))
                if results[-1]["status"] != "ok":
                    break
            elapsed = time.monotonic() - start
        finally:
            ws.close()
        return elapsed, results

    def _execute(self, ws, code: str, timeout: float) -> dict:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.name, "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out = {"stdout": "", "stderr": "", "text": "", "status": None, "error": ""}
        idle = False
        deadline = time.monotonic() + timeout
        while not (idle and out["status"]):
            if time.monotonic() > deadline:
                raise TimeoutError(f"cell did not finish in {timeout} s: {code[:80]!r}")
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out[content["name"]] += content["text"]
            elif kind in ("execute_result", "display_data"):
                out["text"] += content["data"].get("text/plain", "") + "\n"
            elif kind == "error":
                out["error"] = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "execute_reply":
                out["status"] = content["status"]
        return out
