/* encounter.h - encounters (就诊记录): outpatient, emergency and inpatient visits of a resident
 * at an institution, with their ICD-10 diagnoses, costs by category in fen, the insurance
 * fund's part and the out-of-pocket part, and the booking or referral they came from.
 *
 * An encounter is written once and never edited: it is the raw event the indicators count.
 * Recording one from a booking marks the booking seen in the same transaction; recording one
 * from a referral also links the two in referral_encounters. The referral lifecycle itself is
 * the referral module's business, not this one's.
 */
#ifndef YL_DOMAIN_ENCOUNTER_H
#define YL_DOMAIN_ENCOUNTER_H

#include "domain/ctx.h"

enum { YL_ENCOUNTER_MAX_DIAGNOSES = 20 };
/* A cap on every amount (10^11 fen = 1 billion yuan), so sums never overflow. */
#define YL_ENCOUNTER_MAX_FEN INT64_C(100000000000)

/* Costs by category, integer fen (分), each 0..YL_ENCOUNTER_MAX_FEN. */
struct yl_encounter_costs {
	int64_t drugs;       /* 药品费 */
	int64_t consumables; /* 卫生材料费 */
	int64_t exams;       /* 检查检验费 */
	int64_t treatment;   /* 治疗和医疗服务费 */
	int64_t bed;         /* 床位费 */
	int64_t other;       /* 其他 */
};

struct yl_encounter {
	int64_t id;                 /* output only */
	const char *kind;           /* outpatient | emergency | inpatient */
	int64_t resident_id;
	int64_t institution_id;
	int64_t department_id;      /* 0: none */
	int64_t practitioner_id;    /* 0: none */
	const char *visit_date;     /* YYYY-MM-DD; the admission date for inpatient */
	const char *discharge_date; /* NULL: none (outpatient, emergency, or still admitted) */
	const char **diagnoses;     /* ICD-10 codes, the first is the principal diagnosis */
	int ndiagnoses;             /* 1..YL_ENCOUNTER_MAX_DIAGNOSES */
	struct yl_encounter_costs costs;
	int64_t total;              /* output only: the sum of costs */
	int64_t fund_paid;          /* 医保基金支付 */
	int64_t out_of_pocket;      /* 个人自付; fund_paid + out_of_pocket = total */
	int64_t booking_id;         /* 0: none */
	int64_t referral_id;        /* 0: none */
	int64_t created_at;         /* output only */
};

/* Whether kind is one of outpatient, emergency, inpatient. */
bool yl_encounter_kind_ok(const char *kind);

/* Records an encounter. Who: admin, or institution_admin/doctor of in->institution_id.
 * Checked in this order, each error naming its field, nothing written on any refusal:
 * YL_ERR_MISSING (kind, resident_id, institution_id, visit_date; diagnoses when NULL);
 * YL_ERR_INVALID (kind; a date not YYYY-MM-DD or after the clock's date; discharge_date on a
 * kind other than inpatient or before visit_date; ("diagnoses") other than 1 to
 * YL_ENCOUNTER_MAX_DIAGNOSES codes, a code failing yl_icd10_check or given twice; an amount
 * below 0 or above YL_ENCOUNTER_MAX_FEN ("costs.<category>", fund_paid, out_of_pocket);
 * fund_paid + out_of_pocket not equal to the total (field out_of_pocket, the figures in the
 * message); a booking_id on a kind other than outpatient);
 * YL_ERR_FORBIDDEN (the actor's role or institution);
 * YL_ERR_NOT_FOUND (resident_id, institution_id, department_id, practitioner_id, booking_id,
 * referral_id); YL_ERR_INVALID (department of another institution; practitioner neither
 * posted at nor with a practice site at the institution; booking of another resident or
 * institution; referral of another resident);
 * YL_ERR_CONFLICT (booking_id: the booking was cancelled, or already has an encounter).
 * A booking still booked or checked_in becomes seen. Writes an audit row unless c->batch.
 * *out (may be NULL) receives the stored encounter, arena-owned. */
enum yl_err yl_encounter_create(const struct yl_ctx *c, const struct yl_encounter *in,
				struct yl_encounter *out);

/* Loads encounter id with its diagnoses into *out (arena-owned). Staff readers (every role
 * but resident) read any encounter; a resident user only their own (YL_ERR_NOT_FOUND for
 * others, as for an unknown id). */
enum yl_err yl_encounter_get(const struct yl_ctx *c, int64_t id, struct yl_encounter *out);

struct yl_encounter_filter {
	int64_t resident_id;    /* 0: any */
	int64_t institution_id; /* 0: any */
	const char *kind;       /* NULL: any */
	const char *from;       /* NULL, or visit_date on or after this YYYY-MM-DD */
	const char *to;         /* NULL, or visit_date on or before this YYYY-MM-DD */
	int64_t after;          /* cursor: ids greater than this */
	int limit;              /* 1..1000 */
};

/* Lists encounters in id order, each with its diagnoses. A resident user sees only their own
 * (the filter is forced to them; YL_ERR_FORBIDDEN when they ask for another resident).
 * YL_ERR_INVALID for an unknown kind (field kind) or a bad date (from, to). *items is an
 * arena array of *n entries; *more says whether another page follows. */
enum yl_err yl_encounter_list(const struct yl_ctx *c, const struct yl_encounter_filter *f,
			      struct yl_encounter **items, int *n, bool *more);

#endif
