-- serve_replicate_pg.sql -- bench/serve.sh's PostgreSQL database: the
-- coded base copied :copies more times (psql -v copies=N), each copy's
-- documents renamed (doc_id#N) and its dates shifted by a week more, as
-- serve_replicate.sql does in SQLite.  Keys are the writer's 63-bit
-- hashes, so a copy's are the base's with copy number N in bits 58-62
-- (XOR): still positive, and unlike any other copy's.
CREATE TEMP TABLE k AS SELECT n, n::bigint << 58 AS bits FROM generate_series(1, :copies) n;
INSERT INTO documents SELECT d.id # k.bits, d.doc_id || '#' || k.n, d.content_hash, d.length,
  d.date + 7 * k.n, d.title, d.outlet, d.url, d.place, d.path FROM k, documents d;
INSERT INTO sentences SELECT s.document # k.bits, s.sent, s.start_byte, s.text FROM k, sentences s;
INSERT INTO events SELECT e.id # k.bits, e.document # k.bits, e.sent, e.date + 7 * k.n,
  e.source, e.source_text, e.target, e.target_text,
  e.code, e.root, e.quad, e.goldstein, e.plover, e.plover_mode, e.plover_context,
  e.source_start, e.source_end, e.verb_start, e.verb_end, e.target_start, e.target_end,
  e.pattern, e.dict, e.negated, e.passive, e.hypothetical, e.future, e.paired, e.historical,
  e.issues, e.event_date + 7 * k.n, e.date_source, e.date_precision, e.event_id
  FROM k, events e;
INSERT INTO places SELECT p.event # k.bits, p.name, p.country, p.fips, p.admin1, p.lat, p.lon,
  p.precision, p.start_byte, p.end_byte FROM k, places p;
INSERT INTO quotes SELECT q.event # k.bits, q.speaker, q.quote, q.start_byte, q.end_byte
  FROM k, quotes q;
INSERT INTO mentions SELECT m.event # k.bits, m.merged_event # k.bits FROM k, mentions m;
VACUUM ANALYZE;
