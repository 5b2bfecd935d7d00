/* contract.c - signing, renewing, changing and ending "1+1+1" contracts (Shanghai's 组合签约:
 * one family-doctor team, one district hospital, one city hospital, chosen freely).
 *
 * "In force on day D" is defined once, YL_CONTRACT_IN_FORCE in contract.h; the team load and
 * the signing rates use the same fragment. An early renewal is stored as a 'scheduled' row so
 * the old contract keeps covering the resident until its last day; stored statuses therefore
 * lag behind the calendar, reads derive the day's status (read_row and the list filters, which
 * must agree) and writes settle the resident's rows (settle) right before their own writes.
 * Every check runs before the first write, on derived statuses, so a refused request leaves
 * the database as it was even if the caller forgot to roll back. Residents and practitioners
 * are read with plain SQL; this module does not depend on their modules. Each write marks the
 * resident's part in the signing stocks before its first write and updates it after its last
 * (signing_stock.h), so C1/C2's live aggregates follow in the same transaction; settling
 * changes only statuses, which the stocks' historical reading does not use.
 */
#include "domain/contract.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "domain/institution.h"
#include "domain/signing_stock.h"
#include "domain/team.h"

/* The resident's scheduled row other than k has started by today (one parameter: today):
 * then k, an active row, has been succeeded and is renewed. */
#define K_SUCCEEDED "EXISTS (SELECT 1 FROM contracts s WHERE s.resident_id = k.resident_id" \
		    " AND s.status = 'scheduled' AND s.id <> k.id AND s.start_date <= ?)"
/* The first parameter of every query built on K_COLS is today (for K_SUCCEEDED). */
#define K_COLS "k.id, k.resident_id, k.team_id, t.institution_id, k.secondary_id, k.tertiary_id," \
	       " k.start_date, k.end_date, k.status, k.end_reason, k.ended_on, k.previous_id," \
	       " k.created_at, CASE WHEN " K_SUCCEEDED " THEN 1 ELSE 0 END"
#define K_FROM " FROM contracts k JOIN teams t ON t.id = k.team_id"

static const char *const statuses[] = {"active",  "scheduled", "expired", "renewed",
				       "changed", "ended",     NULL};

/* The new row a sign, renew or change will insert, once every rule has passed. */
struct plan {
	int64_t resident_id;
	int64_t team_id;
	int64_t secondary_id;
	int64_t tertiary_id;
	int32_t start;
	int32_t end;
	int64_t previous_id;
	const char *status; /* active | scheduled */
};

int yl_contract_bind_day(struct yl_stmt *st, int idx, const char *day)
{
	yl_stmt_bind_text(st, idx, day);
	yl_stmt_bind_text(st, idx + 1, day);
	return idx + 2;
}

static void today_str(const struct yl_ctx *c, char out[YL_DATE_LEN])
{
	yl_date_format(yl_clock_today(c->clock), out);
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The last day of a term of `years` from start: (start + years) - 1 day. A 29 February start
 * plus N years is 1 March when the target year has no 29 February, so a 2028-02-29 start for
 * one year ends 2029-02-28 (yl_date_add_years maps to 28 February, a day short, and is kept
 * as it is for ages). */
static int32_t term_end(int32_t start, int years)
{
	int y, m, d;

	yl_civil_from_days(start, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !leap_year(y)) {
		m = 3;
		d = 1;
	}
	return yl_days_from_civil(y, m, d) - 1;
}

/* Derives the status of the day from the stored one, in this order (a scheduled renewal past
 * its own end is expired): scheduled and started is active; active and succeeded by a started
 * renewal is renewed; active past its end date is expired. The list filters mirror this. */
static const char *derive_status(const char *stored, const char *start, const char *end,
				 bool succeeded, const char *today)
{
	if (strcmp(stored, "scheduled") == 0 && strcmp(start, today) <= 0)
		stored = "active";
	if (strcmp(stored, "active") != 0)
		return stored;
	if (succeeded)
		return "renewed";
	return strcmp(end, today) < 0 ? "expired" : "active";
}

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_contract *o = item;
	char today[YL_DATE_LEN];

	today_str(c, today);
	o->id = yl_stmt_int(st, 0);
	o->resident_id = yl_stmt_int(st, 1);
	o->team_id = yl_stmt_int(st, 2);
	o->team_institution_id = yl_stmt_int(st, 3);
	o->secondary_id = yl_stmt_int(st, 4);
	o->tertiary_id = yl_stmt_int(st, 5);
	o->start_date = yl_arena_strdup(c->arena, yl_stmt_text(st, 6));
	o->end_date = yl_arena_strdup(c->arena, yl_stmt_text(st, 7));
	o->status = yl_arena_strdup(c->arena,
				    derive_status(yl_stmt_text(st, 8), o->start_date, o->end_date,
						  yl_stmt_int(st, 13) != 0, today));
	o->end_reason = yl_arena_strdup(c->arena, yl_stmt_text(st, 9));
	o->ended_on = yl_arena_strdup(c->arena, yl_stmt_text(st, 10));
	o->previous_id = yl_stmt_int(st, 11);
	o->created_at = yl_stmt_int(st, 12);
}

