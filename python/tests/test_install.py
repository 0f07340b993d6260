"""The manual page renders without warnings and `make install` puts the
binary and the page under DESTDIR/PREFIX."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KHALDUN = os.path.abspath(os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun")))
PAGE = os.path.join(ROOT, "docs", "khaldun.1")


def test_man_page_has_no_groff_warnings():
    r = subprocess.run(["groff", "-ww", "-z", "-man", PAGE], capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (0, "")


def test_man_page_renders_and_covers_the_interface():
    r = subprocess.run(["man", "-l", PAGE], capture_output=True, text=True,
                       env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
    assert r.returncode == 0 and r.stderr == ""
    text = r.stdout
    for word in ("dict test", "dict gaps", "dict check", "validate", "--format", "--field",
                 "--any-language", "--dedup-window", "--lede", "--jobs", "EXIT STATUS",
                 "ENVIRONMENT", "FILES", "EXAMPLES", "source_group", "maintext", "csv",
                 "gdelt", "sqlite", "conllu", "tabari", "petrarch", "-V, --version"):
        assert word in text, word
    assert max(len(line) for line in text.splitlines()) <= 80


def test_make_install_into_destdir(tmp_path):
    build = os.path.relpath(os.path.dirname(KHALDUN), ROOT)
    r = subprocess.run(["make", "-s", "-C", ROOT, "install", "BUILD=" + build,
                        "DESTDIR=" + str(tmp_path), "PREFIX=/opt/kh"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    binary = tmp_path / "opt/kh/bin/khaldun"
    page = tmp_path / "opt/kh/share/man/man1/khaldun.1"
    assert os.access(binary, os.X_OK) and page.read_bytes() == open(PAGE, "rb").read()
    assert subprocess.run([str(binary), "-V"], capture_output=True, text=True).stdout.startswith("khaldun ")
