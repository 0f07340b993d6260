#!/bin/sh
# Installs the Debian packages khaldun builds and tests with.  Run as root
# (or through sudo).  CI and the README's quick start both use this list,
# so there is one place to keep it.  (`time` is /usr/bin/time, for
# bench/pipeline.sh; openmpi-bin and libopenmpi-dev for `khaldun code
# --mpi` and its mpirun tests, which the build detects and does without;
# npm fetches the tagger's training
# corpus and the web page's libraries for `make check-generated`, and
# playwright-core for the browser tests, which drive Debian's chromium.)
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq build-essential pkg-config clang libclang-rt-14-dev \
  libjansson-dev libyajl-dev libxml2-dev libutf8proc-dev libsqlite3-dev libpq-dev postgresql \
  libzstd-dev zlib1g-dev libexttextcat-dev libmicrohttpd-dev libcmocka-dev wordnet-base iso-codes time python3 \
  python3-dev python3-cffi python3-pytest python3-pandas \
  openmpi-bin libopenmpi-dev chromium >/dev/null
# npm: Debian's, unless the machine already has one (a Node.js from
# elsewhere conflicts with Debian's npm package, which would then make
# the whole install fail).
command -v npm >/dev/null 2>&1 || apt-get install -y -qq npm >/dev/null