/* Loads a contract with its derived status, without a permission check. */
static enum yl_err load(const struct yl_ctx *c, int64_t id, struct yl_contract *out)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;

	today_str(c, today);
	err = yl_store_prepare(c->store, "SELECT " K_COLS K_FROM " WHERE k.id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, today);
	yl_stmt_bind_int(st, 2, id);
	return yl_row_one(c, st, read_row, out, "id", "no contract with id %lld", (long long)id);
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

/* YL_ERR_ACTIVE_CONTRACT when the resident holds a contract in force today or a scheduled one
 * (a renewal not yet begun), other than exclude_id. */
static enum yl_err check_no_active(const struct yl_ctx *c, int64_t resident_id, int64_t exclude_id)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int p;

	today_str(c, today);
	err = yl_store_prepare(c->store, "SELECT k.id, k.start_date, k.end_date FROM contracts k"
					 " WHERE k.resident_id = ? AND k.id <> ? AND ("
					 YL_CONTRACT_IN_FORCE " OR (k.status = 'scheduled'"
					 " AND k.start_date > ?)) ORDER BY k.start_date", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	yl_stmt_bind_int(st, 2, exclude_id);
	p = yl_contract_bind_day(st, 3, today);
	yl_stmt_bind_text(st, p, today);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row && strcmp(yl_stmt_text(st, 1), today) > 0)
		err = yl_diag_set(c->diag, YL_ERR_ACTIVE_CONTRACT, "resident_id",
				  "resident %lld already holds contract %lld scheduled from %s",
				  (long long)resident_id, (long long)yl_stmt_int(st, 0),
				  yl_stmt_text(st, 1));
	else if (!err && row)
		err = yl_diag_set(c->diag, YL_ERR_ACTIVE_CONTRACT, "resident_id",
				  "resident %lld already holds active contract %lld (until %s)",
				  (long long)resident_id, (long long)yl_stmt_int(st, 0),
				  yl_stmt_text(st, 2));
	yl_stmt_reset(st);
	return err;
}

/* The resident's renewal not yet begun (a scheduled row starting after today) other than
 * exclude_id: *id and *start (arena-owned), or 0 and NULL. Once settled or derived, an active
 * contract has a scheduled successor exactly when this finds one. */
static enum yl_err pending_renewal(const struct yl_ctx *c, int64_t resident_id,
				   int64_t exclude_id, int64_t *id, const char **start)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	*id = 0;
	*start = NULL;
	today_str(c, today);
	err = yl_store_prepare(c->store, "SELECT id, start_date FROM contracts WHERE resident_id = ?"
					 " AND status = 'scheduled' AND start_date > ? AND id <> ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	yl_stmt_bind_text(st, 2, today);
	yl_stmt_bind_int(st, 3, exclude_id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		*id = yl_stmt_int(st, 0);
		*start = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
	}
	yl_stmt_reset(st);
	return err;
}

/* YL_ERR_CAPACITY when team_id cannot take one more resident (exclude_id: the contract being
 * replaced, whose holder's place is the one the new contract takes). */
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
				  "team %lld is full: %lld contracts in force or scheduled, capacity %lld",
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

/* Runs one settling UPDATE whose parameters are now, resident_id, then `ndays` times today. */
static enum yl_err settle_step(const struct yl_ctx *c, const char *sql, int64_t resident_id,
			       int ndays)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;

	today_str(c, today);
	err = yl_store_prepare(c->store, sql, &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, yl_clock_now(c->clock));
	yl_stmt_bind_int(st, 2, resident_id);
	for (int i = 0; i < ndays; i++)
		yl_stmt_bind_text(st, 3 + i, today);
	return yl_stmt_run(st, c->diag);
}

