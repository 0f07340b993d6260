/*
 * coded_pack.h -- a coded document as bytes and back, so that the ranks
 * of an MPI run (cluster.c) can hand their coded documents to the one
 * writer, and its one duplicate stage (dedup.h), on rank 0.
 *
 *     kh_buf b = {0};
 *     kh_pack_coded(&b, &doc, &coded);             // on the coding rank
 *     ... b.data, b.len travel ...
 *     kh_pack_strings strings;                     // on the writing rank
 *     kh_pack_strings_init(&strings);
 *     long used = kh_unpack_coded(data, len, &strings, &doc, &coded);
 *     kh_writer_write(w, &doc, &coded);            // as if coded here
 *     kh_doc_clear(&doc); kh_coded_doc_free(&coded);
 *     kh_writer_close(w);
 *     kh_pack_strings_free(&strings);              // after the writer
 *
 * A record holds what the writers read of a document and its sentences'
 * spans and events, nothing of their parses (CoNLL-U, which writes
 * parses and no events, is gathered formatted instead).  Numbers are
 * stored in the machine's own byte order: the ranks of one MPI job run
 * one khaldun binary on one architecture.
 *
 * An event's `pattern` and `dict_file` point into the dictionary, and
 * the duplicate stage keeps those pointers (dedup.h, "Strings"); the
 * unpacked copies point into a kh_pack_strings instead, which must
 * outlive the writer they are given to.
 */
#ifndef KH_CODED_PACK_H
#define KH_CODED_PACK_H

#include "khaldun.h"
#include "buf.h"
#include "strmap.h"

/* The distinct pattern texts and dictionary names of unpacked events. */
typedef struct kh_pack_strings {
    kh_strmap index;       /* string -> its position in `items` */
    char **items;
    size_t count, capacity;
} kh_pack_strings;

void kh_pack_strings_init(kh_pack_strings *s);
void kh_pack_strings_free(kh_pack_strings *s);

/* Appends the record of one coded document to out. */
void kh_pack_coded(kh_buf *out, const kh_doc *doc, const kh_coded_doc *coded);

/* Decodes the record at the start of data[0, len) into doc and coded
 * (both empty: kh_doc {0}, kh_coded_doc_init; the caller frees them with
 * kh_doc_clear and kh_coded_doc_free).  Returns the bytes the record
 * takes, 0 when data holds only part of it (nothing is filled), or -1
 * when the bytes are not a record. */
long kh_unpack_coded(const char *data, size_t len, kh_pack_strings *strings,
                     kh_doc *doc, kh_coded_doc *coded);

#endif
