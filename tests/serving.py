"""The site as `make serve` runs it: gunicorn with the repository's configuration, in
production mode, in a process of its own, for tests that need the real server."""

import contextlib
import os
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PRODUCTION_KEY = "a-production-secret-key-used-by-the-tests-only-0123456789abcdefghij"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PYTEST_", "SECURE_"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_PRODUCTION="True",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        WEB_CONCURRENCY="2",
        # Production shares one cache between its servers (`check --deploy` requires it).
        CACHE_URL="redis://127.0.0.1:6379/0",
        CACHE_KEY_PREFIX=f"tests-{uuid.uuid4().hex}",
    )
    env.update(overrides)
    return env


def wait_until_healthy(base, process, seconds):
    """Wait for /healthz to answer; fail at once if the server process stopped."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:  # urllib.error.URLError is one
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def gunicorn(**env_overrides):
    """gunicorn on a free port; yields its base URL once /healthz answers."""
    port = free_port()
    env = production_env(BIND=f"127.0.0.1:{port}", **env_overrides)
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process, seconds=30)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def fetch(url, headers=None, timeout=30):
    """(status, headers, body text, seconds taken), whatever the status; no redirect is
    followed."""
    request = urllib.request.Request(url, headers=headers or {})
    started = time.monotonic()
    try:
        with _opener.open(request, timeout=timeout) as response:
            status, header, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, header, body = error.code, error.headers, error.read()
    return status, header, body.decode(), time.monotonic() - started


@contextlib.contextmanager
def silent_server():
    """A TCP server that accepts every connection and never says a word: a database
    that is up on the network but does not answer."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()


def collect_static(directory):
    """The static files as production serves them (hashed names, a manifest), collected into
    `directory`; pass STATIC_ROOT=directory to gunicorn()."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(directory), DATABASE_URL="sqlite:///:memory:"),
        check=True,
        capture_output=True,
    )
    return str(directory)


class FreezableProxy:
    """A TCP proxy to `upstream` (host, port) that forwards both ways until frozen. Frozen,
    it forwards nothing and closes nothing: every connection stays open and silent, the
    way a server process that stopped or a network path that drops everything looks from
    the client (its own kernel still acknowledges what is sent). New connections made
    while frozen are accepted and held, never forwarded. `thaw()` forwards again."""

    def __init__(self, upstream):
        self.upstream = upstream
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._forwarding = threading.Event()
        self._forwarding.set()
        self._gate = threading.Lock()
        self._stop = threading.Event()
        self._sockets = []
        self._threads = []

    def freeze(self):
        with self._gate:
            self._forwarding.clear()

    def thaw(self):
        self._forwarding.set()

    def __enter__(self):
        self._start(self._accept)
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._forwarding.set()
        self._listener.close()
        for sock in list(self._sockets):
            with contextlib.suppress(OSError):
                sock.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _start(self, target, *args):
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self):
        self._listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._sockets.append(client)
            if not self._forwarding.is_set():
                continue  # held open, never answered
            server = socket.create_connection(self.upstream)
            self._sockets.append(server)
            self._start(self._pump, client, server)
            self._start(self._pump, server, client)

    def _pump(self, source, target):
        while not self._stop.is_set():
            try:
                readable, _, _ = select.select([source], [], [], 0.05)
            except (OSError, ValueError):  # ValueError: closed by __exit__
                return
            if not readable:
                continue
            # Under the gate: once freeze() has returned, not another byte passes.
            with self._gate:
                frozen = not self._forwarding.is_set()
                if not frozen:
                    try:
                        data = source.recv(65536)
                        if not data:
                            target.shutdown(socket.SHUT_WR)
                            return
                        target.sendall(data)
                    except OSError:
                        return
            if frozen:
                time.sleep(0.05)
