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

/* Largest dictionary file, in bytes: a dictionary is read whole.  The
 * largest real ones (Phoenix's actors, TABARI's Levant) are a few MB; a
 * larger "dictionary" is some other file, or a device that never ends,
 * and is refused rather than read into memory. */
#define KH_MAX_DICT_BYTES 268435456        /* 256 MB */

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

/* Longest sentence coded, in bytes.  The longest plausible news
 * sentence -- a 250-word run-on in a wire story -- is about 1.6 KB; ten
 * times that is no sentence but text that never ends one (a minified
 * blob, a table flattened to one line).  Coding costs memory and output
 * in the sentence's length times its events (each event carries its
 * sentence), so such a span is reported, counted and not coded, and the
 * time and memory of a document stay linear in its size. */
#define KH_MAX_SENTENCE_BYTES 16384

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

/* Most text one PETRARCH <Text> may give with its entity references
 * expanded.  A <Text> is one sentence (KH_MAX_SENTENCE_BYTES bounds what
 * is coded); 64 times that is room for any real record, while entities
 * that multiply a few bytes into gigabytes ("billion laughs") are cut off
 * here, whatever amplification the installed libxml2 lets through. */
#define KH_XML_MAX_TEXT_BYTES 1048576      /* 64 x KH_MAX_SENTENCE_BYTES */

/* Entity references inside entities (and elements inside <Text>) are
 * followed this deep: libxml2 refuses deeper entity nesting itself (40),
 * and the bound keeps the walk's recursion small whatever it allows. */
#define KH_XML_MAX_ENTITY_DEPTH 64

/* Deepest nesting of elements in an HTML page that is read.  libxml2
 * stops at 256; page builders and nested layout tables put the article
 * past 300.  4096 is ten times the deepest real pages, and bounds the
 * recursion of the walks that find the article. */
#define KH_HTML_MAX_DEPTH 4096

/* A page nested past libxml2's 256 is parsed a second time without that
 * guard only up to this size: libxml2 spends about 10 us a level of
 * nesting, so 1 MB (200 000 levels at worst) keeps it to seconds. */
#define KH_HTML_DEEP_MAX_BYTES 1048576

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
 * time, so a few per worker would leave workers idle behind a long one,
 * and a short window makes the reading thread and the workers wake each
 * other once per document (60,000 context switches for 36,000 wire
 * stories with 4 per worker, 9,000 with 16, and -j 2 gains 1.3x instead
 * of 1.7x).  Sixteen wire stories are some 50 KB of text. */
#define KH_POOL_WINDOW_PER_JOB 16

/* Text of the documents in flight, whatever the window: with documents
 * of megabytes (books, transcripts) a window of them would multiply the
 * memory; past this the reader waits for the workers.  Wire copy never
 * reaches it, and a few megabytes still keep two workers busy on the
 * largest real articles. */
#define KH_POOL_MAX_TEXT_BYTES 4194304     /* 4 MB */

/* ---- dictionary tools ---- */

/* Distinct candidates `khaldun dict gaps` counts at once (names and
 * verbs together).  A corpus's missing names have a long tail that
 * grows with its size; the worklist is its frequent head.  When the
 * table is full the rarest candidates are dropped (dict_gaps.c, prune),
 * so memory stays bounded -- each candidate holds a phrase and one
 * example, well under 1 KB, so this is at most some tens of MB -- and
 * the counts of candidates that survive a pruning are exact for all
 * but those dropped and seen again, which restart from one. */
#define KH_GAPS_MAX_CANDIDATES 50000

/* Bytes of the example sentence a gap keeps: enough to read a wire
 * sentence whole; a longer one (a record without stops) is cut, so a
 * candidate's memory does not depend on the input. */
#define KH_GAPS_EXAMPLE_BYTES 400

/* ---- output ---- */

/* Temporary output files PATH.tmp-PID-N tried before giving up.  Only
 * left-overs of killed runs that had the same pid are in the way, so a
 * thousand means something else is wrong (a directory full of them). */
#define KH_WRITE_TMP_ATTEMPTS 1000

/* The stdio buffer of an output file, written through a temporary that no
 * one reads before the rename: stdio's own (4 KiB) made a write(2) of
 * every four documents or so, 1,029 for 20,000 JSON sentences; this many
 * bytes make one of every sixty-odd, and still fit in L2 beside the rest. */
#define KH_WRITE_FILE_BUFFER (64 * 1024)

/* ---- tagging ---- */

