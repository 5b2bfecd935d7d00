/* team.c - family-doctor teams. The team model follows the reform texts: a general
 * practitioner leads (全科医生牵头) and specialists join (全科与专科联动), so members may come
 * from any institution while the leader must practise at the team's own primary centre
 * (main institution or a registered practice site, 多点执业). Practitioners are read with plain
 * SQL so this module does not depend on the practitioner module.
 */
#include "domain/team.h"

#include <stdio.h>
#include <string.h>

#include "domain/consortium.h"
#include "domain/contract.h"
#include "domain/institution.h"

#define TEAM_COLS "t.id, t.name, t.institution_id, t.leader_id, t.capacity, t.created_at"

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_team *o = item;

	memset(o, 0, sizeof(*o));
	o->id = yl_stmt_int(st, 0);
	o->name = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
	o->institution_id = yl_stmt_int(st, 2);
	o->leader_id = yl_stmt_int(st, 3);
	o->capacity = yl_stmt_int(st, 4);
	o->created_at = yl_stmt_int(st, 5);
}

/* A team's load is the number of residents it covers or has promised to cover: those with a
 * contract of the team in force today, or a scheduled one (a renewal not yet begun holds its
 * place). A resident renewed early with the same team has two such rows but is one place, so
 * a scheduled row counts only when its resident has no row of the team in force. exclude_id's
 * holder is left out: the contract being renewed or changed frees the place its successor
 * takes. Read from the counter team_held, not by counting the team's rows (below). */
enum yl_err yl_team_load(const struct yl_ctx *c, int64_t team_id, int64_t exclude_id,
			 int64_t *out)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t excluded = 0;
	int p;

	if (exclude_id) {
		err = yl_store_prepare(c->store, "SELECT resident_id FROM contracts WHERE id = ?", &st,
				       c->diag);
		if (err)
			return err;
		yl_stmt_bind_int(st, 1, exclude_id);
		err = yl_stmt_step(st, &row, c->diag);
		if (!err && row)
			excluded = yl_stmt_int(st, 0);
		yl_stmt_reset(st);
		if (err)
			return err;
	}
	yl_date_format(yl_clock_today(c->clock), today);
	/* team_held (kept by triggers, migration 8) counts the rows stored active or scheduled.
	 * The load of the day takes from it: rows past their end whose status is not settled
	 * yet; rows stored active that start after today; an early renewal whose holder is still
	 * in force with the same team (one resident, one place); the excluded holder's rows that
	 * count. Each correction reads a few index entries, where counting the team's rows read
	 * every one of them. The unary + keeps the correlated EXISTS on the resident's index. */
	err = yl_store_prepare(c->store,
			       "SELECT h.contracts"
			       " - (SELECT count(*) FROM contracts x WHERE x.team_id = h.team_id"
			       "  AND x.status IN ('active','scheduled') AND x.end_date < ?)"
			       " - (SELECT count(*) FROM contracts f WHERE f.team_id = h.team_id"
			       "  AND f.status = 'active' AND f.start_date > ?)"
			       " - (SELECT count(*) FROM contracts s WHERE s.team_id = h.team_id"
			       "  AND s.status = 'scheduled' AND s.end_date >= ? AND s.start_date > ?"
			       "  AND s.resident_id <> ? AND EXISTS (SELECT 1 FROM contracts k"
			       "  WHERE k.resident_id = s.resident_id AND +k.team_id = s.team_id AND "
			       YL_CONTRACT_IN_FORCE "))"
			       " - (SELECT count(*) FROM contracts e WHERE e.resident_id = ?"
			       "  AND e.status IN ('active','scheduled') AND e.end_date >= ?"
			       "  AND +e.team_id = h.team_id"
			       "  AND NOT (e.status = 'active' AND e.start_date > ?))"
			       " FROM team_held h WHERE h.team_id = ?",
			       &st, c->diag);
	if (err)
		return err;
	for (p = 1; p <= 4; p++)
		yl_stmt_bind_text(st, p, today);
	yl_stmt_bind_int(st, p++, excluded);
	p = yl_contract_bind_day(st, p, today);
	yl_stmt_bind_int(st, p++, excluded);
	yl_stmt_bind_text(st, p++, today);
	yl_stmt_bind_text(st, p++, today);
	yl_stmt_bind_int(st, p, team_id);
	err = yl_stmt_step(st, &row, c->diag);
	*out = !err && row ? yl_stmt_int(st, 0) : 0;
	yl_stmt_reset(st);
	return err;
}

