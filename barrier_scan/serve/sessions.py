"""Browser sessions: who uploaded what, where it is kept, and when it is deleted.

Each browser gets a random session id (an HttpOnly, SameSite=Strict cookie) and its own folder
inside one private temporary root (mode 0700, made when the server starts). Uploaded files live
only there. A session ends when the person presses "End session and delete my files", when it
has been idle for ``keep`` seconds (swept every minute), or when the server stops; its folder is
deleted each time. Nothing is written anywhere else except the verdicts database.

Each session also holds the token every state-changing request must echo back (CSRF): a page
from another site can make the browser send the cookie, but cannot read the token.
"""
from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_KEEP_MINUTES = 120.0


@dataclass
class Upload:
    """One uploaded file in a session and its scan job."""
    id: str
    name: str  # the file name the person gave, for display only
    path: Path  # where the bytes are, inside the session folder
    job: object  # scanner.Job
    uploaded: float = field(default_factory=time.time)


@dataclass
class Session:
    """One browser's uploads, folder and CSRF token."""
    id: str
    folder: Path
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    uploads: dict[str, Upload] = field(default_factory=dict)  # in upload order
    last_seen: float = field(default_factory=time.monotonic)

    def check_csrf(self, token: str | None) -> bool:
        """True when ``token`` is this session's CSRF token (constant-time comparison)."""
        return bool(token) and hmac.compare_digest(token.encode(), self.csrf.encode())


class Sessions:
    """Every live session, their private folders, and the sweep that deletes idle ones."""

    def __init__(self, keep_seconds: float = DEFAULT_KEEP_MINUTES * 60, root: str | None = None):
        self.keep = float(keep_seconds)
        # mkdtemp makes the folder 0700: other users of the machine cannot list or read uploads.
        self.root = Path(tempfile.mkdtemp(prefix="barrier-scan-serve-", dir=root))
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()
        self.on_end = None  # called with each ended session (the scanner drops its queued jobs)

    def __len__(self) -> int:
        return len(self._by_id)

    def create(self) -> Session:
        """A new session with its own empty folder."""
        sid = secrets.token_urlsafe(32)
        folder = self.root / secrets.token_hex(8)
        folder.mkdir(mode=0o700)
        s = Session(id=sid, folder=folder)
        with self._lock:
            self._by_id[sid] = s
        return s

    def get(self, sid: str | None) -> Session | None:
        """The live session with id ``sid`` (its idle clock restarts), or None."""
        if not sid:
            return None
        with self._lock:
            s = self._by_id.get(sid)
            if s is None:
                return None
            if time.monotonic() - s.last_seen > self.keep:  # expired but not yet swept
                self._drop(s)
                return None
            s.last_seen = time.monotonic()
            return s

    def end(self, s: Session) -> None:
        """End ``s`` now: forget it and delete its files."""
        with self._lock:
            self._drop(s)

    def sweep(self, now: float | None = None) -> int:
        """End every session idle for longer than ``keep``; how many were ended."""
        now = time.monotonic() if now is None else now
        with self._lock:
            idle = [s for s in self._by_id.values() if now - s.last_seen > self.keep]
            for s in idle:
                self._drop(s)
        return len(idle)

    def close(self) -> None:
        """End every session and delete the private root (server shutdown)."""
        with self._lock:
            for s in list(self._by_id.values()):
                self._drop(s)
        shutil.rmtree(self.root, ignore_errors=True)

    def _drop(self, s: Session) -> None:
        self._by_id.pop(s.id, None)
        if self.on_end is not None:
            with contextlib.suppress(Exception):
                self.on_end(s)
        shutil.rmtree(s.folder, ignore_errors=True)

    def new_upload_dir(self, s: Session) -> tuple[str, Path]:
        """A fresh id and private folder for one upload inside session ``s``."""
        uid = secrets.token_urlsafe(9)
        folder = s.folder / secrets.token_hex(6)
        folder.mkdir(mode=0o700)
        return uid, folder


def safe_name(name: str, default: str = "upload") -> str:
    """A file name the person gave, reduced to its last component and safe to create on disk.

    The extension is kept (sniffing tells .md from .txt by it, and error messages name it);
    path separators, control characters and leading dots are removed; length is bounded.
    """
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"|?*\x00')
    name = name.strip().lstrip(".").strip() or default
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:16]
    stem = stem[: 120 - len(ext)] or default
    out = f"{stem}.{ext}" if ext else stem
    return out if os.path.basename(out) == out else default
