/* referral_flow.c - the transitions of a referral (accept, reject, cancel, arrive, complete)
 * and the care plan of a down-referral (acknowledge, item done, the overdue task list).
 *
 * One table (steps) says, for each action, who may take it (the target's staff or the
 * sender's) and from which state; every action checks who, then the derived state, then its
 * body, and writes nothing until all have passed. Accepting an outpatient referral books the
 * slot first, through yl_booking_create with the referral flag, so a refused booking refuses
 * the accept with nothing written. Requests and reads live in referral.c.
 */
#include "domain/referral_int.h"

#include <string.h>

#include "domain/booking.h"
#include "domain/measure.h"

struct step {
	const char *verb; /* accept | reject | cancel | arrive | complete */
	const char *from; /* the one state it leaves */
	const char *to;
	bool by_target;   /* staff of the target institution; else of the sender */
};

static const struct step steps[] = {
	{"accept", "requested", "accepted", true},
	{"reject", "requested", "rejected", true},
	{"cancel", "requested", "cancelled", false},
	{"arrive", "accepted", "arrived", true},
	{"complete", "arrived", "completed", true},
};

static const char *article(const char *word)
{
	return strchr("aeiou", word[0]) ? "an" : "a";
}

/* YL_ERR_CONFLICT: "cannot <verb> a <status> referral", saying when an expired one expired. */
static enum yl_err refuse_state(const struct yl_ctx *c, const struct yl_referral *r,
				const char *verb)
{
	char when[21];

	if (strcmp(r->status, "expired") == 0) {
		yl_time_format(r->expires_at, when);
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "cannot %s an expired referral: it was not answered by %s", verb,
				   when);
	}
	return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id", "cannot %s %s %s referral", verb,
			   article(r->status), r->status);
}

/* Loads the referral and checks who and from which state. */
static enum yl_err begin(const struct yl_ctx *c, int64_t id, const struct step *s,
			 struct yl_referral *r)
{
	enum yl_err err;

	if ((err = yl_referral_load(c, id, false, r)) ||
	    (err = yl_require_institution_staff(c, s->by_target ? r->to_institution_id
								: r->from_institution_id)))
		return err;
	return strcmp(r->status, s->from) == 0 ? YL_OK : refuse_state(c, r, s->verb);
}

/* Settles, moves the stored status, writes the history and audit rows, reloads. */
static enum yl_err finish(const struct yl_ctx *c, const struct yl_referral *r,
			  const struct step *s, const char *reason, int64_t booking_id,
			  const char *planned, struct yl_referral *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	if ((err = yl_referral_settle(c, r->resident_id)))
		return err;
	err = yl_store_prepare(c->store, "UPDATE referrals SET status = ?, status_reason = ?,"
					 " booking_id = coalesce(?, booking_id), planned_admission_date ="
					 " coalesce(?, planned_admission_date), updated_at = ? WHERE id = ?"
					 " AND status = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, s->to);
	yl_stmt_bind_text(st, 2, reason);
	yl_stmt_bind_id(st, 3, booking_id);
	yl_stmt_bind_text(st, 4, planned);
	yl_stmt_bind_int(st, 5, yl_clock_now(c->clock));
	yl_stmt_bind_int(st, 6, r->id);
	yl_stmt_bind_text(st, 7, s->from);
	if ((err = yl_stmt_run(st, c->diag)))
		return err;
	/* begin() saw the state on derived status inside this transaction; no row means a bug. */
	if (yl_store_changes(c->store) != 1)
		return yl_diag_set(c->diag, YL_ERR_INTERNAL, "id", "referral %lld changed state",
				   (long long)r->id);
	/* Closure (B7) counts completed referrals live, under the month of their request. */
	if (strcmp(s->to, "completed") == 0 && (err = yl_measure_referral_completed(c, r->id)))
		return err;
	if ((err = yl_referral_event_add(c, r->id, s->from, s->to, reason)) ||
	    (err = yl_audit(c, s->verb, "referral", yl_arena_printf(c->arena, "%lld", (long long)r->id),
			    reason)))
		return err;
	return out ? yl_referral_load(c, r->id, true, out) : YL_OK;
}

/* The slot must be the target's (and the named department's) before it is booked. */
static enum yl_err check_slot(const struct yl_ctx *c, const struct yl_referral *r, int64_t slot)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t inst = 0, dept = 0;

	err = yl_store_prepare(c->store, "SELECT institution_id, department_id FROM slots"
					 " WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, slot);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		inst = yl_stmt_int(st, 0);
		dept = yl_stmt_int(st, 1);
	}
	yl_stmt_reset(st);
	if (err)
		return err;
	if (!row)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "slot_id", "no slot with id %lld",
				   (long long)slot);
	if (inst != r->to_institution_id)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "slot_id",
				   "slot %lld is not at institution %lld", (long long)slot,
				   (long long)r->to_institution_id);
	if (r->to_department_id && dept != r->to_department_id)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "slot_id",
				   "slot %lld is not in department %lld", (long long)slot,
				   (long long)r->to_department_id);
	return YL_OK;
}

