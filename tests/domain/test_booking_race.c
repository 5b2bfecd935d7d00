/* Domain: the never-overbook invariant under contention at library level. Threads, each with
 * its own connection to one database file, and then forked processes race 1,000 booking
 * transactions (BEGIN IMMEDIATE, yl_booking_create, COMMIT) for one slot: exactly its
 * capacity succeed, every other attempt is slot_full, and the slot counter and the bookings
 * table agree. A second race mixes the public and referral pools; a third retries one
 * idempotency key from every thread and must leave one booking. */
#include "ylt_booking.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "domain/booking.h"

enum { ATTEMPTS = 1000, THREADS = 20, PROCS = 4, CAPACITY = 10 };

static struct ylt_db T;
static int64_t first_resident;

struct worker {
	pthread_t thread;
	pthread_barrier_t *start;
	int64_t slot;
	int from, to;       /* residents first_resident + [from, to) */
	bool referral_odd;  /* odd attempts ask for the referral pool */
	const char *key;    /* every attempt with this key and resident `from` (idempotency) */
	int ok, full, replayed, other;
	char other_msg[300];
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Runs the worker's attempts on a connection of its own; no cmocka calls (also runs in
 * forked children). */
static void run_attempts(struct worker *w)
{
	struct yl_actor actor = {0, "system:race", YL_ROLE_ADMIN, 0, 0};
	struct yl_store *store;
	struct yl_diag diag;

	yl_diag_clear(&diag);
	if (yl_store_open(T.path, 0, &store, &diag)) {
		w->other = w->to - w->from;
		snprintf(w->other_msg, sizeof(w->other_msg), "open: %s", diag.message);
		return;
	}
	for (int i = w->from; i < w->to; i++) {
		struct yl_arena arena = YL_ARENA_INIT;
		struct yl_ctx ctx = {store, &T.clock, &arena, &diag, &actor, false, false, NULL};
		struct yl_booking_new in = {w->slot, first_resident + (w->key ? w->from : i),
					    YL_POOL_PUBLIC, w->key, false};
		struct yl_booking out;
		bool replayed = false;
		enum yl_err err;

		if (w->referral_odd && i % 2) {
			in.pool = YL_POOL_REFERRAL;
			in.referral = true;
		}
		yl_diag_clear(&diag);
		err = yl_store_begin(store, &diag);
		if (!err)
			err = yl_booking_create(&ctx, &in, &out, &replayed);
		if (!err)
			err = yl_store_commit(store, &diag);
		if (err)
			yl_store_rollback(store);
		if (!err && replayed)
			w->replayed++;
		else if (!err)
			w->ok++;
		else if (err == YL_ERR_SLOT_FULL)
			w->full++;
		else if (w->other++ == 0)
			snprintf(w->other_msg, sizeof(w->other_msg), "%s: %s", yl_err_code(err),
				 diag.message);
		yl_arena_release(&arena);
	}
	yl_store_close(store);
}

static void *thread_main(void *arg)
{
	struct worker *w = arg;

	pthread_barrier_wait(w->start);
	run_attempts(w);
	return NULL;
}

/* Races n workers as threads over ATTEMPTS attempts; sums their outcomes into *sum. */
static void race_threads(int64_t slot, bool referral_odd, const char *key, struct worker *sum)
{
	static struct worker w[THREADS];
	pthread_barrier_t start;

	memset(sum, 0, sizeof(*sum));
	pthread_barrier_init(&start, NULL, THREADS);
	for (int i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].start = &start;
		w[i].slot = slot;
		w[i].from = key ? 0 : i * (ATTEMPTS / THREADS);
		w[i].to = w[i].from + ATTEMPTS / THREADS;
		w[i].referral_odd = referral_odd;
		w[i].key = key;
		pthread_create(&w[i].thread, NULL, thread_main, &w[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].other)
			fail_msg("thread %d: %d unexpected, first %s", i, w[i].other, w[i].other_msg);
		sum->ok += w[i].ok;
		sum->full += w[i].full;
		sum->replayed += w[i].replayed;
	}
	pthread_barrier_destroy(&start);
}

static int64_t new_slot(const char *dept_name, int capacity, int quota_referral)
{
	int64_t dept = yltb_department(&T, 1, dept_name);
	int64_t session = yltb_session(&T, dept, "2026-03-17", "08:00", "12:00");

	return yltb_slot(&T, session, "09:00", 30, capacity, 0, quota_referral);
}

