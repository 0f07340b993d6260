/* cameo.c -- CAMEO event-code lookups and actor-code splitting (cameo.h). */
#include "cameo.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define CAMEO_ROOT_LEN 2 /* roots are the first two digits: "04" */
#define CAMEO_ROOT_MIN 1
#define CAMEO_ROOT_MAX 20

static int compare_code(const void *key, const void *elem)
{
    return strcmp(key, ((const kh_cameo_info *)elem)->code);
}

const kh_cameo_info *kh_cameo_lookup(const char *code)
{
    if (!code || !*code)
        return NULL;
    return bsearch(code, kh_cameo_table, kh_cameo_table_count,
                   sizeof kh_cameo_table[0], compare_code);
}

/* The numeric root (1..20) of the code of a table entry, else 0. */
static int root_number(const kh_cameo_info *info)
{
    if (!info)
        return 0;
    int root = (info->code[0] - '0') * 10 + (info->code[1] - '0');
    return root >= CAMEO_ROOT_MIN && root <= CAMEO_ROOT_MAX ? root : 0;
}

int kh_cameo_quad(const char *code)
{
    return kh_cameo_info_quad(kh_cameo_lookup(code));
}

int kh_cameo_root(const char *code, char root[KH_CAMEO_ROOT_SIZE])
{
    return kh_cameo_info_root(kh_cameo_lookup(code), root);
}

int kh_cameo_info_quad(const kh_cameo_info *info)
{
    int root = root_number(info);
    if (root == 0)
        return 0;
    if (root <= 5)
        return 1;
    if (root <= 9)
        return 2;
    if (root <= 14)
        return 3;
    return 4;
}

int kh_cameo_info_root(const kh_cameo_info *info, char root[KH_CAMEO_ROOT_SIZE])
{
    root[0] = 0;
    if (root_number(info) == 0)
        return -1;
    memcpy(root, info->code, CAMEO_ROOT_LEN);
    root[CAMEO_ROOT_LEN] = 0;
    return 0;
}

/* ------------------------------------------------------------------ */

/* A three-character group as one number that orders as strcmp orders
 * the groups: its first four bytes read as a big-endian word (one load
 * and a byte swap, where the search spends its steps), the fourth byte
 * shifted out.  The caller has seen three bytes that are not NUL, so
 * the fourth is within the string. */
static uint32_t group_number(const char *code)
{
    uint32_t word;
    memcpy(&word, code, sizeof word);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    word = __builtin_bswap32(word);
#endif
    return word >> 8;
}

/* A binary search on the codes as numbers, without a branch to mispredict
 * in its steps: every mention's code is asked about, and bsearch's strcmp
 * of a copied key cost ten times this.  Only the codes with the key's
 * first letter are searched (kh_country_by_letter), at most a few dozen.
 * `base` ends on the last code not above the key (or the first code). */
kh_country_kind kh_country_code_kind(const char *code)
{
    if (!code || !code[0] || !code[1] || !code[2] || code[0] < 'A' || code[0] > 'Z')
        return KH_COUNTRY_NONE;
    uint32_t key = group_number(code);
    int letter = code[0] - 'A';
    const kh_country_code *base = kh_country_table + kh_country_by_letter[letter];
    size_t n = (size_t)(kh_country_by_letter[letter + 1] - kh_country_by_letter[letter]);
    while (n > 1) {
        size_t half = n / 2;
        base = group_number(base[half].code) <= key ? base + half : base;
        n -= half;
    }
    return n && group_number(base->code) == key ? base->kind : KH_COUNTRY_NONE;
}

static int is_code_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Appends the group code[0..len) to parts->groups. */
static void push_group(kh_actor_parts *parts, const char *code, size_t len)
{
    parts->groups = kh_xrealloc(parts->groups,
                                (parts->group_count + 1) * sizeof *parts->groups);
    memcpy(parts->groups[parts->group_count], code, len);
    parts->groups[parts->group_count][len] = 0;
    parts->group_count++;
}

int kh_actor_code_split(const char *code, kh_actor_parts *parts)
{
    memset(parts, 0, sizeof *parts);
    if (!code || !*code || strcmp(code, "---") == 0)
        return 0;
    size_t len = strlen(code);
    int ok = len % KH_ACTOR_GROUP_LEN == 0;
    for (size_t i = 0; i < len; i++)
        ok = ok && is_code_char(code[i]);

    size_t pos = 0;
    kh_country_kind kind = kh_country_code_kind(code);
    if (kind != KH_COUNTRY_NONE) {
        memcpy(parts->country, code, KH_ACTOR_GROUP_LEN);
        parts->country[KH_ACTOR_GROUP_LEN] = 0;
        parts->country_kind = kind;
        pos = KH_ACTOR_GROUP_LEN;
    }
    while (pos < len) {
        size_t n = len - pos < KH_ACTOR_GROUP_LEN ? len - pos : KH_ACTOR_GROUP_LEN;
        push_group(parts, code + pos, n);
        pos += n;
    }
    return ok ? 0 : -1;
}

void kh_actor_parts_free(kh_actor_parts *parts)
{
    free(parts->groups);
    memset(parts, 0, sizeof *parts);
}
