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
static int is_below_space(unsigned char c) { return c < 0x20; }
static int is_below_cr(unsigned char c) { return c <= '\r'; }
static int is_high(unsigned char c) { return c >= 0x80; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* kh_swar_bytes_between marks exactly the bytes in range, for words of
 * ASCII only: compared byte by byte, not just as a yes or no. */
static void check_between(uint64_t v)
{
    if (v & KH_SWAR_HIGH)
        return;
    uint64_t upper = kh_swar_bytes_between(v, 'A', 'Z');
    uint64_t digits = kh_swar_bytes_between(v, '0', '9');
    for (int i = 0; i < 8; i++) {
        uint64_t bit = (uint64_t)0x80 << (8 * i);
        unsigned char c = (unsigned char)(v >> (8 * i));
        assert_int_equal((upper & bit) != 0, is_capital(c));
        assert_int_equal((digits & bit) != 0, is_digit(c));
    }
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
    assert_int_equal(kh_swar_has_below(v, 0x20) != 0, any(w, is_below_space));
    assert_int_equal(kh_swar_has_below(v, '\r' + 1) != 0, any(w, is_below_cr));
    assert_int_equal(kh_swar_has_high(v) != 0, any(w, is_high));
    check_between(v);
}

static int word_has_backslash(uint64_t v) { return kh_swar_has_byte(v, '\\') != 0; }

/* kh_swar_plain_run stops at the first backslash wherever it is: in the
 * eight-byte steps, in the tail, or nowhere. */
static void test_plain_run(void **state)
{
    char s[40];
    for (size_t len = 0; len <= sizeof s; len++)
        for (size_t at = 0; at <= len; at++) {
            memset(s, 'x', sizeof s);
            if (at < len)
                s[at] = '\\';
            assert_int_equal(kh_swar_plain_run(s, len, word_has_backslash, is_backslash), at);
        }
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
        cmocka_unit_test(test_plain_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
