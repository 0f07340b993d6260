/*
 * petrarch_config.h -- reading a PETRARCH-2 configuration (PETR_config.ini).
 *
 * `khaldun code --petrarch-config FILE.ini` loads the dictionaries the
 * file's [Dictionaries] section names (verbfile_name, actorfile_list,
 * agentfile_name, discardfile_name, issuefile_name) and takes the coding
 * options of its [Options] section that khaldun has (new_actor_length,
 * require_dyad, comma_min ... comma_emax).  Options PETRARCH uses for its
 * own input and output (textfile_list, eventfile_name ...) are ignored.
 *
 * Dictionary names are looked up next to the .ini file, then in
 * ../dictionaries beside it, which is where PETRARCH's own layout keeps
 * them (data/config/PETR_config.ini, data/dictionaries/).
 */
#ifndef KH_PETRARCH_CONFIG_H
#define KH_PETRARCH_CONFIG_H

#include "khaldun.h"

/* kh_petrarch_config_load is public (khaldun.h). */

/* Where PETRARCH finds dictionary `name` for a file in `dir`: beside it,
 * else in ../dictionaries (malloc'd). */
char *kh_petrarch_dictionary_path(const char *dir, const char *name);

/* Applies one PETRARCH option (key = value, as in [Options] or a
 * validation XML's <Config>) that khaldun's coder has; others are
 * ignored.  Returns -1 for a value that is not a sensible number. */
int kh_petrarch_option(kh_coder_options *options, const char *key, const char *value);

#endif
