/* store_sqlite.c - the SQLite backend of the store interface: connection set-up (WAL,
 * foreign keys, busy timeout), a per-connection statement cache keyed by SQL text,
 * transactions, error mapping and migrations. It does not know any table but the
 * migrations' own bookkeeping table.
 */
#include "store/store.h"

#include <assert.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/schema.h"

enum { CACHE_SLOTS = 1024, CACHE_PROBE = 8, FAST_SLOTS = 512 };

struct yl_stmt {
	sqlite3_stmt *st;
	struct yl_store *store;
	char *sql;
	uint64_t hash;
};

struct yl_store {
	sqlite3 *db;
	bool in_tx;
	struct yl_stmt cache[CACHE_SLOTS];
	/* Most SQL is a string literal passed at the same address every time: a direct-mapped
	 * table from that address to its cache entry skips hashing the text. A hit is confirmed
	 * by comparing the text, so a reused buffer holding other SQL just misses. */
	struct {
		const char *sql;
		struct yl_stmt *e;
	} fast[FAST_SLOTS];
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static enum yl_err map_rc(struct yl_store *s, int rc, struct yl_diag *d)
{
	const char *msg = sqlite3_errmsg(s->db);

	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return YL_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return yl_diag_set(d, YL_ERR_BUSY, NULL, "database is busy, try again");
	case SQLITE_NOMEM:
		return yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory in the store");
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return yl_diag_set(d, YL_ERR_IO, NULL, "the file is not a database or is damaged: %s", msg);
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		return yl_diag_set(d, YL_ERR_IO, NULL, "store i/o failed: %s", msg);
	case SQLITE_CONSTRAINT:
		switch (rc) {
		case SQLITE_CONSTRAINT_UNIQUE:
		case SQLITE_CONSTRAINT_PRIMARYKEY:
			return yl_diag_set(d, YL_ERR_CONFLICT, NULL, "already exists (%s)", msg);
		case SQLITE_CONSTRAINT_FOREIGNKEY:
			return yl_diag_set(d, YL_ERR_NOT_FOUND, NULL, "refers to an unknown record");
		default:
			return yl_diag_set(d, YL_ERR_INVALID, NULL, "violates a rule of the schema (%s)", msg);
		}
	default:
		return yl_diag_set(d, YL_ERR_INTERNAL, NULL, "store error %d: %s", rc, msg);
	}
}

enum yl_err yl_store_exec(struct yl_store *s, const char *sql, struct yl_diag *d)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? YL_OK : map_rc(s, rc, d);
}

/* Prefixes d's message with a context ("cannot open 'x': <message>"), keeping code and
 * field. The message is copied first: formatting a buffer into itself is undefined. */
static enum yl_err wrap(struct yl_diag *d, enum yl_err err, const char *field, const char *prefix)
{
	char inner[sizeof(d->message)];

	if (!d)
		return err;
	memcpy(inner, d->message, sizeof(inner));
	return yl_diag_set(d, err, field, "%s: %s", prefix, inner);
}

static int64_t now_unix(void)
{
	return (int64_t)time(NULL);
}

static enum yl_err current_version(struct yl_store *s, int *version, struct yl_diag *d)
{
	struct yl_stmt *st;
	bool row;
	enum yl_err err;
	int exists = 0;

	err = yl_store_prepare(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
				  " AND name = 'schema_migrations'", &st, d);
	if (err)
		return err;
	err = yl_stmt_step(st, &row, d);
	if (err)
		return err;
	exists = row ? (int)yl_stmt_int(st, 0) : 0;
	yl_stmt_reset(st);
	*version = 0;
	if (!exists)
		return YL_OK;
	err = yl_store_prepare(s, "SELECT coalesce(max(version), 0) FROM schema_migrations", &st, d);
	if (err)
		return err;
	err = yl_stmt_step(st, &row, d);
	if (!err && row)
		*version = (int)yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return err;
}

int yl_store_schema_latest(void)
{
	int n;
	const struct yl_migration *m = yl_schema_migrations(&n);
	return m[n - 1].version;
}

int yl_store_schema_version(struct yl_store *s)
{
	int v = -1;
	struct yl_diag d;

	if (current_version(s, &v, &d))
		return -1;
	return v;
}

static enum yl_err migrate(struct yl_store *s, struct yl_diag *d)
{
	int n, version;
	const struct yl_migration *m = yl_schema_migrations(&n);
	enum yl_err err;
	struct yl_stmt *st;

