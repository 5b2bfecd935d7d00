/* practitioner.c - the practitioner registry and practice sites. The consortium rule for a
 * site is checked when the site is added; a site is not withdrawn automatically when the
 * institutions later stop sharing a consortium (that is a staffing decision, recorded by
 * whoever makes it), so readers that need the live rule ask yl_consortium_shared.
 */
#include "domain/practitioner.h"

#include <inttypes.h>
#include <string.h>

#include "domain/consortium.h"
#include "domain/department.h"
#include "domain/institution.h"

static const char *const titles[] = {"chief_physician", "associate_chief_physician",
				     "attending_physician", "resident_physician",
				     "assistant_physician", "village_doctor", "nurse", "pharmacist",
				     "technician", "other", NULL};

bool yl_practitioner_title_ok(const char *title)
{
	for (int i = 0; title && titles[i]; i++)
		if (strcmp(titles[i], title) == 0)
			return true;
	return false;
}

#define PRAC_COLS "id, name, title, general_practitioner, licence_no, institution_id," \
		  " department_id, created_at"

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_practitioner *o = item;

	memset(o, 0, sizeof(*o));
	o->id = yl_stmt_int(st, 0);
	o->name = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
	o->title = yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
	o->general_practitioner = yl_stmt_int(st, 3) != 0;
	o->licence_no = yl_stmt_null(st, 4) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, 4));
	o->institution_id = yl_stmt_int(st, 5);
	o->department_id = yl_stmt_int(st, 6);
	o->created_at = yl_stmt_int(st, 7);
}

static enum yl_err load_sites(const struct yl_ctx *c, struct yl_practitioner *o)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int cap = 0;
	int64_t *ids = NULL;

	o->sites = NULL;
	o->n_sites = 0;
	err = yl_store_prepare(c->store, "SELECT institution_id FROM practice_sites"
					 " WHERE practitioner_id = ? ORDER BY institution_id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, o->id);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		ids = yl_arena_grow(c->arena, ids, sizeof(*ids), o->n_sites, o->n_sites + 1, &cap);
		ids[o->n_sites++] = yl_stmt_int(st, 0);
	}
	yl_stmt_reset(st);
	o->sites = ids;
	return err;
}

enum yl_err yl_practitioner_get(const struct yl_ctx *c, int64_t id, struct yl_practitioner *out)
{
	struct yl_practitioner o;
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " PRAC_COLS " FROM practitioners WHERE id = ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_row_one(c, st, read_row, &o, "id", "no practitioner with id %" PRId64, id);
	if (err || !out)
		return err;
	err = load_sites(c, &o);
	if (!err)
		*out = o;
	return err;
}

enum yl_err yl_practitioner_create(const struct yl_ctx *c, const struct yl_practitioner *in,
				   struct yl_practitioner *out)
{
	struct yl_department dept;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t id;

	if (in->institution_id <= 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "institution_id", "institution_id is required");
	err = yl_require_institution_admin(c, in->institution_id);
	if (err)
		return err;
	if (!in->name || !*in->name)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "name", "name is required");
	if (!yl_practitioner_title_ok(in->title))
		return yl_diag_set(c->diag, in->title ? YL_ERR_INVALID : YL_ERR_MISSING, "title",
				   "title must be one of chief_physician, associate_chief_physician, "
				   "attending_physician, resident_physician, assistant_physician, "
				   "village_doctor, nurse, pharmacist, technician, other");
	if (in->licence_no && !*in->licence_no)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "licence_no", "licence_no must not be empty");
	err = yl_institution_get(c, in->institution_id, NULL);
	if (err)
		return yl_diag_set(c->diag, err, "institution_id",
				   "institution %" PRId64 " does not exist", in->institution_id);
	if (in->department_id) {
		err = yl_department_get(c, in->department_id, &dept);
		if (err)
			return yl_diag_set(c->diag, err, "department_id",
					   "department %" PRId64 " does not exist", in->department_id);
		if (dept.institution_id != in->institution_id)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "department_id",
					   "department %" PRId64 " belongs to institution %" PRId64
					   ", not to the main institution %" PRId64,
					   dept.id, dept.institution_id, in->institution_id);
	}
	err = yl_store_prepare(c->store, "INSERT INTO practitioners(name, title, general_practitioner,"
					 " licence_no, institution_id, department_id, created_at)"
					 " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, in->name);
	yl_stmt_bind_text(st, 2, in->title);
	yl_stmt_bind_int(st, 3, in->general_practitioner ? 1 : 0);
	yl_stmt_bind_text(st, 4, in->licence_no);
	yl_stmt_bind_int(st, 5, in->institution_id);
	yl_stmt_bind_id(st, 6, in->department_id);
	yl_stmt_bind_int(st, 7, yl_clock_now(c->clock));
	err = yl_stmt_step(st, &row, c->diag);
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, err, "licence_no", "licence_no '%.64s' is taken",
				   in->licence_no ? in->licence_no : "");
	if (err)
		return err;
	id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	err = yl_audit_id(c, "create", "practitioner", id);
	if (!err && out)
		err = yl_practitioner_get(c, id, out);
	return err;
}

