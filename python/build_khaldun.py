"""Builds khaldun._khaldun, the cffi extension over the public C API.

    python3 python/build_khaldun.py BUILD_DIR

BUILD_DIR holds libkhaldun_pic.a (the library compiled with -fPIC, made by
`make python`).  The extension is written into python/khaldun/, beside the
package that uses it.

cffi's API mode is used on purpose: the extension is compiled against
include/khaldun.h and nothing else, so a binding that needed an internal
header would not build -- the binding is the proof that the public API is
complete.  Structures are declared with "...;" and cffi takes their layout
from the compiler, so the header may grow fields without breaking this.
"""
import os
import subprocess
import sys

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# What the binding uses of khaldun.h, in the header's words.
CDEF = """
typedef enum { KH_WARNING, KH_ERROR } kh_severity;
typedef struct kh_diag {
    void (*sink)(void *ctx, kh_severity sev, const char *file, long line,
                 const char *message);
    void *ctx;
    long errors;
    long warnings;
    int quiet;
    ...;
} kh_diag;
void kh_diag_init(kh_diag *d);

typedef struct kh_dict kh_dict;
kh_dict *kh_dict_new(void);
void kh_dict_free(kh_dict *dict);
int kh_dict_load_spec(kh_dict *dict, const char *spec, kh_diag *diag);
int kh_dict_load_defaults(kh_dict *dict, kh_diag *diag);
void kh_dict_freeze(kh_dict *dict);

typedef struct kh_coder_options { ...; } kh_coder_options;
void kh_coder_options_default(kh_coder_options *options);
void kh_coder_options_tabari(kh_coder_options *options);

typedef struct kh_doc { char *id; long date; ...; } kh_doc;
void kh_doc_clear(kh_doc *doc);

typedef enum { KH_FORMAT_AUTO, KH_FORMAT_TEXT, ... } kh_read_format;
typedef struct kh_read_options {
    long date;
    kh_read_format format;
    ...;
} kh_read_options;
typedef struct kh_reader kh_reader;
kh_reader *kh_reader_open(const char *path, const kh_read_options *opts,
                          kh_diag *diag);
kh_reader *kh_reader_open_buffer(const char *name, const char *data,
                                 size_t len, const kh_read_options *opts,
                                 kh_diag *diag);
int kh_reader_next(kh_reader *r, kh_doc *out);
void kh_reader_close(kh_reader *r);

typedef struct kh_pipeline kh_pipeline;
typedef struct kh_pipeline_options {
    kh_coder_options coding;
    int lede;
    int keep_all;
    ...;
} kh_pipeline_options;
void kh_pipeline_options_default(kh_pipeline_options *options);
typedef struct kh_coded_doc { size_t count; long events; ...; } kh_coded_doc;
void kh_coded_doc_init(kh_coded_doc *coded);
void kh_coded_doc_free(kh_coded_doc *coded);
kh_pipeline *kh_pipeline_new(const kh_dict *dict,
                             const kh_pipeline_options *options);
void kh_pipeline_free(kh_pipeline *pipeline);
long kh_pipeline_code(kh_pipeline *pipeline, kh_doc *doc, kh_coded_doc *coded);

typedef enum { KH_OUTPUT_JSONL, ... } kh_format;
typedef struct kh_writer kh_writer;
kh_writer *kh_writer_open_memory(kh_format fmt, kh_diag *diag);
int kh_writer_write(kh_writer *w, const kh_doc *doc, const kh_coded_doc *coded);
char *kh_writer_take(kh_writer *w, size_t *len);
int kh_writer_close(kh_writer *w);

void free(void *);

extern "Python" void khaldun_diag_sink(void *ctx, kh_severity sev,
                                       const char *file, long line,
                                       const char *message);
"""


def pkg_config_libs():
    pkgs = "jansson libxml-2.0 libutf8proc sqlite3 zlib libzstd libexttextcat".split()
    out = subprocess.run(["pkg-config", "--libs"] + pkgs, check=True,
                         capture_output=True, text=True).stdout
    return out.split()


def main(build_dir):
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    ffi.set_source(
        "khaldun._khaldun",
        '#include <stdlib.h>\n#include "khaldun.h"\n',
        include_dirs=[os.path.join(ROOT, "include")],
        extra_objects=[os.path.join(build_dir, "libkhaldun_pic.a")],
        extra_link_args=pkg_config_libs() + ["-lpthread", "-lm"],
    )
    tmp = os.path.join(build_dir, "python")
    so = ffi.compile(tmpdir=tmp, verbose=False)
    target = os.path.join(HERE, "khaldun", os.path.basename(so))
    os.replace(so, target)
    print(os.path.relpath(target, ROOT))


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build"))