	err = yl_store_begin(s, d);
	if (err)
		return err;
	err = yl_store_exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			       " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
			       " applied_at BIGINT NOT NULL)", d);
	if (!err)
		err = current_version(s, &version, d);
	for (int i = 0; !err && i < n; i++) {
		if (m[i].version <= version)
			continue;
		for (const char *const *step = m[i].steps; !err && *step; step++)
			err = yl_store_exec(s, *step, d);
		if (err) {
			char what[128];
			snprintf(what, sizeof(what), "migration %d (%s) failed", m[i].version, m[i].name);
			wrap(d, err, NULL, what);
			break;
		}
		err = yl_store_prepare(s, "INSERT INTO schema_migrations(version, name, applied_at)"
					  " VALUES (?, ?, ?)", &st, d);
		if (!err) {
			yl_stmt_bind_int(st, 1, m[i].version);
			yl_stmt_bind_text(st, 2, m[i].name);
			yl_stmt_bind_int(st, 3, now_unix());
			err = yl_stmt_run(st, d);
		}
	}
	if (err) {
		yl_store_rollback(s);
		return err;
	}
	return yl_store_commit(s, d);
}

/* SQLite's process-wide settings, once, before its first connection: no memory statistics
 * (with them every allocation takes a global mutex; nothing here reads them). A program that
 * used SQLite before its first yl_store_open gets SQLITE_MISUSE here and keeps them: slower,
 * not wrong. */
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum yl_err yl_store_open(const char *path, unsigned flags, struct yl_store **out, struct yl_diag *d)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	struct yl_store *s;
	int oflags = (flags & YL_STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	int rc, version;
	enum yl_err err;

	*out = NULL;
	pthread_once(&once, configure_sqlite);
	if (flags & YL_STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	oflags |= SQLITE_OPEN_NOMUTEX; /* one connection per thread; we never share */
	s = calloc(1, sizeof(*s));
	if (!s)
		return yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory");
	rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		err = yl_diag_set(d, YL_ERR_IO, "db", "cannot open database '%s': %s", path,
				  s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, YL_STORE_BUSY_MS);
	err = yl_store_exec(s, "PRAGMA foreign_keys = ON", d);
	if (!err && !(flags & YL_STORE_READONLY))
		err = yl_store_exec(s, "PRAGMA journal_mode = WAL", d);
	if (!err)
		err = yl_store_set_durable(s, (flags & YL_STORE_DURABLE) != 0, d);
	if (err) {
		char what[300];
		snprintf(what, sizeof(what), "cannot set up database '%.200s'", path);
		wrap(d, err, "db", what);
		goto fail;
	}
	err = current_version(s, &version, d);
	if (err) {
		char what[300];
		snprintf(what, sizeof(what), "'%.200s' is not a yilian database", path);
		wrap(d, err, "db", what);
		goto fail;
	}
	if (version > yl_store_schema_latest()) {
		err = yl_diag_set(d, YL_ERR_SCHEMA, "db",
				  "database '%s' has schema version %d, newer than this yilian (%d); "
				  "upgrade yilian", path, version, yl_store_schema_latest());
		goto fail;
	}
	if (version < yl_store_schema_latest()) {
		if (!(flags & YL_STORE_CREATE)) {
			err = yl_diag_set(d, YL_ERR_SCHEMA, "db",
					  "database '%s' has schema version %d, this yilian needs %d; "
					  "run 'yilian init --db %s'", path, version,
					  yl_store_schema_latest(), path);
			goto fail;
		}
		err = migrate(s, d);
		if (err)
			goto fail;
	}
	*out = s;
	return YL_OK;
fail:
	yl_store_close(s);
	return err;
}

void yl_store_close(struct yl_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		sqlite3_finalize(s->cache[i].st);
		free(s->cache[i].sql);
	}
	sqlite3_close(s->db);
	free(s);
}

static enum yl_err tx_begin(struct yl_store *s, const char *sql, struct yl_diag *d)
{
	enum yl_err err;

	assert(!s->in_tx);
	err = yl_store_exec(s, sql, d);
	if (!err)
		s->in_tx = true;
	return err;
}

enum yl_err yl_store_begin(struct yl_store *s, struct yl_diag *d)
{
	return tx_begin(s, "BEGIN IMMEDIATE", d);
}