/* Brings the resident's stored statuses up to today, so the unique indexes (one 'active', one
 * 'scheduled' row per resident) let the caller's own write in. Order matters: a renewal that
 * has started first retires the active row it succeeds (the resident's only active row: a
 * scheduled row exists only while its predecessor is active, and its previous_id may name a
 * changed renewal rather than that row), then becomes active itself; last, whatever active row
 * is past its end date expires (a renewal may have run out too). */
static enum yl_err settle(const struct yl_ctx *c, int64_t resident_id)
{
	enum yl_err err;

	if ((err = settle_step(c, "UPDATE contracts SET status = 'renewed', updated_at = ?"
				  " WHERE resident_id = ? AND status = 'active' AND EXISTS"
				  " (SELECT 1 FROM contracts s WHERE s.resident_id = contracts.resident_id"
				  " AND s.status = 'scheduled' AND s.start_date <= ?)",
			       resident_id, 1)) ||
	    (err = settle_step(c, "UPDATE contracts SET status = 'active', updated_at = ?"
				  " WHERE resident_id = ? AND status = 'scheduled' AND start_date <= ?",
			       resident_id, 1)))
		return err;
	return settle_step(c, "UPDATE contracts SET status = 'expired', updated_at = ?"
			      " WHERE resident_id = ? AND status = 'active' AND end_date < ?",
			   resident_id, 1);
}

/* The three steps of settle() for every resident at once, each one indexed statement. */
enum yl_err yl_contract_settle_all(const struct yl_ctx *c, int64_t *changed)
{
	static const char *const steps[] = {
		"UPDATE contracts SET status = 'renewed', updated_at = ? WHERE status = 'active'"
		" AND resident_id IN (SELECT s.resident_id FROM contracts s WHERE"
		" s.status = 'scheduled' AND s.start_date <= ?)",
		"UPDATE contracts SET status = 'active', updated_at = ? WHERE status = 'scheduled'"
		" AND start_date <= ?",
		"UPDATE contracts SET status = 'expired', updated_at = ? WHERE status = 'active'"
		" AND end_date < ?",
	};
	char today[YL_DATE_LEN], detail[64];
	struct yl_stmt *st;
	enum yl_err err;
	int64_t n = 0;

	if ((err = yl_require_admin(c)))
		return err;
	today_str(c, today);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((err = yl_store_prepare(c->store, steps[i], &st, c->diag)))
			return err;
		yl_stmt_bind_int(st, 1, yl_clock_now(c->clock));
		yl_stmt_bind_text(st, 2, today);
		if ((err = yl_stmt_run(st, c->diag)))
			return err;
		n += yl_store_changes(c->store);
	}
	if (changed)
		*changed = n;
	if (c->batch || n == 0)
		return YL_OK;
	snprintf(detail, sizeof(detail), "%lld statuses brought up to %s", (long long)n, today);
	return yl_audit(c, "settle", "contract", NULL, detail);
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
	char start[YL_DATE_LEN], end[YL_DATE_LEN], eid[24], detail[160];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t id, now = yl_clock_now(c->clock);

	yl_date_format(p->start, start);
	yl_date_format(p->end, end);
	err = yl_store_prepare(c->store,
			       "INSERT INTO contracts(resident_id, team_id, secondary_id, tertiary_id,"
			       " start_date, end_date, status, previous_id, created_at, updated_at)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, p->resident_id);
	yl_stmt_bind_int(st, 2, p->team_id);
	yl_stmt_bind_int(st, 3, p->secondary_id);
	yl_stmt_bind_int(st, 4, p->tertiary_id);
	yl_stmt_bind_text(st, 5, start);
	yl_stmt_bind_text(st, 6, end);
	yl_stmt_bind_text(st, 7, p->status);
	yl_stmt_bind_id(st, 8, p->previous_id);
	yl_stmt_bind_int(st, 9, now);
	yl_stmt_bind_int(st, 10, now);
	err = yl_stmt_step(st, &row, c->diag);
	id = !err && row ? yl_stmt_int(st, 0) : 0;
	yl_stmt_reset(st);
	/* A unique index: a concurrent writer got there first. */
	if (err == YL_ERR_CONFLICT && strcmp(p->status, "scheduled") == 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "resident %lld already has a scheduled renewal",
				   (long long)p->resident_id);
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, YL_ERR_ACTIVE_CONTRACT, "resident_id",
				   "resident %lld already holds an active contract",
				   (long long)p->resident_id);
	if (err)
		return err;
	snprintf(eid, sizeof(eid), "%lld", (long long)id);
	snprintf(detail, sizeof(detail), "resident %lld team %lld %s..%s %s previous %lld",
		 (long long)p->resident_id, (long long)p->team_id, start, end, p->status,
		 (long long)p->previous_id);
	err = yl_audit(c, action, "contract", eid, detail);
	if (!err && out)
		err = load(c, id, out);
	return err;
}