enum yl_err yl_referral_accept(const struct yl_ctx *c, int64_t id,
			       const struct yl_referral_accept *in, struct yl_referral *out)
{
	struct yl_booking_new bn = {0};
	struct yl_booking b;
	struct yl_referral r;
	char planned[YL_DATE_LEN];
	enum yl_err err;
	bool inpatient;

	if ((err = begin(c, id, &steps[0], &r)))
		return err;
	inpatient = strcmp(r.care_type, "inpatient") == 0;
	if (inpatient && in->slot_id)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "slot_id",
				   "an inpatient referral takes planned_admission_date, not slot_id");
	if (inpatient && !in->has_planned_admission)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "planned_admission_date",
				   "accepting an inpatient referral needs planned_admission_date");
	if (inpatient && in->planned_admission_date < yl_clock_today(c->clock))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "planned_admission_date",
				   "planned_admission_date is before today");
	if (!inpatient && in->has_planned_admission)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "planned_admission_date",
				   "an outpatient referral takes slot_id, not planned_admission_date");
	if (!inpatient && !in->slot_id && strcmp(r.direction, "up") == 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "slot_id",
				   "accepting an outpatient up-referral needs slot_id: a place in the"
				   " referral pool is booked for the resident");
	if (inpatient) {
		yl_date_format(in->planned_admission_date, planned);
		return finish(c, &r, &steps[0], NULL, 0, planned, out);
	}
	if (in->slot_id) {
		bn.slot_id = in->slot_id;
		bn.resident_id = r.resident_id;
		bn.pool = YL_POOL_REFERRAL;
		bn.referral = true;
		if ((err = check_slot(c, &r, in->slot_id)) ||
		    (err = yl_booking_create(c, &bn, &b, NULL)))
			return err;
	}
	return finish(c, &r, &steps[0], NULL, in->slot_id ? b.id : 0, NULL, out);
}

static enum yl_err with_reason(const struct yl_ctx *c, int64_t id, const struct step *s,
			       const char *reason, struct yl_referral *out)
{
	struct yl_referral r;
	enum yl_err err;

	if ((err = begin(c, id, s, &r)))
		return err;
	if (!reason || !*reason)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "reason", "reason is required");
	if (strlen(reason) > YL_REFERRAL_NOTE_MAX)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "reason", "reason is longer than %d bytes",
				   YL_REFERRAL_NOTE_MAX);
	return finish(c, &r, s, reason, 0, NULL, out);
}

enum yl_err yl_referral_reject(const struct yl_ctx *c, int64_t id, const char *reason,
			       struct yl_referral *out)
{
	return with_reason(c, id, &steps[1], reason, out);
}

enum yl_err yl_referral_cancel(const struct yl_ctx *c, int64_t id, const char *reason,
			       struct yl_referral *out)
{
	return with_reason(c, id, &steps[2], reason, out);
}

