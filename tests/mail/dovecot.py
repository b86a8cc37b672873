"""A private dovecot IMAP server on a loopback port, for tests and bench/bench_mail.py.

Its own config dir in a temporary folder: passwd-file auth (plain passwords), maildir storage,
no TLS, listening on 127.0.0.1 only. ``DOVECOT`` is the binary (Debian's dovecot-imapd); when it
is missing, ``SKIP_REASON`` says so and the tests that need it skip with that reason.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
SKIP_REASON = ("dovecot is not installed: the IMAP fetch tests need a real IMAP server "
               "(apt-get install -y dovecot-imapd; .ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Dovecot:
    """``with Dovecot() as server: server.add_user(name, password); server.port``."""

    def __init__(self) -> None:
        if DOVECOT is None:
            raise RuntimeError(SKIP_REASON)
        self.dir = Path(tempfile.mkdtemp(prefix="frontline-dovecot-"))
        self.port = _free_port()
        self.host = "127.0.0.1"
        self._users: list[str] = []
        self._pid: int | None = None

    def __enter__(self) -> Dovecot:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _ids(self) -> tuple[int, int, str, str]:
        """The uid/gid mail is stored as, and the users the daemon runs as (dovecot refuses root for mail)."""
        if os.geteuid() == 0:
            mail_user = pwd.getpwnam("dovecot")
            return mail_user.pw_uid, mail_user.pw_gid, "dovecot", "dovenull"
        me = pwd.getpwuid(os.geteuid())
        return me.pw_uid, me.pw_gid, me.pw_name, me.pw_name

    def start(self) -> None:
        uid, gid, internal, login = self._ids()
        home = self.dir / "home"
        for sub in ("run", "state", "home"):
            (self.dir / sub).mkdir()
        self.dir.chmod(0o755)
        if os.geteuid() == 0:
            os.chown(home, uid, gid)
        (self.dir / "passwd").write_text("")
        (self.dir / "dovecot.conf").write_text(f"""
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
default_internal_user = {internal}
default_login_user = {login}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
protocols = imap
listen = 127.0.0.1
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.dir}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%u
}}
mail_location = maildir:~/Maildir
""")
        subprocess.run([DOVECOT, "-c", str(self.dir / "dovecot.conf")], check=True, timeout=30,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pid_file = self.dir / "run" / "master.pid"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                self._pid = self._pid or int(pid_file.read_text().strip())
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except (OSError, ValueError):
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start; see {self.dir}/dovecot.log")

    def add_user(self, name: str, password: str) -> None:
        with (self.dir / "passwd").open("a") as f:
            f.write(f"{name}:{{PLAIN}}{password}\n")

    def client(self, user: str, password: str):  # type: ignore[no-untyped-def]
        from imapclient import IMAPClient

        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(user, password)
        return client

    def stop(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGTERM)
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    os.kill(self._pid, 0)
                    time.sleep(0.05)
            except ProcessLookupError:
                pass
            self._pid = None
        shutil.rmtree(self.dir, ignore_errors=True)