enum yl_err yl_contract_sign(const struct yl_ctx *c, const struct yl_contract_sign *in,
			     struct yl_contract *out)
{
	struct yl_signing_stock_mark *mark;
	struct plan p = {0};
	char date[YL_DATE_LEN];
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
	p.status = "active";
	p.start = in->has_start ? in->start_date : today;
	/* A contract covers from its signing (or earlier, when backdated); a later start would be
	 * an active row not yet in force. Renewals are how a future start is made. */
	if (p.start > today) {
		yl_date_format(p.start, date);
		return yl_diag_set(c->diag, YL_ERR_INVALID, "start_date",
				   "start_date %s is after today; a contract starts on signing or earlier",
				   date);
	}
	p.end = term_end(p.start, years);
	if (p.end < today) {
		yl_date_format(p.end, date);
		return yl_diag_set(c->diag, YL_ERR_INVALID, "start_date",
				   "the contract would end on %s, before today", date);
	}
	if ((err = check_no_active(c, p.resident_id, 0)) ||
	    (err = check_capacity(c, p.team_id, 0)) ||
	    (err = yl_signing_stock_mark(c, p.resident_id, &mark)) ||
	    (err = settle(c, p.resident_id)) || (err = insert(c, &p, "sign", out)))
		return err;
	return yl_signing_stock_update(c, mark);
}

enum yl_err yl_contract_get(const struct yl_ctx *c, int64_t id, struct yl_contract *out)
{
	enum yl_err err;

	if (c->actor->role != YL_ROLE_RESIDENT && (err = yl_require_staff_reader(c)))
		return err;
	err = load(c, id, out);
	if (!err && c->actor->role == YL_ROLE_RESIDENT && out->resident_id != c->actor->resident_id)
		err = yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "id", "no contract with id %lld",
				  (long long)id);
	return err;
}

/* Staff roles read any resident's contract, a resident user only their own. */
static enum yl_err may_read_current(const struct yl_ctx *c, int64_t resident_id)
{
	if (c->actor->role != YL_ROLE_RESIDENT)
		return yl_require_staff_reader(c);
	if (resident_id != c->actor->resident_id)
		return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, "resident_id",
				   "a resident reads only their own contract");
	return YL_OK;
}

enum yl_err yl_contract_combo_current(const struct yl_ctx *c, int64_t resident_id,
				      struct yl_contract_combo *out, bool *found)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	*found = false;
	memset(out, 0, sizeof(*out));
	if ((err = may_read_current(c, resident_id)))
		return err;
	today_str(c, today);
	/* at most one row is in force on a day (no ORDER BY: it would cost a temporary b-tree
	 * per call) */
	err = yl_store_prepare(c->store, "SELECT k.id, k.team_id, t.institution_id, k.secondary_id,"
					 " k.tertiary_id" K_FROM " WHERE k.resident_id = ? AND "
					 YL_CONTRACT_IN_FORCE " LIMIT 1",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	yl_contract_bind_day(st, 2, today);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		out->contract_id = yl_stmt_int(st, 0);
		out->team_id = yl_stmt_int(st, 1);
		out->team_institution_id = yl_stmt_int(st, 2);
		out->secondary_id = yl_stmt_int(st, 3);
		out->tertiary_id = yl_stmt_int(st, 4);
		*found = true;
	}
	yl_stmt_reset(st);
	return err;
}

