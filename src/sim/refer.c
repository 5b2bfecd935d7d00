/* refer.c - two-way referral in the simulation: up from a township centre to the county or
 * city hospital (an outpatient place from the referral pool, or a planned admission), down
 * from a hospital to the family doctor with a care plan whose items are done as they fall
 * due. Each step is the referral module's own transition at its moment; some referrals are
 * cancelled, rejected or left to expire, as in life.
 */
#include <stdio.h>
#include <string.h>

#include "domain/booking.h"
#include "domain/referral.h"
#include "domain/search.h"
#include "domain/schedule.h"
#include "sim/sim_int.h"

#define NELEM(t) (sizeof(t) / sizeof((t)[0]))

static const char *const CARE_ITEMS[] = {
	"每周测量血压并记录", "两周后复诊评估康复情况", "随访用药依从性，按时服药",
	"一个月后复查血常规和肝肾功能", "居家康复训练指导",
};

/* A free place of the referral pool of dept within a week from `from`; *slot 0 if none. */
static enum yl_err referral_slot(struct sim *s, int64_t dept, int32_t from, int64_t *slot,
				 int64_t *starts)
{
	*slot = 0;
	for (int32_t day = from; day < from + 7 && !*slot; day++) {
		struct yl_slot_filter f = {0};
		struct yl_slot_hit *hits;
		int n;
		bool more;
		enum yl_err err;

		if (yl_iso_weekday(day) > 5)
			continue;
		f.department_id = dept;
		f.date = day;
		f.limit = 100;
		if ((err = yl_slot_search(&s->c, &f, &hits, &n, &more)))
			return err;
		for (int i = 0; i < n && !*slot; i++)
			if (hits[i].view.free[YL_POOL_REFERRAL] > 0) {
				*slot = hits[i].slot.id;
				*starts = hits[i].slot.starts_at;
			}
	}
	return YL_OK;
}

enum yl_err sim_refer_up(struct sim *s, const struct sim_person *who, int64_t from_inst,
			 int64_t enc, const char *dx)
{
	struct yl_referral_new rn = {0};
	struct yl_referral r;
	struct sim_event e = {0};
	char principal[16];
	int place = yl_rng_chance(&s->rng, 0.25) ? P_TERTIARY : P_SECONDARY;
	int dept = who->age <= 14 ? D_PAED : D_MED;
	double u;
	enum yl_err err;

	snprintf(principal, sizeof(principal), "%.*s", (int)strcspn(dx, ","), dx);
	if (!sim_locate(s, who, place, dept, &e.inst, &e.dept, &e.level))
		return YL_OK;
	rn.direction = "up";
	rn.care_type = yl_rng_chance(&s->rng, 0.65) ? "outpatient" : "inpatient";
	rn.resident_id = who->id;
	rn.from_institution_id = from_inst;
	rn.to_institution_id = e.inst;
	rn.to_department_id = e.dept;
	rn.diagnosis_code = principal;
	rn.reason = "基层诊疗条件有限，需上级医院进一步检查和治疗";
	rn.encounter_ids = &enc;
	rn.nencounters = 1;
	sim_at(s, s->day, 11 * 60);
	if ((err = yl_referral_create(&s->c, &rn, &r)))
		return err;
	s->st->referrals_up++;
	u = yl_rng_unit(&s->rng);
	if (u < 0.05) {
		sim_at(s, s->day, 16 * 60);
		return yl_referral_cancel(&s->c, r.id, "患者决定暂不转诊", NULL);
	}
	if (u < 0.11)
		return YL_OK; /* nobody answers: it expires */
	/* the hospital answers the next morning */
	e.kind = EV_REF_ANSWER;
	e.day = s->day + 1;
	e.minute = 9 * 60 + 30;
	e.resident = who->id;
	e.referral = r.id;
	e.aux = strcmp(rn.care_type, "inpatient") == 0;
	snprintf(e.dx, sizeof(e.dx), "%s", dx);
	return sim_event_push(s, &e);
}

