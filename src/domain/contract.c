/* contract.c - signing, renewing, changing and ending "1+1+1" contracts (Shanghai's 组合签约:
 * one family-doctor team, one district hospital, one city hospital, chosen freely).
 *
 * "Active" always means status 'active' AND end_date >= today (Asia/Shanghai, from the injected
 * clock); the partial unique index contracts_one_active guarantees one 'active' row per
 * resident, so a stale row is first marked 'expired' in the same transaction before a new
 * contract is inserted. Every check runs before the first write, so a refused request leaves
 * the database as it was even if the caller forgot to roll back. Residents and practitioners
 * are read with plain SQL; this module does not depend on their modules.
 */
#include "domain/contract.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "domain/institution.h"
#include "domain/team.h"

#define K_COLS "k.id, k.resident_id, k.team_id, t.institution_id, k.secondary_id, k.tertiary_id," \
	       " k.start_date, k.end_date, k.status, k.end_reason, k.ended_on, k.previous_id," \
	       " k.created_at"
#define K_FROM " FROM contracts k JOIN teams t ON t.id = k.team_id"

static const char *const statuses[] = {"active", "expired", "renewed", "changed", "ended", NULL};

/* The new row a sign, renew or change will insert, once every rule has passed. */
struct plan {
	int64_t resident_id;
	int64_t team_id;
	int64_t secondary_id;
	int64_t tertiary_id;
	int32_t start;
	int32_t end;
	int64_t previous_id;
};

static void today_str(const struct yl_ctx *c, char out[YL_DATE_LEN])
{
	yl_date_format(yl_clock_today(c->clock), out);
}

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, const char *today,
		     struct yl_contract *o)
{
	const char *status = yl_stmt_text(st, 8);

	o->id = yl_stmt_int(st, 0);
	o->resident_id = yl_stmt_int(st, 1);
	o->team_id = yl_stmt_int(st, 2);
	o->team_institution_id = yl_stmt_int(st, 3);
	o->secondary_id = yl_stmt_int(st, 4);
	o->tertiary_id = yl_stmt_int(st, 5);
	o->start_date = yl_arena_strdup(c->arena, yl_stmt_text(st, 6));
	o->end_date = yl_arena_strdup(c->arena, yl_stmt_text(st, 7));
	/* A row past its end date is expired whatever its stored status says. */
	if (strcmp(status, "active") == 0 && strcmp(o->end_date, today) < 0)
		status = "expired";
	o->status = yl_arena_strdup(c->arena, status);
	o->end_reason = yl_arena_strdup(c->arena, yl_stmt_text(st, 9));
	o->ended_on = yl_arena_strdup(c->arena, yl_stmt_text(st, 10));
	o->previous_id = yl_stmt_int(st, 11);
	o->created_at = yl_stmt_int(st, 12);
}

/* Loads a contract without a permission check; *raw_status (may be NULL) gets the stored one. */
static enum yl_err load(const struct yl_ctx *c, int64_t id, struct yl_contract *out,
			const char **raw_status)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	today_str(c, today);
	err = yl_store_prepare(c->store, "SELECT " K_COLS K_FROM " WHERE k.id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "id", "no contract with id %lld",
				  (long long)id);
	if (!err) {
		read_row(c, st, today, out);
		if (raw_status)
			*raw_status = yl_arena_strdup(c->arena, yl_stmt_text(st, 8));
	}
	yl_stmt_reset(st);
	return err;
}

static enum yl_err team_institution(const struct yl_ctx *c, int64_t team_id, int64_t *inst)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	err = yl_store_prepare(c->store, "SELECT institution_id FROM teams WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, team_id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "team_id", "no team with id %lld",
				  (long long)team_id);
	if (!err)
		*inst = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return err;
}

static enum yl_err check_resident(const struct yl_ctx *c, int64_t resident_id)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	err = yl_store_prepare(c->store, "SELECT 1 FROM residents WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	err = yl_stmt_step(st, &row, c->diag);
	yl_stmt_reset(st);
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "resident_id", "no resident with id %lld",
				  (long long)resident_id);
	return err;
}

/* The "1+1+1" levels: field secondary_id must name a secondary hospital, tertiary_id a
 * tertiary one. */
