/* people.c - residents as the simulator meets them: who falls ill today (sampled by id with
 * a weight for age and chronic conditions, from the sampling index: 5 bytes a resident),
 * what contract they hold, and the contracting year (renewals
 * of contracts ending today, and signing campaigns that work towards the policy's target).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/contract.h"
#include "domain/population.h"
#include "domain/resident.h"
#include "domain/schedule.h"
#include "sim/sim_int.h"

/* Visit and admission weights by age (relative; docs/simulation.md): young children and the
 * elderly go more often, chronic patients more still; admissions weigh the elderly and
 * pregnant women most. The maxima bound the rejection sampling. */
#define OUT_WMAX 4.4
#define IN_WMAX 4.8

static double weight(const struct sim_person *p, bool inpatient)
{
	double chronic = ((p->tags & YL_TAG_HYPERTENSION) ? 0.6 : 0) +
			 ((p->tags & YL_TAG_DIABETES) ? 0.6 : 0);
	int a = p->age;

	if (!inpatient)
		return (a <= 6 ? 1.6 : a < 18 ? 0.6 : a < 45 ? 0.7 : a < 65 ? 1.1 : 2.0) *
		       (1 + chronic);
	return (a <= 6 ? 1.0 : a < 18 ? 0.3 : a < 45 ? 0.6 : a < 65 ? 1.0 : 3.0) *
	       ((p->tags & YL_TAG_PREGNANT) ? 4 : 1) * (1 + chronic / 2);
}

/* Days from 1970-01-01 to 1900-01-01: the sampling index keeps birth days after the latter
 * in 16 bits (to 2079). */
#define BIRTH_BASE (-25567)

/* Sets SIM_HELD for every resident with a contract row, whatever its status. */
static enum yl_err mark_held(struct sim *s)
{
	struct sim_world *w = &s->w;
	struct yl_contract_filter f = {0};
	struct yl_contract *k;
	bool more = true;
	int n;
	enum yl_err err;

	f.expiring_within = -1;
	f.limit = 1000;
	while (more) {
		if ((err = yl_contract_list(&s->c, &f, &k, &n, &more)))
			return err;
		for (int i = 0; i < n; i++) {
			f.after = k[i].id;
			if (k[i].resident_id > 0 && k[i].resident_id <= w->max_resident_id)
				w->flags[k[i].resident_id] |= SIM_HELD;
		}
		yl_arena_release(s->c.arena);
	}
	return YL_OK;
}

enum yl_err sim_people_index(struct sim *s)
{
	struct sim_world *w = &s->w;
	struct yl_resident_filter f = {0};
	struct yl_resident *r;
	size_t n = (size_t)w->max_resident_id + 1;
	bool more = true;
	int got;
	enum yl_err err;

	w->birth = calloc(n, sizeof(*w->birth));
	w->flags = calloc(n, sizeof(*w->flags));
	w->township = calloc(n, sizeof(*w->township));
	if (w->ntownships > UINT16_MAX)
		return yl_diag_set(s->c.diag, YL_ERR_INVALID, "db",
				   "%d townships: the sampling index holds at most %d",
				   w->ntownships, UINT16_MAX);
	if (!w->birth || !w->flags || !w->township)
		return yl_diag_set(s->c.diag, YL_ERR_NOMEM, NULL,
				   "out of memory for the sampling index of %lld residents",
				   (long long)w->max_resident_id);
	f.limit = 1000;
	while (more) {
		if ((err = yl_resident_list(&s->c, &f, &r, &got, &more)))
			return err;
		for (int i = 0; i < got; i++) {
			int32_t b;
			int t = sim_township_find(w, r[i].home_area_code);
			bool fits;
			f.after = r[i].id;
			if (r[i].id > w->max_resident_id || !yl_date_parse(r[i].birth_date, &b) || t < 0)
				continue;
			w->township[r[i].id] = (uint16_t)t;
			fits = b >= BIRTH_BASE && b - BIRTH_BASE <= UINT16_MAX;
			w->birth[r[i].id] = fits ? (uint16_t)(b - BIRTH_BASE) : 0;
			w->flags[r[i].id] = (uint8_t)(SIM_KNOWN | (fits ? 0 : SIM_READ) |
						      (r[i].tags & YL_TAG_STORED_MASK));
		}
		yl_arena_release(s->c.arena);
	}
	return mark_held(s);
}

