"""The warm grader's link: where its server is found, who may talk to it, and how
(``grader/front/warm.py`` is the client and the server over it).

* **One server per user and checkout.**  A server serves one ``Identity``: the folder that holds the
  ``grader`` package (the checkout), the Python interpreter and its ``sys.path``, the sandbox backend and
  the environment variables that change how grading runs (``CONFIG_ENV``).  Its key, a digest of all that,
  names its files in the user's private folder: ``KEY.lock`` (held by the live server for its whole life,
  released by the system however it ends), ``KEY.json`` (the rendezvous: where it listens, its token, its
  pid; mode 0600), ``KEY.sock`` (its Unix socket) and ``KEY.log`` (its own output).
* **The private folder** is ``$XDG_RUNTIME_DIR/keras-course-grader`` (Linux with a session manager: emptied
  at logout and at boot), else ``keras-course-grader-UID`` in the temporary folder (macOS: the per-user
  ``$TMPDIR``), on Windows ``%LOCALAPPDATA%\\keras-course-grader\\run`` (the profile's own access list);
  ``GRADE_DAEMON_DIR`` chooses another.  On Linux and macOS it must be a folder (not a link) owned by this
  user with no access for anyone else (mode 0700): otherwise there is no server and ``grade`` grades in
  its own process.
* **Transports.**  ``unix`` (Linux, macOS): a Unix socket of mode 0600 in that folder; on Linux the
  server also checks the peer's user (``SO_PEERCRED``).  ``tcp`` (Windows): 127.0.0.1 on a port the system
  chose; anyone on the machine may connect to a port, so the token decides.  ``GRADE_DAEMON_TRANSPORT=tcp``
  forces the loopback transport elsewhere (how the Windows path is tested on Linux).
* **Both ends prove they hold the server's token** (32 random bytes in the rendezvous file, which only the
  user can read) before anything else is said: HMAC-SHA256 over a nonce the other end chose.  The client
  never sends a request (which may hold the instructor's seed) to a server that has not proved it, and the
  server answers no one who has not.
* **Messages**: a 4-byte length, then UTF-8 JSON (no pickles: nothing that arrives is code).

This module imports nothing of the grader beyond the core's isolation names, and nothing slow.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import re
import secrets
import socket
import stat
import struct
import sys
import tempfile
import time
from pathlib import Path

PROTOCOL = 1
APP = "keras-course-grader"
MAX_MESSAGE = 64 * 2**20  # a notebook's module text is far smaller; a reply is a report
HANDSHAKE_SECONDS = 5.0

# The environment a server was started with and that changes how a grade runs (what a child imports and
# sees, where TensorFlow looks, which sandbox): a client whose values differ gets a server of its own.
CONFIG_ENV = re.compile(r"^(PYTHON(PATH|HOME|HASHSEED|SAFEPATH|NOUSERSITE|USERBASE)|TF_\w+|KERAS_\w+|GRADER_\w+"
                        r"|CUDA_\w+|XLA_\w+|OMP_\w+|MKL_\w+|OPENBLAS_\w+|LD_\w+|MPLBACKEND|HOME|TMPDIR|TEMP|TMP"
                        r"|PATH)$")


class Unreachable(Exception):
    """No server to talk to (none running, a stale rendezvous, a folder that is not private, a failed proof)."""


# ------------------------------------------------------------------ the private folder
def private_folder(create: bool = True) -> Path:
    """The user's private folder for servers (see the module's docstring); ``Unreachable`` when it is not
    private."""
    chosen = os.environ.get("GRADE_DAEMON_DIR")
    if chosen:
        folder = Path(chosen)
    elif os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        folder = Path(base) / APP / "run"
    else:
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        if runtime and _is_private(Path(runtime)):
            folder = Path(runtime) / APP
        else:
            folder = Path(tempfile.gettempdir()) / f"{APP}-{os.getuid()}"
    if create:
        try:
            if os.name == "nt" or chosen:
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            else:
                folder.mkdir(exist_ok=True, mode=0o700)
        except OSError as e:
            raise Unreachable(f"cannot create {folder}: {e}") from None
    if os.name != "nt" and folder.exists() and not _is_private(folder):
        raise Unreachable(f"{folder} is not private (a folder of this user, mode 0700)")
    return folder


def _is_private(folder: Path) -> bool:
    """A real folder (not a link), owned by this user, that no one else may enter or read (POSIX)."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


