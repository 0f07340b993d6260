/*
 * dict_index.h -- lookup structures built over a frozen dictionary.
 */
#ifndef KH_DICT_INDEX_H
#define KH_DICT_INDEX_H

#include "dict.h"

struct kh_index;
struct kh_index *kh_index_build(kh_dict *dict);
void kh_index_free(struct kh_index *index);

#endif
