/* schedule.h - weekly schedule templates (出诊模板) and the generation of dated sessions and
 * time-sliced slots (分时段号源) from them.
 *
 * A template says: on this ISO weekday, from start_time to end_time (Asia/Shanghai), this
 * department (optionally one practitioner) sees patients in slots of slot_minutes, each slot
 * holding capacity places of which quota_family_doctor and quota_referral are reserved.
 * Generation turns every active template valid on a date into one session and its slots;
 * changing a template affects only sessions generated afterwards. Sessions themselves (read,
 * change, stop) live in session.h; the pool arithmetic in slot.h.
 */
#ifndef YL_DOMAIN_SCHEDULE_H
#define YL_DOMAIN_SCHEDULE_H

#include "domain/ctx.h"

/* The longest range one generation call may cover (a quarter). */
enum { YL_SCHEDULE_MAX_DAYS = 92 };

struct yl_schedule_template {
	int64_t id;
	int64_t institution_id;     /* output: the department's institution */
	int64_t department_id;
	int64_t practitioner_id;    /* 0: a department-level session */
	int64_t weekday;            /* ISO: Monday 1 .. Sunday 7 */
	const char *start_time;     /* "HH:MM" local */
	const char *end_time;       /* "HH:MM" local, after start_time */
	int64_t slot_minutes;       /* 5..240 */
	int64_t capacity;           /* places per slot, 1..1000 */
	int64_t quota_family_doctor;
	int64_t quota_referral;     /* the two quotas together at most capacity */
	const char *valid_from;     /* "YYYY-MM-DD" */
	const char *valid_to;       /* "YYYY-MM-DD" or NULL (open-ended) */
	bool active;
	int64_t created_at;
};

/* ISO weekday (Monday 1 .. Sunday 7) of a day count since 1970-01-01 (a Thursday). */
int yl_iso_weekday(int32_t day);

/* Creates a template (admin, or institution_admin of the department's institution). The
 * practitioner, when given, must practise at that institution (main post, or a practice site
 * whose consortium is still shared). Errors: YL_ERR_MISSING/INVALID (field named: weekday,
 * times, slot_minutes too long for the session, quotas above capacity, valid_to before
 * valid_from), YL_ERR_NOT_FOUND (department_id, practitioner_id), YL_ERR_NOT_MEMBER,
 * YL_ERR_FORBIDDEN. Audited. *out (may be NULL) is arena-owned. */
enum yl_err yl_schedule_template_create(const struct yl_ctx *c,
					const struct yl_schedule_template *in,
					struct yl_schedule_template *out);
/* Loads a template (any role but resident); YL_ERR_NOT_FOUND when absent. out may be NULL;
 * it is arena-owned. */
enum yl_err yl_schedule_template_get(const struct yl_ctx *c, int64_t id,
				     struct yl_schedule_template *out);

/* What a template change carries; a field is changed only when its has_ flag is set. */
struct yl_schedule_template_patch {
	bool has_capacity, has_quota_family_doctor, has_quota_referral, has_active;
	int64_t capacity, quota_family_doctor, quota_referral;
	bool active;
};

/* Changes capacity, quotas or the active flag of a template (admin, or institution_admin of
 * its institution); sessions already generated keep their numbers (change those with
 * yl_session_patch). Errors: YL_ERR_INVALID (range; quotas above capacity, field named),
 * YL_ERR_NOT_FOUND, YL_ERR_FORBIDDEN. Audited. *out (may be NULL) is the template afterwards,
 * arena-owned. */
enum yl_err yl_schedule_template_patch(const struct yl_ctx *c, int64_t id,
				       const struct yl_schedule_template_patch *p,
				       struct yl_schedule_template *out);

struct yl_schedule_template_filter {
	int64_t institution_id; /* 0: any */
	int64_t department_id;  /* 0: any */
	int64_t after;          /* cursor: ids greater than this */
	int limit;              /* 1..1000 */
};

/* Lists templates in id order (any role but resident); *items is an arena array of *n
 * entries, *more says whether a further page exists. Errors: YL_ERR_FORBIDDEN. */
enum yl_err yl_schedule_template_list(const struct yl_ctx *c,
				      const struct yl_schedule_template_filter *f,
				      struct yl_schedule_template **items, int *n, bool *more);

/* Generates, for each day from from_day to to_day (inclusive, Asia/Shanghai day counts) and
 * each active template of the institution valid that day with that weekday, one session and
 * its slots: one per slot_minutes from start_time while the slot ends by end_time, times
 * converted to UTC, category_code copied from the department. Days that already have the
 * template's session are skipped, so the call is idempotent. Needs admin or the
 * institution's institution_admin. Errors: YL_ERR_INVALID (field "from": before today;
 * field "to": before from or more than YL_SCHEDULE_MAX_DAYS days), YL_ERR_NOT_FOUND
 * (institution_id), YL_ERR_FORBIDDEN. One audit row per call. *sessions and *slots (either
 * may be NULL) receive the numbers created. Runs inside the caller's transaction. */
enum yl_err yl_schedule_generate(const struct yl_ctx *c, int64_t institution_id, int32_t from_day,
				 int32_t to_day, int64_t *sessions, int64_t *slots);

#endif
