/* yltest.c - test support implementation. */
#include "yltest.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/codes.h"
#include "domain/area.h"
#include "domain/institution.h"
#include "domain/team.h"
#include "domain/user.h"

void ylt_db_open(struct ylt_db *t)
{
	memset(t, 0, sizeof(*t));
	ylt_tmpdir(t->dir, "/tmp/yltest.XXXXXX");
	snprintf(t->path, sizeof(t->path), "%s/test.db", t->dir);
	yl_diag_clear(&t->diag);
	if (yl_store_open(t->path, YL_STORE_CREATE, &t->store, &t->diag))
		fail_msg("open: %s", t->diag.message);
	yl_clock_fixed(&t->clock, YLT_NOW);
	yl_arena_init(&t->arena);
	t->actor.role = YL_ROLE_ADMIN;
	t->actor.name = "system:test";
	t->ctx.store = t->store;
	t->ctx.clock = &t->clock;
	t->ctx.arena = &t->arena;
	t->ctx.diag = &t->diag;
	t->ctx.actor = &t->actor;
}

void ylt_db_close(struct ylt_db *t)
{
	yl_store_close(t->store);
	t->store = NULL;
	yl_arena_release(&t->arena);
	if (ylt_tmpdir_remove(t->dir) != 0)
		fprintf(stderr, "could not remove %s\n", t->dir);
}

int ylt_db_teardown(void **state)
{
	assert_non_null(*state);
	ylt_db_close(*state);
	return 0;
}

void ylt_tmpdir(char dir[64], const char *pattern)
{
	assert_true(strlen(pattern) < 64);
	snprintf(dir, 64, "%s", pattern);
	assert_non_null(mkdtemp(dir));
}

int ylt_tmpdir_remove(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int ylt_tmpdir_teardown(void **state)
{
	assert_non_null(*state);
	return ylt_tmpdir_remove(*state);
}

void ylt_begin(struct ylt_db *t)
{
	if (yl_store_begin(t->store, &t->diag))
		fail_msg("begin: %s", t->diag.message);
}

void ylt_commit(struct ylt_db *t)
{
	if (yl_store_commit(t->store, &t->diag))
		fail_msg("commit: %s", t->diag.message);
}

void ylt_rollback(struct ylt_db *t)
{
	yl_store_rollback(t->store);
}

int64_t ylt_count(struct ylt_db *t, const char *table)
{
	char sql[512];
	struct yl_stmt *st;
	bool row;
	int64_t n;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if (yl_store_prepare(t->store, sql, &st, &t->diag))
		fail_msg("count: %s", t->diag.message);
	assert_int_equal(yl_stmt_step(st, &row, &t->diag), YL_OK);
	n = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return n;
}

int64_t ylt_store_int(struct yl_store *s, const char *sql)
{
	struct yl_stmt *st;
	struct yl_diag d;
	bool row;
	int64_t v = -1;

	assert_int_equal(yl_store_prepare(s, sql, &st, &d), YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &d), YL_OK);
	if (row)
		v = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return v;
}

static void must(struct ylt_db *t, enum yl_err err, const char *what)
{
	if (err)
		fail_msg("%s: %s (%s)", what, t->diag.message, t->diag.field);
}

void ylt_seed_registry(struct ylt_db *t)
{
	static const struct yl_area areas[] = {
		{"440000", "广东省", NULL, NULL, 0},
		{"440100", "广州市", NULL, NULL, 0},
		{"440106", "天河区", NULL, NULL, 0},
		{"440106001", "五山街道", NULL, NULL, 0},
		{"440106002", "员村街道", NULL, NULL, 0},
	};
	struct yl_institution inst[] = {
		{0, "H-CITY", "市第一人民医院", "tertiary", "general", "440100", 1500, 0, 0},
		{0, "H-COUNTY", "区人民医院", "secondary", "general", "440106", 500, 0, 0},
		{0, "C-WUSHAN", "五山社区卫生服务中心", "primary", "general", "440106001", 40, 0, 0},
		{0, "C-YUANCUN", "员村社区卫生服务中心", "primary", "general", "440106002", 30, 0, 0},
		{0, "V-001", "五山村卫生室", "village", "general", "440106001", 0, 3, 0},
	};

	ylt_begin(t);
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		must(t, yl_area_create(&t->ctx, &areas[i], NULL), "seed area");
	for (size_t i = 0; i < sizeof(inst) / sizeof(inst[0]); i++)
		must(t, yl_institution_create(&t->ctx, &inst[i], NULL), "seed institution");
	ylt_commit(t);
}

