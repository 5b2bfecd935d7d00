/* care.c - falling ill and being seen: outpatient and emergency visits (where the resident
 * goes, whether the visit is booked ahead by the resident or by the family doctor, what
 * happens when no place is free), admissions and discharges, and what each costs. Every
 * action is a domain call with the clock set to its moment. Referrals are refer.c's.
 *
 * Figures (docs/simulation.md lists each with its source): 6.8 visits and 0.215 admissions
 * per person-year; visits split between hospitals and primary care as the national
 * statistics; average costs by level; length of stay about 8.8 days.
 */
#include <stdio.h>
#include <string.h>

#include "domain/booking.h"
#include "domain/encounter.h"
#include "domain/population.h"
#include "domain/search.h"
#include "domain/schedule.h"
#include "sim/sim_int.h"

#define EMERGENCY_SHARE 0.05 /* hospital visits that are emergencies (assumption) */
#define EMERGENCY_COST 1.4   /* an emergency visit costs this much more (assumption) */
#define DOWN_PER_HOSP_VISIT 0.003 /* down-referrals per hospital outpatient visit */
#define PRIMARY_FIRST_UP 0.35 /* primary_first: a hospital-level need seen first at the centre
			       * is referred up this often (the rest is treated there) */
#define DIVERT 0.6 /* no place free: goes to another hospital instead of walking in */
#define NELEM(t) (sizeof(t) / sizeof((t)[0]))

/* Average cost in fen by level: outpatient (village ≈ ¥40 and township ≈ ¥80 are
 * assumptions; the hospital figures are national), admission (township ≈ ¥2,200 assumed),
 * and a bed-day. */
static const int64_t OUT_COST[4] = {4000, 8000, 21860, 35440};
static const int64_t IN_COST[4] = {0, 220000, 676230, 1393060};
static const int64_t BED_DAY[4] = {0, 2000, 4000, 8000};

/* Where a visit goes. Overall (about 40 % signed) this gives city hospitals 16 %, county
 * hospitals 35 %, township centres 30 %, village clinics 19 %: the national split between
 * hospitals and primary care. Signed residents keep most visits inside their 1+1+1
 * combination (own centre, county hospital, the group's city hospital). */
static const double SIGNED_MIX[NPLACES] = {0.12, 0.03, 0.28, 0.05, 0.03, 0.30, 0.04, 0.15};
static const double UNSIGNED_MIX[NPLACES] = {0.10, 0.06, 0.22, 0.08, 0.05, 0.22, 0.06, 0.21};

struct dx {
	const char *code;
	int dept;
	int min_age, max_age;
	int weight;
};

static const struct dx OUT_DX[] = {
	{"J06.9", D_MED, 0, 255, 30},  /* acute upper respiratory infection */
	{"J20.9", D_MED, 0, 255, 8},   /* acute bronchitis */
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
	{"R10.4", D_EMERG, 5, 255, 8},  /* abdominal pain */
	{"R50.9", D_EMERG, 0, 255, 8},  /* fever */
	{"T14.1", D_EMERG, 3, 255, 6},  /* open wound */
	{"S93.4", D_EMERG, 5, 255, 4},  /* ankle sprain */
	{"J18.9", D_EMERG, 0, 255, 4},  /* pneumonia */
	{"I63.9", D_EMERG, 55, 255, 2}, /* cerebral infarction */
	{"T78.4", D_EMERG, 0, 255, 2},  /* allergy */
};
static const struct dx IN_DX[] = {
	{"J18.9", D_MED, 0, 255, 20},  /* pneumonia */
	{"I63.9", D_MED, 45, 255, 12}, /* cerebral infarction */
	{"I25.1", D_MED, 45, 255, 8},  /* atherosclerotic heart disease */
	{"I50.9", D_MED, 60, 255, 6},  /* heart failure */
	{"J44.1", D_MED, 50, 255, 8},  /* COPD with exacerbation */
	{"K80.2", D_SURG, 25, 255, 6}, /* gallstones */
	{"K35.8", D_SURG, 5, 70, 5},   /* appendicitis */
	{"S72.0", D_SURG, 60, 255, 4}, /* fracture of the femoral neck */
	{"N39.0", D_MED, 15, 255, 4},  /* urinary tract infection */
	{"K29.7", D_MED, 15, 255, 4},  /* gastritis */
};