static enum yl_err plain(const struct yl_ctx *c, int64_t id, const struct step *s,
			 struct yl_referral *out)
{
	struct yl_referral r;
	enum yl_err err;

	if ((err = begin(c, id, s, &r)))
		return err;
	return finish(c, &r, s, NULL, 0, NULL, out);
}

enum yl_err yl_referral_arrive(const struct yl_ctx *c, int64_t id, struct yl_referral *out)
{
	return plain(c, id, &steps[3], out);
}

enum yl_err yl_referral_complete(const struct yl_ctx *c, int64_t id, struct yl_referral *out)
{
	return plain(c, id, &steps[4], out);
}

/* Who may work the care plan: admin, a doctor of the resident's family-doctor institution,
 * staff of the receiving institution. Then: a down-referral, accepted or later. */
static enum yl_err care_begin(const struct yl_ctx *c, int64_t id, const char *verb,
			      struct yl_referral *r)
{
	const struct yl_actor *a = c->actor;
	enum yl_err err;
	int64_t fd = 0;

	if ((err = yl_referral_load(c, id, false, r)))
		return err;
	if (a->role == YL_ROLE_DOCTOR &&
	    (err = yl_referral_fd_institution(c, r->resident_id, &fd)))
		return err;
	if (!(a->role == YL_ROLE_DOCTOR && fd && a->institution_id == fd) &&
	    (err = yl_require_institution_staff(c, r->to_institution_id)))
		return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL,
				   "only the resident's family doctors or the receiving institution"
				   " may %s this care plan", verb);
	if (strcmp(r->direction, "down") != 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "referral %lld is %s; only a down-referral has a care plan",
				   (long long)id, r->direction);
	if (strcmp(r->status, "accepted") != 0 && strcmp(r->status, "arrived") != 0 &&
	    strcmp(r->status, "completed") != 0)
		return refuse_state(c, r, verb);
	return YL_OK;
}

enum yl_err yl_referral_acknowledge(const struct yl_ctx *c, int64_t id, struct yl_referral *out)
{
	struct yl_referral r;
	struct yl_stmt *st;
	enum yl_err err;
	int64_t now = yl_clock_now(c->clock);

	if ((err = care_begin(c, id, "acknowledge", &r)))
		return err;
	if (r.acknowledged_at)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "the care plan of referral %lld is already acknowledged",
				   (long long)id);
	if ((err = yl_referral_settle(c, r.resident_id)))
		return err;
	err = yl_store_prepare(c->store, "UPDATE referrals SET acknowledged_at = ?,"
					 " acknowledged_by = ?, updated_at = ? WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, now);
	yl_stmt_bind_id(st, 2, c->actor->user_id);
	yl_stmt_bind_int(st, 3, now);
	yl_stmt_bind_int(st, 4, id);
	if ((err = yl_stmt_run(st, c->diag)) ||
	    (err = yl_audit_id(c, "acknowledge", "referral", id)))
		return err;
	return out ? yl_referral_load(c, id, true, out) : YL_OK;
}

enum yl_err yl_referral_item_done(const struct yl_ctx *c, int64_t id, int64_t item_id,
				  struct yl_care_plan_item *out)
{
	struct yl_referral r;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t done = 0;

	if ((err = care_begin(c, id, "work on", &r)))
		return err;
	if (!r.acknowledged_at)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "acknowledge the care plan of referral %lld first", (long long)id);
	err = yl_store_prepare(c->store, "SELECT done_at FROM care_plan_items WHERE id = ?"
					 " AND referral_id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, item_id);
	yl_stmt_bind_int(st, 2, id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row)
		done = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	if (err)
		return err;
	if (!row)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "item_id",
				   "referral %lld has no care-plan item %lld", (long long)id,
				   (long long)item_id);
	if (done)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "item_id",
				   "care-plan item %lld is already done", (long long)item_id);
	if ((err = yl_referral_settle(c, r.resident_id)))
		return err;
	err = yl_store_prepare(c->store, "UPDATE care_plan_items SET done_at = ?, done_by = ?"
					 " WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, yl_clock_now(c->clock));
	yl_stmt_bind_id(st, 2, c->actor->user_id);
	yl_stmt_bind_int(st, 3, item_id);
	if ((err = yl_stmt_run(st, c->diag)) ||
	    (err = yl_audit_id(c, "done", "care_plan_item", item_id)) ||
	    (err = yl_referral_load(c, id, true, &r)))
		return err;
	for (int i = 0; out && i < r.nitems; i++)
		if (r.items[i].id == item_id)
			*out = r.items[i];
	return YL_OK;
}

