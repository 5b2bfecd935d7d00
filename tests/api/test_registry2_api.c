/* API: consortia, departments and practitioners through a real server: the happy paths, the
 * wrong role (403 and no row written), unknown ids (404), wrong types (422), conflicts (409).
 * Seeded institutions: 1 tertiary, 2 secondary, 3 and 4 primary, 5 village clinic under 3. */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

static struct ylt_server S;
static char inst2_admin[80]; /* institution_admin of institution 2 */
static char inst3_admin[80]; /* institution_admin of institution 3 */
static char doctor3[80];     /* doctor at institution 3 */

static void make_user(const char *name, const char *role, int inst, char token[80])
{
	char body[200];
	struct ylt_resp r;

	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"role\":\"%s\",\"institution_id\":%d}",
		 name, role, inst);
	r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, body);
	assert_int_equal(r.status, 201);
	snprintf(token, 80, "%s", json_string_value(json_object_get(r.json, "token")));
	ylt_resp_free(&r);
}

static int setup(void **state)
{
	(void)state;
	ylt_server_start(&S);
	make_user("admin2", "institution_admin", 2, inst2_admin);
	make_user("admin3", "institution_admin", 3, inst3_admin);
	make_user("doc3", "doctor", 3, doctor3);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	return 0;
}

/* Sends the request and checks status and (when code is not NULL) the error code. */
static void expect(const char *method, const char *path, const char *token, const char *body,
		   long status, const char *code)
{
	struct ylt_resp r = ylt_http(&S, method, path, token, body);

	if (r.status != status)
		fail_msg("%s %s: status %ld, want %ld: %s", method, path, r.status, status, r.body);
	if (code)
		assert_string_equal(ylt_err_code(&r), code);
	ylt_resp_free(&r);
}

static size_t data_len(const struct ylt_resp *r)
{
	return json_array_size(json_object_get(r->json, "data"));
}

static int64_t arr_int(json_t *obj, const char *key, size_t i)
{
	json_t *a = json_object_get(obj, key);
	assert_true(json_is_array(a));
	return json_integer_value(json_array_get(a, i));
}

