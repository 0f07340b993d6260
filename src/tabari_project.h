/*
 * tabari_project.h -- reading a TABARI project: the .project file that
 * names the dictionaries, the options file and the text, and the options
 * file's commands that khaldun's coder implements.
 *
 * Used by `khaldun validate` (which also codes the project's text) and by
 * `khaldun code --tabari-project` (which only takes the dictionaries and
 * the options).
 */
#ifndef KH_TABARI_PROJECT_H
#define KH_TABARI_PROJECT_H

#include "khaldun.h"

/* Applies one TABARI option line to `options`: COMMA:, COMPLEX:, DEFAULT:,
 * SET: MINIMUM WORDS, FORWARD:, SET: CONVERT AGENT, SET: CODE BY ... and
 * SET: CODE ALL (TABARI manual, chapter 8).  Other commands are ignored. */
void kh_tabari_option(kh_coder_options *options, const char *line);

/* kh_tabari_project_load is public (khaldun.h). */

#endif
