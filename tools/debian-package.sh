#!/bin/sh
# Maps a pkg-config name to the Debian package that provides it, so that a
# failed build can say exactly what to install.
case "$1" in
  jansson) echo libjansson-dev ;;
  yajl) echo libyajl-dev ;;
  libxml-2.0) echo libxml2-dev ;;
  libutf8proc) echo libutf8proc-dev ;;
  sqlite3) echo libsqlite3-dev ;;
  zlib) echo zlib1g-dev ;;
  libzstd) echo libzstd-dev ;;
  libexttextcat) echo libexttextcat-dev ;;
  libpq) echo libpq-dev ;;
  libmicrohttpd) echo libmicrohttpd-dev ;;
  ompi-c) echo libopenmpi-dev ;;
  cmocka) echo libcmocka-dev ;;
  *) echo "$1" ;;
esac
