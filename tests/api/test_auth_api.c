/* API: users, roles, tokens, audit log, and the framework's answers to bad requests
 * (malformed JSON, wrong types, huge bodies, unknown fields), each leaving the database
 * unchanged. */
#include "yltest.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

/* Creates a user with the admin token and returns its token (malloc'd). */
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

static void test_roles_and_institutions(void **state)
{
	char *ia = make_user("{\"username\":\"ia3\",\"role\":\"institution_admin\",\"institution_id\":3}");
	struct ylt_resp r;
	int64_t users;
	(void)state;

	/* an institution admin creates doctors at their own institution only */
	r = ylt_http(&S, "POST", "/api/v1/users", ia, "{\"username\":\"doc3\",\"role\":\"doctor\",\"institution_id\":3}");
	assert_int_equal(r.status, 201);
	assert_non_null(json_object_get(r.json, "token"));
	ylt_resp_free(&r);
	users = ylt_count(&S.db, "users");
	r = ylt_http(&S, "POST", "/api/v1/users", ia, "{\"username\":\"doc4\",\"role\":\"doctor\",\"institution_id\":4}");
	assert_int_equal(r.status, 403);
	assert_string_equal(ylt_err_code(&r), "forbidden");
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/users", ia, "{\"username\":\"boss\",\"role\":\"admin\"}");
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
	assert_int_equal(ylt_count(&S.db, "users"), users);

	/* registry writes are admin-only */
	r = ylt_http(&S, "POST", "/api/v1/areas", ia, "{\"code\":\"440106009\",\"name\":\"x\"}");
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
	assert_int_equal(ylt_count(&S.db, "areas"), 5);

	/* listing users is scoped to the institution */
	r = ylt_http(&S, "GET", "/api/v1/users", ia, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 2);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/users/me", ia, NULL);
	assert_string_equal(json_string_value(json_object_get(r.json, "role")), "institution_admin");
	ylt_resp_free(&r);
	/* a user of another role cannot see the admin */
	r = ylt_http(&S, "GET", "/api/v1/users/1", ia, NULL);
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
	/* ... nor manage the admin's tokens, but may revoke their own doctor's */
	r = ylt_http(&S, "DELETE", "/api/v1/users/1/tokens", ia, NULL);
	assert_int_equal(r.status, 403);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/users?role=doctor", ia, NULL);
	int64_t doc = json_integer_value(json_object_get(json_array_get(json_object_get(r.json, "data"), 0), "id"));
	ylt_resp_free(&r);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/users/%lld/tokens", (long long)doc);
	r = ylt_http(&S, "DELETE", path, ia, NULL);
	assert_int_equal(r.status, 200);
	ylt_resp_free(&r);
	free(ia);
}

static void test_user_rules(void **state)
{
	struct ylt_resp r;
	(void)state;
	r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, "{\"username\":\"d\",\"role\":\"doctor\"}");
	assert_int_equal(r.status, 422);
	assert_string_equal(ylt_err_code(&r), "missing_field");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "field")), "institution_id");
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, "{\"username\":\"d\",\"role\":\"wizard\"}");
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, "{\"username\":\"Bad Name\",\"role\":\"regulator\"}");
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, "{\"username\":\"admin\",\"role\":\"regulator\"}");
	assert_int_equal(r.status, 409);
	assert_string_equal(ylt_err_code(&r), "conflict");
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, "{\"username\":\"d\",\"role\":\"doctor\",\"institution_id\":999}");
	assert_int_equal(r.status, 404);
	ylt_resp_free(&r);
	/* one account per resident */
	r = ylt_http(&S, "POST", "/api/v1/residents", S.admin_token,
		     "{\"id_number\":\"11010519491231002X\",\"name\":\"王芳\",\"home_area_code\":\"440106\"}");
	assert_int_equal(r.status, 201);
	char body[128];
	snprintf(body, sizeof(body), "{\"username\":\"wf\",\"role\":\"resident\",\"resident_id\":%lld}",
		 (long long)ylt_json_int(&r, "id"));
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, body);
	assert_int_equal(r.status, 201);
	ylt_resp_free(&r);
	body[14] = 'x'; /* another username, same resident */
	r = ylt_http(&S, "POST", "/api/v1/users", S.admin_token, body);
	assert_int_equal(r.status, 409);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "field")), "resident_id");
	ylt_resp_free(&r);
}