static enum yl_err check_hospital(const struct yl_ctx *c, int64_t id, const char *field,
				  const char *level)
{
	struct yl_institution inst;
	enum yl_err err;

	if (!id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, field, "%s is required", field);
	err = yl_institution_get(c, id, &inst);
	if (err)
		return yl_diag_set(c->diag, err, field, "no institution with id %lld", (long long)id);
	if (strcmp(inst.level, level) != 0)
		return yl_diag_set(c->diag, YL_ERR_LEVEL, field,
				   "institution %lld is %s; %s must name a %s hospital", (long long)id,
				   inst.level, field, level);
	return YL_OK;
}

/* YL_ERR_ACTIVE_CONTRACT when the resident holds an active contract other than exclude_id. */
static enum yl_err check_no_active(const struct yl_ctx *c, int64_t resident_id, int64_t exclude_id)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t other = 0;

	today_str(c, today);
	err = yl_store_prepare(c->store, "SELECT id, end_date FROM contracts WHERE resident_id = ?"
					 " AND status = 'active' AND end_date >= ? AND id <> ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	yl_stmt_bind_text(st, 2, today);
	yl_stmt_bind_int(st, 3, exclude_id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		other = yl_stmt_int(st, 0);
		err = yl_diag_set(c->diag, YL_ERR_ACTIVE_CONTRACT, "resident_id",
				  "resident %lld already holds active contract %lld (until %s)",
				  (long long)resident_id, (long long)other, yl_stmt_text(st, 1));
	}
	yl_stmt_reset(st);
	return err;
}

/* YL_ERR_CAPACITY when team_id cannot take one more contract (exclude_id: the contract being
 * replaced, which frees its own place). */
static enum yl_err check_capacity(const struct yl_ctx *c, int64_t team_id, int64_t exclude_id)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t capacity = 0, load = 0;

	err = yl_store_prepare(c->store, "SELECT capacity FROM teams WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, team_id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row)
		capacity = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	if (!err)
		err = yl_team_load(c, team_id, exclude_id, &load);
	if (!err && load >= capacity)
		err = yl_diag_set(c->diag, YL_ERR_CAPACITY, "team_id",
				  "team %lld is full: %lld active contracts, capacity %lld",
				  (long long)team_id, (long long)load, (long long)capacity);
	return err;
}

/* 0 means the setting contract_term_years (1 when unset or out of range). */
static enum yl_err resolve_term(const struct yl_ctx *c, int term, int *years)
{
	int64_t v = 1;
	enum yl_err err;

	if (term == 0) {
		err = yl_setting_int(c, "contract_term_years", &v);
		if (err)
			return err;
		*years = v >= 1 && v <= YL_CONTRACT_MAX_TERM ? (int)v : 1;
		return YL_OK;
	}
	if (term < 1 || term > YL_CONTRACT_MAX_TERM)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "term_years",
				   "term_years must be between 1 and %d", YL_CONTRACT_MAX_TERM);
	*years = term;
	return YL_OK;
}

static enum yl_err check_reason(const struct yl_ctx *c, const char *reason)
{
	if (!reason || !*reason)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "reason", "reason is required");
	if (strlen(reason) > YL_CONTRACT_REASON_MAX)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "reason", "reason is longer than %d bytes",
				   YL_CONTRACT_REASON_MAX);
	return YL_OK;
}

/* Marks the resident's stale rows (active, past their end date) expired, so the partial
 * unique index lets a new active row in. */
static enum yl_err expire_stale(const struct yl_ctx *c, int64_t resident_id)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;

	today_str(c, today);
	err = yl_store_prepare(c->store, "UPDATE contracts SET status = 'expired', updated_at = ?"
					 " WHERE resident_id = ? AND status = 'active' AND end_date < ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, yl_clock_now(c->clock));
	yl_stmt_bind_int(st, 2, resident_id);
	yl_stmt_bind_text(st, 3, today);
	return yl_stmt_run(st, c->diag);
}

/* Closes contract id with status, and (for change/end) the reason and today's date. */
static enum yl_err close_old(const struct yl_ctx *c, int64_t id, const char *status,
			     const char *reason)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;

	today_str(c, today);
	err = yl_store_prepare(c->store, "UPDATE contracts SET status = ?, end_reason = ?,"
					 " ended_on = ?, updated_at = ? WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, status);
	yl_stmt_bind_text(st, 2, reason);
	yl_stmt_bind_text(st, 3, reason ? today : NULL);
	yl_stmt_bind_int(st, 4, yl_clock_now(c->clock));
	yl_stmt_bind_int(st, 5, id);
	return yl_stmt_run(st, c->diag);
}

