/* county.c - demo county generator. Figures (see docs/demo.md): 65+ about 14 % and children
 * 0-6 about 7 % of residents (2020 census); hypertension in about a quarter of adults and
 * diabetes about a tenth (China Hypertension / Diabetes surveys); contracting ~35 % overall with
 * key populations signed about twice as often (national family-doctor reports). Contracts are
 * signed over the past 14 months with the clock set to each signing day, so some have expired
 * and most of those are renewed today, leaving a history.
 */
#include "demo/county.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/codes.h"
#include "domain/area.h"
#include "domain/consortium.h"
#include "domain/contract.h"
#include "domain/department.h"
#include "domain/institution.h"
#include "domain/population.h"
#include "domain/practitioner.h"
#include "domain/resident.h"
#include "domain/schedule.h"
#include "domain/team.h"
#include "demo/names.h"
#include "demo/rng.h"

enum { TEAMS_PER_CENTRE = 4, MAX_TOWNSHIPS = 99 };

#define PROVINCE "520000"
#define CITY "520300"
#define COUNTY "520330"

struct gen {
	const struct yl_ctx *c;
	const struct yl_demo_opts *o;
	struct yl_demo_result *r;
	struct yl_rng rng;
	int32_t today;
	int64_t centres[MAX_TOWNSHIPS];
	int64_t teams[MAX_TOWNSHIPS][TEAMS_PER_CENTRE];
	char township_codes[MAX_TOWNSHIPS][10];
	/* per birth date: next id sequence for males (odd) and females (even) */
	uint16_t *seq_m, *seq_f;
	int32_t first_birth;
	int64_t specialists[8]; /* one chief per city department, sent down to the county */
	int64_t clinic_depts[16 + MAX_TOWNSHIPS]; /* departments that run outpatient sessions */
	int64_t clinic_capacity[16 + MAX_TOWNSHIPS];
	int nclinic_depts;
	int nspecialists;
	/* what the activity generator needs (activity.h) */
	int64_t tcm_id, mch_id, tcm_dept, mch_dept;
	int64_t hospital_depts[2][YL_DEMO_HOSPITAL_DEPTS];
	int64_t centre_depts[MAX_TOWNSHIPS];
	int64_t *clinics;      /* [township * villages + v] */
	int64_t *resident_ids; /* [i], with the four arrays below */
	uint8_t *res_township, *res_age, *res_tags, *res_signed;
};

static void progress(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void progress(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->o->progress)
		return;
	va_start(ap, fmt);
	vfprintf(g->o->progress, fmt, ap);
	va_end(ap);
	fflush(g->o->progress);
}

static enum yl_err area(struct gen *g, const char *code, const char *name)
{
	struct yl_area a = {code, name, NULL, NULL, 0};
	g->r->areas++;
	return yl_area_create(g->c, &a, NULL);
}

static enum yl_err institution(struct gen *g, const char *code, const char *name,
			       const char *level, const char *kind, const char *area_code,
			       int64_t beds, int64_t centre, int64_t *id)
{
	struct yl_institution in = {0, code, name, level, kind, area_code, beds, centre, 0}, out;
	enum yl_err err = yl_institution_create(g->c, &in, &out);

	if (!err) {
		*id = out.id;
		g->r->institutions++;
	}
	return err;
}

static enum yl_err department(struct gen *g, int64_t inst, const char *name, const char *cat,
			      int64_t *id)
{
	struct yl_department in = {0, inst, name, cat, 0}, out;
	enum yl_err err = yl_department_create(g->c, &in, &out);

	if (!err) {
		g->r->departments++;
		if (id)
			*id = out.id;
	}
	return err;
}

