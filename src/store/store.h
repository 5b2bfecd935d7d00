/* store.h - the one interface to the database: connections, transactions, statements,
 * migrations.
 *
 * SQLite is the backend today; the domain speaks only this interface and portable SQL
 * (`?` placeholders, RETURNING, partial indexes, integer and text types), so a PostgreSQL
 * backend can be added behind it. A yl_store is one connection and belongs to one thread at a
 * time; a yl_store_pool hands connections to server threads. Constraint failures are mapped
 * to the error vocabulary: UNIQUE -> YL_ERR_CONFLICT, FOREIGN KEY -> YL_ERR_NOT_FOUND,
 * CHECK/NOT NULL -> YL_ERR_INVALID, locked past the busy timeout -> YL_ERR_BUSY.
 */
#ifndef YL_STORE_STORE_H
#define YL_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"

struct yl_store;
struct yl_stmt;

enum yl_store_flags {
	YL_STORE_CREATE = 1,   /* create the file and migrate to the current schema */
	YL_STORE_READONLY = 2, /* open for reading only */
	YL_STORE_DURABLE = 4,  /* every COMMIT is on disk (fsync) before it returns */
};

enum { YL_STORE_BUSY_MS = 10000 };

/* Opens path (WAL, foreign keys on, busy timeout YL_STORE_BUSY_MS). With YL_STORE_DURABLE a
 * commit returns only once it is on disk (SQLite synchronous=FULL: the WAL is fsynced at each
 * commit); without it a commit survives a crash of the process but may be lost with the
 * machine (synchronous=NORMAL), which bulk loads and tools accept. Without YL_STORE_CREATE
 * the schema must already be current (YL_ERR_SCHEMA otherwise, with a hint to run init);
 * with it, pending migrations are applied. A schema newer than this binary is always refused.
 * *out is caller-frees (yl_store_close). */
enum yl_err yl_store_open(const char *path, unsigned flags, struct yl_store **out, struct yl_diag *d);
/* Closes s and finalises its cached statements; NULL is a no-op. */
void yl_store_close(struct yl_store *s);

/* The schema version of the open database, and the one this binary carries. */
int yl_store_schema_version(struct yl_store *s);
int yl_store_schema_latest(void);

/* Transactions. begin takes the write lock at once (so two writers never deadlock on upgrade);
 * begin_read gives a consistent snapshot for multi-statement reads. Nested begins assert. */
enum yl_err yl_store_begin(struct yl_store *s, struct yl_diag *d);
enum yl_err yl_store_begin_read(struct yl_store *s, struct yl_diag *d);
enum yl_err yl_store_commit(struct yl_store *s, struct yl_diag *d);
/* Rolls back if a transaction is open; safe to call always. */
void yl_store_rollback(struct yl_store *s);
bool yl_store_in_tx(const struct yl_store *s);

/* Durability of later commits on s, as YL_STORE_DURABLE at open. Not inside a transaction
 * (asserts). Errors: YL_ERR_IO and friends from the backend. */
enum yl_err yl_store_set_durable(struct yl_store *s, bool durable, struct yl_diag *d);

/* Savepoints inside the open transaction (asserts one is open). name is an identifier of
 * [a-z_] at most 31 bytes (asserts). rollback_to undoes everything since the savepoint and
 * keeps it open; release forgets it (its changes stay in the transaction). Portable SQL
 * (SAVEPOINT, RELEASE SAVEPOINT, ROLLBACK TO SAVEPOINT). Errors as yl_store_exec. */
enum yl_err yl_store_savepoint(struct yl_store *s, const char *name, struct yl_diag *d);
enum yl_err yl_store_release(struct yl_store *s, const char *name, struct yl_diag *d);
enum yl_err yl_store_rollback_to(struct yl_store *s, const char *name, struct yl_diag *d);

/* Runs SQL with no parameters and no rows (DDL, PRAGMA). */
enum yl_err yl_store_exec(struct yl_store *s, const char *sql, struct yl_diag *d);

/* Prepares sql (cached per connection by its text; the cached statement is reset and its
 * bindings cleared). The statement is borrowed: valid until yl_store_close. */
enum yl_err yl_store_prepare(struct yl_store *s, const char *sql, struct yl_stmt **out,
			     struct yl_diag *d);
/* Binds parameter idx (1-based). Text is copied. A NULL text binds SQL NULL. */
void yl_stmt_bind_int(struct yl_stmt *st, int idx, int64_t v);
void yl_stmt_bind_text(struct yl_stmt *st, int idx, const char *v);
void yl_stmt_bind_null(struct yl_stmt *st, int idx);
/* Binds v, or NULL when v == 0 (optional foreign keys). */
void yl_stmt_bind_id(struct yl_stmt *st, int idx, int64_t v);
/* Steps once: *row is true when a row is available. Errors are mapped as described above,
 * with the constraint text in the message. */
enum yl_err yl_stmt_step(struct yl_stmt *st, bool *row, struct yl_diag *d);
/* Steps to completion, ignoring rows. */
enum yl_err yl_stmt_run(struct yl_stmt *st, struct yl_diag *d);
/* Column accessors (0-based) for the current row. Text is borrowed until the next step. */
int64_t yl_stmt_int(struct yl_stmt *st, int col);
const char *yl_stmt_text(struct yl_stmt *st, int col);
bool yl_stmt_null(struct yl_stmt *st, int col);
/* Resets st so its locks are released (call after reading rows early). */
void yl_stmt_reset(struct yl_stmt *st);

/* Prepares s for one long bulk transaction (a large page cache so the indexes of a million
 * rows do not spill mid-transaction). Durability is unchanged. */
enum yl_err yl_store_tune_bulk(struct yl_store *s, struct yl_diag *d);
/* For data that can be regenerated (a simulation): yl_store_tune_bulk, commits not synced to
 * disk at all (synchronous=OFF: an operating-system crash may lose recent days, never the
 * file's consistency) and WAL checkpoints every 64 MiB instead of every 4 MiB. */
enum yl_err yl_store_tune_scratch(struct yl_store *s, struct yl_diag *d);

/* Number of rows changed by the last write statement on s. */
int64_t yl_store_changes(struct yl_store *s);

/* Pool of connections to one file for a multi-threaded server. flags as yl_store_open
 * (YL_STORE_DURABLE for a server; YL_STORE_CREATE is refused by assert). *out is caller-frees
 * (yl_store_pool_close). Thread-safe: get and put may be called from any thread. */
struct yl_store_pool;
enum yl_err yl_store_pool_open(const char *path, int size, unsigned flags,
			       struct yl_store_pool **out, struct yl_diag *d);
void yl_store_pool_close(struct yl_store_pool *p);
/* Blocks until a connection is free; returns it (borrowed until yl_store_pool_put). */
struct yl_store *yl_store_pool_get(struct yl_store_pool *p);
void yl_store_pool_put(struct yl_store_pool *p, struct yl_store *s);

#endif
