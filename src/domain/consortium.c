/* consortium.c - consortia and their membership periods. Dates are stored as "YYYY-MM-DD"
 * text so that string order is date order in SQLite and PostgreSQL alike. A membership is
 * current while left_on is absent or after today; joining in the future is refused so that
 * "current" needs no joined_on test and a scheduled leave (left_on after today) still counts.
 * This file does not decide what membership allows: practitioners and contracts ask
 * yl_consortium_shared.
 */
#include "domain/consortium.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/area.h"
#include "domain/institution.h"

static const char *const kinds[] = {"city_group", "county_community", "specialty_alliance",
				    "tele_network", NULL};

bool yl_consortium_kind_ok(const char *kind)
{
	for (int i = 0; kind && kinds[i]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return true;
	return false;
}

static void today_str(const struct yl_ctx *c, char out[YL_DATE_LEN])
{
	yl_date_format(yl_clock_today(c->clock), out);
}

/* The current members of consortium id, in institution id order. */
static enum yl_err current_ids(const struct yl_ctx *c, int64_t id, const int64_t **out, int *n)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int cap = 0;
	int64_t *ids = NULL;
	char today[YL_DATE_LEN];

	today_str(c, today);
	*out = NULL;
	*n = 0;
	err = yl_store_prepare(c->store, "SELECT DISTINCT institution_id FROM consortium_members"
					 " WHERE consortium_id = ? AND (left_on IS NULL OR left_on > ?)"
					 " ORDER BY institution_id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	yl_stmt_bind_text(st, 2, today);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		ids = yl_arena_grow(c->arena, ids, sizeof(*ids), *n, *n + 1, &cap);
		ids[(*n)++] = yl_stmt_int(st, 0);
	}
	yl_stmt_reset(st);
	*out = ids;
	return err;
}

#define CONS_COLS "id, code, name, kind, lead_institution_id, area_code, created_at"

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_consortium *o = item;

	memset(o, 0, sizeof(*o));
	o->id = yl_stmt_int(st, 0);
	o->code = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
	o->name = yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
	o->kind = yl_arena_strdup(c->arena, yl_stmt_text(st, 3));
	o->lead_institution_id = yl_stmt_int(st, 4);
	o->area_code = yl_stmt_null(st, 5) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, 5));
	o->created_at = yl_stmt_int(st, 6);
}

enum yl_err yl_consortium_get(const struct yl_ctx *c, int64_t id, struct yl_consortium *out)
{
	struct yl_consortium o;
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " CONS_COLS " FROM consortia WHERE id = ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_row_one(c, st, read_row, &o, "id", "no consortium with id %" PRId64, id);
	if (err || !out)
		return err;
	err = current_ids(c, id, &o.member_ids, &o.n_members);
	if (!err)
		*out = o;
	return err;
}

static enum yl_err insert_member(const struct yl_ctx *c, int64_t consortium_id,
				 int64_t institution_id, const char *joined_on)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "INSERT INTO consortium_members(consortium_id,"
					 " institution_id, joined_on, created_at) VALUES (?, ?, ?, ?)",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, consortium_id);
	yl_stmt_bind_int(st, 2, institution_id);
	yl_stmt_bind_text(st, 3, joined_on);
	yl_stmt_bind_int(st, 4, yl_clock_now(c->clock));
	err = yl_stmt_run(st, c->diag);
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, err, "institution_id",
				   "institution %" PRId64 " is already a member of consortium %" PRId64,
				   institution_id, consortium_id);
	return err;
}

/* Checks the create input that needs no writes: member ids distinct, not the lead, existing. */
static enum yl_err check_members(const struct yl_ctx *c, const struct yl_consortium *in)
{
	enum yl_err err;

