/* API: settings (configurable defaults) and the audit log. */
#include "yltest.h"

#include <stdlib.h>
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

static char *make_user(const char *json)
{
	struct ylt_resp r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, json);
	char *tok;

	if (r.status != 201)
		fail_msg("create user: %ld %s", r.status, r.body);
	tok = strdup(json_string_value(json_object_get(r.json, "token")));
	ylt_resp_free(&r);
	return tok;
}

static int64_t setting(const char *token, const char *key)
{
	struct ylt_resp r = ylt_http(&S, "GET", "/api/v1/settings", token, NULL);
	json_t *data = json_object_get(r.json, "data"), *v;
	size_t i;
	int64_t value = -1;

	assert_int_equal(r.status, 200);
	json_array_foreach(data, i, v)
		if (strcmp(json_string_value(json_object_get(v, "key")), key) == 0)
			value = json_integer_value(json_object_get(v, "value"));
	ylt_resp_free(&r);
	return value;
}

static void test_settings(void **state)
{
	char *reg = make_user("{\"username\":\"reg\",\"role\":\"regulator\"}");
	struct ylt_resp r;
	(void)state;

	assert_int_equal(setting(reg, "team_capacity_default"), 2000);
	assert_int_equal(setting(reg, "no_show_limit"), 3);
	r = ylt_http(&S, "PUT", "/api/v1/settings/team_capacity_default", reg, "{\"value\":1500}");
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
	r = ylt_http(&S, "PUT", "/api/v1/settings/team_capacity_default", S.admin_token, "{\"value\":0}");
	assert_int_equal(r.status, 422);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "field")), "value");
	ylt_resp_free(&r);
	r = ylt_http(&S, "PUT", "/api/v1/settings/colour", S.admin_token, "{\"value\":1}");
	assert_int_equal(r.status, 404);
	ylt_resp_free(&r);
	r = ylt_http(&S, "PUT", "/api/v1/settings/team_capacity_default", S.admin_token, "{\"value\":\"1500\"}");
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	assert_int_equal(setting(reg, "team_capacity_default"), 2000);
	r = ylt_http(&S, "PUT", "/api/v1/settings/team_capacity_default", S.admin_token, "{\"value\":1500}");
	assert_int_equal(r.status, 200);
	assert_int_equal(ylt_json_int(&r, "value"), 1500);
	ylt_resp_free(&r);
	assert_int_equal(setting(reg, "team_capacity_default"), 1500);

	/* the audit log shows who changed it, from what to what */
	r = ylt_http(&S, "GET", "/api/v1/audit?entity=setting", reg, NULL);
	assert_int_equal(r.status, 200);
	json_t *e = json_array_get(json_object_get(r.json, "data"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "entity_id")), "team_capacity_default");
	assert_string_equal(json_string_value(json_object_get(e, "detail")), "2000 -> 1500");
	assert_string_equal(json_string_value(json_object_get(e, "actor")), "admin");
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	free(reg);
}

static void test_audit_access(void **state)
{
	char *doc = make_user("{\"username\":\"doc\",\"role\":\"doctor\",\"institution_id\":3}");
	struct ylt_resp r;
	(void)state;

	r = ylt_http(&S, "GET", "/api/v1/audit", doc, NULL);
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/audit?entity=user&limit=1", S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	assert_false(json_is_null(json_object_get(r.json, "next_cursor")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/audit?since=abc", S.admin_token, NULL);
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_audit_access),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
