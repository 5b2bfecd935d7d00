/* referral.c - requesting referrals and reading them: the level rules of each direction, the
 * family-doctor default of a down-referral, the consortium flag, the care plan and encounter
 * references written with the request, and the derived 'expired' status of reads and lists.
 *
 * Transitions and the care-plan task list live in referral_flow.c. Expiry is derived from the
 * clock exactly as contract statuses are (contract.c): one SQL fragment (R_STATUS) computes
 * the status of reads, list filters and checks, and settle() brings stored rows up to it
 * inside a successful write. Residents, practitioners, departments and encounters are read
 * with plain SQL; this module does not depend on their modules.
 */
#include "domain/referral_int.h"

#include <string.h>

#include "base/buf.h"
#include "base/codes.h"
#include "domain/consortium.h"
#include "domain/contract.h"
#include "domain/institution.h"
#include "domain/measure.h"

/* The derived status; one parameter: now. */
#define R_STATUS "CASE WHEN r.status = 'requested' AND r.expires_at <= ? THEN 'expired'" \
		 " ELSE r.status END"
/* The first parameter of every query built on R_COLS is now (for R_STATUS). */
#define R_COLS "r.id, r.direction, r.care_type, r.resident_id, r.from_institution_id," \
	       " r.from_practitioner_id, r.to_institution_id, r.to_department_id," \
	       " r.diagnosis_code, r.reason, " R_STATUS ", r.status_reason," \
	       " r.outside_consortium, r.booking_id, r.planned_admission_date, r.acknowledged_at," \
	       " r.acknowledged_by, r.requested_at, r.expires_at, r.updated_at"

static const char *const statuses[] = {"requested", "accepted",  "arrived", "completed",
				       "rejected",  "cancelled", "expired", NULL};
static const char *const directions[] = {"up", "down", "lateral", NULL};

static bool one_of(const char *const *names, const char *s)
{
	for (int i = 0; s && names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return true;
	return false;
}

static const char *dup(const struct yl_ctx *c, struct yl_stmt *st, int col)
{
	return yl_stmt_null(st, col) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, col));
}

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_referral *o = item;

	memset(o, 0, sizeof(*o));
	o->id = yl_stmt_int(st, 0);
	o->direction = dup(c, st, 1);
	o->care_type = dup(c, st, 2);
	o->resident_id = yl_stmt_int(st, 3);
	o->from_institution_id = yl_stmt_int(st, 4);
	o->from_practitioner_id = yl_stmt_int(st, 5);
	o->to_institution_id = yl_stmt_int(st, 6);
	o->to_department_id = yl_stmt_int(st, 7);
	o->diagnosis_code = dup(c, st, 8);
	o->reason = dup(c, st, 9);
	o->status = dup(c, st, 10);
	o->status_reason = dup(c, st, 11);
	o->outside_consortium = yl_stmt_int(st, 12) != 0;
	o->booking_id = yl_stmt_int(st, 13);
	o->planned_admission_date = dup(c, st, 14);
	o->acknowledged_at = yl_stmt_int(st, 15);
	o->acknowledged_by = yl_stmt_int(st, 16);
	o->requested_at = yl_stmt_int(st, 17);
	o->expires_at = yl_stmt_int(st, 18);
	o->updated_at = yl_stmt_int(st, 19);
}

static void read_event(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_referral_event *e = item;

	e->id = yl_stmt_int(st, 0);
	e->at = yl_stmt_int(st, 1);
	e->from_status = dup(c, st, 2);
	e->to_status = dup(c, st, 3);
	e->user_id = yl_stmt_int(st, 4);
	e->actor = dup(c, st, 5);
	e->reason = dup(c, st, 6);
}

static void read_item(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_care_plan_item *it = item;
	char today[YL_DATE_LEN];

	yl_date_format(yl_clock_today(c->clock), today);
	memset(it, 0, sizeof(*it));
	it->id = yl_stmt_int(st, 0);
	it->referral_id = yl_stmt_int(st, 1);
	it->description = dup(c, st, 2);
	it->due_date = dup(c, st, 3);
	it->done_at = yl_stmt_int(st, 4);
	it->done_by = yl_stmt_int(st, 5);
	it->overdue = it->done_at == 0 && strcmp(it->due_date, today) < 0;
}

static void read_id(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	(void)c;
	*(int64_t *)item = yl_stmt_int(st, 0);
}

/* Every row of a per-referral detail query (one parameter: the referral id). A referral has
 * at most six history rows and YL_REFERRAL_MAX_ITEMS items or encounters. */
enum { DETAIL_MAX = 64 };