/* Inserts the planned row, writes the audit row and loads the result into out. */
static enum yl_err insert(const struct yl_ctx *c, const struct plan *p, const char *action,
			  struct yl_contract *out)
{
	char start[YL_DATE_LEN], end[YL_DATE_LEN], eid[24], detail[128];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t id, now = yl_clock_now(c->clock);

	yl_date_format(p->start, start);
	yl_date_format(p->end, end);
	err = yl_store_prepare(c->store,
			       "INSERT INTO contracts(resident_id, team_id, secondary_id, tertiary_id,"
			       " start_date, end_date, status, previous_id, created_at, updated_at)"
			       " VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?) RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, p->resident_id);
	yl_stmt_bind_int(st, 2, p->team_id);
	yl_stmt_bind_int(st, 3, p->secondary_id);
	yl_stmt_bind_int(st, 4, p->tertiary_id);
	yl_stmt_bind_text(st, 5, start);
	yl_stmt_bind_text(st, 6, end);
	yl_stmt_bind_id(st, 7, p->previous_id);
	yl_stmt_bind_int(st, 8, now);
	yl_stmt_bind_int(st, 9, now);
	err = yl_stmt_step(st, &row, c->diag);
	id = !err && row ? yl_stmt_int(st, 0) : 0;
	yl_stmt_reset(st);
	if (err == YL_ERR_CONFLICT) /* the unique index: a concurrent writer got there first */
		return yl_diag_set(c->diag, YL_ERR_ACTIVE_CONTRACT, "resident_id",
				   "resident %lld already holds an active contract",
				   (long long)p->resident_id);
	if (err)
		return err;
	snprintf(eid, sizeof(eid), "%lld", (long long)id);
	snprintf(detail, sizeof(detail), "resident %lld team %lld %s..%s previous %lld",
		 (long long)p->resident_id, (long long)p->team_id, start, end,
		 (long long)p->previous_id);
	err = yl_audit(c, action, "contract", eid, detail);
	if (!err && out)
		err = load(c, id, out, NULL);
	return err;
}

enum yl_err yl_contract_sign(const struct yl_ctx *c, const struct yl_contract_sign *in,
			     struct yl_contract *out)
{
	struct plan p = {0};
	char end[YL_DATE_LEN];
	enum yl_err err;
	int64_t inst;
	int32_t today = yl_clock_today(c->clock);
	int years;

	if (!in->resident_id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "resident_id", "resident_id is required");
	if (!in->team_id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "team_id", "team_id is required");
	if ((err = team_institution(c, in->team_id, &inst)) ||
	    (err = yl_require_institution_staff(c, inst)) ||
	    (err = check_resident(c, in->resident_id)) ||
	    (err = check_hospital(c, in->secondary_id, "secondary_id", "secondary")) ||
	    (err = check_hospital(c, in->tertiary_id, "tertiary_id", "tertiary")) ||
	    (err = resolve_term(c, in->term_years, &years)))
		return err;
	p.resident_id = in->resident_id;
	p.team_id = in->team_id;
	p.secondary_id = in->secondary_id;
	p.tertiary_id = in->tertiary_id;
	p.start = in->has_start ? in->start_date : today;
	p.end = yl_date_add_years(p.start, years) - 1;
	if (p.end < today) {
		yl_date_format(p.end, end);
		return yl_diag_set(c->diag, YL_ERR_INVALID, "start_date",
				   "the contract would end on %s, before today", end);
	}
	if ((err = check_no_active(c, p.resident_id, 0)) ||
	    (err = check_capacity(c, p.team_id, 0)) ||
	    (err = expire_stale(c, p.resident_id)))
		return err;
	return insert(c, &p, "sign", out);
}

enum yl_err yl_contract_get(const struct yl_ctx *c, int64_t id, struct yl_contract *out)
{
	enum yl_err err;

	if (c->actor->role != YL_ROLE_RESIDENT && (err = yl_require_staff_reader(c)))
		return err;
	err = load(c, id, out, NULL);
	if (!err && c->actor->role == YL_ROLE_RESIDENT && out->resident_id != c->actor->resident_id)
		err = yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "id", "no contract with id %lld",
				  (long long)id);
	return err;
}

