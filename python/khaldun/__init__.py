"""khaldun: political event data from news text, from Python.

    >>> import khaldun
    >>> events = khaldun.code("NATO attacked Libya on Sunday.", date="2011-03-28")
    >>> events[0]["source"], events[0]["code"], events[0]["target"]
    ('IGOWSTNAT', '190', 'LBY')

Every event is a dict with the fields of `khaldun code`'s JSON lines
output (docs/schema.md): the binding codes through the same C pipeline
and the same JSON writer, so the two never disagree.

`Coder` holds loaded dictionaries and can be reused (loading the default
dictionaries takes a moment); `code` and `code_files` keep one Coder per
set of arguments.  A Coder belongs to one thread at a time.
"""
import datetime
import json
import os

from ._khaldun import ffi, lib

__all__ = ["Coder", "KhaldunError", "code", "code_files", "to_dataframe"]

DIALECTS = ("petrarch", "tabari")


class KhaldunError(Exception):
    """A dictionary or input could not be loaded; .messages lists why."""

    def __init__(self, messages):
        super().__init__("; ".join(messages) or "khaldun failed")
        self.messages = list(messages)


class _Diag:
    """A kh_diag whose messages are collected instead of printed."""

    def __init__(self):
        self.messages = []
        self._handle = ffi.new_handle(self)
        self.c = ffi.new("kh_diag *")
        lib.kh_diag_init(self.c)
        self.c.sink = lib.khaldun_diag_sink
        self.c.ctx = self._handle

    def take(self):
        messages, self.messages = self.messages, []
        return messages


@ffi.def_extern()
def khaldun_diag_sink(ctx, severity, file, line, message):
    where = ffi.string(file).decode("utf-8", "replace") if file else "khaldun"
    if line:
        where += ":%d" % line
    text = ffi.string(message).decode("utf-8", "replace")
    ffi.from_handle(ctx).messages.append("%s: %s" % (where, text))


def _date_value(date):
    """YYYYMMDD as an int from None, an int, "YYYYMMDD", "YYYY-MM-DD" or a
    datetime.date."""
    if date is None:
        return 0
    if isinstance(date, (datetime.date, datetime.datetime)):
        return date.year * 10000 + date.month * 100 + date.day
    if isinstance(date, int):
        value = date
    else:
        digits = str(date).strip().replace("-", "")
        if len(digits) != 8 or not digits.isdigit():
            raise ValueError("date wants YYYY-MM-DD or YYYYMMDD, got %r" % (date,))
        value = int(digits)
    if not 10000101 <= value <= 99991231:
        raise ValueError("date wants YYYY-MM-DD or YYYYMMDD, got %r" % (date,))
    return value


def _dict_spec(entry):
    if isinstance(entry, (tuple, list)):
        kind, path = entry
        return "%s:%s" % (kind, os.fspath(path))
    return os.fspath(entry)


class Coder:
    """Dictionaries loaded once, and the coding rules to apply.

    dicts     extra dictionaries: "KIND:FILE" strings or (KIND, FILE)
              pairs, KIND one of verbs, actors, agents, discards, issues
    dialect   "petrarch" (default) or "tabari" coding rules
    defaults  load the dictionaries built into khaldun (default True)
    keep_all  also return negated and hypothetical events (`--all`)
    lede      code only the first N sentences of each document (0: all)
    """

    def __init__(self, dicts=(), dialect="petrarch", defaults=True,
                 keep_all=False, lede=0):
        if dialect not in DIALECTS:
            raise ValueError("dialect wants petrarch or tabari, got %r" % (dialect,))
        self._diag = _Diag()
        self._dict = ffi.gc(lib.kh_dict_new(), lib.kh_dict_free)
        for entry in dicts:
            lib.kh_dict_load_spec(self._dict, _dict_spec(entry).encode(), self._diag.c)
        if defaults:
            lib.kh_dict_load_defaults(self._dict, self._diag.c)
        if self._diag.c.errors:
            raise KhaldunError(self._diag.take())
        self.warnings = self._diag.take()
        lib.kh_dict_freeze(self._dict)
        options = ffi.new("kh_pipeline_options *")
        lib.kh_pipeline_options_default(options)
        if dialect == "tabari":
            lib.kh_coder_options_tabari(ffi.addressof(options, "coding"))
        options.keep_all = 1 if keep_all else 0
        options.lede = int(lede)
        self._pipeline = ffi.gc(lib.kh_pipeline_new(self._dict, options),
                                lib.kh_pipeline_free)

    def code(self, text, date=None, doc_id="text"):
        """The events of one article given as a string."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        options = ffi.new("kh_read_options *", {"date": _date_value(date),
                                                "format": lib.KH_FORMAT_TEXT})
        reader = lib.kh_reader_open_buffer(doc_id.encode(), data, len(data),
                                           options, self._diag.c)
        return list(self._events(reader))

    def code_files(self, paths, date=None):
        """Yields the events of files and directories (any format `khaldun
        code` reads), one document at a time: nothing is read ahead."""
        if isinstance(paths, (str, bytes, os.PathLike)):
            paths = [paths]
        options = ffi.new("kh_read_options *", {"date": _date_value(date)})
        for path in paths:
            reader = lib.kh_reader_open(os.fsencode(path), options, self._diag.c)
            yield from self._events(reader)

    def _events(self, reader):
        writer = lib.kh_writer_open_memory(lib.KH_OUTPUT_JSONL, self._diag.c)
        doc = ffi.new("kh_doc *")
        coded = ffi.new("kh_coded_doc *")
        lib.kh_coded_doc_init(coded)
        try:
            while lib.kh_reader_next(reader, doc) == 1:
                lib.kh_pipeline_code(self._pipeline, doc, coded)
                lib.kh_writer_write(writer, doc, coded)
                lib.kh_doc_clear(doc)
                yield from _take_events(writer)
        finally:
            lib.kh_doc_clear(doc)
            lib.kh_coded_doc_free(coded)
            lib.kh_reader_close(reader)
            lib.kh_writer_close(writer)
        self.warnings = self._diag.take()


def _take_events(writer):
    size = ffi.new("size_t *")
    buf = lib.kh_writer_take(writer, size)
    if buf == ffi.NULL:
        return []
    try:
        data = ffi.unpack(buf, size[0]).decode("utf-8")
    finally:
        lib.free(buf)
    return [json.loads(line) for line in data.splitlines() if line]


_coders = {}


def _coder(dicts, dialect, defaults, keep_all):
    key = (tuple(_dict_spec(d) for d in dicts), dialect, bool(defaults), bool(keep_all))
    if key not in _coders:
        _coders[key] = Coder(dicts, dialect, defaults, keep_all)
    return _coders[key]


def code(text, date=None, dialect="petrarch", dicts=(), defaults=True, keep_all=False):
    """The events of one article (a string), as a list of dicts."""
    return _coder(dicts, dialect, defaults, keep_all).code(text, date)


def code_files(paths, date=None, dialect="petrarch", dicts=(), defaults=True,
               keep_all=False):
    """Yields the events of files or directories lazily, as dicts."""
    return _coder(dicts, dialect, defaults, keep_all).code_files(paths, date)


def to_dataframe(events):
    """A pandas DataFrame with one row per event (needs pandas)."""
    try:
        import pandas
    except ImportError as e:
        raise ImportError("khaldun.to_dataframe needs pandas "
                          "(Debian: python3-pandas)") from e
    return pandas.DataFrame(list(events))