/* The target answers an up-referral: rejected now and then, else accepted with a place of
 * the referral pool (or rejected when none is free within a week) or a planned admission;
 * nine in ten then arrive. */
static enum yl_err answer(struct sim *s, const struct sim_event *e)
{
	struct yl_referral_accept ac = {0};
	struct yl_referral r;
	struct sim_event next = *e;
	int64_t starts = 0;
	enum yl_err err;

	sim_at(s, e->day, e->minute);
	if (yl_rng_chance(&s->rng, 0.07))
		return yl_referral_reject(&s->c, e->referral, "本院该专科暂无床位，建议转往其他医院",
					  NULL);
	if (!e->aux) {
		if ((err = referral_slot(s, e->dept, e->day + 1, &ac.slot_id, &starts)))
			return err;
		err = ac.slot_id ? yl_referral_accept(&s->c, e->referral, &ac, &r) : YL_ERR_SLOT_FULL;
		if (sim_soft(err)) {
			yl_diag_clear(s->c.diag);
			return yl_referral_reject(&s->c, e->referral, "一周内转诊号源已满", NULL);
		}
		if (err)
			return err;
		next.day = (int32_t)((starts + 8 * 3600) / 86400);
		next.minute = (int)(((starts + 8 * 3600) % 86400) / 60);
		next.booking = r.booking_id;
	} else {
		ac.planned_admission_date = e->day + 1 + (int32_t)yl_rng_below(&s->rng, 3);
		ac.has_planned_admission = true;
		if ((err = yl_referral_accept(&s->c, e->referral, &ac, NULL)))
			return err;
		next.day = ac.planned_admission_date;
		next.minute = 9 * 60;
	}
	if (!yl_rng_chance(&s->rng, 0.9))
		return YL_OK; /* never came */
	next.kind = EV_REF_ARRIVE;
	return sim_event_push(s, &next);
}

/* The resident arrives: an outpatient visit on the booked place, or an admission whose
 * discharge is queued; a down-referral's visit at the centre. */
static enum yl_err arrive(struct sim *s, const struct sim_event *e)
{
	struct sim_event dis = *e;
	enum yl_err err;

	sim_at(s, e->day, e->booking && e->minute > 10 ? e->minute - 10 : e->minute);
	if (e->booking && (err = yl_booking_check_in(&s->c, e->booking, NULL)))
		return err;
	if ((err = yl_referral_arrive(&s->c, e->referral, NULL)))
		return err;
	s->st->referral_arrivals++;
	if (e->aux) {
		/* an admission: the stay is recorded at discharge, which completes the referral */
		dis.kind = EV_DISCHARGE;
		dis.day2 = e->day;
		dis.day = e->day + (e->level == L_PRIMARY ? 5 : 2 + (int32_t)yl_rng_below(&s->rng, 12));
		dis.minute = 10 * 60;
		s->st->admitted++;
		return sim_event_push(s, &dis);
	}
	if ((err = sim_record(s, "outpatient", e->resident, e->inst, e->dept, e->level, e->dx, e->day, 0,
			      e->booking, e->referral, NULL)))
		return err;
	return yl_rng_chance(&s->rng, 0.9) ? yl_referral_complete(&s->c, e->referral, NULL) : YL_OK;
}

