/* API: release policies, schedule templates, session generation, sessions and slot search
 * through a real server and HTTP client - the day search with local times and pools, the
 * province-wide earliest search across institutions and levels, the pool shown to a family
 * doctor whose resident's contract names the hospital against a public caller, and stopping
 * a session. The pinned now is Sunday 2026-03-15 10:00 Asia/Shanghai; slots are on Monday. */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

static struct ylt_server S;
static char doc3[80], doc4[80], res1[80];
static int64_t d1, d2, d3, r1;

static void sql(const char *s)
{
	if (yl_store_exec(S.db.store, s, &S.db.diag))
		fail_msg("%s: %s", s, S.db.diag.message);
}

static int64_t scalar(const char *q)
{
	struct yl_stmt *st;
	bool row;
	int64_t v = 0;

	assert_int_equal(yl_store_prepare(S.db.store, q, &st, &S.db.diag), YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &S.db.diag), YL_OK);
	if (row)
		v = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return v;
}

static void user(const char *body, char *out)
{
	struct ylt_resp r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, body);

	assert_int_equal(r.status, 201);
	snprintf(out, 80, "%s", json_string_value(json_object_get(r.json, "token")));
	ylt_resp_free(&r);
}

static int64_t post(const char *path, const char *body, long want)
{
	struct ylt_resp r = ylt_http(&S, "POST", path, S.admin_token, body);
	int64_t id = 0;

	if (r.status != want)
		fail_msg("%s %s: %ld %s", path, body, r.status, r.body);
	if (json_object_get(r.json, "id"))
		id = ylt_json_int(&r, "id");
	ylt_resp_free(&r);
	return id;
}

static void tpl(int64_t dept, const char *start, const char *end, int cap, int fd)
{
	char b[300];

	snprintf(b, sizeof(b), "{\"department_id\":%lld,\"weekday\":1,\"start_time\":\"%s\","
		 "\"end_time\":\"%s\",\"slot_minutes\":30,\"capacity\":%d,\"quota_family_doctor\":%d,"
		 "\"valid_from\":\"2026-03-01\"}", (long long)dept, start, end, cap, fd);
	post("/api/v1/schedule-templates", b, 201);
}

static int setup(void **state)
{
	char idn[19], s[400];
	struct ylt_resp r;
	(void)state;

	ylt_server_start(&S);
	d1 = post("/api/v1/departments", "{\"institution_id\":1,\"name\":\"内科\",\"category_code\":\"03\"}", 201);
	d2 = post("/api/v1/departments", "{\"institution_id\":2,\"name\":\"内科\",\"category_code\":\"03\"}", 201);
	d3 = post("/api/v1/departments", "{\"institution_id\":3,\"name\":\"全科\",\"category_code\":\"03\"}", 201);
	sql("INSERT INTO practitioners(name, title, general_practitioner, institution_id, created_at)"
	    " VALUES ('张全科', 'attending_physician', 1, 3, 0)");
	sql("INSERT INTO teams(name, institution_id, leader_id, capacity, created_at)"
	    " VALUES ('一队', 3, 1, 100, 0)");
	ylt_id_number(idn, "440106", "19600101", 11);
	snprintf(s, sizeof(s), "INSERT INTO residents(id_number, name, sex, birth_date,"
		 " home_area_code, insurance, tags, created_at) VALUES ('%s', '王伟', 'male',"
		 " '1960-01-01', '440106001', 'employee', 0, 0)", idn);
	sql(s);
	r1 = scalar("SELECT max(id) FROM residents");
	sql("INSERT INTO contracts(resident_id, team_id, secondary_id, tertiary_id, start_date,"
	    " end_date, status, created_at, updated_at) VALUES (1, 1, 2, 1, '2026-03-01',"
	    " '2027-02-28', 'active', 0, 0)");
	user("{\"username\":\"doc3\",\"role\":\"doctor\",\"institution_id\":3}", doc3);
	user("{\"username\":\"doc4\",\"role\":\"doctor\",\"institution_id\":4}", doc4);
	user("{\"username\":\"res1\",\"role\":\"resident\",\"resident_id\":1}", res1);
	/* Monday 16 March: tertiary 1 at 10:00 (public only), secondary 2 at 08:00 (one place,
	 * reserved for family doctors), primary 3 at 07:00 */
	r = ylt_http(&S, "PUT", "/api/v1/institutions/2/release-policy", S.admin_token,
		     "{\"days_ahead\":7,\"release_time\":\"08:00\",\"fallback_hours\":2,"
		     "\"cancel_cutoff_hours\":2}");
	assert_int_equal(r.status, 200); /* the default 24 h fallback would free the place now */
	ylt_resp_free(&r);
	tpl(d1, "10:00", "11:00", 2, 0);
	tpl(d2, "08:00", "08:30", 1, 1);
	tpl(d3, "07:00", "07:30", 2, 0);
	for (int i = 1; i <= 3; i++) {
		snprintf(s, sizeof(s), "{\"institution_id\":%d,\"from\":\"2026-03-15\",\"to\":\"2026-03-16\"}", i);
		r = ylt_http(&S, "POST", "/api/v1/sessions/generate", S.admin_token, s);
		assert_int_equal(r.status, 200);
		assert_int_equal(ylt_json_int(&r, "sessions_created"), 1);
		ylt_resp_free(&r);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	return 0;
}

static const char *str_at(json_t *arr, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(arr, i), key));
}