enum yl_err yl_contract_renew(const struct yl_ctx *c, int64_t id, int term_years,
			      struct yl_contract *out)
{
	struct yl_contract old;
	struct plan p = {0};
	const char *raw;
	enum yl_err err;
	int32_t old_end, today = yl_clock_today(c->clock);
	int years;

	if ((err = load(c, id, &old, &raw)) ||
	    (err = yl_require_institution_staff(c, old.team_institution_id)))
		return err;
	if (strcmp(raw, "active") != 0 && strcmp(raw, "expired") != 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "contract %lld is %s; only an active or expired contract can be renewed",
				   (long long)id, raw);
	if ((err = resolve_term(c, term_years, &years)) ||
	    (err = check_no_active(c, old.resident_id, old.id)) ||
	    (err = check_hospital(c, old.secondary_id, "secondary_id", "secondary")) ||
	    (err = check_hospital(c, old.tertiary_id, "tertiary_id", "tertiary")) ||
	    (err = check_capacity(c, old.team_id, old.id)))
		return err;
	if (!yl_date_parse(old.end_date, &old_end))
		return yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "contract %lld has a bad end date",
				   (long long)id);
	p.resident_id = old.resident_id;
	p.team_id = old.team_id;
	p.secondary_id = old.secondary_id;
	p.tertiary_id = old.tertiary_id;
	p.start = old_end + 1 > today ? old_end + 1 : today;
	p.end = yl_date_add_years(p.start, years) - 1;
	p.previous_id = old.id;
	/* Close the old row first: the unique index allows one 'active' row per resident. */
	if ((err = close_old(c, old.id, "renewed", NULL)) ||
	    (err = expire_stale(c, old.resident_id)))
		return err;
	return insert(c, &p, "renew", out);
}

/* YL_ERR_CONFLICT unless old is active today; verb names the refused action. */
static enum yl_err require_active(const struct yl_ctx *c, const struct yl_contract *old,
				  const char *verb)
{
	if (strcmp(old->status, "active") == 0)
		return YL_OK;
	if (strcmp(old->status, "expired") == 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "contract %lld expired on %s; it cannot be %s (renew it or sign a"
				   " new one)", (long long)old->id, old->end_date, verb);
	return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
			   "contract %lld is %s; only an active contract can be %s",
			   (long long)old->id, old->status, verb);
}

enum yl_err yl_contract_change(const struct yl_ctx *c, int64_t id,
			       const struct yl_contract_change *in, struct yl_contract *out)
{
	struct yl_contract old;
	struct plan p = {0};
	enum yl_err err;
	int64_t inst;
	int32_t start, today = yl_clock_today(c->clock);

	if ((err = load(c, id, &old, NULL)) ||
	    (err = yl_require_institution_staff(c, old.team_institution_id)) ||
	    (err = require_active(c, &old, "changed")) ||
	    (err = check_reason(c, in->reason)))
		return err;
	p.resident_id = old.resident_id;
	p.team_id = in->team_id ? in->team_id : old.team_id;
	p.secondary_id = in->secondary_id ? in->secondary_id : old.secondary_id;
	p.tertiary_id = in->tertiary_id ? in->tertiary_id : old.tertiary_id;
	p.previous_id = old.id;
	if (p.team_id == old.team_id && p.secondary_id == old.secondary_id &&
	    p.tertiary_id == old.tertiary_id)
		return yl_diag_set(c->diag, YL_ERR_INVALID, NULL,
				   "a change must name a different team_id, secondary_id or tertiary_id");
	/* The new team's institution signs the new contract. */
	if ((err = team_institution(c, p.team_id, &inst)) ||
	    (err = yl_require_institution_staff(c, inst)) ||
	    (err = check_hospital(c, p.secondary_id, "secondary_id", "secondary")) ||
	    (err = check_hospital(c, p.tertiary_id, "tertiary_id", "tertiary")) ||
	    (p.team_id != old.team_id && (err = check_capacity(c, p.team_id, old.id))))
		return err;
	if (!yl_date_parse(old.start_date, &start) || !yl_date_parse(old.end_date, &p.end))
		return yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "contract %lld has bad dates",
				   (long long)id);
	/* A renewal not yet begun keeps its own start date. */
	p.start = start > today ? start : today;
	if ((err = close_old(c, old.id, "changed", in->reason)))
		return err;
	return insert(c, &p, "change", out);
}

