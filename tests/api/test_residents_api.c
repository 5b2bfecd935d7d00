/* API: /api/v1/residents through a real server and a real HTTP client: create, get, list,
 * patch, the resident role seeing only itself, and the 4xx answers. */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

static struct ylt_server S;
static char ID1[19], ID2[19];
static int64_t R1, R2;

static int setup(void **state)
{
	(void)state;
	ylt_server_start(&S);
	ylt_id_number(ID1, "440106", "19610315", 11); /* male, 65 on the pinned date */
	ylt_id_number(ID2, "440106", "20200101", 22); /* female, 6 */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	return 0;
}

static struct ylt_resp post(const char *token, const char *fmt, const char *a, const char *b)
{
	char body[1024];

	snprintf(body, sizeof(body), fmt, a, b);
	return ylt_http(&S, "POST", "/api/v1/residents", token, body);
}

static const char *str(const struct ylt_resp *r, const char *key)
{
	return json_string_value(json_object_get(r->json, key));
}

static const char *field(const struct ylt_resp *r)
{
	return json_string_value(json_object_get(json_object_get(r->json, "error"), "field"));
}

/* Creates a user and copies its token into out. */
static void make_user(const char *body, char out[80])
{
	struct ylt_resp r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, body);

	assert_int_equal(r.status, 201);
	assert_non_null(str(&r, "token"));
	snprintf(out, 80, "%s", str(&r, "token"));
	ylt_resp_free(&r);
}

static void test_create_and_get(void **state)
{
	struct ylt_resp r;
	json_t *tags;
	char path[64];
	(void)state;

	r = post(S.admin_token,
		 "{\"id_number\":\"%s\",\"name\":\"王伟\",\"home_area_code\":\"440106001\","
		 "\"phone\":\"13800000000\",\"tags\":[\"hypertension\"],\"sex\":\"%s\"}",
		 ID1, "male");
	assert_int_equal(r.status, 201);
	R1 = ylt_json_int(&r, "id");
	assert_string_equal(str(&r, "sex"), "male");
	assert_string_equal(str(&r, "birth_date"), "1961-03-15");
	assert_int_equal(ylt_json_int(&r, "age"), 65);
	assert_string_equal(str(&r, "insurance"), "resident");
	tags = json_object_get(r.json, "tags");
	assert_int_equal(json_array_size(tags), 2);
	assert_string_equal(json_string_value(json_array_get(tags, 0)), "elderly_65");
	assert_string_equal(json_string_value(json_array_get(tags, 1)), "hypertension");
	assert_non_null(str(&r, "created_at"));
	ylt_resp_free(&r);
	r = post(S.admin_token,
		 "{\"id_number\":\"%s\",\"name\":\"李娜\",\"home_area_code\":\"440106002\","
		 "\"insurance\":\"employee\",\"birth_date\":\"%s\"}", ID2, "2020-01-01");
	assert_int_equal(r.status, 201);
	R2 = ylt_json_int(&r, "id");
	assert_true(json_is_null(json_object_get(r.json, "phone")));
	ylt_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/residents/%lld", (long long)R2);
	r = ylt_http(&S, "GET", path, S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "id_number"), ID2);
	assert_string_equal(str(&r, "sex"), "female");
	assert_string_equal(str(&r, "insurance"), "employee");
	assert_string_equal(json_string_value(json_array_get(json_object_get(r.json, "tags"), 0)),
			    "child_0_6");
	ylt_resp_free(&r);
}

