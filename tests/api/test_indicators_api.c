/* API: GET /api/v1/indicators and /api/v1/indicators/catalogue against a live server.
 * Encounters are posted through the API, so the answer shows the live aggregates as soon as
 * each write commits. Checks the response shape (numerator, denominator, value, growth with
 * its note), null for a zero denominator, the one-id filter, and the errors (401, 403 for a
 * resident, 422 for a bad month or scope, 404 for an unknown id).
 *
 * Encounters (clock 2026-03-15): outpatient of R1 at 3 (primary) costing 2000 fen, outpatient
 * of R1 at 2 (secondary) costing 4000 fen, both 2026-03-10.
 */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

#include "ylt_booking.h"

static struct ylt_server S;
static int64_t R1;
static char RES1[80];

static int setup(void **state)
{
	char body[160];
	struct ylt_resp r;

	(void)state;
	ylt_server_start(&S);
	ylt_begin(&S.db);
	R1 = yltb_residents(&S.db, 1);
	ylt_commit(&S.db);
	snprintf(body, sizeof(body), "{\"username\":\"res1\",\"role\":\"resident\","
		 "\"resident_id\":%lld}", (long long)R1);
	r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, body);
	assert_int_equal(r.status, 201);
	snprintf(RES1, sizeof(RES1), "%s", json_string_value(json_object_get(r.json, "token")));
	ylt_resp_free(&r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	return 0;
}

static void post_visit(int64_t inst, int64_t drugs, int64_t treatment)
{
	char body[400];
	struct ylt_resp r;

	snprintf(body, sizeof(body), "{\"kind\":\"outpatient\",\"resident_id\":%lld,"
		 "\"institution_id\":%lld,\"visit_date\":\"2026-03-10\",\"diagnoses\":[\"I10\"],"
		 "\"costs\":{\"drugs\":%lld,\"treatment\":%lld},\"fund_paid\":0,"
		 "\"out_of_pocket\":%lld}", (long long)R1, (long long)inst, (long long)drugs,
		 (long long)treatment, (long long)(drugs + treatment));
	r = ylt_http(&S, "POST", "/api/v1/encounters", S.admin_token, body);
	if (r.status != 201)
		fail_msg("%ld %s", r.status, r.body);
	ylt_resp_free(&r);
}

static json_t *indicator(json_t *root, const char *id)
{
	json_t *items = json_object_get(root, "indicators"), *it;
	size_t i;

	json_array_foreach(items, i, it)
		if (strcmp(json_string_value(json_object_get(it, "id")), id) == 0)
			return it;
	fail_msg("no indicator %s", id);
	return NULL;
}