enum yl_err yl_contract_end(const struct yl_ctx *c, int64_t id, const char *reason,
			    struct yl_contract *out)
{
	struct yl_contract old;
	enum yl_err err;

	if ((err = load(c, id, &old, NULL)) ||
	    (err = yl_require_institution_staff(c, old.team_institution_id)) ||
	    (err = require_active(c, &old, "ended")) ||
	    (err = check_reason(c, reason)) ||
	    (err = close_old(c, id, "ended", reason)) ||
	    (err = yl_audit(c, "end", "contract", yl_arena_printf(c->arena, "%lld", (long long)id),
			    reason)))
		return err;
	return out ? load(c, id, out, NULL) : YL_OK;
}

/* One bound value of the list query, which is assembled from the filters given so each
 * combination gets its own (cached) statement and plan. */
struct bind {
	const char *text;
	int64_t i;
};

enum yl_err yl_contract_list(const struct yl_ctx *c, const struct yl_contract_filter *f,
			     struct yl_contract **items, int *n, bool *more)
{
	struct yl_buf sql = YL_BUF_INIT;
	struct bind b[8];
	char today[YL_DATE_LEN], until[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row, known = false;
	int nb = 0;
	int64_t resident_id = f->resident_id;

	if (c->actor->role == YL_ROLE_RESIDENT) {
		if (resident_id && resident_id != c->actor->resident_id)
			return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, "resident_id",
					   "a resident may list only their own contracts");
		resident_id = c->actor->resident_id;
	} else if ((err = yl_require_staff_reader(c))) {
		return err;
	}
	for (int i = 0; f->status && statuses[i]; i++)
		known = known || strcmp(statuses[i], f->status) == 0;
	if (f->status && !known)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "status",
				   "status must be active, expired, renewed, changed or ended");
	today_str(c, today);
	yl_buf_adds(&sql, "SELECT " K_COLS K_FROM " WHERE k.id > ?");
	b[nb++] = (struct bind){NULL, f->after};
	if (resident_id) {
		yl_buf_adds(&sql, " AND k.resident_id = ?");
		b[nb++] = (struct bind){NULL, resident_id};
	}
	if (f->team_id) {
		yl_buf_adds(&sql, " AND k.team_id = ?");
		b[nb++] = (struct bind){NULL, f->team_id};
	}
	if (f->status && strcmp(f->status, "active") == 0) {
		yl_buf_adds(&sql, " AND k.status = 'active' AND k.end_date >= ?");
		b[nb++] = (struct bind){today, 0};
	} else if (f->status && strcmp(f->status, "expired") == 0) {
		yl_buf_adds(&sql, " AND (k.status = 'expired' OR (k.status = 'active' AND k.end_date < ?))");
		b[nb++] = (struct bind){today, 0};
	} else if (f->status) {
		yl_buf_adds(&sql, " AND k.status = ?");
		b[nb++] = (struct bind){f->status, 0};
	}
	if (f->expiring_within >= 0) {
		yl_date_format(yl_clock_today(c->clock) + (int32_t)f->expiring_within, until);
		yl_buf_adds(&sql, " AND k.status = 'active' AND k.end_date >= ? AND k.end_date <= ?");
		b[nb++] = (struct bind){today, 0};
		b[nb++] = (struct bind){until, 0};
	}
	yl_buf_adds(&sql, " ORDER BY k.id LIMIT ?");
	b[nb++] = (struct bind){NULL, f->limit + 1};
	err = yl_store_prepare(c->store, yl_buf_str(&sql), &st, c->diag);
	yl_buf_release(&sql);
	if (err)
		return err;
	for (int i = 0; i < nb; i++) {
		if (b[i].text)
			yl_stmt_bind_text(st, i + 1, b[i].text);
		else
			yl_stmt_bind_int(st, i + 1, b[i].i);
	}
	*items = yl_arena_alloc(c->arena, sizeof(**items) * (size_t)(f->limit + 1));
	*n = 0;
	*more = false;
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		if (*n == f->limit) {
			*more = true;
			break;
		}
		read_row(c, st, today, &(*items)[(*n)++]);
	}
	yl_stmt_reset(st);
	return err;
}