int64_t ylt_gp_team(struct ylt_db *t, int64_t inst, int64_t capacity)
{
	struct yl_team in = {0}, out;
	char sql[300];

	snprintf(sql, sizeof(sql), "INSERT INTO practitioners(name, title, general_practitioner,"
		 " institution_id, created_at) VALUES ('gp', 'attending_physician', 1, %lld, 0)",
		 (long long)inst);
	if (yl_store_exec(t->store, sql, &t->diag))
		fail_msg("%s: %s", sql, t->diag.message);
	in.name = "team";
	in.institution_id = inst;
	in.leader_id = ylt_store_int(t->store, "SELECT max(id) FROM practitioners");
	in.capacity = capacity;
	yl_diag_clear(&t->diag);
	if (yl_team_create(&t->ctx, &in, &out))
		fail_msg("team: %s", t->diag.message);
	return out.id;
}

void ylt_id_number(char out[19], const char *area, const char *birth, int seq)
{
	snprintf(out, 19, "%.6s%.8s%03d", area, birth, seq % 1000);
	out[17] = yl_id_number_check_char(out);
	out[18] = '\0';
}

void ylt_server_start(struct ylt_server *s)
{
	struct yl_user u = {0}, out;
	struct yl_server_config cfg = {0};

	memset(s, 0, sizeof(*s));
	ylt_db_open(&s->db);
	ylt_seed_registry(&s->db);
	u.username = "admin";
	u.role = "admin";
	ylt_begin(&s->db);
	must(&s->db, yl_user_create(&s->db.ctx, &u, &out, s->admin_token), "admin user");
	ylt_commit(&s->db);
	cfg.db_path = s->db.path;
	cfg.port = 0;
	cfg.threads = 4;
	cfg.clock = &s->db.clock;
	must(&s->db, yl_server_start(&cfg, &s->srv, &s->port, &s->db.diag), "server start");
}

void ylt_server_stop(struct ylt_server *s)
{
	yl_server_stop(s->srv);
	ylt_db_close(&s->db);
}

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	struct { char *data; size_t len; } *b = ud;
	char *q = realloc(b->data, b->len + size * n + 1);

	if (!q)
		return 0;
	memcpy(q + b->len, p, size * n);
	b->len += size * n;
	q[b->len] = '\0';
	b->data = q;
	return size * n;
}

struct ylt_resp ylt_http_raw(struct ylt_server *s, const char *method, const char *path,
			     const char *token, const char *body, size_t len)
{
	struct ylt_resp r = {0, NULL, NULL};
	struct { char *data; size_t len; } b = {NULL, 0};
	struct curl_slist *h = NULL;
	char url[512], auth[128];
	CURL *curl = curl_easy_init();
	CURLcode rc;

	assert_non_null(curl);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", s->port, path);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	if (token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	if (body) {
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	rc = curl_easy_perform(curl);
	if (rc != CURLE_OK)
		fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	r.body = b.data ? b.data : strdup("");
	r.json = json_loads(r.body, 0, NULL);
	return r;
}

struct ylt_resp ylt_http(struct ylt_server *s, const char *method, const char *path,
			 const char *token, const char *body)
{
	return ylt_http_raw(s, method, path, token, body, body ? strlen(body) : 0);
}

void ylt_resp_free(struct ylt_resp *r)
{
	free(r->body);
	json_decref(r->json);
	r->body = NULL;
	r->json = NULL;
}

const char *ylt_err_code(const struct ylt_resp *r)
{
	json_t *e = json_object_get(r->json, "error");
	const char *c = json_string_value(json_object_get(e, "code"));
	return c ? c : "";
}

int64_t ylt_json_int(const struct ylt_resp *r, const char *key)
{
	json_t *v = json_object_get(r->json, key);

	if (!json_is_integer(v))
		fail_msg("response has no integer '%s': %s", key, r->body);
	return json_integer_value(v);
}
