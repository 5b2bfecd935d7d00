/* region.c - the registry half of `yilian sim generate`'s region generator: the Guizhou
 * geography table, areas, city and county hospitals, township centres and village clinics,
 * departments, practitioners, family-doctor teams, consortia and weekly schedule templates,
 * every record through the domain functions. Residents and their
 * contracts are streamed by region_people.c. The shape and its naming conventions are
 * documented in region.h; this file does not generate sessions or activity.
 */
#include "sim/region.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/names.h"
#include "domain/area.h"
#include "domain/consortium.h"
#include "domain/department.h"
#include "domain/institution.h"
#include "domain/practitioner.h"
#include "domain/schedule.h"
#include "domain/team.h"
#include "sim/region_int.h"

#define PROVINCE "520000"

/* Guizhou's prefecture-level divisions (GB/T 2260 codes and names, as recalled; 2021
 * boundaries). The H01 names are the real prefecture hospitals as far as recalled; the H02
 * names are real for 遵义, 贵阳 and 黔东南 and plausible elsewhere. */
static const struct city {
	const char *code, *name, *lead, *other;
} CITIES[] = {
	{"520300", "遵义市", "遵义市第一人民医院", "遵义医科大学附属医院"},
	{"520100", "贵阳市", "贵阳市第一人民医院", "贵州医科大学附属医院"},
	{"520200", "六盘水市", "六盘水市人民医院", "六盘水市第二人民医院"},
	{"520400", "安顺市", "安顺市人民医院", "安顺市第二人民医院"},
	{"520500", "毕节市", "毕节市第一人民医院", "毕节市第二人民医院"},
	{"520600", "铜仁市", "铜仁市人民医院", "铜仁市第二人民医院"},
	{"522300", "黔西南布依族苗族自治州", "黔西南州人民医院", "黔西南州第二人民医院"},
	{"522600", "黔东南苗族侗族自治州", "黔东南州人民医院", "贵州医科大学第二附属医院"},
	{"522700", "黔南布依族苗族自治州", "黔南州人民医院", "黔南州第二人民医院"},
};
enum { NCITIES = sizeof(CITIES) / sizeof(CITIES[0]), HOSPITAL_DEPTS = 6 };

/* Guizhou's 88 county-level divisions in generation order: 习水县 first (the demo county, so
 * its codes and curl examples keep working), then the rest of 遵义市, then each prefecture
 * in CITIES order. Codes and names are real as recalled (水城区 520204 and 黔西市 520581 are
 * the 2020-2021 conversions of 水城县 and 黔西县); none is invented. */
