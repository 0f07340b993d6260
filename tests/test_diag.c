/* test_diag.c -- diagnostics: counted, delivered to the sink, and never
 * cut short however long the message. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

typedef struct last_message {
    char *text;
    kh_severity sev;
    long line;
} last_message;

static void keep(void *ctx, kh_severity sev, const char *file, long line,
                 const char *message)
{
    last_message *m = ctx;
    free(m->text);
    m->text = strdup(message);
    m->sev = sev;
    m->line = line;
}

static void test_counts_and_sink(void **state)
{
    last_message m = {0};
    kh_diag d;
    kh_diag_init(&d);
    d.sink = keep;
    d.ctx = &m;
    kh_diag_report(&d, KH_WARNING, "f.txt", 3, "odd line %d", 3);
    kh_diag_report(&d, KH_ERROR, "f.txt", 4, "bad line %s", "four");
    assert_int_equal(d.warnings, 1);
    assert_int_equal(d.errors, 1);
    assert_string_equal(m.text, "bad line four");
    assert_int_equal(m.sev, KH_ERROR);
    assert_int_equal(m.line, 4);
    free(m.text);
}

/* A message quoting a long dictionary line arrives whole. */
static void test_long_message_is_not_cut(void **state)
{
    enum { LONG = 5000 };
    char *quoted = malloc(LONG + 1);
    memset(quoted, 'x', LONG);
    quoted[LONG] = 0;
    last_message m = {0};
    kh_diag d;
    kh_diag_init(&d);
    d.sink = keep;
    d.ctx = &m;
    kh_diag_report(&d, KH_ERROR, "f.txt", 1, "cannot read '%s'", quoted);
    assert_int_equal(strlen(m.text), LONG + strlen("cannot read ''"));
    assert_int_equal(m.text[LONG + strlen("cannot read '")], '\'');
    free(m.text);
    free(quoted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_sink),
        cmocka_unit_test(test_long_message_is_not_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
