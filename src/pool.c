/*
 * pool.c -- coding documents on several threads, delivered in order (see
 * "Coding on several threads" in khaldun.h).
 *
 * The pool is a ring of `window` slots, each holding one document and its
 * coded result, and three counters that only grow:
 *
 *     head <= next <= tail
 *
 * Slots [head, next) are being coded or done, [next, tail) are queued.
 * The caller's thread fills the slot at tail (submit) and empties the one
 * at head (deliver); a worker takes the slot at next, codes it with its
 * own pipeline, and marks it done.  Slot i is seq % window, so a slot is
 * only reused once it has been delivered, and delivery order is
 * submission order whatever order the workers finish in.
 *
 * `jobs` threads code: jobs - 1 workers and the caller's own.  The caller
 * reads and writes, and when the window is full, rather than sleep until
 * the workers catch up, it codes what is queued with a pipeline of its
 * own, as one more worker.  So reading and writing, a fifth of the work
 * on JSON lines and two fifths on PETRARCH XML, never leave a core idle
 * or a third thread contending for two cores: with a worker per job as
 * well as the caller, -j 2 on PETRARCH XML was no faster than -j 1.
 *
 * One mutex guards the counters and the done flags; two condition
 * variables wake workers (a slot was queued, or the pool stops) and the
 * caller (a slot was done).  The documents themselves are touched outside
 * the lock, by one thread at a time: the slot's state, changed under the
 * lock, says whose it is.  Nobody spins.
 *
 * Diagnostics: each worker's pipeline (the caller's too, when there are
 * workers) reports into the worker's own kh_diag, whose sink records the
 * message in the slot being coded; the
 * caller replays a slot's messages into the pool's diag just before
 * delivering it.  Per-document records rather than a mutex around one
 * shared diag, because they keep the messages in input order (the same
 * output as -j 1) and leave the caller's sink single-threaded.
 */
#include "khaldun.h"
#include "kh_limits.h"
#include "pipeline.h"
#include "util.h"
#include "vec.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


typedef struct pool_message {
    kh_severity sev;
    char *file;
    long line;
    char *text;
} pool_message;

typedef KH_VEC(pool_message) pool_messages;

typedef struct pool_slot {
    kh_doc doc;
    kh_coded_doc coded;
    pool_messages messages;   /* the workers' diagnostics for this doc */
    int done;                 /* coded; under the pool's lock */
} pool_slot;

typedef struct pool_worker {
    kh_pool *pool;
    kh_pipeline *pipeline;
    kh_diag diag;             /* sink: record into `slot` */
    pool_slot *slot;          /* the slot being coded */
    pthread_t thread;
} pool_worker;

struct kh_pool {
    kh_pool_deliver deliver;
    void *ctx;
    kh_diag *diag;            /* where recorded messages are reported */
    kh_diag default_diag;     /* when the options name none */
    pool_worker caller;       /* the caller's own pipeline: codes every
                                 document inline when there are no
                                 threads, else whatever is queued while
                                 the caller would otherwise wait */
    int inline_only;          /* no threads: coded on submit */
    kh_gazetteer *gazetteer;  /* read-only, shared by every pipeline */

    pool_worker *workers;
    int threads;              /* workers running */
    pool_slot *slots;
    size_t window;
    size_t head, next, tail;  /* see the top of the file */
    size_t text_bytes;        /* of the documents in [head, tail); the
                                 caller's alone */
    size_t wanted;            /* the caller sleeps until [head, wanted)
                                 are all done; 0: it is not waiting */
    int closing;              /* workers exit once the queue is empty */
    int aborting;             /* ... or at once */
    int stopped;              /* the callback asked to stop */
    int finished;

    pthread_mutex_t lock;
    pthread_cond_t queued;    /* a slot was queued, or closing */
    pthread_cond_t coded;     /* a slot was done */
};

/* ---- diagnostics ---- */

static void record_message(void *ctx, kh_severity sev, const char *file, long line,
                           const char *message)
{
    pool_worker *w = ctx;
    pool_message *m = KH_VEC_PUSH(&w->slot->messages);
    m->sev = sev;
    m->file = file ? kh_xstrdup(file) : NULL;
    m->line = line;
    m->text = kh_xstrdup(message);
}

static void clear_messages(pool_messages *messages)
{
    for (size_t i = 0; i < messages->count; i++) {
        free(messages->items[i].file);
        free(messages->items[i].text);
    }
    messages->count = 0;
}

