/* write_fields.c -- what the output backends share: the crash-safe text
 * stream and the fields several formats write alike (write_fields.h). */
#include "write_fields.h"
#include "cameo.h"
#include "dedup.h"
#include "kh_limits.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporary output names are PATH.tmp-PID-N: TMP_EXTRA covers ".tmp-",
 * two decimal numbers, '-' and the NUL.  Left-over files from killed runs
 * with the same pid are skipped, up to KH_WRITE_TMP_ATTEMPTS of them. */
#define TMP_EXTRA 64

const kh_write_flag kh_write_flags[] = {
    {"negated", KH_EVENT_NEGATED},
    {"passive", KH_EVENT_PASSIVE},
    {"hypothetical", KH_EVENT_HYPOTHETICAL},
    {"future", KH_EVENT_FUTURE},
    {"paired", KH_EVENT_PAIRED},
    {"historical", KH_EVENT_HISTORICAL},
};
const size_t kh_write_flag_count = sizeof kh_write_flags / sizeof kh_write_flags[0];

/* The writers whose temporary file exists, for kh_writer_remove_
 * temporaries, which a signal handler calls: a list through the writers
 * themselves, so it has no limit.  It changes on the writing thread only
 * and must read as a list at any instant: a writer is complete before
 * it becomes the head, and one store takes it out, before its path is
 * freed. */
static kh_writer *volatile open_temporaries;

static void track_temporary(kh_writer *w)
{
    w->next_temporary = open_temporaries;
    open_temporaries = w;
}

static void untrack_temporary(kh_writer *w)
{
    if (open_temporaries == w) {
        open_temporaries = w->next_temporary;
        return;
    }
    for (kh_writer *p = open_temporaries; p; p = p->next_temporary)
        if (p->next_temporary == w) {
            p->next_temporary = w->next_temporary;
            return;
        }
}

/* Async-signal-safe: unlink(2) and reads of the list, nothing else.  A
 * file already renamed into place is not there any more, and stays. */
void kh_writer_remove_temporaries(void)
{
    for (kh_writer *w = open_temporaries; w; w = w->next_temporary)
        unlink(w->tmp_path);
}

/* Creates PATH.tmp-PID-N for the first free N, with O_EXCL so two runs
 * never share a temporary file; mode 0666 lets the umask decide, as it
 * would for the final file.  Returns the descriptor or -1. */
