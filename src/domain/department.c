/* department.c - the department registry. The permission check comes before the existence
 * check of the institution, so an institution_admin learns nothing about other institutions.
 * Category codes are checked for format only: the 诊疗科目 list is amended by the NHC and a
 * closed list here would reject valid new codes.
 */
#include "domain/department.h"

#include <inttypes.h>
#include <string.h>

#include "domain/institution.h"

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

bool yl_department_category_ok(const char *code)
{
	size_t n = code ? strlen(code) : 0;

	if (n != 2 && n != 5)
		return false;
	if (!is_digit(code[0]) || !is_digit(code[1]))
		return false;
	return n == 2 || (code[2] == '.' && is_digit(code[3]) && is_digit(code[4]));
}

#define DEPT_COLS "id, institution_id, name, category_code, created_at"

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_department *o = item;

	o->id = yl_stmt_int(st, 0);
	o->institution_id = yl_stmt_int(st, 1);
	o->name = yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
	o->category_code = yl_stmt_null(st, 3) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, 3));
	o->created_at = yl_stmt_int(st, 4);
}

enum yl_err yl_department_get(const struct yl_ctx *c, int64_t id, struct yl_department *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " DEPT_COLS " FROM departments WHERE id = ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_row_one(c, st, read_row, out, "id", "no department with id %" PRId64, id);
	return err;
}

enum yl_err yl_department_create(const struct yl_ctx *c, const struct yl_department *in,
				 struct yl_department *out)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t id, now = yl_clock_now(c->clock);

	if (in->institution_id <= 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "institution_id", "institution_id is required");
	err = yl_require_institution_admin(c, in->institution_id);
	if (err)
		return err;
	if (!in->name || !*in->name)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "name", "name is required");
	if (in->category_code && !yl_department_category_ok(in->category_code))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "category_code",
				   "category_code '%.16s' must be two digits, optionally followed by '.'"
				   " and two digits", in->category_code);
	err = yl_institution_get(c, in->institution_id, NULL);
	if (err)
		return yl_diag_set(c->diag, err, "institution_id",
				   "institution %" PRId64 " does not exist", in->institution_id);
	err = yl_store_prepare(c->store, "INSERT INTO departments(institution_id, name, category_code,"
					 " created_at) VALUES (?, ?, ?, ?) RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, in->institution_id);
	yl_stmt_bind_text(st, 2, in->name);
	yl_stmt_bind_text(st, 3, in->category_code);
	yl_stmt_bind_int(st, 4, now);
	err = yl_stmt_step(st, &row, c->diag);
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, err, "name",
				   "institution %" PRId64 " already has a department named '%.64s'",
				   in->institution_id, in->name);
	if (err)
		return err;
	id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	if (out) {
		*out = *in;
		out->id = id;
		out->created_at = now;
	}
	return yl_audit_id(c, "create", "department", id);
}

enum yl_err yl_department_list(const struct yl_ctx *c, const struct yl_department_filter *f,
			       struct yl_department **items, int *n, bool *more)
{
	struct yl_stmt *st;
	enum yl_err err;

	*items = NULL;
	*n = 0;
	*more = false;
	err = yl_require_staff_reader(c);
	if (err)
		return err;
	err = yl_store_prepare(c->store, "SELECT " DEPT_COLS " FROM departments"
					 " WHERE (? = 0 OR institution_id = ?) AND id > ?"
					 " ORDER BY id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, f->institution_id);
	yl_stmt_bind_int(st, 2, f->institution_id);
	yl_stmt_bind_int(st, 3, f->after);
	yl_stmt_bind_int(st, 4, f->limit + 1);
	err = yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
	return err;
}