static void test_tokens_hashed_and_revocable(void **state)
{
	char *tok = make_user("{\"username\":\"reg\",\"role\":\"regulator\"}");
	struct ylt_resp r;
	struct yl_stmt *st;
	bool row;
	int64_t uid;
	(void)state;

	/* the secret is nowhere in the database */
	assert_int_equal(yl_store_prepare(S.db.store, "SELECT count(*) FROM tokens WHERE token_hash = ?", &st, &S.db.diag), YL_OK);
	yl_stmt_bind_text(st, 1, tok);
	assert_int_equal(yl_stmt_step(st, &row, &S.db.diag), YL_OK);
	assert_int_equal(yl_stmt_int(st, 0), 0);
	yl_stmt_reset(st);

	r = ylt_http(&S, "GET", "/api/v1/users/me", tok, NULL);
	assert_int_equal(r.status, 200);
	uid = ylt_json_int(&r, "id");
	ylt_resp_free(&r);
	/* a second token, then revoke all */
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/users/%lld/tokens", (long long)uid);
	r = ylt_http(&S, "POST", path, tok, NULL);
	assert_int_equal(r.status, 201);
	char *tok2 = strdup(json_string_value(json_object_get(r.json, "token")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/users/me", tok2, NULL);
	assert_int_equal(r.status, 200);
	ylt_resp_free(&r);
	r = ylt_http(&S, "DELETE", path, S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/users/me", tok, NULL);
	assert_int_equal(r.status, 401);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/users/me", tok2, NULL);
	assert_int_equal(r.status, 401);
	ylt_resp_free(&r);
	/* Basic auth or a bare token is refused */
	r = ylt_http(&S, "GET", "/api/v1/users/me", "", NULL);
	assert_int_equal(r.status, 401);
	ylt_resp_free(&r);
	free(tok);
	free(tok2);
}

static void test_writes_are_audited(void **state)
{
	struct ylt_resp r;
	struct yl_stmt *st;
	bool row;
	int64_t before = ylt_count(&S.db, "audit_log");
	(void)state;

	r = ylt_http(&S, "POST", "/api/v1/areas", S.admin_token, "{\"code\":\"440106005\",\"name\":\"审计街道\"}");
	assert_int_equal(r.status, 201);
	ylt_resp_free(&r);
	assert_int_equal(ylt_count(&S.db, "audit_log"), before + 1);
	assert_int_equal(yl_store_prepare(S.db.store, "SELECT actor, action, entity, entity_id, user_id, at"
					  " FROM audit_log ORDER BY id DESC LIMIT 1", &st, &S.db.diag), YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &S.db.diag), YL_OK);
	assert_true(row);
	assert_string_equal(yl_stmt_text(st, 0), "admin");
	assert_string_equal(yl_stmt_text(st, 1), "create");
	assert_string_equal(yl_stmt_text(st, 2), "area");
	assert_string_equal(yl_stmt_text(st, 3), "440106005");
	assert_int_equal(yl_stmt_int(st, 4), 1);
	assert_int_equal(yl_stmt_int(st, 5), YLT_NOW);
	yl_stmt_reset(st);
	/* a failed write leaves no audit row */
	r = ylt_http(&S, "POST", "/api/v1/areas", S.admin_token, "{\"code\":\"440106005\",\"name\":\"again\"}");
	assert_int_equal(r.status, 409);
	ylt_resp_free(&r);
	assert_int_equal(ylt_count(&S.db, "audit_log"), before + 1);
}

struct bad_case {
	const char *body;
	long status;
	const char *code;
	const char *field; /* NULL: no field */
};

static void test_bad_bodies_change_nothing(void **state)
{
	static const struct bad_case cases[] = {
		{"{\"code\":\"440106007\",", 400, "bad_json", NULL},
		{"[1,2,3]", 400, "bad_json", NULL},
		{"\"text\"", 400, "bad_json", NULL},
		{"", 400, "bad_json", NULL},
		{"{\"code\":\"440106007\",\"code\":\"440106008\",\"name\":\"x\"}", 400, "bad_json", NULL},
		{"{\"code\":440106007,\"name\":\"x\"}", 422, "invalid", "code"},
		{"{\"code\":\"440106007\",\"name\":[\"x\"]}", 422, "invalid", "name"},
		{"{\"code\":\"440106007\"}", 422, "missing_field", "name"},
		{"{\"code\":\"440106007\",\"name\":\"\"}", 422, "invalid", "name"},
		{"{\"code\":\"440106007\",\"name\":\"x\",\"colour\":\"red\"}", 422, "unknown_field", "colour"},
		{"{\"code\":\"4401060\",\"name\":\"x\"}", 422, "invalid", "code"},
		{"{\"code\":\"440106007\",\"name\":\"x\",\"parent_code\":\"440100\"}", 422, "invalid", "parent_code"},
		{"{\"code\":\"440106007\",\"name\":\"x\"} trailing", 400, "bad_json", NULL},
		{"{\"code\":\"44010\\u0000\",\"name\":\"x\"}", 400, "bad_json", NULL},
		{"{\"code\":\"440106007\",\"name\":\"\xff\xfe\"}", 400, "bad_json", NULL},
	};
	int64_t areas = ylt_count(&S.db, "areas"), audit = ylt_count(&S.db, "audit_log");
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ylt_resp r = ylt_http(&S, "POST", "/api/v1/areas", S.admin_token, cases[i].body);
		json_t *field = json_object_get(json_object_get(r.json, "error"), "field");
		if (r.status != cases[i].status || strcmp(ylt_err_code(&r), cases[i].code) != 0)
			fail_msg("case %zu (%s): got %ld %s", i, cases[i].body, r.status, r.body);
		if (cases[i].field)
			assert_string_equal(json_string_value(field), cases[i].field);
		else
			assert_true(json_is_null(field));
		assert_non_null(json_string_value(json_object_get(json_object_get(r.json, "error"), "message")));
		ylt_resp_free(&r);
	}
	assert_int_equal(ylt_count(&S.db, "areas"), areas);
	assert_int_equal(ylt_count(&S.db, "audit_log"), audit);
}

static void test_huge_body(void **state)
{
	size_t n = 2 * 1024 * 1024;
	char *big = malloc(n);
	struct ylt_resp r;
	(void)state;
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	r = ylt_http_raw(&S, "POST", "/api/v1/areas", S.admin_token, big, n);
	assert_int_equal(r.status, 413);
	assert_string_equal(ylt_err_code(&r), "too_large");
	ylt_resp_free(&r);
	free(big);
	/* the server still answers afterwards */
	r = ylt_http(&S, "GET", "/api/v1/health", NULL, NULL);
	assert_int_equal(r.status, 200);
	ylt_resp_free(&r);
}

/* A chunked body has no Content-Length to refuse early: the cap must still hold. */
static void test_huge_chunked_body(void **state)
{
	struct sockaddr_in a;
	char head[512], chunk[65536 + 16], resp[4096];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	size_t got = 0;
	ssize_t n;
	(void)state;

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)S.port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	n = snprintf(head, sizeof(head), "POST /api/v1/areas HTTP/1.1\r\nHost: x\r\n"
		     "Authorization: Bearer %s\r\nTransfer-Encoding: chunked\r\n\r\n", S.admin_token);
	assert_int_equal(write(fd, head, (size_t)n), n);
	memset(chunk, ' ', sizeof(chunk));
	memcpy(chunk, "10000\r\n", 7);
	memcpy(chunk + 7 + 65536, "\r\n", 2);
	for (int i = 0; i < 32; i++) /* 2 MiB */
		assert_int_equal(write(fd, chunk, 7 + 65536 + 2), 7 + 65536 + 2);
	assert_int_equal(write(fd, "0\r\n\r\n", 5), 5);
	while (got < sizeof(resp) - 1 && (n = read(fd, resp + got, sizeof(resp) - 1 - got)) > 0) {
		got += (size_t)n;
		resp[got] = '\0';
		if (strstr(resp, "}}"))
			break;
	}
	close(fd);
	resp[got] = '\0';
	assert_non_null(strstr(resp, "HTTP/1.1 413"));
	assert_non_null(strstr(resp, "too_large"));
	assert_int_equal(ylt_count(&S.db, "areas"), 6);
}

static void test_query_params_checked(void **state)
{
	struct ylt_resp r = ylt_http(&S, "GET", "/api/v1/institutions?limit=0", S.admin_token, NULL);
	(void)state;
	assert_int_equal(r.status, 422);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "field")), "limit");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/institutions?limit=abc", S.admin_token, NULL);
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/institutions?cursor=-5", S.admin_token, NULL);
	assert_int_equal(r.status, 422);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/institutions?limit=2", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 2);
	assert_string_equal(json_string_value(json_object_get(r.json, "next_cursor")), "2");
	ylt_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_and_institutions),
		cmocka_unit_test(test_user_rules),
		cmocka_unit_test(test_tokens_hashed_and_revocable),
		cmocka_unit_test(test_writes_are_audited),
		cmocka_unit_test(test_bad_bodies_change_nothing),
		cmocka_unit_test(test_huge_body),
		cmocka_unit_test(test_huge_chunked_body),
		cmocka_unit_test(test_query_params_checked),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
