/* schedule.c - schedule templates and session generation. Times of day stay "HH:MM" text in
 * Asia/Shanghai local time on templates and sessions (what a clinic prints on its board) and
 * become UTC unix seconds only on slots, computed here in C with yl_local_time so no
 * database date function is needed. Generation reads each template once for the whole range
 * and relies on the unique index sessions(template_id, date) only as a backstop: it looks
 * before it inserts, so a re-run creates nothing and fails nothing.
 */
#include "domain/schedule.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/consortium.h"
#include "domain/department.h"
#include "domain/institution.h"
#include "domain/slot.h"

int yl_iso_weekday(int32_t day)
{
	int r = (int)(((int64_t)day + 3) % 7); /* day 0 was a Thursday (ISO 4) */

	return (r < 0 ? r + 7 : r) + 1;
}

/* Minutes since local midnight of "HH:MM"; -1 when malformed. */
static int64_t minutes_of(const char *hhmm)
{
	int64_t t;

	if (!yl_local_time(0, hhmm, &t))
		return -1;
	return (t + YL_SHANGHAI_OFFSET) / 60;
}

#define TPL_COLS                                                                                   \
	"id, institution_id, department_id, practitioner_id, weekday, start_time, end_time,"       \
	" slot_minutes, capacity, quota_family_doctor, quota_referral, valid_from, valid_to,"      \
	" active, created_at"

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_schedule_template *o = item;

	o->id = yl_stmt_int(st, 0);
	o->institution_id = yl_stmt_int(st, 1);
	o->department_id = yl_stmt_int(st, 2);
	o->practitioner_id = yl_stmt_null(st, 3) ? 0 : yl_stmt_int(st, 3);
	o->weekday = yl_stmt_int(st, 4);
	o->start_time = yl_arena_strdup(c->arena, yl_stmt_text(st, 5));
	o->end_time = yl_arena_strdup(c->arena, yl_stmt_text(st, 6));
	o->slot_minutes = yl_stmt_int(st, 7);
	o->capacity = yl_stmt_int(st, 8);
	o->quota_family_doctor = yl_stmt_int(st, 9);
	o->quota_referral = yl_stmt_int(st, 10);
	o->valid_from = yl_arena_strdup(c->arena, yl_stmt_text(st, 11));
	o->valid_to = yl_stmt_null(st, 12) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, 12));
	o->active = yl_stmt_int(st, 13) != 0;
	o->created_at = yl_stmt_int(st, 14);
}

static enum yl_err get_bare(const struct yl_ctx *c, int64_t id, struct yl_schedule_template *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " TPL_COLS " FROM schedule_templates WHERE id = ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	return yl_row_one(c, st, read_row, out, "id", "no schedule template with id %" PRId64, id);
}

enum yl_err yl_schedule_template_get(const struct yl_ctx *c, int64_t id,
				     struct yl_schedule_template *out)
{
	enum yl_err err = yl_require_staff_reader(c);

	return err ? err : get_bare(c, id, out);
}

/* Capacity and quotas: each in range, the two quotas together within capacity. */
static enum yl_err check_places(const struct yl_ctx *c, int64_t capacity, int64_t fd, int64_t ref)
{
	if (capacity < 1 || capacity > 1000)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "capacity", "capacity must be 1-1000");
	if (fd < 0 || fd > capacity)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "quota_family_doctor",
				   "quota_family_doctor must be 0-%" PRId64 " (the capacity)", capacity);
	if (ref < 0 || fd + ref > capacity)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "quota_referral",
				   "quota_referral must be 0-%" PRId64
				   " (capacity minus quota_family_doctor)", capacity - fd);
	return YL_OK;
}

static enum yl_err check_times(const struct yl_ctx *c, const struct yl_schedule_template *in)
{
	int64_t start, end;
	int32_t from, to;

	if (in->weekday < 1 || in->weekday > 7)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "weekday",
				   "weekday must be 1-7 (ISO, Monday is 1)");
	if (!in->start_time)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "start_time", "start_time is required");
	if (!in->end_time)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "end_time", "end_time is required");
	if ((start = minutes_of(in->start_time)) < 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "start_time",
				   "start_time must be HH:MM (00:00-23:59)");
	if ((end = minutes_of(in->end_time)) < 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "end_time",
				   "end_time must be HH:MM (00:00-23:59)");
	if (end <= start)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "end_time",
				   "end_time must be after start_time; a session ends on its own day");
	if (in->slot_minutes < 5 || in->slot_minutes > 240)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "slot_minutes", "slot_minutes must be 5-240");
	if (start + in->slot_minutes > end)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "slot_minutes",
				   "slot_minutes %" PRId64 " leaves no slot between %s and %s",
				   in->slot_minutes, in->start_time, in->end_time);
	if (!in->valid_from)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "valid_from", "valid_from is required");
	if (!yl_date_parse(in->valid_from, &from))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "valid_from", "valid_from must be YYYY-MM-DD");
	if (in->valid_to && !yl_date_parse(in->valid_to, &to))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "valid_to", "valid_to must be YYYY-MM-DD");
	if (in->valid_to && to < from)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "valid_to", "valid_to is before valid_from");
	return YL_OK;
}