static int64_t int_at(json_t *arr, size_t i, const char *key)
{
	return json_integer_value(json_object_get(json_array_get(arr, i), key));
}

static void test_day_search(void **state)
{
	struct ylt_resp r;
	json_t *data;
	char path[160];
	(void)state;

	r = ylt_http(&S, "GET", "/api/v1/slots?institution_id=1&date=2026-03-16", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	data = json_object_get(r.json, "data");
	assert_int_equal(json_array_size(data), 2);
	assert_string_equal(str_at(data, 0, "local_time"), "10:00");
	assert_string_equal(str_at(data, 0, "starts_at"), "2026-03-16T02:00:00Z");
	assert_string_equal(str_at(data, 1, "local_time"), "10:30");
	assert_string_equal(str_at(data, 1, "ends_at"), "2026-03-16T03:00:00Z");
	assert_string_equal(str_at(data, 0, "pool"), "public");
	assert_string_equal(str_at(data, 0, "opens_at"), "2026-03-09T00:00:00Z");
	assert_true(json_is_true(json_object_get(json_array_get(data, 0), "released")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(data, 0),
									    "free"), "public")), 2);
	assert_string_equal(str_at(data, 0, "institution_level"), "tertiary");
	assert_true(json_is_null(json_object_get(r.json, "next_cursor")));
	ylt_resp_free(&r);
	/* paging in time order */
	r = ylt_http(&S, "GET", "/api/v1/slots?department_id=1&date=2026-03-16&limit=1", S.admin_token,
		     NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	snprintf(path, sizeof(path), "/api/v1/slots?department_id=1&date=2026-03-16&limit=1&cursor=%s",
		 json_string_value(json_object_get(r.json, "next_cursor")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", path, S.admin_token, NULL);
	assert_string_equal(str_at(json_object_get(r.json, "data"), 0, "local_time"), "10:30");
	ylt_resp_free(&r);
	/* the reserved-only slot at 2: nothing for a public caller, family_doctor for the doctor
	 * of the resident's team, nothing for another centre's doctor */
	snprintf(path, sizeof(path), "/api/v1/slots?institution_id=2&date=2026-03-16&resident_id=%lld",
		 (long long)r1);
	r = ylt_http(&S, "GET", path, S.admin_token, NULL);
	assert_string_equal(str_at(json_object_get(r.json, "data"), 0, "pool"), "family_doctor");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", path, doc3, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str_at(json_object_get(r.json, "data"), 0, "pool"), "family_doctor");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", path, doc4, NULL);
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(r.json, "data"), 0),
						 "pool")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", path, res1, NULL);
	assert_int_equal(r.status, 200);
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(r.json, "data"), 0),
						 "pool")));
	ylt_resp_free(&r);
	/* other days are empty; a resident may not ask about another resident */
	r = ylt_http(&S, "GET", "/api/v1/slots?institution_id=1", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/slots?institution_id=1&resident_id=2", res1, NULL);
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
}