	if (in->n_members < 0 || in->n_members > YL_CONSORTIUM_MAX_MEMBERS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "member_ids",
				   "member_ids may list at most %d institutions", YL_CONSORTIUM_MAX_MEMBERS);
	for (int i = 0; i < in->n_members; i++) {
		int64_t id = in->member_ids[i];
		if (id <= 0)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "member_ids",
					   "member_ids must hold positive institution ids");
		if (id == in->lead_institution_id)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "member_ids",
					   "institution %" PRId64 " is the lead; do not list it in member_ids",
					   id);
		for (int j = 0; j < i; j++)
			if (in->member_ids[j] == id)
				return yl_diag_set(c->diag, YL_ERR_INVALID, "member_ids",
						   "member_ids lists institution %" PRId64 " twice", id);
		err = yl_institution_get(c, id, NULL);
		if (err)
			return yl_diag_set(c->diag, err, "member_ids",
					   "institution %" PRId64 " does not exist", id);
	}
	return YL_OK;
}

enum yl_err yl_consortium_create(const struct yl_ctx *c, const struct yl_consortium *in,
				 struct yl_consortium *out)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t id, now = yl_clock_now(c->clock);
	char today[YL_DATE_LEN];

	err = yl_require_admin(c);
	if (err)
		return err;
	if (!in->code || !*in->code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "code", "code is required");
	if (!in->name || !*in->name)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "name", "name is required");
	if (!yl_consortium_kind_ok(in->kind))
		return yl_diag_set(c->diag, in->kind ? YL_ERR_INVALID : YL_ERR_MISSING, "kind",
				   "kind must be city_group, county_community, specialty_alliance or "
				   "tele_network");
	if (in->lead_institution_id <= 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "lead_institution_id",
				   "lead_institution_id is required");
	err = yl_institution_get(c, in->lead_institution_id, NULL);
	if (err)
		return yl_diag_set(c->diag, err, "lead_institution_id",
				   "institution %" PRId64 " does not exist", in->lead_institution_id);
	if (in->area_code) {
		err = yl_area_get(c, in->area_code, NULL);
		if (err)
			return yl_diag_set(c->diag, err, "area_code", "area '%.20s' does not exist",
					   in->area_code);
	}
	err = check_members(c, in);
	if (err)
		return err;
	err = yl_store_prepare(c->store, "INSERT INTO consortia(code, name, kind, lead_institution_id,"
					 " area_code, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, in->code);
	yl_stmt_bind_text(st, 2, in->name);
	yl_stmt_bind_text(st, 3, in->kind);
	yl_stmt_bind_int(st, 4, in->lead_institution_id);
	yl_stmt_bind_text(st, 5, in->area_code);
	yl_stmt_bind_int(st, 6, now);
	err = yl_stmt_step(st, &row, c->diag);
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, err, "code", "consortium code '%.64s' is taken", in->code);
	if (err)
		return err;
	id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	today_str(c, today);
	err = insert_member(c, id, in->lead_institution_id, today);
	for (int i = 0; !err && i < in->n_members; i++)
		err = insert_member(c, id, in->member_ids[i], today);
	if (!err)
		err = yl_audit_id(c, "create", "consortium", id);
	if (!err && out)
		err = yl_consortium_get(c, id, out);
	return err;
}

enum yl_err yl_consortium_list(const struct yl_ctx *c, const struct yl_consortium_filter *f,
			       struct yl_consortium **items, int *n, bool *more)
{
	struct yl_stmt *st;
	enum yl_err err;
	char today[YL_DATE_LEN];

	*items = NULL;
	*n = 0;
	*more = false;
	err = yl_require_staff_reader(c);
	if (err)
		return err;
	if (f->kind && !yl_consortium_kind_ok(f->kind))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "kind",
				   "kind must be city_group, county_community, specialty_alliance or "
				   "tele_network");
	today_str(c, today);
	err = yl_store_prepare(c->store,
			       "SELECT " CONS_COLS " FROM consortia c"
			       " WHERE (? IS NULL OR kind = ?) AND id > ?"
			       " AND (? = 0 OR EXISTS (SELECT 1 FROM consortium_members m"
			       "  WHERE m.consortium_id = c.id AND m.institution_id = ?"
			       "  AND (m.left_on IS NULL OR m.left_on > ?)))"
			       " ORDER BY id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, f->kind);
	yl_stmt_bind_text(st, 2, f->kind);
	yl_stmt_bind_int(st, 3, f->after);
	yl_stmt_bind_int(st, 4, f->institution_id);
	yl_stmt_bind_int(st, 5, f->institution_id);
	yl_stmt_bind_text(st, 6, today);
	yl_stmt_bind_int(st, 7, f->limit + 1);
	err = yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
	/* Members are read after the page so that only one statement is stepping at a time. */
	for (int i = 0; !err && i < *n; i++)
		err = current_ids(c, (*items)[i].id, &(*items)[i].member_ids, &(*items)[i].n_members);
	return err;
}

