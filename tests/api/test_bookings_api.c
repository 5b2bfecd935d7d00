/* API: /api/v1/bookings through the real server - book (201), retry with the same key (200,
 * byte-identical body), every rule's status and code, a resident user booking and reading
 * only their own, cancel, check-in and seen as the pinned clock moves, the lists, and the
 * error envelope of each refusal. Slots are made with plain SQL (ylt_booking.h). */
#include "ylt_booking.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static struct ylt_server S;
static int64_t dept_a, dept_b, r1, r2, r3;
static char doc1[80], doc4[80], res1[80], reg[80];

static void user(const char *body, char out[80])
{
	struct ylt_resp r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, body);
	const char *tok = json_string_value(json_object_get(r.json, "token"));

	if (r.status != 201 || !tok)
		fail_msg("user %s: %ld %s", body, r.status, r.body);
	snprintf(out, 80, "%s", tok);
	ylt_resp_free(&r);
}

static struct ylt_resp req(const char *method, const char *token, const char *path,
			   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static struct ylt_resp req(const char *method, const char *token, const char *path,
			   const char *fmt, ...)
{
	char body[512];
	va_list ap;

	if (!fmt)
		return ylt_http(&S, method, path, token, NULL);
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	return ylt_http(&S, method, path, token, body);
}

/* Checks status and error code (NULL for success), then frees r. */
static void check(struct ylt_resp r, long status, const char *code)
{
	const char *msg = json_string_value(
		json_object_get(json_object_get(r.json, "error"), "message"));

	if (r.status != status || (code && strcmp(ylt_err_code(&r), code) != 0))
		fail_msg("want %ld %s, got %ld %s", status, code ? code : "", r.status, r.body);
	if (code && (!msg || !*msg))
		fail_msg("error without message: %s", r.body);
	ylt_resp_free(&r);
}

static int64_t book_ok(const char *token, int64_t slot, int64_t resident)
{
	struct ylt_resp r = req("POST", token, "/api/v1/bookings",
				"{\"slot_id\":%lld,\"resident_id\":%lld}", (long long)slot,
				(long long)resident);
	int64_t id;

	if (r.status != 201)
		fail_msg("book: %ld %s", r.status, r.body);
	id = ylt_json_int(&r, "id");
	ylt_resp_free(&r);
	return id;
}

static struct ylt_resp book(const char *token, int64_t slot, int64_t resident)
{
	return req("POST", token, "/api/v1/bookings", "{\"slot_id\":%lld,\"resident_id\":%lld}",
		   (long long)slot, (long long)resident);
}

static int64_t slot_on(int64_t dept, const char *date, const char *hhmm, int cap)
{
	int64_t s = yltb_session(&S.db, dept, date, "08:00", "17:00");
	return yltb_slot(&S.db, s, hhmm, 30, cap, 0, 1);
}

static void at(const char *date, const char *hhmm)
{
	yl_clock_fixed(&S.db.clock, yltb_at(date, hhmm));
}

static char path_buf[128];

static const char *path(const char *fmt, int64_t id)
{
	snprintf(path_buf, sizeof(path_buf), fmt, (long long)id);
	return path_buf;
}

static int setup(void **state)
{
	char body[128];
	(void)state;

	ylt_server_start(&S);
	dept_a = yltb_department(&S.db, 1, "内科");
	dept_b = yltb_department(&S.db, 1, "外科");
	r1 = yltb_residents(&S.db, 3);
	r2 = r1 + 1;
	r3 = r1 + 2;
	user("{\"username\":\"doc1\",\"role\":\"doctor\",\"institution_id\":1}", doc1);
	user("{\"username\":\"doc4\",\"role\":\"doctor\",\"institution_id\":4}", doc4);
	user("{\"username\":\"reg\",\"role\":\"regulator\"}", reg);
	snprintf(body, sizeof(body), "{\"username\":\"res1\",\"role\":\"resident\",\"resident_id\":%lld}",
		 (long long)r1);
	user(body, res1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	return 0;
}

static void test_book_and_retry(void **state)
{
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 3);
	struct ylt_resp first, again;
	const char *body = "{\"slot_id\":%lld,\"resident_id\":%lld,\"idempotency_key\":\"abc\"}";
	(void)state;

	first = req("POST", doc4, "/api/v1/bookings", body, (long long)x, (long long)r2);
	assert_int_equal(first.status, 201);
	assert_string_equal(json_string_value(json_object_get(first.json, "status")), "booked");
	assert_string_equal(json_string_value(json_object_get(first.json, "pool")), "public");
	assert_string_equal(json_string_value(json_object_get(first.json, "date")), "2026-03-17");
	assert_string_equal(json_string_value(json_object_get(first.json, "starts_at")),
			    "2026-03-17T01:00:00Z");
	assert_string_equal(json_string_value(json_object_get(first.json, "idempotency_key")), "abc");
	assert_true(json_is_null(json_object_get(first.json, "cancel_reason")));
	again = req("POST", doc4, "/api/v1/bookings", body, (long long)x, (long long)r2);
	assert_int_equal(again.status, 200);
	assert_string_equal(again.body, first.body);
	ylt_resp_free(&again);
	check(req("POST", doc4, "/api/v1/bookings", body, (long long)x, (long long)r3), 409,
	      "idempotency_conflict");
	again = req("GET", reg, path("/api/v1/bookings/%lld", ylt_json_int(&first, "id")), NULL);
	assert_int_equal(again.status, 200);
	assert_string_equal(again.body, first.body);
	ylt_resp_free(&again);
	ylt_resp_free(&first);
	/* capacity 3 with one referral place: public holds 2 */
	book_ok(S.admin_token, x, r3);
	check(book(S.admin_token, x, r1), 409, "slot_full");
	assert_int_equal(yltb_scalar(&S.db, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)x), 2);
}

