/* test_cameo.c -- the CAMEO table, QuadClass and actor-code splitting. */
#include "testutil.h"
#include "cameo.h"

#include <string.h>

static void test_known_goldstein_values(void **state)
{
    /* Values from the GDELT CAMEO->Goldstein table. */
    static const struct { const char *code; double goldstein; } known[] = {
        {"01", 0.0},    {"011", -0.1},  {"016", -2.0}, {"0211", 3.4},
        {"042", 1.9},   {"057", 8.0},   {"1041", -5.0}, {"138", -7.0},
        {"173", -5.0},  {"190", -10.0}, {"2042", -10.0},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const kh_cameo_info *info = kh_cameo_lookup(known[i].code);
        assert_non_null(info);
        assert_string_equal(info->code, known[i].code);
        assert_true(info->goldstein == known[i].goldstein);
    }
}

static void test_names_and_plover(void **state)
{
    const kh_cameo_info *visit = kh_cameo_lookup("042");
    assert_string_equal(visit->name, "Make a visit");
    assert_string_equal(visit->plover, "CONSULT");
    assert_string_equal(visit->plover_mode, "visit");
    assert_null(visit->plover_context);

    const kh_cameo_info *arrest = kh_cameo_lookup("173");
    assert_string_equal(arrest->plover, "COERCE");
    assert_string_equal(arrest->plover_mode, "arrest");
    assert_string_equal(arrest->plover_context, "legal");

    /* PLOVER drops CAMEO roots 01 and 02 */
    assert_null(kh_cameo_lookup("010")->plover);
    assert_null(kh_cameo_lookup("0214")->plover);
    /* a root gets the type of its heading */
    assert_string_equal(kh_cameo_lookup("19")->plover, "ASSAULT");
}

/* The QuadClass of each root, 01..20 (cameo.h). */
static const int quad_of_root[21] = {0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3,
                                     3, 3, 3, 3, 4, 4, 4, 4, 4, 4};

static void test_quad_of_each_root(void **state)
{
    for (int root = 1; root <= 20; root++) {
        char code[16];
        snprintf(code, sizeof code, "%02d", root);
        assert_int_equal(kh_cameo_quad(code), quad_of_root[root]);
        snprintf(code, sizeof code, "%02d0", root);
        assert_int_equal(kh_cameo_quad(code), quad_of_root[root]);
        char r[3];
        assert_int_equal(kh_cameo_root(code, r), 0);
        assert_memory_equal(r, code, 2);
    }
    assert_int_equal(kh_cameo_quad("1041"), 3);
    assert_int_equal(kh_cameo_quad("0211"), 1);
}

/* The entry's quad and root (what the writers ask, having looked the
 * code up once) are the code's, for every code in the table and none. */
static void test_quad_and_root_of_entry(void **state)
{
    char r[KH_CAMEO_ROOT_SIZE];
    for (size_t i = 0; i < kh_cameo_table_count; i++) {
        const kh_cameo_info *info = &kh_cameo_table[i];
        int root = (info->code[0] - '0') * 10 + (info->code[1] - '0');
        assert_int_equal(kh_cameo_info_quad(info), quad_of_root[root]);
        assert_int_equal(kh_cameo_info_root(info, r), 0);
        assert_memory_equal(r, info->code, 2);
        assert_int_equal(r[2], 0);
    }
    assert_int_equal(kh_cameo_info_quad(NULL), 0);
    assert_int_equal(kh_cameo_info_root(NULL, r), -1);
    assert_string_equal(r, "");
}

static void test_unknown_codes(void **state)
{
    static const char *const bad[] = {"", "---", "999", "21", "00", "223",
                                      "04 ", "0421", "42", "abc", "0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(kh_cameo_lookup(bad[i]));
        assert_int_equal(kh_cameo_quad(bad[i]), 0);
        char r[3] = "xx";
        assert_int_equal(kh_cameo_root(bad[i], r), -1);
        assert_string_equal(r, "");
    }
    assert_null(kh_cameo_lookup(NULL));
    assert_int_equal(kh_cameo_quad(NULL), 0);
}

static void test_table_is_sorted_and_complete(void **state)
{
    assert_true(kh_cameo_table_count >= 300);
    for (size_t i = 0; i < kh_cameo_table_count; i++) {
        const kh_cameo_info *c = &kh_cameo_table[i];
        size_t n = strlen(c->code);
        assert_true(n >= 2 && n <= 4);
        assert_true(c->goldstein >= -10.0 && c->goldstein <= 10.0);
        assert_true(c->name && *c->name);
        if (i > 0)
            assert_true(strcmp(kh_cameo_table[i - 1].code, c->code) < 0);
        assert_ptr_equal(kh_cameo_lookup(c->code), c);
        /* every non-root code's root is itself in the table */
        char root[3] = {c->code[0], c->code[1], 0};
        assert_non_null(kh_cameo_lookup(root));
    }
    for (size_t i = 1; i < kh_country_table_count; i++)
        assert_true(strcmp(kh_country_table[i - 1].code, kh_country_table[i].code) < 0);
}