# ------------------------------------------------------------------ which server
@dataclasses.dataclass(frozen=True)
class Identity:
    """What a server serves, and the names of its files."""
    root: str  # the folder that holds the grader package (the checkout, or site-packages)
    sandbox: str  # the isolation backend (grader.core.isolation.NAMES)
    key: str
    folder: Path

    def file(self, suffix: str) -> Path:
        return self.folder / f"{self.key}{suffix}"

    @property
    def lock(self) -> Path:
        return self.file(".lock")

    @property
    def rendezvous(self) -> Path:
        return self.file(".json")

    @property
    def socket_path(self) -> Path:
        return self.file(".sock")

    @property
    def log(self) -> Path:
        return self.file(".log")


def project_root() -> str:
    import grader
    return os.path.dirname(os.path.dirname(os.path.realpath(grader.__file__)))


def sandbox_name(sandbox: str | None) -> str:
    from grader.core import isolation
    return sandbox if sandbox else isolation.current_name()


def config(sandbox: str | None, environ=None) -> dict:
    """What a server must share with a client that it answers (the key is its digest)."""
    environ = os.environ if environ is None else environ
    from grader.core.startup import ENVIRONMENT
    env = {**ENVIRONMENT, **{k: v for k, v in environ.items() if CONFIG_ENV.match(k)}}
    env.pop("GRADER_SANDBOX", None)  # (the backend is named below)
    return {"protocol": PROTOCOL, "root": project_root(), "python": os.path.realpath(sys.executable),
            "version": sys.version, "path": list(sys.path), "sandbox": sandbox_name(sandbox),
            "env": dict(sorted(env.items()))}


def identity(sandbox: str | None = None, folder: Path | None = None) -> Identity:
    conf = config(sandbox)
    key = hashlib.sha256(json.dumps(conf, sort_keys=True).encode()).hexdigest()[:20]
    return Identity(conf["root"], conf["sandbox"], key, folder or private_folder())


def boot_id() -> str:
    """This boot of the machine: a rendezvous written before the last reboot names no server."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            return f.read().strip()
    except OSError:
        import psutil
        return str(int(psutil.boot_time()))


def transport() -> str:
    forced = os.environ.get("GRADE_DAEMON_TRANSPORT", "")
    if forced in ("unix", "tcp"):
        return forced
    return "unix" if hasattr(socket, "AF_UNIX") and os.name != "nt" else "tcp"


# ------------------------------------------------------------------ the server's lock
class Lock:
    """An exclusive lock on a file, held until ``release`` or until the process ends however it ends."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> bool:
        """Take it now, or return False (another process holds it)."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.name == "nt":
                import msvcrt
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            os.close(fd)  # (closing releases flock and msvcrt locks alike)

    @staticmethod
    def held(path: Path) -> bool:
        """Whether a live process holds the lock at ``path``."""
        probe = Lock(path)
        try:
            if probe.acquire():
                probe.release()
                return False
        except OSError:
            return False
        return True


# ------------------------------------------------------------------ the rendezvous file
def write_private(path: Path, data: dict) -> None:
    """``data`` as JSON at ``path``, readable by this user only, replacing any file there at once."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(tmp, path)