/* mean * U(0.5, 1.5): keeps the mean, never below half of it. */
static int64_t around(struct sim *s, double mean)
{
	return (int64_t)(mean * (0.5 + yl_rng_unit(&s->rng)) + 0.5);
}

static const struct dx *pick_dx(struct sim *s, const struct dx *t, size_t n, int age)
{
	int total = 0, u;

	for (size_t i = 0; i < n; i++)
		if (age >= t[i].min_age && age <= t[i].max_age)
			total += t[i].weight;
	u = (int)yl_rng_below(&s->rng, (uint64_t)total);
	for (size_t i = 0; i < n; i++) {
		if (age < t[i].min_age || age > t[i].max_age)
			continue;
		if (u < t[i].weight)
			return &t[i];
		u -= t[i].weight;
	}
	return &t[0];
}

static void add_dx(char *dx, size_t cap, const char *code)
{
	size_t len = strlen(dx);
	int count = len ? 1 : 0;

	for (const char *q = dx; *q; q++)
		count += *q == ',';
	if (strstr(dx, code) || count >= 3)
		return;
	snprintf(dx + len, cap - len, "%s%s", len ? "," : "", code);
}

/* Diagnoses into dx (comma-separated, principal first): hypertensive and diabetic residents
 * come for their chronic disease about half the time and carry it as a secondary diagnosis
 * otherwise. Returns the department kind. */
static int diagnose(struct sim *s, const struct sim_person *p, const char *kind, char dx[32])
{
	bool inpatient = strcmp(kind, "inpatient") == 0, emergency = strcmp(kind, "emergency") == 0;
	const struct dx *d;
	int dept;

	dx[0] = '\0';
	if (inpatient && (p->tags & YL_TAG_PREGNANT) && yl_rng_chance(&s->rng, 0.5)) {
		add_dx(dx, 32, "O80"); /* a single spontaneous delivery */
		return D_OBS;
	}
	if (!emergency && (p->tags & YL_TAG_HYPERTENSION) &&
	    yl_rng_chance(&s->rng, inpatient ? 0.1 : 0.5)) {
		add_dx(dx, 32, "I10");
		dept = D_MED;
	} else if (!emergency && (p->tags & YL_TAG_DIABETES) &&
		   yl_rng_chance(&s->rng, inpatient ? 0.1 : 0.5)) {
		add_dx(dx, 32, "E11.9");
		dept = D_MED;
	} else {
		d = inpatient ? pick_dx(s, IN_DX, NELEM(IN_DX), p->age)
		    : emergency ? pick_dx(s, EMERGENCY_DX, NELEM(EMERGENCY_DX), p->age)
				: pick_dx(s, OUT_DX, NELEM(OUT_DX), p->age);
		add_dx(dx, 32, d->code);
		dept = d->dept;
	}
	if (p->tags & YL_TAG_HYPERTENSION)
		add_dx(dx, 32, "I10");
	if (p->tags & YL_TAG_DIABETES)
		add_dx(dx, 32, "E11.9");
	if (p->age <= 14 && dept == D_MED)
		dept = D_PAED;
	if ((p->tags & YL_TAG_PREGNANT) && dept == D_MED && yl_rng_chance(&s->rng, 0.3))
		dept = D_OBS;
	return dept;
}

