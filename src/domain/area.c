/* area.c - the area registry. Level and parent are derived from the code so they cannot
 * contradict it; the parent must already exist (load provinces, then cities, ...).
 */
#include "domain/area.h"

#include <string.h>

#include "base/codes.h"

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_area *a = item;

	a->code = yl_arena_strdup(c->arena, yl_stmt_text(st, 0));
	a->name = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
	a->level = yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
	a->parent_code = yl_arena_strdup(c->arena, yl_stmt_text(st, 3));
	a->created_at = yl_stmt_int(st, 4);
}

#define AREA_COLS "code, name, level, parent_code, created_at"

enum yl_err yl_area_get(const struct yl_ctx *c, const char *code, struct yl_area *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " AREA_COLS " FROM areas WHERE code = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, code);
	return yl_row_one(c, st, read_row, out, "code", "no area with code '%.20s'", code);
}

/* A county may sit directly under a province (省直辖县级行政单位, codes xx90xx). */
static bool parent_fits(enum yl_area_level child, enum yl_area_level parent)
{
	if (child == YL_AREA_COUNTY && parent == YL_AREA_PROVINCE)
		return true;
	return parent + 1 == child;
}

enum yl_err yl_area_create(const struct yl_ctx *c, const struct yl_area *in, struct yl_area *out)
{
	enum yl_area_level level, plevel;
	char parent[10];
	const char *parent_code = NULL;
	struct yl_stmt *st;
	enum yl_err err;
	int64_t now = yl_clock_now(c->clock);

	err = yl_require_admin(c);
	if (err)
		return err;
	if (!yl_area_code_check(in->code, &level))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "code",
				   "'%.20s' is not a GB/T 2260 area code (6 digits) or township code"
				   " (9 digits)", in->code ? in->code : "");
	if (!in->name || !*in->name)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "name", "name is required");
	if (level != YL_AREA_PROVINCE) {
		parent_code = in->parent_code;
		if (!parent_code) {
			yl_area_code_parent(in->code, parent);
			parent_code = parent;
		}
		if (!yl_area_code_check(parent_code, &plevel) || !parent_fits(level, plevel) ||
		    (plevel != YL_AREA_PROVINCE && strncmp(parent_code, in->code,
							    plevel == YL_AREA_CITY ? 4 : 6) != 0) ||
		    strncmp(parent_code, in->code, 2) != 0)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "parent_code",
					   "'%.20s' cannot be the parent of %s '%.20s'", parent_code,
					   yl_area_level_name(level), in->code);
		err = yl_area_get(c, parent_code, NULL);
		if (err)
			return yl_diag_set(c->diag, err, "parent_code", "parent area '%.20s' does not exist",
					   parent_code);
	} else if (in->parent_code) {
		return yl_diag_set(c->diag, YL_ERR_INVALID, "parent_code", "a province has no parent");
	}
	err = yl_store_prepare(c->store, "INSERT INTO areas(code, name, level, parent_code, created_at)"
					 " VALUES (?, ?, ?, ?, ?)", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, in->code);
	yl_stmt_bind_text(st, 2, in->name);
	yl_stmt_bind_text(st, 3, yl_area_level_name(level));
	yl_stmt_bind_text(st, 4, parent_code);
	yl_stmt_bind_int(st, 5, now);
	err = yl_stmt_run(st, c->diag);
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, err, "code", "area '%s' already exists", in->code);
	if (err)
		return err;
	err = yl_audit(c, "create", "area", in->code, NULL);
	if (!err && out) {
		out->code = yl_arena_strdup(c->arena, in->code);
		out->name = yl_arena_strdup(c->arena, in->name);
		out->level = yl_area_level_name(level);
		out->parent_code = yl_arena_strdup(c->arena, parent_code);
		out->created_at = now;
	}
	return err;
}

enum yl_err yl_area_list(const struct yl_ctx *c, const struct yl_area_filter *f,
			 struct yl_area **items, int *n, bool *more)
{
	struct yl_stmt *st;
	enum yl_err err;
	int cap = f->limit;

	err = yl_store_prepare(c->store, "SELECT " AREA_COLS " FROM areas"
					 " WHERE (? IS NULL OR parent_code = ?) AND (? IS NULL OR level = ?)"
					 " AND (? IS NULL OR code > ?) ORDER BY code LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, f->parent_code);
	yl_stmt_bind_text(st, 2, f->parent_code);
	yl_stmt_bind_text(st, 3, f->level);
	yl_stmt_bind_text(st, 4, f->level);
	yl_stmt_bind_text(st, 5, f->after);
	yl_stmt_bind_text(st, 6, f->after);
	yl_stmt_bind_int(st, 7, cap + 1);
	err = yl_rows_page(c, st, read_row, sizeof(**items), cap, items, n, more);
	return err;
}