static enum yl_err practitioner(struct gen *g, int64_t inst, int64_t dept, const char *title,
				bool gp, int64_t *id)
{
	char name[64];
	struct yl_practitioner in = {0}, out;
	enum yl_err err;

	yl_name_person(&g->rng, yl_rng_chance(&g->rng, 0.5), name, sizeof(name));
	in.name = name;
	in.title = title;
	in.general_practitioner = gp;
	in.institution_id = inst;
	in.department_id = dept;
	err = yl_practitioner_create(g->c, &in, &out);
	if (!err) {
		g->r->practitioners++;
		if (id)
			*id = out.id;
	}
	return err;
}

static enum yl_err hospitals(struct gen *g)
{
	static const struct { const char *name, *cat; } depts[] = {
		{"内科", "03"}, {"外科", "04"}, {"妇产科", "05"}, {"儿科", "07"},
		{"急诊医学科", "20"}, {"全科医疗科", "02"},
	};
	struct yl_demo_result *r = g->r;
	int64_t tcm, mch, dept, doc;
	enum yl_err err;

	static_assert(sizeof(depts) / sizeof(depts[0]) == YL_DEMO_HOSPITAL_DEPTS,
		      "activity.c indexes these departments");

	if ((err = institution(g, "520300-H01", "遵义市第一人民医院", "tertiary", "general", CITY,
			       2000, 0, &r->tertiary_id)) ||
	    (err = institution(g, "520330-H01", "习水县人民医院", "secondary", "general", COUNTY, 600,
			       0, &r->secondary_id)) ||
	    (err = institution(g, "520330-H02", "习水县中医医院", "secondary", "tcm", COUNTY, 300, 0,
			       &tcm)) ||
	    (err = institution(g, "520330-H03", "习水县妇幼保健院", "secondary", "maternal_child",
			       COUNTY, 150, 0, &mch)))
		return err;
	for (size_t i = 0; i < sizeof(depts) / sizeof(depts[0]); i++) {
		const int64_t hosp[] = {r->tertiary_id, r->secondary_id};
		for (int h = 0; h < 2; h++) {
			err = department(g, hosp[h], depts[i].name, depts[i].cat, &dept);
			if (!err) {
				if (!r->first_hospital_department_id)
					r->first_hospital_department_id = dept;
				g->hospital_depts[h][i] = dept;
				g->clinic_capacity[g->nclinic_depts] = 6;
				g->clinic_depts[g->nclinic_depts++] = dept;
			}
			for (int k = 0; !err && k < (h == 0 ? 6 : 3); k++)
				err = practitioner(g, hosp[h], dept,
						   k == 0 ? "chief_physician" : "attending_physician",
						   false, &doc);
			if (!err && h == 0)
				g->specialists[g->nspecialists++] = doc;
			if (err)
				return err;
		}
	}
	g->tcm_id = tcm;
	g->mch_id = mch;
	if ((err = department(g, tcm, "中医科", "50", &g->tcm_dept)) ||
	    (err = department(g, mch, "妇女保健科", "01", &g->mch_dept)))
		return err;
	return YL_OK;
}

static enum yl_err townships(struct gen *g)
{
	struct yl_demo_result *r = g->r;
	enum yl_err err = YL_OK;

