"""The command line's conventions: GNU-style options, each command's
help, -V, a named unknown command, the progress line on a terminal (and
nowhere else), and source_text null rather than "" when no words named
the actor."""
import json
import os
import pty
import sqlite3
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KHALDUN = os.path.abspath(os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun")))

ISRAEL = "Israel attacked Hamas in Gaza, officials said.\n"


def run(*args, **kw):
    return subprocess.run([KHALDUN] + list(args), capture_output=True, text=True, **kw)


def test_help_goes_to_stdout_and_exits_0():
    for args, says in ([["-h"], "khaldun validate"], [["--help"], "khaldun dict"],
                       [["code", "--help"], "--format F"], [["code", "-h"], "--dedup-window"],
                       [["parse", "--help"], "CoNLL-U"], [["validate", "--help"], "SUITE"],
                       [["validate", "-h"], "--verbose"], [["dict", "--help"], "dict gaps"],
                       [["dict", "check", "-h"], "dict check"]):
        r = run(*args)
        assert (r.returncode, r.stderr) == (0, ""), args
        assert says in r.stdout, args
    assert "SUITE" not in run("code", "--help").stdout       # code's help alone


def test_version_short_and_long():
    for flag in ("-V", "--version"):
        r = run(flag)
        assert r.returncode == 0 and r.stdout.startswith("khaldun ")


def test_unknown_command_is_named():
    r = run("frobnicate", "x.txt")
    assert r.returncode == 2
    assert "unknown command 'frobnicate'" in r.stderr
    r = run("dict", "frob")
    assert r.returncode == 2 and "'frob'" in r.stderr


def test_option_equals_value_is_the_same_option(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ISRAEL)
    spaced = run("code", "--quiet", "--format", "tsv", "--date", "20110328", str(src))
    joined = run("code", "--quiet", "--format=tsv", "--date=20110328", str(src))
    assert spaced.returncode == joined.returncode == 0
    assert joined.stdout == spaced.stdout and "20110328" in joined.stdout
    bad = run("code", "--quiet=yes", str(src))
    assert bad.returncode == 2 and "--quiet" in bad.stderr
    v = run("validate", "--parse=bogus", "suite.xml")
    assert v.returncode == 2 and "bogus" in v.stderr


def test_double_dash_ends_options(tmp_path):
    (tmp_path / "-odd.txt").write_text(ISRAEL)
    r = run("code", "--quiet", "--", "-odd.txt", cwd=tmp_path)
    assert r.returncode == 0
    assert [json.loads(l)["doc"] for l in r.stdout.splitlines()] == ["-odd.txt"]
    assert run("code", "--quiet", "-odd.txt", cwd=tmp_path).returncode == 2


def test_source_text_is_null_not_empty(tmp_path):
    src = tmp_path / "q.txt"
    src.write_text('"We will go," Obama said. ' + ISRAEL)
    events = [json.loads(l) for l in run("code", "--quiet", str(src)).stdout.splitlines()]
    texts = [e[k] for e in events for k in ("source_text", "target_text")]
    assert None in texts and "Israel" in texts
    assert "" not in texts
    db = tmp_path / "q.db"
    run("code", "--quiet", "-o", str(db), str(src))
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM events WHERE source_text = ''").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM events WHERE source_text IS NULL").fetchone()[0] >= 1


def slow_run(extra, stderr_tty):
    """khaldun code reading documents from a pipe fed slowly for ~4 s, so
    the run outlasts the progress line's delay; returns what it wrote to
    stderr."""
    master = None
    if stderr_tty:
        master, slave = pty.openpty()
        err = slave
    else:
        err = subprocess.PIPE
    p = subprocess.Popen([KHALDUN, "code", "-j", "1", "--format", "jsonl"] + extra + ["-"],
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err)
    if stderr_tty:
        os.close(slave)
    return p, master


def collect(p, master):
    if master is None:
        err = p.stderr.read().decode()
        p.wait()
        return err
    p.wait()
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return out.decode()


def test_progress_line_on_a_terminal_only():
    runs = [slow_run([], True), slow_run([], False), slow_run(["--quiet"], True)]
    doc = json.dumps({"id": "d", "text": ISRAEL}) + "\n"
    for _ in range(24):               # 24 documents over 4.8 s
        for p, _m in runs:
            p.stdin.write(doc.encode())
            p.stdin.flush()
        time.sleep(0.2)
    for p, _m in runs:
        p.stdin.close()
    tty, piped, quiet = [collect(p, m) for p, m in runs]
    tty = tty.replace("\r\n", "\n")        # the terminal's line ends
    assert "\rkhaldun: " in tty and " documents/s" in tty
    line = tty.split("\r")[1]
    assert "documents, " in line and " sentences, " in line and " events, " in line
    assert tty.split("\r")[-1].startswith("\033[Kkhaldun: 24 documents")   # a clean line
    assert "\r" not in piped and "documents/s" not in piped
    assert piped.count("\n") == 1 and "24 documents" in piped
    assert quiet == ""
