/* yltest.h - support for yilian's tests: a fresh database in a temp dir, a domain context
 * with a pinned clock, a live server on an ephemeral port, and a real HTTP client (libcurl).
 * Include after <stdarg.h>, <stddef.h>, <setjmp.h> as cmocka requires (this header does it).
 */
#ifndef YLTEST_H
#define YLTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>

#include "api/server.h"
#include "base/arena.h"
#include "base/clock.h"
#include "domain/ctx.h"
#include "store/store.h"

/* 2026-03-15 10:00 Asia/Shanghai, the pinned "now" of the tests. */
#define YLT_NOW ((int64_t)1773540000)

struct ylt_db {
	char dir[64];
	char path[128];
	struct yl_store *store;
	struct yl_clock clock;
	struct yl_arena arena;
	struct yl_diag diag;
	struct yl_actor actor; /* system admin by default */
	struct yl_ctx ctx;
};

/* Creates a temp dir with a migrated database; ctx is ready with the admin actor. */
void ylt_db_open(struct ylt_db *t);
/* Closes the store and removes the temp dir. */
void ylt_db_close(struct ylt_db *t);
/* Begins a write transaction (asserts success). */
void ylt_begin(struct ylt_db *t);
void ylt_commit(struct ylt_db *t);
void ylt_rollback(struct ylt_db *t);
/* Runs "SELECT count(*) FROM <table>" and returns the count. */
int64_t ylt_count(struct ylt_db *t, const char *table);
/* A cmocka teardown (group or per test) for a setup that opened a db with ylt_db_open and
 * stored its address in *state: closes it with ylt_db_close. */
int ylt_db_teardown(void **state);

/* Runs sql on s (no ylt_db needed) and returns the first column of the first row, or -1 when
 * there is no row. Asserts that the statement prepares and steps. */
int64_t ylt_store_int(struct yl_store *s, const char *sql);

/* Makes a fresh directory from pattern ("/tmp/name.XXXXXX", shorter than 64 bytes) into dir.
 * Asserts success. */
void ylt_tmpdir(char dir[64], const char *pattern);
/* Removes dir and everything below it; 0 on success, -1 otherwise. */
int ylt_tmpdir_remove(const char *dir);
/* A cmocka teardown for a setup that made a directory with ylt_tmpdir and stored it in
 * *state: removes it (ylt_tmpdir_remove; -1 fails the teardown). */
int ylt_tmpdir_teardown(void **state);

/* Loads a small registry: province 440000, city 440100, county 440106, townships
 * 440106001/002; institutions: city hospital (tertiary), county hospital (secondary),
 * two township centres (primary), a village clinic under the first centre. Ids in order 1..5. */
void ylt_seed_registry(struct ylt_db *t);
/* A general practitioner at inst (plain SQL) leading a new team "team" of capacity at inst,
 * created through the team module (yl_team_create); returns the team's id. Fails the test on
 * an error; opens no transaction. */
int64_t ylt_gp_team(struct ylt_db *t, int64_t inst, int64_t capacity);

/* A valid 18-digit resident id for the area (6 digits), birth date and sequence (3 digits;
 * odd male, even female). Writes into out (19 bytes). */
void ylt_id_number(char out[19], const char *area, const char *birth_yyyymmdd, int seq);

struct ylt_server {
	struct ylt_db db;
	struct yl_server *srv;
	int port;
	char admin_token[80];
};

/* Opens a db, seeds the registry, creates user 'admin' with a token, and starts a server on
 * an ephemeral port with the pinned clock. */
void ylt_server_start(struct ylt_server *s);
void ylt_server_stop(struct ylt_server *s);

struct ylt_resp {
	long status;
	char *body;  /* malloc'd, NUL-terminated */
	json_t *json; /* parsed body or NULL */
};

/* Sends method path (with optional JSON body, may be NULL) with token (may be NULL) and
 * returns the response. */
struct ylt_resp ylt_http(struct ylt_server *s, const char *method, const char *path,
			 const char *token, const char *body);
/* Same with raw bytes and an explicit length (for huge or binary bodies). */
struct ylt_resp ylt_http_raw(struct ylt_server *s, const char *method, const char *path,
			     const char *token, const char *body, size_t len);
void ylt_resp_free(struct ylt_resp *r);
/* The error code string of an error response, or "" */
const char *ylt_err_code(const struct ylt_resp *r);
/* Integer member of the top-level JSON object (asserts it exists). */
int64_t ylt_json_int(const struct ylt_resp *r, const char *key);

#endif
