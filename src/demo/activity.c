/* activity.c - the demo county's care activity over the past N days. Figures (docs/demo.md,
 * national statistics for 2023 unless noted): 6.8 visits and 0.215 admissions per person-year;
 * about half the visits at primary level; average outpatient cost ¥218.6 secondary and
 * ¥354.4 tertiary, admission ¥6,762.3 and ¥13,930.6 (public hospitals, 2022 Q1); length of
 * stay 8.8 days; two-way referrals about 0.32 % of visits (up 0.2 %, down 0.15 % here).
 * Everything goes through the domain functions with the clock set to the moment it happens,
 * so the rules (booking pools, referral lifecycle, dates not in the future) are exercised.
 * It does not decide what the indicators make of the data: that is the indicator module's.
 */
#include "demo/activity.h"

#include <stdlib.h>
#include <string.h>

#include "domain/booking.h"
#include "domain/encounter.h"
#include "domain/population.h"
#include "domain/referral.h"
#include "domain/schedule.h"
#include "domain/session.h"
#include "demo/rng.h"

#define VISITS_PER_YEAR 6.8      /* visits per person-year */
#define ADMISSIONS_PER_YEAR 0.215 /* admissions per person-year */
#define UP_PER_VISIT 0.002       /* up-referrals per visit */
#define DOWN_PER_VISIT 0.0015    /* down-referrals per visit */
#define DOWN_PER_DISCHARGE 0.008 /* down-referrals per hospital discharge */
#define BOOKED_SHARE 0.08        /* hospital outpatient visits booked the day before */
#define EMERGENCY_SHARE 0.05     /* hospital visits that are emergencies (assumption) */
#define EMERGENCY_COST 1.4       /* an emergency visit costs this much more (assumption) */
#define NELEM(t) (sizeof(t) / sizeof((t)[0]))

enum place { P_TERTIARY, P_SECONDARY, P_TCM, P_MCH, P_CENTRE, P_OTHER_CENTRE, P_VILLAGE, NPLACES };
enum level { L_VILLAGE, L_PRIMARY, L_SECONDARY, L_TERTIARY };
enum dept { D_MED, D_SURG, D_OBS, D_PAED, D_EMERG, D_GP };

/* Average cost in fen by level: outpatient (village ≈ ¥40 and township ≈ ¥80 are
 * assumptions; the hospital figures are national), admission (township ≈ ¥2,200 assumed),
 * and a bed-day. */
static const int64_t OUT_COST[4] = {4000, 8000, 21860, 35440};
static const int64_t IN_COST[4] = {0, 220000, 676230, 1393060};
static const int64_t BED_DAY[4] = {0, 2000, 4000, 8000};

/* Where a visit goes. Overall (about 40 % signed) this gives tertiary 16 %, county hospitals
 * 35 %, township centres 30 %, village clinics 19 %: the national split of visits between
 * hospitals and primary care, with the community-centre share given to township centres.
 * Signed residents keep about 73 % of their visits inside their 1+1+1 combination (own
 * centre, county hospital, city hospital), as Shanghai's 71 %. */
static const double SIGNED_MIX[NPLACES] = {0.15, 0.28, 0.05, 0.03, 0.30, 0.04, 0.15};
static const double UNSIGNED_MIX[NPLACES] = {0.16, 0.22, 0.08, 0.05, 0.22, 0.06, 0.21};

struct dx {
	const char *code;
	int dept;
	int min_age, max_age;
	int weight;
};