static void test_earliest(void **state)
{
	struct ylt_resp r;
	json_t *data;
	char path[200];
	(void)state;

	/* a public caller: the secondary's only place is reserved, so the tertiary comes first */
	r = ylt_http(&S, "GET", "/api/v1/slots/earliest?category_code=03&area_code=44"
		     "&levels=secondary,tertiary", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	data = json_object_get(r.json, "data");
	assert_int_equal(json_array_size(data), 2);
	assert_int_equal(int_at(data, 0, "institution_id"), 1);
	assert_string_equal(str_at(data, 0, "local_time"), "10:00");
	assert_string_equal(str_at(data, 0, "pool"), "public");
	ylt_resp_free(&r);
	/* the resident's family doctor: the secondary's reserved 08:00 place first */
	snprintf(path, sizeof(path), "/api/v1/slots/earliest?category_code=03&area_code=44"
		 "&levels=secondary,tertiary&resident_id=%lld", (long long)r1);
	r = ylt_http(&S, "GET", path, doc3, NULL);
	assert_int_equal(r.status, 200);
	data = json_object_get(r.json, "data");
	assert_int_equal(json_array_size(data), 3);
	assert_int_equal(int_at(data, 0, "institution_id"), 2);
	assert_string_equal(str_at(data, 0, "pool"), "family_doctor");
	assert_string_equal(str_at(data, 0, "starts_at"), "2026-03-16T00:00:00Z");
	assert_string_equal(str_at(data, 1, "pool"), "public");
	ylt_resp_free(&r);
	/* another centre's doctor sees the public view */
	r = ylt_http(&S, "GET", path, doc4, NULL);
	assert_int_equal(int_at(json_object_get(r.json, "data"), 0, "institution_id"), 1);
	ylt_resp_free(&r);
	/* all levels: the primary centre's 07:00; limit; the county only */
	r = ylt_http(&S, "GET", "/api/v1/slots/earliest?category_code=03&area_code=44&limit=1",
		     S.admin_token, NULL);
	data = json_object_get(r.json, "data");
	assert_int_equal(json_array_size(data), 1);
	assert_int_equal(int_at(data, 0, "institution_id"), 3);
	assert_string_equal(str_at(data, 0, "institution_level"), "primary");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/slots/earliest?category_code=03&area_code=440106&levels=secondary,tertiary",
		     S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/slots/earliest?category_code=04&area_code=44", S.admin_token,
		     NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/slots/earliest?category_code=03&area_code=44&levels=county",
		     S.admin_token, NULL);
	assert_int_equal(r.status, 422);
	assert_string_equal(ylt_err_code(&r), "invalid");
	ylt_resp_free(&r);
}

