/* institution.c - the institution registry. The level vocabulary is the one of the reform
 * documents (村卫生室 / 乡镇卫生院·社区卫生服务中心 / 二级 / 三级); kinds follow WS 218 broadly.
 */
#include "domain/institution.h"

#include <string.h>

#include "base/codes.h"
#include "domain/area.h"

static const char *const levels[] = {"village", "primary", "secondary", "tertiary", NULL};
static const char *const kinds[] = {"general", "tcm", "integrated", "maternal_child", "specialty",
				    "public_health", "rehabilitation", "nursing", "other", NULL};

static int index_of(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

bool yl_institution_level_ok(const char *level) { return index_of(levels, level) >= 0; }
bool yl_institution_kind_ok(const char *kind) { return index_of(kinds, kind) >= 0; }
int yl_institution_level_rank(const char *level) { return index_of(levels, level); }

void yl_area_prefix(const char *code, char out[10])
{
	enum yl_area_level l = YL_AREA_COUNTY;
	size_t n;

	yl_area_code_check(code, &l);
	n = l == YL_AREA_PROVINCE ? 2 : l == YL_AREA_CITY ? 4 : strlen(code);
	if (n > 9)
		n = 9;
	memcpy(out, code, n);
	out[n] = '\0';
}

void yl_area_range(const char *code, char lo[10], char hi[10])
{
	size_t len;

	yl_area_prefix(code, lo);
	len = strlen(lo);
	memcpy(hi, lo, len + 1);
	if (len)
		hi[len - 1] = (char)(hi[len - 1] + 1); /* '9' + 1 is ':', above every digit */
}

#define INST_COLS "id, code, name, level, kind, area_code, beds, township_centre_id, created_at"

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_institution *o = item;

	o->id = yl_stmt_int(st, 0);
	o->code = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
	o->name = yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
	o->level = yl_arena_strdup(c->arena, yl_stmt_text(st, 3));
	o->kind = yl_arena_strdup(c->arena, yl_stmt_text(st, 4));
	o->area_code = yl_arena_strdup(c->arena, yl_stmt_text(st, 5));
	o->beds = yl_stmt_int(st, 6);
	o->township_centre_id = yl_stmt_int(st, 7);
	o->created_at = yl_stmt_int(st, 8);
}

enum yl_err yl_institution_get(const struct yl_ctx *c, int64_t id, struct yl_institution *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " INST_COLS " FROM institutions WHERE id = ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_row_one(c, st, read_row, out, "id", "no institution with id %lld",
				  (long long)id);
	return err;
}

enum yl_err yl_institution_create(const struct yl_ctx *c, const struct yl_institution *in,
				  struct yl_institution *out)
{
	struct yl_institution centre;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t now = yl_clock_now(c->clock);

	err = yl_require_admin(c);
	if (err)
		return err;
	if (!in->code || !*in->code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "code", "code is required");
	if (!in->name || !*in->name)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "name", "name is required");
	if (!yl_institution_level_ok(in->level))
		return yl_diag_set(c->diag, in->level ? YL_ERR_INVALID : YL_ERR_MISSING, "level",
				   "level must be village, primary, secondary or tertiary");
	if (!yl_institution_kind_ok(in->kind))
		return yl_diag_set(c->diag, in->kind ? YL_ERR_INVALID : YL_ERR_MISSING, "kind",
				   "kind must be one of general, tcm, integrated, maternal_child, "
				   "specialty, public_health, rehabilitation, nursing, other");
	if (in->beds < 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "beds", "beds must not be negative");
	if (!in->area_code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "area_code", "area_code is required");
	err = yl_area_get(c, in->area_code, NULL);
	if (err)
		return yl_diag_set(c->diag, err, "area_code", "area '%.20s' does not exist", in->area_code);
	if (strcmp(in->level, "village") == 0) {
		if (!in->township_centre_id)
			return yl_diag_set(c->diag, YL_ERR_MISSING, "township_centre_id",
					   "a village clinic needs its township centre");
		err = yl_institution_get(c, in->township_centre_id, &centre);
		if (err)
			return yl_diag_set(c->diag, err, "township_centre_id",
					   "township centre %lld does not exist",
					   (long long)in->township_centre_id);
		if (strcmp(centre.level, "primary") != 0)
			return yl_diag_set(c->diag, YL_ERR_LEVEL, "township_centre_id",
					   "institution %lld is %s, a township centre must be primary",
					   (long long)centre.id, centre.level);
	} else if (in->township_centre_id) {
		return yl_diag_set(c->diag, YL_ERR_INVALID, "township_centre_id",
				   "only a village clinic has a township centre");
	}
	err = yl_store_prepare(c->store, "INSERT INTO institutions(code, name, level, kind, area_code,"
					 " beds, township_centre_id, created_at)"
					 " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, in->code);
	yl_stmt_bind_text(st, 2, in->name);
	yl_stmt_bind_text(st, 3, in->level);
	yl_stmt_bind_text(st, 4, in->kind);
	yl_stmt_bind_text(st, 5, in->area_code);
	yl_stmt_bind_int(st, 6, in->beds);
	yl_stmt_bind_id(st, 7, in->township_centre_id);
	yl_stmt_bind_int(st, 8, now);
	err = yl_stmt_step(st, &row, c->diag);
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, err, "code", "institution code '%.64s' is taken", in->code);
	if (err)
		return err;
	if (out) {
		*out = *in;
		out->id = yl_stmt_int(st, 0);
		out->created_at = now;
	}
	yl_stmt_reset(st);
	return yl_audit(c, "create", "institution", in->code, NULL);
}

enum yl_err yl_institution_list(const struct yl_ctx *c, const struct yl_institution_filter *f,
				struct yl_institution **items, int *n, bool *more)
{
	struct yl_stmt *st;
	enum yl_err err;
	char lo[10] = "", hi[10] = "";
	char today[YL_DATE_LEN];

	yl_date_format(yl_clock_today(c->clock), today);
	if (f->area_code) {
		if (!yl_area_code_check(f->area_code, NULL))
			return yl_diag_set(c->diag, YL_ERR_INVALID, "area_code",
					   "area_code must be a 6- or 9-digit area code");
		yl_area_range(f->area_code, lo, hi);
	}
	err = yl_store_prepare(c->store,
			       "SELECT " INST_COLS " FROM institutions i"
			       " WHERE (? IS NULL OR level = ?) AND (? IS NULL OR (area_code >= ? AND area_code < ?))"
			       " AND (? = 0 OR township_centre_id = ?) AND id > ?"
			       " AND (? = 0 OR EXISTS (SELECT 1 FROM consortium_members m"
			       "  WHERE m.institution_id = i.id AND m.consortium_id = ?"
			       "  AND (m.left_on IS NULL OR m.left_on > ?)))"
			       " ORDER BY id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, f->level);
	yl_stmt_bind_text(st, 2, f->level);
	yl_stmt_bind_text(st, 3, f->area_code ? lo : NULL);
	yl_stmt_bind_text(st, 4, lo);
	yl_stmt_bind_text(st, 5, hi);
	yl_stmt_bind_int(st, 6, f->township_centre_id);
	yl_stmt_bind_int(st, 7, f->township_centre_id);
	yl_stmt_bind_int(st, 8, f->after);
	yl_stmt_bind_int(st, 9, f->consortium_id);
	yl_stmt_bind_int(st, 10, f->consortium_id);
	yl_stmt_bind_text(st, 11, today);
	yl_stmt_bind_int(st, 12, f->limit + 1);
	err = yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
	return err;
}