enum yl_err yl_consortium_join(const struct yl_ctx *c, int64_t consortium_id,
			       int64_t institution_id, const int32_t *joined_on,
			       struct yl_consortium_member *out)
{
	struct yl_consortium cons;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int32_t today = yl_clock_today(c->clock), day = joined_on ? *joined_on : today;
	char daystr[YL_DATE_LEN], todaystr[YL_DATE_LEN];

	err = yl_require_admin(c);
	if (err)
		return err;
	err = yl_consortium_get(c, consortium_id, &cons);
	if (err)
		return err;
	if (institution_id <= 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "institution_id", "institution_id is required");
	err = yl_institution_get(c, institution_id, NULL);
	if (err)
		return yl_diag_set(c->diag, err, "institution_id",
				   "institution %" PRId64 " does not exist", institution_id);
	if (day > today)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "joined_on", "joined_on must not be after today");
	yl_date_format(day, daystr);
	yl_date_format(today, todaystr);
	/* Periods are half-open [joined_on, left_on): rejoining on the day of leaving is fine. */
	err = yl_store_prepare(c->store, "SELECT joined_on, left_on FROM consortium_members"
					 " WHERE consortium_id = ? AND institution_id = ?"
					 " AND (left_on IS NULL OR left_on > ?)"
					 " ORDER BY joined_on DESC", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, consortium_id);
	yl_stmt_bind_int(st, 2, institution_id);
	yl_stmt_bind_text(st, 3, daystr);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		const char *left = yl_stmt_null(st, 1) ? NULL : yl_stmt_text(st, 1);
		if (!left || strcmp(left, todaystr) > 0)
			err = yl_diag_set(c->diag, YL_ERR_CONFLICT, "institution_id",
					  "institution %" PRId64 " is already a member of consortium %"
					  PRId64 " since %.10s", institution_id, consortium_id,
					  yl_stmt_text(st, 0));
		else
			err = yl_diag_set(c->diag, YL_ERR_CONFLICT, "joined_on",
					  "joined_on %s overlaps an earlier membership that ended on %.10s",
					  daystr, left);
	}
	yl_stmt_reset(st);
	if (!err)
		err = insert_member(c, consortium_id, institution_id, daystr);
	if (!err)
		err = yl_audit(c, "join", "consortium", yl_arena_printf(c->arena, "%" PRId64, consortium_id),
			       yl_arena_printf(c->arena, "institution %" PRId64 " from %s",
					       institution_id, daystr));
	if (!err && out) {
		memset(out, 0, sizeof(*out));
		out->consortium_id = consortium_id;
		out->institution_id = institution_id;
		out->joined_on = yl_arena_strdup(c->arena, daystr);
		out->current = true;
		out->lead = institution_id == cons.lead_institution_id;
	}
	return err;
}

enum yl_err yl_consortium_leave(const struct yl_ctx *c, int64_t consortium_id,
				int64_t institution_id, const int32_t *left_on,
				struct yl_consortium_member *out)
{
	struct yl_consortium cons;
	struct yl_stmt *st;
	enum yl_err err;
	bool row, ever = false;
	int64_t row_id = 0;
	char day[YL_DATE_LEN], joined[YL_DATE_LEN] = "";

