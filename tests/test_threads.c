/* test_threads.c -- one frozen dictionary, several coders on several
 * threads at once: each must produce exactly what a lone coder produces.
 * This is the proof that the library keeps no global mutable state. */
#include "testutil.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Enough threads and rounds to interleave on two cores, few enough to
 * stay well under a second. */
#define THREADS 4
#define ROUNDS 300

static const char actors[] = "ARNOR [ARN]\nGONDOR [GON]\nROHAN [ROH]\nMORDOR [MOR]\n";
static const char agents[] = "PRESIDENT [~GOV]\nTROOPS [~MIL]\n";
static const char verbs[] =
    "--- ATTACK [190] ---\nATTACK\n- * WITH ROCKETS [195]\n"
    "--- MEET [031] ---\nMEET\n- % * [031]\n"
    "--- VISIT [042:043] ---\nVISIT\n";

static const char *const sentences[] = {
    "Arnor attacked Gondor with rockets on Tuesday.",
    "The Rohan president visited Mordor.",
    "Arnor and Gondor will meet next week, officials said.",
    "Gondor was attacked by Mordor troops.",
    "He said they attacked Rohan.",
};
#define SENTENCE_COUNT (sizeof sentences / sizeof sentences[0])

static kh_dict *dict;
static char expected[SENTENCE_COUNT][512];

static void render(kh_coder *c, const char *text, char *out, size_t size)
{
    kh_events ev;
    kh_events_init(&ev);
    kh_coder_begin_document(c);
    kh_code_sentence(c, text, strlen(text), 20200101, &ev);
    out[0] = 0;
    for (size_t i = 0; i < ev.count; i++) {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s/%s/%s@%ld;", ev.items[i].source, ev.items[i].target,
                 ev.items[i].code, ev.items[i].verb_span.start);
    }
    kh_events_free(&ev);
}

static void *worker(void *arg)
{
    long *mismatches = arg;
    kh_coder *c = kh_coder_new(dict);
    char got[512];
    for (int r = 0; r < ROUNDS; r++)
        for (size_t i = 0; i < SENTENCE_COUNT; i++) {
            render(c, sentences[(i + r) % SENTENCE_COUNT], got, sizeof got);
            if (strcmp(got, expected[(i + r) % SENTENCE_COUNT]) != 0)
                (*mismatches)++;
        }
    kh_coder_free(c);
    return NULL;
}

static void test_coders_share_a_dictionary(void **state)
{
    dict = test_dict(actors, agents, verbs);
    kh_coder *lone = kh_coder_new(dict);
    for (size_t i = 0; i < SENTENCE_COUNT; i++)
        render(lone, sentences[i], expected[i], sizeof expected[i]);
    kh_coder_free(lone);
    assert_string_equal(expected[0], "ARN/GON/195@6;");
    pthread_t threads[THREADS];
    long mismatches[THREADS] = {0};
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_create(&threads[t], NULL, worker, &mismatches[t]), 0);
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        assert_int_equal(mismatches[t], 0);
    }
    kh_dict_free(dict);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coders_share_a_dictionary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