def read_rendezvous(ident: Identity) -> dict | None:
    try:
        with open(ident.rendezvous, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("protocol") != PROTOCOL or data.get("boot") != boot_id():
        return None
    return data


# ------------------------------------------------------------------ messages
def _mac(token: bytes, who: bytes, nonce: bytes) -> str:
    return hmac.new(token, who + b"\0" + nonce, hashlib.sha256).hexdigest()


class Link:
    """One connection: length-prefixed JSON messages, after both ends proved they hold the token."""

    def __init__(self, sock: socket.socket):
        self.sock = sock

    def send(self, message: dict) -> None:
        data = json.dumps(message, separators=(",", ":")).encode("utf-8")
        self.sock.sendall(struct.pack(">I", len(data)) + data)

    def _exactly(self, n: int) -> bytes:
        chunks, left = [], n
        while left:
            chunk = self.sock.recv(min(left, 1 << 20))
            if not chunk:
                raise ConnectionError("the other end closed the connection")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def recv(self, timeout: float | None = None) -> dict:
        """The next message (``socket.timeout`` when none arrived within ``timeout``; ConnectionError when the
        other end is gone)."""
        self.sock.settimeout(timeout)
        (size,) = struct.unpack(">I", self._exactly(4))
        if size > MAX_MESSAGE:
            raise ConnectionError(f"a message of {size} bytes")
        self.sock.settimeout(None)
        message = json.loads(self._exactly(size).decode("utf-8"))
        if not isinstance(message, dict):
            raise ConnectionError("a message that is not an object")
        return message

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    # -------------------------------------------------------------- the proof, both ways
    def prove_server(self, token: bytes) -> None:
        """The server's side: its challenge, the client's proof, then its own (ConnectionError on failure)."""
        nonce = secrets.token_bytes(32)
        self.send({"hello": PROTOCOL, "nonce": nonce.hex()})
        reply = self.recv(HANDSHAKE_SECONDS)
        theirs = reply.get("nonce")
        if not (isinstance(reply.get("mac"), str) and isinstance(theirs, str) and len(theirs) == 64
                and hmac.compare_digest(reply["mac"], _mac(token, b"client", nonce))):
            raise ConnectionError("the client did not prove it holds the token")
        self.send({"mac": _mac(token, b"server", bytes.fromhex(theirs))})

    def prove_client(self, token: bytes) -> None:
        """The client's side (ConnectionError when the server is not the one the rendezvous names)."""
        hello = self.recv(HANDSHAKE_SECONDS)
        if hello.get("hello") != PROTOCOL or not isinstance(hello.get("nonce"), str):
            raise ConnectionError("not a grading server of this version")
        nonce = secrets.token_bytes(32)
        self.send({"mac": _mac(token, b"client", bytes.fromhex(hello["nonce"])), "nonce": nonce.hex()})
        reply = self.recv(HANDSHAKE_SECONDS)
        if not (isinstance(reply.get("mac"), str) and hmac.compare_digest(reply["mac"],
                                                                          _mac(token, b"server", nonce))):
            raise ConnectionError("the server did not prove it holds the token")


def peer_uid(sock: socket.socket) -> int | None:
    """The user of the process at the other end of a Unix socket (Linux; None elsewhere)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None or sock.family != getattr(socket, "AF_UNIX", None):
        return None
    try:
        _pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    except OSError:
        return None
    return uid


def connect(ident: Identity, timeout: float = HANDSHAKE_SECONDS) -> Link:
    """A proven link to the server ``ident`` names (``Unreachable`` when there is none to talk to)."""
    info = read_rendezvous(ident)
    if info is None:
        raise Unreachable("no rendezvous")
    try:
        token = bytes.fromhex(info["token"])
        if info["transport"] == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            address = str(ident.socket_path)
        else:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            address = ("127.0.0.1", int(info["port"]))
    except (KeyError, ValueError, TypeError, OSError) as e:
        raise Unreachable(f"a rendezvous that names no server: {e}") from None
    sock.settimeout(timeout)
    try:
        sock.connect(address)
        link = Link(sock)
        link.prove_client(token)
    except (OSError, ConnectionError, ValueError, struct.error) as e:
        sock.close()
        raise Unreachable(f"{address}: {e}") from None
    sock.settimeout(None)
    return link


class Listener:
    """The server's end: a Unix socket of mode 0600 in the private folder, or 127.0.0.1 on a free port."""

    def __init__(self, ident: Identity, kind: str | None = None):
        self.kind = kind or transport()
        self.ident = ident
        if self.kind == "unix":
            path = ident.socket_path
            try:
                path.unlink()  # a dead server's (the caller holds the lock: no live server has it)
            except FileNotFoundError:
                pass
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            old = os.umask(0o177)  # never, not for an instant, a socket others may connect to
            try:
                self.sock.bind(str(path))
            finally:
                os.umask(old)
            os.chmod(path, 0o600)
            self.port = None
        else:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sock.bind(("127.0.0.1", 0))
            self.port = self.sock.getsockname()[1]
        self.sock.listen(16)

    def accept(self, timeout: float) -> socket.socket | None:
        self.sock.settimeout(timeout)
        try:
            conn, _addr = self.sock.accept()
        except (socket.timeout, OSError):
            return None
        conn.settimeout(None)
        return conn

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def rendezvous(self, token: bytes, **facts) -> dict:
        return {"protocol": PROTOCOL, "boot": boot_id(), "transport": self.kind, "port": self.port,
                "token": token.hex(), "root": self.ident.root, "key": self.ident.key, "sandbox": self.ident.sandbox,
                "started": time.time(), **facts}


def servers(folder: Path | None = None) -> list[tuple[Path, dict]]:
    """The rendezvous files in the private folder (live or not), with what they say."""
    try:
        folder = folder or private_folder(create=False)
        paths = sorted(folder.glob("*.json"))
    except (OSError, Unreachable):
        return []
    out = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and "key" in data:
            out.append((path, data))
    return out