static void test_consortia(void **state)
{
	struct ylt_resp r;
	int64_t members, consortia;
	(void)state;

	r = ylt_http(&S, "POST", "/api/v1/consortia", S.admin_token,
		     "{\"code\":\"CC-1\",\"name\":\"天河区医共体\",\"kind\":\"county_community\","
		     "\"lead_institution_id\":2,\"area_code\":\"440106\",\"member_ids\":[3,5]}");
	assert_int_equal(r.status, 201);
	assert_int_equal(ylt_json_int(&r, "id"), 1);
	assert_int_equal(json_array_size(json_object_get(r.json, "member_ids")), 3);
	assert_int_equal(arr_int(r.json, "member_ids", 0), 2);
	assert_int_equal(arr_int(r.json, "member_ids", 2), 5);
	assert_string_equal(json_string_value(json_object_get(r.json, "area_code")), "440106");
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/consortia", S.admin_token,
		     "{\"code\":\"CG-1\",\"name\":\"城市医疗集团\",\"kind\":\"city_group\","
		     "\"lead_institution_id\":1}");
	assert_int_equal(r.status, 201);
	assert_true(json_is_null(json_object_get(r.json, "area_code")));
	ylt_resp_free(&r);

	r = ylt_http(&S, "GET", "/api/v1/consortia/1", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "kind")), "county_community");
	assert_int_equal(ylt_json_int(&r, "lead_institution_id"), 2);
	ylt_resp_free(&r);
	expect("GET", "/api/v1/consortia/99", S.admin_token, NULL, 404, "not_found");
	expect("GET", "/api/v1/consortia/abc", S.admin_token, NULL, 404, "not_found");

	consortia = ylt_count(&S.db, "consortia");
	members = ylt_count(&S.db, "consortium_members");
	expect("POST", "/api/v1/consortia", S.admin_token,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"city_group\",\"lead_institution_id\":\"1\"}",
	       422, "invalid");
	expect("POST", "/api/v1/consortia", S.admin_token,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"city_group\",\"lead_institution_id\":1,"
	       "\"member_ids\":3}", 422, "invalid");
	expect("POST", "/api/v1/consortia", S.admin_token,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"city_group\",\"lead_institution_id\":1,"
	       "\"member_ids\":[true]}", 422, "invalid");
	expect("POST", "/api/v1/consortia", S.admin_token,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"city_group\",\"lead_institution_id\":1,"
	       "\"member_ids\":[3,3]}", 422, "invalid");
	expect("POST", "/api/v1/consortia", S.admin_token,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"big\",\"lead_institution_id\":1}", 422,
	       "invalid");
	expect("POST", "/api/v1/consortia", S.admin_token,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"city_group\"}", 422, "missing_field");
	expect("POST", "/api/v1/consortia", S.admin_token,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"city_group\",\"lead_institution_id\":1,"
	       "\"lead\":1}", 422, "unknown_field");
	expect("POST", "/api/v1/consortia", S.admin_token,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"city_group\",\"lead_institution_id\":99}",
	       404, "not_found");
	expect("POST", "/api/v1/consortia", S.admin_token,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"city_group\",\"lead_institution_id\":1,"
	       "\"member_ids\":[3,99]}", 404, "not_found");
	expect("POST", "/api/v1/consortia", S.admin_token,
	       "{\"code\":\"CC-1\",\"name\":\"x\",\"kind\":\"city_group\",\"lead_institution_id\":1}",
	       409, "conflict");
	expect("POST", "/api/v1/consortia", inst2_admin,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"city_group\",\"lead_institution_id\":2}",
	       403, "forbidden");
	expect("POST", "/api/v1/consortia", doctor3,
	       "{\"code\":\"X\",\"name\":\"x\",\"kind\":\"city_group\",\"lead_institution_id\":3}",
	       403, "forbidden");
	assert_int_equal(ylt_count(&S.db, "consortia"), consortia);
	assert_int_equal(ylt_count(&S.db, "consortium_members"), members);

	/* list: kind, member, pages */
	r = ylt_http(&S, "GET", "/api/v1/consortia?kind=city_group", doctor3, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(data_len(&r), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/consortia?institution_id=3", S.admin_token, NULL);
	assert_int_equal(data_len(&r), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/consortia?limit=1", S.admin_token, NULL);
	assert_int_equal(data_len(&r), 1);
	assert_string_equal(json_string_value(json_object_get(r.json, "next_cursor")), "1");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/consortia?limit=1&cursor=1", S.admin_token, NULL);
	assert_int_equal(data_len(&r), 1);
	assert_true(json_is_null(json_object_get(r.json, "next_cursor")));
	ylt_resp_free(&r);
	expect("GET", "/api/v1/consortia?kind=nope", S.admin_token, NULL, 422, "invalid");
	expect("GET", "/api/v1/consortia?institution_id=x", S.admin_token, NULL, 422, "invalid");
}

static void test_membership(void **state)
{
	struct ylt_resp r;
	int64_t members;
	(void)state;

	r = ylt_http(&S, "POST", "/api/v1/consortia/1/members", S.admin_token, "{\"institution_id\":4}");
	assert_int_equal(r.status, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "joined_on")), "2026-03-15");
	assert_true(json_is_true(json_object_get(r.json, "current")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/consortia/2/members", S.admin_token,
		     "{\"institution_id\":3,\"joined_on\":\"2025-06-01\"}");
	assert_int_equal(r.status, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "joined_on")), "2025-06-01");
	ylt_resp_free(&r);

	members = ylt_count(&S.db, "consortium_members");
	expect("POST", "/api/v1/consortia/1/members", S.admin_token, "{\"institution_id\":4}", 409,
	       "conflict");
	expect("POST", "/api/v1/consortia/1/members", S.admin_token, "{\"institution_id\":\"1\"}", 422,
	       "invalid");
	expect("POST", "/api/v1/consortia/1/members", S.admin_token,
	       "{\"institution_id\":1,\"joined_on\":\"2026-13-01\"}", 422, "invalid");
	expect("POST", "/api/v1/consortia/1/members", S.admin_token,
	       "{\"institution_id\":1,\"joined_on\":\"2026-03-16\"}", 422, "invalid");
	expect("POST", "/api/v1/consortia/1/members", S.admin_token, "{}", 422, "missing_field");
	expect("POST", "/api/v1/consortia/1/members", S.admin_token, "{\"institution_id\":99}", 404,
	       "not_found");
	expect("POST", "/api/v1/consortia/99/members", S.admin_token, "{\"institution_id\":1}", 404,
	       "not_found");
	expect("POST", "/api/v1/consortia/1/members", inst2_admin, "{\"institution_id\":1}", 403,
	       "forbidden");
	expect("POST", "/api/v1/consortia/1/members/4/leave", inst2_admin, "{}", 403, "forbidden");
	expect("POST", "/api/v1/consortia/1/members/2/leave", S.admin_token, "{}", 409, "conflict");
	expect("POST", "/api/v1/consortia/1/members/1/leave", S.admin_token, "{}", 404, "not_found");
	expect("POST", "/api/v1/consortia/99/members/4/leave", S.admin_token, "{}", 404, "not_found");
	expect("POST", "/api/v1/consortia/1/members/4/leave", S.admin_token,
	       "{\"left_on\":\"2026-03-14\"}", 422, "invalid");
	expect("POST", "/api/v1/consortia/1/members/4/leave", S.admin_token, "{\"left_on\":20260316}",
	       422, "invalid");
	expect("POST", "/api/v1/consortia/1/members/4/leave", S.admin_token, "{\"when\":\"x\"}", 422,
	       "unknown_field");
	assert_int_equal(ylt_count(&S.db, "consortium_members"), members);

	r = ylt_http(&S, "POST", "/api/v1/consortia/1/members/4/leave", S.admin_token, NULL); /* no body: left today */
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "left_on")), "2026-03-15");
	assert_true(json_is_false(json_object_get(r.json, "current")));
	ylt_resp_free(&r);
	expect("POST", "/api/v1/consortia/1/members/4/leave", S.admin_token, "{}", 409, "conflict");

	r = ylt_http(&S, "GET", "/api/v1/consortia/1/members", doctor3, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(data_len(&r), 4);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/consortia/1/members?current=true", S.admin_token, NULL);
	assert_int_equal(data_len(&r), 3);
	ylt_resp_free(&r);
	expect("GET", "/api/v1/consortia/1/members?current=yes", S.admin_token, NULL, 422, "invalid");
	expect("GET", "/api/v1/consortia/99/members", S.admin_token, NULL, 404, "not_found");
	r = ylt_http(&S, "GET", "/api/v1/consortia?institution_id=4", S.admin_token, NULL);
	assert_int_equal(data_len(&r), 0);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/consortia?institution_id=3", S.admin_token, NULL);
	assert_int_equal(data_len(&r), 2);
	ylt_resp_free(&r);
}