enum yl_err yl_store_begin_read(struct yl_store *s, struct yl_diag *d)
{
	return tx_begin(s, "BEGIN", d);
}

enum yl_err yl_store_commit(struct yl_store *s, struct yl_diag *d)
{
	enum yl_err err;

	assert(s->in_tx);
	err = yl_store_exec(s, "COMMIT", d);
	if (err) {
		yl_store_rollback(s);
		return err;
	}
	s->in_tx = false;
	return YL_OK;
}

void yl_store_rollback(struct yl_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
}

enum yl_err yl_store_set_durable(struct yl_store *s, bool durable, struct yl_diag *d)
{
	/* In WAL mode FULL fsyncs the WAL at every commit; NORMAL only at checkpoints, so a
	 * power loss may take the last commits with it (the database stays consistent). */
	assert(!s->in_tx);
	return yl_store_exec(s, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
			     d);
}

/* Runs "<verb> <name>" after checking that name is a plain identifier. */
static enum yl_err savepoint_sql(struct yl_store *s, const char *verb, const char *name,
				 struct yl_diag *d)
{
	char sql[64];
	size_t n = strlen(name);

	assert(s->in_tx);
	assert(n > 0 && n < 32 && strspn(name, "abcdefghijklmnopqrstuvwxyz_") == n);
	(void)n;
	snprintf(sql, sizeof(sql), "%s %s", verb, name);
	return yl_store_exec(s, sql, d);
}

enum yl_err yl_store_savepoint(struct yl_store *s, const char *name, struct yl_diag *d)
{
	return savepoint_sql(s, "SAVEPOINT", name, d);
}

enum yl_err yl_store_release(struct yl_store *s, const char *name, struct yl_diag *d)
{
	return savepoint_sql(s, "RELEASE SAVEPOINT", name, d);
}

enum yl_err yl_store_rollback_to(struct yl_store *s, const char *name, struct yl_diag *d)
{
	return savepoint_sql(s, "ROLLBACK TO SAVEPOINT", name, d);
}

bool yl_store_in_tx(const struct yl_store *s)
{
	return s->in_tx;
}

enum yl_err yl_store_prepare(struct yl_store *s, const char *sql, struct yl_stmt **out,
			     struct yl_diag *d)
{
	size_t f = (size_t)(((uintptr_t)sql >> 3) % FAST_SLOTS);
	uint64_t h;
	struct yl_stmt *c = NULL;
	sqlite3_stmt *st;
	int rc;

	if (s->fast[f].sql == sql && s->fast[f].e->st && strcmp(s->fast[f].e->sql, sql) == 0) {
		c = s->fast[f].e;
		assert(!sqlite3_stmt_busy(c->st));
		sqlite3_reset(c->st);
		sqlite3_clear_bindings(c->st);
		*out = c;
		return YL_OK;
	}
	h = fnv1a(sql);

	/* Open addressing over CACHE_PROBE slots: a hit is reused; otherwise the first empty
	 * slot, else the first one whose statement is not mid-step, is (re)filled. A statement
	 * that is being stepped is never evicted, so a caller looping over rows may prepare other
	 * SQL inside the loop; preparing the SAME SQL again inside its own loop is a bug (the
	 * outer loop's statement would be reset), caught by the assert. */
	for (int i = 0; i < CACHE_PROBE; i++) {
		struct yl_stmt *e = &s->cache[(h + (uint64_t)i) % CACHE_SLOTS];
		if (e->st && e->hash == h && strcmp(e->sql, sql) == 0) {
			assert(!sqlite3_stmt_busy(e->st));
			sqlite3_reset(e->st);
			sqlite3_clear_bindings(e->st);
			s->fast[f].sql = sql;
			s->fast[f].e = e;
			*out = e;
			return YL_OK;
		}
		if (!c && !e->st)
			c = e;
	}
	for (int i = 0; !c && i < CACHE_PROBE; i++) {
		struct yl_stmt *e = &s->cache[(h + (uint64_t)i) % CACHE_SLOTS];
		if (!sqlite3_stmt_busy(e->st))
			c = e;
	}
	if (!c) {
		*out = NULL;
		return yl_diag_set(d, YL_ERR_INTERNAL, NULL, "statement cache exhausted");
	}
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		*out = NULL;
		return yl_diag_set(d, YL_ERR_INTERNAL, NULL, "cannot prepare statement: %s",
				   sqlite3_errmsg(s->db));
	}
	sqlite3_finalize(c->st);
	free(c->sql);
	c->st = st;
	c->store = s;
	c->sql = strdup(sql);
	c->hash = h;
	if (!c->sql) {
		sqlite3_finalize(st);
		c->st = NULL;
		return yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory");
	}
	s->fast[f].sql = sql;
	s->fast[f].e = c;
	*out = c;
	return YL_OK;
}

