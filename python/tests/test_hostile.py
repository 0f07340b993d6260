"""Hostile input and faults, through the command line (issue 11).

Each test runs build/khaldun (KHALDUN) on an input made to hurt it -- an
entity bomb, a line with no sentence end, a binary dictionary, a full
disk, a signal mid-run -- and checks what the user is told: one message
naming the cause, the summary's counts and the exit status.  Bounds are
on work and size (memory, lines of output, files left), with timeouts far
above the time the run takes, never on wall time alone.
"""
import os
import resource
import signal
import subprocess
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
KHALDUN = os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun"))

# The exit statuses of khaldun code (README, "Exit status").
EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_WRITE = 0, 1, 2, 3

# A hostile input that is handled takes well under a second; one that is
# not takes minutes.  The timeout tells the two apart on a loaded machine.
TIMEOUT = 60

NATO = "NATO decided on March 27, 2011, to carry out military operations against Libya.\n"


def run(*args, timeout=TIMEOUT):
    return subprocess.run([KHALDUN] + list(args), capture_output=True, text=True,
                          timeout=timeout, errors="replace")


def errors(proc):
    return [l for l in proc.stderr.splitlines() if l.strip()]


def nato(tmp_path, name="nato.txt"):
    path = tmp_path / name
    path.write_text(NATO)
    return str(path)


def device(tmp_path, name, minor):
    """A character device of the mem driver (3: null, 7: full) made in
    tmp_path; skips the test where device nodes cannot be made."""
    path = str(tmp_path / name)
    try:
        os.mknod(path, 0o666 | 0o020000, os.makedev(1, minor))
    except (PermissionError, OSError):
        pytest.skip("cannot make device nodes here (not root?)")
    return path


# ---- exit statuses ----

def test_complete_run_exits_0():
    p = run("code", "--quiet", "--date", "20110328", EXAMPLES)
    assert p.returncode == EXIT_OK, p.stderr


def test_missing_inputs_exit_skipped(tmp_path):
    p = run("code", str(tmp_path / "no-such-1.txt"), str(tmp_path / "no-such-2.txt"))
    assert p.returncode == EXIT_SKIPPED
    assert "2 inputs skipped" in p.stderr


def test_one_missing_input_among_good_ones_exits_skipped(tmp_path):
    p = run("code", "--date", "20110328", nato(tmp_path), str(tmp_path / "gone.txt"))
    assert p.returncode == EXIT_SKIPPED
    assert '"code"' in p.stdout                      # the good one was coded


def test_bad_option_exits_usage(tmp_path):
    assert run("code", "--no-such-option", nato(tmp_path)).returncode == EXIT_USAGE


# ---- write failures ----

@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "gdelt"])
def test_full_device_stops_at_the_first_error(tmp_path, fmt):
    full = device(tmp_path, "full", 7)
    p = run("code", "--date", "20110328", "--format", fmt, "-o", full, EXAMPLES)
    assert p.returncode == EXIT_WRITE
    lines = errors(p)
    assert sum("No space left on device" in l for l in lines) == 1, lines
    assert len(lines) == 2, lines                  # the cause, and where it stopped
    assert " events (" not in p.stderr             # no summary claiming events


def small_tmpfs(tmp_path, size="64k"):
    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    return mnt


@pytest.mark.parametrize("fmt", ["jsonl", "gdelt"])
def test_full_disk_removes_the_temporary_output(tmp_path, fmt):
    big = tmp_path / "big.txt"
    big.write_text(("Israel accused Syria of attacking the border. " * 20 + "\n\n") * 300)
    mnt = small_tmpfs(tmp_path)
    try:
        # --no-dedup: the repeated sentence is one event otherwise, which fits
        p = run("code", "--date", "20110328", "--no-dedup", "--format", fmt, "-o",
                str(mnt / "out"), str(big))
        left = os.listdir(mnt)
    finally:
        subprocess.run(["umount", "-l", str(mnt)])
    assert p.returncode == EXIT_WRITE
    assert sum("No space left on device" in l for l in errors(p)) == 1, p.stderr
    assert left == []