static const struct county {
	const char *code, *name;
	int city;
} COUNTIES[] = {
	{"520330", "习水县", 0}, {"520302", "红花岗区", 0}, {"520303", "汇川区", 0},
	{"520304", "播州区", 0}, {"520322", "桐梓县", 0}, {"520323", "绥阳县", 0},
	{"520324", "正安县", 0}, {"520325", "道真仡佬族苗族自治县", 0},
	{"520326", "务川仡佬族苗族自治县", 0}, {"520327", "凤冈县", 0}, {"520328", "湄潭县", 0},
	{"520329", "余庆县", 0}, {"520381", "赤水市", 0}, {"520382", "仁怀市", 0},
	{"520102", "南明区", 1}, {"520103", "云岩区", 1}, {"520111", "花溪区", 1},
	{"520112", "乌当区", 1}, {"520113", "白云区", 1}, {"520115", "观山湖区", 1},
	{"520121", "开阳县", 1}, {"520122", "息烽县", 1}, {"520123", "修文县", 1},
	{"520181", "清镇市", 1},
	{"520201", "钟山区", 2}, {"520203", "六枝特区", 2}, {"520204", "水城区", 2},
	{"520281", "盘州市", 2},
	{"520402", "西秀区", 3}, {"520403", "平坝区", 3}, {"520422", "普定县", 3},
	{"520423", "镇宁布依族苗族自治县", 3}, {"520424", "关岭布依族苗族自治县", 3},
	{"520425", "紫云苗族布依族自治县", 3},
	{"520502", "七星关区", 4}, {"520521", "大方县", 4}, {"520523", "金沙县", 4},
	{"520524", "织金县", 4}, {"520525", "纳雍县", 4}, {"520526", "威宁彝族回族苗族自治县", 4},
	{"520527", "赫章县", 4}, {"520581", "黔西市", 4},
	{"520602", "碧江区", 5}, {"520603", "万山区", 5}, {"520621", "江口县", 5},
	{"520622", "玉屏侗族自治县", 5}, {"520623", "石阡县", 5}, {"520624", "思南县", 5},
	{"520625", "印江土家族苗族自治县", 5}, {"520626", "德江县", 5},
	{"520627", "沿河土家族自治县", 5}, {"520628", "松桃苗族自治县", 5},
	{"522301", "兴义市", 6}, {"522302", "兴仁市", 6}, {"522323", "普安县", 6},
	{"522324", "晴隆县", 6}, {"522325", "贞丰县", 6}, {"522326", "望谟县", 6},
	{"522327", "册亨县", 6}, {"522328", "安龙县", 6},
	{"522601", "凯里市", 7}, {"522622", "黄平县", 7}, {"522623", "施秉县", 7},
	{"522624", "三穗县", 7}, {"522625", "镇远县", 7}, {"522626", "岑巩县", 7},
	{"522627", "天柱县", 7}, {"522628", "锦屏县", 7}, {"522629", "剑河县", 7},
	{"522630", "台江县", 7}, {"522631", "黎平县", 7}, {"522632", "榕江县", 7},
	{"522633", "从江县", 7}, {"522634", "雷山县", 7}, {"522635", "麻江县", 7},
	{"522636", "丹寨县", 7},
	{"522701", "都匀市", 8}, {"522702", "福泉市", 8}, {"522722", "荔波县", 8},
	{"522723", "贵定县", 8}, {"522725", "瓮安县", 8}, {"522726", "独山县", 8},
	{"522727", "平塘县", 8}, {"522728", "罗甸县", 8}, {"522729", "长顺县", 8},
	{"522730", "龙里县", 8}, {"522731", "惠水县", 8}, {"522732", "三都水族自治县", 8},
};

static_assert(sizeof(COUNTIES) / sizeof(COUNTIES[0]) == YL_SIM_MAX_COUNTIES,
	      "one table entry per county-level division");

/* The general hospital's departments (诊疗科目 category codes); 急诊医学科 runs no
 * booked sessions (emergencies walk in). */
static const struct dept {
	const char *name, *cat;
	bool clinic;
} HOSPITAL[HOSPITAL_DEPTS] = {
	{"内科", "03", true},      {"外科", "04", true},  {"妇产科", "05", true},
	{"儿科", "07", true},      {"急诊医学科", "20", false}, {"全科医疗科", "02", true},
};

/* Registry state that only this file needs: departments that get templates, and the chiefs
 * of each city's H01 who also practise at the county hospitals. */
struct registry {
	struct region_gen *g;
	int64_t *clinic;   /* department ids with templates; growable */
	bool *hospital;    /* per clinic entry: hospital (6 places) or centre (4) */
	int nclinic, capclinic;
	int64_t specialists[NCITIES][HOSPITAL_DEPTS];
};

void yl_sim_region_opts_init(struct yl_sim_region_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->counties = 1;
	o->residents = 300000;
	o->townships = 20;
	o->villages = 10;
	o->seed = 1;
}

void yl_sim_region_progress(struct region_gen *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->o->progress)
		return;
	va_start(ap, fmt);
	vfprintf(g->o->progress, fmt, ap);
	va_end(ap);
	fflush(g->o->progress);
}

static void add_clinic(struct registry *reg, int64_t dept, bool hospital)
{
	if (reg->nclinic == reg->capclinic) {
		int cap = reg->capclinic ? reg->capclinic * 2 : 64;
		int64_t *c = realloc(reg->clinic, (size_t)cap * sizeof(*c));
		bool *h = realloc(reg->hospital, (size_t)cap * sizeof(*h));

		if (!c || !h)
			abort(); /* as the arena: running out of memory is not a business error */
		reg->clinic = c;
		reg->hospital = h;
		reg->capclinic = cap;
	}
	reg->clinic[reg->nclinic] = dept;
	reg->hospital[reg->nclinic++] = hospital;
}