/* The practitioner must practise at the institution: main post, or a practice site while the
 * two institutions still share a consortium (the rule teams apply to their leader). */
static enum yl_err check_practitioner(const struct yl_ctx *c, int64_t id, int64_t institution_id)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row, site = false, shared = true;
	int64_t main_inst = 0;

	err = yl_store_prepare(c->store, "SELECT p.institution_id, EXISTS (SELECT 1 FROM"
					 " practice_sites s WHERE s.practitioner_id = p.id AND"
					 " s.institution_id = ?) FROM practitioners p WHERE p.id = ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, institution_id);
	yl_stmt_bind_int(st, 2, id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		main_inst = yl_stmt_int(st, 0);
		site = yl_stmt_int(st, 1) != 0;
	}
	yl_stmt_reset(st);
	if (err)
		return err;
	if (!row)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "practitioner_id",
				   "no practitioner with id %" PRId64, id);
	if (main_inst == institution_id)
		return YL_OK;
	if (!site)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "practitioner_id",
				   "practitioner %" PRId64 " does not practise at institution %" PRId64,
				   id, institution_id);
	if ((err = yl_consortium_shared(c, main_inst, institution_id, &shared)))
		return err;
	if (!shared)
		return yl_diag_set(c->diag, YL_ERR_NOT_MEMBER, "practitioner_id",
				   "practitioner %" PRId64 " practises at institution %" PRId64
				   " through a consortium it has since left", id, institution_id);
	return YL_OK;
}

enum yl_err yl_schedule_template_create(const struct yl_ctx *c,
					const struct yl_schedule_template *in,
					struct yl_schedule_template *out)
{
	struct yl_department dept;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t id, now = yl_clock_now(c->clock);

	if (in->department_id <= 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "department_id", "department_id is required");
	if ((err = yl_department_get(c, in->department_id, &dept)))
		return err == YL_ERR_NOT_FOUND
			       ? yl_diag_set(c->diag, err, "department_id",
					     "no department with id %" PRId64, in->department_id)
			       : err;
	if ((err = yl_require_institution_admin(c, dept.institution_id)) ||
	    (err = check_times(c, in)) ||
	    (err = check_places(c, in->capacity, in->quota_family_doctor, in->quota_referral)))
		return err;
	if (in->practitioner_id && (err = check_practitioner(c, in->practitioner_id,
							     dept.institution_id)))
		return err;
	err = yl_store_prepare(c->store,
			       "INSERT INTO schedule_templates(institution_id, department_id,"
			       " practitioner_id, weekday, start_time, end_time, slot_minutes, capacity,"
			       " quota_family_doctor, quota_referral, valid_from, valid_to, active,"
			       " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, dept.institution_id);
	yl_stmt_bind_int(st, 2, in->department_id);
	yl_stmt_bind_id(st, 3, in->practitioner_id);
	yl_stmt_bind_int(st, 4, in->weekday);
	yl_stmt_bind_text(st, 5, in->start_time);
	yl_stmt_bind_text(st, 6, in->end_time);
	yl_stmt_bind_int(st, 7, in->slot_minutes);
	yl_stmt_bind_int(st, 8, in->capacity);
	yl_stmt_bind_int(st, 9, in->quota_family_doctor);
	yl_stmt_bind_int(st, 10, in->quota_referral);
	yl_stmt_bind_text(st, 11, in->valid_from);
	yl_stmt_bind_text(st, 12, in->valid_to);
	yl_stmt_bind_int(st, 13, now);
	err = yl_stmt_step(st, &row, c->diag);
	if (err)
		return err;
	id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	if (out) {
		*out = *in;
		out->id = id;
		out->institution_id = dept.institution_id;
		out->active = true;
		out->created_at = now;
	}
	return yl_audit_id(c, "create", "schedule_template", id);
}

enum yl_err yl_schedule_template_patch(const struct yl_ctx *c, int64_t id,
				       const struct yl_schedule_template_patch *p,
				       struct yl_schedule_template *out)
{
	struct yl_schedule_template t;
	struct yl_stmt *st;
	enum yl_err err;