void yl_stmt_bind_int(struct yl_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st->st, idx, v);
}

void yl_stmt_bind_text(struct yl_stmt *st, int idx, const char *v)
{
	if (v)
		sqlite3_bind_text(st->st, idx, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, idx);
}

void yl_stmt_bind_null(struct yl_stmt *st, int idx)
{
	sqlite3_bind_null(st->st, idx);
}

void yl_stmt_bind_id(struct yl_stmt *st, int idx, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st->st, idx, v);
	else
		sqlite3_bind_null(st->st, idx);
}

enum yl_err yl_stmt_step(struct yl_stmt *st, bool *row, struct yl_diag *d)
{
	int rc = sqlite3_step(st->st);

	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return YL_OK;
	rc = sqlite3_extended_errcode(st->store->db);
	sqlite3_reset(st->st);
	return map_rc(st->store, rc, d);
}

enum yl_err yl_stmt_run(struct yl_stmt *st, struct yl_diag *d)
{
	bool row = true;
	enum yl_err err = YL_OK;

	while (!err && row)
		err = yl_stmt_step(st, &row, d);
	sqlite3_reset(st->st);
	return err;
}

int64_t yl_stmt_int(struct yl_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

const char *yl_stmt_text(struct yl_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

bool yl_stmt_null(struct yl_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

void yl_stmt_reset(struct yl_stmt *st)
{
	sqlite3_reset(st->st);
}

enum yl_err yl_store_tune_bulk(struct yl_store *s, struct yl_diag *d)
{
	/* 128 MiB of page cache: 17 s -> 12 s for a 1M-resident import. */
	return yl_store_exec(s, "PRAGMA cache_size = -131072", d);
}

enum yl_err yl_store_tune_scratch(struct yl_store *s, struct yl_diag *d)
{
	enum yl_err err = yl_store_tune_bulk(s, d);

	if (!err)
		err = yl_store_exec(s, "PRAGMA synchronous = OFF", d);
	if (!err)
		err = yl_store_exec(s, "PRAGMA wal_autocheckpoint = 16384", d);
	return err;
}

int64_t yl_store_changes(struct yl_store *s)
{
	return sqlite3_changes64(s->db);
}

struct yl_store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	int size;
	int nfree;
	struct yl_store **all;
	struct yl_store **free_list;
};

enum yl_err yl_store_pool_open(const char *path, int size, unsigned flags,
			       struct yl_store_pool **out, struct yl_diag *d)
{
	struct yl_store_pool *p = calloc(1, sizeof(*p));
	enum yl_err err = YL_OK;

	assert(!(flags & YL_STORE_CREATE));
	*out = NULL;
	if (!p)
		return yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory");
	p->all = calloc((size_t)size, sizeof(*p->all));
	p->free_list = calloc((size_t)size, sizeof(*p->free_list));
	if (!p->all || !p->free_list) {
		free(p->all);
		free(p->free_list);
		free(p);
		return yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory");
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	for (int i = 0; i < size && !err; i++) {
		err = yl_store_open(path, flags, &p->all[i], d);
		if (!err) {
			p->free_list[p->nfree++] = p->all[i];
			p->size++;
		}
	}
	if (err) {
		yl_store_pool_close(p);
		return err;
	}
	*out = p;
	return YL_OK;
}

void yl_store_pool_close(struct yl_store_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->size; i++)
		yl_store_close(p->all[i]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
	free(p->all);
	free(p->free_list);
	free(p);
}

struct yl_store *yl_store_pool_get(struct yl_store_pool *p)
{
	struct yl_store *s;

	pthread_mutex_lock(&p->lock);
	while (p->nfree == 0)
		pthread_cond_wait(&p->freed, &p->lock);
	s = p->free_list[--p->nfree];
	pthread_mutex_unlock(&p->lock);
	return s;
}

void yl_store_pool_put(struct yl_store_pool *p, struct yl_store *s)
{
	yl_store_rollback(s); /* never hand out a connection mid-transaction */
	pthread_mutex_lock(&p->lock);
	p->free_list[p->nfree++] = s;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}
