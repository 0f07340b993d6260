/*
 * kh_limits.h -- every fixed limit of the library, each with its reason.
 *
 * khaldun aims at no fixed-size limits on what it reads (DESIGN.md).  The
 * few that remain bound work that hostile or broken input could otherwise
 * make grow without end, or the size of a short code kept inline.  Each is
 * named here, once, with why it is safe, so it can be found and raised.
 * (The model is SQLite's sqliteLimit.h.)  Tuning values of the heuristics
 * -- word windows, scores, load factors -- are not limits and stay beside
 * the code they tune.
 *
 * Not "limits.h": with -Isrc that name would hide the C library's
 * <limits.h> from every file and system header that includes it.
 */
#ifndef KH_LIMITS_H
#define KH_LIMITS_H

/* ---- dictionaries ---- */

/* Longest event code, as written between brackets without blanks and
 * without its ? or ! marks; each half of a paired code "032:033" on its
 * own.  CAMEO codes have 2 to 4 characters ("04", "042", "0874"), TABARI's
 * own a few more ("---", "###", "075A").  The code is kept inline in the
 * dictionary's kh_code and in the public kh_event (khaldun.h, whose
 * code[8] is this plus its NUL; coder.c checks the two agree), so a
 * longer one is reported and its line skipped. */
#define KH_MAX_EVENT_CODE 7

/* Substitution markers one agent phrase may use.  Real dictionaries use
 * one ("CONGRESS!PERSON!"); each marker multiplies the entries by the size
 * of its set, so a bound keeps a hostile line from exhausting memory (and
 * a set whose items name a marker from recursing forever). */
#define KH_AGENT_MAX_MARKERS 3

/* Entries one agent line may expand to.  The Phoenix files' largest set
 * has a dozen items; a line past this is broken, not a vocabulary. */
#define KH_AGENT_MAX_EXPANSIONS 1000

/* Longest word whose regular ending (-S, -ES, -IES, -IED) is looked at
 * when a token is matched: no dictionary word is near this long, so a
 * longer token cannot be an inflected entry, and the bases fit on the
 * stack of a function that runs for most tokens. */
#define KH_MAX_INFLECTED_WORD 64

/* ---- coding ---- */

/* Longest actor code composed from an actor and its agents, kept inline
 * in each mention.  CAMEO codes are at most 15 characters (country, three
 * roles); 48 leaves room for agents stacked on a full code, and longer
 * compositions are cut rather than overflow. */
#define KH_MAX_COMPOSED_CODE 48

/* A quotation longer than this without its closing mark is an unbalanced
 * mark: one paragraph of quoted speech in wire copy rarely passes 2 KB,
 * and the bound keeps a stray mark from quoting the rest of a document. */
#define KH_QUOTE_MAX_BYTES 4096

/* ---- input ---- */

/* Longest line of a line-based input (JSON lines, TABARI records), in
 * bytes before normalising: the line is held whole while it is parsed.
 * A wire article is a few KB and the largest real ones (full texts of
 * treaties, transcripts) a few MB; a longer line is a broken or hostile
 * file, so it is reported and skipped and reading goes on after it. */
#define KH_MAX_LINE_BYTES 16777216         /* 16 MB */

/* Largest input that is one document (a plain-text article, an HTML
 * page, a JSON file holding one array), in bytes of normalised text:
 * such an input is read whole to be parsed.  Real pages and articles are
 * far smaller; a larger input is reported and skipped rather than let it
 * take the memory streaming saves. */
#define KH_MAX_DOCUMENT_BYTES 67108864     /* 64 MB */

/* ---- options ---- */

/* Word counts and lengths in PETRARCH's options are small; a larger
 * value is a typo, not a setting. */
#define KH_PETRARCH_MAX_OPTION 1000

/* ---- threads ---- */

/* Worker threads of a kh_pool.  Each holds a pipeline (a coder, an
 * enricher and their buffers, a few megabytes at most) and a share of the
 * window below; a request past the cores of any machine khaldun runs on
 * is a typo, and is cut to this rather than start thousands of threads. */
#define KH_MAX_JOBS 256

/* Documents in flight per worker: queued, being coded, or done and
 * waiting for an earlier one to be delivered.  Documents take unequal
 * time, so one per worker would leave workers idle behind a long one;
 * four keeps both cores busy on wire copy, while memory stays a few
 * documents per worker whatever the input's size. */
#define KH_POOL_WINDOW_PER_JOB 4

/* ---- output ---- */

/* Temporary output files PATH.tmp-PID-N tried before giving up.  Only
 * left-overs of killed runs that had the same pid are in the way, so a
 * thousand means something else is wrong (a directory full of them). */
#define KH_WRITE_TMP_ATTEMPTS 1000

/* ---- cluster (cluster.c, khaldun code --mpi) ---- */

/* A JSON-lines file larger than this is shared among the ranks by byte
 * ranges (kh_cluster_options.split_bytes overrides it); a smaller one is
 * coded whole by one rank.  Rank 0 reads a split file once to find its
 * record starts and line numbers, which is worth it only when coding the
 * file takes much longer than reading it: 16 MB of wire copy is a few
 * minutes of one core's coding and a few milliseconds of reading. */
#define KH_CLUSTER_SPLIT_BYTES (16LL * 1024 * 1024)

/* Largest message of gathered output, rank k to rank 0.  Ranks spool
 * their formatted output to a temporary file and rank 0 receives it one
 * rank after another in pieces of this size, so rank 0 holds one piece
 * in memory whatever the corpus's size, and a message stays far below
 * MPI's int count limit. */
#define KH_CLUSTER_CHUNK_BYTES (4 * 1024 * 1024)

/* Block in which rank 0 reads a file it splits, to find line starts. */
#define KH_CLUSTER_SCAN_BYTES (1024 * 1024)

/* A limit's value as a string literal, for messages built at compile
 * time: "longer than " KH_LIMIT_TEXT(KH_MAX_EVENT_CODE) " characters". */
#define KH_LIMIT_TEXT(limit) KH_LIMIT_TEXT_(limit)
#define KH_LIMIT_TEXT_(value) #value

#endif
