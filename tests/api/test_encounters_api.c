/* API: /api/v1/encounters through a real server and a real HTTP client: record one from a
 * booking (which becomes seen), the response shape, one encounter per booking, costs that do
 * not add up, reads by staff and by the resident themself, filters and cursor pages. The bad
 * input suite is tests/api/cases/encounters.case. */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

#include "ylt_booking.h"

static struct ylt_server S;
static int64_t DEPT, R1, R2, BOOKING;
static char DOC2[80], RES1[80], RES2[80];

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void make_user(const char *body, char out[80])
{
	struct ylt_resp r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, body);

	assert_int_equal(r.status, 201);
	snprintf(out, 80, "%s", str(r.json, "token"));
	ylt_resp_free(&r);
}

static int setup(void **state)
{
	char body[160];
	int64_t slot;

	(void)state;
	ylt_server_start(&S);
	ylt_begin(&S.db);
	DEPT = yltb_department(&S.db, 2, "内科");
	R1 = yltb_residents(&S.db, 2);
	R2 = R1 + 1;
	slot = yltb_slot(&S.db, yltb_session(&S.db, DEPT, "2026-03-15", "08:00", "12:00"), "08:00",
			 30, 10, 0, 0);
	yltb_exec(&S.db, "INSERT INTO bookings(slot_id, resident_id, institution_id, department_id,"
		  " date, pool, status, created_at, updated_at) VALUES (%lld, %lld, 2, %lld,"
		  " '2026-03-15', 'public', 'checked_in', 0, 0)", (long long)slot, (long long)R1,
		  (long long)DEPT);
	BOOKING = yltb_scalar(&S.db, "SELECT max(id) FROM bookings");
	ylt_commit(&S.db);
	make_user("{\"username\":\"doc2\",\"role\":\"doctor\",\"institution_id\":2}", DOC2);
	snprintf(body, sizeof(body), "{\"username\":\"res1\",\"role\":\"resident\","
		 "\"resident_id\":%lld}", (long long)R1);
	make_user(body, RES1);
	snprintf(body, sizeof(body), "{\"username\":\"res2\",\"role\":\"resident\","
		 "\"resident_id\":%lld}", (long long)R2);
	make_user(body, RES2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	return 0;
}

static struct ylt_resp post(const char *token, int64_t resident, const char *extra)
{
	char body[768];

	snprintf(body, sizeof(body), "{\"kind\":\"outpatient\",\"resident_id\":%lld,"
		 "\"institution_id\":2,\"visit_date\":\"2026-03-15\",\"diagnoses\":[\"J06.900\","
		 "\"I10\"],%s}", (long long)resident, extra);
	return ylt_http(&S, "POST", "/api/v1/encounters", token, body);
}

static int64_t ENC1;

static void test_record_from_booking(void **state)
{
	char extra[256];
	struct ylt_resp r;
	json_t *costs, *dx;
	int64_t before;

	(void)state;
	snprintf(extra, sizeof(extra), "\"department_id\":%lld,\"booking_id\":%lld,\"costs\":"
		 "{\"drugs\":3550,\"exams\":2000,\"treatment\":1200},\"fund_paid\":4000,"
		 "\"out_of_pocket\":2750", (long long)DEPT, (long long)BOOKING);
	r = post(DOC2, R1, extra);
	if (r.status != 201)
		fail_msg("%ld %s", r.status, r.body);
	ENC1 = num(r.json, "id");
	assert_string_equal(str(r.json, "kind"), "outpatient");
	assert_int_equal(num(r.json, "resident_id"), R1);
	assert_int_equal(num(r.json, "department_id"), DEPT);
	assert_true(json_is_null(json_object_get(r.json, "practitioner_id")));
	assert_true(json_is_null(json_object_get(r.json, "discharge_date")));
	assert_true(json_is_null(json_object_get(r.json, "referral_id")));
	dx = json_object_get(r.json, "diagnoses");
	assert_int_equal(json_array_size(dx), 2);
	assert_string_equal(json_string_value(json_array_get(dx, 0)), "J06.900");
	costs = json_object_get(r.json, "costs");
	assert_int_equal(num(costs, "drugs"), 3550);
	assert_int_equal(num(costs, "consumables"), 0);
	assert_int_equal(num(costs, "bed"), 0);
	assert_int_equal(num(r.json, "total"), 6750);
	assert_int_equal(num(r.json, "fund_paid"), 4000);
	assert_int_equal(num(r.json, "out_of_pocket"), 2750);
	assert_int_equal(num(r.json, "booking_id"), BOOKING);
	assert_string_equal(str(r.json, "created_at"), "2026-03-15T02:00:00Z");
	ylt_resp_free(&r);
	assert_int_equal(yltb_scalar(&S.db, "SELECT status = 'seen' FROM bookings WHERE id = %lld",
				     (long long)BOOKING), 1);

	/* The same booking again: 409, nothing written. */
	before = ylt_count(&S.db, "encounters");
	r = post(DOC2, R1, extra);
	assert_int_equal(r.status, 409);
	assert_string_equal(ylt_err_code(&r), "conflict");
	ylt_resp_free(&r);
	assert_int_equal(ylt_count(&S.db, "encounters"), before);
}

static void test_costs_must_add_up(void **state)
{
	struct ylt_resp r;
	int64_t before = ylt_count(&S.db, "encounters");
	const char *msg;

	(void)state;
	r = post(DOC2, R2, "\"costs\":{\"drugs\":100},\"fund_paid\":60,\"out_of_pocket\":30");
	assert_int_equal(r.status, 422);
	assert_string_equal(str(json_object_get(r.json, "error"), "field"), "out_of_pocket");
	msg = str(json_object_get(r.json, "error"), "message");
	assert_non_null(strstr(msg, "= 90 fen, but the costs total 100 fen"));
	ylt_resp_free(&r);
	assert_int_equal(ylt_count(&S.db, "encounters"), before);

	/* Flat cost_* fields are the CSV form; the decoder takes them from any face. */
	r = post(DOC2, R2, "\"cost_drugs\":100,\"cost_other\":5,\"fund_paid\":60,"
		 "\"out_of_pocket\":45");
	assert_int_equal(r.status, 201);
	assert_int_equal(num(r.json, "total"), 105);
	assert_int_equal(num(json_object_get(r.json, "costs"), "other"), 5);
	ylt_resp_free(&r);
}

static void test_reads(void **state)
{
	char path[128];
	struct ylt_resp r;
	json_t *data;

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/encounters/%lld", (long long)ENC1);
	r = ylt_http(&S, "GET", path, S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(num(r.json, "total"), 6750);
	assert_int_equal(json_array_size(json_object_get(r.json, "diagnoses")), 2);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", path, RES1, NULL);
	assert_int_equal(r.status, 200);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", path, RES2, NULL); /* another resident's: as if unknown */
	assert_int_equal(r.status, 404);
	ylt_resp_free(&r);

	/* A resident's list is their own whatever they ask for. */
	r = ylt_http(&S, "GET", "/api/v1/encounters", RES2, NULL);
	assert_int_equal(r.status, 200);
	data = json_object_get(r.json, "data");
	assert_int_equal(json_array_size(data), 1);
	assert_int_equal(num(json_array_get(data, 0), "resident_id"), R2);
	ylt_resp_free(&r);

	/* Filters and pages. */
	r = ylt_http(&S, "GET", "/api/v1/encounters?institution_id=2&kind=outpatient&from=2026-03-15"
		     "&to=2026-03-15&limit=1", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	data = json_object_get(r.json, "data");
	assert_int_equal(json_array_size(data), 1);
	assert_int_equal(num(json_array_get(data, 0), "id"), ENC1);
	snprintf(path, sizeof(path), "%lld", (long long)ENC1);
	assert_string_equal(str(r.json, "next_cursor"), path);
	ylt_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/encounters?institution_id=2&limit=1&cursor=%lld",
		 (long long)ENC1);
	r = ylt_http(&S, "GET", path, S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	data = json_object_get(r.json, "data");
	assert_int_equal(json_array_size(data), 1);
	assert_int_equal(num(json_array_get(data, 0), "resident_id"), R2);
	assert_true(json_is_null(json_object_get(r.json, "next_cursor")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/encounters?kind=inpatient", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/encounters?to=2026-03-14", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_from_booking),
		cmocka_unit_test(test_costs_must_add_up),
		cmocka_unit_test(test_reads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