	for (int t = 0; !err && t < g->o->townships; t++) {
		char code[16], name[64], icode[32], iname[96];
		int64_t centre, gp_dept, nurse_dept, clinic;

		snprintf(code, sizeof(code), "%s%03d", COUNTY, (t + 1) % 1000);
		memcpy(g->township_codes[t], code, 10);
		snprintf(name, sizeof(name), "%s镇", yl_name_township(t));
		snprintf(icode, sizeof(icode), "%s-C%02d", COUNTY, t + 1);
		snprintf(iname, sizeof(iname), "%s镇卫生院", yl_name_township(t));
		if ((err = area(g, code, name)) ||
		    (err = institution(g, icode, iname, "primary", "general", code, 30, 0, &centre)) ||
		    (err = department(g, centre, "全科医疗科", "02", &gp_dept)) ||
		    (err = department(g, centre, "预防保健科", "01", &nurse_dept)))
			return err;
		g->centres[t] = centre;
		g->centre_depts[t] = gp_dept;
		g->clinic_capacity[g->nclinic_depts] = 4;
		g->clinic_depts[g->nclinic_depts++] = gp_dept;
		if (t == 0)
			r->first_centre_id = centre;
		for (int k = 0; !err && k < TEAMS_PER_CENTRE; k++) {
			int64_t gp, nurse, members[2];
			char tname[96];
			struct yl_team team = {0}, out;

			if ((err = practitioner(g, centre, gp_dept, "attending_physician", true, &gp)) ||
			    (err = practitioner(g, centre, nurse_dept, "nurse", false, &nurse)))
				return err;
			snprintf(tname, sizeof(tname), "%s家庭医生团队%d", yl_name_township(t), k + 1);
			members[0] = gp;
			members[1] = nurse;
			team.name = tname;
			team.institution_id = centre;
			team.leader_id = gp;
			team.member_ids = members;
			team.nmember_ids = 2;
			err = yl_team_create(g->c, &team, &out);
			if (!err) {
				g->teams[t][k] = out.id;
				r->teams++;
			}
		}
		for (int v = 0; !err && v < g->o->villages; v++) {
			snprintf(icode, sizeof(icode), "%s-C%02d-V%02d", COUNTY, t + 1, v + 1);
			snprintf(iname, sizeof(iname), "%s镇%s村卫生室", yl_name_township(t),
				 yl_name_village(t * g->o->villages + v));
			err = institution(g, icode, iname, "village", "general", code, 0, centre, &clinic);
			if (!err)
				g->clinics[t * g->o->villages + v] = clinic;
			if (!err)
				err = practitioner(g, clinic, 0, "village_doctor", false, NULL);
		}
	}
	return err;
}

static enum yl_err consortia(struct gen *g)
{
	struct yl_demo_result *r = g->r;
	int64_t *members = calloc((size_t)g->o->townships + 8, sizeof(*members));
	struct yl_consortium county = {0}, city = {0};
	int n = 0;
	enum yl_err err;

	if (!members)
		abort();
	/* the county community: county hospitals (ids after the secondary one) and every centre */
	members[n++] = r->secondary_id + 1;
	members[n++] = r->secondary_id + 2;
	for (int t = 0; t < g->o->townships; t++)
		members[n++] = g->centres[t];
	county.code = "520330-YGT";
	county.name = "习水县紧密型县域医疗卫生共同体";
	county.kind = "county_community";
	county.lead_institution_id = r->secondary_id;
	county.area_code = COUNTY;
	county.member_ids = members;
	county.n_members = n;
	err = yl_consortium_create(g->c, &county, NULL);
	if (!err) {
		/* the city group: the city hospital leads, the county hospital joins */
		city.code = "520300-YLJT";
		city.name = "遵义市第一人民医院城市医疗集团";
		city.kind = "city_group";
		city.lead_institution_id = r->tertiary_id;
		city.area_code = CITY;
		city.member_ids = &r->secondary_id;
		city.n_members = 1;
		err = yl_consortium_create(g->c, &city, NULL);
	}
	r->consortia = err ? 0 : 2;
	free(members);
	/* now that the city group exists, city specialists also practise at the county
	 * hospital (医联体内流动执业, 专家下沉) */
	for (int i = 0; !err && i < g->nspecialists; i++)
		err = yl_practitioner_add_site(g->c, g->specialists[i], r->secondary_id, NULL);
	return err;
}

/* Weekday outpatient sessions (08:00-12:00 and 14:00-17:30 in 30-minute slices, as Qinghai's
 * 分时段预约) for every hospital department and every centre's general practice, generated
 * for two weeks from today. The templates are valid from the first day of past activity, so
 * activity.c can generate the hospitals' past sessions for its bookings. Hospital slots hold 6 places of which 2 are reserved for family
 * doctors and 1 for up-referrals; centre slots hold 4 public places. */