static enum yl_err detail(const struct yl_ctx *c, const char *sql, int64_t id, yl_row_fn read,
			  size_t size, void *items, int *n)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool more;

	err = yl_store_prepare(c->store, sql, &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	return yl_rows_page(c, st, read, size, DETAIL_MAX, items, n, &more);
}

enum yl_err yl_referral_load(const struct yl_ctx *c, int64_t id, bool with_detail,
			     struct yl_referral *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " R_COLS " FROM referrals r WHERE r.id = ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, yl_clock_now(c->clock));
	yl_stmt_bind_int(st, 2, id);
	err = yl_row_one(c, st, read_row, out, "id", "no referral with id %lld", (long long)id);
	if (err || !with_detail)
		return err;
	if ((err = detail(c, "SELECT id, at, from_status, to_status, user_id, actor, reason FROM"
			     " referral_events WHERE referral_id = ? ORDER BY id", id, read_event,
			  sizeof(*out->events), &out->events, &out->nevents)) ||
	    (err = detail(c, "SELECT id, referral_id, description, due_date, done_at, done_by FROM"
			     " care_plan_items WHERE referral_id = ? ORDER BY id", id, read_item,
			  sizeof(*out->items), &out->items, &out->nitems)))
		return err;
	return detail(c, "SELECT encounter_id FROM referral_encounters WHERE referral_id = ?"
			 " ORDER BY encounter_id", id, read_id, sizeof(int64_t), &out->encounter_ids,
		      &out->nencounters);
}

enum yl_err yl_referral_event_add(const struct yl_ctx *c, int64_t id, const char *from,
				  const char *to, const char *reason)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "INSERT INTO referral_events(referral_id, at, from_status,"
					 " to_status, user_id, actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	yl_stmt_bind_int(st, 2, yl_clock_now(c->clock));
	yl_stmt_bind_text(st, 3, from);
	yl_stmt_bind_text(st, 4, to);
	yl_stmt_bind_id(st, 5, c->actor->user_id);
	yl_stmt_bind_text(st, 6, c->actor->name ? c->actor->name : "system");
	yl_stmt_bind_text(st, 7, reason);
	return yl_stmt_run(st, c->diag);
}

/* The history row first (it needs the rows still 'requested'), then the status. The event is
 * dated when the referral expired, not when it was noticed, so the history reads true. */
enum yl_err yl_referral_settle(const struct yl_ctx *c, int64_t resident_id)
{
	int64_t now = yl_clock_now(c->clock);
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "INSERT INTO referral_events(referral_id, at, from_status,"
					 " to_status, user_id, actor, reason) SELECT id, expires_at,"
					 " 'requested', 'expired', NULL, 'system:expiry', NULL FROM referrals"
					 " WHERE resident_id = ? AND status = 'requested' AND expires_at <= ?"
					 " ORDER BY id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	yl_stmt_bind_int(st, 2, now);
	if ((err = yl_stmt_run(st, c->diag)))
		return err;
	err = yl_store_prepare(c->store, "UPDATE referrals SET status = 'expired', updated_at ="
					 " expires_at WHERE resident_id = ? AND status = 'requested'"
					 " AND expires_at <= ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	yl_stmt_bind_int(st, 2, now);
	return yl_stmt_run(st, c->diag);
}

enum yl_err yl_referral_fd_institution(const struct yl_ctx *c, int64_t resident_id,
				       int64_t *inst)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	*inst = 0;
	yl_date_format(yl_clock_today(c->clock), today);
	err = yl_store_prepare(c->store, "SELECT t.institution_id FROM contracts k JOIN teams t"
					 " ON t.id = k.team_id WHERE k.resident_id = ? AND "
					 YL_CONTRACT_IN_FORCE " ORDER BY k.start_date LIMIT 1", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	yl_contract_bind_day(st, 2, today);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row)
		*inst = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return err;
}

/* *found: whether `sql` (one integer parameter) returns a row; *val its first column. */
static enum yl_err probe(const struct yl_ctx *c, const char *sql, int64_t id, bool *found,
			 int64_t *val)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, sql, &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_stmt_step(st, found, c->diag);
	if (!err && *found && val)
		*val = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return err;
}

static enum yl_err level_of(const struct yl_ctx *c, int64_t id, const char *field, int *rank)
{
	struct yl_institution inst;
	enum yl_err err = yl_institution_get(c, id, &inst);

	if (err == YL_ERR_NOT_FOUND)
		return yl_diag_set(c->diag, err, field, "no institution with id %lld", (long long)id);
	if (!err)
		*rank = yl_institution_level_rank(inst.level);
	return err;
}