static void test_live_answer(void **state)
{
	struct ylt_resp r;
	json_t *a3, *d28, *growth, *d30;

	(void)state;
	r = ylt_http(&S, "GET", "/api/v1/indicators?area_code=440106&from=2026-03&to=2026-03",
		     S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	a3 = indicator(r.json, "A3");
	assert_int_equal(json_integer_value(json_object_get(a3, "denominator")), 0);
	assert_true(json_is_null(json_object_get(a3, "value")));
	assert_non_null(json_object_get(a3, "note"));
	/* an event row has no numerator or denominator, a count; a stock row its day */
	d28 = indicator(r.json, "ref_days");
	assert_string_equal(json_string_value(json_object_get(d28, "scope_kind")), "event");
	assert_true(json_is_null(json_object_get(d28, "numerator")));
	assert_true(json_is_null(json_object_get(d28, "denominator")));
	assert_int_equal(json_integer_value(json_object_get(d28, "count")), 0);
	assert_true(json_is_null(json_object_get(d28, "value")));
	d28 = indicator(r.json, "C1");
	assert_string_equal(json_string_value(json_object_get(d28, "as_of")), "2026-03-15");
	assert_int_equal(json_integer_value(json_object_get(d28, "denominator")), 1);
	assert_true(json_number_value(json_object_get(d28, "value")) == 0.0);
	ylt_resp_free(&r);

	post_visit(3, 1000, 1000);
	post_visit(2, 3000, 1000);
	r = ylt_http(&S, "GET", "/api/v1/indicators?area_code=440106&from=2026-03&to=2026-03",
		     S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "scope"),
							       "area_code")), "440106");
	a3 = indicator(r.json, "A3");
	assert_int_equal(json_integer_value(json_object_get(a3, "numerator")), 1);
	assert_int_equal(json_integer_value(json_object_get(a3, "denominator")), 2);
	assert_true(json_number_value(json_object_get(a3, "value")) == 50.0);
	assert_string_equal(json_string_value(json_object_get(a3, "name_zh")),
			    "县域内基层医疗卫生机构门急诊占比");
	assert_string_equal(json_string_value(json_object_get(a3, "direction")), "逐步提高");
	assert_string_equal(json_string_value(json_object_get(a3, "unit")), "%");
	d28 = indicator(r.json, "D28");
	assert_int_equal(json_integer_value(json_object_get(d28, "numerator")), 6000);
	assert_true(json_number_value(json_object_get(d28, "value")) == 3000.0);
	growth = json_object_get(d28, "growth");
	assert_true(json_is_null(json_object_get(growth, "value")));
	assert_string_equal(json_string_value(json_object_get(growth, "note")),
			    "no data for the same period a year earlier");
	d30 = indicator(r.json, "D30");
	assert_true(json_is_null(json_object_get(d30, "value")));
	/* drug share: 4000 of 6000 fen = 66.67 % (rounded at presentation) */
	assert_true(json_number_value(json_object_get(indicator(r.json, "drug_share"), "value")) ==
		    66.67);
	/* a count has no denominator */
	assert_true(json_is_null(json_object_get(indicator(r.json, "B1.op"), "denominator")));
	ylt_resp_free(&r);

	r = ylt_http(&S, "GET", "/api/v1/indicators?institution_id=3&from=2026-01&to=2026-03&id=C5",
		     S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "indicators")), 1);
	/* R1 is not signed: C5 has no denominator */
	assert_true(json_is_null(json_object_get(indicator(r.json, "C5"), "value")));
	ylt_resp_free(&r);
}

static void test_catalogue(void **state)
{
	struct ylt_resp r;
	json_t *items, *it;
	size_t i;
	bool seen_c4 = false;

	(void)state;
	r = ylt_http(&S, "GET", "/api/v1/indicators/catalogue", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	items = json_object_get(r.json, "items");
	assert_true(json_array_size(items) >= 15);
	json_array_foreach(items, i, it) {
		if (strcmp(json_string_value(json_object_get(it, "id")), "C4") == 0) {
			seen_c4 = true;
			assert_string_equal(json_string_value(json_object_get(it, "num_measure")),
					    "opem_visits_signed_combo");
			assert_int_equal(json_integer_value(json_object_get(it, "scale")), 100);
			assert_string_equal(json_string_value(json_object_get(it, "tag")), "I");
		}
	}
	assert_true(seen_c4);
	ylt_resp_free(&r);
}

static void expect_error(const char *path, const char *token, long status, const char *code)
{
	struct ylt_resp r = ylt_http(&S, "GET", path, token, NULL);

	if (r.status != status)
		fail_msg("%s: %ld %s", path, r.status, r.body);
	if (code)
		assert_string_equal(ylt_err_code(&r), code);
	ylt_resp_free(&r);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("/api/v1/indicators?institution_id=3&from=2026-03&to=2026-03", NULL, 401,
		     NULL);
	expect_error("/api/v1/indicators?institution_id=3&from=2026-03&to=2026-03", RES1, 403,
		     NULL);
	expect_error("/api/v1/indicators/catalogue", RES1, 403, NULL);
	expect_error("/api/v1/indicators?institution_id=3&from=2026-3&to=2026-03", S.admin_token,
		     422, NULL);
	expect_error("/api/v1/indicators?from=2026-03&to=2026-03", S.admin_token, 422, NULL);
	expect_error("/api/v1/indicators?institution_id=3&area_code=440106&from=2026-03"
		     "&to=2026-03", S.admin_token, 422, NULL);
	expect_error("/api/v1/indicators?institution_id=99&from=2026-03&to=2026-03",
		     S.admin_token, 404, NULL);
	expect_error("/api/v1/indicators?institution_id=3&from=2026-03&to=2026-03&id=Z9",
		     S.admin_token, 404, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_answer),
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
