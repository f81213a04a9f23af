"""A throwaway Dovecot IMAP server on loopback, for the tests and the demo's collections mailbox.

Everything lives in one temp dir: the config, a passwd-file with one user, the maildir, logs.
Dovecot refuses to deliver mail as root and chroots its login processes, so as root the mail
belongs to the `dovenull` system user the Debian package creates and login runs as `dovenull`;
as any other user every process runs as that user, without chroot.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT_CANDIDATES = ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot")
# Dovecot 2.3's own list after login, less MOVE
NO_MOVE_CAPABILITIES = ("IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES "
                        "THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN "
                        "NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES "
                        "WITHIN CONTEXT=SEARCH LIST-STATUS BINARY SPECIAL-USE")


class DovecotUnavailable(RuntimeError):
    """Dovecot is not installed or would not start; the message says what to do."""


def find_dovecot() -> str:
    found = shutil.which("dovecot") or next((p for p in DOVECOT_CANDIDATES if os.access(p, os.X_OK)), None)
    if not found:
        raise DovecotUnavailable("Dovecot is not installed (Debian: apt-get install dovecot-imapd; `make test` does it as root)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_certificate(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A certificate for `host` (as IP and DNS name) and its key, written by the openssl CLI."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    openssl = shutil.which("openssl")
    if not openssl:
        raise DovecotUnavailable("openssl is needed to make a test certificate (Debian: apt-get install openssl)")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={host}",
         "-addext", f"subjectAltName=IP:{host},DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


class DovecotServer:
    """`with DovecotServer(user, password) as server:` -> IMAP on 127.0.0.1:server.port.

    With `tls=True` the server also speaks STARTTLS on `port` and implicit TLS on `tls_port`,
    with a self-signed certificate whose file is `cert_file` (trust it as a CA in clients).
    `without_move=True` hides the MOVE capability, as older servers lack it.
    """

    def __init__(self, user: str = "collections", password: str = "secret", tls: bool = False,
                 folder: Path | None = None, without_move: bool = False) -> None:
        self.binary = find_dovecot()
        self.user, self.password, self.tls, self.without_move = user, password, tls, without_move
        self.host = "127.0.0.1"
        self._own_dir = folder is None
        self.dir = Path(folder or tempfile.mkdtemp(prefix="dovecot-"))
        self.port = _free_port()
        self.tls_port = _free_port() if tls else 0
        self.cert_file: Path | None = None
        self._process: subprocess.Popen | None = None

    @property
    def config_file(self) -> Path:
        return self.dir / "dovecot.conf"

    @property
    def log_file(self) -> Path:
        return self.dir / "dovecot.log"

    def _accounts(self) -> tuple[str, str, int, int]:
        """(internal user, login user, mail uid, mail gid) for this process's privileges."""
        if os.geteuid() != 0:
            me = pwd.getpwuid(os.geteuid()).pw_name
            return me, me, os.geteuid(), os.getegid()
        try:
            internal = pwd.getpwnam("dovecot").pw_name
            login = pwd.getpwnam("dovenull")
        except KeyError:
            raise DovecotUnavailable("the dovecot and dovenull users are missing (reinstall dovecot-core)") from None
        return internal, login.pw_name, login.pw_uid, login.pw_gid

    def _write_config(self) -> None:
        internal, login, uid, gid = self._accounts()
        self.dir.chmod(0o711)  # dovecot's auth and mail processes must reach their files in it
        home = self.dir / "home" / self.user
        home.mkdir(parents=True, exist_ok=True)
        for path in (self.dir / "home", home):
            os.chown(path, uid, gid)
        passwd = self.dir / "passwd"
        passwd.write_text(f"{self.user}:{{PLAIN}}{self.password}:{uid}:{gid}::{home}::\n")
        passwd.chmod(0o644)
        ssl = "no"
        listeners = f"  inet_listener imap {{\n    address = {self.host}\n    port = {self.port}\n  }}\n"
        if self.tls:
            self.cert_file, key = self_signed_certificate(self.dir, self.host)
            ssl = f"yes\nssl_cert = <{self.cert_file}\nssl_key = <{key}"
            listeners += (f"  inet_listener imaps {{\n    address = {self.host}\n    port = {self.tls_port}\n"
                          "    ssl = yes\n  }\n")
        else:
            listeners += "  inet_listener imaps {\n    port = 0\n  }\n"
        chroot = "" if os.geteuid() == 0 else "  chroot =\n"
        capabilities = f"imap_capability = {NO_MOVE_CAPABILITIES}\n" if self.without_move else ""
        self.config_file.write_text(f"""\
base_dir = {self.dir / 'run'}
state_dir = {self.dir / 'state'}
log_path = {self.log_file}
protocols = imap
listen = {self.host}
ssl = {ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = {min(uid, 1)}
mail_location = maildir:~/Maildir
mail_fsync = never
maildir_very_dirty_syncs = yes
{capabilities}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.dir / 'passwd'}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {self.dir / 'passwd'}
}}
service imap-login {{
{listeners}{chroot}}}
service anvil {{
{chroot}}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
protocol imap {{
  mail_max_userip_connections = 50
}}
""")

    def start(self) -> "DovecotServer":
        self._write_config()
        self._process = subprocess.Popen([self.binary, "-F", "-c", str(self.config_file)],
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                output = self._process.stdout.read().decode(errors="replace") if self._process.stdout else ""
                raise DovecotUnavailable(f"dovecot exited: {output.strip() or self._log_tail()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5) as sock:
                    if sock.recv(64).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise DovecotUnavailable(f"dovecot did not answer on port {self.port}: {self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return " | ".join(self.log_file.read_text(errors="replace").splitlines()[-5:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        if self._process and self._process.stdout:
            self._process.stdout.close()
        self._process = None
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "DovecotServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
