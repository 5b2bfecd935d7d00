/* search.c - slot search. Both searches read rows in time order from an index and decide in
 * C what each slot offers, so the pool rules stay in yl_slot_pools alone. Release policies
 * and the caller's pools are looked up once per institution met (a small cache in the
 * arena), not once per slot. "Earliest" deliberately filters after the index rather than
 * listing the area's institutions first: the first free slots are usually near the front of
 * the category's time order, so a forward scan that stops at the limit reads few rows.
 */
#include "domain/search.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "domain/department.h"
#include "domain/institution.h"
#include "domain/session.h"

/* What one institution means for this caller: its policy and the pools the caller may use. */
struct inst_info {
	int64_t institution_id;
	struct yl_release_policy policy;
	bool allowed[3];
};

struct inst_cache {
	struct inst_info *items;
	int n, cap;
};

static enum yl_err inst_lookup(const struct yl_ctx *c, struct inst_cache *k, int64_t inst,
			       int64_t resident_id, const struct inst_info **out)
{
	struct inst_info *e;
	enum yl_err err;

	for (int i = 0; i < k->n; i++)
		if (k->items[i].institution_id == inst) {
			*out = &k->items[i];
			return YL_OK;
		}
	k->items = yl_arena_grow(c->arena, k->items, sizeof(*k->items), k->n, k->n + 1, &k->cap);
	e = &k->items[k->n];
	e->institution_id = inst;
	if ((err = yl_release_policy_get(c, inst, &e->policy)) ||
	    (err = yl_slot_caller_pools(c, resident_id, inst, e->allowed)))
		return err;
	k->n++;
	*out = e;
	return YL_OK;
}

/* The pool offered to the caller: family_doctor first (the reserved places exist for this),
 * public otherwise, -1 when neither has a free place. */
static int choose_pool(const struct yl_pool_view *v, const bool allowed[3])
{
	if (allowed[YL_POOL_FAMILY_DOCTOR] && v->free[YL_POOL_FAMILY_DOCTOR] > 0)
		return YL_POOL_FAMILY_DOCTOR;
	if (allowed[YL_POOL_PUBLIC] && v->free[YL_POOL_PUBLIC] > 0)
		return YL_POOL_PUBLIC;
	return -1;
}

static enum yl_err judge(const struct yl_ctx *c, struct inst_cache *k, int64_t resident_id,
			 struct yl_slot_hit *h)
{
	const struct inst_info *e;
	enum yl_err err = inst_lookup(c, k, h->slot.institution_id, resident_id, &e);

	if (err)
		return err;
	yl_slot_pools(&h->slot, &e->policy, yl_clock_now(c->clock), &h->view);
	h->pool = choose_pool(&h->view, e->allowed);
	return YL_OK;
}

/* A resident_id must exist; a resident user may ask only about themselves. */
static enum yl_err check_resident(const struct yl_ctx *c, int64_t resident_id)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	if (c->actor->role == YL_ROLE_NONE)
		return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL, "sign in to search slots");
	if (!resident_id)
		return YL_OK;
	if (c->actor->role == YL_ROLE_RESIDENT && c->actor->resident_id != resident_id)
		return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, "resident_id",
				   "a resident may search only for themselves");
	err = yl_store_prepare(c->store, "SELECT 1 FROM residents WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	err = yl_stmt_step(st, &row, c->diag);
	yl_stmt_reset(st);
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "resident_id",
				  "no resident with id %" PRId64, resident_id);
	return err;
}

#define HIT_COLS YL_SLOT_COLS ", i.name, i.level, d.name"
#define HIT_FROM                                                                                   \
	YL_SLOT_FROM " JOIN institutions i ON i.id = s.institution_id"                            \
		     " JOIN departments d ON d.id = s.department_id"

static void read_hit(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_slot_hit *h = item;

	memset(h, 0, sizeof(*h));
	yl_session_slot_read(c, st, 0, &h->slot);
	h->institution_name = yl_arena_strdup(c->arena, yl_stmt_text(st, YL_SLOT_NCOLS));
	h->institution_level = yl_arena_strdup(c->arena, yl_stmt_text(st, YL_SLOT_NCOLS + 1));
	h->department_name = yl_arena_strdup(c->arena, yl_stmt_text(st, YL_SLOT_NCOLS + 2));
	h->pool = -1;
}

/* The day search, led by whichever index the filter names: slots(department_id, starts_at)
 * or slots(institution_id, starts_at). The other id and the practitioner are filters. */
#define DAY_TAIL                                                                                   \
	" AND s.starts_at >= ? AND s.starts_at < ? AND (? = 0 OR s.practitioner_id = ?)"          \
	" AND se.status = 'open' AND (s.starts_at > ? OR (s.starts_at = ? AND s.id > ?))"         \
	" ORDER BY s.starts_at, s.id LIMIT ?"

enum yl_err yl_slot_search(const struct yl_ctx *c, const struct yl_slot_filter *f,
			   struct yl_slot_hit **items, int *n, bool *more)
{
	struct inst_cache k = {0};
	struct yl_stmt *st;
	enum yl_err err;
	int64_t lo, hi, lead, other;
	bool by_dept = f->department_id != 0;