def test_full_disk_marks_the_sqlite_run_failed(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(("Israel accused Syria of attacking the border. " * 20 + "\n\n") * 300)
    mnt = small_tmpfs(tmp_path, "256k")
    try:
        db = str(mnt / "events.db")
        p = run("code", "--date", "20110328", "--no-dedup", "-o", db, str(big))
        recorded = runs(db)
    finally:
        subprocess.run(["umount", "-l", str(mnt)])
    assert p.returncode == EXIT_WRITE
    lines = errors(p)
    assert len(lines) == 2 and "database or disk is full" in lines[0], lines
    assert [r[0] for r in recorded] == ["failed"]


# ---- outputs that are inputs, devices and FIFOs ----

def test_output_naming_an_input_is_refused(tmp_path):
    path = nato(tmp_path)
    p = run("code", "-o", path, path)
    assert p.returncode == EXIT_USAGE
    assert "is the input" in p.stderr
    with open(path) as f:
        assert f.read() == NATO


def test_output_inside_an_input_directory_is_refused(tmp_path):
    nato(tmp_path)
    p = run("code", "-o", str(tmp_path / "events.jsonl"), str(tmp_path))
    assert p.returncode == EXIT_USAGE
    assert not (tmp_path / "events.jsonl").exists()


def test_output_to_a_device_is_written_in_place(tmp_path):
    null = device(tmp_path, "null", 3)
    p = run("code", "--date", "20110328", "-o", null, nato(tmp_path))
    assert p.returncode == EXIT_OK, p.stderr
    st = os.stat(null)
    assert (st.st_mode & 0o170000) == 0o020000      # still a character device
    assert sorted(os.listdir(tmp_path)) == ["nato.txt", "null"]


def test_output_to_a_fifo_is_written_in_place(tmp_path):
    import threading
    fifo = str(tmp_path / "events")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
    reader.start()
    p = run("code", "--date", "20110328", "-o", fifo, nato(tmp_path))
    reader.join(TIMEOUT)
    assert p.returncode == EXIT_OK, p.stderr
    assert got and '"code"' in got[0]
    assert (os.stat(fifo).st_mode & 0o170000) == 0o010000      # still a FIFO
    assert sorted(os.listdir(tmp_path)) == ["events", "nato.txt"]


# ---- signals ----

@pytest.mark.parametrize("sig, fmt", [(signal.SIGTERM, "jsonl"), (signal.SIGINT, "jsonl"),
                                      (signal.SIGTERM, "gdelt")])   # two files
def test_signal_removes_the_temporary_output(tmp_path, sig, fmt):
    fifo = str(tmp_path / "feed")
    os.mkfifo(fifo)
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([KHALDUN, "code", "--format", fmt, "-o", str(out / "events"), fifo],
                            stderr=subprocess.DEVNULL)
    # Opening the FIFO for writing unblocks the reader; it then waits for
    # text, with its temporary output made.
    feed = os.open(fifo, os.O_WRONLY)
    try:
        for _ in range(200):
            if os.listdir(out):
                break
            time.sleep(0.05)
        assert os.listdir(out), "the run never opened its output"
        proc.send_signal(sig)
        proc.wait(timeout=TIMEOUT)
    finally:
        os.close(feed)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -sig
    assert os.listdir(out) == []


# ---- hostile inputs ----

def max_child_rss_mb():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def test_endless_device_is_not_text():
    p = run("code", "/dev/zero")
    assert p.returncode == EXIT_SKIPPED
    assert "/dev/zero: not a text file" in p.stderr


def test_sparse_gigabyte_is_rejected_from_its_first_block(tmp_path):
    path = tmp_path / "sparse.txt"
    with open(path, "wb") as f:
        f.truncate(1 << 30)
    p = run("code", str(path))
    assert p.returncode == EXIT_SKIPPED
    assert "not a text file" in p.stderr


def test_line_without_sentence_end_is_linear_and_reported(tmp_path):
    words = "Israel accused Syria of attacking the border and the police said "
    path = tmp_path / "long.txt"
    path.write_text((words * (1700000 // len(words) + 1))[:1700000] + "\n")
    p = run("code", "--date", "20110328", str(path))
    assert p.returncode == EXIT_SKIPPED
    assert "1 sentences too long to code" in p.stderr
    assert "longer than 16384; not coded" in p.stderr
    # Coding it whole took memory in its length times its events (GBs).
    assert max_child_rss_mb() < 1024


def billion_laughs(path, levels=10):
    ents = ['<!ENTITY lol0 "lol">'] + [
        '<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)) * 10) for i in range(1, levels + 1)]
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE Sentences [\n' + "\n".join(ents) +
                    '\n]>\n<Sentences>\n<Sentence id="a1" date="20110328">'
                    "<Text>&lol%d;</Text></Sentence>\n</Sentences>\n" % levels)


def test_billion_laughs_is_refused_and_the_run_goes_on(tmp_path):
    bomb = tmp_path / "laughs.xml"
    billion_laughs(bomb)
    p = run("code", "--date", "20110328", str(bomb), nato(tmp_path))
    assert p.returncode == EXIT_SKIPPED
    assert "billion laughs" in p.stderr
    assert "empty <Text>" not in p.stderr
    assert '"code"' in p.stdout                      # the next input was coded


def test_entity_expansion_past_the_limit_skips_the_sentence(tmp_path):
    # Two levels that libxml2 lets through: 9 KB times 200 is 1.8 MB.
    path = tmp_path / "wide.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE Sentences [\n'
                    '<!ENTITY a "%s">\n<!ENTITY b "%s">\n]>\n<Sentences>\n'
                    '<Sentence id="bomb" date="20110328"><Text>&b;</Text></Sentence>\n'
                    '<Sentence id="ok" date="20110328"><Text>Israel attacked Syria.</Text>'
                    "</Sentence>\n</Sentences>\n"
                    % ("Israel attacked Syria. " * 400, "&a;" * 200))
    p = run("code", str(path))
    assert p.returncode == EXIT_SKIPPED
    assert "wide.xml:7: <Text> longer than 1048576 bytes" in p.stderr
    assert '"doc":"ok"' in p.stdout.replace(" ", "")
    assert '"doc":"bomb"' not in p.stdout.replace(" ", "")


def test_small_entities_are_still_expanded(tmp_path):
    path = tmp_path / "ent.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE Sentences [\n'
                    '<!ENTITY isr "Israel">\n]>\n<Sentences>\n'
                    '<Sentence id="e1" date="20110328"><Text>&isr; attacked Syria &amp; '
                    "Lebanon.</Text></Sentence>\n</Sentences>\n")
    p = run("code", str(path))
    assert p.returncode == EXIT_OK, p.stderr
    assert "Israel attacked Syria & Lebanon." in p.stdout


# ---- dictionaries ----

def test_binary_dictionary_is_not_a_text_file(tmp_path):
    path = tmp_path / "bin.actors"
    path.write_bytes(bytes(range(256)) * 64)
    p = run("code", "--dict", "actors:%s" % path, nato(tmp_path))
    assert p.returncode == EXIT_USAGE
    assert errors(p) == ["khaldun: %s: not a text file" % path]


def test_endless_dictionary_is_refused():
    p = run("code", "--dict", "actors:/dev/zero", "-")
    assert p.returncode == EXIT_USAGE
    assert "/dev/zero: not a text file" in p.stderr


def test_garbage_dictionary_lines_are_reported(tmp_path):
    path = tmp_path / "junk.actors"
    path.write_text("ISRAEL_ [ISR]\n%%%%$$$\n)))(((\nSYRIA_ [SYR]\n")
    p = run("code", "--quiet", "--dict", "actors:%s" % path, nato(tmp_path))
    assert "%s:2: actor entry without a phrase" % path in p.stderr
    assert "%s:3: actor entry without a phrase" % path in p.stderr
    assert len(errors(p)) == 2, p.stderr


# ---- deep HTML ----

def nested_page(depth):
    return ("<html><head><title>x</title></head><body>" + "<div>" * depth +
            "<article><p>Israeli troops attacked Palestinian protesters in Gaza on Monday, "
            "officials said.</p><p>Egypt condemned Israel on Tuesday.</p></article>" +
            "</div>" * depth + "</body></html>")


def test_article_350_elements_deep_is_extracted(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text(nested_page(350))
    p = run("code", "--date", "20110328", str(path))
    assert p.returncode == EXIT_OK, p.stderr
    assert "Israeli troops attacked" in p.stdout


@pytest.mark.parametrize("depth, why", [
    (5000, "nested deeper than 4096 elements"),
    # too big to parse again without libxml2's guard
    (300000, "nested deeper than 256 elements in a page over 1048576 bytes")])
def test_page_nested_past_the_limits_says_why(tmp_path, depth, why):
    path = tmp_path / "deep.html"
    path.write_text(nested_page(depth))
    p = run("code", str(path))
    assert p.returncode == EXIT_SKIPPED
    assert why in p.stderr
    assert "no article text" not in p.stderr


# ---- SQLite runs ----

def query(db, sql):
    import sqlite3
    con = sqlite3.connect(db)     # closed: `with` would only commit
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def runs(db):
    return query(db, "SELECT status, inputs, documents, events, ended IS NOT NULL"
                     " FROM runs ORDER BY id")


def test_sqlite_records_each_run_and_reruns_add_no_events(tmp_path):
    db = str(tmp_path / "events.db")
    for _ in range(2):
        p = run("code", "--quiet", "--date", "20110328", "-o", db, EXAMPLES)
        assert p.returncode == EXIT_OK, p.stderr
    rows = runs(db)
    assert len(rows) == 2
    for status, inputs, documents, events, ended in rows:
        assert (status, inputs, ended) == ("complete", EXAMPLES, 1)
        assert documents > 5 and events > 20
    assert query(db, "SELECT count(*) FROM events") == [(rows[0][3],)]


def test_sqlite_run_killed_midway_is_left_running(tmp_path):
    fifo = str(tmp_path / "feed")
    os.mkfifo(fifo)
    db = str(tmp_path / "events.db")
    proc = subprocess.Popen([KHALDUN, "code", "-o", db, fifo], stderr=subprocess.DEVNULL)
    feed = os.open(fifo, os.O_WRONLY)
    try:
        os.write(feed, NATO.encode())
        for _ in range(200):
            if os.path.exists(db) and runs(db):
                break
            time.sleep(0.05)
        proc.kill()
        proc.wait(timeout=TIMEOUT)
    finally:
        os.close(feed)
    assert runs(db) == [("running", fifo, 0, 0, 0)]