/* An indexed resident as the registry gives them on day today (yl_resident_get's age and
 * tags). */
static void resident_of(const struct sim_world *w, int64_t id, int32_t today,
			struct sim_person *out)
{
	int32_t b = (int32_t)w->birth[id] + BIRTH_BASE;

	memset(out, 0, sizeof(*out));
	out->id = id;
	out->age = yl_age_on(b, today);
	out->tags = (w->flags[id] & YL_TAG_STORED_MASK) | yl_tag_derived(b, today);
	out->township = w->township[id];
}

bool sim_person_indexed(const struct sim_world *w, int64_t id, int32_t today,
			struct sim_person *out)
{
	if (id < 1 || id > w->max_resident_id || !(w->flags[id] & SIM_KNOWN) ||
	    (w->flags[id] & SIM_READ))
		return false;
	resident_of(w, id, today, out);
	return true;
}

static enum yl_err load_resident(const struct yl_ctx *c, const struct sim_world *w, int64_t id,
				 struct sim_person *out)
{
	struct yl_resident r;
	enum yl_err err = yl_resident_get(c, id, &r);

	memset(out, 0, sizeof(*out));
	if (err)
		return err;
	out->id = r.id;
	out->age = r.age;
	out->tags = r.tags;
	out->township = sim_township_find(w, r.home_area_code);
	return YL_OK;
}

/* Resident id as a draw sees them: from the index or, for one whose birth day it cannot
 * hold, from the registry. *known false when neither knows them in a township of the
 * region. */
static enum yl_err draw_one(const struct yl_ctx *c, const struct sim_world *w, int32_t today,
			    int64_t id, struct sim_person *q, bool *known)
{
	enum yl_err err;

	*known = false;
	if (!(w->flags[id] & SIM_KNOWN))
		return YL_OK;
	if (!(w->flags[id] & SIM_READ)) {
		resident_of(w, id, today, q);
		*known = true;
		return YL_OK;
	}
	err = load_resident(c, w, id, q);
	if (err == YL_ERR_NOT_FOUND) {
		yl_diag_clear(c->diag);
		return YL_OK;
	}
	*known = !err && q->township >= 0;
	return err;
}

static enum yl_err load_contract(const struct yl_ctx *c, const struct sim_world *w,
				 struct sim_person *p)
{
	struct yl_contract_combo k;
	enum yl_err err;

	p->is_signed = false;
	if (p->id <= w->max_resident_id && !(w->flags[p->id] & SIM_HELD))
		return YL_OK;
	err = yl_contract_combo_current(c, p->id, &k, &p->is_signed);

	if (!err && p->is_signed) {
		p->team_inst = k.team_institution_id;
		p->secondary_id = k.secondary_id;
		p->tertiary_id = k.tertiary_id;
	}
	return err;
}

enum yl_err sim_person_load(struct sim *s, int64_t id, struct sim_person *out)
{
	enum yl_err err = load_resident(&s->c, &s->w, id, out);

	return err ? err : load_contract(&s->c, &s->w, out);
}

enum yl_err sim_person_pick(struct sim *s, bool inpatient, struct sim_person *out)
{
	double wmax = inpatient ? IN_WMAX : OUT_WMAX;
	int32_t today = yl_clock_today(s->c.clock);
	enum yl_err err;
	bool known;

	/* The draws and their outcomes are those of reading every drawn resident: the index
	 * holds what the registry says of them (residents are not registered or edited during a
	 * run); only the accepted one's contract is read. */
	for (;;) {
		int64_t id = 1 + (int64_t)yl_rng_below(&s->rng, (uint64_t)s->w.max_resident_id);
		double u = yl_rng_unit(&s->rng);

		if ((err = draw_one(&s->c, &s->w, today, id, out, &known)))
			return err;
		if (known && u * wmax < weight(out, inpatient))
			return load_contract(&s->c, &s->w, out);
	}
}

static bool key_population(const struct sim_person *p)
{
	return (p->tags & (YL_TAG_ELDERLY | YL_TAG_CHILD | YL_TAG_HYPERTENSION | YL_TAG_DIABETES |
			   YL_TAG_PREGNANT | YL_TAG_DISABLED | YL_TAG_LOW_INCOME)) != 0;
}

/* Signs p with a team of their township (the next team when one is full), their county
 * hospital and their city's group hospital. *done false when every team is full. */