bool sim_locate(struct sim *s, const struct sim_person *who, int place, int dept,
		int64_t *inst, int64_t *dept_id, int *level)
{
	const struct sim_world *w = &s->w;
	const struct sim_township *t = &w->townships[who->township];
	const struct sim_county *k = &w->counties[t->county];
	const struct sim_city *cy = &w->cities[k->city];
	int h = -1;

	if (place == P_VILLAGE && t->nvillages > 0) {
		*inst = w->villages[t->first_village +
				    (int)yl_rng_below(&s->rng, (uint64_t)t->nvillages)];
		*dept_id = 0;
		*level = L_VILLAGE;
		return true;
	}
	/* a township without village clinics: the centre sees their patients */
	switch (place) {
	case P_TERTIARY:
		h = cy->lead;
		break;
	case P_TERTIARY_OTHER:
		h = cy->other >= 0 ? cy->other : cy->lead;
		break;
	case P_SECONDARY:
		h = k->hosp;
		break;
	case P_TCM:
		h = k->tcm >= 0 ? k->tcm : k->hosp;
		dept = k->tcm >= 0 ? D_TCM : dept;
		break;
	case P_MCH:
		h = k->mch >= 0 ? k->mch : k->hosp;
		if (k->mch >= 0 && dept != D_PAED)
			dept = D_WOMEN;
		break;
	case P_VILLAGE:
	case P_OTHER_CENTRE:
	case P_CENTRE: {
		int i = who->township;
		if (place == P_OTHER_CENTRE && i + 1 < w->ntownships &&
		    w->townships[i + 1].county == t->county)
			i++;
		*inst = w->townships[i].centre;
		*dept_id = w->townships[i].gp_dept;
		*level = L_PRIMARY;
		return true;
	}
	default:
		return false;
	}
	if (h < 0)
		return false;
	*inst = w->hosps[h].id;
	*level = w->hosps[h].level;
	*dept_id = w->hosps[h].dept[dept] ? w->hosps[h].dept[dept]
		   : w->hosps[h].dept[D_MED]  ? w->hosps[h].dept[D_MED]
					      : 0;
	for (int d = 0; !*dept_id && d < NDEPTS; d++)
		*dept_id = w->hosps[h].dept[d];
	return true;
}

/* Costs by category from the level's average: drugs about 40 % of outpatient cost at primary
 * level and 30 % at hospitals; admissions carry bed-days. fund_paid is 55-65 % of the total
 * and out_of_pocket the rest, so the two add up exactly. */
static void cost(struct sim *s, const char *kind, int level, int32_t visit, int32_t discharge,
		 struct yl_encounter *e)
{
	struct yl_encounter_costs *k = &e->costs;
	int64_t total;

	memset(k, 0, sizeof(*k));
	if (strcmp(kind, "inpatient") == 0) {
		int64_t rest;
		total = around(s, (double)IN_COST[level]);
		k->bed = (int64_t)(discharge - visit) * BED_DAY[level];
		if (total < k->bed * 5)
			total = k->bed * 5; /* a long stay costs more than its beds */
		rest = total - k->bed;
		k->drugs = rest * 30 / 100;
		k->consumables = rest * 18 / 100;
		k->exams = rest * 25 / 100;
		k->treatment = rest * 25 / 100;
		k->other = rest - k->drugs - k->consumables - k->exams - k->treatment;
	} else {
		bool hosp = level >= L_SECONDARY;
		double mean = (double)OUT_COST[level];
		if (strcmp(kind, "emergency") == 0)
			mean *= EMERGENCY_COST;
		total = around(s, mean);
		k->drugs = total * (hosp ? 30 : 40) / 100;
		k->exams = total * (hosp ? 35 : level == L_PRIMARY ? 20 : 5) / 100;
		k->consumables = total * 5 / 100;
		k->treatment = total - k->drugs - k->exams - k->consumables;
	}
	e->fund_paid = (int64_t)((double)total * (0.55 + 0.1 * yl_rng_unit(&s->rng)));
	e->out_of_pocket = total - e->fund_paid;
}

