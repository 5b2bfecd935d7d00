/* committer.c - the group-commit thread (see committer.h): a FIFO of jobs under one mutex and
 * one condition variable to wake the committer. Jobs live in their callers' storage; the queue
 * only links them. Each job is answered through its done callback after the batch, outside
 * the lock; yl_committer_run is submit plus a wait on a condition variable. A batch is BEGIN
 * IMMEDIATE, then per job SAVEPOINT / job / RELEASE (or ROLLBACK TO + RELEASE on error), then
 * one COMMIT. The lock is never held while SQL runs, so callers can queue the next batch
 * during the fsync.
 */
#include "api/committer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct yl_committer {
	struct yl_store *store;
	int batch_max;
	struct yl_commit_job **batch; /* batch_max entries, used by the committer thread only */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t queued;   /* signalled when a job is queued or stop is set */
	pthread_cond_t finished; /* broadcast when a yl_committer_run job is answered */
	struct yl_commit_job *head, *tail;
	bool stopping;
	bool joined; /* a drain has joined (or is joining) the thread */
	int64_t jobs, commits;
};

/* Answers every job of a batch whose transaction failed as a whole with the error in d. */
static void fail_all(struct yl_commit_job **batch, int n, enum yl_err err, const struct yl_diag *d)
{
	for (int i = 0; i < n; i++) {
		batch[i]->err = err;
		if (batch[i]->ctx.diag)
			*batch[i]->ctx.diag = *d;
	}
}

/* Runs one batch in one transaction; sets each job's err. */
static void run_batch(struct yl_committer *cm, struct yl_commit_job **batch, int n)
{
	struct yl_diag d;
	enum yl_err err;

	yl_diag_clear(&d);
	err = yl_store_begin(cm->store, &d);
	if (err) {
		fail_all(batch, n, err, &d);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct yl_commit_job *j = batch[i];

		if ((err = yl_store_savepoint(cm->store, "job", &d)))
			break;
		j->err = j->fn(&j->ctx, j->arg);
		if (j->err && j->ctx.diag->err == YL_OK)
			yl_diag_set(j->ctx.diag, j->err, NULL, "%s", yl_err_code(j->err));
		/* A failed job leaves nothing behind; the next one starts from the state the
		 * previous successes left, exactly as if each had its own transaction. */
		if (j->err && (err = yl_store_rollback_to(cm->store, "job", &d)))
			break;
		if ((err = yl_store_release(cm->store, "job", &d)))
			break;
	}
	if (!err)
		err = yl_store_commit(cm->store, &d); /* rolls back on failure */
	else
		yl_store_rollback(cm->store);
	if (err)
		fail_all(batch, n, err, &d);
}

static void *committer_main(void *arg)
{
	struct yl_committer *cm = arg;
	struct yl_commit_job **batch = cm->batch;

	pthread_mutex_lock(&cm->lock);
	for (;;) {
		int n = 0;

		while (!cm->head && !cm->stopping)
			pthread_cond_wait(&cm->queued, &cm->lock);
		if (!cm->head)
			break; /* stopping and drained */
		while (cm->head && n < cm->batch_max) {
			batch[n++] = cm->head;
			cm->head = cm->head->next;
		}
		if (!cm->head)
			cm->tail = NULL;
		pthread_mutex_unlock(&cm->lock);
		run_batch(cm, batch, n);
		pthread_mutex_lock(&cm->lock);
		cm->jobs += n;
		cm->commits++;
		pthread_mutex_unlock(&cm->lock);
		/* Answered outside the lock (a callback may take other locks, such as the HTTP
		 * server's); fn and arg are read first because a job may be freed once answered. */
		for (int i = 0; i < n; i++) {
			yl_commit_done_fn done = batch[i]->done;
			void *done_arg = batch[i]->done_arg;

			done(done_arg, batch[i]->err);
		}
		pthread_mutex_lock(&cm->lock);
	}
	pthread_mutex_unlock(&cm->lock);
	return NULL;
}

enum yl_err yl_committer_start(const char *db_path, int batch_max, struct yl_committer **out,
			       struct yl_diag *d)
{
	struct yl_committer *cm = calloc(1, sizeof(*cm));
	enum yl_err err;