	*items = NULL;
	*n = 0;
	*more = false;
	if ((err = check_resident(c, f->resident_id)))
		return err;
	if (!f->department_id && !f->institution_id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "institution_id",
				   "give institution_id or department_id");
	yl_local_time(f->date, "00:00", &lo);
	hi = lo + 86400;
	err = yl_store_prepare(c->store, by_dept
					? "SELECT " HIT_COLS " FROM " HIT_FROM " WHERE s.department_id = ?"
					  " AND (? = 0 OR s.institution_id = ?)" DAY_TAIL
					: "SELECT " HIT_COLS " FROM " HIT_FROM " WHERE s.institution_id = ?"
					  " AND (? = 0 OR s.department_id = ?)" DAY_TAIL,
			       &st, c->diag);
	if (err)
		return err;
	lead = by_dept ? f->department_id : f->institution_id;
	other = by_dept ? f->institution_id : 0;
	yl_stmt_bind_int(st, 1, lead);
	yl_stmt_bind_int(st, 2, other);
	yl_stmt_bind_int(st, 3, other);
	yl_stmt_bind_int(st, 4, lo);
	yl_stmt_bind_int(st, 5, hi);
	yl_stmt_bind_int(st, 6, f->practitioner_id);
	yl_stmt_bind_int(st, 7, f->practitioner_id);
	yl_stmt_bind_int(st, 8, f->after_starts_at);
	yl_stmt_bind_int(st, 9, f->after_starts_at);
	yl_stmt_bind_int(st, 10, f->after_id);
	yl_stmt_bind_int(st, 11, f->limit + 1);
	if ((err = yl_rows_page(c, st, read_hit, sizeof(**items), f->limit, items, n, more)))
		return err;
	for (int i = 0; i < *n; i++)
		if ((err = judge(c, &k, f->resident_id, &(*items)[i])))
			return err;
	return YL_OK;
}

/* Area codes for search: 2 (province), 4 (city), 6 (county) or 9 (township) digits. */
static bool area_ok(const char *code)
{
	size_t len = code ? strlen(code) : 0;

	if (len != 2 && len != 4 && len != 6 && len != 9)
		return false;
	for (size_t i = 0; i < len; i++)
		if (code[i] < '0' || code[i] > '9')
			return false;
	return true;
}

enum yl_err yl_slot_earliest(const struct yl_ctx *c, const struct yl_earliest_filter *f,
			     struct yl_slot_hit **items, int *n)
{
	static const char *const level_names[4] = {"village", "primary", "secondary", "tertiary"};
	struct inst_cache k = {0};
	struct yl_slot_hit *hits;
	struct yl_stmt *st;
	enum yl_err err;
	char lo[10], hi[10];
	int64_t now = yl_clock_now(c->clock);
	bool any = false, row;
	int count = 0;

	*items = NULL;
	*n = 0;
	if ((err = check_resident(c, f->resident_id)))
		return err;
	if (!f->category_code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "category_code", "category_code is required");
	if (!yl_department_category_ok(f->category_code))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "category_code",
				   "category_code must be NN or NN.NN");
	if (!f->area_code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "area_code", "area_code is required");
	if (!area_ok(f->area_code))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "area_code",
				   "area_code must have 2, 4, 6 or 9 digits");
	assert(f->limit >= 1 && f->limit <= YL_SEARCH_EARLIEST_MAX);
	yl_area_range(f->area_code, lo, hi);
	for (int i = 0; i < 4; i++)
		any = any || f->levels[i];
	hits = yl_arena_alloc(c->arena, sizeof(*hits) * (size_t)f->limit);
	/* slots leads: category_code = ? and the starts_at range walk slots_category_time in
	 * time order; institutions, sessions and departments are looked up by primary key per
	 * row. No LIMIT in SQL: the filter on pools is in C, and the loop stops at f->limit. */
	err = yl_store_prepare(c->store, "SELECT " HIT_COLS " FROM " HIT_FROM
					 " WHERE s.category_code = ? AND s.starts_at > ? AND s.starts_at < ?"
					 " AND se.status = 'open' AND i.area_code >= ? AND i.area_code < ?"
					 " AND i.level IN (?, ?, ?, ?) ORDER BY s.starts_at, s.id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, f->category_code);
	yl_stmt_bind_int(st, 2, now);
	yl_stmt_bind_int(st, 3, now + (int64_t)YL_SEARCH_HORIZON_DAYS * 86400);
	yl_stmt_bind_text(st, 4, lo);
	yl_stmt_bind_text(st, 5, hi);
	for (int i = 0; i < 4; i++)
		yl_stmt_bind_text(st, 6 + i, !any || f->levels[i] ? level_names[i] : NULL);
	while (count < f->limit && !(err = yl_stmt_step(st, &row, c->diag)) && row) {
		struct yl_slot_hit *h = &hits[count];

		read_hit(c, st, h);
		if ((err = judge(c, &k, f->resident_id, h)))
			break;
		if (h->pool >= 0)
			count++;
	}
	yl_stmt_reset(st);
	if (err)
		return err;
	*items = hits;
	*n = count;
	return YL_OK;
}
