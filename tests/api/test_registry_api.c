/* API: areas and institutions through a real server and a real HTTP client. */
#include "yltest.h"

#include <string.h>

static struct ylt_server S;

static int setup(void **state)
{
	(void)state;
	ylt_server_start(&S);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	return 0;
}

static void test_health_needs_no_auth(void **state)
{
	struct ylt_resp r = ylt_http(&S, "GET", "/api/v1/health", NULL, NULL);
	(void)state;
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "ok");
	ylt_resp_free(&r);
}

static void test_auth_required(void **state)
{
	struct ylt_resp r = ylt_http(&S, "GET", "/api/v1/areas", NULL, NULL);
	(void)state;
	assert_int_equal(r.status, 401);
	assert_string_equal(ylt_err_code(&r), "unauthorized");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/areas", "yl_0000000000000000000000000000000000000000000000000000000000000000", NULL);
	assert_int_equal(r.status, 401);
	ylt_resp_free(&r);
}

static void test_area_create_get_list(void **state)
{
	struct ylt_resp r;
	(void)state;
	r = ylt_http(&S, "POST", "/api/v1/areas", S.admin_token,
		     "{\"code\":\"440106003\",\"name\":\"石牌街道\"}");
	assert_int_equal(r.status, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "level")), "township");
	assert_string_equal(json_string_value(json_object_get(r.json, "parent_code")), "440106");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/areas/440106003", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "name")), "石牌街道");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/areas?parent_code=440106&limit=2", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 2);
	assert_string_equal(json_string_value(json_object_get(r.json, "next_cursor")), "440106002");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/areas?parent_code=440106&limit=2&cursor=440106002", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	assert_true(json_is_null(json_object_get(r.json, "next_cursor")));
	ylt_resp_free(&r);
	/* a township whose county does not exist */
	r = ylt_http(&S, "POST", "/api/v1/areas", S.admin_token, "{\"code\":\"440107001\",\"name\":\"x\"}");
	assert_int_equal(r.status, 404);
	assert_string_equal(ylt_err_code(&r), "not_found");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/areas/440107", S.admin_token, NULL);
	assert_int_equal(r.status, 404);
	ylt_resp_free(&r);
}

static void test_institutions(void **state)
{
	struct ylt_resp r;
	(void)state;
	r = ylt_http(&S, "POST", "/api/v1/institutions", S.admin_token,
		     "{\"code\":\"V-002\",\"name\":\"村卫生室二\",\"level\":\"village\","
		     "\"area_code\":\"440106001\",\"township_centre_id\":3}");
	assert_int_equal(r.status, 201);
	assert_int_equal(ylt_json_int(&r, "township_centre_id"), 3);
	ylt_resp_free(&r);
	/* a village clinic under a hospital */
	r = ylt_http(&S, "POST", "/api/v1/institutions", S.admin_token,
		     "{\"code\":\"V-003\",\"name\":\"x\",\"level\":\"village\","
		     "\"area_code\":\"440106001\",\"township_centre_id\":2}");
	assert_int_equal(r.status, 422);
	assert_string_equal(ylt_err_code(&r), "wrong_level");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/institutions?level=village", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 2);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/institutions?area_code=440106", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 5);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/institutions/99", S.admin_token, NULL);
	assert_int_equal(r.status, 404);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/institutions/abc", S.admin_token, NULL);
	assert_int_equal(r.status, 404);
	ylt_resp_free(&r);
}

static void test_method_and_path(void **state)
{
	struct ylt_resp r = ylt_http(&S, "DELETE", "/api/v1/areas", S.admin_token, NULL);
	(void)state;
	assert_int_equal(r.status, 405);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/nothing", S.admin_token, NULL);
	assert_int_equal(r.status, 404);
	ylt_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health_needs_no_auth),
		cmocka_unit_test(test_auth_required),
		cmocka_unit_test(test_area_create_get_list),
		cmocka_unit_test(test_institutions),
		cmocka_unit_test(test_method_and_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