static int64_t slot_counter(int64_t slot, const char *column)
{
	return yltb_scalar(&T, "SELECT %s FROM slots WHERE id = %lld", column, (long long)slot);
}

static int64_t bookings_of(int64_t slot, const char *pool)
{
	return yltb_scalar(&T, "SELECT count(*) FROM bookings WHERE slot_id = %lld AND pool = '%s'",
			   (long long)slot, pool);
}

static int setup(void **state)
{
	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	first_resident = yltb_residents(&T, ATTEMPTS);
	ylt_commit(&T);
	return 0;
}

static void test_threads_one_slot(void **state)
{
	int64_t slot = new_slot("线程", CAPACITY, 0);
	struct timespec t0;
	struct worker sum;
	(void)state;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	race_threads(slot, false, NULL, &sum);
	fprintf(stderr, "# %d threads, %d attempts, capacity %d: %.2f s\n", THREADS, ATTEMPTS,
		CAPACITY, seconds_since(&t0));
	assert_int_equal(sum.ok, CAPACITY);
	assert_int_equal(sum.full, ATTEMPTS - CAPACITY);
	assert_int_equal(slot_counter(slot, "booked_public"), CAPACITY);
	assert_int_equal(bookings_of(slot, "public"), CAPACITY);
}

static void test_threads_two_pools(void **state)
{
	/* capacity 10 with 3 reserved for referrals: public may hold 7 */
	int64_t slot = new_slot("两池", CAPACITY, 3);
	struct worker sum;
	(void)state;

	race_threads(slot, true, NULL, &sum);
	assert_int_equal(sum.ok, CAPACITY);
	assert_int_equal(sum.full, ATTEMPTS - CAPACITY);
	assert_int_equal(slot_counter(slot, "booked_public"), 7);
	assert_int_equal(slot_counter(slot, "booked_referral"), 3);
	assert_int_equal(bookings_of(slot, "public"), 7);
	assert_int_equal(bookings_of(slot, "referral"), 3);
}

static void test_threads_one_key(void **state)
{
	int64_t slot = new_slot("幂等", CAPACITY, 0);
	struct worker sum;
	(void)state;

	race_threads(slot, false, "retry-1", &sum);
	assert_int_equal(sum.ok, 1);
	assert_int_equal(sum.replayed, ATTEMPTS - 1);
	assert_int_equal(bookings_of(slot, "public"), 1);
	assert_int_equal(slot_counter(slot, "booked_public"), 1);
}

static void test_processes_one_slot(void **state)
{
	int64_t slot = new_slot("进程", CAPACITY, 0);
	pid_t pids[PROCS];
	struct timespec t0;
	int ok = 0, go[2];
	(void)state;

	/* the children start together: each blocks reading `go` until the parent closes it */
	assert_int_equal(pipe(go), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int p = 0; p < PROCS; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (pids[p] == 0) {
			/* the child uses only a connection of its own, opened after the fork;
			 * its exit status is its number of bookings, or 100+ on a surprise */
			struct worker w = {0};
			char c;

			close(go[1]);
			if (read(go[0], &c, 1) != 0)
				_exit(101);
			w.slot = slot;
			w.from = p * (ATTEMPTS / PROCS);
			w.to = w.from + ATTEMPTS / PROCS;
			run_attempts(&w);
			if (w.other)
				fprintf(stderr, "process %d: %s\n", p, w.other_msg);
			_exit(w.other || w.ok + w.full != w.to - w.from ? 100 : w.ok);
		}
	}
	close(go[0]);
	close(go[1]);
	for (int p = 0; p < PROCS; p++) {
		int status;

		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) >= 100)
			fail_msg("process %d failed", p);
		ok += WEXITSTATUS(status);
	}
	fprintf(stderr, "# %d processes, %d attempts, capacity %d: %.2f s\n", PROCS, ATTEMPTS,
		CAPACITY, seconds_since(&t0));
	assert_int_equal(ok, CAPACITY);
	assert_int_equal(slot_counter(slot, "booked_public"), CAPACITY);
	assert_int_equal(bookings_of(slot, "public"), CAPACITY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_one_slot),
		cmocka_unit_test(test_threads_two_pools),
		cmocka_unit_test(test_threads_one_key),
		cmocka_unit_test(test_processes_one_slot),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
