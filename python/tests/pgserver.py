"""A real PostgreSQL server for the tests, in a temporary directory.

Debian's server binaries (package postgresql, installed by
tools/install-deps.sh) are run from /usr/lib/postgresql/*/bin: initdb into
a fresh directory, then pg_ctl start listening only on a Unix socket in
that directory (no TCP port, so tests never collide with a system server
or each other).  The server refuses to run as root, so as root it runs as
the `postgres` system user the package creates.
"""
import glob
import os
import shutil
import subprocess
import tempfile


def _bindir():
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not dirs:
        raise RuntimeError("PostgreSQL server binaries not found: run tools/install-deps.sh")
    return dirs[-1]


class Server:
    PORT = 5432          # only names the socket file; nothing listens on TCP

    def __init__(self):
        self.bin = _bindir()
        self.root = tempfile.mkdtemp(prefix="khaldun-pg-")
        self.data = os.path.join(self.root, "data")
        self.sock = self.root
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", self.data, "-U", "khaldun", "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale=C")
        with open(os.path.join(self.data, "pg_hba.conf"), "w") as f:
            f.write("local all locked scram-sha-256\nlocal all all trust\n")
        self.start()
        self.psql("CREATE ROLE locked LOGIN PASSWORD 'secret'", db="postgres")

    def _run(self, tool, *args, check=True):
        cmd = [os.path.join(self.bin, tool)] + list(args)
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return subprocess.run(cmd, check=check, capture_output=True, text=True)

    def start(self):
        opts = "-k %s -p %d -c listen_addresses='' -c fsync=off" % (self.sock, self.PORT)
        self._run("pg_ctl", "-D", self.data, "-o", opts, "-l",
                  os.path.join(self.root, "log"), "-w", "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def url(self, db, user="khaldun"):
        return "postgresql:///%s?host=%s&port=%d&user=%s" % (db, self.sock, self.PORT, user)

    def createdb(self, name):
        self.psql("CREATE DATABASE %s" % name, db="postgres")
        return self.url(name)

    def psql(self, sql, db):
        p = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-q", "-A", "-t",
                            "-v", "ON_ERROR_STOP=1", "-c", sql, self.url(db)],
                           check=True, capture_output=True, text=True)
        return [line.split("|") for line in p.stdout.splitlines() if line]

    def close(self):
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