static enum yl_err schedules(struct gen *g)
{
	static const char *const starts[] = {"08:00", "14:00"}, *const ends[] = {"12:00", "17:30"};
	char from[YL_DATE_LEN];
	enum yl_err err = YL_OK;

	yl_date_format(g->today - g->o->days, from);
	for (int i = 0; !err && i < g->nclinic_depts; i++) {
		bool hospital = g->clinic_capacity[i] == 6;
		for (int day = 1; !err && day <= 5; day++) {
			for (int half = 0; !err && half < 2; half++) {
				struct yl_schedule_template t = {0};
				t.department_id = g->clinic_depts[i];
				t.weekday = day;
				t.start_time = starts[half];
				t.end_time = ends[half];
				t.slot_minutes = 30;
				t.capacity = g->clinic_capacity[i];
				t.quota_family_doctor = hospital ? 2 : 0;
				t.quota_referral = hospital ? 1 : 0;
				t.valid_from = from;
				t.active = true;
				err = yl_schedule_template_create(g->c, &t, NULL);
				if (!err)
					g->r->templates++;
			}
		}
	}
	if (err)
		return err;
	{
		int64_t ids[] = {g->r->tertiary_id, g->r->secondary_id};
		for (int i = 0; !err && i < 2; i++) {
			int64_t s = 0, n = 0;
			err = yl_schedule_generate(g->c, ids[i], g->today, g->today + 13, &s, &n);
			g->r->sessions += s;
			g->r->slots += n;
		}
		for (int t = 0; !err && t < g->o->townships; t++) {
			int64_t s = 0, n = 0;
			err = yl_schedule_generate(g->c, g->centres[t], g->today, g->today + 13, &s, &n);
			g->r->sessions += s;
			g->r->slots += n;
		}
	}
	return err;
}

/* Age by the 2020 census shape: 0-6 7 %, 7-17 12 %, 18-44 36 %, 45-64 31 %, 65+ 14 %. */
static int sample_age(struct yl_rng *rng)
{
	double u = yl_rng_unit(rng);

	if (u < 0.07)
		return (int)yl_rng_below(rng, 7);
	if (u < 0.19)
		return 7 + (int)yl_rng_below(rng, 11);
	if (u < 0.55)
		return 18 + (int)yl_rng_below(rng, 27);
	if (u < 0.86)
		return 45 + (int)yl_rng_below(rng, 20);
	return 65 + (int)yl_rng_below(rng, 30);
}

static unsigned sample_tags(struct yl_rng *rng, int age, bool female)
{
	unsigned t = 0;
	double htn = age < 18 ? 0.0 : age < 45 ? 0.12 : age < 65 ? 0.33 : 0.55;
	double dm = age < 18 ? 0.0 : age < 45 ? 0.05 : age < 65 ? 0.14 : 0.22;

	if (yl_rng_chance(rng, htn))
		t |= YL_TAG_HYPERTENSION;
	if (yl_rng_chance(rng, dm))
		t |= YL_TAG_DIABETES;
	if (female && age >= 20 && age <= 40 && yl_rng_chance(rng, 0.04))
		t |= YL_TAG_PREGNANT;
	if (yl_rng_chance(rng, 0.06))
		t |= YL_TAG_DISABLED;
	if (yl_rng_chance(rng, 0.03))
		t |= YL_TAG_LOW_INCOME;
	return t;
}

/* A fresh valid id number for a birth date and sex (sequence per date keeps it unique). */
static bool make_id_number(struct gen *g, int32_t birth, bool female, char out[19])
{
	char date[YL_DATE_LEN];
	uint16_t *seq = female ? &g->seq_f[birth - g->first_birth] : &g->seq_m[birth - g->first_birth];
	int s = *seq * 2 + (female ? 0 : 1);

	if (s > 999)
		return false;
	(*seq)++;
	yl_date_format(birth, date);
	snprintf(out, 19, "%s%.4s%.2s%.2s%03d", COUNTY, date, date + 5, date + 8, s);
	out[17] = yl_id_number_check_char(out);
	out[18] = '\0';
	return true;
}