	err = yl_require_admin(c);
	if (err)
		return err;
	err = yl_consortium_get(c, consortium_id, &cons);
	if (err)
		return err;
	if (institution_id == cons.lead_institution_id)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "institution_id",
				   "institution %" PRId64 " leads consortium %" PRId64 " and cannot leave",
				   institution_id, consortium_id);
	err = yl_store_prepare(c->store, "SELECT id, joined_on, left_on FROM consortium_members"
					 " WHERE consortium_id = ? AND institution_id = ?"
					 " ORDER BY joined_on DESC, id DESC", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, consortium_id);
	yl_stmt_bind_int(st, 2, institution_id);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		ever = true;
		if (yl_stmt_null(st, 2)) {
			row_id = yl_stmt_int(st, 0);
			snprintf(joined, sizeof(joined), "%.10s", yl_stmt_text(st, 1));
			break;
		}
	}
	yl_stmt_reset(st);
	if (err)
		return err;
	if (!row_id)
		return yl_diag_set(c->diag, ever ? YL_ERR_CONFLICT : YL_ERR_NOT_FOUND, "institution_id",
				   ever ? "the membership of institution %" PRId64 " in consortium %"
					  PRId64 " has already been ended"
					: "institution %" PRId64 " is not a member of consortium %" PRId64,
				   institution_id, consortium_id);
	yl_date_format(left_on ? *left_on : yl_clock_today(c->clock), day);
	if (strcmp(day, joined) < 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "left_on",
				   "left_on %s is before joined_on %s", day, joined);
	err = yl_store_prepare(c->store, "UPDATE consortium_members SET left_on = ? WHERE id = ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, day);
	yl_stmt_bind_int(st, 2, row_id);
	err = yl_stmt_run(st, c->diag);
	if (!err)
		err = yl_audit(c, "leave", "consortium",
			       yl_arena_printf(c->arena, "%" PRId64, consortium_id),
			       yl_arena_printf(c->arena, "institution %" PRId64 " on %s",
					       institution_id, day));
	if (!err && out) {
		char today[YL_DATE_LEN];

		today_str(c, today);
		memset(out, 0, sizeof(*out));
		out->consortium_id = consortium_id;
		out->institution_id = institution_id;
		out->joined_on = yl_arena_strdup(c->arena, joined);
		out->left_on = yl_arena_strdup(c->arena, day);
		out->current = strcmp(day, today) > 0;
	}
	return err;
}

enum yl_err yl_consortium_members(const struct yl_ctx *c, int64_t consortium_id,
				  bool current_only, struct yl_consortium_member **items, int *n)
{
	struct yl_consortium cons;
	struct yl_consortium_member *list = NULL;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int cap = 0;
	char today[YL_DATE_LEN];

	*items = NULL;
	*n = 0;
	if ((err = yl_require_staff_reader(c)) || (err = yl_consortium_get(c, consortium_id, &cons)))
		return err;
	today_str(c, today);
	err = yl_store_prepare(c->store, "SELECT institution_id, joined_on, left_on"
					 " FROM consortium_members WHERE consortium_id = ?"
					 " AND (? = 0 OR left_on IS NULL OR left_on > ?)"
					 " ORDER BY joined_on, institution_id, id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, consortium_id);
	yl_stmt_bind_int(st, 2, current_only);
	yl_stmt_bind_text(st, 3, today);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		struct yl_consortium_member *m;
		list = yl_arena_grow(c->arena, list, sizeof(*list), *n, *n + 1, &cap);
		m = &list[(*n)++];
		m->consortium_id = consortium_id;
		m->institution_id = yl_stmt_int(st, 0);
		m->joined_on = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
		m->left_on = yl_stmt_null(st, 2) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
		m->current = !m->left_on || strcmp(m->left_on, today) > 0;
		m->lead = m->institution_id == cons.lead_institution_id;
	}
	yl_stmt_reset(st);
	*items = list;
	return err;
}

enum yl_err yl_consortium_shared(const struct yl_ctx *c, int64_t inst_a, int64_t inst_b,
				 bool *shared)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row = false;
	char today[YL_DATE_LEN];

	*shared = false;
	today_str(c, today);
	err = yl_store_prepare(c->store, "SELECT 1 FROM consortium_members a"
					 " JOIN consortium_members b ON b.consortium_id = a.consortium_id"
					 " WHERE a.institution_id = ? AND b.institution_id = ?"
					 " AND (a.left_on IS NULL OR a.left_on > ?)"
					 " AND (b.left_on IS NULL OR b.left_on > ?) LIMIT 1", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, inst_a);
	yl_stmt_bind_int(st, 2, inst_b);
	yl_stmt_bind_text(st, 3, today);
	yl_stmt_bind_text(st, 4, today);
	err = yl_stmt_step(st, &row, c->diag);
	yl_stmt_reset(st);
	*shared = !err && row;
	return err;
}
