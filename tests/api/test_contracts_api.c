/* API: teams, contracts and signing statistics through a real server and HTTP client:
 * statuses, error codes, roles (a doctor of another centre, a resident) and JSON shapes. */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

static struct ylt_server S;
static int64_t gp3, nurse3, r1, r2, r3;
static char doctor4[80], doctor3[80], resident1[80];

static void sql(const char *s)
{
	if (yl_store_exec(S.db.store, s, &S.db.diag))
		fail_msg("%s: %s", s, S.db.diag.message);
}

static int64_t last_id(const char *table)
{
	char s[96];
	struct yl_stmt *st;
	bool row;
	int64_t id;

	snprintf(s, sizeof(s), "SELECT max(id) FROM %s", table);
	assert_int_equal(yl_store_prepare(S.db.store, s, &st, &S.db.diag), YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &S.db.diag), YL_OK);
	id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return id;
}

static int64_t practitioner(const char *name, int gp, int64_t inst)
{
	char s[300];

	snprintf(s, sizeof(s), "INSERT INTO practitioners(name, title, general_practitioner,"
		 " institution_id, created_at) VALUES ('%s', 'attending_physician', %d, %lld, 0)",
		 name, gp, (long long)inst);
	sql(s);
	return last_id("practitioners");
}

static int64_t resident(int seq, const char *birth8, const char *birth10)
{
	char s[400], idn[19];

	ylt_id_number(idn, "440106", birth8, seq);
	snprintf(s, sizeof(s), "INSERT INTO residents(id_number, name, sex, birth_date,"
		 " home_area_code, insurance, tags, created_at) VALUES ('%s', 'r%d', 'male',"
		 " '%s', '440106001', 'employee', 0, 0)", idn, seq, birth10);
	sql(s);
	return last_id("residents");
}

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
	char body[160];
	(void)state;
	ylt_server_start(&S);
	gp3 = practitioner("王医生", 1, 3);
	nurse3 = practitioner("李护士", 0, 3);
	r1 = resident(1, "19500101", "1950-01-01");
	r2 = resident(2, "19800101", "1980-01-01");
	r3 = resident(3, "19900101", "1990-01-01");
	user("{\"username\":\"doc4\",\"role\":\"doctor\",\"institution_id\":4}", doctor4);
	user("{\"username\":\"doc3\",\"role\":\"doctor\",\"institution_id\":3}", doctor3);
	snprintf(body, sizeof(body), "{\"username\":\"res1\",\"role\":\"resident\",\"resident_id\":%lld}",
		 (long long)r1);
	user(body, resident1);
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
	char body[512];
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

