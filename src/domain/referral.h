/* referral.h - two-way referrals (双向转诊): up to a higher level, down to the resident's
 * family-doctor institution with a care plan, lateral between institutions of one level; their
 * lifecycle, its history, and the care-plan task list of the receiving primary institution.
 *
 * Lifecycle: requested -> accepted -> arrived -> completed; requested -> rejected | cancelled;
 * requested -> expired when not answered by expires_at (requested_at + setting
 * referral_expiry_hours). Expiry is derived from the clock, never by a job: a stored
 * 'requested' row past expires_at reads as 'expired', and every successful write touching a
 * resident's referrals first settles theirs (stored status expired plus a history row dated
 * expires_at). A refused write changes nothing, so a refused accept does not settle.
 * Every transition checks who and from which state, writes one referral_events row and one
 * audit row. Permission errors come before state errors, state errors before body errors.
 */
#ifndef YL_DOMAIN_REFERRAL_H
#define YL_DOMAIN_REFERRAL_H
#include "domain/ctx.h"

enum {
	YL_REFERRAL_REASON_MAX = 1000,   /* request reason */
	YL_REFERRAL_NOTE_MAX = 500,      /* reject and cancel reasons */
	YL_REFERRAL_ITEM_MAX = 500,      /* care-plan item description */
	YL_REFERRAL_MAX_ITEMS = 50,      /* care-plan items per referral */
	YL_REFERRAL_MAX_ENCOUNTERS = 50, /* encounters referenced per referral */
	YL_REFERRAL_DEFAULT_EXPIRY_HOURS = 48,
};

struct yl_referral_event {
	int64_t id;
	int64_t at;
	const char *from_status; /* NULL for the creation */
	const char *to_status;
	int64_t user_id;         /* 0 for the system (expiry) */
	const char *actor;
	const char *reason;      /* NULL unless rejected or cancelled */
};

struct yl_care_plan_item {
	int64_t id;
	int64_t referral_id;
	const char *description;
	const char *due_date; /* YYYY-MM-DD */
	int64_t done_at;      /* 0 while open */
	int64_t done_by;      /* user id; 0 while open or done by the system */
	bool overdue;         /* open and due_date before today */
	/* filled by yl_care_plan_list only (0 otherwise) */
	int64_t resident_id;
	int64_t institution_id; /* the referral's to_institution_id */
};

struct yl_referral {
	int64_t id;
	const char *direction;  /* up | down | lateral */
	const char *care_type;  /* outpatient | inpatient */
	int64_t resident_id;
	int64_t from_institution_id;
	int64_t from_practitioner_id; /* 0 when not given */
	int64_t to_institution_id;
	int64_t to_department_id;     /* 0 when not given */
	const char *diagnosis_code;
	const char *reason;
	const char *status;        /* requested | accepted | arrived | completed | rejected |
				    * cancelled | expired (derived: requested past expires_at) */
	const char *status_reason; /* NULL unless rejected or cancelled */
	bool outside_consortium;   /* from and to share no current consortium at creation */
	int64_t booking_id;        /* 0 unless an outpatient accept booked a slot */
	const char *planned_admission_date; /* NULL unless an inpatient one was accepted */
	int64_t acknowledged_at;   /* 0 until the care plan is acknowledged */
	int64_t acknowledged_by;
	int64_t requested_at;
	int64_t expires_at;
	int64_t updated_at;
	/* filled by yl_referral_get only (NULL/0 from the list) */
	struct yl_referral_event *events; /* in order */
	int nevents;
	struct yl_care_plan_item *items;  /* in id order */
	int nitems;
	int64_t *encounter_ids;
	int nencounters;
};

struct yl_care_plan_new {
	const char *description; /* 1..YL_REFERRAL_ITEM_MAX bytes; borrowed */
	int32_t due_date;        /* days since epoch */
};

struct yl_referral_new {
	const char *direction;        /* required: up | down | lateral */
	const char *care_type;        /* required: outpatient | inpatient */
	int64_t resident_id;          /* required */
	int64_t from_institution_id;  /* required */
	int64_t from_practitioner_id; /* 0: none; else a practitioner of from_institution_id */
	int64_t to_institution_id;    /* 0: only for down (the family-doctor institution) */
	int64_t to_department_id;     /* 0: none; else a department of the target */
	const char *diagnosis_code;   /* required, ICD-10 format */
	const char *reason;           /* required, 1..YL_REFERRAL_REASON_MAX bytes */
	const struct yl_care_plan_new *care_plan; /* down only; borrowed */
	int ncare_plan;                           /* 0..YL_REFERRAL_MAX_ITEMS */
	const int64_t *encounter_ids; /* the resident's encounters; borrowed */
	int nencounters;              /* 0..YL_REFERRAL_MAX_ENCOUNTERS */
};

/* Requests a referral (status requested, one history row with from_status NULL, audited).
 * Levels (yl_institution_level_rank): up goes to a higher rank; down goes from a secondary or
 * tertiary hospital to a primary institution, to_institution_id defaulting to the
 * institution of the team of the resident's contract in force today; lateral stays at one
 * rank. outside_consortium is set when from and to share no current consortium (allowed).
 * Who: admin, or doctor/institution_admin of from_institution_id. Errors:
 * YL_ERR_MISSING/INVALID (field named; diagnosis_code not ICD-10, care_plan on a referral that
 * is not down, an encounter of another resident, a duplicate encounter id), YL_ERR_NOT_FOUND
 * (resident, institutions, practitioner, department, encounter; field named), YL_ERR_LEVEL
 * (to_institution_id of the wrong level for the direction; field to_institution_id),
 * YL_ERR_MISSING on to_institution_id for a down-referral of a resident without a contract in
 * force, YL_ERR_FORBIDDEN. Nothing is written on error. *out (may be NULL) is arena-owned,
 * loaded as by yl_referral_get. */