enum yl_err sim_record(struct sim *s, const char *kind, int64_t resident,
		       int64_t inst, int64_t dept, int level, const char *dx, int32_t visit,
		       int32_t discharge, int64_t booking, int64_t referral, int64_t *id)
{
	struct yl_encounter e = {0}, out;
	char date[YL_DATE_LEN], dis[YL_DATE_LEN], codes[32];
	const char *list[3];
	int n = 0;
	enum yl_err err;

	snprintf(codes, sizeof(codes), "%s", dx);
	for (char *q = codes, *next; q && n < 3; q = next) {
		next = strchr(q, ',');
		if (next)
			*next++ = '\0';
		list[n++] = q;
	}
	yl_date_format(visit, date);
	e.kind = kind;
	e.resident_id = resident;
	e.institution_id = inst;
	e.department_id = dept;
	e.visit_date = date;
	if (discharge) {
		yl_date_format(discharge, dis);
		e.discharge_date = dis;
	}
	e.diagnoses = list;
	e.ndiagnoses = n;
	e.booking_id = booking;
	e.referral_id = referral;
	cost(s, kind, level, visit, discharge ? discharge : visit, &e);
	if ((err = yl_encounter_create(&s->c, &e, &out)))
		return err;
	if (id)
		*id = out.id;
	s->st->cost += out.total;
	if (strcmp(kind, "inpatient") == 0)
		s->st->inpatient++;
	else if (strcmp(kind, "emergency") == 0)
		s->st->emergency++;
	else
		s->st->outpatient++;
	return YL_OK;
}

/* The memo of days found with no place (struct sim_full): a search it answers would find
 * nothing and draw nothing, so the run is the same with or without it (checked once by hand:
 * identical bookings over 30 days of the default county). Sound because, the bookings held
 * fixed, no place a booker may take at a moment is gone at a later one: public places only
 * open up, reserved ones fall back to public (a family doctor may book both), and no pool
 * offers more than the slot has left (yl_slot_pools). The one exception, reserved places
 * falling back before the public pool opens, is never memoised (book()). */
static struct sim_full *full_slot(struct sim *s, int64_t dept, int32_t date, bool fd)
{
	uint64_t h = ((uint64_t)dept * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)date << 1) ^ fd;

	for (int i = 0; i < SIM_FULL_SLOTS; i++) {
		struct sim_full *f = &s->full[(h + (uint64_t)i) % SIM_FULL_SLOTS];
		if (!f->dept || (f->dept == dept && f->date == date && f->fd == fd))
			return f;
	}
	return NULL;
}

/* Whether a search now would find no place for this booker (a memo of an earlier search). */
static bool known_full(struct sim *s, int64_t dept, int32_t date, bool fd)
{
	const struct sim_full *f = full_slot(s, dept, date, fd);

	return f && f->dept && f->at >= yl_clock_now(s->c.clock);
}

static void note_full(struct sim *s, int64_t dept, int32_t date, bool fd)
{
	struct sim_full *f = full_slot(s, dept, date, fd);
	int64_t now = yl_clock_now(s->c.clock);

	if (!f || (!f->dept && s->nfull >= SIM_FULL_SLOTS * 3 / 4))
		return;
	if (!f->dept) {
		s->nfull++;
		f->dept = dept;
		f->date = date;
		f->fd = fd;
		f->at = now;
	} else if (now > f->at) {
		f->at = now;
	}
}

/* Books a place for who at dept on the first weekday from `from` (tried over three weekdays)
 * with a free place: the family-doctor pool (acting as a doctor of the resident's team) when
 * fd, else or when that is full the public pool. *booking 0 when none was free. */