static int create_temp(kh_writer *w)
{
    size_t n = strlen(w->path) + TMP_EXTRA;
    w->tmp_path = kh_xmalloc(n);
    for (int attempt = 0; attempt < KH_WRITE_TMP_ATTEMPTS; attempt++) {
        snprintf(w->tmp_path, n, "%s.tmp-%ld-%d", w->path, (long)getpid(), attempt);
        int fd = open(w->tmp_path, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

int kh_write_stream_open(kh_writer *w)
{
    if (w->memory) {
        w->out = open_memstream(&w->memory_data, &w->memory_size);
        if (!w->out)
            kh_diag_report(w->diag, KH_ERROR, w->path, 0, "cannot open a memory stream");
        return w->out ? 0 : -1;
    }
    if (strcmp(w->path, "-") == 0) {
        w->out = stdout;
        return 0;
    }
    /* A device, pipe or socket (-o /dev/null, a FIFO) is written as it
     * is: renaming a temporary file over it would replace the device
     * with a regular file. */
    struct stat st;
    if (stat(w->path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        if (!(w->out = fopen(w->path, "w")))
            kh_diag_report(w->diag, KH_ERROR, w->path, 0, "cannot open output: %s",
                           strerror(errno));
        return w->out ? 0 : -1;
    }
    int fd = create_temp(w);
    if (fd < 0 || !(w->out = fdopen(fd, "w"))) {
        kh_diag_report(w->diag, KH_ERROR, w->path, 0,
                       "cannot create output: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(w->tmp_path);
        }
        return -1;
    }
    w->file_buffer = kh_xmalloc(KH_WRITE_FILE_BUFFER);
    setvbuf(w->out, w->file_buffer, _IOFBF, KH_WRITE_FILE_BUFFER);
    track_temporary(w);
    return 0;
}

/* Flushes the stream and, for a file, forces it to disk so the rename
 * never publishes a file whose data is still only in the page cache. */
static int stream_finish(FILE *out, int is_file)
{
    int rc = fflush(out) == 0 && !ferror(out) ? 0 : -1;
    if (is_file && rc == 0 && fsync(fileno(out)) != 0)
        rc = -1;
    return rc;
}

/* The first failure is reported with its cause and ends the output:
 * every later write would fail the same way (a full disk stays full), and
 * one line naming the cause is what the user needs, not one per event. */
int kh_write_flush(kh_writer *w)
{
    if (w->failed) {
        w->buf.len = 0;
        return -1;
    }
    /* Most sentences have no event to write; with nothing written since,
     * the stream's error state is what it was at the last flush. */
    if (w->buf.len == 0)
        return 0;
    errno = 0;
    if (kh_buf_write(&w->buf, w->out) == 0)
        return 0;
    kh_diag_report(w->diag, KH_ERROR, w->path, 0, "write failed: %s",
                   strerror(errno ? errno : EIO));
    w->failed = 1;
    return -1;
}

int kh_write_stream_close(kh_writer *w, int failed)
{
    kh_buf_free(&w->buf);
    if (!w->out)
        return -1;
    if (w->memory) {
        int rc = fclose(w->out) == 0 ? 0 : -1;
        w->out = NULL;
        free(w->memory_data);
        w->memory_data = NULL;
        return rc;
    }
    int own = w->out != stdout, renamed = w->tmp_path != NULL;
    /* After a failure (reported once, when it happened) the output is
     * given up: flushing what stdio still holds would only fail again. */
    failed = failed || w->failed;
    int rc = failed ? -1 : stream_finish(w->out, renamed);
    if (rc != 0 && !failed)
        kh_diag_report(w->diag, KH_ERROR, w->path, 0, "write failed: %s",
                       strerror(errno));
    if (own && fclose(w->out) != 0 && rc == 0) {
        kh_diag_report(w->diag, KH_ERROR, w->path, 0, "write failed: %s",
                       strerror(errno));
        rc = -1;
    }
    w->out = NULL;
    free(w->file_buffer);
    w->file_buffer = NULL;
    if (!renamed)
        return rc;
    if (rc == 0 && !failed && rename(w->tmp_path, w->path) != 0) {
        kh_diag_report(w->diag, KH_ERROR, w->path, 0,
                       "cannot rename %s into place: %s", w->tmp_path,
                       strerror(errno));
        rc = -1;
    }
    if (rc != 0 || failed)
        unlink(w->tmp_path);
    untrack_temporary(w);
    return rc;
}

/* ------------------------------------------------------------------ */

const char *kh_write_date_source_name(int date_source)
{
    switch (date_source) {
    case KH_DATE_EXPLICIT: return "explicit";
    case KH_DATE_RELATIVE: return "relative";
    case KH_DATE_ARTICLE: return "article";
    default: return NULL;
    }
}

const char *kh_write_date_precision_name(int precision)
{
    switch (precision) {
    case KH_DATE_PRECISION_DAY: return "day";
    case KH_DATE_PRECISION_MONTH: return "month";
    case KH_DATE_PRECISION_YEAR: return "year";
    default: return NULL;
    }
}

const char *kh_write_precision_name(int precision)
{
    switch (precision) {
    case KH_PLACE_CITY: return "city";
    case KH_PLACE_REGION: return "region";
    case KH_PLACE_COUNTRY: return "country";
    default: return NULL;
    }
}

int kh_write_compound_size(const kh_events *events, const kh_event *e)
{
    int n = 0;
    for (size_t i = 0; i < events->count; i++) {
        const kh_event *o = &events->items[i];
        n += strcmp(o->code, e->code) == 0 && o->verb_span.start == e->verb_span.start &&
             o->verb_span.end == e->verb_span.end;
    }
    return n ? n : 1;
}

int kh_write_is_event(const kh_write_item *it, size_t k)
{
    return !it->refs || it->refs[k].first;
}

/* Hex digits of a 64-bit value: the ids and content hashes are written so. */
#define HEX64_DIGITS 16
_Static_assert(KH_WRITE_ID_SIZE == HEX64_DIGITS + 1, "an id is 16 hex digits");
_Static_assert(KH_WRITE_CONTENT_HASH_SIZE == HEX64_DIGITS + 1, "a hash is 16 hex digits");

/* `v` as "%016llx" writes it, and the NUL: made here because snprintf
 * cost more than the rest of an id. */
static void hex64(uint64_t v, char out[HEX64_DIGITS + 1])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = HEX64_DIGITS - 1; i >= 0; i--, v >>= 4)
        out[i] = digits[v & 15];
    out[HEX64_DIGITS] = 0;
}

/* Events that did not come through the stage (a backend's test) get the
 * id it would have given them. */
void kh_write_event_id(const kh_write_item *it, const kh_event *e, char out[KH_WRITE_ID_SIZE])
{
    hex64(e->id ? e->id : kh_dedup_event_id(it->doc->id, it->sent_no, e), out);
}

char *kh_write_dict_ref(const kh_event *e)
{
    if (!e->dict_file)
        return NULL;
    if (e->dict_line <= 0)
        return kh_xstrdup(e->dict_file);
    size_t n = strlen(e->dict_file) + 24; /* ':' + a long in decimal + NUL */
    char *ref = kh_xmalloc(n);
    snprintf(ref, n, "%s:%ld", e->dict_file, e->dict_line);
    return ref;
}

size_t kh_write_actor_country_len(const char *code)
{
    return kh_country_code_kind(code) != KH_COUNTRY_NONE ? KH_ACTOR_GROUP_LEN : 0;
}

/* Tenfold values below this are written from their integer: "%.6g" shows
 * every digit of those; Goldstein values are at most 10 in magnitude. */
#define TENTHS_LIMIT 1e5

int kh_write_tenths(kh_buf *out, double v)
{
    double tenfold = v * 10;
    if (!(fabs(tenfold) < TENTHS_LIMIT && tenfold == (double)(long)tenfold))
        return -1;
    long t = (long)tenfold;
    if (t < 0 || signbit(v))
        kh_buf_addc(out, '-');
    t = t < 0 ? -t : t;
    kh_buf_add_long(out, t / 10, 0);
    kh_buf_addc(out, '.');
    kh_buf_addc(out, (char)('0' + t % 10));
    return 0;
}

/* "%.6g"'s six significant digits, and the powers of ten that scale a
 * value to them (exact in a double). */
#define SIX_DIGITS 6
static const double power_of_ten[SIX_DIGITS] = {1, 10, 100, 1e3, 1e4, 1e5};
static const long six_digit_limit = 1000000;
/* The scaled product is within half an ulp (below 2^-33 at 10^6) of the
 * exact one; a fraction this close to a half might round the other way
 * than printf's exact rounding, so such values go to printf. */
#define HALF_MARGIN 1e-6

static int integer_digits(long n)
{
    int d = 1;
    while (n >= 10 && d < SIX_DIGITS) {
        n /= 10;
        d++;
    }
    return d;
}

int kh_write_six_digits(kh_buf *out, double v)
{
    double a = fabs(v);
    if (!(a >= 1 && a < (double)six_digit_limit))
        return -1;
    int decimals = SIX_DIGITS - integer_digits((long)a);
    double scaled = a * power_of_ten[decimals];
    double whole = floor(scaled), fraction = scaled - whole;
    if (fabs(fraction - 0.5) < HALF_MARGIN)
        return -1;
    long n = (long)whole + (fraction > 0.5);
    if (n >= six_digit_limit)
        return -1; /* carried into a seventh digit: another exponent */
    long unit = (long)power_of_ten[decimals], tail = n % unit;
    if (v < 0)
        kh_buf_addc(out, '-');
    kh_buf_add_long(out, n / unit, 0);
    if (tail == 0)
        return 0;
    while (tail % 10 == 0) { /* "%g" drops trailing zeros */
        tail /= 10;
        unit /= 10;
    }
    kh_buf_addc(out, '.');
    kh_buf_add_long(out, tail, integer_digits(unit) - 1);
    return 0;
}

/* Scaled values below this have an ulp under 2^-23, far inside
 * HALF_MARGIN. */
#define FIXED_LIMIT 1e9

/* kh_write_fixed without printf, or -1 with nothing written. */
static int fixed_from_product(kh_buf *out, double v, int decimals)
{
    static const double scale[KH_WRITE_MAX_DECIMALS + 1] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    if (decimals < 0 || decimals > KH_WRITE_MAX_DECIMALS)
        return -1;
    double scaled = fabs(v) * scale[decimals];
    if (!(scaled < FIXED_LIMIT))
        return -1; /* and NaN */
    double whole = floor(scaled), fraction = scaled - whole;
    if (fabs(fraction - 0.5) < HALF_MARGIN)
        return -1;
    long n = (long)whole + (fraction > 0.5), unit = (long)scale[decimals];
    if (signbit(v)) /* "%f" writes the sign of -0.0 and of what rounds to 0 */
        kh_buf_addc(out, '-');
    kh_buf_add_long(out, n / unit, 0);
    if (decimals > 0) {
        kh_buf_addc(out, '.');
        kh_buf_add_long(out, n % unit, decimals);
    }
    return 0;
}

void kh_write_fixed(kh_buf *out, double v, int decimals)
{
    if (fixed_from_product(out, v, decimals) != 0)
        kh_buf_printf(out, "%.*f", decimals, v);
}

void kh_write_quad_goldstein(kh_buf *out, const struct kh_cameo_info *info)
{
    int quad = kh_cameo_info_quad(info);
    if (quad)
        kh_buf_add_long(out, quad, 0);
    kh_buf_addc(out, '\t');
    if (info && kh_write_tenths(out, info->goldstein) != 0)
        kh_buf_printf(out, "%.1f", info->goldstein);
}

void kh_write_content_hash(const char *text, size_t len, char out[KH_WRITE_CONTENT_HASH_SIZE])
{
    hex64(kh_fnv1a64(KH_FNV64_OFFSET, text ? text : "", text ? len : 0), out);
}

const char *kh_write_country_kind_name(int kind)
{
    switch (kind) {
    case KH_COUNTRY_ISO: return "iso";
    case KH_COUNTRY_FORMER: return "former";
    case KH_COUNTRY_REGION: return "region";
    default: return NULL;
    }
}