static enum yl_err area(struct region_gen *g, const char *code, const char *name)
{
	struct yl_area a = {code, name, NULL, NULL, 0};
	enum yl_err err = yl_area_create(g->c, &a, NULL);

	if (!err)
		g->r->areas++;
	return err;
}

static enum yl_err institution(struct region_gen *g, const char *code, const char *name,
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

static enum yl_err department(struct region_gen *g, int64_t inst, const char *name,
			      const char *cat, int64_t *id)
{
	struct yl_department in = {0, inst, name, cat, 0}, out;
	enum yl_err err = yl_department_create(g->c, &in, &out);

	if (!err) {
		g->r->departments++;
		*id = out.id;
	}
	return err;
}

static enum yl_err practitioner(struct region_gen *g, int64_t inst, int64_t dept,
				const char *title, bool gp, int64_t *id)
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

/* A department with n practitioners (the first a chief physician, whose id goes to *chief
 * when asked); a clinic department also gets schedule templates later. */
static enum yl_err staffed(struct registry *reg, int64_t inst, const char *name, const char *cat,
			   int n, bool clinic, bool hospital, int64_t *chief)
{
	int64_t dept, doc;
	enum yl_err err = department(reg->g, inst, name, cat, &dept);

	for (int k = 0; !err && k < n; k++) {
		const char *title = k == 0 ? "chief_physician" : "attending_physician";

		err = practitioner(reg->g, inst, dept, title, false, &doc);
		if (!err && k == 0 && chief)
			*chief = doc;
	}
	if (!err && clinic)
		add_clinic(reg, dept, hospital);
	return err;
}

/* A general hospital with the six departments of HOSPITAL, n practitioners each. */
static enum yl_err general_hospital(struct registry *reg, int64_t inst, int n, int64_t *chiefs)
{
	enum yl_err err = YL_OK;

	for (int i = 0; !err && i < HOSPITAL_DEPTS; i++)
		err = staffed(reg, inst, HOSPITAL[i].name, HOSPITAL[i].cat, n, HOSPITAL[i].clinic,
			      true, chiefs ? &chiefs[i] : NULL);
	return err;
}

/* The two tertiary hospitals of city ci: H01 leads the city group, H02 stays outside it. */
static enum yl_err city_hospitals(struct registry *reg, int ci)
{
	struct region_gen *g = reg->g;
	const struct city *city = &CITIES[ci];
	char code[32];
	int64_t other;
	enum yl_err err;

	snprintf(code, sizeof(code), "%s-H01", city->code);
	err = institution(g, code, city->lead, "tertiary", "general", city->code, 2000, 0,
			  &g->city_lead[ci]);
	if (!err)
		err = general_hospital(reg, g->city_lead[ci], 6, reg->specialists[ci]);
	if (!err) {
		snprintf(code, sizeof(code), "%s-H02", city->code);
		err = institution(g, code, city->other, "tertiary", "general", city->code, 1500, 0,
				  &other);
	}
	if (!err)
		err = general_hospital(reg, other, 6, NULL);
	if (!err && !g->r->first_tertiary_id)
		g->r->first_tertiary_id = g->city_lead[ci];
	return err;
}

/* One township: its area, centre with two departments, four teams and the village clinics. */
static enum yl_err township(struct registry *reg, int k, int t)
{
	struct region_gen *g = reg->g;
	struct region_county *rc = &g->counties[k];
	const char *stem = yl_name_township(k * g->o->townships + t);
	char code[16], name[64], icode[32], iname[128];
	int64_t centre, gp_dept, nurse_dept, clinic;
	enum yl_err err;

	snprintf(code, sizeof(code), "%s%03d", rc->code, t + 1);
	memcpy(rc->townships[t], code, 10);
	snprintf(name, sizeof(name), "%s镇", stem);
	snprintf(icode, sizeof(icode), "%s-C%02d", rc->code, t + 1);
	snprintf(iname, sizeof(iname), "%s镇卫生院", stem);
	if ((err = area(g, code, name)) ||
	    (err = institution(g, icode, iname, "primary", "general", code, 30, 0, &centre)) ||
	    (err = department(g, centre, "全科医疗科", "02", &gp_dept)) ||
	    (err = department(g, centre, "预防保健科", "01", &nurse_dept)))
		return err;
	rc->centres[t] = centre;
	add_clinic(reg, gp_dept, false);
	if (!g->r->first_centre_id)
		g->r->first_centre_id = centre;
	for (int m = 0; !err && m < YL_SIM_TEAMS_PER_CENTRE; m++) {
		int64_t gp, nurse, members[2];
		char tname[128];
		struct yl_team team = {0}, out;

		if ((err = practitioner(g, centre, gp_dept, "attending_physician", true, &gp)) ||
		    (err = practitioner(g, centre, nurse_dept, "nurse", false, &nurse)))
			return err;
		snprintf(tname, sizeof(tname), "%s家庭医生团队%d", stem, m + 1);
		members[0] = gp;
		members[1] = nurse;
		team.name = tname;
		team.institution_id = centre;
		team.leader_id = gp;
		team.member_ids = members;
		team.nmember_ids = 2;
		err = yl_team_create(g->c, &team, &out);
		if (!err) {
			rc->teams[t][m] = out.id;
			g->r->teams++;
		}
	}
	for (int v = 0; !err && v < g->o->villages; v++) {
		snprintf(icode, sizeof(icode), "%s-C%02d-V%02d", rc->code, t + 1, v + 1);
		snprintf(iname, sizeof(iname), "%s镇%s村卫生室", stem,
			 yl_name_village(t * g->o->villages + v));
		err = institution(g, icode, iname, "village", "general", code, 0, centre, &clinic);
		if (!err)
			err = practitioner(g, clinic, 0, "village_doctor", false, NULL);
	}
	return err;
}

/* County k: its three hospitals, then its townships. */
static enum yl_err county(struct registry *reg, int k)
{
	struct region_gen *g = reg->g;
	struct region_county *rc = &g->counties[k];
	const char *cname = COUNTIES[k].name;
	char code[32], name[128];
	enum yl_err err;

	snprintf(code, sizeof(code), "%s-H01", rc->code);
	snprintf(name, sizeof(name), "%s人民医院", cname);
	err = institution(g, code, name, "secondary", "general", rc->code, 600, 0,
			  &rc->hospital_id);
	if (!err)
		err = general_hospital(reg, rc->hospital_id, 3, NULL);
	if (!err) {
		snprintf(code, sizeof(code), "%s-H02", rc->code);
		snprintf(name, sizeof(name), "%s中医医院", cname);
		err = institution(g, code, name, "secondary", "tcm", rc->code, 300, 0, &rc->tcm_id);
	}
	if (!err)
		err = staffed(reg, rc->tcm_id, "中医科", "50", 2, true, true, NULL);
	if (!err) {
		snprintf(code, sizeof(code), "%s-H03", rc->code);
		snprintf(name, sizeof(name), "%s妇幼保健院", cname);
		err = institution(g, code, name, "secondary", "maternal_child", rc->code, 150, 0,
				  &rc->mch_id);
	}
	if (!err)
		err = staffed(reg, rc->mch_id, "妇女保健科", "01", 2, true, true, NULL);
	if (!err)
		err = staffed(reg, rc->mch_id, "儿科", "07", 2, true, true, NULL);
	if (!err && !g->r->first_secondary_id)
		g->r->first_secondary_id = rc->hospital_id;
	for (int t = 0; !err && t < g->o->townships; t++)
		err = township(reg, k, t);
	return err;
}

/* Areas and institutions: the province, then per county its city (first time), the county
 * and, for a new city, the city's hospitals before the county's. */
static enum yl_err registry(struct registry *reg)
{
	struct region_gen *g = reg->g;
	enum yl_err err = area(g, PROVINCE, "贵州省");

	for (int k = 0; !err && k < g->o->counties; k++) {
		int ci = COUNTIES[k].city;

		if (!g->city_lead[ci]) {
			if ((err = area(g, CITIES[ci].code, CITIES[ci].name)) ||
			    (err = city_hospitals(reg, ci)))
				break;
		}
		g->counties[k].code = COUNTIES[k].code;
		g->counties[k].city = ci;
		if ((err = area(g, COUNTIES[k].code, COUNTIES[k].name)) || (err = county(reg, k)))
			break;
		yl_sim_region_progress(g, "sim: county %s %s: %d townships, %d village clinics"
				       " each\n", COUNTIES[k].code, COUNTIES[k].name,
				       g->o->townships, g->o->villages);
		yl_arena_release(g->c->arena);
	}
	return err;
}

/* The county communities, then the city groups, then the city specialists' practice sites
 * at the county hospitals of their group (医联体内流动执业, 专家下沉). */
static enum yl_err consortia(struct registry *reg)
{
	struct region_gen *g = reg->g;
	int64_t members[2 + YL_SIM_MAX_TOWNSHIPS];
	char code[32], name[160];
	enum yl_err err = YL_OK;

	for (int k = 0; !err && k < g->o->counties; k++) {
		struct region_county *rc = &g->counties[k];
		struct yl_consortium cc = {0};
		int n = 0;

		members[n++] = rc->tcm_id;
		members[n++] = rc->mch_id;
		for (int t = 0; t < g->o->townships; t++)
			members[n++] = rc->centres[t];
		snprintf(code, sizeof(code), "%s-YGT", rc->code);
		snprintf(name, sizeof(name), "%s紧密型县域医疗卫生共同体", COUNTIES[k].name);
		cc.code = code;
		cc.name = name;
		cc.kind = "county_community";
		cc.lead_institution_id = rc->hospital_id;
		cc.area_code = rc->code;
		cc.member_ids = members;
		cc.n_members = n;
		err = yl_consortium_create(g->c, &cc, NULL);
		if (!err)
			g->r->consortia++;
	}
	for (int ci = 0; !err && ci < NCITIES; ci++) {
		struct yl_consortium cg = {0};
		int n = 0;

		if (!g->city_lead[ci])
			continue;
		for (int k = 0; k < g->o->counties; k++)
			if (g->counties[k].city == ci)
				members[n++] = g->counties[k].hospital_id;
		snprintf(code, sizeof(code), "%s-YLJT", CITIES[ci].code);
		snprintf(name, sizeof(name), "%s城市医疗集团", CITIES[ci].lead);
		cg.code = code;
		cg.name = name;
		cg.kind = "city_group";
		cg.lead_institution_id = g->city_lead[ci];
		cg.area_code = CITIES[ci].code;
		cg.member_ids = members;
		cg.n_members = n;
		err = yl_consortium_create(g->c, &cg, NULL);
		if (!err)
			g->r->consortia++;
		for (int k = 0; !err && k < g->o->counties; k++) {
			if (g->counties[k].city != ci)
				continue;
			for (int i = 0; !err && i < HOSPITAL_DEPTS; i++)
				err = yl_practitioner_add_site(g->c, reg->specialists[ci][i],
							       g->counties[k].hospital_id, NULL);
		}
		yl_arena_release(g->c->arena);
	}
	return err;
}

/* Places of a 6-place hospital slot reserved for a share (round half away from zero). */
static int64_t places(double share)
{
	return (int64_t)lround(6.0 * share);
}

/* Weekday templates for every clinic department (region.h); no sessions. */
static enum yl_err templates(struct registry *reg)
{
	static const char *const starts[] = {"08:00", "14:00"}, *const ends[] = {"12:00", "17:30"};
	struct region_gen *g = reg->g;
	char from[YL_DATE_LEN];
	enum yl_err err = YL_OK;

	yl_date_format(g->today, from);
	for (int i = 0; !err && i < reg->nclinic; i++) {
		for (int day = 1; !err && day <= 5; day++) {
			for (int half = 0; !err && half < 2; half++) {
				struct yl_schedule_template t = {0};

				t.department_id = reg->clinic[i];
				t.weekday = day;
				t.start_time = starts[half];
				t.end_time = ends[half];
				t.slot_minutes = 30;
				t.capacity = reg->hospital[i] ? 6 : 4;
				t.quota_family_doctor = reg->hospital[i] ? g->quota_fd : 0;
				t.quota_referral = reg->hospital[i] ? g->quota_referral : 0;
				t.valid_from = from;
				t.active = true;
				err = yl_schedule_template_create(g->c, &t, NULL);
				if (!err)
					g->r->templates++;
			}
		}
		if (i % 64 == 63)
			yl_arena_release(g->c->arena);
	}
	return err;
}

static enum yl_err check_opts(const struct yl_ctx *c, const struct yl_sim_region_opts *o)
{
	const struct yl_sim_policy *p = o->policy;

	if (o->counties < 1 || o->counties > YL_SIM_MAX_COUNTIES)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "counties", "counties must be 1-%d",
				   YL_SIM_MAX_COUNTIES);
	if (o->residents < 0 || o->residents > YL_SIM_MAX_RESIDENTS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "residents", "residents must be 0-%lld",
				   (long long)YL_SIM_MAX_RESIDENTS);
	if (o->townships < 1 || o->townships > YL_SIM_MAX_TOWNSHIPS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "townships", "townships must be 1-%d",
				   YL_SIM_MAX_TOWNSHIPS);
	if (o->villages < 0 || o->villages > YL_SIM_MAX_VILLAGES)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "villages", "villages must be 0-%d",
				   YL_SIM_MAX_VILLAGES);
	if (!p)
		return YL_OK;
	/* only the two quotas are read here (a generator's policy need not set the rest);
	 * !(x >= 0) also catches NaN */
	if (!(p->fd_quota >= 0.0) || p->fd_quota > 1.0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "fd_quota", "fd_quota must be 0-1");
	if (!(p->referral_quota >= 0.0) || p->referral_quota > 1.0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "referral_quota",
				   "referral_quota must be 0-1");
	if (places(p->fd_quota) + places(p->referral_quota) > 6)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "referral_quota",
				   "fd_quota and referral_quota reserve %lld places of a 6-place"
				   " slot",
				   (long long)(places(p->fd_quota) + places(p->referral_quota)));
	return YL_OK;
}