enum yl_err yl_practitioner_add_site(const struct yl_ctx *c, int64_t practitioner_id,
				     int64_t institution_id, struct yl_practitioner *out)
{
	struct yl_practitioner p;
	struct yl_stmt *st;
	enum yl_err err;
	bool shared;

	err = yl_practitioner_get(c, practitioner_id, &p);
	if (err)
		return err;
	err = yl_require_institution_admin(c, p.institution_id);
	if (err)
		return err;
	if (institution_id <= 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "institution_id", "institution_id is required");
	err = yl_institution_get(c, institution_id, NULL);
	if (err)
		return yl_diag_set(c->diag, err, "institution_id",
				   "institution %" PRId64 " does not exist", institution_id);
	if (institution_id == p.institution_id)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "institution_id",
				   "institution %" PRId64 " is the main institution of practitioner %"
				   PRId64, institution_id, practitioner_id);
	for (int i = 0; i < p.n_sites; i++)
		if (p.sites[i] == institution_id)
			return yl_diag_set(c->diag, YL_ERR_CONFLICT, "institution_id",
					   "practitioner %" PRId64 " already practises at institution %"
					   PRId64, practitioner_id, institution_id);
	err = yl_consortium_shared(c, p.institution_id, institution_id, &shared);
	if (err)
		return err;
	if (!shared)
		return yl_diag_set(c->diag, YL_ERR_NOT_MEMBER, "institution_id",
				   "institutions %" PRId64 " and %" PRId64 " share no current consortium",
				   p.institution_id, institution_id);
	err = yl_store_prepare(c->store, "INSERT INTO practice_sites(practitioner_id, institution_id,"
					 " created_at) VALUES (?, ?, ?)", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, practitioner_id);
	yl_stmt_bind_int(st, 2, institution_id);
	yl_stmt_bind_int(st, 3, yl_clock_now(c->clock));
	err = yl_stmt_run(st, c->diag);
	if (!err)
		err = yl_audit(c, "add_site", "practitioner",
			       yl_arena_printf(c->arena, "%" PRId64, practitioner_id),
			       yl_arena_printf(c->arena, "institution %" PRId64, institution_id));
	if (!err && out)
		err = yl_practitioner_get(c, practitioner_id, out);
	return err;
}

enum yl_err yl_practitioner_list(const struct yl_ctx *c, const struct yl_practitioner_filter *f,
				 struct yl_practitioner **items, int *n, bool *more)
{
	struct yl_stmt *st;
	enum yl_err err;

	*items = NULL;
	*n = 0;
	*more = false;
	err = yl_require_staff_reader(c);
	if (err)
		return err;
	err = yl_store_prepare(c->store,
			       "SELECT " PRAC_COLS " FROM practitioners p"
			       " WHERE (? = 0 OR institution_id = ? OR EXISTS (SELECT 1 FROM"
			       "  practice_sites s WHERE s.practitioner_id = p.id"
			       "  AND s.institution_id = ?))"
			       " AND (? = 0 OR general_practitioner = ?) AND id > ?"
			       " ORDER BY id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, f->institution_id);
	yl_stmt_bind_int(st, 2, f->institution_id);
	yl_stmt_bind_int(st, 3, f->institution_id);
	yl_stmt_bind_int(st, 4, f->gp_given);
	yl_stmt_bind_int(st, 5, f->gp);
	yl_stmt_bind_int(st, 6, f->after);
	yl_stmt_bind_int(st, 7, f->limit + 1);
	err = yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
	for (int i = 0; !err && i < *n; i++)
		err = load_sites(c, &(*items)[i]);
	return err;
}