static void test_rules(void **state)
{
	int64_t future = slot_on(dept_a, "2026-03-30", "09:00", 3);
	int64_t past = slot_on(dept_a, "2026-03-15", "09:00", 3);
	int64_t stopped = slot_on(dept_b, "2026-03-18", "09:00", 3);
	int64_t x = slot_on(dept_a, "2026-03-19", "09:00", 3);
	int64_t y = slot_on(dept_a, "2026-03-19", "10:00", 3);
	struct ylt_resp r;
	(void)state;

	r = book(S.admin_token, future, r1);
	assert_int_equal(r.status, 409);
	assert_string_equal(ylt_err_code(&r), "not_released");
	assert_non_null(strstr(r.body, "2026-03-23 08:00"));
	ylt_resp_free(&r);
	check(book(S.admin_token, past, r1), 409, "slot_past");
	yltb_exec(&S.db, "UPDATE sessions SET status = 'stopped', stop_reason = 'x' WHERE id ="
		  " (SELECT session_id FROM slots WHERE id = %lld)", (long long)stopped);
	check(book(S.admin_token, stopped, r1), 409, "session_stopped");
	check(req("POST", S.admin_token, "/api/v1/bookings", "{\"slot_id\":%lld,\"resident_id\":%lld,"
		  "\"pool\":\"family_doctor\"}", (long long)x, (long long)r1), 403, "pool_not_allowed");
	check(req("POST", S.admin_token, "/api/v1/bookings", "{\"slot_id\":%lld,\"resident_id\":%lld,"
		  "\"pool\":\"referral\"}", (long long)x, (long long)r1), 403, "pool_not_allowed");
	book_ok(S.admin_token, x, r1);
	check(book(S.admin_token, y, r1), 409, "duplicate_booking");
	yltb_exec(&S.db, "UPDATE settings SET value = '1' WHERE key = 'booking_max_active'");
	check(book(S.admin_token, slot_on(dept_b, "2026-03-20", "09:00", 3), r1), 409,
	      "too_many_bookings");
	yltb_exec(&S.db, "UPDATE settings SET value = '5' WHERE key = 'booking_max_active'");
	/* three no-shows in the last days suspend r3 for 90 days from the last */
	for (int d = 10; d <= 12; d++) {
		int64_t s = slot_on(dept_b, d == 10 ? "2026-03-10" : d == 11 ? "2026-03-11" : "2026-03-12",
				    "09:00", 3);
		yltb_exec(&S.db, "INSERT INTO bookings(slot_id, resident_id, institution_id,"
			  " department_id, date, pool, status, created_at, updated_at) SELECT id,"
			  " %lld, institution_id, department_id, '2026-03-1%d', 'public', 'booked', 0, 0"
			  " FROM slots WHERE id = %lld", (long long)r3, d - 10, (long long)s);
	}
	r = book(S.admin_token, y, r3);
	assert_int_equal(r.status, 403);
	assert_string_equal(ylt_err_code(&r), "booking_suspended");
	assert_non_null(strstr(r.body, "2026-06-10 09:30"));
	ylt_resp_free(&r);
	r = req("GET", S.admin_token, path("/api/v1/bookings?status=no_show&resident_id=%lld", r3), NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 3);
	ylt_resp_free(&r);
}