static void read_task(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_care_plan_item *it = item;
	char today[YL_DATE_LEN];

	yl_date_format(yl_clock_today(c->clock), today);
	it->id = yl_stmt_int(st, 0);
	it->referral_id = yl_stmt_int(st, 1);
	it->description = yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
	it->due_date = yl_arena_strdup(c->arena, yl_stmt_text(st, 3));
	it->done_at = yl_stmt_int(st, 4);
	it->done_by = yl_stmt_int(st, 5);
	it->resident_id = yl_stmt_int(st, 6);
	it->institution_id = yl_stmt_int(st, 7);
	it->overdue = it->done_at == 0 && strcmp(it->due_date, today) < 0;
}

enum yl_err yl_care_plan_list(const struct yl_ctx *c, const struct yl_care_plan_filter *f,
			      struct yl_care_plan_item **items, int *n, bool *more)
{
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	int p = 1;

	if ((err = yl_require_staff_reader(c)))
		return err;
	yl_date_format(yl_clock_today(c->clock), today);
	/* Four statements, one per filter combination, each with its own cached plan. */
	err = yl_store_prepare(c->store,
			       f->institution_id && f->overdue_only ?
			       "SELECT i.id, i.referral_id, i.description, i.due_date, i.done_at,"
			       " i.done_by, r.resident_id, r.to_institution_id FROM care_plan_items i"
			       " JOIN referrals r ON r.id = i.referral_id WHERE i.id > ?"
			       " AND r.direction = 'down' AND r.status IN ('accepted','arrived',"
			       "'completed') AND r.to_institution_id = ? AND i.done_at IS NULL"
			       " AND i.due_date < ? ORDER BY i.id LIMIT ?" :
			       f->institution_id ?
			       "SELECT i.id, i.referral_id, i.description, i.due_date, i.done_at,"
			       " i.done_by, r.resident_id, r.to_institution_id FROM care_plan_items i"
			       " JOIN referrals r ON r.id = i.referral_id WHERE i.id > ?"
			       " AND r.direction = 'down' AND r.status IN ('accepted','arrived',"
			       "'completed') AND r.to_institution_id = ? ORDER BY i.id LIMIT ?" :
			       f->overdue_only ?
			       "SELECT i.id, i.referral_id, i.description, i.due_date, i.done_at,"
			       " i.done_by, r.resident_id, r.to_institution_id FROM care_plan_items i"
			       " JOIN referrals r ON r.id = i.referral_id WHERE i.id > ?"
			       " AND r.direction = 'down' AND r.status IN ('accepted','arrived',"
			       "'completed') AND i.done_at IS NULL AND i.due_date < ?"
			       " ORDER BY i.id LIMIT ?" :
			       "SELECT i.id, i.referral_id, i.description, i.due_date, i.done_at,"
			       " i.done_by, r.resident_id, r.to_institution_id FROM care_plan_items i"
			       " JOIN referrals r ON r.id = i.referral_id WHERE i.id > ?"
			       " AND r.direction = 'down' AND r.status IN ('accepted','arrived',"
			       "'completed') ORDER BY i.id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, p++, f->after);
	if (f->institution_id)
		yl_stmt_bind_int(st, p++, f->institution_id);
	if (f->overdue_only)
		yl_stmt_bind_text(st, p++, today);
	yl_stmt_bind_int(st, p, f->limit + 1);
	return yl_rows_page(c, st, read_task, sizeof(**items), f->limit, items, n, more);
}