static enum yl_err book(struct sim *s, const struct sim_person *who, int64_t dept, bool fd,
			int32_t from, struct yl_booking *out, int64_t *booking)
{
	int tried = 0;
	enum yl_err err = YL_OK;

	*booking = 0;
	sim_act_as(s, fd ? who->team_inst : 0);
	for (int32_t day = from; tried < 3 && !*booking && !err; day++) {
		struct yl_slot_filter f = {0};
		struct yl_slot_hit *hits;
		struct yl_booking_new bn = {0};
		int n, pick = -1, seen = 0;
		bool more;

		if (yl_iso_weekday(day) > 5)
			continue;
		tried++;
		if (known_full(s, dept, day, fd))
			continue;
		f.department_id = dept;
		f.date = day;
		f.resident_id = who->id;
		f.limit = 100;
		if ((err = yl_slot_search(&s->c, &f, &hits, &n, &more)))
			break;
		for (int pool = fd ? YL_POOL_FAMILY_DOCTOR : YL_POOL_PUBLIC; pick < 0 && pool >= 0;
		     pool = pool == YL_POOL_FAMILY_DOCTOR ? YL_POOL_PUBLIC : -1) {
			for (int i = 0; i < n; i++) {
				if (hits[i].view.free[pool] <= 0 ||
				    (pool == YL_POOL_FAMILY_DOCTOR && hits[i].pool < 0))
					continue;
				/* reservoir choice: a random slot among those free */
				if (yl_rng_below(&s->rng, (uint64_t)++seen) == 0) {
					pick = i;
					bn.pool = pool;
				}
			}
		}
		if (pick < 0) {
			/* a slot whose reserved places fell back before its public pool opened
			 * had places earlier today that it has not now: no memo then */
			bool any = false;
			for (int i = 0; i < n && !any; i++)
				any = hits[i].view.free[YL_POOL_PUBLIC] > 0 ||
				      (fd && hits[i].view.free[YL_POOL_FAMILY_DOCTOR] > 0) ||
				      (hits[i].view.fallen_back && !hits[i].view.released);
			if (!any)
				note_full(s, dept, day, fd);
			continue;
		}
		bn.slot_id = hits[pick].slot.id;
		bn.resident_id = who->id;
		err = yl_booking_create(&s->c, &bn, out, NULL);
		if (sim_soft(err)) {
			yl_diag_clear(s->c.diag);
			err = YL_OK;
			continue;
		}
		if (!err) {
			*booking = out->id;
			if (bn.pool == YL_POOL_FAMILY_DOCTOR)
				s->st->fd_bookings++;
		}
	}
	sim_act_as(s, 0);
	return err;
}

/* A hospital outpatient visit booked ahead: the booking today, the visit (or the no-show)
 * and any cancellation queued for their days. *booked false when no place was free. */
static enum yl_err book_visit(struct sim *s, const struct sim_person *who, int64_t inst,
			      int64_t dept, int level, const char *dx, bool fd, bool *booked)
{
	struct yl_booking b;
	struct sim_event e = {0};
	int64_t id;
	int32_t day;
	enum yl_err err;

	*booked = false;
	sim_at(s, s->day, 9 * 60 + (int)yl_rng_below(&s->rng, 10 * 60));
	if ((err = book(s, who, dept, fd, s->day + 1 + (int32_t)yl_rng_below(&s->rng, 3), &b, &id)))
		return err;
	if (!id) {
		s->st->booking_refused++;
		return YL_OK;
	}
	*booked = true;
	s->st->bookings++;
	if (!yl_date_parse(b.date, &day))
		return yl_diag_set(s->c.diag, YL_ERR_INTERNAL, NULL, "booking without a date");
	e.resident = who->id;
	e.inst = inst;
	e.dept = dept;
	e.level = level;
	e.booking = id;
	snprintf(e.dx, sizeof(e.dx), "%s", dx);
	if (yl_rng_chance(&s->rng, s->p->cancel)) {
		e.kind = EV_CANCEL;
		e.day = day - 1;
		e.minute = 20 * 60;
		/* the evening before is today's for a visit tomorrow: today's queue has been read */
		return e.day <= s->day ? sim_event_care(s, &e) : sim_event_push(s, &e);
	}
	if (yl_rng_chance(&s->rng, s->p->no_show)) {
		s->st->no_shows++; /* the booking turns no_show once its slot ends */
		return YL_OK;
	}
	e.kind = EV_BOOKED_VISIT;
	e.day = day;
	e.minute = (int)(((b.starts_at + 8 * 3600) % 86400) / 60);
	return sim_event_push(s, &e);
}

static int choose_place(struct sim *s, const struct sim_person *p)
{
	const double *mix = p->is_signed ? SIGNED_MIX : UNSIGNED_MIX;
	double u = yl_rng_unit(&s->rng);
	int place = 0;

	while (place < NPLACES - 1 && u >= mix[place])
		u -= mix[place++];
	if (place == P_SECONDARY && (p->age <= 6 || (p->tags & YL_TAG_PREGNANT)) &&
	    yl_rng_chance(&s->rng, 0.4))
		place = P_MCH;
	return place;
}

