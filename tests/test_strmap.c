/* test_strmap.c -- the string map finds every key it holds and nothing
 * else, whatever the key's length: the short keys (short_key.h) read a
 * word in a few overlapping loads, and every byte must still count. */
#include "testutil.h"
#include "short_key.h"
#include "strmap.h"

/* Longer than two short keys, so that the middle of a long key is hashed
 * too. */
#define MAX_TEST_KEY 40

/* Key `len` bytes long: the letters of its length, one byte of them
 * turned into '#' at `changed` (none when changed >= len). */
static void make_key(char *out, size_t len, size_t changed)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (char)('A' + (len + i) % 26);
    if (changed < len)
        out[changed] = '#';
    out[len] = '\0';
}

static void test_every_length(void **state)
{
    static char keys[MAX_TEST_KEY + 1][MAX_TEST_KEY + 1];
    kh_strmap m;
    kh_strmap_init(&m);
    assert_int_equal(kh_strmap_get(&m, "A", 1), -1);
    for (size_t len = 0; len <= MAX_TEST_KEY; len++) {
        make_key(keys[len], len, len);
        kh_strmap_put(&m, keys[len], (int)len);
    }
    char probe[MAX_TEST_KEY + 2];
    for (size_t len = 0; len <= MAX_TEST_KEY; len++) {
        make_key(probe, len, len);
        assert_int_equal(kh_strmap_get(&m, probe, len), (int)len);
        assert_ptr_equal(kh_strmap_get_key(&m, probe, len), keys[len]);
        /* a key one byte away, wherever the byte, is not in the map */
        for (size_t at = 0; at < len; at++) {
            make_key(probe, len, at);
            assert_int_equal(kh_strmap_get(&m, probe, len), -1);
        }
    }
    kh_strmap_free(&m);
}

/* Put replaces a key's value, and the map grows past its first table. */
static void test_replace_and_grow(void **state)
{
    enum { KEYS = 1000 };
    static char keys[KEYS][16];
    kh_strmap m;
    kh_strmap_init(&m);
    for (int i = 0; i < KEYS; i++) {
        snprintf(keys[i], sizeof keys[i], "W%d", i);
        kh_strmap_put(&m, keys[i], i);
    }
    kh_strmap_put(&m, keys[7], 70);
    assert_int_equal(m.count, KEYS);
    for (int i = 0; i < KEYS; i++)
        assert_int_equal(kh_strmap_get(&m, keys[i], strlen(keys[i])), i == 7 ? 70 : i);
    assert_int_equal(kh_strmap_get(&m, "W1000", 5), -1);
    /* a prefix of a key is another key */
    const char *longer = "ABCDEFGHIJKLMNOPQRST";
    kh_strmap_put(&m, longer, 1);
    for (size_t n = 0; n < strlen(longer); n++)
        assert_int_equal(kh_strmap_get(&m, longer, n), -1);
    assert_int_equal(kh_strmap_get(&m, longer, strlen(longer)), 1);
    kh_strmap_free(&m);
}

/* The key of a short string holds each of its bytes. */
static void test_short_keys(void **state)
{
    const unsigned char a[] = "ABCDEFGHIJKLMNOP", b[] = "ABCDEFGHIJKLMNOQ";
    for (size_t n = 1; n <= KH_SHORT_KEY_MAX; n++) {
        assert_true(kh_short_key_equal(kh_short_key_of(a, n), kh_short_key_of(a, n)));
        assert_true(kh_short_key_equal(kh_short_key_of(a, n - 1), kh_short_key_of(b, n - 1)));
        unsigned char c[KH_SHORT_KEY_MAX];
        for (size_t at = 0; at < n; at++) {
            memcpy(c, a, n);
            c[at] ^= 1;
            assert_false(kh_short_key_equal(kh_short_key_of(a, n), kh_short_key_of(c, n)));
        }
    }
}

/* The slots are not told apart by a hash: long keys that share their
 * first sixteen bytes and their length (the two numbers a probe compares)
 * must still be compared whole, in a table grown several times (growing
 * hashes the keys again), and the table starts on a cache line. */
static void test_long_keys_alike(void **state)
{
    enum { KEYS = 300 };
    static char keys[KEYS][32];
    kh_strmap m;
    kh_strmap_init(&m);
    for (int i = 0; i < KEYS; i++) {
        snprintf(keys[i], sizeof keys[i], "SAME-SIXTEEN-BYT%06d", i);
        kh_strmap_put(&m, keys[i], i);
    }
    assert_int_equal((uintptr_t)m.slots % KH_STRMAP_ALIGN, 0);
    assert_int_equal(sizeof(kh_strmap_slot) * 2, KH_STRMAP_ALIGN);
    for (int i = 0; i < KEYS; i++) {
        char probe[32];
        snprintf(probe, sizeof probe, "SAME-SIXTEEN-BYT%06d", i);
        assert_int_equal(kh_strmap_get(&m, probe, strlen(probe)), i);
        assert_ptr_equal(kh_strmap_get_key(&m, probe, strlen(probe)), keys[i]);
    }
    assert_int_equal(kh_strmap_get(&m, "SAME-SIXTEEN-BYT999999", 22), -1);
    assert_int_equal(kh_strmap_get(&m, "SAME-SIXTEEN-BYT", 16), -1);
    kh_strmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_length),
        cmocka_unit_test(test_replace_and_grow),
        cmocka_unit_test(test_short_keys),
        cmocka_unit_test(test_long_keys_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
