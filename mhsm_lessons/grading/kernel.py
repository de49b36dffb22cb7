"""One grading kernel: started in its sandbox, spoken to over the Jupyter protocol, killed with everything in it.

The instructor's process owns the client end. The kernel's connection file and sockets live in a folder of the
grader's (bound into the sandbox); nothing the grader reads afterwards is a file the kernel could write: answers
and the id check come back as replies to requests the grader sends.
"""
from __future__ import annotations

import collections
import json
import os
import queue
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from .sandbox import SANDBOX_KERNEL_DIR, bwrap_command, font_cache, kernel_env, limited, sandbox_uid

MAX_MESSAGE_BYTES = 64 * 2 ** 20
LOG_TAIL_BYTES = 16 * 1024
PORTS = {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}


class GraderFault(Exception):
    """A problem on the grader's side (the sandbox would not start, the disk is full): never a student's result.

    ``str()`` is a short, path-free description for the gradebook; ``detail`` (the kernel's last log line, which
    may name the instructor's paths) is printed for the instructor only.
    """

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail


class TailReader(threading.Thread):
    """Drains a pipe, keeping only its last ``LOG_TAIL_BYTES`` (a 3 GB stderr flood costs nothing)."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.chunks: collections.deque[bytes] = collections.deque()
        self.size = 0

    def run(self) -> None:
        try:
            while True:
                chunk = self.stream.read1(65536) if hasattr(self.stream, "read1") else self.stream.read(65536)
                if not chunk:
                    break
                self.chunks.append(chunk)
                self.size += len(chunk)
                while self.size - len(self.chunks[0]) >= LOG_TAIL_BYTES:
                    self.size -= len(self.chunks.popleft())
        except (OSError, ValueError):
            pass

    def tail(self) -> str:
        return b"".join(self.chunks)[-LOG_TAIL_BYTES:].decode("utf-8", "replace")


class Kernel:
    """A kernel process (sandboxed unless ``isolation == "none"``) and the grader's client for it."""

    def __init__(self, workdir: Path, notebook: Path, *, isolation: str, lib: Path, slot: int, memory: int,
                 cpu_seconds: int):
        self.workdir = workdir
        self.isolation = isolation
        self.proc: subprocess.Popen | None = None
        self.client = None
        self.log: TailReader | None = None
        kdir = workdir / "kernel"
        kdir.mkdir(mode=0o700)
        key = secrets.token_hex(32)
        inside = SANDBOX_KERNEL_DIR if isolation == "bwrap" else str(kdir)
        info = dict(PORTS, ip=f"{inside}/k", key=key, transport="ipc", signature_scheme="hmac-sha256",
                    kernel_name="")
        (kdir / "connection.json").write_text(json.dumps(info), encoding="utf-8")
        self.info = dict(info, ip=f"{kdir}/k")
        kernel_cmd = [sys.executable, "-m",
                      "ipykernel_launcher", "-f", f"{inside}/connection.json", "--HistoryManager.enabled=False",
                      "--IPKernelApp.capture_fd_output=False"]
        if isolation == "bwrap":
            if os.geteuid() == 0:
                uid = sandbox_uid(slot)
                os.chown(kdir, uid, uid)
                os.chown(kdir / "connection.json", uid, uid)
            fonts = font_cache(lib)
            with open(notebook, "rb") as nb_file, ExitStack() as stack:
                font_file = stack.enter_context(open(fonts, "rb")) if fonts is not None else None
                fds = (nb_file.fileno(),) + ((font_file.fileno(),) if font_file is not None else ())
                cmd = bwrap_command(kernel_cmd, lib=lib, kernel_dir=kdir, notebook_fd=nb_file.fileno(), slot=slot,
                                    memory=memory, cpu_seconds=cpu_seconds,
                                    font_fd=font_file.fileno() if font_file is not None else None,
                                    font_name=fonts.name if fonts is not None else "")
                self._spawn(cmd, env={}, cwd="/", pass_fds=fds)
        else:
            home = workdir / "home"
            home.mkdir()
            (home / "submission.ipynb").write_bytes(notebook.read_bytes())
            env = kernel_env(str(home), str(lib), str(workdir / "tmp"))
            (workdir / "tmp").mkdir()
            fonts = font_cache(lib)
            if fonts is not None:
                (workdir / "tmp" / "matplotlib").mkdir()
                shutil.copyfile(fonts, workdir / "tmp" / "matplotlib" / fonts.name)
            self._spawn(limited(kernel_cmd, memory, cpu_seconds, -1), env=env, cwd=str(home), pass_fds=())

    def _spawn(self, cmd, env, cwd, pass_fds) -> None:
        try:
            self.proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, start_new_session=True, pass_fds=pass_fds)
        except OSError as exc:
            raise GraderFault(f"the kernel could not be started ({type(exc).__name__})") from None
        self.log = TailReader(self.proc.stdout)
        self.log.start()

    def connect(self, timeout: float) -> None:
        """Wait for the kernel's sockets, connect, and wait until it answers."""
        import zmq
        from jupyter_client.blocking import BlockingKernelClient

        deadline = time.monotonic() + timeout
        kdir = self.workdir / "kernel"
        while True:
            if self.proc.poll() is not None:
                raise GraderFault("the kernel exited while starting", self._log_line())
            if all(_is_socket(kdir / f"k-{port}") for port in PORTS.values()):
                break
            if time.monotonic() > deadline:
                raise GraderFault("the kernel did not start in time", self._log_line())
            time.sleep(0.01)
        client = BlockingKernelClient()
        client.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
        client.load_connection_info(self.info)
        client.start_channels()
        self.client = client
        while True:  # not wait_for_ready: this loop notices at once a kernel that died (or was killed by a stop)
            reply = self.wait_reply(client.kernel_info(), min(1.0, max(0.1, deadline - time.monotonic())))
            if reply.get("status") == "dead":
                raise GraderFault("the kernel exited while starting", self._log_line())
            if reply.get("status") != "timeout":
                return
            if time.monotonic() > deadline:
                raise GraderFault("the kernel did not answer", self._log_line())

    def _log_line(self) -> str:
        text = self.log.tail().strip() if self.log else ""
        return (text.splitlines()[-1][:200] if text else "no message")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def execute(self, code: str, timeout: float, *, silent: bool = False, user_expressions=None) -> dict:
        """Run ``code``; return ``{"status": "ok"|"error"|"timeout"|"dead", ...}`` (outputs are discarded)."""
        msg_id = self.client.execute(code, silent=silent, store_history=not silent, allow_stdin=False,
                                     stop_on_error=False, user_expressions=user_expressions or {})
        return self.wait_reply(msg_id, timeout)

    def wait_reply(self, msg_id: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            self._drain_iopub()
            left = deadline - time.monotonic()
            if left <= 0:
                return {"status": "timeout"}
            try:
                msg = self.client.get_shell_msg(timeout=min(0.2, left))
            except queue.Empty:
                if not self.alive():
                    return {"status": "dead"}
                continue
            except Exception:  # noqa: BLE001 - a malformed or badly signed message from the kernel
                continue
            if not isinstance(msg, dict) or msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = msg.get("content")
            return content if isinstance(content, dict) else {"status": "error", "ename": "BadReply"}

    def _drain_iopub(self) -> None:
        for _ in range(1000):
            try:
                self.client.get_iopub_msg(timeout=0)
            except queue.Empty:
                return
            except Exception:  # noqa: BLE001
                return

    def interrupt(self) -> None:
        """Ask the kernel to interrupt the running cell (an interrupt_request on the control channel)."""
        try:
            msg = self.client.session.msg("interrupt_request", {})
            self.client.control_channel.send(msg)
        except Exception:  # noqa: BLE001
            pass

    def terminate(self) -> None:
        """Kill the sandbox and everything in it, from any thread (the owner's thread then sees a dead kernel)."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                try:
                    proc.kill()
                except OSError:
                    pass

    def kill(self) -> None:
        """Kill the sandbox and close the client (only from the thread that uses the client). Safe to repeat."""
        self.terminate()
        proc = self.proc
        if proc is not None:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        client, self.client = self.client, None
        if client is not None:
            try:
                client.stop_channels()
                client.context.destroy(linger=0)
            except Exception:  # noqa: BLE001
                pass


def _is_socket(path: Path) -> bool:
    try:
        return stat.S_ISSOCK(os.lstat(path).st_mode)
    except OSError:
        return False
