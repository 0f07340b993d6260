"""Documents not in English are recognised (libexttextcat) and skipped
with a count in the summary, or coded with --any-language; a text too
short to judge is coded."""
import json
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KHALDUN = os.path.abspath(os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun")))

DOCS = {
    "de": "Die Bundesregierung hat am Dienstag beschlossen, weitere Soldaten nach Litauen zu "
          "entsenden. Verteidigungsminister Boris Pistorius sagte in Berlin, Deutschland stehe "
          "fest an der Seite seiner Verbündeten. Die Opposition kritisierte die Entscheidung "
          "scharf und forderte eine Debatte im Bundestag über die Kosten des Einsatzes.",
    "fr": "Le président français a rencontré mardi à Paris le chancelier allemand pour discuter "
          "de la guerre en Ukraine. Les deux dirigeants ont appelé la Russie à retirer ses troupes "
          "et ont promis de nouvelles sanctions contre Moscou si les attaques continuaient.",
    "es": "El gobierno de México condenó el martes el ataque contra su embajada en Quito y "
          "anunció que romperá relaciones diplomáticas con Ecuador. La presidenta dijo que la "
          "violación de la sede diplomática es inaceptable y pidió a la ONU que intervenga.",
    "en": "Israel attacked Hamas positions in Gaza on Tuesday, the Israeli military said. The "
          "strikes came hours after rockets were fired at southern Israel. Egypt urged both sides "
          "to show restraint and said it was working with Qatar to restore a ceasefire.",
    "en-quoting": "Russia condemned the sanctions on Monday. \"Nous ne céderons pas,\" the French "
                  "minister said in Paris, before Moscow accused the European Union of waging an "
                  "economic war against it and threatened to expel several diplomats.",
    "short-de": "Berlin verurteilt den Angriff auf Israel.",
}


def run(tmp_path, *args):
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in DOCS.items()))
    r = subprocess.run([KHALDUN, "code", "--format", "tsv"] + list(args) + [str(src)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    docs = {line.split("\t")[8] for line in r.stdout.splitlines()[1:]}
    return r.stderr, docs


def summary_count(stderr, what):
    m = re.search(r"(\d+) " + what, stderr)
    assert m, stderr
    return int(m.group(1))


def test_non_english_documents_are_skipped_and_counted(tmp_path):
    err, docs = run(tmp_path)
    assert summary_count(err, "documents not in English skipped") == 3
    assert summary_count(err, "documents,") == len(DOCS)
    assert {"en", "en-quoting"} <= docs


def test_any_language_codes_them(tmp_path):
    err, _ = run(tmp_path)
    err_all, docs = run(tmp_path, "--any-language")
    assert summary_count(err_all, "documents not in English skipped") == 0
    # the German, French and Spanish sentences are segmented and coded too
    assert summary_count(err_all, "sentences") >= summary_count(err, "sentences") + 7


def test_parse_counts_them_too(tmp_path):
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in DOCS.items()))
    r = subprocess.run([KHALDUN, "parse", str(src)], capture_output=True, text=True)
    assert r.returncode == 0
    assert summary_count(r.stderr, "documents not in English skipped") == 3
    assert "# doc = de" not in r.stdout and "# doc = en" in r.stdout


NAMES = {
    # Title-case names fill most of these words; only the rest may count.
    "es-names": "El presidente Andrés Manuel López Obrador y el canciller Marcelo Ebrard "
                "recibieron en Palacio Nacional a Antony Blinken, Alejandro Mayorkas y Jake "
                "Sullivan. Hablaron de Estados Unidos, Guatemala, Honduras, El Salvador y "
                "Nicaragua, y de la Ciudad de México, Tijuana, Ciudad Juárez y Monterrey.",
    "en-names": "Arnor is about to restore full diplomatic ties with Gondor almost five years "
                "after crowds trashed its embassy. Washington security officials are about to "
                "restore full diplomatic ties with Gondor. White House security officials said "
                "Minas Tirith border police met Osgiliath and Calenardhon officials on Tuesday.",
}


def test_names_do_not_make_a_language(tmp_path):
    src = tmp_path / "names.jsonl"
    src.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in NAMES.items()))
    r = subprocess.run([KHALDUN, "code", "--format", "tsv", str(src)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert summary_count(r.stderr, "documents not in English skipped") == 1
    assert summary_count(r.stderr, "documents,") == 2