	*out = NULL;
	if (!cm)
		return yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory");
	cm->batch_max = batch_max > 0 ? batch_max : YL_COMMITTER_BATCH_MAX;
	cm->batch = calloc((size_t)cm->batch_max, sizeof(*cm->batch));
	if (!cm->batch) {
		free(cm);
		return yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory");
	}
	err = yl_store_open(db_path, YL_STORE_DURABLE, &cm->store, d);
	if (err) {
		free(cm->batch);
		free(cm);
		return err;
	}
	pthread_mutex_init(&cm->lock, NULL);
	pthread_cond_init(&cm->queued, NULL);
	pthread_cond_init(&cm->finished, NULL);
	if (pthread_create(&cm->thread, NULL, committer_main, cm) != 0) {
		pthread_mutex_destroy(&cm->lock);
		pthread_cond_destroy(&cm->queued);
		pthread_cond_destroy(&cm->finished);
		yl_store_close(cm->store);
		free(cm->batch);
		free(cm);
		return yl_diag_set(d, YL_ERR_INTERNAL, NULL, "cannot start the committer thread");
	}
	*out = cm;
	return YL_OK;
}

enum yl_err yl_committer_submit(struct yl_committer *cm, struct yl_commit_job *j,
				const struct yl_ctx *c, yl_commit_fn fn, void *arg,
				yl_commit_done_fn done, void *done_arg)
{
	memset(j, 0, sizeof(*j));
	j->fn = fn;
	j->arg = arg;
	j->ctx = *c;
	j->ctx.store = cm->store;
	j->done = done;
	j->done_arg = done_arg;
	pthread_mutex_lock(&cm->lock);
	if (cm->stopping) {
		pthread_mutex_unlock(&cm->lock);
		return yl_diag_set(c->diag, YL_ERR_BUSY, NULL, "the server is stopping");
	}
	if (cm->tail)
		cm->tail->next = j;
	else
		cm->head = j;
	cm->tail = j;
	pthread_cond_signal(&cm->queued);
	pthread_mutex_unlock(&cm->lock);
	return YL_OK;
}

/* A yl_committer_run caller waiting on cm->finished. */
struct waiter {
	struct yl_committer *cm;
	enum yl_err err;
	bool done;
};

static void wake_waiter(void *arg, enum yl_err err)
{
	struct waiter *w = arg;
	struct yl_committer *cm = w->cm;

	pthread_mutex_lock(&cm->lock);
	w->err = err;
	w->done = true;
	pthread_cond_broadcast(&cm->finished);
	pthread_mutex_unlock(&cm->lock);
}

enum yl_err yl_committer_run(struct yl_committer *cm, const struct yl_ctx *c, yl_commit_fn fn,
			     void *arg)
{
	struct yl_commit_job j;
	struct waiter w = {cm, YL_OK, false};
	enum yl_err err = yl_committer_submit(cm, &j, c, fn, arg, wake_waiter, &w);

	if (err)
		return err;
	pthread_mutex_lock(&cm->lock);
	while (!w.done)
		pthread_cond_wait(&cm->finished, &cm->lock);
	pthread_mutex_unlock(&cm->lock);
	return w.err;
}

void yl_committer_stats(struct yl_committer *cm, int64_t *jobs, int64_t *commits)
{
	pthread_mutex_lock(&cm->lock);
	*jobs = cm->jobs;
	*commits = cm->commits;
	pthread_mutex_unlock(&cm->lock);
}

void yl_committer_drain(struct yl_committer *cm)
{
	bool join;

	if (!cm)
		return;
	pthread_mutex_lock(&cm->lock);
	cm->stopping = true;
	join = !cm->joined;
	cm->joined = true;
	pthread_cond_signal(&cm->queued);
	pthread_mutex_unlock(&cm->lock);
	if (join)
		pthread_join(cm->thread, NULL);
}

void yl_committer_stop(struct yl_committer *cm)
{
	if (!cm)
		return;
	yl_committer_drain(cm);
	pthread_mutex_destroy(&cm->lock);
	pthread_cond_destroy(&cm->queued);
	pthread_cond_destroy(&cm->finished);
	yl_store_close(cm->store);
	free(cm->batch);
	free(cm);
}