static const struct dx OUT_DX[] = {
	{"J06.9", D_MED, 0, 255, 30}, /* acute upper respiratory infection */
	{"J20.9", D_MED, 0, 255, 8},  /* acute bronchitis */
	{"K29.7", D_MED, 15, 255, 10}, /* gastritis */
	{"M54.5", D_SURG, 18, 255, 8}, /* low back pain */
	{"I25.1", D_MED, 45, 255, 6},  /* atherosclerotic heart disease */
	{"N39.0", D_MED, 15, 255, 5},  /* urinary tract infection */
	{"J18.9", D_MED, 0, 255, 3},   /* pneumonia */
	{"K52.9", D_MED, 0, 255, 6},   /* gastroenteritis */
	{"L30.9", D_MED, 0, 255, 4},   /* dermatitis */
	{"R51", D_MED, 12, 255, 4},    /* headache */
	{"S93.4", D_SURG, 5, 255, 3},  /* ankle sprain */
	{"H10.9", D_MED, 0, 255, 3},   /* conjunctivitis */
};
static const struct dx EMERGENCY_DX[] = {
	{"R10.4", D_EMERG, 5, 255, 8}, /* abdominal pain */
	{"R50.9", D_EMERG, 0, 255, 8}, /* fever */
	{"T14.1", D_EMERG, 3, 255, 6}, /* open wound */
	{"S93.4", D_EMERG, 5, 255, 4}, /* ankle sprain */
	{"J18.9", D_EMERG, 0, 255, 4}, /* pneumonia */
	{"I63.9", D_EMERG, 55, 255, 2}, /* cerebral infarction */
	{"T78.4", D_EMERG, 0, 255, 2}, /* allergy */
};
static const struct dx IN_DX[] = {
	{"J18.9", D_MED, 0, 255, 20},   /* pneumonia */
	{"I63.9", D_MED, 45, 255, 12},  /* cerebral infarction */
	{"I25.1", D_MED, 45, 255, 8},   /* atherosclerotic heart disease */
	{"I50.9", D_MED, 60, 255, 6},   /* heart failure */
	{"J44.1", D_MED, 50, 255, 8},   /* COPD with exacerbation */
	{"K80.2", D_SURG, 25, 255, 6},  /* gallstones */
	{"K35.8", D_SURG, 5, 70, 5},    /* appendicitis */
	{"S72.0", D_SURG, 60, 255, 4},  /* fracture of the femoral neck */
	{"N39.0", D_MED, 15, 255, 4},   /* urinary tract infection */
	{"K29.7", D_MED, 15, 255, 4},   /* gastritis */
};

static const char *const CARE_ITEMS[] = {
	"每周测量血压并记录", "两周后复诊评估康复情况", "随访用药依从性，按时服药",
	"一个月后复查血常规和肝肾功能", "居家康复训练指导",
};

struct visit {
	int64_t ri;          /* resident index */
	const char *kind;
	int place, level;
	int64_t inst, dept;
	const char *dx[3];
	int ndx;
	int32_t day, discharge; /* discharge 0: none */
	int64_t booking, referral;
};

struct act {
	const struct yl_demo_world *w;
	struct yl_demo_activity *out;
	struct yl_rng rng;
	struct yl_clock clock;
	struct yl_ctx c;      /* the caller's ctx with our clock */
	int32_t first, last;  /* the days covered */
	double *out_cum, *in_cum;
	double up_acc, down_acc;
};

static bool soft(enum yl_err err)
{
	/* booking refusals: fall back to a walk-in (or a rejected referral) */
	return err >= YL_ERR_SLOT_FULL && err <= YL_ERR_CHECK_IN_CLOSED;
}

/* Sets the clock to local (Asia/Shanghai) time hh:mm of day. */
static void at(struct act *a, int32_t day, int hh, int mm)
{
	yl_clock_fixed(&a->clock, (int64_t)day * 86400 + (hh - 8) * 3600 + mm * 60);
}

/* mean * U(0.5, 1.5): keeps the mean, never below half of it. */
static int64_t around(struct act *a, double mean)
{
	return (int64_t)(mean * (0.5 + yl_rng_unit(&a->rng)) + 0.5);
}