enum yl_err yl_contract_renew(const struct yl_ctx *c, int64_t id, int term_years,
			      struct yl_contract *out)
{
	struct yl_signing_stock_mark *mark;
	struct yl_contract old;
	struct plan p = {0};
	const char *next_start;
	enum yl_err err;
	int64_t next;
	int32_t old_end, today = yl_clock_today(c->clock);
	int years;
	bool in_force;

	if ((err = load(c, id, &old)) ||
	    (err = yl_require_institution_staff(c, old.team_institution_id)))
		return err;
	in_force = strcmp(old.status, "active") == 0;
	if (strcmp(old.status, "scheduled") == 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "contract %lld is scheduled from %s; it can be renewed once it has"
				   " started", (long long)id, old.start_date);
	if (!in_force && strcmp(old.status, "expired") != 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "contract %lld is %s; only an active or expired contract can be renewed",
				   (long long)id, old.status);
	if (in_force && (err = pending_renewal(c, old.resident_id, old.id, &next, &next_start)))
		return err;
	if (in_force && next)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "contract %lld is already renewed: contract %lld starts on %s",
				   (long long)id, (long long)next, next_start);
	/* An expired contract's resident may have signed anew since. */
	if ((err = resolve_term(c, term_years, &years)) ||
	    (!in_force && (err = check_no_active(c, old.resident_id, old.id))) ||
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
	p.previous_id = old.id;
	/* Still in force: the successor waits for the old end, which keeps covering the resident
	 * and records nothing until then (settle retires it). Expired: cover resumes today. */
	p.status = in_force ? "scheduled" : "active";
	p.start = in_force ? old_end + 1 : today;
	p.end = term_end(p.start, years);
	if ((err = yl_signing_stock_mark(c, old.resident_id, &mark)) ||
	    (err = settle(c, old.resident_id)) ||
	    (!in_force && (err = close_old(c, old.id, "renewed", NULL))) ||
	    (err = insert(c, &p, "renew", out)))
		return err;
	return yl_signing_stock_update(c, mark);
}

/* YL_ERR_CONFLICT unless old is active or scheduled today; verb names the refused action. */
static enum yl_err require_current(const struct yl_ctx *c, const struct yl_contract *old,
				   const char *verb)
{
	if (strcmp(old->status, "active") == 0 || strcmp(old->status, "scheduled") == 0)
		return YL_OK;
	if (strcmp(old->status, "expired") == 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "contract %lld expired on %s; it cannot be %s (renew it or sign a"
				   " new one)", (long long)old->id, old->end_date, verb);
	return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
			   "contract %lld is %s; only an active or scheduled contract can be %s",
			   (long long)old->id, old->status, verb);
}

enum yl_err yl_contract_change(const struct yl_ctx *c, int64_t id,
			       const struct yl_contract_change *in, struct yl_contract *out)
{
	struct yl_signing_stock_mark *mark;
	struct yl_contract old;
	struct plan p = {0};
	const char *next_start;
	enum yl_err err;
	int64_t inst, next = 0;
	int32_t start, today = yl_clock_today(c->clock);
	bool scheduled;

	if ((err = load(c, id, &old)) ||
	    (err = yl_require_institution_staff(c, old.team_institution_id)) ||
	    (err = require_current(c, &old, "changed")))
		return err;
	scheduled = strcmp(old.status, "scheduled") == 0;
	/* Changing the running contract would leave its renewal with the old combination. */
	if (!scheduled && (err = pending_renewal(c, old.resident_id, old.id, &next, &next_start)))
		return err;
	if (next)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "contract %lld has a scheduled renewal (contract %lld from %s);"
				   " change the renewal or end it first", (long long)id,
				   (long long)next, next_start);
	if ((err = check_reason(c, in->reason)))
		return err;
	p.resident_id = old.resident_id;
	p.team_id = in->team_id ? in->team_id : old.team_id;
	p.secondary_id = in->secondary_id ? in->secondary_id : old.secondary_id;
	p.tertiary_id = in->tertiary_id ? in->tertiary_id : old.tertiary_id;
	p.previous_id = old.id;
	p.status = scheduled ? "scheduled" : "active";
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
	if ((err = yl_signing_stock_mark(c, old.resident_id, &mark)) ||
	    (err = settle(c, old.resident_id)) ||
	    (err = close_old(c, old.id, "changed", in->reason)) ||
	    (err = insert(c, &p, "change", out)))
		return err;
	return yl_signing_stock_update(c, mark);
}