enum yl_err yl_referral_create(const struct yl_ctx *c, const struct yl_referral_new *in,
			       struct yl_referral *out);

/* Loads a referral with its derived status, history, care plan and encounter ids. Staff
 * roles read any referral; a resident user only their own (YL_ERR_NOT_FOUND for others, as
 * for unknown ids). *out is arena-owned. */
enum yl_err yl_referral_get(const struct yl_ctx *c, int64_t id, struct yl_referral *out);

struct yl_referral_filter {
	int64_t resident_id;         /* 0: any */
	int64_t from_institution_id; /* 0: any */
	int64_t to_institution_id;   /* 0: any */
	const char *status;          /* NULL or a status (derived, as by yl_referral_get) */
	const char *direction;       /* NULL or up | down | lateral */
	int outside_consortium;      /* -1: any; 0 or 1 */
	int64_t after;               /* cursor: ids greater than this */
	int limit;                   /* 1..1000 */
};

/* Lists referrals in id order, without history or care plan. A resident user sees only
 * their own (filter forced; YL_ERR_FORBIDDEN when asking for another resident).
 * YL_ERR_INVALID (field status or direction) for an unknown value. Results arena-owned. */
enum yl_err yl_referral_list(const struct yl_ctx *c, const struct yl_referral_filter *f,
			     struct yl_referral **items, int *n, bool *more);

struct yl_referral_accept {
	int64_t slot_id;                /* outpatient: required for up, optional otherwise */
	int32_t planned_admission_date; /* inpatient: required, not before today */
	bool has_planned_admission;
};

/* Accepts a requested referral (staff of the target institution, or admin). An outpatient
 * one with a slot_id books that slot's `referral` pool for the resident through
 * yl_booking_create (in the caller's transaction, before any other write, so a refused
 * booking refuses the accept and writes nothing) and stores booking_id; the slot must belong
 * to the target institution (and department, when the referral names one). An inpatient one
 * stores planned_admission_date. Errors: YL_ERR_NOT_FOUND, YL_ERR_FORBIDDEN, YL_ERR_CONFLICT
 * ("cannot accept a <status> referral"; an expired one says when it expired),
 * YL_ERR_MISSING/INVALID (slot_id, planned_admission_date), and every booking error
 * (YL_ERR_SLOT_FULL, YL_ERR_SLOT_PAST, ...). Audited; *out (may be NULL) arena-owned. */
enum yl_err yl_referral_accept(const struct yl_ctx *c, int64_t id,
			       const struct yl_referral_accept *in, struct yl_referral *out);
/* Rejects a requested referral with a reason (target staff). Errors as for accept, plus
 * YL_ERR_MISSING/INVALID on reason. */
enum yl_err yl_referral_reject(const struct yl_ctx *c, int64_t id, const char *reason,
			       struct yl_referral *out);
/* Cancels a requested referral with a reason (staff of the sending institution). An accepted
 * referral is not cancelled here: its booking belongs to the target, which rejects it no
 * more; the resident cancels the booking instead. */
enum yl_err yl_referral_cancel(const struct yl_ctx *c, int64_t id, const char *reason,
			       struct yl_referral *out);
/* Records the resident's arrival at the target (target staff; from accepted). */
enum yl_err yl_referral_arrive(const struct yl_ctx *c, int64_t id, struct yl_referral *out);
/* Completes an arrived referral (target staff). */
enum yl_err yl_referral_complete(const struct yl_ctx *c, int64_t id, struct yl_referral *out);

/* Acknowledges the care plan of a down-referral that is accepted, arrived or completed. Who:
 * admin, a doctor of the resident's family-doctor institution (contract in force today), or
 * a doctor/institution_admin of the receiving institution. Errors: YL_ERR_NOT_FOUND,
 * YL_ERR_FORBIDDEN, YL_ERR_CONFLICT (not a down-referral, wrong status, already
 * acknowledged). Audited. */
enum yl_err yl_referral_acknowledge(const struct yl_ctx *c, int64_t id, struct yl_referral *out);
/* Marks care-plan item item_id of referral id done (same who and status as acknowledge).
 * Errors: YL_ERR_NOT_FOUND (referral, or item not of this referral; field item_id),
 * YL_ERR_FORBIDDEN, YL_ERR_CONFLICT (not acknowledged yet, already done, wrong status).
 * Audited. *out (may be NULL) is the item, arena-owned. */
enum yl_err yl_referral_item_done(const struct yl_ctx *c, int64_t id, int64_t item_id,
				  struct yl_care_plan_item *out);

struct yl_care_plan_filter {
	int64_t institution_id; /* 0: any; else items of referrals to this institution */
	bool overdue_only;      /* open and due before today */
	int64_t after;          /* cursor: item ids greater than this */
	int limit;              /* 1..1000 */
};
/* Lists the care-plan items of down-referrals that were accepted (accepted, arrived or
 * completed), in id order: the family doctors' task list. Any role but resident.
 * Results arena-owned. */
enum yl_err yl_care_plan_list(const struct yl_ctx *c, const struct yl_care_plan_filter *f,
			      struct yl_care_plan_item **items, int *n, bool *more);

#endif