static enum yl_err sign(struct gen *g, int64_t resident, int t, int32_t on, uint8_t *active)
{
	struct yl_clock then;
	struct yl_ctx c = *g->c;
	struct yl_contract_sign s = {0};
	struct yl_contract out;
	enum yl_err err = YL_OK;
	int32_t end;

	/* sign "on" that day: the clock says 10:00 Asia/Shanghai of the signing date */
	yl_clock_fixed(&then, (int64_t)on * 86400 + 2 * 3600);
	c.clock = &then;
	s.resident_id = resident;
	s.secondary_id = g->r->secondary_id;
	s.tertiary_id = g->r->tertiary_id;
	for (int k = 0; k < TEAMS_PER_CENTRE; k++) {
		s.team_id = g->teams[t][(resident + k) % TEAMS_PER_CENTRE];
		err = yl_contract_sign(&c, &s, &out);
		if (err != YL_ERR_CAPACITY)
			break;
	}
	if (err == YL_ERR_CAPACITY)
		return YL_OK; /* every team of the township is full: the resident stays unsigned */
	if (err)
		return err;
	g->r->contracts++;
	if (!yl_date_parse(out.end_date, &end))
		return yl_diag_set(g->c->diag, YL_ERR_INTERNAL, NULL, "contract has no end date");
	if (end < g->today) {
		/* expired by now: most are renewed today, the rest stay lapsed */
		if (yl_rng_chance(&g->rng, 0.7)) {
			err = yl_contract_renew(g->c, out.id, 0, NULL);
			if (err == YL_ERR_CAPACITY)
				return YL_OK;
			if (!err) {
				g->r->renewed++;
				g->r->contracts++;
				g->r->active_contracts++;
				*active = 1;
			}
		}
	} else {
		g->r->active_contracts++;
		*active = 1;
	}
	return err;
}

static enum yl_err residents(struct gen *g)
{
	struct yl_demo_result *r = g->r;
	int64_t n = g->o->residents;
	enum yl_err err = YL_OK;
	int32_t span = 96 * 366;

	g->first_birth = g->today - span;
	g->seq_m = calloc((size_t)span + 1, sizeof(*g->seq_m));
	g->seq_f = calloc((size_t)span + 1, sizeof(*g->seq_f));
	g->resident_ids = calloc((size_t)n + 1, sizeof(*g->resident_ids));
	g->res_township = calloc((size_t)n + 1, 1);
	g->res_age = calloc((size_t)n + 1, 1);
	g->res_tags = calloc((size_t)n + 1, 1);
	g->res_signed = calloc((size_t)n + 1, 1);
	if (!g->seq_m || !g->seq_f || !g->resident_ids || !g->res_township || !g->res_age ||
	    !g->res_tags || !g->res_signed)
		abort();
	for (int64_t i = 0; !err && i < n; i++) {
		struct yl_resident in = {0}, out;
		char idn[19], name[64], phone[32];
		bool female = yl_rng_chance(&g->rng, 0.49);
		int age = sample_age(&g->rng);
		int t = (int)yl_rng_below(&g->rng, (uint64_t)g->o->townships);
		int32_t birth = yl_date_add_years(g->today, -age) - (int32_t)yl_rng_below(&g->rng, 365);
		double p;

		if (birth < g->first_birth)
			birth = g->first_birth;
		if (!make_id_number(g, birth, female, idn))
			continue; /* that birth date is exhausted; extremely rare */
		yl_name_person(&g->rng, female, name, sizeof(name));
		snprintf(phone, sizeof(phone), "1%02d%08d", 30 + (int)yl_rng_below(&g->rng, 60),
			 (int)yl_rng_below(&g->rng, 100000000));
		in.id_number = idn;
		in.name = name;
		in.phone = phone;
		in.home_area_code = g->township_codes[t];
		in.insurance = yl_rng_chance(&g->rng, 0.2) ? "employee" : "resident";
		in.tags = sample_tags(&g->rng, age, female);
		err = yl_resident_create(g->c, &in, &out);
		if (err)
			break;
		g->resident_ids[r->residents] = out.id;
		g->res_township[r->residents] = (uint8_t)t;
		g->res_age[r->residents] = (uint8_t)(age > 255 ? 255 : age);
		g->res_tags[r->residents] = (uint8_t)(in.tags & YL_TAG_STORED_MASK);
		r->residents++;
		/* key populations sign about twice as often as others */
		p = (age >= 65 || age <= 6 || (in.tags & (YL_TAG_HYPERTENSION | YL_TAG_DIABETES |
							     YL_TAG_PREGNANT | YL_TAG_DISABLED |
							     YL_TAG_LOW_INCOME)))
			    ? 0.62
			    : 0.24;
		if (yl_rng_chance(&g->rng, p))
			err = sign(g, out.id, t, g->today - (int32_t)yl_rng_below(&g->rng, 420),
				   &g->res_signed[r->residents - 1]);
		if (i % 20000 == 0 || i + 1 == n)
			progress(g, "\rdemo: residents %lld / %lld", (long long)(i + 1), (long long)n);
		yl_arena_release(g->c->arena);
	}
	progress(g, "\n");
	free(g->seq_m);
	free(g->seq_f);
	return err;
}