static enum yl_err end_one(const struct yl_ctx *c, int64_t id, const char *reason)
{
	enum yl_err err = close_old(c, id, "ended", reason);

	return err ? err
		   : yl_audit(c, "end", "contract",
			      yl_arena_printf(c->arena, "%lld", (long long)id), reason);
}

enum yl_err yl_contract_end(const struct yl_ctx *c, int64_t id, const char *reason,
			    struct yl_contract *out)
{
	struct yl_signing_stock_mark *mark;
	struct yl_contract old;
	const char *next_start;
	enum yl_err err;
	int64_t next = 0;

	if ((err = load(c, id, &old)) ||
	    (err = yl_require_institution_staff(c, old.team_institution_id)) ||
	    (err = require_current(c, &old, "ended")) ||
	    (err = check_reason(c, reason)))
		return err;
	/* Ending a scheduled renewal cancels only it: the running contract stays. Ending the
	 * running one takes its renewal with it, or the resident would be signed again later
	 * without a contract in between. */
	if (strcmp(old.status, "active") == 0 &&
	    (err = pending_renewal(c, old.resident_id, old.id, &next, &next_start)))
		return err;
	if ((err = yl_signing_stock_mark(c, old.resident_id, &mark)) ||
	    (err = settle(c, old.resident_id)) || (err = end_one(c, id, reason)) ||
	    (next && (err = end_one(c, next, reason))) ||
	    (err = yl_signing_stock_update(c, mark)))
		return err;
	return out ? load(c, id, out) : YL_OK;
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
	struct bind b[12];
	char today[YL_DATE_LEN], until[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	int nb = 0;
	bool known = false;
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
				   "status must be active, scheduled, expired, renewed, changed or ended");
	today_str(c, today);
	yl_buf_adds(&sql, "SELECT " K_COLS K_FROM " WHERE k.id > ?");
	b[nb++] = (struct bind){today, 0};
	b[nb++] = (struct bind){NULL, f->after};
	if (resident_id) {
		yl_buf_adds(&sql, " AND k.resident_id = ?");
		b[nb++] = (struct bind){NULL, resident_id};
	}
	if (f->team_id) {
		yl_buf_adds(&sql, " AND k.team_id = ?");
		b[nb++] = (struct bind){NULL, f->team_id};
	}
	/* The derived statuses, as derive_status computes them. */
	if (f->status && strcmp(f->status, "active") == 0) {
		yl_buf_adds(&sql, " AND " YL_CONTRACT_IN_FORCE);
		b[nb++] = (struct bind){today, 0};
		b[nb++] = (struct bind){today, 0};
	} else if (f->status && strcmp(f->status, "scheduled") == 0) {
		yl_buf_adds(&sql, " AND k.status = 'scheduled' AND k.start_date > ?");
		b[nb++] = (struct bind){today, 0};
	} else if (f->status && strcmp(f->status, "expired") == 0) {
		yl_buf_adds(&sql, " AND (k.status = 'expired' OR (k.status IN ('active','scheduled')"
				  " AND k.end_date < ? AND NOT " K_SUCCEEDED "))");
		b[nb++] = (struct bind){today, 0};
		b[nb++] = (struct bind){today, 0};
	} else if (f->status && strcmp(f->status, "renewed") == 0) {
		yl_buf_adds(&sql, " AND (k.status = 'renewed' OR (k.status = 'active' AND "
				  K_SUCCEEDED "))");
		b[nb++] = (struct bind){today, 0};
	} else if (f->status) {
		yl_buf_adds(&sql, " AND k.status = ?");
		b[nb++] = (struct bind){f->status, 0};
	}
	if (f->expiring_within >= 0) {
		/* Already renewed (a scheduled successor waits) is not expiring. */
		yl_date_format(yl_clock_today(c->clock) + (int32_t)f->expiring_within, until);
		yl_buf_adds(&sql, " AND " YL_CONTRACT_IN_FORCE " AND k.end_date <= ? AND NOT EXISTS"
				  " (SELECT 1 FROM contracts s WHERE s.resident_id = k.resident_id"
				  " AND s.status = 'scheduled' AND s.id <> k.id)");
		b[nb++] = (struct bind){today, 0};
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
	err = yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
	return err;
}