/* The search compares codes as numbers: every code of the table must be
 * found as its own kind, and codes around them (before the first, after
 * the last, between two) must not. */
static void test_country_kind_finds_every_code(void **state)
{
    for (size_t i = 0; i < kh_country_table_count; i++) {
        const kh_country_code *c = &kh_country_table[i];
        assert_int_equal(strlen(c->code), KH_ACTOR_GROUP_LEN);
        assert_int_equal(kh_country_code_kind(c->code), c->kind);
        char longer[16];
        snprintf(longer, sizeof longer, "%sGOV", c->code);
        assert_int_equal(kh_country_code_kind(longer), c->kind);
        char after[KH_ACTOR_GROUP_LEN + 1];
        memcpy(after, c->code, sizeof after);
        after[2]++;
        if (i + 1 == kh_country_table_count || strcmp(after, kh_country_table[i + 1].code) != 0)
            assert_int_equal(kh_country_code_kind(after), KH_COUNTRY_NONE);
    }
    assert_int_equal(kh_country_code_kind("AAA"), KH_COUNTRY_NONE);
    assert_int_equal(kh_country_code_kind("ZZZ"), KH_COUNTRY_NONE);
    assert_int_equal(kh_country_code_kind(""), KH_COUNTRY_NONE);
    assert_int_equal(kh_country_code_kind("---"), KH_COUNTRY_NONE);
}

static void test_actor_split_country(void **state)
{
    kh_actor_parts p;
    assert_int_equal(kh_actor_code_split("IRNGOVMIL", &p), 0);
    assert_string_equal(p.country, "IRN");
    assert_int_equal(p.country_kind, KH_COUNTRY_ISO);
    assert_int_equal(p.group_count, 2);
    assert_string_equal(p.groups[0], "GOV");
    assert_string_equal(p.groups[1], "MIL");
    kh_actor_parts_free(&p);

    assert_int_equal(kh_actor_code_split("USA", &p), 0);
    assert_string_equal(p.country, "USA");
    assert_int_equal(p.group_count, 0);
    kh_actor_parts_free(&p);

    assert_int_equal(kh_actor_code_split("YUGGOV", &p), 0);
    assert_int_equal(p.country_kind, KH_COUNTRY_FORMER);
    kh_actor_parts_free(&p);

    assert_int_equal(kh_actor_code_split("MEAREB", &p), 0);
    assert_string_equal(p.country, "MEA");
    assert_int_equal(p.country_kind, KH_COUNTRY_REGION);
    kh_actor_parts_free(&p);
}

static void test_actor_split_international(void **state)
{
    kh_actor_parts p;
    assert_int_equal(kh_actor_code_split("IGOUNOREFHCR", &p), 0);
    assert_string_equal(p.country, "");
    assert_int_equal(p.country_kind, KH_COUNTRY_NONE);
    assert_int_equal(p.group_count, 4);
    assert_string_equal(p.groups[0], "IGO");
    assert_string_equal(p.groups[3], "HCR");
    kh_actor_parts_free(&p);

    /* an NGO with a country later in the code: still no country */
    assert_int_equal(kh_actor_code_split("NGOUSA", &p), 0);
    assert_string_equal(p.country, "");
    assert_int_equal(p.group_count, 2);
    kh_actor_parts_free(&p);

    assert_int_equal(kh_actor_code_split("---", &p), 0);
    assert_int_equal(p.group_count, 0);
    assert_string_equal(p.country, "");
    kh_actor_parts_free(&p);
    assert_int_equal(kh_actor_code_split(NULL, &p), 0);
    kh_actor_parts_free(&p);
}

static void test_actor_split_malformed(void **state)
{
    kh_actor_parts p;
    assert_int_equal(kh_actor_code_split("IRNGO", &p), -1);
    assert_string_equal(p.country, "IRN");
    assert_int_equal(p.group_count, 1);
    assert_string_equal(p.groups[0], "GO"); /* kept, not dropped */
    kh_actor_parts_free(&p);

    assert_int_equal(kh_actor_code_split("irngov", &p), -1);
    assert_string_equal(p.country, "");
    assert_int_equal(p.group_count, 2);
    kh_actor_parts_free(&p);

    assert_int_equal(kh_country_code_kind("IR"), KH_COUNTRY_NONE);
    assert_int_equal(kh_country_code_kind(NULL), KH_COUNTRY_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_goldstein_values),
        cmocka_unit_test(test_names_and_plover),
        cmocka_unit_test(test_quad_of_each_root),
        cmocka_unit_test(test_unknown_codes),
        cmocka_unit_test(test_quad_and_root_of_entry),
        cmocka_unit_test(test_table_is_sorted_and_complete),
        cmocka_unit_test(test_country_kind_finds_every_code),
        cmocka_unit_test(test_actor_split_country),
        cmocka_unit_test(test_actor_split_international),
        cmocka_unit_test(test_actor_split_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
