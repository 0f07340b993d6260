#!/bin/sh
# Loads the Phoenix dictionary set with khaldun's readers and prints counts,
# rejected lines (top reasons) and time.  Needs ../shared/peers; run from
# the repository root after `make`.  Extra arguments (e.g. -v) are passed on.
set -e
D=${PHOENIX_DIR:-../shared/peers/petrarch2/petrarch2/data/dictionaries}
mkdir -p build/tools
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Iinclude -Isrc -o build/tools/load_dicts \
   tools/load_dicts.c build/libkhaldun.a $(make -s print-libs)
exec build/tools/load_dicts "$@" \
  verbs:$D/CAMEO.2.0.txt \
  actors:$D/Phoenix.Countries.actors.txt \
  actors:$D/Phoenix.International.actors.txt \
  actors:$D/Phoenix.MilNonState.actors.txt \
  agents:$D/Phoenix.agents.txt \
  discards:$D/Phoenix.discards.txt \
  issues:$D/Phoenix.IssueCoding.txt
