/* region_people.c - the resident half of the region generator: residents with the 2020
 * census age structure and China's chronic-disease prevalence (the figures of
 * docs/simulation.md), valid GB 11643 ID numbers, and initial "1+1+1"
 * contracts signed over the past 420 days, some renewed today. It streams: one resident is
 * created, maybe signed, and the arena released before the next, so memory holds only a
 * per-birth-date ID sequence of the county at hand, never an entry per resident.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/codes.h"
#include "sim/names.h"
#include "domain/contract.h"
#include "domain/population.h"
#include "domain/resident.h"
#include "sim/region_int.h"

/* Births span 96 years of 366 days back from today (the oldest sampled age is 94). */
enum { BIRTH_SPAN = 96 * 366, PROGRESS_EVERY = 20000 };

/* Per county: next ID sequence per birth date, males (odd) and females (even). IDs start
 * with the county code, so a sequence per county keeps them unique across the region. */
struct ids {
	int32_t first_birth;
	uint16_t seq_m[BIRTH_SPAN + 1], seq_f[BIRTH_SPAN + 1];
};

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

/* Hypertension by age band (China Hypertension Survey: about a quarter of adults over the
 * census age shape), diabetes (about a tenth), pregnancy, disability, low income: the rates
 * the demo's county and the simulator share (docs/simulation.md). */
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

/* A fresh valid ID number of county `code` for a birth date and sex. A birth date whose 500
 * sequences of that sex are used up (over 20 million residents in one county) moves a day
 * earlier, so the resident count stays exact; false only when no earlier date is left. */
static bool make_id_number(struct ids *ids, const char *code, int32_t birth, bool female,
			   char out[19])
{
	char date[YL_DATE_LEN];

	for (; birth >= ids->first_birth; birth--) {
		uint16_t *seq = female ? &ids->seq_f[birth - ids->first_birth]
				       : &ids->seq_m[birth - ids->first_birth];
		int s = *seq * 2 + (female ? 0 : 1);

		if (s > 999)
			continue;
		(*seq)++;
		yl_date_format(birth, date);
		snprintf(out, 19, "%s%.4s%.2s%.2s%03d", code, date, date + 5, date + 8, s);
		out[17] = yl_id_number_check_char(out);
		out[18] = '\0';
		return true;
	}
	return false;
}

/* Signs resident (of township t of county rc) on day `on` at 10:00 Asia/Shanghai with a team
 * of the township, starting at the resident's own team and moving on while a team is full;
 * an expired contract is renewed today with probability 0.7. */
static enum yl_err sign(struct region_gen *g, const struct region_county *rc, int64_t resident,
			int t, int32_t on)
{
	struct yl_clock then;
	struct yl_ctx c = *g->c;
	struct yl_contract_sign s = {0};
	struct yl_contract out;
	enum yl_err err = YL_OK;
	int32_t end;

	yl_clock_fixed(&then, (int64_t)on * 86400 + 2 * 3600);
	c.clock = &then;
	s.resident_id = resident;
	s.secondary_id = rc->hospital_id;
	s.tertiary_id = g->city_lead[rc->city];
	for (int k = 0; k < YL_SIM_TEAMS_PER_CENTRE; k++) {
		s.team_id = rc->teams[t][(resident + k) % YL_SIM_TEAMS_PER_CENTRE];
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
	if (end >= g->today) {
		g->r->active_contracts++;
		return YL_OK;
	}
	if (!yl_rng_chance(&g->rng, 0.7))
		return YL_OK; /* lapsed */
	err = yl_contract_renew(g->c, out.id, 0, NULL);
	if (err == YL_ERR_CAPACITY)
		return YL_OK;
	if (!err) {
		g->r->contracts++;
		g->r->active_contracts++;
	}
	return err;
}

/* One resident of county rc, and maybe a contract. */
static enum yl_err resident(struct region_gen *g, struct ids *ids, const struct region_county *rc)
{
	struct yl_resident in = {0}, out;
	char idn[19], name[64], phone[32];
	bool female = yl_rng_chance(&g->rng, 0.49);
	int age = sample_age(&g->rng);
	int t = (int)yl_rng_below(&g->rng, (uint64_t)g->o->townships);
	int32_t birth = yl_date_add_years(g->today, -age) - (int32_t)yl_rng_below(&g->rng, 365);
	unsigned key = YL_TAG_HYPERTENSION | YL_TAG_DIABETES | YL_TAG_PREGNANT | YL_TAG_DISABLED |
		       YL_TAG_LOW_INCOME;
	enum yl_err err;

	if (birth < ids->first_birth)
		birth = ids->first_birth;
	if (!make_id_number(ids, rc->code, birth, female, idn))
		return yl_diag_set(g->c->diag, YL_ERR_INVALID, "residents",
				   "county %s has no ID number left for a birth date", rc->code);
	yl_name_person(&g->rng, female, name, sizeof(name));
	snprintf(phone, sizeof(phone), "1%02d%08d", 30 + (int)yl_rng_below(&g->rng, 60),
		 (int)yl_rng_below(&g->rng, 100000000));
	in.id_number = idn;
	in.name = name;
	in.phone = phone;
	in.home_area_code = rc->townships[t];
	in.insurance = yl_rng_chance(&g->rng, 0.2) ? "employee" : "resident";
	in.tags = sample_tags(&g->rng, age, female);
	err = yl_resident_create(g->c, &in, &out);
	if (err)
		return err;
	g->r->residents++;
	/* key populations (65+, 0-6, the stored tags) sign about twice as often as others,
	 * about 35 % overall (national family-doctor reports) */
	if (yl_rng_chance(&g->rng, age >= 65 || age <= 6 || (in.tags & key) ? 0.62 : 0.24))
		err = sign(g, rc, out.id, t, g->today - (int32_t)yl_rng_below(&g->rng, 420));
	return err;
}

enum yl_err yl_sim_region_people(struct region_gen *g)
{
	int64_t total = g->o->residents, per = total / g->o->counties, done = 0;
	struct ids *ids = malloc(sizeof(*ids));
	enum yl_err err = YL_OK;

	if (!ids)
		abort();
	ids->first_birth = g->today - BIRTH_SPAN;
	yl_sim_region_progress(g, "sim: %lld residents and their contracts\n", (long long)total);
	for (int k = 0; !err && k < g->o->counties; k++) {
		int64_t n = per + (k == 0 ? total % g->o->counties : 0);

		memset(ids->seq_m, 0, sizeof(ids->seq_m));
		memset(ids->seq_f, 0, sizeof(ids->seq_f));
		for (int64_t i = 0; !err && i < n; i++) {
			err = resident(g, ids, &g->counties[k]);
			yl_arena_release(g->c->arena);
			if (++done % PROGRESS_EVERY == 0 || done == total)
				yl_sim_region_progress(g, "\rsim: residents %lld / %lld",
						       (long long)done, (long long)total);
		}
	}
	if (total)
		yl_sim_region_progress(g, "\n");
	free(ids);
	return err;
}
