"""khaldun code --mpi under a real mpirun (issue 12).

Each run is compared with a single-process run of the same inputs: the
events as a set, per document in order, and (gathered output) byte for
byte.  The inputs are examples/, a generated directory of many small
files, and a generated JSON-lines file large enough (against a small
--split-bytes) to be shared among the ranks by byte ranges; some of its
records have no id, so their ids ("file:LINE") check that a rank
starting inside the file numbers its lines as a single run does.

Skipped when mpirun is missing or khaldun was built without MPI.  OpenMPI
in a container: no ssh (plm isolated), shared memory only (btl
self,vader), and as root --allow-run-as-root.
"""
import collections
import json
import os
import shutil
import sqlite3
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KHALDUN = os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun"))
EXAMPLES = os.path.join(ROOT, "examples")
MPIRUN = shutil.which("mpirun")
SPLIT = "20000"          # bytes: the large file below is ~8 times this
TIMEOUT = 60


def built_with_mpi():
    p = subprocess.run([KHALDUN, "code", "--mpi", "--quiet", "/nonexistent"],
                       capture_output=True, text=True, env=mpi_env())
    return "built without MPI" not in p.stderr


def mpi_env():
    env = dict(os.environ)
    env.update(OMPI_MCA_plm="isolated", OMPI_MCA_btl="self,vader",
               OMPI_MCA_btl_vader_single_copy_mechanism="none",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    return env


needs_mpi = pytest.mark.skipif(MPIRUN is None or not built_with_mpi(),
                               reason="no mpirun, or khaldun built without MPI")


def mpirun_prefix(n):
    cmd = [MPIRUN, "--oversubscribe", "-np", str(n)]
    if os.geteuid() == 0:
        cmd.append("--allow-run-as-root")
    return cmd


def code_args(*args, dedup=False):
    """code's arguments; --quiet unless the first argument is "--verbose".
    --no-dedup unless dedup: these tests compare every report (which the
    shards need); the tests of merging across ranks set dedup."""
    args = [str(a) for a in args]
    quiet = ["--quiet"]
    if args and args[0] == "--verbose":
        quiet, args = [], args[1:]
    merge = [] if dedup else ["--no-dedup"]
    return ["code"] + quiet + ["--date", "20110328", "-j", "1"] + merge + args


def single(*args, dedup=False):
    p = subprocess.run([KHALDUN] + code_args(*args, dedup=dedup), capture_output=True,
                       text=True, timeout=TIMEOUT)
    assert p.returncode == 0, p.stderr
    return p.stdout


def mpi(n, *args, cwd=None, dedup=False):
    verbose = [a for a in args[:1] if a == "--verbose"]
    args = verbose + ["--mpi"] + list(args[len(verbose):])
    return subprocess.run(mpirun_prefix(n) + [KHALDUN] + code_args(*args, dedup=dedup),
                          capture_output=True, text=True, env=mpi_env(), cwd=cwd,
                          timeout=TIMEOUT)


def events(text):
    return [json.loads(line) for line in text.splitlines() if line]


def by_document(evs):
    docs = collections.OrderedDict()
    for e in evs:
        docs.setdefault(e["doc"], []).append(json.dumps(e, sort_keys=True))
    return docs


def assert_same_events(got, want):
    assert collections.Counter(json.dumps(e, sort_keys=True) for e in got) == \
        collections.Counter(json.dumps(e, sort_keys=True) for e in want)
    assert by_document(got) == by_document(want)


def sentences():
    """Real sentences: the examples' own."""
    out = []
    for name in sorted(os.listdir(EXAMPLES)):
        if name.endswith(".txt"):
            with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
                text = " ".join(f.read().split())
            out += [s.strip() + "." for s in text.split(". ") if len(s) > 30]
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("mpi")
    sents = sentences()
    many = d / "many"
    many.mkdir()
    for i in range(24):                      # a directory of small files
        body = " ".join(sents[(i * 3 + k) % len(sents)] for k in range(3))
        (many / ("story-%02d.txt" % i)).write_text("Story %d.\n\n%s\n" % (i, body))
    large = d / "large.jsonl"
    with open(large, "w") as f:
        for i in range(400):
            rec = {"date": "2014-03-%02d" % (1 + i // 40),
                   "text": " ".join(sents[(i + k) % len(sents)] for k in range(3))}
            if i % 3:                        # every third has no id
                rec["id"] = "rec-%d" % i
            f.write(json.dumps(rec) + "\n")
            if i % 50 == 7:
                f.write("\n")                # blank lines count as lines
    inputs = [EXAMPLES, str(many), str(large)]
    return {"dir": d, "inputs": inputs, "large": str(large),
            "want": single(*inputs)}


@needs_mpi
@pytest.mark.parametrize("n", [1, 2, 4])
def test_gathered_output_is_the_single_run(corpus, n):
    verbose = ["--verbose"] if n == 2 else []
    p = mpi(n, *verbose, "--split-bytes", SPLIT, *corpus["inputs"])
    assert p.returncode == 0, p.stderr
    assert_same_events(events(p.stdout), events(corpus["want"]))
    assert p.stdout == corpus["want"]        # rank 0 writes in input order
    if n == 2:                               # the summary sums the ranks
        one = subprocess.run([KHALDUN] + code_args("--verbose", *corpus["inputs"]),
                             capture_output=True, text=True)
        counts = lambda err: err.splitlines()[0].rsplit(",", 1)[0]   # not the time
        assert counts(p.stderr) == counts(one.stderr)
        assert "shared among 2 MPI ranks" in p.stderr


@needs_mpi
def test_shards_hold_the_single_run_between_them(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    p = mpi(4, "--shards", "-o", out, "--split-bytes", SPLIT, *corpus["inputs"])
    assert p.returncode == 0, p.stderr
    shards = [events((tmp_path / ("out.rank-%d.jsonl" % k)).read_text()) for k in range(4)]
    assert_same_events(sum(shards, []), events(corpus["want"]))
    assert not out.exists()
    # The large file, the most bytes, was shared by byte ranges; the ids
    # of its records without one ("PATH/large.jsonl:LINE") are a single run's.
    large = [k for k, evs in enumerate(shards)
             if any(e["doc"].startswith("rec-") or "large.jsonl:" in e["doc"] for e in evs)]
    assert len(large) >= 3, large
    assert any("large.jsonl:" in e["doc"] for e in sum(shards, []))


def run_with_rank_1_missing_inputs(tmp_path, rank_1_has, *args):
    """Two ranks code s0..s3.txt; rank 1 runs in a directory holding only
    the first rank_1_has of them, as a node without the shared file system
    would. Returns (the completed process, the output path)."""
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir(), bad.mkdir()
    for i in range(4):
        (good / ("s%d.txt" % i)).write_text("Russia warned Ukraine on Monday.\n")
    for i in range(rank_1_has):
        shutil.copy(good / ("s%d.txt" % i), bad)
    out = tmp_path / "events.jsonl"
    script = ('cd "$([ "$OMPI_COMM_WORLD_RANK" = 1 ] && echo %s || echo %s)" && exec %s "$@"'
              % (bad, good, KHALDUN))
    cmd = mpirun_prefix(2) + ["sh", "-c", script, "sh"] + code_args(
        "--mpi", *args, "-o", out, "s0.txt", "s1.txt", "s2.txt", "s3.txt")
    return subprocess.run(cmd, capture_output=True, text=True, env=mpi_env(),
                          timeout=TIMEOUT), out


@needs_mpi
def test_a_rank_that_cannot_read_its_share_fails_the_run(corpus, tmp_path):
    # Rank 1 runs in a directory where one input is missing, as a node
    # without the shared file system would: the run fails on every rank,
    # names the rank, and writes no output.
    p, out = run_with_rank_1_missing_inputs(tmp_path, 2)
    assert p.returncode != 0
    assert "khaldun: rank 1 of 2: coding 's2.txt': cannot read it" in p.stderr
    assert "the run failed: rank 1 of 2 failed" in p.stderr
    assert not out.exists()


@needs_mpi
def test_a_rank_that_fails_writes_no_shard(tmp_path):
    # --shards: the rank that could not read its share leaves no shard
    # under its name (a partial one would pass for its share); the rank
    # that could read writes its own.
    p, out = run_with_rank_1_missing_inputs(tmp_path, 3, "--shards")
    assert p.returncode != 0
    assert "khaldun: rank 1 of 2: coding 's3.txt': cannot read it" in p.stderr
    assert "the failed ranks' shards are not written" in p.stderr
    assert sorted(f.name for f in tmp_path.iterdir() if f.is_file()) == ["events.rank-0.jsonl"]
    assert len(events((tmp_path / "events.rank-0.jsonl").read_text())) == 2


@needs_mpi
def test_a_killed_rank_fails_the_run(corpus, tmp_path):
    out = tmp_path / "events.jsonl"
    cmd = (mpirun_prefix(1) + [KHALDUN] + code_args("--mpi", "-o", out, EXAMPLES)
           + [":", "-np", "1", "sh", "-c", "kill -KILL $$"])
    p = subprocess.run(cmd, capture_output=True, text=True, env=mpi_env(), timeout=TIMEOUT)
    assert p.returncode != 0
    assert not out.exists()


# ---- reports of one event on different ranks (duplicates merged) ----

# Sentences the default dictionaries code (checked below), told again and
# again: the wire copies of three stories, and a feed repeating them.
STORIES = ["Iran accused Israel of attacking its embassy in Damascus.",
           "Russia agreed to meet Ukraine in Istanbul.",
           "China condemned the United States over Taiwan.",
           "Egypt hosted talks between Israel and Hamas.",
           "Turkey threatened Greece with military action."]
DUP_SPLIT = "3000"       # bytes: the feed below is ~10 times this


@pytest.fixture(scope="module")
def dups(tmp_path_factory):
    """Inputs whose repeated stories lie on every side of every split:
    16 one-story files (a directory the blocks cut between files), then a
    feed whose records repeat the stories on one day (cut by bytes)."""
    d = tmp_path_factory.mktemp("dups")
    wire = d / "wire"
    wire.mkdir()
    for i in range(16):
        (wire / ("copy-%02d.txt" % i)).write_text(STORIES[i % 3] + "\n")
    feed = d / "feed.jsonl"
    with open(feed, "w") as f:
        for i in range(240):
            text = STORIES[i % 5] + " " + STORIES[(i * 3 + 1) % 5]
            f.write(json.dumps({"id": "feed-%d" % i, "date": "2011-03-28", "text": text}) + "\n")
    return [str(wire), str(feed)]


def rank_of_each_document(n, inputs, tmp_path):
    """Which rank codes each document: from a --no-dedup sharded run."""
    out = tmp_path / "where.jsonl"
    p = mpi(n, "--shards", "-o", out, "--split-bytes", DUP_SPLIT, *inputs)
    assert p.returncode == 0, p.stderr
    return {e["doc"]: k for k in range(n)
            for e in events((tmp_path / ("where.rank-%d.jsonl" % k)).read_text())}


def table_rows(path):
    db = sqlite3.connect(str(path))
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    rows = {t: sorted(db.execute("SELECT * FROM %s" % t).fetchall(), key=repr)
            for t in names if t != "runs"}
    db.close()
    return rows


@needs_mpi
@pytest.mark.parametrize("n", [1, 2, 4])
def test_merged_across_ranks_gathered_is_the_single_run(dups, n):
    want = single(*dups, dedup=True)
    every = events(single(*dups))
    merged = events(want)
    assert merged and len(merged) < len(every) / 4      # the stories merged
    assert sum(e["mentions"] for e in merged) == len(every)
    p = mpi(n, "--split-bytes", DUP_SPLIT, *dups, dedup=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout == want                              # byte for byte


@needs_mpi
@pytest.mark.parametrize("n", [2, 4])
def test_merged_across_ranks_database_is_the_single_run(dups, n, tmp_path):
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    single("-o", one, *dups, dedup=True)
    p = mpi(n, "-o", many, "--split-bytes", DUP_SPLIT, *dups, dedup=True)
    assert p.returncode == 0, p.stderr
    assert table_rows(many) == table_rows(one)
    # The merged events really straddle the ranks: some event's mentions
    # are in documents that different ranks coded.
    rank = rank_of_each_document(n, dups, tmp_path)
    db = sqlite3.connect(str(many))
    spread = collections.defaultdict(set)
    for merged, doc in db.execute(
            "SELECT m.merged_event, d.doc_id FROM mentions m JOIN events e ON e.id = m.event"
            " JOIN documents d ON d.id = e.document"):
        spread[merged].add(rank[doc])
    db.close()
    assert len(set(rank.values())) == n
    assert max(len(ranks) for ranks in spread.values()) == n


def without_run_time(path, column):
    """GDELT rows without the column that says when the run wrote them
    (DATEADDED, MentionTimeDate), the one thing two runs differ in."""
    with open(path) as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    assert rows and all(len(r) > column and len(r[column]) == 14 for r in rows)
    return [r[:column] + r[column + 1:] for r in rows]


@needs_mpi
@pytest.mark.parametrize("fmt", ["tsv", "csv", "gdelt"])
def test_merged_across_ranks_in_other_formats(dups, fmt, tmp_path):
    one, many = tmp_path / ("one." + fmt), tmp_path / ("many." + fmt)
    fmt_args = ["--format", fmt] if fmt == "gdelt" else []
    single(*fmt_args, "-o", one, *dups, dedup=True)
    p = mpi(3, *fmt_args, "-o", many, "--split-bytes", DUP_SPLIT, *dups, dedup=True)
    assert p.returncode == 0, p.stderr
    if fmt != "gdelt":
        assert many.read_bytes() == one.read_bytes()
    else:                    # and its mentions table, one row per report
        assert without_run_time(many, 59) == without_run_time(one, 59)
        assert without_run_time(str(many) + ".mentions", 1) == \
            without_run_time(str(one) + ".mentions", 1)
    assert sorted(x.name for x in tmp_path.iterdir()) == \
        sorted(["one." + fmt, "many." + fmt] +
               (["one.gdelt.mentions", "many.gdelt.mentions"] if fmt == "gdelt" else []))


@needs_mpi
def test_shards_with_merging_are_refused(dups, tmp_path):
    p = mpi(2, "--shards", "-o", tmp_path / "out.jsonl", *dups, dedup=True)
    assert p.returncode == 2
    assert "--shards writes each rank's share apart" in p.stderr
    assert "add --no-dedup" in p.stderr
    assert not list(tmp_path.iterdir())


def test_without_mpi_flag_no_mpi_is_needed():
    # --mpi absent: a plain run, MPI never initialised (no mpirun here).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OMPI_", "PMIX_"))}
    p = subprocess.run([KHALDUN, "code", "--quiet", EXAMPLES], capture_output=True,
                       text=True, env=env)
    assert p.returncode == 0 and p.stdout


@needs_mpi
def test_an_output_rank_0_cannot_create_fails_the_run(tmp_path):
    out = tmp_path / "missing-dir" / "events.jsonl"
    p = mpi(2, "-o", out, EXAMPLES)
    assert p.returncode == 1
    assert "rank 0 of 2: creating the output" in p.stderr
    assert "no complete output was written" in p.stderr
