/* API: referrals through a real server and HTTP client - request, accept with a referral-pool
 * booking, arrive, complete and the history; a full referral pool refusing an accept; expiry
 * by moving the server's pinned clock; a down-referral defaulting to the family-doctor
 * institution with its care plan (acknowledge, done, overdue list); roles and JSON shapes. */
#include "ylt_booking.h"

#include <stdio.h>
#include <string.h>

static struct ylt_server S;
static int64_t dept1, r1, r2, slot_a, slot_b;
static char doc1[80], doc3[80], doc4[80];

/* Creates a user through the API and copies its token into out (80 bytes). */
static void user(const char *body, char *out)
{
	struct ylt_resp r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, body);
	const char *tok;

	assert_int_equal(r.status, 201);
	tok = json_string_value(json_object_get(r.json, "token"));
	assert_non_null(tok);
	snprintf(out, 80, "%s", tok);
	ylt_resp_free(&r);
}

static int setup(void **state)
{
	int64_t p3, team;
	(void)state;
	ylt_server_start(&S);
	yltb_exec(&S.db, "INSERT INTO consortia(code, name, kind, lead_institution_id, created_at)"
		  " VALUES ('C1', 'c1', 'county_community', 1, 0)");
	yltb_exec(&S.db, "INSERT INTO consortium_members(consortium_id, institution_id, joined_on,"
		  " created_at) VALUES (1, 1, '2026-01-01', 0), (1, 2, '2026-01-01', 0),"
		  " (1, 3, '2026-01-01', 0)");
	dept1 = yltb_department(&S.db, 1, "内科");
	r1 = yltb_residents(&S.db, 2);
	r2 = r1 + 1;
	yltb_exec(&S.db, "INSERT INTO practitioners(name, title, general_practitioner,"
		  " institution_id, created_at) VALUES ('gp', 'attending_physician', 1, 3, 0)");
	p3 = yltb_scalar(&S.db, "SELECT max(id) FROM practitioners");
	yltb_exec(&S.db, "INSERT INTO teams(name, institution_id, leader_id, capacity, created_at)"
		  " VALUES ('t', 3, %lld, 10, 0)", (long long)p3);
	team = yltb_scalar(&S.db, "SELECT max(id) FROM teams");
	yltb_exec(&S.db, "INSERT INTO contracts(resident_id, team_id, secondary_id, tertiary_id,"
		  " start_date, end_date, status, created_at, updated_at) VALUES (%lld, %lld, 2, 1,"
		  " '2026-01-01', '2026-12-31', 'active', 0, 0)", (long long)r1, (long long)team);
	slot_a = yltb_slot(&S.db, yltb_session(&S.db, dept1, "2026-03-20", "08:00", "12:00"),
			   "09:00", 30, 4, 0, 1);
	slot_b = yltb_slot(&S.db, yltb_session(&S.db, dept1, "2026-03-21", "08:00", "12:00"),
			   "09:00", 30, 4, 0, 1);
	user("{\"username\":\"doc1\",\"role\":\"doctor\",\"institution_id\":1}", doc1);
	user("{\"username\":\"doc3\",\"role\":\"doctor\",\"institution_id\":3}", doc3);
	user("{\"username\":\"doc4\",\"role\":\"doctor\",\"institution_id\":4}", doc4);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	return 0;
}