static void replay_messages(kh_pool *p, pool_messages *messages)
{
    for (size_t i = 0; i < messages->count; i++) {
        const pool_message *m = &messages->items[i];
        kh_diag_report(p->diag, m->sev, m->file, m->line, "%s", m->text);
    }
    clear_messages(messages);
}

/* ---- workers ---- */

/* Whether slots [from, to) are all done; under the lock. */
static int all_done(const kh_pool *p, size_t from, size_t to)
{
    for (size_t seq = from; seq < to; seq++)
        if (!p->slots[seq % p->window].done)
            return 0;
    return 1;
}

/* Codes the slot at `next` with w's pipeline, on the calling thread.
 * Called and returns under the lock, which it drops while coding. */
static void code_next(kh_pool *p, pool_worker *w)
{
    size_t seq = p->next++;
    pool_slot *s = &p->slots[seq % p->window];
    pthread_mutex_unlock(&p->lock);
    w->slot = s;
    kh_pipeline_code(w->pipeline, &s->doc, &s->coded);
    pthread_mutex_lock(&p->lock);
    s->done = 1;
    if (seq < p->wanted && all_done(p, p->head, p->wanted))
        pthread_cond_signal(&p->coded);
}

static void *work(void *arg)
{
    pool_worker *w = arg;
    kh_pool *p = w->pool;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->next == p->tail && !p->closing)
            pthread_cond_wait(&p->queued, &p->lock);
        if (p->aborting || p->next == p->tail)
            break;
        code_next(p, w);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static int online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n < KH_MAX_JOBS ? n : KH_MAX_JOBS) : 1;
}

/* Gives w its own pipeline, reporting into w's diag, which records each
 * message in the slot w is coding. */
static void init_worker(kh_pool *p, pool_worker *w, const kh_dict *dict,
                        const kh_pipeline_options *po)
{
    w->pool = p;
    kh_diag_init(&w->diag);
    w->diag.sink = record_message;
    w->diag.ctx = w;
    kh_pipeline_options own = *po;
    own.diag = &w->diag;
    w->pipeline = kh_pipeline_new_sharing(dict, &own, p->gazetteer);
}

/* Starts up to `jobs` workers; the pool runs on as many as started. */
static void start_workers(kh_pool *p, const kh_dict *dict, const kh_pipeline_options *po,
                          int jobs)
{
    p->workers = kh_xcalloc((size_t)jobs, sizeof *p->workers);
    for (int i = 0; i < jobs; i++) {
        pool_worker *w = &p->workers[i];
        init_worker(p, w, dict, po);
        if (pthread_create(&w->thread, NULL, work, w) != 0) {
            kh_pipeline_free(w->pipeline);
            break;
        }
        p->threads++;
    }
}

kh_pool *kh_pool_new(const kh_dict *dict, const kh_pipeline_options *options, int jobs,
                     kh_pool_deliver deliver, void *ctx)
{
    kh_pool *p = kh_xcalloc(1, sizeof *p);
    kh_pipeline_options po;
    if (options)
        po = *options;
    else
        kh_pipeline_options_default(&po);
    p->deliver = deliver;
    p->ctx = ctx;
    kh_diag_init(&p->default_diag);
    p->diag = po.diag ? po.diag : &p->default_diag;
    po.diag = p->diag;
    if (jobs <= 0)
        jobs = online_cores();
    if (jobs > KH_MAX_JOBS)
        jobs = KH_MAX_JOBS;
    if (po.explain)
        jobs = 1;
    p->window = jobs > 1 ? (size_t)jobs * KH_POOL_WINDOW_PER_JOB : 1;
    p->slots = kh_xcalloc(p->window, sizeof *p->slots);
    for (size_t i = 0; i < p->window; i++)
        kh_coded_doc_init(&p->slots[i].coded);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->queued, NULL);
    pthread_cond_init(&p->coded, NULL);
    /* Building the gazetteer's index costs about what coding 150
     * sentences does: once for the pool, not once a worker. */
    p->gazetteer = kh_gazetteer_new();
    if (jobs > 1)
        start_workers(p, dict, &po, jobs - 1);    /* the caller is the last */
    p->inline_only = p->threads == 0;
    if (p->inline_only)
        p->caller.pipeline = kh_pipeline_new_sharing(dict, &po, p->gazetteer);
    else
        init_worker(p, &p->caller, dict, &po);
    return p;
}

int kh_pool_threads(const kh_pool *pool)
{
    return pool->threads ? pool->threads + 1 : 0;
}

/* ---- delivery, on the caller's thread ---- */