enum yl_err yl_sim_region_generate(const struct yl_ctx *c, const struct yl_sim_region_opts *o,
				   struct yl_sim_region_result *r)
{
	struct yl_sim_region_opts opts;
	struct region_gen g;
	struct registry reg;
	int64_t lead[NCITIES] = {0};
	enum yl_err err;
	bool one_city = true;

	memset(r, 0, sizeof(*r));
	if ((err = check_opts(c, o)))
		return err;
	memset(&g, 0, sizeof(g));
	memset(&reg, 0, sizeof(reg));
	/* copied before the first arena release: the caller's opts and policy may be in it */
	opts = *o;
	opts.policy = NULL;
	g.c = c;
	g.o = &opts;
	g.r = r;
	g.quota_fd = o->policy ? places(o->policy->fd_quota) : 2;
	g.quota_referral = o->policy ? places(o->policy->referral_quota) : 1;
	g.today = yl_clock_today(c->clock);
	g.city_lead = lead;
	yl_rng_seed(&g.rng, o->seed);
	g.counties = calloc((size_t)o->counties, sizeof(*g.counties));
	if (!g.counties)
		abort();
	reg.g = &g;
	for (int k = 1; k < o->counties; k++)
		one_city = one_city && COUNTIES[k].city == COUNTIES[0].city;
	snprintf(r->top_area, sizeof(r->top_area), "%s",
		 one_city ? CITIES[COUNTIES[0].city].code : PROVINCE);
	yl_sim_region_progress(&g, "sim: registry of %d counties, %d townships each\n", o->counties,
			       o->townships);
	if ((err = registry(&reg)))
		goto done;
	yl_sim_region_progress(&g, "sim: consortia\n");
	if ((err = consortia(&reg)))
		goto done;
	yl_sim_region_progress(&g, "sim: schedule templates for %d departments\n", reg.nclinic);
	if ((err = templates(&reg)))
		goto done;
	err = yl_sim_region_people(&g);
done:
	free(reg.clinic);
	free(reg.hospital);
	free(g.counties);
	return err;
}