enum yl_err sim_refer_down(struct sim *s, const struct sim_person *who, int64_t from_inst,
			   int64_t enc, const char *dx, bool inpatient)
{
	struct yl_referral_new rn = {0};
	struct yl_care_plan_new plan[3];
	struct yl_referral_accept ac = {0};
	struct yl_referral r;
	struct sim_event e = {0};
	char principal[16];
	int nitems = 2 + (int)yl_rng_below(&s->rng, 2);
	int first = (int)yl_rng_below(&s->rng, NELEM(CARE_ITEMS));
	double u;
	enum yl_err err;

	snprintf(principal, sizeof(principal), "%.*s", (int)strcspn(dx, ","), dx);
	for (int i = 0; i < nitems; i++) {
		plan[i].description = CARE_ITEMS[(size_t)(first + i) % NELEM(CARE_ITEMS)];
		plan[i].due_date = s->day + (i == 0 ? 7 : i == 1 ? 14 : 30);
	}
	/* to the family doctor's institution; without a contract, the home township centre */
	if (!sim_locate(s, who, P_CENTRE, D_GP, &e.inst, &e.dept, &e.level))
		return YL_OK;
	if (who->is_signed) {
		e.inst = who->team_inst;
		for (int t = 0; t < s->w.ntownships; t++)
			if (s->w.townships[t].centre == e.inst)
				e.dept = s->w.townships[t].gp_dept;
	}
	rn.direction = "down";
	rn.care_type = inpatient ? "inpatient" : "outpatient";
	rn.resident_id = who->id;
	rn.from_institution_id = from_inst;
	rn.to_institution_id = e.inst;
	rn.diagnosis_code = principal;
	rn.reason = "病情稳定，转回基层继续康复和慢病管理";
	rn.care_plan = plan;
	rn.ncare_plan = nitems;
	rn.encounter_ids = &enc;
	rn.nencounters = 1;
	sim_at(s, s->day, 16 * 60);
	if ((err = yl_referral_create(&s->c, &rn, &r)))
		return err;
	s->st->referrals_down++;
	u = yl_rng_unit(&s->rng);
	if (u < 0.04)
		return yl_referral_cancel(&s->c, r.id, "患者选择在本院继续治疗", NULL);
	if (u < 0.08)
		return yl_referral_reject(&s->c, r.id, "本中心暂不具备该康复条件", NULL);
	if (u < 0.13)
		return YL_OK;
	e.resident = who->id;
	e.referral = r.id;
	e.aux = inpatient;
	snprintf(e.dx, sizeof(e.dx), "%s", dx);
	e.day = s->day + 1 + (int32_t)yl_rng_below(&s->rng, 3);
	e.minute = 9 * 60;
	if (inpatient) {
		ac.planned_admission_date = e.day;
		ac.has_planned_admission = true;
	}
	sim_at(s, s->day, 17 * 60);
	if ((err = yl_referral_accept(&s->c, r.id, &ac, NULL)))
		return err;
	sim_at(s, s->day, 17 * 60 + 30);
	if ((err = yl_referral_acknowledge(&s->c, r.id, NULL)))
		return err;
	e.kind = EV_REF_ARRIVE;
	if ((err = sim_event_push(s, &e)))
		return err;
	for (int i = 0; i < nitems && i < r.nitems; i++) {
		struct sim_event it = e;
		if (!yl_rng_chance(&s->rng, 0.7))
			continue;
		it.kind = EV_CARE_ITEM;
		it.day = plan[i].due_date;
		it.minute = 10 * 60;
		it.aux = r.items[i].id;
		if ((err = sim_event_push(s, &it)))
			return err;
	}
	return YL_OK;
}

enum yl_err sim_event_referral(struct sim *s, const struct sim_event *e)
{
	enum yl_err err;

	switch (e->kind) {
	case EV_REF_ANSWER:
		return answer(s, e);
	case EV_REF_ARRIVE:
		return arrive(s, e);
	case EV_DISCHARGE: /* a referred stay ended (recorded by care.c) */
		return yl_referral_complete(&s->c, e->referral, NULL);
	case EV_CARE_ITEM:
		sim_at(s, e->day, e->minute);
		err = yl_referral_item_done(&s->c, e->referral, e->aux, NULL);
		if (err == YL_ERR_CONFLICT) {
			yl_diag_clear(s->c.diag);
			return YL_OK;
		}
		if (!err)
			s->st->care_items_done++;
		return err;
	default:
		return yl_diag_set(s->c.diag, YL_ERR_INTERNAL, NULL, "unknown sim event %d", e->kind);
	}
}