/* One outpatient or emergency visit today. */
static enum yl_err visit(struct sim *s)
{
	struct sim_person p;
	const char *kind = "outpatient";
	char dx[32];
	int place, dept, level;
	int64_t inst, dept_id, enc;
	bool hosp, booked = false, need_hospital = false;
	enum yl_err err;

	if ((err = sim_person_pick(s, false, &p)))
		return err;
	place = choose_place(s, &p);
	hosp = place <= P_MCH;
	if ((hosp && yl_rng_chance(&s->rng, EMERGENCY_SHARE)) ||
	    (place == P_CENTRE && yl_rng_chance(&s->rng, 0.01))) {
		kind = "emergency";
		if (place == P_TCM || place == P_MCH)
			place = P_SECONDARY;
	}
	dept = diagnose(s, &p, kind, dx);
	if (hosp && s->p->primary_first && p.is_signed && strcmp(kind, "outpatient") == 0) {
		place = P_CENTRE; /* the family doctor first */
		need_hospital = true;
		hosp = false;
	}
	if (!hosp && strcmp(kind, "emergency") != 0)
		dept = D_GP;
	if (!sim_locate(s, &p, place, dept, &inst, &dept_id, &level))
		return YL_OK;
	if (level >= L_SECONDARY && strcmp(kind, "outpatient") == 0 && place != P_TCM &&
	    place != P_MCH) {
		bool fd = p.is_signed && (inst == p.secondary_id || inst == p.tertiary_id) &&
			  yl_rng_chance(&s->rng, s->p->fd_booking);
		if (fd || yl_rng_chance(&s->rng, s->p->booking_share)) {
			if ((err = book_visit(s, &p, inst, dept_id, level, dx, fd, &booked)))
				return err;
			if (booked)
				return YL_OK;
			/* no place: another hospital (outside the combination), or walk in */
			if (yl_rng_chance(&s->rng, DIVERT)) {
				s->st->diverted++;
				place = place == P_TERTIARY ? P_TERTIARY_OTHER : P_TCM;
				if (!sim_locate(s, &p, place, dept, &inst, &dept_id, &level))
					return YL_OK;
			}
		}
		s->st->walk_ins++;
	}
	sim_at(s, s->day, 8 * 60 + (int)yl_rng_below(&s->rng, 9 * 60));
	if ((err = sim_record(s, kind, p.id, inst, dept_id, level, dx, s->day, 0, 0, 0, &enc)))
		return err;
	if (level == L_PRIMARY &&
	    yl_rng_chance(&s->rng, need_hospital ? PRIMARY_FIRST_UP : s->p->up_referral))
		return sim_refer_up(s, &p, inst, enc, dx);
	if (level >= L_SECONDARY && strcmp(kind, "outpatient") == 0 &&
	    yl_rng_chance(&s->rng, DOWN_PER_HOSP_VISIT))
		return sim_refer_down(s, &p, inst, enc, dx, false);
	return YL_OK;
}

enum yl_err sim_visits(struct sim *s, int64_t n)
{
	enum yl_err err = YL_OK;

	/* the memo of full days starts afresh: today's sessions and cancellations came first */
	memset(s->full, 0, sizeof(s->full));
	s->nfull = 0;

	for (int64_t i = 0; !err && i < n; i++) {
		err = visit(s);
		yl_arena_release(s->c.arena);
	}
	return err;
}

/* One admission today: 14 % at the township centre, the rest at county (55 %) and city
 * (31 %) hospitals, as the national split of admissions. The stay is recorded at discharge. */
enum yl_err sim_admissions(struct sim *s, int64_t n)
{
	enum yl_err err = YL_OK;