static struct ylt_resp post(const char *path, const char *token, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct ylt_resp post(const char *path, const char *token, const char *fmt, ...)
{
	char body[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	return ylt_http(&S, "POST", path, token, body);
}

static void expect(struct ylt_resp *r, long status, const char *code)
{
	if (r->status != status)
		fail_msg("expected %ld, got %ld: %s", status, r->status, r->body);
	if (code)
		assert_string_equal(ylt_err_code(r), code);
	ylt_resp_free(r);
}

static const char *str(const struct ylt_resp *r, const char *key)
{
	const char *s = json_string_value(json_object_get(r->json, key));
	return s ? s : "(null)";
}

static int64_t up_referral(int64_t resident)
{
	struct ylt_resp r = post("/api/v1/referrals", doc3,
				 "{\"direction\":\"up\",\"care_type\":\"outpatient\",\"resident_id\":%lld,"
				 "\"from_institution_id\":3,\"to_institution_id\":1,"
				 "\"to_department_id\":%lld,\"diagnosis_code\":\"E11.900\","
				 "\"reason\":\"糖尿病控制不佳\"}", (long long)resident, (long long)dept1);
	int64_t id;

	if (r.status != 201)
		fail_msg("create: %ld %s", r.status, r.body);
	id = ylt_json_int(&r, "id");
	ylt_resp_free(&r);
	return id;
}

static char *path(const char *fmt, int64_t id)
{
	static char p[128];

	snprintf(p, sizeof(p), fmt, (long long)id);
	return p;
}

static void test_up_lifecycle(void **state)
{
	struct ylt_resp r;
	json_t *h;
	int64_t id = up_referral(r1);
	(void)state;

	r = ylt_http(&S, "GET", path("/api/v1/referrals/%lld", id), doc1, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "status"), "requested");
	assert_string_equal(str(&r, "direction"), "up");
	assert_string_equal(str(&r, "expires_at"), "2026-03-17T02:00:00Z");
	assert_true(json_is_false(json_object_get(r.json, "outside_consortium")));
	h = json_object_get(r.json, "history");
	assert_int_equal(json_array_size(h), 1);
	assert_true(json_is_null(json_object_get(json_array_get(h, 0), "from_status")));
	ylt_resp_free(&r);

	r = post(path("/api/v1/referrals/%lld/accept", id), doc3, "{\"slot_id\":%lld}",
		 (long long)slot_a);
	expect(&r, 403, "forbidden");
	r = post(path("/api/v1/referrals/%lld/accept", id), doc1, "{}");
	expect(&r, 422, "missing_field");
	r = ylt_http(&S, "POST", path("/api/v1/referrals/%lld/accept", id), doc1, NULL);
	expect(&r, 422, "missing_field");
	r = post(path("/api/v1/referrals/%lld/arrive", id), doc1, "{}");
	expect(&r, 409, "conflict");
	r = post(path("/api/v1/referrals/%lld/accept", id), doc1, "{\"slot_id\":%lld}",
		 (long long)slot_a);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "status"), "accepted");
	assert_true(ylt_json_int(&r, "booking_id") > 0);
	ylt_resp_free(&r);
	assert_int_equal(yltb_scalar(&S.db, "SELECT count(*) FROM bookings WHERE pool = 'referral'"
				     " AND resident_id = %lld", (long long)r1), 1);
	r = post(path("/api/v1/referrals/%lld/accept", id), doc1, "{\"slot_id\":%lld}",
		 (long long)slot_b);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "cannot accept an accepted referral"));
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", path("/api/v1/referrals/%lld/arrive", id), doc1, NULL);
	expect(&r, 200, NULL);
	r = post(path("/api/v1/referrals/%lld/complete", id), doc1, "{}");
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "status"), "completed");
	assert_int_equal(json_array_size(json_object_get(r.json, "history")), 4);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/referrals?status=completed&to_institution_id=1", doc3, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
}

static void test_full_pool_refuses_accept(void **state)
{
	struct ylt_resp r;
	int64_t a = up_referral(r2), b = up_referral(r1);
	int64_t bookings, events;
	(void)state;

	r = post(path("/api/v1/referrals/%lld/accept", a), doc1, "{\"slot_id\":%lld}",
		 (long long)slot_b);
	expect(&r, 200, NULL);
	bookings = ylt_count(&S.db, "bookings");
	events = ylt_count(&S.db, "referral_events");
	r = post(path("/api/v1/referrals/%lld/accept", b), doc1, "{\"slot_id\":%lld}",
		 (long long)slot_b);
	expect(&r, 409, "slot_full");
	assert_int_equal(ylt_count(&S.db, "bookings"), bookings);
	assert_int_equal(ylt_count(&S.db, "referral_events"), events);
	r = ylt_http(&S, "GET", path("/api/v1/referrals/%lld", b), doc1, NULL);
	assert_string_equal(str(&r, "status"), "requested");
	ylt_resp_free(&r);
	r = post(path("/api/v1/referrals/%lld/reject", b), doc1, "{\"reason\":\"号源已满\"}");
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "status"), "rejected");
	assert_string_equal(str(&r, "status_reason"), "号源已满");
	ylt_resp_free(&r);
}

