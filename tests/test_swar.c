/* test_swar.c -- each eight-byte test of swar.h answers as the same test
 * asked of the bytes one at a time, for every byte value at every place
 * among fillers of each kind. */
#include "testutil.h"
#include "swar.h"

static int any(const unsigned char *w, int (*is)(unsigned char))
{
    for (int i = 0; i < 8; i++)
        if (is(w[i]))
            return 1;
    return 0;
}

static int is_zero(unsigned char c) { return c == 0; }
static int is_backslash(unsigned char c) { return c == '\\'; }
static int is_unprintable(unsigned char c) { return c < 0x20 || c >= 0x7F; }
static int is_capital(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_unprintable_in_text(unsigned char c)
{
    return is_unprintable(c) && c != '\n' && c != '\t';
}

/* Fillers next to the byte tested: plain letters, the neighbours of each
 * range's ends, and bytes with the top bit set (borrows and carries). */
static const unsigned char fillers[] = {'a', ' ', '@', '[', 'Z' + 1, 0x7E, 0x7F, 0x80,
                                        0xC3, 0xFF, 0x01, 0x1F, '\n', '\t', 0x89};

static void check_word(const unsigned char *w)
{
    uint64_t v = kh_swar_load(w);
    assert_int_equal(kh_swar_has_zero(v) != 0, any(w, is_zero));
    assert_int_equal(kh_swar_has_byte(v, '\\') != 0, any(w, is_backslash));
    assert_int_equal(kh_swar_has_unprintable(v) != 0, any(w, is_unprintable));
    assert_int_equal(kh_swar_has_capital(v) != 0, any(w, is_capital));
    assert_int_equal(kh_swar_has_unprintable_in_text(v) != 0, any(w, is_unprintable_in_text));
    assert_int_equal(kh_swar_zero_bytes(v) != 0, any(w, is_zero));
}

static void test_every_byte_everywhere(void **state)
{
    unsigned char w[8];
    for (size_t f = 0; f < sizeof fillers; f++)
        for (int at = 0; at < 8; at++)
            for (int b = 0; b < 256; b++) {
                memset(w, fillers[f], sizeof w);
                w[at] = (unsigned char)b;
                check_word(w);
            }
}

/* Two bytes of interest in one word: a borrow or carry from one must not
 * hide or invent the other. */
static void test_pairs(void **state)
{
    static const unsigned char odd[] = {0x00, '\t', '\n', '\v', 0x1F, 0x20, '@', 'A', 'Z',
                                        '[', '\\', 0x7E, 0x7F, 0x80, 0x8A, 0xC1, 0xDA, 0xFF};
    unsigned char w[8];
    for (size_t a = 0; a < sizeof odd; a++)
        for (size_t b = 0; b < sizeof odd; b++)
            for (int i = 0; i < 8; i++)
                for (int j = 0; j < 8; j++) {
                    memset(w, 'm', sizeof w);
                    w[i] = odd[a];
                    w[j] = odd[b];
                    check_word(w);
                }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte_everywhere),
        cmocka_unit_test(test_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