static enum yl_err sign(struct sim *s, const struct sim_person *p, bool *done)
{
	const struct sim_township *t = &s->w.townships[p->township];
	const struct sim_county *k = &s->w.counties[t->county];
	const struct sim_city *cy = &s->w.cities[k->city];
	struct yl_contract_sign in = {0};
	enum yl_err err = YL_ERR_CAPACITY;

	*done = false;
	if (t->nteams == 0 || k->hosp < 0 || cy->lead < 0)
		return YL_OK;
	in.resident_id = p->id;
	in.secondary_id = s->w.hosps[k->hosp].id;
	in.tertiary_id = s->w.hosps[cy->lead].id;
	for (int i = 0; i < t->nteams && err == YL_ERR_CAPACITY; i++) {
		in.team_id = t->teams[(p->id + i) % t->nteams];
		err = yl_contract_sign(&s->c, &in, NULL);
		if (err == YL_ERR_CAPACITY)
			yl_diag_clear(s->c.diag);
	}
	if (err == YL_ERR_CAPACITY)
		return YL_OK;
	*done = err == YL_OK;
	return err;
}

/* Contracts whose last day is today: renewed (from tomorrow, so cover never lapses) with
 * the policy's probability, otherwise left to expire. */
static enum yl_err renewals(struct sim *s)
{
	struct yl_contract_filter f = {0};
	struct yl_contract *k;
	bool more = true;
	int n;
	enum yl_err err;

	f.expiring_within = 0;
	f.limit = 1000;
	while (more) {
		if ((err = yl_contract_list(&s->c, &f, &k, &n, &more)))
			return err;
		for (int i = 0; i < n; i++) {
			f.after = k[i].id;
			if (!yl_rng_chance(&s->rng, s->p->renewal)) {
				s->st->lapsed++;
				s->signed_now--;
				continue;
			}
			err = yl_contract_renew(&s->c, k[i].id, 0, NULL);
			if (err == YL_ERR_CAPACITY) {
				yl_diag_clear(s->c.diag);
				s->st->lapsed++;
				s->signed_now--;
				continue;
			}
			if (err)
				return err;
			s->st->renewed++;
		}
		yl_arena_release(s->c.arena);
	}
	return YL_OK;
}

/* Signing campaigns on weekdays: the gap to the target closes over about a quarter. Key
 * populations (65+, 0-6, chronic, pregnant, disabled, low income) are approached first: they
 * accept whenever asked while the others accept a third of the time, which keeps their rate
 * ahead as the policy documents ask. */
static enum yl_err campaign(struct sim *s)
{
	double target = s->p->contract_target * (double)s->w.nresidents;
	int64_t want, tries;
	enum yl_err err;

	if (yl_iso_weekday(s->day) > 5 || (double)s->signed_now >= target)
		return YL_OK;
	want = (int64_t)ceil((target - (double)s->signed_now) / 90.0);
	tries = want * 6;
	for (int64_t i = 0; want > 0 && i < tries; i++) {
		struct sim_person p;
		int64_t id = 1 + (int64_t)yl_rng_below(&s->rng, (uint64_t)s->w.max_resident_id);
		double accept;
		bool done;

		bool known;

		yl_arena_release(s->c.arena); /* what the last try loaded, whichever way it ended */
		if ((err = draw_one(&s->c, &s->w, s->day, id, &p, &known)))
			return err;
		if (!known)
			continue;
		/* asked first, then whether they already hold a contract */
		accept = key_population(&p) ? s->p->key_target : s->p->key_target / 3;
		if (!yl_rng_chance(&s->rng, accept))
			continue;
		if ((err = load_contract(&s->c, &s->w, &p)))
			return err;
		if (p.is_signed)
			continue;
		if ((err = sign(s, &p, &done)))
			return err;
		if (done) {
			s->w.flags[p.id] |= SIM_HELD;
			s->st->signed_new++;
			s->signed_now++;
			want--;
		}
	}
	return YL_OK;
}

enum yl_err sim_contracting(struct sim *s)
{
	enum yl_err err;

	/* after the day's visits (08:00-17:00), so that the moment a contract is signed comes
	 * after every visit recorded before it: a visit counts as a signed resident's only if
	 * the contract existed when it was recorded (measure.h) */
	sim_at(s, s->day, 17 * 60 + 45);
	if ((err = renewals(s)))
		return err;
	return campaign(s);
}
