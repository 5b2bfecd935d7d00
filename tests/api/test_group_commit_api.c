/* API: group commit of bookings. 200 booking requests in flight at once, a mix that must
 * partly fail (a slot of capacity 10 wanted by 100 residents, 30 residents booking twice in
 * one department and day, 20 asking for a pool they may not use, 20 retries of one
 * idempotency key), get each its own answer: the failures never fail or lose a success, and
 * the server shows that bookings did share commits. Then a 201 is read back at once from a
 * separate connection: the answer went out after the commit. */
#include "ylt_booking.h"
#include "ylt_multi.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

enum { FULL_N = 100, CAPACITY = 10, DUP_N = 30, POOL_N = 20, KEY_N = 20,
       TOTAL = FULL_N + 2 * DUP_N + POOL_N + KEY_N };

static struct ylt_server S;
static int64_t first_resident;

static int64_t new_slot(int64_t dept, const char *hhmm, int capacity)
{
	int64_t session = yltb_session(&S.db, dept, "2026-03-17", "08:00", "12:00");

	return yltb_slot(&S.db, session, hhmm, 30, capacity, 0, 0);
}

static int setup(void **state)
{
	struct rlimit rl;
	(void)state;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ylt_server_start(&S);
	ylt_begin(&S.db);
	first_resident = yltb_residents(&S.db, TOTAL + 1);
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

static void test_mixed_batch_each_own_answer(void **state)
{
	static struct ylt_call calls[TOTAL];
	int64_t dept_full, dept_dup, dept_pool, dept_key, full, dup1, dup2, pool, key;
	int64_t r = first_resident, jobs0, commits0, jobs, commits, key_id = 0;
	int n = 0, created_full = 0, slot_full = 0, created_dup = 0, duplicate = 0, refused = 0;
	int created_key = 0, replayed = 0;
	(void)state;

	ylt_begin(&S.db);
	dept_full = yltb_department(&S.db, 1, "满号");
	dept_dup = yltb_department(&S.db, 1, "重复");
	dept_pool = yltb_department(&S.db, 1, "号池");
	dept_key = yltb_department(&S.db, 1, "幂等");
	full = new_slot(dept_full, "09:00", CAPACITY);
	dup1 = new_slot(dept_dup, "09:00", 100);
	dup2 = new_slot(dept_dup, "09:30", 100);
	pool = new_slot(dept_pool, "09:00", 100);
	key = new_slot(dept_key, "09:00", 100);
	ylt_commit(&S.db);
	/* interleaved so that every batch mixes failures and successes */
	for (int i = 0; i < FULL_N; i++) {
		snprintf(calls[n++].body, sizeof(calls[0].body),
			 "{\"slot_id\":%lld,\"resident_id\":%lld}", (long long)full, (long long)r++);
		if (i < DUP_N) {
			snprintf(calls[n++].body, sizeof(calls[0].body),
				 "{\"slot_id\":%lld,\"resident_id\":%lld}", (long long)dup1,
				 (long long)r);
			snprintf(calls[n++].body, sizeof(calls[0].body),
				 "{\"slot_id\":%lld,\"resident_id\":%lld}", (long long)dup2,
				 (long long)r++);
		}
		if (i < POOL_N)
			snprintf(calls[n++].body, sizeof(calls[0].body),
				 "{\"slot_id\":%lld,\"resident_id\":%lld,\"pool\":\"family_doctor\"}",
				 (long long)pool, (long long)r++);
		if (i < KEY_N)
			snprintf(calls[n++].body, sizeof(calls[0].body),
				 "{\"slot_id\":%lld,\"resident_id\":%lld,\"idempotency_key\":\"gc\"}",
				 (long long)key, (long long)first_resident + TOTAL);
	}
	assert_int_equal(n, TOTAL);
	yl_server_commit_stats(S.srv, &jobs0, &commits0);
	ylt_post_all(&S, "/api/v1/bookings", S.admin_token, calls, TOTAL);
	yl_server_commit_stats(S.srv, &jobs, &commits);
	for (int i = 0; i < TOTAL; i++) {
		const struct ylt_call *c = &calls[i];
		int64_t slot = json_integer_value(json_object_get(json_object_get(c->json, "error") ?
								  NULL : c->json, "slot_id"));

		if (c->status == 201 && slot == full)
			created_full++;
		else if (c->status == 409 && strcmp(ylt_call_code(c), "slot_full") == 0)
			slot_full++;
		else if (c->status == 201 && (slot == dup1 || slot == dup2))
			created_dup++;
		else if (c->status == 409 && strcmp(ylt_call_code(c), "duplicate_booking") == 0)
			duplicate++;
		else if (c->status == 403 && strcmp(ylt_call_code(c), "pool_not_allowed") == 0)
			refused++;
		else if ((c->status == 201 || c->status == 200) && slot == key) {
			int64_t id = json_integer_value(json_object_get(c->json, "id"));
			if (c->status == 201)
				created_key++;
			else
				replayed++;
			if (!key_id)
				key_id = id;
			assert_int_equal(id, key_id);
		} else {
			fail_msg("request %d (%s): %ld %s", i, c->body, c->status, c->resp);
		}
	}
	assert_int_equal(created_full, CAPACITY);
	assert_int_equal(slot_full, FULL_N - CAPACITY);
	assert_int_equal(created_dup, DUP_N);
	assert_int_equal(duplicate, DUP_N);
	assert_int_equal(refused, POOL_N);
	assert_int_equal(created_key, 1);
	assert_int_equal(replayed, KEY_N - 1);
	/* the database agrees with the answers */
	assert_int_equal(yltb_scalar(&S.db, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)full), CAPACITY);
	assert_int_equal(yltb_scalar(&S.db, "SELECT count(*) FROM bookings WHERE slot_id = %lld",
				     (long long)full), CAPACITY);
	assert_int_equal(yltb_scalar(&S.db, "SELECT count(*) FROM bookings WHERE slot_id IN"
				     " (%lld, %lld)", (long long)dup1, (long long)dup2), DUP_N);
	assert_int_equal(yltb_scalar(&S.db, "SELECT sum(booked_public) FROM slots WHERE id IN"
				     " (%lld, %lld)", (long long)dup1, (long long)dup2), DUP_N);
	assert_int_equal(yltb_scalar(&S.db, "SELECT count(*) FROM bookings WHERE slot_id = %lld",
				     (long long)pool), 0);
	assert_int_equal(yltb_scalar(&S.db, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)pool), 0);
	assert_int_equal(yltb_scalar(&S.db, "SELECT count(*) FROM bookings WHERE slot_id = %lld",
				     (long long)key), 1);
	assert_int_equal(yltb_scalar(&S.db, "SELECT count(*) FROM audit_log WHERE action = 'book'"
				     " AND entity_id IN (SELECT CAST(id AS TEXT) FROM bookings WHERE slot_id IN"
				     " (%lld, %lld, %lld, %lld))", (long long)full, (long long)dup1,
				     (long long)dup2, (long long)key), CAPACITY + DUP_N + 1);
	/* every request went through the committer, and commits were shared */
	fprintf(stderr, "# %d bookings in %lld commits\n", TOTAL, (long long)(commits - commits0));
	assert_int_equal(jobs - jobs0, TOTAL);
	assert_true(commits - commits0 < jobs - jobs0);
	for (int i = 0; i < TOTAL; i++) {
		free(calls[i].resp);
		json_decref(calls[i].json);
	}
}