	if ((err = get_bare(c, id, &t)) || (err = yl_require_institution_admin(c, t.institution_id)))
		return err;
	if (p->has_capacity)
		t.capacity = p->capacity;
	if (p->has_quota_family_doctor)
		t.quota_family_doctor = p->quota_family_doctor;
	if (p->has_quota_referral)
		t.quota_referral = p->quota_referral;
	if (p->has_active)
		t.active = p->active;
	if ((err = check_places(c, t.capacity, t.quota_family_doctor, t.quota_referral)))
		return err;
	err = yl_store_prepare(c->store, "UPDATE schedule_templates SET capacity = ?,"
					 " quota_family_doctor = ?, quota_referral = ?, active = ?"
					 " WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, t.capacity);
	yl_stmt_bind_int(st, 2, t.quota_family_doctor);
	yl_stmt_bind_int(st, 3, t.quota_referral);
	yl_stmt_bind_int(st, 4, t.active ? 1 : 0);
	yl_stmt_bind_int(st, 5, id);
	if ((err = yl_stmt_run(st, c->diag)) ||
	    (err = yl_audit_id(c, "update", "schedule_template", id)))
		return err;
	if (out)
		*out = t;
	return YL_OK;
}

enum yl_err yl_schedule_template_list(const struct yl_ctx *c,
				      const struct yl_schedule_template_filter *f,
				      struct yl_schedule_template **items, int *n, bool *more)
{
	struct yl_stmt *st;
	enum yl_err err;

	*items = NULL;
	*n = 0;
	*more = false;
	if ((err = yl_require_staff_reader(c)))
		return err;
	err = yl_store_prepare(c->store, "SELECT " TPL_COLS " FROM schedule_templates"
					 " WHERE (? = 0 OR institution_id = ?) AND (? = 0 OR department_id = ?)"
					 " AND id > ? ORDER BY id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, f->institution_id);
	yl_stmt_bind_int(st, 2, f->institution_id);
	yl_stmt_bind_int(st, 3, f->department_id);
	yl_stmt_bind_int(st, 4, f->department_id);
	yl_stmt_bind_int(st, 5, f->after);
	yl_stmt_bind_int(st, 6, f->limit + 1);
	return yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
}

/* A template as generation needs it: the row plus the department's category and parsed
 * dates. */
struct gen_template {
	struct yl_schedule_template t;
	const char *category_code;
	int32_t from, to; /* to is INT32_MAX when open-ended */
};

static void read_gen_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct gen_template *g = item;

	read_row(c, st, &g->t);
	g->category_code = yl_stmt_null(st, 15) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, 15));
	if (!yl_date_parse(g->t.valid_from, &g->from))
		g->from = INT32_MAX; /* unreadable: never valid */
	if (!g->t.valid_to || !yl_date_parse(g->t.valid_to, &g->to))
		g->to = INT32_MAX;
}

static enum yl_err session_exists(const struct yl_ctx *c, int64_t template_id, const char *date,
				  bool *exists)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT 1 FROM sessions WHERE template_id = ? AND date = ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, template_id);
	yl_stmt_bind_text(st, 2, date);
	err = yl_stmt_step(st, exists, c->diag);
	yl_stmt_reset(st);
	return err;
}

/* Inserts the session of g on day and its slots; adds the slots to *nslots. */
static enum yl_err generate_one(const struct yl_ctx *c, const struct gen_template *g, int32_t day,
				const char *date, int64_t now, int64_t *nslots)
{
	const struct yl_schedule_template *t = &g->t;
	struct yl_stmt *st;
	enum yl_err err;
	int64_t session_id, at, end, step = t->slot_minutes * 60;
	bool row;

	if (!yl_local_time(day, t->start_time, &at) || !yl_local_time(day, t->end_time, &end))
		return yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL,
				   "template %" PRId64 " has unreadable times", t->id);
	err = yl_store_prepare(c->store, "INSERT INTO sessions(template_id, institution_id,"
					 " department_id, practitioner_id, date, start_time, end_time,"
					 " slot_minutes, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
					 " 'open', ?) RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, t->id);
	yl_stmt_bind_int(st, 2, t->institution_id);
	yl_stmt_bind_int(st, 3, t->department_id);
	yl_stmt_bind_id(st, 4, t->practitioner_id);
	yl_stmt_bind_text(st, 5, date);
	yl_stmt_bind_text(st, 6, t->start_time);
	yl_stmt_bind_text(st, 7, t->end_time);
	yl_stmt_bind_int(st, 8, t->slot_minutes);
	yl_stmt_bind_int(st, 9, now);
	if ((err = yl_stmt_step(st, &row, c->diag)))
		return err;
	session_id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	err = yl_store_prepare(c->store, "INSERT INTO slots(session_id, institution_id, department_id,"
					 " practitioner_id, category_code, starts_at, ends_at, capacity,"
					 " quota_family_doctor, quota_referral) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
					 " ?, ?)", &st, c->diag);
	if (err)
		return err;
	for (; at + step <= end; at += step) {
		yl_stmt_bind_int(st, 1, session_id);
		yl_stmt_bind_int(st, 2, t->institution_id);
		yl_stmt_bind_int(st, 3, t->department_id);
		yl_stmt_bind_id(st, 4, t->practitioner_id);
		yl_stmt_bind_text(st, 5, g->category_code);
		yl_stmt_bind_int(st, 6, at);
		yl_stmt_bind_int(st, 7, at + step);
		yl_stmt_bind_int(st, 8, t->capacity);
		yl_stmt_bind_int(st, 9, t->quota_family_doctor);
		yl_stmt_bind_int(st, 10, t->quota_referral);
		if ((err = yl_stmt_run(st, c->diag)))
			return err;
		(*nslots)++;
	}
	return YL_OK;
}