static void test_session_read_patch_stop(void **state)
{
	struct ylt_resp r;
	int64_t sid = scalar("SELECT id FROM sessions WHERE institution_id = 1");
	int64_t slot = scalar("SELECT min(id) FROM slots WHERE institution_id = 1");
	char path[96], s[400];
	json_t *slots;
	(void)state;

	snprintf(path, sizeof(path), "/api/v1/sessions/%lld", (long long)sid);
	r = ylt_http(&S, "GET", path, res1, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "date")), "2026-03-16");
	slots = json_object_get(r.json, "slots");
	assert_int_equal(json_array_size(slots), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(slots, 0),
									   "free"), "public")), 2);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/sessions?department_id=1&date=2026-03-16", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	assert_int_equal(int_at(json_object_get(r.json, "data"), 0, "slot_count"), 2);
	ylt_resp_free(&r);

	/* a booking on the first slot (SQL: booking is another module) */
	snprintf(s, sizeof(s), "INSERT INTO bookings(slot_id, resident_id, institution_id,"
		 " department_id, date, pool, status, created_at, updated_at) VALUES (%lld, %lld, 1,"
		 " %lld, '2026-03-16', 'public', 'booked', 0, 0)", (long long)slot, (long long)r1,
		 (long long)d1);
	sql(s);
	snprintf(s, sizeof(s), "UPDATE slots SET booked_public = 1 WHERE id = %lld", (long long)slot);
	sql(s);
	r = ylt_http(&S, "PATCH", path, S.admin_token, "{\"capacity\":1,\"quota_family_doctor\":1}");
	assert_int_equal(r.status, 409);
	assert_string_equal(ylt_err_code(&r), "conflict");
	ylt_resp_free(&r);
	r = ylt_http(&S, "PATCH", path, doc3, "{\"capacity\":3}");
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
	r = ylt_http(&S, "PATCH", path, S.admin_token, "{\"capacity\":3}");
	assert_int_equal(r.status, 200);
	assert_int_equal(ylt_json_int(&r, "capacity"), 6);
	ylt_resp_free(&r);

	snprintf(path, sizeof(path), "/api/v1/sessions/%lld/stop", (long long)sid);
	r = ylt_http(&S, "POST", path, S.admin_token, "{\"reason\":\"专家外出会诊\"}");
	assert_int_equal(r.status, 200);
	assert_int_equal(ylt_json_int(&r, "cancelled_bookings"), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "session"),
							      "status")), "stopped");
	ylt_resp_free(&r);
	assert_int_equal(scalar("SELECT count(*) FROM bookings WHERE status = 'cancelled' AND"
				" cancel_reason = 'session stopped: 专家外出会诊'"), 1);
	snprintf(s, sizeof(s), "SELECT booked_public FROM slots WHERE id = %lld", (long long)slot);
	assert_int_equal(scalar(s), 0);
	r = ylt_http(&S, "POST", path, S.admin_token, "{\"reason\":\"again\"}");
	assert_int_equal(r.status, 409);
	ylt_resp_free(&r);
	/* a stopped session is gone from both searches */
	r = ylt_http(&S, "GET", "/api/v1/slots?institution_id=1&date=2026-03-16", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/slots/earliest?category_code=03&area_code=44"
		     "&levels=tertiary", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
}

static void test_release_policy_changes_search(void **state)
{
	struct ylt_resp r;
	(void)state;

	r = ylt_http(&S, "GET", "/api/v1/institutions/3/release-policy", res1, NULL);
	assert_int_equal(r.status, 200);
	assert_true(json_is_true(json_object_get(r.json, "default")));
	assert_int_equal(ylt_json_int(&r, "days_ahead"), 7);
	ylt_resp_free(&r);
	/* same day at 08:00: Monday's slots open tomorrow, so the public sees nothing at 3 */
	r = ylt_http(&S, "PUT", "/api/v1/institutions/3/release-policy", S.admin_token,
		     "{\"days_ahead\":0,\"release_time\":\"06:30\",\"fallback_hours\":0,"
		     "\"cancel_cutoff_hours\":2}");
	assert_int_equal(r.status, 200);
	assert_false(json_is_true(json_object_get(r.json, "default")));
	assert_string_equal(json_string_value(json_object_get(r.json, "release_time")), "06:30");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/slots?institution_id=3&date=2026-03-16", S.admin_token, NULL);
	assert_false(json_is_true(json_object_get(json_array_get(json_object_get(r.json, "data"), 0),
						  "released")));
	assert_string_equal(str_at(json_object_get(r.json, "data"), 0, "opens_at"),
			    "2026-03-15T22:30:00Z");
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(r.json, "data"), 0),
						 "pool")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/slots/earliest?category_code=03&area_code=44&levels=primary",
		     S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
	r = ylt_http(&S, "PUT", "/api/v1/institutions/3/release-policy", doc3,
		     "{\"days_ahead\":1,\"release_time\":\"06:30\",\"fallback_hours\":0,"
		     "\"cancel_cutoff_hours\":2}");
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_search),
		cmocka_unit_test(test_earliest),
		cmocka_unit_test(test_session_read_patch_stop),
		cmocka_unit_test(test_release_policy_changes_search),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
