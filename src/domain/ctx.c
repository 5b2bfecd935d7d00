/* ctx.c - roles, permission checks, audit rows and settings shared by every domain module. */
#include "domain/ctx.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[] = {
	[YL_ROLE_NONE] = "none",
	[YL_ROLE_ADMIN] = "admin",
	[YL_ROLE_INSTITUTION_ADMIN] = "institution_admin",
	[YL_ROLE_DOCTOR] = "doctor",
	[YL_ROLE_RESIDENT] = "resident",
	[YL_ROLE_INSURER] = "insurer",
	[YL_ROLE_REGULATOR] = "regulator",
};

const char *yl_role_name(enum yl_role r)
{
	return (unsigned)r < sizeof(role_names) / sizeof(role_names[0]) ? role_names[r] : "none";
}

enum yl_role yl_role_parse(const char *s)
{
	for (size_t i = 1; s && i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum yl_role)i;
	return YL_ROLE_NONE;
}

enum yl_err yl_require_admin(const struct yl_ctx *c)
{
	if (c->actor->role == YL_ROLE_ADMIN)
		return YL_OK;
	return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL, "role %s may not do this; admin only",
			   yl_role_name(c->actor->role));
}

enum yl_err yl_require_institution_admin(const struct yl_ctx *c, int64_t institution_id)
{
	const struct yl_actor *a = c->actor;

	if (a->role == YL_ROLE_ADMIN)
		return YL_OK;
	if (a->role == YL_ROLE_INSTITUTION_ADMIN && a->institution_id == institution_id)
		return YL_OK;
	return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL,
			   "role %s may not change institution %" PRId64, yl_role_name(a->role),
			   institution_id);
}

enum yl_err yl_require_institution_staff(const struct yl_ctx *c, int64_t institution_id)
{
	const struct yl_actor *a = c->actor;

	if (a->role == YL_ROLE_ADMIN)
		return YL_OK;
	if ((a->role == YL_ROLE_INSTITUTION_ADMIN || a->role == YL_ROLE_DOCTOR) &&
	    a->institution_id == institution_id)
		return YL_OK;
	return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL,
			   "role %s may not act for institution %" PRId64, yl_role_name(a->role),
			   institution_id);
}

enum yl_err yl_require_staff_reader(const struct yl_ctx *c)
{
	if (c->actor->role != YL_ROLE_RESIDENT && c->actor->role != YL_ROLE_NONE)
		return YL_OK;
	return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL, "role %s may not read this",
			   yl_role_name(c->actor->role));
}

enum yl_err yl_audit(const struct yl_ctx *c, const char *action, const char *entity,
		     const char *entity_id, const char *detail)
{
	struct yl_stmt *st;
	enum yl_err err;

	if (c->batch)
		return YL_OK;
	err = yl_store_prepare(c->store, "INSERT INTO audit_log(at, user_id, actor, action, entity,"
					 " entity_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, yl_clock_now(c->clock));
	yl_stmt_bind_id(st, 2, c->actor->user_id);
	yl_stmt_bind_text(st, 3, c->actor->name ? c->actor->name : "system");
	yl_stmt_bind_text(st, 4, action);
	yl_stmt_bind_text(st, 5, entity);
	yl_stmt_bind_text(st, 6, entity_id);
	yl_stmt_bind_text(st, 7, detail);
	return yl_stmt_run(st, c->diag);
}

enum yl_err yl_audit_id(const struct yl_ctx *c, const char *action, const char *entity,
			int64_t entity_id)
{
	char id[24];

	snprintf(id, sizeof(id), "%" PRId64, entity_id);
	return yl_audit(c, action, entity, id, NULL);
}

enum yl_err yl_setting_int(const struct yl_ctx *c, const char *key, int64_t *out)
{
	struct yl_stmt *st;
	bool row;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT value FROM settings WHERE key = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, key);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row)
		*out = strtoll(yl_stmt_text(st, 0), NULL, 10);
	yl_stmt_reset(st);
	return err;
}

enum yl_err yl_rows_page(const struct yl_ctx *c, struct yl_stmt *st, yl_row_fn read,
			 size_t item_size, int limit, void *items, int *n, bool *more)
{
	char *arr = yl_arena_alloc(c->arena, item_size * (size_t)(limit + 1));
	enum yl_err err;
	bool row;

	*(void **)items = arr;
	*n = 0;
	*more = false;
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		if (*n == limit) {
			*more = true;
			break;
		}
		read(c, st, arr + item_size * (size_t)(*n)++);
	}
	yl_stmt_reset(st);
	return err;
}

enum yl_err yl_row_one(const struct yl_ctx *c, struct yl_stmt *st, yl_row_fn read, void *out,
		       const char *field, const char *fmt, ...)
{
	enum yl_err err;
	bool row;

	err = yl_stmt_step(st, &row, c->diag);
	if (!err && !row) {
		char msg[sizeof(c->diag->message)];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		err = yl_diag_set(c->diag, YL_ERR_NOT_FOUND, field, "%s", msg);
	}
	if (!err && out)
		read(c, st, out);
	yl_stmt_reset(st);
	return err;
}