	for (int64_t i = 0; !err && i < n; i++) {
		struct sim_person p;
		struct sim_event e = {0};
		double u;
		int place, dept;

		if ((err = sim_person_pick(s, true, &p)))
			break;
		dept = diagnose(s, &p, "inpatient", e.dx);
		u = yl_rng_unit(&s->rng);
		place = u < 0.14 ? P_CENTRE : u < 0.62 ? P_SECONDARY : u < 0.69 ? P_TCM
			: u < 0.93 ? P_TERTIARY : P_TERTIARY_OTHER;
		if (dept == D_OBS && place != P_TERTIARY)
			place = yl_rng_chance(&s->rng, 0.5) ? P_MCH : P_SECONDARY;
		if (!sim_locate(s, &p, place, dept, &e.inst, &e.dept, &e.level))
			continue;
		/* 2..15 days, one more at a city hospital: about 8.8 days overall */
		e.kind = EV_DISCHARGE;
		e.resident = p.id;
		e.day2 = s->day;
		e.day = s->day + 2 + (int32_t)yl_rng_below(&s->rng, 14) + (e.level == L_TERTIARY);
		e.minute = 10 * 60;
		s->st->admitted++;
		err = sim_event_push(s, &e);
		yl_arena_release(s->c.arena);
	}
	return err;
}

/* Loads who (only the id is set) and refers them down. */
static enum yl_err refer_down_loaded(struct sim *s, struct sim_person *who, int64_t from,
				     int64_t enc, const char *dx, bool inpatient)
{
	enum yl_err err = sim_person_load(s, who->id, who);

	return err ? err : sim_refer_down(s, who, from, enc, dx, inpatient);
}

/* Queued care: a booked visit (check in, be seen), a cancellation, a discharge. */
enum yl_err sim_event_care(struct sim *s, const struct sim_event *e)
{
	struct sim_person p;
	int64_t enc;
	enum yl_err err;

	/* the resident's contract is read only when a down-referral needs it */
	memset(&p, 0, sizeof(p));
	p.id = e->resident;
	switch (e->kind) {
	case EV_CANCEL:
		sim_at(s, e->day, e->minute);
		err = yl_booking_cancel(&s->c, e->booking, "患者行程有变，取消预约", NULL);
		if (err == YL_ERR_CANCEL_TOO_LATE || err == YL_ERR_CONFLICT) {
			/* refused (past the cut-off): the resident still does not come */
			if (err == YL_ERR_CANCEL_TOO_LATE)
				s->st->no_shows++;
			yl_diag_clear(s->c.diag);
			return YL_OK;
		}
		if (!err)
			s->st->cancellations++;
		return err;
	case EV_BOOKED_VISIT:
		sim_at(s, e->day, e->minute > 10 ? e->minute - 10 : 0);
		err = yl_booking_check_in(&s->c, e->booking, NULL);
		if (err == YL_ERR_SESSION_STOPPED || err == YL_ERR_CONFLICT) {
			yl_diag_clear(s->c.diag);
			return YL_OK;
		}
		if (err || (err = sim_record(s, "outpatient", p.id, e->inst, e->dept, e->level, e->dx,
					     e->day, 0, e->booking, 0, &enc)))
			return err;
		s->st->seen++;
		if (e->level >= L_SECONDARY && yl_rng_chance(&s->rng, DOWN_PER_HOSP_VISIT))
			return refer_down_loaded(s, &p, e->inst, enc, e->dx, false);
		return YL_OK;
	case EV_DISCHARGE:
		sim_at(s, e->day, e->minute);
		if ((err = sim_record(s, "inpatient", p.id, e->inst, e->dept, e->level, e->dx, e->day2,
				      e->day, 0, e->referral, &enc)))
			return err;
		if (e->referral)
			return sim_event_referral(s, e);
		if (e->level >= L_SECONDARY && yl_rng_chance(&s->rng, s->p->down_referral))
			return refer_down_loaded(s, &p, e->inst, enc, e->dx, true);
		return YL_OK;
	default:
		return yl_diag_set(s->c.diag, YL_ERR_INTERNAL, NULL, "unknown sim event %d", e->kind);
	}
}