/* The direction's level rule: field to_institution_id at fault. */
static enum yl_err check_levels(const struct yl_ctx *c, const char *dir, int from, int to)
{
	if (strcmp(dir, "up") == 0 && to <= from)
		return yl_diag_set(c->diag, YL_ERR_LEVEL, "to_institution_id",
				   "an up-referral goes to a higher level; use lateral for a"
				   " same-level specialty");
	if (strcmp(dir, "down") == 0 && from < 2)
		return yl_diag_set(c->diag, YL_ERR_LEVEL, "from_institution_id",
				   "a down-referral comes from a secondary or tertiary hospital");
	if (strcmp(dir, "down") == 0 && to != 1)
		return yl_diag_set(c->diag, YL_ERR_LEVEL, "to_institution_id",
				   "a down-referral goes to a primary institution");
	if (strcmp(dir, "lateral") == 0 && to != from)
		return yl_diag_set(c->diag, YL_ERR_LEVEL, "to_institution_id",
				   "a lateral referral stays at the same level");
	return YL_OK;
}

static enum yl_err check_fields(const struct yl_ctx *c, const struct yl_referral_new *in)
{
	if (!in->direction)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "direction", "direction is required");
	if (!one_of(directions, in->direction))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "direction",
				   "direction must be up, down or lateral");
	if (!in->care_type)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "care_type", "care_type is required");
	if (strcmp(in->care_type, "outpatient") != 0 && strcmp(in->care_type, "inpatient") != 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "care_type",
				   "care_type must be outpatient or inpatient");
	if (!in->resident_id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "resident_id", "resident_id is required");
	if (!in->from_institution_id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "from_institution_id",
				   "from_institution_id is required");
	if (!in->diagnosis_code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "diagnosis_code",
				   "diagnosis_code is required");
	if (!yl_icd10_check(in->diagnosis_code) || strlen(in->diagnosis_code) > 10)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "diagnosis_code",
				   "diagnosis_code '%s' is not an icd-10 code", in->diagnosis_code);
	if (!in->reason || !*in->reason)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "reason", "reason is required");
	if (strlen(in->reason) > YL_REFERRAL_REASON_MAX)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "reason", "reason is longer than %d bytes",
				   YL_REFERRAL_REASON_MAX);
	if (in->ncare_plan && strcmp(in->direction, "down") != 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "care_plan",
				   "only a down-referral carries a care plan");
	if (in->ncare_plan < 0 || in->ncare_plan > YL_REFERRAL_MAX_ITEMS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "care_plan",
				   "a care plan has at most %d items", YL_REFERRAL_MAX_ITEMS);
	for (int i = 0; i < in->ncare_plan; i++) {
		const char *d = in->care_plan[i].description;
		if (!d || !*d || strlen(d) > YL_REFERRAL_ITEM_MAX)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "care_plan",
					   "care_plan item %d needs a description of 1 to %d bytes",
					   i + 1, YL_REFERRAL_ITEM_MAX);
	}
	if (in->nencounters < 0 || in->nencounters > YL_REFERRAL_MAX_ENCOUNTERS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "encounter_ids",
				   "at most %d encounter_ids", YL_REFERRAL_MAX_ENCOUNTERS);
	return YL_OK;
}

/* Everything that refers to other rows: the resident, the target (defaulted for down), the
 * practitioner and department, the encounters. Sets *to. */
