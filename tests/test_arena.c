/* test_arena.c -- the arena hands out zeroed, aligned memory, and a reset
 * arena reuses its block for the next record (the JSON lines reader gives
 * yajl its memory from one) while a block made for one big allocation is
 * let go. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_reuses_the_block),
        cmocka_unit_test(test_reset_lets_a_big_block_go),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
