/* test_arena.c -- the arena hands out zeroed, aligned memory, and a reset
 * arena reuses its block for the next record (the JSON lines reader gives
 * yajl its memory from one) while a block made for one big allocation is
 * let go; a sized arena's blocks are its size. */
#include "testutil.h"
#include "arena.h"
#include <stdint.h>
#include <string.h>

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static void test_reset_reuses_the_block(void **state)
{
    kh_arena a;
    kh_arena_init(&a);
    unsigned char *first = kh_arena_alloc(&a, 100);
    memset(first, 0xAB, 100);
    unsigned char *second = kh_arena_alloc(&a, 3);
    assert_true(second >= first + 100);
    assert_int_equal((uintptr_t)second % _Alignof(max_align_t), 0);
    kh_arena_reset(&a);
    unsigned char *again = kh_arena_alloc(&a, 100);
    assert_ptr_equal(again, first);
    assert_true(all_zero(again, 100));
    kh_arena_free(&a);
}

static void test_reset_lets_a_big_block_go(void **state)
{
    kh_arena a;
    kh_arena_init(&a);
    kh_arena_alloc(&a, 10);
    unsigned char *big = kh_arena_alloc(&a, 4 * KH_ARENA_BLOCK_SIZE);
    memset(big, 0xCD, 4 * KH_ARENA_BLOCK_SIZE);
    kh_arena_reset(&a); /* both blocks go: the big one is not kept */
    unsigned char *p = kh_arena_alloc(&a, KH_ARENA_BLOCK_SIZE);
    assert_true(all_zero(p, KH_ARENA_BLOCK_SIZE));
    kh_arena_reset(&a); /* an ordinary block, kept */
    assert_ptr_equal(kh_arena_alloc(&a, 1), p);
    kh_arena_free(&a);
    kh_arena_reset(&a); /* an empty arena too */
    assert_non_null(kh_arena_alloc(&a, 1));
    kh_arena_free(&a);
}

/* A sized arena's blocks are its size: what does not fit the block in
 * use starts another, and reset keeps one of that size. */
static void test_sized_blocks(void **state)
{
    kh_arena a;
    kh_arena_init_sized(&a, 256);
    unsigned char *first = kh_arena_alloc(&a, 200);
    unsigned char *second = kh_arena_alloc(&a, 100);   /* 200 + 100 > 256 */
    assert_true(second < first || second >= first + 256);
    unsigned char *third = kh_arena_alloc(&a, 16);     /* fits after it */
    assert_true(third >= second + 100 && third < second + 256);
    kh_arena_reset(&a);
    assert_ptr_equal(kh_arena_alloc(&a, 1), second);
    assert_string_equal(kh_arena_strdup(&a, "Gondor"), "Gondor");
    assert_null(kh_arena_strdup(&a, NULL));
    kh_arena_free(&a);
    assert_int_equal(a.block_size, 256);   /* kept for the next use */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_reuses_the_block),
        cmocka_unit_test(test_reset_lets_a_big_block_go),
        cmocka_unit_test(test_sized_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