/* The tagger's cache of what each word brings to the scores (tagger.c):
 * 2^bits entries of 256 bytes in sets of two, one cache per coder, so
 * 2^13 is 2 MB, of which only the entries in use are ever read.  News
 * repeats its words: a word found in the cache costs a few vector adds,
 * a word new to it (or evicted) over a thousand instructions and two dozen
 * probes of a model too big for the processor's caches.  With 2^11
 * entries, 20,000 sentences of news (some 4,000 distinct words) evicted
 * their own words: a quarter of the tagger's instructions went to
 * filling entries again.  (A
 * sentence with more new words than a set holds puts the rest in a
 * spill area as long as the longest sentence tagged.) */
#define KH_TAGGER_CACHE_BITS 13

/* Its cache of what a word's shape and dictionary bits bring (tagger.c):
 * 2^bits entries of 400 bytes; news has a few hundred such keys. */
#define KH_TAGGER_SHAPE_CACHE_BITS 9

/* Documents the duplicate stage (dedup.h) may hold, waiting for their
 * events to be final, and so the farthest back (in documents) a report
 * can merge with its first report.  Held documents are the stage's whole
 * memory: a feed out of date order, or an event dated far ahead, would
 * otherwise hold back the run.  1,024 articles are a few megabytes and
 * cover a story's wire copies and follow-ups in a feed of that day's news
 * (they arrive together); a dump sorted by outlet rather than date merges
 * less across outlets, never more. */
#define KH_DEDUP_WINDOW_DOCS 1024

/* A held document's strings go to one arena (dedup.h), whose blocks are
 * twice its text (the document's copy and its sentences') and this much
 * for the fields and the events' strings: one block for most wire
 * stories, rather than a malloc for every string (some 90,000 for
 * 20,000 sentences). */
#define KH_DEDUP_ARENA_SLACK 2048

/* Handed-on documents and freed merged events are kept by the stage for
 * the next ones (dedup.c): documents leave in bursts, when the clock
 * moves, and as many come in after, so that reuse saves a malloc and a
 * free per document and per event (a tenth of the stage).  Spares and
 * held ones together never outnumber the most held at once, so the
 * stage's memory stays what KH_DEDUP_WINDOW_DOCS bounds; but a spare
 * document keeps no arena block or sentence array larger than this, so
 * that one long document does not stay in memory after it is gone. */
#define KH_DEDUP_SPARE_LARGEST (64 * 1024)

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

/* ---- language ---- */

/* A document's language is judged on its first 1 KB: n-gram profiles
 * are settled after a few hundred bytes (libexttextcat's own advice), 1 KB
 * (a paragraph or two) outvotes an English quotation or a foreign byline
 * at the top, and the cost is the same for a 60 MB document as for a
 * page: about 0.3 ms a document, most of it comparing profiles. */
#define KH_LANGUAGE_SAMPLE_BYTES 1024

/* A text shorter than this (about two sentences) is not classified but
 * coded: on a headline or a one-sentence record n-gram profiles confuse
 * languages, and dropping English news is worse than coding a few
 * foreign sentences (which the English dictionaries mostly ignore). */
#define KH_LANGUAGE_MIN_BYTES 200

/* A sample whose first KH_LANGUAGE_QUICK_WORDS words are at least
 * KH_LANGUAGE_ENGLISH_PERCENT English function words (the, of, and, said,
 * about, after, ...: tools/gen_lexicon.py) is English without the n-gram
 * comparison, which costs as much as coding a short article.  English
 * news runs at 30-45% of such words (a median of 35% over the documents of
 * the benchmark's real sentences and the GigaWord sample); text in other
 * languages at a median of 0-3% (the few shared spellings: "a", "on",
 * "in", "is"), and at most 22% over 7,036 samples textcat judges not
 * English (Debian's translated manual pages and message catalogs, in 100
 * languages, many dotted with English option names).  25% leaves a margin
 * on both sides, and only mixed or unusual samples reach textcat.  Over
 * those samples and 4,715 English ones the quick test and textcat differ
 * on 9, each half English (a Polish manual page whose description is left
 * in English): the quick test calls them English, and codes them. */
#define KH_LANGUAGE_QUICK_WORDS 120
#define KH_LANGUAGE_ENGLISH_PERCENT 25
/* The same share among the words that are not names ("Gondor": language.c)
 * needs at least this many of them: a sample of names with a few "a" and
 * "in" between them is too little to go on.  German capitalises its nouns,
 * but its lower-case words hold fewer of these spellings still (about 7%
 * in test_cli_language's sample). */
#define KH_LANGUAGE_QUICK_MIN_WORDS 20

#endif
