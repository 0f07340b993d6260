/*
 * validate.h -- running the peers' validation suites.
 *
 * A suite is a TABARI project (.project naming its dictionaries, options
 * and a Validate.text of records with expected events) or a PETRARCH
 * validation XML (<Validation> with <Environment> naming dictionaries and
 * <Sentence> records with <EventCoding> expectations).  Each record's coded
 * events are compared as a set with the expected ones.
 *
 * The records are read by the TABARI and PETRARCH readers (read.h), which
 * put each record's expectations and options in its meta; a TABARI record
 * is a test when it states expectations and has a date, a PETRARCH
 * sentence always is.
 */
#ifndef KH_VALIDATE_H
#define KH_VALIDATE_H

#include "khaldun.h"

typedef struct kh_validate_result {
    long passed, failed;
} kh_validate_result;

/* Runs the suite at `path`, printing one line per failing record to `out`
 * (and, with `verbose`, the passing ones too).  Returns 0, or -1 when the
 * suite itself cannot be read. */
int kh_validate(const char *path, FILE *out, int verbose, int explain,
                kh_validate_result *result, kh_diag *diag);

#endif