static void test_resident_user(void **state)
{
	int64_t x = slot_on(dept_b, "2026-03-21", "09:00", 3), mine, other;
	struct ylt_resp r;
	(void)state;

	r = req("POST", res1, "/api/v1/bookings", "{\"slot_id\":%lld}", (long long)x);
	assert_int_equal(r.status, 201);
	assert_int_equal(ylt_json_int(&r, "resident_id"), r1);
	mine = ylt_json_int(&r, "id");
	ylt_resp_free(&r);
	check(book(res1, x, r2), 403, "forbidden");
	check(req("POST", res1, "/api/v1/bookings", "{\"slot_id\":%lld,\"pool\":\"family_doctor\"}",
		  (long long)x), 403, "pool_not_allowed");
	check(book(reg, x, r2), 403, "forbidden");
	other = book_ok(S.admin_token, x, r2);
	check(req("GET", res1, path("/api/v1/bookings/%lld", other), NULL), 404, "not_found");
	check(req("GET", res1, path("/api/v1/bookings/%lld", mine), NULL), 200, NULL);
	check(req("GET", res1, path("/api/v1/bookings?resident_id=%lld", r2), NULL), 403, "forbidden");
	r = req("GET", res1, "/api/v1/bookings", NULL);
	assert_int_equal(r.status, 200);
	for (size_t i = 0; i < json_array_size(json_object_get(r.json, "data")); i++)
		assert_int_equal(json_integer_value(json_object_get(
			json_array_get(json_object_get(r.json, "data"), i), "resident_id")), r1);
	ylt_resp_free(&r);
	check(req("POST", res1, path("/api/v1/bookings/%lld/check-in", mine), NULL), 403, "forbidden");
	check(req("POST", res1, path("/api/v1/bookings/%lld/cancel", mine), "{\"reason\":\"有事\"}"),
	      200, NULL);
}

static void test_cancel_check_in_seen(void **state)
{
	int64_t x = slot_on(dept_b, "2026-03-22", "09:00", 3), a, b;
	struct ylt_resp r;
	(void)state;

	a = book_ok(doc4, x, r2);
	b = book_ok(S.admin_token, x, r1); /* r3 is suspended since test_rules */
	check(req("POST", doc1, path("/api/v1/bookings/%lld/cancel", a), "{}"), 422, "missing_field");
	check(req("POST", reg, path("/api/v1/bookings/%lld/cancel", a), "{\"reason\":\"x\"}"), 403,
	      "forbidden");
	at("2026-03-22", "07:01");
	check(req("POST", doc4, path("/api/v1/bookings/%lld/cancel", a), "{\"reason\":\"x\"}"), 409,
	      "cancel_too_late");
	at("2026-03-22", "07:59");
	check(req("POST", doc1, path("/api/v1/bookings/%lld/check-in", a), NULL), 409,
	      "check_in_closed");
	at("2026-03-22", "08:30");
	check(req("POST", doc4, path("/api/v1/bookings/%lld/check-in", a), NULL), 403, "forbidden");
	check(req("POST", doc1, path("/api/v1/bookings/%lld/seen", a), NULL), 409, "conflict");
	r = req("POST", doc1, path("/api/v1/bookings/%lld/check-in", a), NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "checked_in");
	ylt_resp_free(&r);
	r = req("POST", doc1, path("/api/v1/bookings/%lld/seen", a), "{}");
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "seen");
	ylt_resp_free(&r);
	check(req("POST", doc1, path("/api/v1/bookings/%lld/seen", a), NULL), 409, "conflict");
	at("2026-03-22", "09:30");
	r = req("GET", doc1, path("/api/v1/bookings/%lld", b), NULL);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "no_show");
	ylt_resp_free(&r);
	r = req("GET", doc1, path("/api/v1/bookings?slot_id=%lld&status=seen", x), NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	at("2026-03-15", "10:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_book_and_retry),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_resident_user),
		cmocka_unit_test(test_cancel_check_in_seen),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