/* Hands the slot to the callback and empties it for reuse. */
static void deliver_slot(kh_pool *p, pool_slot *s)
{
    replay_messages(p, &s->messages);
    if (!p->stopped && p->deliver && p->deliver(p->ctx, &s->doc, &s->coded) != 0)
        p->stopped = 1;
    kh_doc_clear(&s->doc);
}

/* Delivers the documents at the head that are done; with `wait`, first
 * waits until a refill's worth of them is (the caller needs free slots,
 * or is finishing).  Waiting for several rather than for the head alone
 * is what keeps two threads from trading the CPU once per document: the
 * caller codes queued documents itself (sleeping only when none is
 * queued) until half the documents in flight are done, then delivers and
 * reads that many while the workers code the other half.
 * Stops at the first not done, or once the pool stopped. */
static void deliver_done(kh_pool *p, int wait)
{
    pthread_mutex_lock(&p->lock);
    if (wait && !p->stopped) {
        p->wanted = p->head + (p->tail - p->head + 1) / 2;
        while (!all_done(p, p->head, p->wanted)) {
            if (p->next != p->tail)
                code_next(p, &p->caller);
            else
                pthread_cond_wait(&p->coded, &p->lock);
        }
        p->wanted = 0;
    }
    while (p->head != p->tail && !p->stopped) {
        pool_slot *s = &p->slots[p->head % p->window];
        if (!s->done)
            break;
        pthread_mutex_unlock(&p->lock);
        p->text_bytes -= s->doc.len;
        deliver_slot(p, s);
        pthread_mutex_lock(&p->lock);
        s->done = 0;
        p->head++;
    }
    pthread_mutex_unlock(&p->lock);
}

/* Whether the caller must wait before it queues another document: every
 * slot is taken, or the documents in flight already hold
 * KH_POOL_MAX_TEXT_BYTES of text (a run of huge documents must not
 * multiply the memory by the window). */
static int window_full(const kh_pool *p)
{
    return p->tail - p->head == p->window ||
           (p->tail != p->head && p->text_bytes >= KH_POOL_MAX_TEXT_BYTES);
}

static int code_inline(kh_pool *p, kh_doc *doc)
{
    pool_slot *s = &p->slots[0];
    s->doc = *doc;
    memset(doc, 0, sizeof *doc);
    kh_pipeline_code(p->caller.pipeline, &s->doc, &s->coded);
    deliver_slot(p, s);
    return p->stopped ? -1 : 0;
}

int kh_pool_submit(kh_pool *p, kh_doc *doc)
{
    if (p->stopped || p->finished) {
        kh_doc_clear(doc);
        return -1;
    }
    if (p->inline_only)
        return code_inline(p, doc);
    deliver_done(p, 0);
    if (window_full(p))
        deliver_done(p, 1);
    if (p->stopped) {
        kh_doc_clear(doc);
        return -1;
    }
    /* The slot at tail is free: delivered, or never used. */
    pool_slot *s = &p->slots[p->tail % p->window];
    s->doc = *doc;
    memset(doc, 0, sizeof *doc);
    p->text_bytes += s->doc.len;
    pthread_mutex_lock(&p->lock);
    p->tail++;
    pthread_cond_signal(&p->queued);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

/* Tells the workers to exit (at once, with `abort`) and joins them. */
static void stop_workers(kh_pool *p, int abort)
{
    pthread_mutex_lock(&p->lock);
    p->closing = 1;
    p->aborting = abort;
    pthread_cond_broadcast(&p->queued);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->threads; i++) {
        pthread_join(p->workers[i].thread, NULL);
        kh_pipeline_free(p->workers[i].pipeline);
    }
    p->threads = 0;
}

int kh_pool_finish(kh_pool *p)
{
    if (!p->finished) {
        while (p->head != p->tail && !p->stopped)
            deliver_done(p, 1);
        stop_workers(p, p->stopped);
        p->finished = 1;
    }
    return p->stopped ? -1 : 0;
}

void kh_pool_free(kh_pool *p)
{
    if (!p)
        return;
    stop_workers(p, 1);
    for (size_t i = 0; i < p->window; i++) {
        kh_doc_clear(&p->slots[i].doc);
        kh_coded_doc_free(&p->slots[i].coded);
        clear_messages(&p->slots[i].messages);
        KH_VEC_FREE(&p->slots[i].messages);
    }
    kh_pipeline_free(p->caller.pipeline);
    kh_gazetteer_free(p->gazetteer);    /* after every pipeline using it */
    pthread_cond_destroy(&p->queued);
    pthread_cond_destroy(&p->coded);
    pthread_mutex_destroy(&p->lock);
    free(p->slots);
    free(p->workers);
    free(p);
}