/* Fills members (leader first) and the active count of t. */
static enum yl_err complete(const struct yl_ctx *c, struct yl_team *t)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int cap = 8;

	err = yl_store_prepare(c->store,
			       "SELECT p.id, p.name, p.title, p.general_practitioner FROM team_members m"
			       " JOIN practitioners p ON p.id = m.practitioner_id WHERE m.team_id = ?"
			       " ORDER BY CASE WHEN p.id = ? THEN 0 ELSE 1 END, p.id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, t->id);
	yl_stmt_bind_int(st, 2, t->leader_id);
	t->members = yl_arena_alloc(c->arena, sizeof(*t->members) * (size_t)cap);
	t->nmembers = 0;
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		struct yl_team_member *m;
		if (t->nmembers == cap) {
			struct yl_team_member *bigger =
				yl_arena_alloc(c->arena, sizeof(*bigger) * (size_t)cap * 2);
			memcpy(bigger, t->members, sizeof(*bigger) * (size_t)cap);
			t->members = bigger;
			cap *= 2;
		}
		m = &t->members[t->nmembers++];
		m->practitioner_id = yl_stmt_int(st, 0);
		m->name = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
		m->title = yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
		m->general_practitioner = yl_stmt_int(st, 3) != 0;
	}
	yl_stmt_reset(st);
	if (err)
		return err;
	return yl_team_load(c, t->id, 0, &t->active_contracts);
}

static enum yl_err get_bare(const struct yl_ctx *c, int64_t id, struct yl_team *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " TEAM_COLS " FROM teams t WHERE t.id = ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	return yl_row_one(c, st, read_row, out, "id", "no team with id %lld", (long long)id);
}

enum yl_err yl_team_get(const struct yl_ctx *c, int64_t id, struct yl_team *out)
{
	enum yl_err err = get_bare(c, id, out);

	return err ? err : complete(c, out);
}

/* The leader must be a GP practising at the team's institution (main post or practice site). */
static enum yl_err check_leader(const struct yl_ctx *c, int64_t leader_id, int64_t institution_id)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row, gp = false, here = false, shared = true;
	int64_t main_inst = 0;

	err = yl_store_prepare(c->store,
			       "SELECT p.general_practitioner, p.institution_id, EXISTS"
			       " (SELECT 1 FROM practice_sites s WHERE s.practitioner_id = p.id"
			       "  AND s.institution_id = ?) FROM practitioners p WHERE p.id = ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, institution_id);
	yl_stmt_bind_int(st, 2, leader_id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		gp = yl_stmt_int(st, 0) != 0;
		main_inst = yl_stmt_int(st, 1);
		here = main_inst == institution_id || yl_stmt_int(st, 2) != 0;
	}
	yl_stmt_reset(st);
	if (err)
		return err;
	if (!row)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "leader_id", "no practitioner with id %lld",
				   (long long)leader_id);
	if (!gp)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "leader_id",
				   "practitioner %lld is not a general practitioner; a team is led by one",
				   (long long)leader_id);
	if (!here)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "leader_id",
				   "practitioner %lld does not practise at institution %lld",
				   (long long)leader_id, (long long)institution_id);
	/* A practice site is valid only while the two institutions still share a consortium
	 * (it was checked when added, but membership may have ended since). */
	if (main_inst != institution_id &&
	    (err = yl_consortium_shared(c, main_inst, institution_id, &shared)))
		return err;
	if (!shared)
		return yl_diag_set(c->diag, YL_ERR_NOT_MEMBER, "leader_id",
				   "practitioner %lld practises at institution %lld through a consortium"
				   " it has since left", (long long)leader_id, (long long)institution_id);
	return YL_OK;
}

static enum yl_err practitioner_exists(const struct yl_ctx *c, int64_t id, bool *found)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT 1 FROM practitioners WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_stmt_step(st, found, c->diag);
	yl_stmt_reset(st);
	return err;
}