static enum yl_err check_refs(const struct yl_ctx *c, const struct yl_referral_new *in,
			      int64_t *to)
{
	enum yl_err err;
	int64_t owner = 0;
	int from_rank = -1, to_rank = -1;
	bool found;

	if ((err = probe(c, "SELECT 1 FROM residents WHERE id = ?", in->resident_id, &found, NULL)))
		return err;
	if (!found)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "resident_id",
				   "no resident with id %lld", (long long)in->resident_id);
	*to = in->to_institution_id;
	if (!*to && strcmp(in->direction, "down") == 0 &&
	    (err = yl_referral_fd_institution(c, in->resident_id, to)))
		return err;
	if (!*to && strcmp(in->direction, "down") == 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "to_institution_id",
				   "resident %lld has no family-doctor contract in force;"
				   " to_institution_id is required", (long long)in->resident_id);
	if (!*to)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "to_institution_id",
				   "to_institution_id is required");
	if (*to == in->from_institution_id)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to_institution_id",
				   "a referral goes to another institution");
	if ((err = level_of(c, in->from_institution_id, "from_institution_id", &from_rank)) ||
	    (err = level_of(c, *to, "to_institution_id", &to_rank)) ||
	    (err = check_levels(c, in->direction, from_rank, to_rank)))
		return err;
	if (in->from_practitioner_id &&
	    (err = probe(c, "SELECT institution_id FROM practitioners WHERE id = ?",
			 in->from_practitioner_id, &found, &owner)))
		return err;
	if (in->from_practitioner_id && (!found || owner != in->from_institution_id))
		return yl_diag_set(c->diag, found ? YL_ERR_INVALID : YL_ERR_NOT_FOUND,
				   "from_practitioner_id",
				   "no practitioner %lld at institution %lld",
				   (long long)in->from_practitioner_id,
				   (long long)in->from_institution_id);
	if (in->to_department_id &&
	    (err = probe(c, "SELECT institution_id FROM departments WHERE id = ?",
			 in->to_department_id, &found, &owner)))
		return err;
	if (in->to_department_id && (!found || owner != *to))
		return yl_diag_set(c->diag, found ? YL_ERR_INVALID : YL_ERR_NOT_FOUND,
				   "to_department_id", "no department %lld at institution %lld",
				   (long long)in->to_department_id, (long long)*to);
	for (int i = 0; i < in->nencounters; i++) {
		for (int j = 0; j < i; j++)
			if (in->encounter_ids[j] == in->encounter_ids[i])
				return yl_diag_set(c->diag, YL_ERR_INVALID, "encounter_ids",
						   "encounter %lld is listed twice",
						   (long long)in->encounter_ids[i]);
		if ((err = probe(c, "SELECT resident_id FROM encounters WHERE id = ?",
				 in->encounter_ids[i], &found, &owner)))
			return err;
		if (!found)
			return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "encounter_ids",
					   "no encounter with id %lld", (long long)in->encounter_ids[i]);
		if (owner != in->resident_id)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "encounter_ids",
					   "encounter %lld is not resident %lld's",
					   (long long)in->encounter_ids[i], (long long)in->resident_id);
	}
	return YL_OK;
}

static enum yl_err insert_children(const struct yl_ctx *c, int64_t id,
				   const struct yl_referral_new *in)
{
	char due[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err = YL_OK;

	for (int i = 0; !err && i < in->ncare_plan; i++) {
		yl_date_format(in->care_plan[i].due_date, due);
		err = yl_store_prepare(c->store, "INSERT INTO care_plan_items(referral_id, description,"
						 " due_date) VALUES (?, ?, ?)", &st, c->diag);
		if (err)
			return err;
		yl_stmt_bind_int(st, 1, id);
		yl_stmt_bind_text(st, 2, in->care_plan[i].description);
		yl_stmt_bind_text(st, 3, due);
		err = yl_stmt_run(st, c->diag);
	}
	for (int i = 0; !err && i < in->nencounters; i++) {
		err = yl_store_prepare(c->store, "INSERT INTO referral_encounters(referral_id,"
						 " encounter_id) VALUES (?, ?)", &st, c->diag);
		if (err)
			return err;
		yl_stmt_bind_int(st, 1, id);
		yl_stmt_bind_int(st, 2, in->encounter_ids[i]);
		err = yl_stmt_run(st, c->diag);
	}
	return err;
}

enum yl_err yl_referral_create(const struct yl_ctx *c, const struct yl_referral_new *in,
			       struct yl_referral *out)
{
	int64_t to, id = 0, hours = YL_REFERRAL_DEFAULT_EXPIRY_HOURS;
	int64_t now = yl_clock_now(c->clock);
	struct yl_stmt *st;
	enum yl_err err;
	bool shared = false, row;

	if ((err = check_fields(c, in)) ||
	    (err = yl_require_institution_staff(c, in->from_institution_id)) ||
	    (err = check_refs(c, in, &to)) ||
	    (err = yl_consortium_shared(c, in->from_institution_id, to, &shared)) ||
	    (err = yl_setting_int(c, "referral_expiry_hours", &hours)))
		return err;
	if (hours < 1)
		hours = YL_REFERRAL_DEFAULT_EXPIRY_HOURS;
	if ((err = yl_referral_settle(c, in->resident_id)))
		return err;
	err = yl_store_prepare(c->store,
			       "INSERT INTO referrals(direction, care_type, resident_id,"
			       " from_institution_id, from_practitioner_id, to_institution_id,"
			       " to_department_id, diagnosis_code, reason, status, outside_consortium,"
			       " requested_at, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
			       " ?, 'requested', ?, ?, ?, ?) RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, in->direction);
	yl_stmt_bind_text(st, 2, in->care_type);
	yl_stmt_bind_int(st, 3, in->resident_id);
	yl_stmt_bind_int(st, 4, in->from_institution_id);
	yl_stmt_bind_id(st, 5, in->from_practitioner_id);
	yl_stmt_bind_int(st, 6, to);
	yl_stmt_bind_id(st, 7, in->to_department_id);
	yl_stmt_bind_text(st, 8, in->diagnosis_code);
	yl_stmt_bind_text(st, 9, in->reason);
	yl_stmt_bind_int(st, 10, shared ? 0 : 1);
	yl_stmt_bind_int(st, 11, now);
	yl_stmt_bind_int(st, 12, now + hours * 3600);
	yl_stmt_bind_int(st, 13, now);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row)
		id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	if (!err && !id)
		err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "referral insert returned no id");
	if (err || (err = insert_children(c, id, in)) ||
	    (err = yl_referral_event_add(c, id, NULL, "requested", NULL)) ||
	    (err = yl_measure_referral_requested(c, id)) ||
	    (err = yl_audit(c, "request", "referral", yl_arena_printf(c->arena, "%lld", (long long)id),
			    yl_arena_printf(c->arena, "%s %s resident %lld %lld->%lld%s",
					    in->direction, in->care_type, (long long)in->resident_id,
					    (long long)in->from_institution_id, (long long)to,
					    shared ? "" : " outside consortium"))))
		return err;
	return out ? yl_referral_load(c, id, true, out) : YL_OK;
}