static void test_teams(void **state)
{
	struct ylt_resp r;
	json_t *m;
	(void)state;

	r = post("/api/v1/teams", S.admin_token,
		 "{\"name\":\"五山一队\",\"institution_id\":3,\"leader_id\":%lld,\"capacity\":2,"
		 "\"member_ids\":[%lld]}", (long long)gp3, (long long)nurse3);
	assert_int_equal(r.status, 201);
	assert_int_equal(ylt_json_int(&r, "id"), 1);
	assert_int_equal(ylt_json_int(&r, "capacity"), 2);
	assert_int_equal(ylt_json_int(&r, "active_contracts"), 0);
	m = json_object_get(r.json, "members");
	assert_int_equal(json_array_size(m), 2);
	assert_true(json_is_true(json_object_get(json_array_get(m, 0), "leader")));
	ylt_resp_free(&r);

	r = post("/api/v1/teams", S.admin_token,
		 "{\"name\":\"x\",\"institution_id\":2,\"leader_id\":%lld}", (long long)gp3);
	expect(&r, 422, "wrong_level");
	r = post("/api/v1/teams", S.admin_token,
		 "{\"name\":\"x\",\"institution_id\":3,\"leader_id\":%lld}", (long long)nurse3);
	expect(&r, 422, "invalid");
	r = post("/api/v1/teams", S.admin_token, "{\"name\":\"x\",\"institution_id\":\"3\",\"leader_id\":1}");
	expect(&r, 422, "invalid");
	r = post("/api/v1/teams", S.admin_token,
		 "{\"name\":\"x\",\"institution_id\":3,\"leader_id\":%lld,\"member_ids\":[\"a\"]}",
		 (long long)gp3);
	expect(&r, 422, "invalid");
	r = post("/api/v1/teams", S.admin_token, "{\"name\":\"x\",\"institution_id\":3,\"leader\":1}");
	expect(&r, 422, "unknown_field");
	r = post("/api/v1/teams", doctor3,
		 "{\"name\":\"x\",\"institution_id\":3,\"leader_id\":%lld}", (long long)gp3);
	expect(&r, 403, "forbidden");

	r = ylt_http(&S, "GET", "/api/v1/teams/1", doctor4, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "name"), "五山一队");
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/teams/99", S.admin_token, NULL);
	expect(&r, 404, "not_found");
	r = ylt_http(&S, "GET", "/api/v1/teams?institution_id=3", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/teams?institution_id=4", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
	r = ylt_http(&S, "PATCH", "/api/v1/teams/1", S.admin_token, "{\"capacity\":0}");
	expect(&r, 422, "invalid");
	r = ylt_http(&S, "PATCH", "/api/v1/teams/1", S.admin_token, "{\"name\":\"y\"}");
	expect(&r, 422, "unknown_field");
	r = ylt_http(&S, "PATCH", "/api/v1/teams/99", S.admin_token, "{\"capacity\":5}");
	expect(&r, 404, "not_found");
}