static void test_answered_booking_is_committed(void **state)
{
	struct yl_store *other;
	struct yl_stmt *st;
	struct yl_diag d;
	int64_t dept, slot, id;
	char body[128];
	bool row;
	(void)state;

	ylt_begin(&S.db);
	dept = yltb_department(&S.db, 1, "落盘");
	slot = new_slot(dept, "10:00", 5);
	ylt_commit(&S.db);
	snprintf(body, sizeof(body), "{\"slot_id\":%lld,\"resident_id\":%lld}", (long long)slot,
		 (long long)first_resident);
	struct ylt_resp resp = ylt_http(&S, "POST", "/api/v1/bookings", S.admin_token, body);
	assert_int_equal(resp.status, 201);
	id = ylt_json_int(&resp, "id");
	/* a connection opened after the answer sees the booking: it was committed first */
	yl_diag_clear(&d);
	assert_int_equal(yl_store_open(S.db.path, YL_STORE_READONLY, &other, &d), YL_OK);
	assert_int_equal(yl_store_prepare(other, "SELECT slot_id FROM bookings WHERE id = ?", &st,
					  &d), YL_OK);
	yl_stmt_bind_int(st, 1, id);
	assert_int_equal(yl_stmt_step(st, &row, &d), YL_OK);
	assert_true(row);
	assert_int_equal(yl_stmt_int(st, 0), slot);
	yl_stmt_reset(st);
	yl_store_close(other);
	ylt_resp_free(&resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mixed_batch_each_own_answer),
		cmocka_unit_test(test_answered_booking_is_committed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