static void test_expiry(void **state)
{
	struct ylt_resp r;
	int64_t id = up_referral(r2);
	(void)state;

	yl_clock_fixed(&S.db.clock, YLT_NOW + 48 * 3600);
	r = ylt_http(&S, "GET", path("/api/v1/referrals/%lld", id), doc1, NULL);
	assert_string_equal(str(&r, "status"), "expired");
	ylt_resp_free(&r);
	r = post(path("/api/v1/referrals/%lld/accept", id), doc1, "{\"slot_id\":%lld}",
		 (long long)slot_a);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "cannot accept an expired referral"));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/referrals?status=expired", doc1, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	yl_clock_fixed(&S.db.clock, YLT_NOW);
}

static void test_down_care_plan(void **state)
{
	struct ylt_resp r;
	int64_t id, item;
	json_t *plan;
	(void)state;

	r = post("/api/v1/referrals", doc4,
		 "{\"direction\":\"down\",\"care_type\":\"outpatient\",\"resident_id\":%lld,"
		 "\"from_institution_id\":1,\"diagnosis_code\":\"I10\",\"reason\":\"稳定期\"}",
		 (long long)r1);
	expect(&r, 403, "forbidden");
	r = post("/api/v1/referrals", doc1,
		 "{\"direction\":\"down\",\"care_type\":\"outpatient\",\"resident_id\":%lld,"
		 "\"from_institution_id\":1,\"diagnosis_code\":\"I10\",\"reason\":\"稳定期\","
		 "\"care_plan\":[{\"description\":\"测血压\",\"due_date\":\"2026-03-14\"},"
		 "{\"description\":\"复查血脂\",\"due_date\":\"2026-06-01\"}]}", (long long)r1);
	assert_int_equal(r.status, 201);
	assert_int_equal(ylt_json_int(&r, "to_institution_id"), 3);
	id = ylt_json_int(&r, "id");
	plan = json_object_get(r.json, "care_plan");
	assert_int_equal(json_array_size(plan), 2);
	item = json_integer_value(json_object_get(json_array_get(plan, 0), "id"));
	ylt_resp_free(&r);
	r = post(path("/api/v1/referrals/%lld/acknowledge", id), doc3, "{}");
	expect(&r, 409, "conflict");
	r = post(path("/api/v1/referrals/%lld/accept", id), doc3, "{}");
	expect(&r, 200, NULL);
	r = post(path("/api/v1/referrals/%lld/acknowledge", id), doc4, "{}");
	expect(&r, 403, "forbidden");
	r = post(path("/api/v1/referrals/%lld/acknowledge", id), doc3, "{}");
	assert_int_equal(r.status, 200);
	assert_true(json_is_string(json_object_get(r.json, "acknowledged_at")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/care-plan-items?institution_id=3&overdue=true", doc3, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	{
		char p[128];
		snprintf(p, sizeof(p), "/api/v1/referrals/%lld/care-plan/%lld/done", (long long)id,
			 (long long)item);
		r = post(p, doc3, "{}");
		assert_int_equal(r.status, 200);
		assert_true(json_is_true(json_object_get(r.json, "done")));
		ylt_resp_free(&r);
		r = post(p, doc3, "{}");
		expect(&r, 409, "conflict");
	}
	r = ylt_http(&S, "GET", "/api/v1/care-plan-items?institution_id=3&overdue=true", doc3, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/referrals?direction=down&outside_consortium=false", doc3,
		     NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_lifecycle),
		cmocka_unit_test(test_full_pool_refuses_accept),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_down_care_plan),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