static void test_contract_lifecycle(void **state)
{
	struct ylt_resp r;
	int64_t k1, k2, k3;
	char path[96];
	(void)state;

	/* a doctor of another centre may not sign for team 1 (centre 3) */
	r = post("/api/v1/contracts", doctor4, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1}", (long long)r1);
	expect(&r, 403, "forbidden");
	r = post("/api/v1/contracts", doctor3, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1}", (long long)r1);
	assert_int_equal(r.status, 201);
	k1 = ylt_json_int(&r, "id");
	assert_string_equal(str(&r, "start_date"), "2026-03-15");
	assert_string_equal(str(&r, "end_date"), "2027-03-14");
	assert_string_equal(str(&r, "status"), "active");
	assert_int_equal(ylt_json_int(&r, "team_institution_id"), 3);
	assert_true(json_is_null(json_object_get(r.json, "previous_id")));
	assert_true(json_is_null(json_object_get(r.json, "end_reason")));
	assert_non_null(json_object_get(r.json, "created_at"));
	ylt_resp_free(&r);

	r = post("/api/v1/contracts", doctor3, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1}", (long long)r1);
	expect(&r, 409, "active_contract_exists");
	r = post("/api/v1/contracts", S.admin_token, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":1,\"tertiary_id\":1}", (long long)r2);
	assert_int_equal(r.status, 422);
	assert_string_equal(ylt_err_code(&r), "wrong_level");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"),
							      "field")), "secondary_id");
	ylt_resp_free(&r);
	r = post("/api/v1/contracts", S.admin_token, "{\"resident_id\":\"%lld\",\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1}", (long long)r2);
	expect(&r, 422, "invalid");
	r = post("/api/v1/contracts", S.admin_token, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1,\"term_years\":6}", (long long)r2);
	expect(&r, 422, "invalid");
	r = post("/api/v1/contracts", S.admin_token, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1,\"start_date\":\"2026-02-30\"}", (long long)r2);
	expect(&r, 422, "invalid");
	r = post("/api/v1/contracts", S.admin_token, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1,\"start_date\":\"2026-03-16\"}", (long long)r2);
	assert_int_equal(r.status, 422); /* no start after today */
	assert_string_equal(ylt_err_code(&r), "invalid");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"),
							      "field")), "start_date");
	ylt_resp_free(&r);
	r = post("/api/v1/contracts", S.admin_token, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":2}", (long long)r2);
	expect(&r, 422, "missing_field");
	r = post("/api/v1/contracts", S.admin_token, "{\"resident_id\":%lld,\"team_id\":9,"
		 "\"secondary_id\":2,\"tertiary_id\":1}", (long long)r2);
	expect(&r, 404, "not_found");
	r = post("/api/v1/contracts", S.admin_token, "{\"resident_id\":999,\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1}");
	expect(&r, 404, "not_found");
	r = ylt_http(&S, "POST", "/api/v1/contracts", S.admin_token, "[1]");
	expect(&r, 400, "bad_json");

	/* capacity 2: r2 fits, r3 does not */
	r = post("/api/v1/contracts", S.admin_token, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1,\"term_years\":2}", (long long)r2);
	assert_int_equal(r.status, 201);
	k2 = ylt_json_int(&r, "id");
	assert_string_equal(str(&r, "end_date"), "2028-03-14");
	ylt_resp_free(&r);
	r = post("/api/v1/contracts", S.admin_token, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1}", (long long)r3);
	expect(&r, 409, "team_full");
	r = ylt_http(&S, "PATCH", "/api/v1/teams/1", S.admin_token, "{\"capacity\":1}");
	expect(&r, 409, "conflict");
	r = ylt_http(&S, "PATCH", "/api/v1/teams/1", S.admin_token, "{\"capacity\":3}");
	assert_int_equal(r.status, 200);
	assert_int_equal(ylt_json_int(&r, "capacity"), 3);
	assert_int_equal(ylt_json_int(&r, "active_contracts"), 2);
	ylt_resp_free(&r);

	r = ylt_http(&S, "GET", "/api/v1/teams/1/residents?limit=1", doctor3, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
				 json_object_get(r.json, "data"), 0), "resident_id")), r1);
	assert_false(json_is_null(json_object_get(r.json, "next_cursor")));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/teams/1/residents", doctor4, NULL);
	expect(&r, 403, "forbidden");

	/* renew, change, end: k1 is in force, so its renewal k3 waits for 2027-03-15 */
	snprintf(path, sizeof(path), "/api/v1/contracts/%lld/renew", (long long)k1);
	r = ylt_http(&S, "POST", path, doctor4, "{}");
	expect(&r, 403, "forbidden");
	r = ylt_http(&S, "POST", path, doctor3, "{\"term_years\":\"2\"}");
	expect(&r, 422, "invalid");
	r = ylt_http(&S, "POST", path, doctor3, NULL); /* no body: default term */
	assert_int_equal(r.status, 201);
	assert_string_equal(str(&r, "start_date"), "2027-03-15");
	assert_string_equal(str(&r, "end_date"), "2028-03-14");
	assert_string_equal(str(&r, "status"), "scheduled");
	assert_int_equal(ylt_json_int(&r, "previous_id"), k1);
	k3 = ylt_json_int(&r, "id");
	ylt_resp_free(&r);
	r = ylt_http(&S, "POST", path, doctor3, "{}");
	expect(&r, 409, "conflict"); /* already renewed */
	snprintf(path, sizeof(path), "/api/v1/contracts/%lld", (long long)k1);
	r = ylt_http(&S, "GET", path, doctor3, NULL);
	assert_string_equal(str(&r, "status"), "active"); /* until its end date */
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/contracts?status=scheduled", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/teams/1", S.admin_token, NULL);
	assert_int_equal(ylt_json_int(&r, "active_contracts"), 2); /* r1 holds one place */
	ylt_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/contracts/%lld/change", (long long)k1);
	sql("INSERT INTO institutions(code, name, level, kind, area_code, beds, created_at)"
	    " VALUES ('H-2', 'second district', 'secondary', 'general', '440106', 10, 0)");
	r = ylt_http(&S, "POST", path, doctor3, "{\"secondary_id\":6,\"reason\":\"nearer\"}");
	assert_int_equal(r.status, 409); /* change the renewal or end it first */
	assert_string_equal(ylt_err_code(&r), "conflict");
	assert_non_null(strstr(r.body, "change the renewal or end it first"));
	ylt_resp_free(&r);

	snprintf(path, sizeof(path), "/api/v1/contracts/%lld/change", (long long)k3);
	r = ylt_http(&S, "POST", path, doctor3, "{\"tertiary_id\":2,\"reason\":\"x\"}");
	expect(&r, 422, "wrong_level");
	r = ylt_http(&S, "POST", path, doctor3, "{\"secondary_id\":2}");
	expect(&r, 422, "missing_field");
	r = ylt_http(&S, "POST", path, doctor3, "{\"secondary_id\":6,\"reason\":\"nearer\"}");
	assert_int_equal(r.status, 201);
	assert_int_equal(ylt_json_int(&r, "secondary_id"), 6);
	assert_int_equal(ylt_json_int(&r, "previous_id"), k3);
	assert_string_equal(str(&r, "status"), "scheduled");
	assert_string_equal(str(&r, "start_date"), "2027-03-15");
	k3 = ylt_json_int(&r, "id");
	ylt_resp_free(&r);

	/* ending the renewal cancels only it */
	snprintf(path, sizeof(path), "/api/v1/contracts/%lld/end", (long long)k3);
	r = ylt_http(&S, "POST", path, doctor3, "{\"reason\":\"changed her mind\"}");
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "status"), "ended");
	ylt_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/contracts/%lld", (long long)k1);
	r = ylt_http(&S, "GET", path, doctor3, NULL);
	assert_string_equal(str(&r, "status"), "active");
	ylt_resp_free(&r);

	/* renewed again, then the running contract ended: both end */
	snprintf(path, sizeof(path), "/api/v1/contracts/%lld/renew", (long long)k1);
	r = ylt_http(&S, "POST", path, doctor3, "{}");
	assert_int_equal(r.status, 201);
	k3 = ylt_json_int(&r, "id");
	ylt_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/contracts/%lld/end", (long long)k1);
	r = ylt_http(&S, "POST", path, doctor3, "{}");
	expect(&r, 422, "missing_field");
	r = ylt_http(&S, "POST", path, doctor3, "{\"reason\":\"moved away\"}");
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "status"), "ended");
	assert_string_equal(str(&r, "ended_on"), "2026-03-15");
	assert_string_equal(str(&r, "end_reason"), "moved away");
	ylt_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/contracts/%lld", (long long)k3);
	r = ylt_http(&S, "GET", path, doctor3, NULL);
	assert_string_equal(str(&r, "status"), "ended");
	assert_string_equal(str(&r, "end_reason"), "moved away");
	ylt_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/contracts/%lld/end", (long long)k1);
	r = ylt_http(&S, "POST", path, doctor3, "{\"reason\":\"again\"}");
	expect(&r, 409, "conflict");
	r = ylt_http(&S, "POST", "/api/v1/contracts/999/end", S.admin_token, "{\"reason\":\"x\"}");
	expect(&r, 404, "not_found");
	r = ylt_http(&S, "POST", "/api/v1/contracts/abc/renew", S.admin_token, "{}");
	expect(&r, 404, "not_found");
	r = ylt_http(&S, "GET", "/api/v1/contracts/999", S.admin_token, NULL);
	expect(&r, 404, "not_found");
	r = ylt_http(&S, "DELETE", "/api/v1/contracts/1", S.admin_token, NULL);
	expect(&r, 405, "method_not_allowed");

	/* history of r1: the running contract and its renewals, all ended or changed */
	snprintf(path, sizeof(path), "/api/v1/contracts?resident_id=%lld", (long long)r1);
	r = ylt_http(&S, "GET", path, S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	{
		static const char *const want[] = {"ended", "changed", "ended", "ended"};
		json_t *d = json_object_get(r.json, "data");
		assert_int_equal(json_array_size(d), 4);
		for (size_t i = 0; i < 4; i++)
			assert_string_equal(json_string_value(json_object_get(json_array_get(d, i),
									     "status")), want[i]);
	}
	ylt_resp_free(&r);

	/* the resident sees their own history only */
	r = ylt_http(&S, "GET", "/api/v1/contracts", resident1, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 4);
	ylt_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/contracts?resident_id=%lld", (long long)r2);
	r = ylt_http(&S, "GET", path, resident1, NULL);
	expect(&r, 403, "forbidden");
	snprintf(path, sizeof(path), "/api/v1/contracts/%lld", (long long)k2);
	r = ylt_http(&S, "GET", path, resident1, NULL);
	expect(&r, 404, "not_found");
	r = ylt_http(&S, "GET", path, doctor4, NULL);
	assert_int_equal(r.status, 200);
	ylt_resp_free(&r);
	r = post("/api/v1/contracts", resident1, "{\"resident_id\":%lld,\"team_id\":1,"
		 "\"secondary_id\":2,\"tertiary_id\":1}", (long long)r1);
	expect(&r, 403, "forbidden");

	/* filters */
	r = ylt_http(&S, "GET", "/api/v1/contracts?status=active&team_id=1", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1); /* r2 */
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/contracts?expiring_within=400", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/contracts?expiring_within=800", S.admin_token, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 1);
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/contracts?status=gone", S.admin_token, NULL);
	expect(&r, 422, "invalid");
	r = ylt_http(&S, "GET", "/api/v1/contracts?expiring_within=-1", S.admin_token, NULL);
	expect(&r, 422, "invalid");
	r = ylt_http(&S, "GET", "/api/v1/contracts?team_id=x", S.admin_token, NULL);
	expect(&r, 422, "invalid");
}