static enum yl_err check_members(const struct yl_ctx *c, const struct yl_team *in)
{
	enum yl_err err;
	bool found;

	if (in->nmember_ids > YL_TEAM_MAX_MEMBERS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "member_ids",
				   "a team has at most %d members", YL_TEAM_MAX_MEMBERS);
	for (int i = 0; i < in->nmember_ids; i++) {
		int64_t id = in->member_ids[i];
		if (id <= 0)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "member_ids",
					   "member ids must be positive integers");
		for (int j = 0; j < i; j++)
			if (in->member_ids[j] == id)
				return yl_diag_set(c->diag, YL_ERR_INVALID, "member_ids",
						   "practitioner %lld is listed twice", (long long)id);
		err = practitioner_exists(c, id, &found);
		if (err)
			return err;
		if (!found)
			return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "member_ids",
					   "no practitioner with id %lld", (long long)id);
	}
	return YL_OK;
}

static enum yl_err add_member(const struct yl_ctx *c, int64_t team_id, int64_t practitioner_id,
			      int64_t now)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "INSERT INTO team_members(team_id, practitioner_id,"
					 " created_at) VALUES (?, ?, ?)", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, team_id);
	yl_stmt_bind_int(st, 2, practitioner_id);
	yl_stmt_bind_int(st, 3, now);
	return yl_stmt_run(st, c->diag);
}

enum yl_err yl_team_create(const struct yl_ctx *c, const struct yl_team *in, struct yl_team *out)
{
	struct yl_institution inst;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t capacity = in->capacity, id, now = yl_clock_now(c->clock);

	if (!in->institution_id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "institution_id", "institution_id is required");
	err = yl_require_institution_admin(c, in->institution_id);
	if (err)
		return err;
	if (!in->name || !*in->name)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "name", "name is required");
	if (strlen(in->name) > 200)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "name", "name is longer than 200 bytes");
	if (!in->leader_id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "leader_id", "leader_id is required");
	if (capacity == 0) {
		capacity = 2000;
		err = yl_setting_int(c, "team_capacity_default", &capacity);
		if (err)
			return err;
		if (capacity <= 0 || capacity > YL_TEAM_MAX_CAPACITY)
			capacity = 2000;
	}
	if (capacity < 1 || capacity > YL_TEAM_MAX_CAPACITY)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "capacity", "capacity must be between 1 and %d",
				   YL_TEAM_MAX_CAPACITY);
	err = yl_institution_get(c, in->institution_id, &inst);
	if (err)
		return yl_diag_set(c->diag, err, "institution_id", "no institution with id %lld",
				   (long long)in->institution_id);
	if (strcmp(inst.level, "primary") != 0)
		return yl_diag_set(c->diag, YL_ERR_LEVEL, "institution_id",
				   "institution %lld is %s; family-doctor teams belong to a primary centre",
				   (long long)inst.id, inst.level);
	if ((err = check_leader(c, in->leader_id, in->institution_id)) ||
	    (err = check_members(c, in)))
		return err;

	err = yl_store_prepare(c->store, "INSERT INTO teams(name, institution_id, leader_id, capacity,"
					 " created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, in->name);
	yl_stmt_bind_int(st, 2, in->institution_id);
	yl_stmt_bind_int(st, 3, in->leader_id);
	yl_stmt_bind_int(st, 4, capacity);
	yl_stmt_bind_int(st, 5, now);
	err = yl_stmt_step(st, &row, c->diag);
	id = !err && row ? yl_stmt_int(st, 0) : 0;
	yl_stmt_reset(st);
	if (err)
		return err;
	err = add_member(c, id, in->leader_id, now);
	for (int i = 0; !err && i < in->nmember_ids; i++)
		if (in->member_ids[i] != in->leader_id)
			err = add_member(c, id, in->member_ids[i], now);
	if (!err)
		err = yl_audit_id(c, "create", "team", id);
	if (!err && out)
		err = yl_team_get(c, id, out);
	return err;
}

enum yl_err yl_team_set_capacity(const struct yl_ctx *c, int64_t id, int64_t capacity,
				 struct yl_team *out)
{
	struct yl_team t;
	struct yl_stmt *st;
	enum yl_err err;
	int64_t load;
	char detail[64], eid[24];