enum yl_err yl_referral_get(const struct yl_ctx *c, int64_t id, struct yl_referral *out)
{
	enum yl_err err;

	if (c->actor->role != YL_ROLE_RESIDENT && (err = yl_require_staff_reader(c)))
		return err;
	err = yl_referral_load(c, id, true, out);
	if (!err && c->actor->role == YL_ROLE_RESIDENT && out->resident_id != c->actor->resident_id)
		err = yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "id", "no referral with id %lld",
				  (long long)id);
	return err;
}

enum yl_err yl_referral_list(const struct yl_ctx *c, const struct yl_referral_filter *f,
			     struct yl_referral **items, int *n, bool *more)
{
	struct yl_buf sql = YL_BUF_INIT;
	int64_t ints[12] = {0}, now = yl_clock_now(c->clock);
	const char *texts[12] = {0};
	int64_t resident_id = f->resident_id;
	struct yl_stmt *st;
	enum yl_err err;
	int nb = 0;

	if (c->actor->role == YL_ROLE_RESIDENT) {
		if (resident_id && resident_id != c->actor->resident_id)
			return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, "resident_id",
					   "a resident may list only their own referrals");
		resident_id = c->actor->resident_id;
	} else if ((err = yl_require_staff_reader(c))) {
		return err;
	}
	if (f->status && !one_of(statuses, f->status))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "status",
				   "status must be requested, accepted, arrived, completed, rejected,"
				   " cancelled or expired");
	if (f->direction && !one_of(directions, f->direction))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "direction",
				   "direction must be up, down or lateral");
	yl_buf_adds(&sql, "SELECT " R_COLS " FROM referrals r WHERE r.id > ?");
	ints[nb++] = now;
	ints[nb++] = f->after;
	if (resident_id) {
		yl_buf_adds(&sql, " AND r.resident_id = ?");
		ints[nb++] = resident_id;
	}
	if (f->from_institution_id) {
		yl_buf_adds(&sql, " AND r.from_institution_id = ?");
		ints[nb++] = f->from_institution_id;
	}
	if (f->to_institution_id) {
		yl_buf_adds(&sql, " AND r.to_institution_id = ?");
		ints[nb++] = f->to_institution_id;
	}
	if (f->outside_consortium >= 0) {
		yl_buf_adds(&sql, " AND r.outside_consortium = ?");
		ints[nb++] = f->outside_consortium ? 1 : 0;
	}
	if (f->direction) {
		yl_buf_adds(&sql, " AND r.direction = ?");
		texts[nb++] = f->direction;
	}
	if (f->status) {
		yl_buf_adds(&sql, " AND " R_STATUS " = ?");
		ints[nb++] = now;
		texts[nb++] = f->status;
	}
	yl_buf_adds(&sql, " ORDER BY r.id LIMIT ?");
	ints[nb++] = f->limit + 1;
	err = yl_store_prepare(c->store, yl_buf_str(&sql), &st, c->diag);
	yl_buf_release(&sql);
	if (err)
		return err;
	for (int i = 0; i < nb; i++) {
		if (texts[i])
			yl_stmt_bind_text(st, i + 1, texts[i]);
		else
			yl_stmt_bind_int(st, i + 1, ints[i]);
	}
	return yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
}