static void test_signing_stats(void **state)
{
	struct ylt_resp r;
	json_t *g;
	(void)state;

	/* r2 holds the only active contract: 1 of 3 residents in 440106 */
	r = ylt_http(&S, "GET", "/api/v1/stats/signing?area_code=440106&group=children",
		     S.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "on"), "2026-03-15");
	assert_int_equal(ylt_json_int(&r, "residents"), 3);
	assert_int_equal(ylt_json_int(&r, "signed"), 1);
	assert_true(json_number_value(json_object_get(r.json, "rate")) > 0.3333 &&
		    json_number_value(json_object_get(r.json, "rate")) < 0.3334);
	g = json_array_get(json_object_get(r.json, "by_population"), 0);
	assert_string_equal(json_string_value(json_object_get(g, "tag")), "elderly_65");
	assert_int_equal(json_integer_value(json_object_get(g, "residents")), 1); /* r1, born 1950 */
	assert_int_equal(json_integer_value(json_object_get(g, "signed")), 0);
	assert_true(json_is_number(json_object_get(g, "rate")));
	g = json_array_get(json_object_get(r.json, "by_population"), 1);
	assert_true(json_is_null(json_object_get(g, "rate"))); /* no children live here */
	g = json_object_get(r.json, "children");
	assert_int_equal(json_array_size(g), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(g, 0), "residents")), 3);
	assert_true(json_is_null(json_object_get(json_array_get(g, 1), "rate")));
	ylt_resp_free(&r);

	r = ylt_http(&S, "GET", "/api/v1/stats/signing?area_code=440106001", doctor4, NULL);
	assert_int_equal(r.status, 200);
	assert_null(json_object_get(r.json, "children"));
	ylt_resp_free(&r);
	r = ylt_http(&S, "GET", "/api/v1/stats/signing", S.admin_token, NULL);
	expect(&r, 422, "missing_field");
	r = ylt_http(&S, "GET", "/api/v1/stats/signing?area_code=440199", S.admin_token, NULL);
	expect(&r, 404, "not_found");
	r = ylt_http(&S, "GET", "/api/v1/stats/signing?area_code=440106&group=x", S.admin_token, NULL);
	expect(&r, 422, "invalid");
	r = ylt_http(&S, "GET", "/api/v1/stats/signing?area_code=440106", resident1, NULL);
	expect(&r, 403, "forbidden");
	r = ylt_http(&S, "GET", "/api/v1/stats/signing?area_code=440106", NULL, NULL);
	expect(&r, 401, "unauthorized");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_teams),
		cmocka_unit_test(test_contract_lifecycle),
		cmocka_unit_test(test_signing_stats),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