enum yl_err yl_schedule_generate(const struct yl_ctx *c, int64_t institution_id, int32_t from_day,
				 int32_t to_day, int64_t *sessions, int64_t *slots)
{
	struct gen_template *tpl;
	struct yl_stmt *st;
	enum yl_err err;
	char from[YL_DATE_LEN], to[YL_DATE_LEN], date[YL_DATE_LEN], detail[96], idtext[24];
	int64_t nsessions = 0, nslots = 0, now = yl_clock_now(c->clock);
	int n;
	bool more, exists;

	if (sessions)
		*sessions = 0;
	if (slots)
		*slots = 0;
	if ((err = yl_require_institution_admin(c, institution_id)))
		return err;
	if ((err = yl_institution_get(c, institution_id, NULL)))
		return err == YL_ERR_NOT_FOUND
			       ? yl_diag_set(c->diag, err, "institution_id",
					     "no institution with id %" PRId64, institution_id)
			       : err;
	if (from_day < yl_clock_today(c->clock))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "from", "from must not be before today");
	if (to_day < from_day)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to", "to is before from");
	if (to_day - from_day >= YL_SCHEDULE_MAX_DAYS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to",
				   "at most %d days may be generated at once", YL_SCHEDULE_MAX_DAYS);
	yl_date_format(from_day, from);
	yl_date_format(to_day, to);
	/* Every template of the institution that overlaps the range, read once. An institution
	 * has tens of templates; 10,000 is a cap against a runaway table, not a limit in use. */
	err = yl_store_prepare(c->store, "SELECT t.id, t.institution_id, t.department_id,"
					 " t.practitioner_id, t.weekday, t.start_time, t.end_time,"
					 " t.slot_minutes, t.capacity, t.quota_family_doctor, t.quota_referral,"
					 " t.valid_from, t.valid_to, t.active, t.created_at, d.category_code"
					 " FROM schedule_templates t JOIN departments d ON d.id = t.department_id"
					 " WHERE t.institution_id = ? AND t.active = 1 AND t.valid_from <= ?"
					 " AND (t.valid_to IS NULL OR t.valid_to >= ?) ORDER BY t.id LIMIT ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, institution_id);
	yl_stmt_bind_text(st, 2, to);
	yl_stmt_bind_text(st, 3, from);
	yl_stmt_bind_int(st, 4, 10001);
	if ((err = yl_rows_page(c, st, read_gen_row, sizeof(*tpl), 10000, &tpl, &n, &more)))
		return err;
	for (int32_t day = from_day; day <= to_day; day++) {
		int wd = yl_iso_weekday(day);

		yl_date_format(day, date);
		for (int i = 0; i < n; i++) {
			const struct gen_template *g = &tpl[i];

			if (g->t.weekday != wd || day < g->from || day > g->to)
				continue;
			if ((err = session_exists(c, g->t.id, date, &exists)))
				return err;
			if (exists)
				continue;
			if ((err = generate_one(c, g, day, date, now, &nslots)))
				return err;
			nsessions++;
		}
	}
	snprintf(detail, sizeof(detail), "%s..%s: %" PRId64 " sessions, %" PRId64 " slots", from, to,
		 nsessions, nslots);
	snprintf(idtext, sizeof(idtext), "%" PRId64, institution_id);
	if ((err = yl_audit(c, "generate_sessions", "institution", idtext, detail)))
		return err;
	if (sessions)
		*sessions = nsessions;
	if (slots)
		*slots = nslots;
	return YL_OK;
}