static void test_departments(void **state)
{
	struct ylt_resp r;
	int64_t n;
	(void)state;

	r = ylt_http(&S, "POST", "/api/v1/departments", S.admin_token,
		     "{\"institution_id\":1,\"name\":\"内科\",\"category_code\":\"03\"}");
	assert_int_equal(r.status, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "category_code")), "03");
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/departments", inst3_admin,
		     "{\"institution_id\":3,\"name\":\"全科\",\"category_code\":\"03.01\"}");
	assert_int_equal(r.status, 201);
	assert_int_equal(ylt_json_int(&r, "id"), 2);
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/departments", S.admin_token,
		     "{\"institution_id\":2,\"name\":\"内科\"}");
	assert_int_equal(r.status, 201);
	assert_true(json_is_null(json_object_get(r.json, "category_code")));
	ylt_resp_free(&r);

	n = ylt_count(&S.db, "departments");
	expect("POST", "/api/v1/departments", inst3_admin, "{\"institution_id\":1,\"name\":\"外科\"}",
	       403, "forbidden");
	expect("POST", "/api/v1/departments", doctor3, "{\"institution_id\":3,\"name\":\"外科\"}",
	       403, "forbidden");
	expect("POST", "/api/v1/departments", S.admin_token, "{\"institution_id\":1,\"name\":\"内科\"}",
	       409, "conflict");
	expect("POST", "/api/v1/departments", S.admin_token, "{\"institution_id\":\"1\",\"name\":\"a\"}",
	       422, "invalid");
	expect("POST", "/api/v1/departments", S.admin_token,
	       "{\"institution_id\":1,\"name\":\"a\",\"category_code\":3}", 422, "invalid");
	expect("POST", "/api/v1/departments", S.admin_token,
	       "{\"institution_id\":1,\"name\":\"a\",\"category_code\":\"03.1\"}", 422, "invalid");
	expect("POST", "/api/v1/departments", S.admin_token, "{\"name\":\"a\"}", 422, "missing_field");
	expect("POST", "/api/v1/departments", S.admin_token,
	       "{\"institution_id\":1,\"name\":\"a\",\"floor\":2}", 422, "unknown_field");
	expect("POST", "/api/v1/departments", S.admin_token, "{\"institution_id\":99,\"name\":\"a\"}",
	       404, "not_found");
	assert_int_equal(ylt_count(&S.db, "departments"), n);

	r = ylt_http(&S, "GET", "/api/v1/departments?institution_id=1", doctor3, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(data_len(&r), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/departments?limit=2", S.admin_token, NULL);
	assert_int_equal(data_len(&r), 2);
	assert_string_equal(json_string_value(json_object_get(r.json, "next_cursor")), "2");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/departments/2", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "name")), "全科");
	ylt_resp_free(&r);
	expect("GET", "/api/v1/departments/99", S.admin_token, NULL, 404, "not_found");
	expect("GET", "/api/v1/departments?institution_id=abc", S.admin_token, NULL, 422, "invalid");
}

static void test_practitioners(void **state)
{
	struct ylt_resp r;
	int64_t n, sites, p1;
	(void)state;

	/* department 2 belongs to institution 3 (test_departments) */
	r = ylt_http(&S, "POST", "/api/v1/practitioners", inst3_admin,
		     "{\"name\":\"李医生\",\"title\":\"attending_physician\",\"general_practitioner\":true,"
		     "\"licence_no\":\"110440100000001\",\"institution_id\":3,\"department_id\":2}");
	assert_int_equal(r.status, 201);
	p1 = ylt_json_int(&r, "id");
	assert_true(json_is_true(json_object_get(r.json, "general_practitioner")));
	assert_int_equal(json_array_size(json_object_get(r.json, "sites")), 0);
	assert_int_equal(ylt_json_int(&r, "department_id"), 2);
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/practitioners", S.admin_token,
		     "{\"name\":\"王医生\",\"title\":\"chief_physician\",\"institution_id\":2}");
	assert_int_equal(r.status, 201);
	assert_true(json_is_null(json_object_get(r.json, "licence_no")));
	assert_true(json_is_null(json_object_get(r.json, "department_id")));
	assert_true(json_is_false(json_object_get(r.json, "general_practitioner")));
	ylt_resp_free(&r);

	n = ylt_count(&S.db, "practitioners");
	expect("POST", "/api/v1/practitioners", inst3_admin,
	       "{\"name\":\"x\",\"title\":\"nurse\",\"institution_id\":2}", 403, "forbidden");
	expect("POST", "/api/v1/practitioners", doctor3,
	       "{\"name\":\"x\",\"title\":\"nurse\",\"institution_id\":3}", 403, "forbidden");
	expect("POST", "/api/v1/practitioners", S.admin_token,
	       "{\"name\":\"x\",\"title\":\"nurse\",\"institution_id\":1,\"department_id\":2}", 422,
	       "invalid");
	expect("POST", "/api/v1/practitioners", S.admin_token,
	       "{\"name\":\"x\",\"title\":\"nurse\",\"institution_id\":1,\"department_id\":99}", 404,
	       "not_found");
	expect("POST", "/api/v1/practitioners", S.admin_token,
	       "{\"name\":\"x\",\"title\":\"nurse\",\"institution_id\":99}", 404, "not_found");
	expect("POST", "/api/v1/practitioners", S.admin_token,
	       "{\"name\":\"x\",\"title\":\"nurse\",\"institution_id\":1,\"general_practitioner\":\"yes\"}",
	       422, "invalid");
	expect("POST", "/api/v1/practitioners", S.admin_token,
	       "{\"name\":\"x\",\"title\":\"surgeon\",\"institution_id\":1}", 422, "invalid");
	expect("POST", "/api/v1/practitioners", S.admin_token,
	       "{\"name\":\"x\",\"institution_id\":1}", 422, "missing_field");
	expect("POST", "/api/v1/practitioners", S.admin_token,
	       "{\"name\":\"x\",\"title\":\"nurse\",\"institution_id\":1,\"licence_no\":\"110440100000001\"}",
	       409, "conflict");
	expect("POST", "/api/v1/practitioners", S.admin_token,
	       "{\"name\":\"x\",\"title\":\"nurse\",\"institution_id\":1,\"age\":30}", 422,
	       "unknown_field");
	expect("POST", "/api/v1/practitioners", S.admin_token, "[1]", 400, "bad_json");
	assert_int_equal(ylt_count(&S.db, "practitioners"), n);

	/* sites: consortium 1 (lead 2) holds 3 and 5; 4 has left; consortium 2 (lead 1) holds 3 */
	r = ylt_http(&S, "POST", "/api/v1/practitioners/1/sites", inst3_admin, "{\"institution_id\":2}");
	assert_int_equal(r.status, 201);
	assert_int_equal(arr_int(r.json, "sites", 0), 2);
	ylt_resp_free(&r);
	sites = ylt_count(&S.db, "practice_sites");
	expect("POST", "/api/v1/practitioners/1/sites", S.admin_token, "{\"institution_id\":2}", 409,
	       "conflict");
	expect("POST", "/api/v1/practitioners/1/sites", S.admin_token, "{\"institution_id\":4}", 422,
	       "not_in_consortium");
	expect("POST", "/api/v1/practitioners/1/sites", S.admin_token, "{\"institution_id\":3}", 422,
	       "invalid");
	expect("POST", "/api/v1/practitioners/1/sites", S.admin_token, "{\"institution_id\":\"5\"}",
	       422, "invalid");
	expect("POST", "/api/v1/practitioners/1/sites", S.admin_token, "{\"institution_id\":99}", 404,
	       "not_found");
	expect("POST", "/api/v1/practitioners/99/sites", S.admin_token, "{\"institution_id\":2}", 404,
	       "not_found");
	expect("POST", "/api/v1/practitioners/1/sites", inst2_admin, "{\"institution_id\":5}", 403,
	       "forbidden");
	expect("POST", "/api/v1/practitioners/1/sites", doctor3, "{\"institution_id\":5}", 403,
	       "forbidden");
	assert_int_equal(ylt_count(&S.db, "practice_sites"), sites);
	r = ylt_http(&S, "POST", "/api/v1/practitioners/1/sites", S.admin_token, "{\"institution_id\":1}");
	assert_int_equal(r.status, 201);
	assert_int_equal(json_array_size(json_object_get(r.json, "sites")), 2);
	ylt_resp_free(&r);

	r = ylt_http(&S, "GET", "/api/v1/practitioners/1", doctor3, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(ylt_json_int(&r, "id"), p1);
	assert_int_equal(arr_int(r.json, "sites", 0), 1);
	assert_int_equal(arr_int(r.json, "sites", 1), 2);
	ylt_resp_free(&r);
	expect("GET", "/api/v1/practitioners/99", S.admin_token, NULL, 404, "not_found");
	r = ylt_http(&S, "GET", "/api/v1/practitioners?institution_id=2", S.admin_token, NULL);
	assert_int_equal(data_len(&r), 2); /* main 王医生, site 李医生 */
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/practitioners?institution_id=2&general_practitioner=false",
		     S.admin_token, NULL);
	assert_int_equal(data_len(&r), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/practitioners?general_practitioner=true", S.admin_token, NULL);
	assert_int_equal(data_len(&r), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/practitioners?limit=1", S.admin_token, NULL);
	assert_int_equal(data_len(&r), 1);
	assert_string_equal(json_string_value(json_object_get(r.json, "next_cursor")), "1");
	ylt_resp_free(&r);
	expect("GET", "/api/v1/practitioners?general_practitioner=1", S.admin_token, NULL, 422,
	       "invalid");
}

static void test_methods(void **state)
{
	(void)state;
	expect("DELETE", "/api/v1/consortia/1", S.admin_token, NULL, 405, "method_not_allowed");
	expect("GET", "/api/v1/consortia/1/members/3/leave", S.admin_token, NULL, 405,
	       "method_not_allowed");
	/* an optional body must still be JSON when it is given */
	expect("POST", "/api/v1/consortia/1/members/3/leave", S.admin_token, "left", 400, "bad_json");
	expect("GET", "/api/v1/departments", NULL, NULL, 401, "unauthorized");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consortia),
		cmocka_unit_test(test_membership),
		cmocka_unit_test(test_departments),
		cmocka_unit_test(test_practitioners),
		cmocka_unit_test(test_methods),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
