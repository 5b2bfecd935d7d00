/* ctx.h - what every domain call is given: the store (inside a transaction the caller
 * opened), the clock, the caller's arena, a diag for errors, and the acting user.
 *
 * Domain functions never open or commit transactions: the face (API handler, CLI command,
 * importer, simulator) wraps each write request in exactly one transaction, so a file import
 * is all-or-nothing and an HTTP write is one commit. Domain functions check the actor's
 * permission themselves, so every face enforces the same rules.
 */
#ifndef YL_DOMAIN_CTX_H
#define YL_DOMAIN_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/diag.h"
#include "store/store.h"

enum yl_role {
	YL_ROLE_NONE = 0,
	YL_ROLE_ADMIN,
	YL_ROLE_INSTITUTION_ADMIN,
	YL_ROLE_DOCTOR,
	YL_ROLE_RESIDENT,
	YL_ROLE_INSURER,
	YL_ROLE_REGULATOR,
};

struct yl_actor {
	int64_t user_id;        /* 0 for the system (CLI, importer, simulator) */
	const char *name;       /* username or "system:<command>" */
	enum yl_role role;
	int64_t institution_id; /* for institution_admin and doctor */
	int64_t resident_id;    /* for resident */
};

struct yl_ctx {
	struct yl_store *store;       /* borrowed; a transaction is open for writes */
	const struct yl_clock *clock; /* borrowed */
	struct yl_arena *arena;       /* borrowed; results are allocated here */
	struct yl_diag *diag;         /* borrowed; receives error details */
	const struct yl_actor *actor; /* borrowed */
	bool batch;                   /* bulk import: the caller writes one summary audit row */
	bool no_live_measures;        /* bulk loads, benchmarks: yl_measure_add writes nothing, and
				       * signing_stock is left stale until rebuilt (signing_stock.h) */
	struct yl_measure_buf *measures; /* NULL, or a write-behind buffer for measure_agg deltas
					  * that the face flushes before it commits (measure.h) */
};

const char *yl_role_name(enum yl_role r);
/* Parses a role name; YL_ROLE_NONE when unknown. */
enum yl_role yl_role_parse(const char *s);

/* Permission helpers: return YL_OK or YL_ERR_FORBIDDEN with a message. */
enum yl_err yl_require_admin(const struct yl_ctx *c);
/* admin, or institution_admin of institution_id. */
enum yl_err yl_require_institution_admin(const struct yl_ctx *c, int64_t institution_id);
/* admin, or institution_admin/doctor of institution_id. */
enum yl_err yl_require_institution_staff(const struct yl_ctx *c, int64_t institution_id);
/* Any role but resident may read registry data. */
enum yl_err yl_require_staff_reader(const struct yl_ctx *c);

/* Appends an audit row (who, what, when) unless c->batch. entity_id may be NULL. */
enum yl_err yl_audit(const struct yl_ctx *c, const char *action, const char *entity,
		     const char *entity_id, const char *detail);
enum yl_err yl_audit_id(const struct yl_ctx *c, const char *action, const char *entity,
			int64_t entity_id);

/* Reads the current row of st into item (a struct of the caller's type). */
typedef void (*yl_row_fn)(const struct yl_ctx *c, struct yl_stmt *st, void *item);

/* Steps st (prepared, bound, with "LIMIT limit + 1") into a new arena array of item_size
 * entries: at most limit items go to *items and *n, and *more says whether a further row
 * exists (the next page). Resets st. */
enum yl_err yl_rows_page(const struct yl_ctx *c, struct yl_stmt *st, yl_row_fn read,
			 size_t item_size, int limit, void *items, int *n, bool *more);
/* Steps st expecting one row and reads it into out (skipped when out is NULL). No row is
 * YL_ERR_NOT_FOUND on field, with the message formatted from fmt. Resets st. */
enum yl_err yl_row_one(const struct yl_ctx *c, struct yl_stmt *st, yl_row_fn read, void *out,
		       const char *field, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Reads an integer setting (settings table); *out keeps its value when the key is absent. */
enum yl_err yl_setting_int(const struct yl_ctx *c, const char *key, int64_t *out);

#endif
