-- parameters via temp table: copies
CREATE TEMP TABLE k(n INTEGER PRIMARY KEY);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < :copies)
INSERT INTO k SELECT n FROM c;
CREATE TEMP TABLE mx AS SELECT (SELECT max(id) FROM documents) AS d, (SELECT max(id) FROM events) AS e;
INSERT INTO documents SELECT d.id + k.n * mx.d, d.doc_id || '#' || k.n, d.content_hash, d.length,
  date(d.date, '+' || (7 * k.n) || ' days'), d.title, d.outlet, d.url, d.place, d.path
  FROM k, mx, documents d WHERE d.id <= mx.d;
INSERT INTO sentences SELECT s.document + k.n * mx.d, s.sent, s.start_byte, s.text
  FROM k, mx, sentences s WHERE s.document <= mx.d;
INSERT INTO events SELECT e.id + k.n * mx.e, e.document + k.n * mx.d, e.sent,
  date(e.date, '+' || (7 * k.n) || ' days'), e.source, e.source_text, e.target, e.target_text,
  e.code, e.root, e.quad, e.goldstein, e.plover, e.plover_mode, e.plover_context,
  e.source_start, e.source_end, e.verb_start, e.verb_end, e.target_start, e.target_end,
  e.pattern, e.dict, e.negated, e.passive, e.hypothetical, e.future, e.paired, e.historical,
  e.issues, date(e.event_date, '+' || (7 * k.n) || ' days'), e.date_source, e.date_precision,
  e.event_id
  FROM k, mx, events e WHERE e.id <= mx.e;
INSERT INTO places SELECT p.event + k.n * mx.e, p.name, p.country, p.fips, p.admin1, p.lat, p.lon,
  p.precision, p.start_byte, p.end_byte FROM k, mx, places p WHERE p.event <= mx.e;
INSERT INTO quotes SELECT q.event + k.n * mx.e, q.speaker, q.quote, q.start_byte, q.end_byte
  FROM k, mx, quotes q WHERE q.event <= mx.e;
INSERT INTO mentions SELECT m.event + k.n * mx.e, m.merged_event + k.n * mx.e
  FROM k, mx, mentions m WHERE m.event <= mx.e;
