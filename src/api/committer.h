/* committer.h - group commit: one thread with its own durable store connection runs the
 * write jobs that server threads hand it, many to a transaction, and answers each with its own
 * result once the shared COMMIT (one fsync) is done.
 *
 * Each job runs inside a savepoint of the shared transaction: a job that fails is rolled back
 * to its savepoint and answered with its own error while the others of its batch go on; a job
 * that succeeds is answered only after the COMMIT that made it durable. The committer knows
 * nothing about bookings: a job is a function of a domain context.
 */
#ifndef YL_API_COMMITTER_H
#define YL_API_COMMITTER_H

#include "domain/ctx.h"

enum { YL_COMMITTER_BATCH_MAX = 256 };

struct yl_committer;

/* A job: does its writes through c->store (inside the committer's transaction, never
 * committing) and returns YL_OK or an error with details in c->diag. */
typedef enum yl_err (*yl_commit_fn)(const struct yl_ctx *c, void *arg);

/* Opens a durable connection to db_path (YL_STORE_DURABLE) and starts the committer thread.
 * batch_max jobs at most share a commit (0: YL_COMMITTER_BATCH_MAX). *out is caller-frees (yl_committer_stop). Errors: those of
 * yl_store_open, YL_ERR_NOMEM, YL_ERR_INTERNAL when the thread cannot start. */
enum yl_err yl_committer_start(const char *db_path, int batch_max, struct yl_committer **out,
			       struct yl_diag *d);

/* Called on the committer thread once job's transaction has committed (err YL_OK: the job's
 * writes are on disk) or failed (err as yl_committer_run describes). The committer does not
 * touch the job after the call, so the callback may hand it back to a thread that frees it. It
 * must not block for long: the next batch waits for it. */
typedef void (*yl_commit_done_fn)(void *done_arg, enum yl_err err);

/* A queued job. The fields are the committer's; callers only provide the storage, which must
 * stay alive and unmoved from yl_committer_submit until its done callback has been called. */
struct yl_commit_job {
	yl_commit_fn fn;
	void *arg;
	struct yl_ctx ctx; /* the caller's, with the committer's store */
	enum yl_err err;
	yl_commit_done_fn done;
	void *done_arg;
	struct yl_commit_job *next;
};

/* Queues fn(ctx', arg) to run on the committer thread, where ctx' is c with the committer's
 * store, and returns at once; done(done_arg, err) is called on the committer thread after the
 * transaction holding it has committed or failed. c's arena, diag and actor are used by the
 * committer thread until done is called, so the caller must not touch them meanwhile; c->store
 * is not used. j is the caller's storage for the job (see struct yl_commit_job). Returns YL_OK,
 * or YL_ERR_BUSY (diag set) after yl_committer_stop has begun, in which case done is never
 * called and nothing runs. Thread-safe. */
enum yl_err yl_committer_submit(struct yl_committer *cm, struct yl_commit_job *j,
				const struct yl_ctx *c, yl_commit_fn fn, void *arg,
				yl_commit_done_fn done, void *done_arg);

/* Runs fn(ctx', arg) as yl_committer_submit does and blocks until the transaction holding it
 * has committed (or failed). Returns fn's error (the diag says why; nothing of this job was
 * written), or the COMMIT's error for every job of a batch whose COMMIT failed (nothing of the
 * batch was written), or YL_OK: the job's writes are on disk. Thread-safe. After
 * yl_committer_stop has begun, answers YL_ERR_BUSY without running fn. */
enum yl_err yl_committer_run(struct yl_committer *cm, const struct yl_ctx *c, yl_commit_fn fn,
			     void *arg);

/* Counters since start, for benches and tests: jobs run and commits made. Thread-safe. */
void yl_committer_stats(struct yl_committer *cm, int64_t *jobs, int64_t *commits);

/* Refuses new jobs (YL_ERR_BUSY), finishes the jobs already queued (their done callbacks
 * included) and stops the thread; cm stays valid for submit (which answers busy) and stats.
 * Idempotent. NULL is a no-op. */
void yl_committer_drain(struct yl_committer *cm);

/* Drains (yl_committer_drain), closes the connection and frees cm. No caller may use cm
 * afterwards. NULL is a no-op. */
void yl_committer_stop(struct yl_committer *cm);

#endif