enum yl_err yl_demo_county(const struct yl_ctx *c, const struct yl_demo_opts *o,
			   struct yl_demo_result *r)
{
	struct gen g;
	enum yl_err err;

	memset(r, 0, sizeof(*r));
	memset(&g, 0, sizeof(g));
	if (o->townships < 1 || o->townships > MAX_TOWNSHIPS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "townships", "townships must be 1-%d",
				   MAX_TOWNSHIPS);
	g.c = c;
	g.o = o;
	g.r = r;
	if (o->days < 0 || o->days > YL_DEMO_MAX_DAYS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "days", "days must be 0-%d",
				   YL_DEMO_MAX_DAYS);
	g.today = yl_clock_today(c->clock);
	yl_rng_seed(&g.rng, o->seed);
	g.clinics = calloc((size_t)o->townships * (size_t)o->villages + 1, sizeof(*g.clinics));
	if (!g.clinics)
		abort();
	progress(&g, "demo: registry of %d townships, %d village clinics each\n", o->townships,
		 o->villages);
	if ((err = area(&g, PROVINCE, "贵州省")) || (err = area(&g, CITY, "遵义市")) ||
	    (err = area(&g, COUNTY, "习水县")) || (err = hospitals(&g)) ||
	    (err = townships(&g)) || (err = consortia(&g)) || (err = schedules(&g)) ||
	    (err = residents(&g)))
		goto done;
	{
		struct yl_demo_world w = {0};

		w.tertiary_id = r->tertiary_id;
		w.secondary_id = r->secondary_id;
		w.tcm_id = g.tcm_id;
		w.mch_id = g.mch_id;
		memcpy(w.hospital_depts, g.hospital_depts, sizeof(w.hospital_depts));
		w.tcm_dept = g.tcm_dept;
		w.mch_dept = g.mch_dept;
		w.townships = o->townships;
		w.villages = o->villages;
		w.centres = g.centres;
		w.centre_depts = g.centre_depts;
		w.clinics = g.clinics;
		w.nresidents = r->residents;
		w.resident_ids = g.resident_ids;
		w.township = g.res_township;
		w.age = g.res_age;
		w.tags = g.res_tags;
		w.is_signed = g.res_signed;
		err = yl_demo_activity(c, &w, o->days, o->seed, o->progress, &r->activity);
	}
done:
	free(g.clinics);
	free(g.resident_ids);
	free(g.res_township);
	free(g.res_age);
	free(g.res_tags);
	free(g.res_signed);
	return err;
}