static int64_t pick_weighted(struct act *a, const double *cum, int64_t n)
{
	double u = yl_rng_unit(&a->rng) * cum[n - 1];
	int64_t lo = 0, hi = n - 1;

	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		if (cum[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static const struct dx *pick_dx(struct act *a, const struct dx *t, size_t n, int age)
{
	int total = 0, u;

	for (size_t i = 0; i < n; i++)
		if (age >= t[i].min_age && age <= t[i].max_age)
			total += t[i].weight;
	u = (int)yl_rng_below(&a->rng, (uint64_t)total);
	for (size_t i = 0; i < n; i++) {
		if (age < t[i].min_age || age > t[i].max_age)
			continue;
		if (u < t[i].weight)
			return &t[i];
		u -= t[i].weight;
	}
	return &t[0];
}

static void add_dx(struct visit *v, const char *code)
{
	for (int i = 0; i < v->ndx; i++)
		if (strcmp(v->dx[i], code) == 0)
			return;
	if (v->ndx < 3)
		v->dx[v->ndx++] = code;
}

/* Diagnoses: hypertensive and diabetic residents come for their chronic disease about half
 * the time and carry it as a secondary diagnosis otherwise. Returns the department kind. */
static int diagnose(struct act *a, struct visit *v)
{
	int age = a->w->age[v->ri];
	unsigned tags = a->w->tags[v->ri];
	const struct dx *d;
	bool inpatient = strcmp(v->kind, "inpatient") == 0;
	bool emergency = strcmp(v->kind, "emergency") == 0;
	int dept;

	v->ndx = 0;
	if (inpatient && (tags & YL_TAG_PREGNANT) && yl_rng_chance(&a->rng, 0.5)) {
		add_dx(v, "O80"); /* a single spontaneous delivery */
		return D_OBS;
	}
	if (!emergency && (tags & YL_TAG_HYPERTENSION) && yl_rng_chance(&a->rng, inpatient ? 0.1 : 0.5)) {
		add_dx(v, "I10");
		dept = D_MED;
	} else if (!emergency && (tags & YL_TAG_DIABETES) &&
		   yl_rng_chance(&a->rng, inpatient ? 0.1 : 0.5)) {
		add_dx(v, "E11.9");
		dept = D_MED;
	} else {
		d = inpatient ? pick_dx(a, IN_DX, NELEM(IN_DX), age)
		    : emergency ? pick_dx(a, EMERGENCY_DX, NELEM(EMERGENCY_DX), age)
				: pick_dx(a, OUT_DX, NELEM(OUT_DX), age);
		add_dx(v, d->code);
		dept = d->dept;
	}
	if (tags & YL_TAG_HYPERTENSION)
		add_dx(v, "I10");
	if (tags & YL_TAG_DIABETES)
		add_dx(v, "E11.9");
	if (age <= 14 && dept == D_MED)
		dept = D_PAED;
	if ((tags & YL_TAG_PREGNANT) && dept == D_MED && yl_rng_chance(&a->rng, 0.3))
		dept = D_OBS;
	return dept;
}

/* Institution, department and level of a place for the resident. */
static void locate(struct act *a, struct visit *v, int dept)
{
	const struct yl_demo_world *w = a->w;
	int t = w->township[v->ri];

	if (v->place == P_VILLAGE && w->villages == 0)
		v->place = P_CENTRE; /* no village clinics: the centre sees them */
	if (v->place == P_OTHER_CENTRE)
		t = (t + 1) % w->townships;
	switch (v->place) {
	case P_TERTIARY:
	case P_SECONDARY:
		v->level = v->place == P_TERTIARY ? L_TERTIARY : L_SECONDARY;
		v->inst = v->place == P_TERTIARY ? w->tertiary_id : w->secondary_id;
		v->dept = w->hospital_depts[v->place == P_TERTIARY ? 0 : 1][dept];
		break;
	case P_TCM:
	case P_MCH:
		v->level = L_SECONDARY;
		v->inst = v->place == P_TCM ? w->tcm_id : w->mch_id;
		v->dept = v->place == P_TCM ? w->tcm_dept : w->mch_dept;
		break;
	case P_VILLAGE:
		v->level = L_VILLAGE;
		v->inst = w->clinics[t * w->villages + (int)yl_rng_below(&a->rng, (uint64_t)w->villages)];
		v->dept = 0;
		break;
	default:
		v->level = L_PRIMARY;
		v->inst = w->centres[t];
		v->dept = w->centre_depts[t];
		break;
	}
}

/* Costs by category from the level's average: drugs about 40 % of outpatient cost at primary
 * level and 30 % at hospitals; admissions carry bed-days. fund_paid is 55-65 % of the total
 * and out_of_pocket the rest, so the two add up exactly. */
static void cost(struct act *a, const struct visit *v, struct yl_encounter *e)
{
	struct yl_encounter_costs *k = &e->costs;
	int64_t total;

	memset(k, 0, sizeof(*k));
	if (strcmp(v->kind, "inpatient") == 0) {
		int32_t end = v->discharge ? v->discharge : a->last + 1;
		int64_t rest;

		total = around(a, (double)IN_COST[v->level]);
		k->bed = (int64_t)(end - v->day) * BED_DAY[v->level];
		if (total < k->bed * 5)
			total = k->bed * 5; /* a long stay costs more than its beds */
		rest = total - k->bed;
		k->drugs = rest * 30 / 100;
		k->consumables = rest * 18 / 100;
		k->exams = rest * 25 / 100;
		k->treatment = rest * 25 / 100;
		k->other = rest - k->drugs - k->consumables - k->exams - k->treatment;
	} else {
		bool hosp = v->level >= L_SECONDARY;
		double mean = (double)OUT_COST[v->level];
		if (strcmp(v->kind, "emergency") == 0)
			mean *= EMERGENCY_COST;
		total = around(a, mean);
		k->drugs = total * (hosp ? 30 : 40) / 100;
		k->exams = total * (hosp ? 35 : v->level == L_PRIMARY ? 20 : 5) / 100;
		k->consumables = total * 5 / 100;
		k->treatment = total - k->drugs - k->exams - k->consumables;
	}
	e->fund_paid = (int64_t)((double)total * (0.55 + 0.1 * yl_rng_unit(&a->rng)));
	e->out_of_pocket = total - e->fund_paid;
}

/* Records v at the current clock; *id (may be NULL) receives the encounter id. */
static enum yl_err record(struct act *a, const struct visit *v, int64_t *id)
{
	struct yl_encounter e = {0}, out;
	char date[YL_DATE_LEN], dis[YL_DATE_LEN];
	enum yl_err err;

	yl_date_format(v->day, date);
	e.kind = v->kind;
	e.resident_id = a->w->resident_ids[v->ri];
	e.institution_id = v->inst;
	e.department_id = v->dept;
	e.visit_date = date;
	if (v->discharge) {
		yl_date_format(v->discharge, dis);
		e.discharge_date = dis;
	}
	e.diagnoses = (const char **)v->dx;
	e.ndiagnoses = v->ndx;
	e.booking_id = v->booking;
	e.referral_id = v->referral;
	cost(a, v, &e);
	if ((err = yl_encounter_create(&a->c, &e, &out)))
		return err;
	if (id)
		*id = out.id;
	if (strcmp(v->kind, "inpatient") == 0)
		a->out->inpatient++;
	else if (strcmp(v->kind, "emergency") == 0)
		a->out->emergency++;
	else
		a->out->outpatient++;
	if (v->booking)
		a->out->booked++;
	return YL_OK;
}

/* A slot of dept on day with a free place in pool, starting at or after not_before, picked
 * at random among those; *slot 0 when none. */
static enum yl_err find_slot(struct act *a, int64_t dept, int32_t day, enum yl_pool pool,
			     int64_t not_before, int64_t *slot, int64_t *starts)
{
	struct yl_session_filter f = {0};
	struct yl_session *ss, one;
	char date[YL_DATE_LEN];
	int64_t ids[64], st[64];
	int n, nc = 0;
	bool more;
	enum yl_err err;

	*slot = 0;
	yl_date_format(day, date);
	f.department_id = dept;
	f.date = date;
	f.limit = 10;
	if ((err = yl_session_list(&a->c, &f, &ss, &n, &more)))
		return err;
	for (int i = 0; i < n; i++) {
		if ((err = yl_session_get(&a->c, ss[i].id, true, &one)))
			return err;
		for (int j = 0; j < one.nslots && nc < 64; j++) {
			const struct yl_slot *s = &one.slots[j];
			int64_t free_places = pool == YL_POOL_PUBLIC
				? s->capacity - s->quota[1] - s->quota[2] - s->booked[0]
				: s->quota[pool] - s->booked[pool];
			if (!s->stopped && s->starts_at >= not_before && free_places > 0) {
				ids[nc] = s->id;
				st[nc++] = s->starts_at;
			}
		}
	}
	if (nc > 0) {
		int k = (int)yl_rng_below(&a->rng, (uint64_t)nc);
		*slot = ids[k];
		*starts = st[k];
	}
	return YL_OK;
}

/* A visit booked the day before (public pool, 10:00), checked in 10 minutes before its slot
 * and seen: the encounter marks the booking seen. Refused bookings become walk-ins. */
static enum yl_err book(struct act *a, struct visit *v)
{
	struct yl_booking_new bn = {0};
	struct yl_booking b;
	int64_t slot, starts;
	enum yl_err err;

	at(a, v->day - 1, 10, 0);
	if ((err = find_slot(a, v->dept, v->day, YL_POOL_PUBLIC, yl_clock_now(&a->clock) + 3600,
			     &slot, &starts)) || !slot)
		return err;
	bn.slot_id = slot;
	bn.resident_id = a->w->resident_ids[v->ri];
	bn.pool = YL_POOL_PUBLIC;
	err = yl_booking_create(&a->c, &bn, &b, NULL);
	if (soft(err)) {
		yl_diag_clear(a->c.diag);
		return YL_OK;
	}
	if (err)
		return err;
	yl_clock_fixed(&a->clock, starts - 600);
	if ((err = yl_booking_check_in(&a->c, b.id, NULL)))
		return err;
	v->booking = b.id;
	return YL_OK;
}

/* An up-referral from the centre visit enc: to the county hospital (3 in 4) or the city
 * hospital; most are accepted (outpatient with a slot of the referral pool, else inpatient
 * with a planned admission), most of those arrive and complete; a few are cancelled,
 * rejected or left to expire. */
static enum yl_err refer_up(struct act *a, const struct visit *from, int64_t enc)
{
	struct yl_referral_new rn = {0};
	struct yl_referral_accept ac = {0};
	struct yl_referral r;
	struct visit v = *from;
	bool tertiary = yl_rng_chance(&a->rng, 0.25);
	int dept = a->w->age[from->ri] <= 14 ? D_PAED : D_MED;
	double u;
	enum yl_err err;

	rn.direction = "up";
	rn.care_type = yl_rng_chance(&a->rng, 0.65) ? "outpatient" : "inpatient";
	rn.resident_id = a->w->resident_ids[from->ri];
	rn.from_institution_id = from->inst;
	rn.to_institution_id = tertiary ? a->w->tertiary_id : a->w->secondary_id;
	rn.to_department_id = a->w->hospital_depts[tertiary ? 0 : 1][dept];
	rn.diagnosis_code = from->dx[0];
	rn.reason = "基层诊疗条件有限，需上级医院进一步检查和治疗";
	rn.encounter_ids = &enc;
	rn.nencounters = 1;
	at(a, from->day, 11, 0);
	if ((err = yl_referral_create(&a->c, &rn, &r)))
		return err;
	a->out->referrals_up++;
	u = yl_rng_unit(&a->rng);
	if (u < 0.05) {
		at(a, from->day, 16, 0);
		return yl_referral_cancel(&a->c, r.id, "患者决定暂不转诊", NULL);
	}
	if (u < 0.12) {
		at(a, from->day, 15, 0);
		return yl_referral_reject(&a->c, r.id, "本院该专科暂无床位，建议转往其他医院", NULL);
	}
	if (u < 0.18)
		return YL_OK; /* nobody answers: it expires */
	at(a, from->day, 15, 0);
	v.place = tertiary ? P_TERTIARY : P_SECONDARY;
	v.referral = r.id;
	v.booking = 0;
	locate(a, &v, dept);
	if (strcmp(rn.care_type, "outpatient") == 0) {
		int64_t starts = 0;
		for (int32_t d = from->day + 1; !ac.slot_id && d <= from->day + 7; d++)
			if ((err = find_slot(a, rn.to_department_id, d, YL_POOL_REFERRAL,
					     yl_clock_now(&a->clock) + 25 * 3600, &ac.slot_id,
					     &starts)))
				return err;
		err = ac.slot_id ? yl_referral_accept(&a->c, r.id, &ac, &r) : YL_ERR_SLOT_FULL;
		if (soft(err)) {
			yl_diag_clear(a->c.diag);
			return yl_referral_reject(&a->c, r.id, "一周内转诊号源已满", NULL);
		}
		if (err)
			return err;
		v.day = (int32_t)((starts + 8 * 3600) / 86400);
		if (v.day > a->last || !yl_rng_chance(&a->rng, 0.9))
			return YL_OK;
		yl_clock_fixed(&a->clock, starts - 600);
		v.kind = "outpatient";
		v.booking = r.booking_id;
		if ((err = yl_booking_check_in(&a->c, r.booking_id, NULL)) ||
		    (err = yl_referral_arrive(&a->c, r.id, NULL)) || (err = record(a, &v, NULL)))
			return err;
		return yl_rng_chance(&a->rng, 0.9) ? yl_referral_complete(&a->c, r.id, NULL) : YL_OK;
	}
	ac.planned_admission_date = from->day + 1 + (int32_t)yl_rng_below(&a->rng, 3);
	ac.has_planned_admission = true;
	if ((err = yl_referral_accept(&a->c, r.id, &ac, &r)))
		return err;
	v.day = ac.planned_admission_date;
	if (v.day > a->last || !yl_rng_chance(&a->rng, 0.9))
		return YL_OK;
	at(a, v.day, 9, 0);
	if ((err = yl_referral_arrive(&a->c, r.id, NULL)))
		return err;
	v.kind = "inpatient";
	v.discharge = v.day + 2 + (int32_t)yl_rng_below(&a->rng, 14);
	if (v.discharge > a->last)
		v.discharge = 0; /* still admitted */
	else
		at(a, v.discharge, 10, 0);
	if ((err = record(a, &v, NULL)))
		return err;
	return v.discharge ? yl_referral_complete(&a->c, r.id, NULL) : YL_OK;
}

/* A down-referral from the hospital encounter enc to the resident's home centre (the team's
 * centre for signed residents) with a care plan of 2-3 items, usually accepted, acknowledged,
 * followed by a visit at the centre and items done as they fall due. */
static enum yl_err refer_down(struct act *a, const struct visit *from, int64_t enc, int32_t day)
{
	struct yl_referral_new rn = {0};
	struct yl_care_plan_new plan[3];
	struct yl_referral_accept ac = {0};
	struct yl_referral r;
	struct visit v = *from;
	int nitems = 2 + (int)yl_rng_below(&a->rng, 2), first;
	int64_t items[3];
	double u;
	enum yl_err err;

	first = (int)yl_rng_below(&a->rng, NELEM(CARE_ITEMS));
	for (int i = 0; i < nitems; i++) {
		plan[i].description = CARE_ITEMS[(size_t)(first + i) % NELEM(CARE_ITEMS)];
		plan[i].due_date = day + (i == 0 ? 7 : i == 1 ? 14 : 30);
	}
	rn.direction = "down";
	/* after a discharge: recovery in the township hospital's beds */
	rn.care_type = from->discharge ? "inpatient" : "outpatient";
	rn.resident_id = a->w->resident_ids[from->ri];
	rn.from_institution_id = from->inst;
	rn.to_institution_id = a->w->centres[a->w->township[from->ri]];
	rn.diagnosis_code = from->dx[0];
	rn.reason = "病情稳定，转回基层继续康复和慢病管理";
	rn.care_plan = plan;
	rn.ncare_plan = nitems;
	rn.encounter_ids = &enc;
	rn.nencounters = 1;
	at(a, day, 16, 0);
	if ((err = yl_referral_create(&a->c, &rn, &r)))
		return err;
	a->out->referrals_down++;
	for (int i = 0; i < nitems && i < r.nitems; i++)
		items[i] = r.items[i].id;
	u = yl_rng_unit(&a->rng);
	if (u < 0.04)
		return yl_referral_cancel(&a->c, r.id, "患者选择在本院继续治疗", NULL);
	if (u < 0.08)
		return yl_referral_reject(&a->c, r.id, "本中心暂不具备该康复条件", NULL);
	if (u < 0.13)
		return YL_OK;
	v.day = day + 1 + (int32_t)yl_rng_below(&a->rng, 3);
	if (from->discharge) {
		ac.planned_admission_date = v.day;
		ac.has_planned_admission = true;
	}
	at(a, day, 17, 0);
	if ((err = yl_referral_accept(&a->c, r.id, &ac, NULL)))
		return err;
	at(a, day, 17, 30);
	if ((err = yl_referral_acknowledge(&a->c, r.id, NULL)))
		return err;
	if (v.day <= a->last) {
		v.kind = from->discharge ? "inpatient" : "outpatient";
		v.place = P_CENTRE;
		v.discharge = 0;
		if (from->discharge && v.day + 5 <= a->last)
			v.discharge = v.day + 5;
		v.booking = 0;
		v.referral = r.id;
		locate(a, &v, D_GP);
		at(a, v.day, 9, 0);
		if ((err = yl_referral_arrive(&a->c, r.id, NULL)))
			return err;
		if (v.discharge)
			at(a, v.discharge, 10, 0); /* a stay is recorded once it has ended */
		if ((err = record(a, &v, NULL)) || (err = yl_referral_complete(&a->c, r.id, NULL)))
			return err;
	}
	for (int i = 0; i < nitems && i < r.nitems; i++) {
		if (plan[i].due_date > a->last || !yl_rng_chance(&a->rng, 0.7))
			continue;
		at(a, plan[i].due_date, 10, 0);
		if ((err = yl_referral_item_done(&a->c, r.id, items[i], NULL)))
			return err;
	}
	return YL_OK;
}

/* One outpatient or emergency visit on day. */
static enum yl_err visit(struct act *a, int32_t day)
{
	const struct yl_demo_world *w = a->w;
	struct visit v = {0};
	const double *mix;
	double u;
	int dept, age;
	bool hosp, centre, weekday = yl_iso_weekday(day) <= 5;
	int64_t enc;
	enum yl_err err;

	v.ri = pick_weighted(a, a->out_cum, w->nresidents);
	v.day = day;
	age = w->age[v.ri];
	mix = w->is_signed[v.ri] ? SIGNED_MIX : UNSIGNED_MIX;
	u = yl_rng_unit(&a->rng);
	for (v.place = 0; v.place < NPLACES - 1 && u >= mix[v.place]; v.place++)
		u -= mix[v.place];
	if (v.place == P_SECONDARY && (age <= 6 || (w->tags[v.ri] & YL_TAG_PREGNANT)) &&
	    yl_rng_chance(&a->rng, 0.4))
		v.place = P_MCH;
	hosp = v.place <= P_MCH;
	v.kind = "outpatient";
	if ((hosp && yl_rng_chance(&a->rng, EMERGENCY_SHARE)) ||
	    (v.place == P_CENTRE && yl_rng_chance(&a->rng, 0.01))) {
		v.kind = "emergency";
		if (v.place == P_TCM || v.place == P_MCH)
			v.place = P_SECONDARY;
	}
	dept = diagnose(a, &v);
	if (!hosp && strcmp(v.kind, "emergency") != 0)
		dept = D_GP;
	locate(a, &v, dept);
	hosp = v.level >= L_SECONDARY;
	centre = v.level == L_PRIMARY;
	if (weekday && (v.place == P_TERTIARY || v.place == P_SECONDARY) &&
	    strcmp(v.kind, "outpatient") == 0 && yl_rng_chance(&a->rng, BOOKED_SHARE) &&
	    (err = book(a, &v)))
		return err;
	if (!v.booking)
		at(a, day, 10, 0);
	if ((err = record(a, &v, &enc)))
		return err;
	a->up_acc += UP_PER_VISIT;
	a->down_acc += DOWN_PER_VISIT;
	if (centre && a->up_acc >= 1.0) {
		a->up_acc -= 1.0;
		return refer_up(a, &v, enc);
	}
	if (hosp && strcmp(v.kind, "outpatient") == 0 && a->down_acc >= 1.0) {
		a->down_acc -= 1.0;
		return refer_down(a, &v, enc, day);
	}
	return YL_OK;
}

/* One admission on day: 14 % at the township centre, the rest at county (55 %) and city
 * (31 %) hospitals, as the national split of admissions. Written at discharge when that
 * falls in the window, else as still admitted. A discharge from hospital may be
 * down-referred. */
static enum yl_err admit(struct act *a, int32_t day)
{
	const struct yl_demo_world *w = a->w;
	struct visit v = {0};
	double u = yl_rng_unit(&a->rng);
	int dept;
	int64_t enc;
	enum yl_err err;

	v.ri = pick_weighted(a, a->in_cum, w->nresidents);
	v.day = day;
	v.kind = "inpatient";
	dept = diagnose(a, &v);
	v.place = u < 0.14 ? P_CENTRE : u < 0.62 ? P_SECONDARY : u < 0.69 ? P_TCM : P_TERTIARY;
	if (dept == D_OBS && v.place != P_TERTIARY)
		v.place = yl_rng_chance(&a->rng, 0.5) ? P_MCH : P_SECONDARY;
	locate(a, &v, dept);
	/* 2..15 days, one more at the city hospital: about 8.8 days overall */
	v.discharge = day + 2 + (int32_t)yl_rng_below(&a->rng, 14) + (v.place == P_TERTIARY);
	if (v.discharge > a->last) {
		v.discharge = 0;
		at(a, day, 10, 0);
	} else {
		at(a, v.discharge, 10, 0);
	}
	if ((err = record(a, &v, &enc)))
		return err;
	/* 0.9 % of hospital inpatients go down (DOMAIN.md, tertiary; 0.7 % secondary) */
	if (v.discharge && v.level >= L_SECONDARY && yl_rng_chance(&a->rng, DOWN_PER_DISCHARGE))
		return refer_down(a, &v, enc, v.discharge);
	return YL_OK;
}

/* Visit weights: young children and the elderly go more often, chronic patients more
 * still; admissions weigh the elderly and pregnant women most. */
static void weights(struct act *a)
{
	const struct yl_demo_world *w = a->w;
	double so = 0, si = 0;

	for (int64_t i = 0; i < w->nresidents; i++) {
		int age = w->age[i];
		unsigned t = w->tags[i];
		double chronic = ((t & YL_TAG_HYPERTENSION) ? 0.6 : 0) + ((t & YL_TAG_DIABETES) ? 0.6 : 0);
		double wo = age <= 6 ? 1.6 : age < 18 ? 0.6 : age < 45 ? 0.7 : age < 65 ? 1.1 : 2.0;
		double wi = age <= 6 ? 1.0 : age < 18 ? 0.3 : age < 45 ? 0.6 : age < 65 ? 1.0 : 3.0;

		if (t & YL_TAG_PREGNANT)
			wi *= 4;
		so += wo * (1 + chronic);
		si += wi * (1 + chronic / 2);
		a->out_cum[i] = so;
		a->in_cum[i] = si;
	}
}

/* Sessions of the two hospitals for the past days, from the templates, with the clock at
 * the first day (generation refuses days before "today"). */
static enum yl_err past_sessions(struct act *a)
{
	const int64_t ids[] = {a->w->tertiary_id, a->w->secondary_id};
	enum yl_err err = YL_OK;

	for (int32_t from = a->first; !err && from <= a->last; from += YL_SCHEDULE_MAX_DAYS) {
		int32_t to = from + YL_SCHEDULE_MAX_DAYS - 1;
		if (to > a->last)
			to = a->last;
		at(a, from, 7, 0);
		for (int i = 0; !err && i < 2; i++) {
			int64_t s = 0;
			err = yl_schedule_generate(&a->c, ids[i], from, to, &s, NULL);
			a->out->past_sessions += s;
		}
	}
	return err;
}

/* Reads every referral's (derived) status at the caller's clock. */
static enum yl_err count_statuses(const struct yl_ctx *c, struct yl_demo_activity *o)
{
	struct yl_referral_filter f = {0};
	struct yl_referral *items;
	int n;
	bool more = true;
	enum yl_err err;

	f.outside_consortium = -1;
	f.limit = 1000;
	while (more) {
		if ((err = yl_referral_list(c, &f, &items, &n, &more)))
			return err;
		for (int i = 0; i < n; i++) {
			const char *s = items[i].status;
			int64_t *slot = !strcmp(s, "requested") ? &o->requested
					: !strcmp(s, "accepted") ? &o->accepted
					: !strcmp(s, "arrived") ? &o->arrived
					: !strcmp(s, "completed") ? &o->completed
					: !strcmp(s, "rejected") ? &o->rejected
					: !strcmp(s, "cancelled") ? &o->cancelled
								  : &o->expired;
			(*slot)++;
			f.after = items[i].id;
		}
		yl_arena_release(c->arena);
	}
	return YL_OK;
}

enum yl_err yl_demo_activity(const struct yl_ctx *c, const struct yl_demo_world *w, int days,
			     uint64_t seed, FILE *progress, struct yl_demo_activity *out)
{
	struct act a;
	int32_t today = yl_clock_today(c->clock);
	double visits = 0, admissions = 0;
	enum yl_err err = YL_OK;

	memset(out, 0, sizeof(*out));
	if (days < 0 || days > YL_DEMO_MAX_DAYS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "days", "days must be 0-%d",
				   YL_DEMO_MAX_DAYS);
	if (days == 0 || w->nresidents == 0)
		return YL_OK;
	memset(&a, 0, sizeof(a));
	a.w = w;
	a.out = out;
	a.c = *c;
	a.c.clock = &a.clock;
	a.first = today - days;
	a.last = today - 1;
	a.up_acc = a.down_acc = 0.5; /* round the expected counts rather than truncate */
	/* its own stream, so the county itself stays as it was for the seed */
	yl_rng_seed(&a.rng, seed ^ UINT64_C(0x9e3779b97f4a7c15));
	a.out_cum = malloc((size_t)w->nresidents * sizeof(*a.out_cum));
	a.in_cum = malloc((size_t)w->nresidents * sizeof(*a.in_cum));
	if (!a.out_cum || !a.in_cum)
		abort();
	weights(&a);
	err = past_sessions(&a);
	for (int32_t day = a.first; !err && day <= a.last; day++) {
		/* weekdays busier than weekends (5 x 1.1 + 2 x 0.75 = 7) */
		double f = yl_iso_weekday(day) <= 5 ? 1.1 : 0.75;
		int64_t nv, na;

		visits += (double)w->nresidents * VISITS_PER_YEAR / 365.0 * f;
		admissions += (double)w->nresidents * ADMISSIONS_PER_YEAR / 365.0;
		nv = (int64_t)visits;
		na = (int64_t)admissions;
		visits -= (double)nv;
		admissions -= (double)na;
		for (int64_t i = 0; !err && i < nv; i++) {
			err = visit(&a, day);
			yl_arena_release(c->arena);
		}
		for (int64_t i = 0; !err && i < na; i++) {
			err = admit(&a, day);
			yl_arena_release(c->arena);
		}
		if (progress) {
			fprintf(progress, "\rdemo: activity day %d / %d", day - a.first + 1, days);
			fflush(progress);
		}
	}
	if (progress)
		fprintf(progress, "\n");
	free(a.out_cum);
	free(a.in_cum);
	return err ? err : count_statuses(c, out);
}