static void test_create_errors(void **state)
{
	char id[19];
	struct ylt_resp r;
	(void)state;

	ylt_id_number(id, "440106", "19900101", 31);
	/* duplicate */
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"%s\"}",
		 ID1, "440106");
	assert_int_equal(r.status, 409);
	assert_string_equal(ylt_err_code(&r), "conflict");
	assert_string_equal(field(&r), "id_number");
	ylt_resp_free(&r);
	/* checksum */
	id[17] = id[17] == '1' ? '2' : '1';
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"%s\"}",
		 id, "440106");
	assert_int_equal(r.status, 422);
	assert_string_equal(ylt_err_code(&r), "bad_id_number");
	assert_string_equal(field(&r), "id_number");
	ylt_resp_free(&r);
	ylt_id_number(id, "440106", "19900101", 31);
	/* sex contradicting the id number */
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"440106\","
		 "\"sex\":\"%s\"}", id, "female");
	assert_int_equal(r.status, 422);
	assert_string_equal(ylt_err_code(&r), "invalid");
	assert_string_equal(field(&r), "sex");
	ylt_resp_free(&r);
	/* derived tag, unknown tag, pregnant male */
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"440106\","
		 "\"tags\":[\"%s\"]}", id, "elderly_65");
	assert_int_equal(r.status, 422);
	assert_string_equal(field(&r), "tags");
	ylt_resp_free(&r);
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"440106\","
		 "\"tags\":[\"%s\"]}", id, "smoker");
	assert_int_equal(r.status, 422);
	assert_string_equal(field(&r), "tags");
	ylt_resp_free(&r);
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"440106\","
		 "\"tags\":[\"%s\"]}", id, "pregnant");
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	/* unknown area */
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"%s\"}",
		 id, "440199");
	assert_int_equal(r.status, 404);
	assert_string_equal(field(&r), "home_area_code");
	ylt_resp_free(&r);
	/* wrong types, unknown field, missing field, malformed JSON */
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":440106%s}",
		 id, "");
	assert_int_equal(r.status, 422);
	assert_string_equal(field(&r), "home_area_code");
	ylt_resp_free(&r);
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"440106\","
		 "\"tags\":\"%s\"}", id, "diabetes");
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"440106\","
		 "\"age\":%s}", id, "3");
	assert_int_equal(r.status, 422);
	assert_string_equal(ylt_err_code(&r), "unknown_field");
	ylt_resp_free(&r);
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"home_area_code\":\"%s\"}", id, "440106");
	assert_int_equal(r.status, 422);
	assert_string_equal(ylt_err_code(&r), "missing_field");
	ylt_resp_free(&r);
	r = post(S.admin_token, "{\"id_number\":\"%s\",\"name\":%s", id, "\"x\"");
	assert_int_equal(r.status, 400);
	assert_string_equal(ylt_err_code(&r), "bad_json");
	ylt_resp_free(&r);
	/* nothing of the above was stored */
	r = ylt_http(&S, "GET", "/api/v1/residents", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 2);
	ylt_resp_free(&r);
}

