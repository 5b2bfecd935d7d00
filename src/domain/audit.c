/* audit.c - audit log queries for supervision: admins and regulators only, since the log
 * names every actor and every record touched. */
#include "domain/audit.h"

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_audit_entry *e = item;

	e->id = yl_stmt_int(st, 0);
	e->at = yl_stmt_int(st, 1);
	e->user_id = yl_stmt_int(st, 2);
	e->actor = yl_arena_strdup(c->arena, yl_stmt_text(st, 3));
	e->action = yl_arena_strdup(c->arena, yl_stmt_text(st, 4));
	e->entity = yl_arena_strdup(c->arena, yl_stmt_text(st, 5));
	e->entity_id = yl_arena_strdup(c->arena, yl_stmt_text(st, 6));
	e->detail = yl_arena_strdup(c->arena, yl_stmt_text(st, 7));
}

enum yl_err yl_audit_list(const struct yl_ctx *c, const struct yl_audit_filter *f,
			  struct yl_audit_entry **items, int *n, bool *more)
{
	struct yl_stmt *st;
	enum yl_err err;

	if (c->actor->role != YL_ROLE_ADMIN && c->actor->role != YL_ROLE_REGULATOR)
		return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL,
				   "only admins and regulators may read the audit log");
	err = yl_store_prepare(c->store,
			       "SELECT id, at, user_id, actor, action, entity, entity_id, detail"
			       " FROM audit_log WHERE id > ? AND (? IS NULL OR entity = ?)"
			       " AND (? IS NULL OR entity_id = ?) AND (? = 0 OR user_id = ?) AND at >= ?"
			       " ORDER BY id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, f->after);
	yl_stmt_bind_text(st, 2, f->entity);
	yl_stmt_bind_text(st, 3, f->entity);
	yl_stmt_bind_text(st, 4, f->entity_id);
	yl_stmt_bind_text(st, 5, f->entity_id);
	yl_stmt_bind_int(st, 6, f->user_id);
	yl_stmt_bind_int(st, 7, f->user_id);
	yl_stmt_bind_int(st, 8, f->since);
	yl_stmt_bind_int(st, 9, f->limit + 1);
	return yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
}
