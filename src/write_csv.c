/* write_csv.c -- the event table as RFC 4180 CSV: the TSV table's header
 * and rows (write_tsv.c builds them), with comma separators, CRLF line
 * ends, and a field enclosed in double quotes (its quotes doubled) when it
 * holds a comma, a quote, a newline or a carriage return.  Text is written
 * as it is -- a newline inside a sentence stays a newline inside its
 * quoted field -- so a CSV reader gives back the exact text, where TSV's
 * readers get the backslash escapes.
 *
 * Re-encoding TSV lines rather than building rows twice keeps one list
 * of columns: a column added to the TSV table is in the CSV table too. */
#include "write_backends.h"
#include "write_fields.h"
#include "write_table.h"
#include <string.h>

/* Undoes put_escaped's escape at s[i] ('\\'): appends the byte it stands
 * for and returns the escape's length.  NUL, which no document text holds
 * (the readers make control bytes spaces), becomes a space too. */
static size_t put_unescaped(kh_buf *out, const char *s, size_t i, size_t len)
{
    char c = i + 1 < len ? s[i + 1] : '\\';
    switch (c) {
    case 't': kh_buf_addc(out, '\t'); break;
    case 'n': kh_buf_addc(out, '\n'); break;
    case 'r': kh_buf_addc(out, '\r'); break;
    case '0': kh_buf_addc(out, ' '); break;
    default: kh_buf_addc(out, c); break;
    }
    return i + 1 < len ? 2 : 1;
}

/* One TSV field (escaped) as a CSV field.  An escaped field needs quotes
 * when it holds a comma or a quote, or an escape that becomes a tab,
 * newline or carriage return; a plain one is copied. */
static void put_csv_field(kh_buf *out, const char *s, size_t len)
{
    if (len == 0)
        return;
    int quote = 0, escaped = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ',' || s[i] == '"')
            quote = 1;
        else if (s[i] == '\\' && i + 1 < len) {
            escaped = 1;
            i++;        /* \t \n \r become bytes a CSV field quotes */
            quote |= s[i] == 't' || s[i] == 'n' || s[i] == 'r';
        }
    }
    if (!quote && !escaped) {
        kh_buf_add(out, s, len);
        return;
    }
    if (quote)
        kh_buf_addc(out, '"');
    for (size_t i = 0; i < len;) {
        if (s[i] == '\\') {
            i += put_unescaped(out, s, i, len);
            continue;
        }
        if (s[i] == '"')
            kh_buf_addc(out, '"');
        kh_buf_addc(out, s[i++]);
    }
    if (quote)
        kh_buf_addc(out, '"');
}

/* Appends the TSV lines in `tsv` to `out` as CSV records. */
static void put_csv_lines(kh_buf *out, const char *tsv, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (tsv[i] != '\t' && tsv[i] != '\n')
            continue;
        put_csv_field(out, tsv + start, i - start);
        if (tsv[i] == '\t')
            kh_buf_addc(out, ',');
        else
            kh_buf_add(out, "\r\n", 2);
        start = i + 1;
    }
}

static int csv_open(kh_writer *w)
{
    return kh_table_open(w, put_csv_lines);
}

const kh_write_backend kh_write_backend_csv = {{"csv", NULL}, {".csv", NULL}, csv_open, {NULL}};
