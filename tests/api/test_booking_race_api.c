/* API: the never-overbook invariant through the real server. 1,000 HTTP clients, all in
 * flight at once on one libcurl multi handle, each for a different resident, race for one
 * slot of capacity 10: exactly 10 get 201, the 990 others 409 slot_full, and the slot counter
 * and the bookings table both say 10. Then 50 concurrent retries of one request with one
 * idempotency key: one 201, 49 × 200 carrying the same booking, one row. */
#include "ylt_booking.h"
#include "ylt_multi.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { CLIENTS = 1000, CAPACITY = 10, RETRIES = 50 };

static struct ylt_server S;
static int64_t first_resident;

static int64_t new_slot(const char *dept_name)
{
	int64_t dept = yltb_department(&S.db, 1, dept_name);
	int64_t session = yltb_session(&S.db, dept, "2026-03-17", "08:00", "12:00");

	return yltb_slot(&S.db, session, "09:00", 30, CAPACITY, 0, 0);
}

static int setup(void **state)
{
	struct rlimit rl;
	(void)state;

	/* both ends of 1,000 connections live in this process */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ylt_server_start(&S);
	ylt_begin(&S.db);
	first_resident = yltb_residents(&S.db, CLIENTS);
	ylt_commit(&S.db);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	curl_global_cleanup();
	return 0;
}

static void test_thousand_clients_one_slot(void **state)
{
	static struct ylt_call calls[CLIENTS];
	int64_t slot = new_slot("抢号");
	struct timespec t0, t1;
	int created = 0, full = 0;
	(void)state;

	for (int i = 0; i < CLIENTS; i++)
		snprintf(calls[i].body, sizeof(calls[i].body), "{\"slot_id\":%lld,\"resident_id\":%lld}",
			 (long long)slot, (long long)(first_resident + i));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ylt_post_all(&S, "/api/v1/bookings", S.admin_token, calls, CLIENTS);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "# %d concurrent HTTP clients, capacity %d: %.2f s\n", CLIENTS, CAPACITY,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (int i = 0; i < CLIENTS; i++) {
		if (calls[i].status == 201)
			created++;
		else if (calls[i].status == 409 && strcmp(ylt_call_code(&calls[i]), "slot_full") == 0)
			full++;
		else
			fail_msg("client %d: %ld %s", i, calls[i].status, calls[i].resp);
	}
	assert_int_equal(created, CAPACITY);
	assert_int_equal(full, CLIENTS - CAPACITY);
	assert_int_equal(yltb_scalar(&S.db, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)slot), CAPACITY);
	assert_int_equal(yltb_scalar(&S.db, "SELECT count(*) FROM bookings WHERE slot_id = %lld",
				     (long long)slot), CAPACITY);
	ylt_calls_free(calls, CLIENTS);
}

static void test_retries_one_key(void **state)
{
	static struct ylt_call calls[RETRIES];
	int64_t slot = new_slot("重试"), id = 0;
	int created = 0, replayed = 0;
	(void)state;

	for (int i = 0; i < RETRIES; i++)
		snprintf(calls[i].body, sizeof(calls[i].body),
			 "{\"slot_id\":%lld,\"resident_id\":%lld,\"idempotency_key\":\"same-key\"}",
			 (long long)slot, (long long)first_resident);
	ylt_post_all(&S, "/api/v1/bookings", S.admin_token, calls, RETRIES);
	for (int i = 0; i < RETRIES; i++) {
		int64_t got = json_integer_value(json_object_get(calls[i].json, "id"));

		if (calls[i].status == 201)
			created++;
		else if (calls[i].status == 200)
			replayed++;
		else
			fail_msg("retry %d: %ld %s", i, calls[i].status, calls[i].resp);
		if (!id)
			id = got;
		assert_int_equal(got, id);
	}
	assert_int_equal(created, 1);
	assert_int_equal(replayed, RETRIES - 1);
	assert_int_equal(yltb_scalar(&S.db, "SELECT count(*) FROM bookings WHERE idempotency_key ="
				     " 'same-key'"), 1);
	assert_int_equal(yltb_scalar(&S.db, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)slot), 1);
	ylt_calls_free(calls, RETRIES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thousand_clients_one_slot),
		cmocka_unit_test(test_retries_one_key),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