static void test_list_filters(void **state)
{
	struct ylt_resp r;
	char path[128];
	(void)state;

	r = ylt_http(&S, "GET", "/api/v1/residents?home_area_code=440106001", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents?home_area_code=440106", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 2);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents?tag=elderly_65", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents?tag=child_0_6", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents?tag=hypertension", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents?tag=smoker", S.admin_token, NULL);
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/residents?id_number=%s", ID2);
	r = ylt_http(&S, "GET", path, S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents?limit=1", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	snprintf(path, sizeof(path), "/api/v1/residents?limit=1&cursor=%s",
		 json_string_value(json_object_get(r.json, "next_cursor")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", path, S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	assert_true(json_is_null(json_object_get(r.json, "next_cursor")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents?limit=0", S.admin_token, NULL);
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
}

static void test_resident_role_sees_only_self(void **state)
{
	char body[128], token[80], path[64];
	struct ylt_resp r;
	(void)state;

	snprintf(body, sizeof(body), "{\"username\":\"wangwei\",\"role\":\"resident\",\"resident_id\":%lld}",
		 (long long)R1);
	make_user(body, token);
	snprintf(path, sizeof(path), "/api/v1/residents/%lld", (long long)R1);
	r = ylt_http(&S, "GET", path, token, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "id_number"), ID1);
	ylt_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/residents/%lld", (long long)R2);
	r = ylt_http(&S, "GET", path, token, NULL);
	assert_int_equal(r.status, 403);
	assert_string_equal(ylt_err_code(&r), "forbidden");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents", token, NULL);
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
	r = ylt_http(&S, "PATCH", path, token, "{\"phone\":\"13900000000\"}");
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
	{
		char id[19];
		ylt_id_number(id, "440106", "19900101", 41);
		r = post(token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"%s\"}", id,
			 "440106");
		assert_int_equal(r.status, 403);
		ylt_resp_free(&r);
	}
}

static void test_doctor_creates_anywhere(void **state)
{
	char token[80], id[19];
	struct ylt_resp r;
	(void)state;

	make_user("{\"username\":\"doc\",\"role\":\"doctor\",\"institution_id\":5}", token);
	ylt_id_number(id, "440106", "19900101", 51);
	r = post(token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"%s\"}", id,
		 "440106002");
	assert_int_equal(r.status, 201);
	ylt_resp_free(&r);
	make_user("{\"username\":\"reg\",\"role\":\"regulator\"}", token);
	ylt_id_number(id, "440106", "19900101", 53);
	r = post(token, "{\"id_number\":\"%s\",\"name\":\"x\",\"home_area_code\":\"%s\"}", id,
		 "440106002");
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents", token, NULL);
	assert_int_equal(r.status, 200);
	ylt_resp_free(&r);
}

static void test_patch(void **state)
{
	char path[64];
	struct ylt_resp r;
	(void)state;

	snprintf(path, sizeof(path), "/api/v1/residents/%lld", (long long)R2);
	r = ylt_http(&S, "PATCH", path, S.admin_token,
		     "{\"phone\":\"+8613700000000\",\"insurance\":\"none\",\"tags\":[\"disabled\"],"
		     "\"home_area_code\":\"440106001\"}");
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "phone"), "+8613700000000");
	assert_string_equal(str(&r, "insurance"), "none");
	assert_string_equal(str(&r, "home_area_code"), "440106001");
	assert_int_equal(json_array_size(json_object_get(r.json, "tags")), 2); /* + child_0_6 */
	ylt_resp_free(&r);
	r = ylt_http(&S, "PATCH", path, S.admin_token, "{\"phone\":null}");
	assert_int_equal(r.status, 200);
	assert_true(json_is_null(json_object_get(r.json, "phone")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "PATCH", path, S.admin_token, "{\"sex\":\"male\"}");
	assert_int_equal(r.status, 422);
	assert_string_equal(field(&r), "sex");
	ylt_resp_free(&r);
	r = ylt_http(&S, "PATCH", path, S.admin_token, "{\"tags\":[\"child_0_6\"]}");
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	r = ylt_http(&S, "PATCH", path, S.admin_token, "{\"home_area_code\":\"440199\"}");
	assert_int_equal(r.status, 404);
	assert_string_equal(field(&r), "home_area_code");
	ylt_resp_free(&r);
	r = ylt_http(&S, "PATCH", path, S.admin_token, "{\"name\":7}");
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	/* the refused patches left it as it was */
	r = ylt_http(&S, "GET", path, S.admin_token, NULL);
	assert_string_equal(str(&r, "home_area_code"), "440106001");
	assert_string_equal(str(&r, "sex"), "female");
	ylt_resp_free(&r);
	r = ylt_http(&S, "PATCH", "/api/v1/residents/99999", S.admin_token, "{\"name\":\"x\"}");
	assert_int_equal(r.status, 404);
	ylt_resp_free(&r);
}

static void test_not_found(void **state)
{
	struct ylt_resp r = ylt_http(&S, "GET", "/api/v1/residents/99999", S.admin_token, NULL);
	(void)state;

	assert_int_equal(r.status, 404);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents/abc", S.admin_token, NULL);
	assert_int_equal(r.status, 404);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/residents", NULL, NULL);
	assert_int_equal(r.status, 401);
	ylt_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_get),
		cmocka_unit_test(test_create_errors),
		cmocka_unit_test(test_list_filters),
		cmocka_unit_test(test_resident_role_sees_only_self),
		cmocka_unit_test(test_doctor_creates_anywhere),
		cmocka_unit_test(test_patch),
		cmocka_unit_test(test_not_found),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