	err = get_bare(c, id, &t);
	if (err)
		return err;
	err = yl_require_institution_admin(c, t.institution_id);
	if (err)
		return err;
	if (capacity < 1 || capacity > YL_TEAM_MAX_CAPACITY)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "capacity", "capacity must be between 1 and %d",
				   YL_TEAM_MAX_CAPACITY);
	err = yl_team_load(c, id, 0, &load);
	if (err)
		return err;
	if (capacity < load)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "capacity",
				   "team %lld holds %lld active contracts; capacity cannot go below that",
				   (long long)id, (long long)load);
	err = yl_store_prepare(c->store, "UPDATE teams SET capacity = ? WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, capacity);
	yl_stmt_bind_int(st, 2, id);
	err = yl_stmt_run(st, c->diag);
	if (err)
		return err;
	snprintf(detail, sizeof(detail), "capacity %lld -> %lld", (long long)t.capacity,
		 (long long)capacity);
	snprintf(eid, sizeof(eid), "%lld", (long long)id);
	err = yl_audit(c, "update", "team", eid, detail);
	if (!err && out)
		err = yl_team_get(c, id, out);
	return err;
}

enum yl_err yl_team_list(const struct yl_ctx *c, const struct yl_team_filter *f,
			 struct yl_team **items, int *n, bool *more)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " TEAM_COLS " FROM teams t"
					 " WHERE (? = 0 OR t.institution_id = ?) AND t.id > ?"
					 " ORDER BY t.id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, f->institution_id);
	yl_stmt_bind_int(st, 2, f->institution_id);
	yl_stmt_bind_int(st, 3, f->after);
	yl_stmt_bind_int(st, 4, f->limit + 1);
	err = yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
	/* Members and counts after the scan: their statements must not reset this one. */
	for (int i = 0; !err && i < *n; i++)
		err = complete(c, &(*items)[i]);
	return err;
}

static enum yl_err may_read_residents(const struct yl_ctx *c, int64_t institution_id)
{
	switch (c->actor->role) {
	case YL_ROLE_ADMIN:
	case YL_ROLE_REGULATOR:
	case YL_ROLE_INSURER:
		return YL_OK;
	default:
		return yl_require_institution_staff(c, institution_id);
	}
}

enum yl_err yl_team_residents(const struct yl_ctx *c, int64_t team_id, int64_t after, int limit,
			      struct yl_team_resident **items, int *n, bool *more)
{
	struct yl_team t;
	struct yl_stmt *st;
	char today[YL_DATE_LEN];
	enum yl_err err;
	bool row;

	err = get_bare(c, team_id, &t);
	if (err)
		return err;
	err = may_read_residents(c, t.institution_id);
	if (err)
		return err;
	yl_date_format(yl_clock_today(c->clock), today);
	err = yl_store_prepare(c->store,
			       "SELECT r.id, r.name, r.sex, r.birth_date, r.home_area_code, k.id,"
			       " k.start_date, k.end_date FROM contracts k"
			       " JOIN residents r ON r.id = k.resident_id"
			       " WHERE k.team_id = ? AND " YL_CONTRACT_IN_FORCE
			       " AND r.id > ? ORDER BY r.id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, team_id);
	yl_contract_bind_day(st, 2, today);
	yl_stmt_bind_int(st, 4, after);
	yl_stmt_bind_int(st, 5, limit + 1);
	*items = yl_arena_alloc(c->arena, sizeof(**items) * (size_t)(limit + 1));
	*n = 0;
	*more = false;
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		struct yl_team_resident *o;
		if (*n == limit) {
			*more = true;
			break;
		}
		o = &(*items)[(*n)++];
		o->resident_id = yl_stmt_int(st, 0);
		o->name = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
		o->sex = yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
		o->birth_date = yl_arena_strdup(c->arena, yl_stmt_text(st, 3));
		o->home_area_code = yl_arena_strdup(c->arena, yl_stmt_text(st, 4));
		o->contract_id = yl_stmt_int(st, 5);
		o->start_date = yl_arena_strdup(c->arena, yl_stmt_text(st, 6));
		o->end_date = yl_arena_strdup(c->arena, yl_stmt_text(st, 7));
	}
	yl_stmt_reset(st);
	return err;
}
