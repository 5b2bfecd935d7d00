/* world.c - the region as the simulator sees it, discovered from the registry through the
 * domain's list functions (so a run works on any registry laid out as `sim generate` lays
 * it out: see region.h), the sizing of the hospitals' slots to the expected demand, and the
 * rolling generation of sessions. Memory is per institution and township here; the one
 * per-resident structure is the sampling index (people.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/consortium.h"
#include "domain/department.h"
#include "domain/institution.h"
#include "domain/resident.h"
#include "domain/schedule.h"
#include "domain/signing.h"
#include "domain/signing_stock.h"
#include "domain/slot.h"
#include "domain/team.h"
#include "sim/sim_int.h"

/* Category codes of enum sim_dept (GB/T 诊疗科目): 内科 外科 妇产科 儿科 急诊医学科 全科医疗科
 * 中医科 妇女保健科. */
static const char *const DEPT_CODES[NDEPTS] = {"03", "04", "05", "07", "20", "02", "50", "01"};

/* Share of hospital outpatient visits by department, for sizing slots (the diagnosis mix of
 * care.c, rounded: an assumption). */
static const double DEPT_SHARE[NDEPTS] = {0.50, 0.15, 0.08, 0.12, 0, 0.15, 0, 0};

static void *grow(void *p, int n, size_t size)
{
	/* doubling at powers of two */
	if (n == 0 || (n & (n - 1)) == 0) {
		p = realloc(p, (size_t)(n ? n * 2 : 8) * size);
		if (!p)
			abort();
	}
	return p;
}

static int city_of(struct sim_world *w, const char *area)
{
	char code[8];

	snprintf(code, sizeof(code), "%.4s00", area);
	for (int i = 0; i < w->ncities; i++)
		if (strcmp(w->cities[i].code, code) == 0)
			return i;
	w->cities = grow(w->cities, w->ncities, sizeof(*w->cities));
	memset(&w->cities[w->ncities], 0, sizeof(w->cities[0]));
	memcpy(w->cities[w->ncities].code, code, sizeof(code));
	w->cities[w->ncities].lead = w->cities[w->ncities].other = -1;
	return w->ncities++;
}

static int county_of(struct sim_world *w, const char *area)
{
	char code[8];

	snprintf(code, sizeof(code), "%.6s", area);
	for (int i = 0; i < w->ncounties; i++)
		if (strcmp(w->counties[i].code, code) == 0)
			return i;
	w->counties = grow(w->counties, w->ncounties, sizeof(*w->counties));
	memset(&w->counties[w->ncounties], 0, sizeof(w->counties[0]));
	memcpy(w->counties[w->ncounties].code, code, sizeof(code));
	w->counties[w->ncounties].city = city_of(w, area);
	w->counties[w->ncounties].hosp = w->counties[w->ncounties].tcm = -1;
	w->counties[w->ncounties].mch = -1;
	return w->ncounties++;
}

static int cmp_township(const void *a, const void *b)
{
	return strcmp(((const struct sim_township *)a)->code, ((const struct sim_township *)b)->code);
}

int sim_township_find(const struct sim_world *w, const char *code)
{
	int lo = 0, hi = w->ntownships - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, r = strcmp(w->townships[mid].code, code);
		if (r == 0)
			return mid;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int township_by_centre(const struct sim_world *w, int64_t centre)
{
	for (int i = 0; i < w->ntownships; i++)
		if (w->townships[i].centre == centre)
			return i;
	return -1;
}

static int hosp_by_id(const struct sim_world *w, int64_t id)
{
	int lo = 0, hi = w->nhosps - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (w->hosps[mid].id == id)
			return mid;
		if (w->hosps[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static void add_institution(struct sim_world *w, const struct yl_institution *in)
{
	int rank = yl_institution_level_rank(in->level);

	if (rank >= L_SECONDARY) {
		struct sim_hosp *h;
		w->hosps = grow(w->hosps, w->nhosps, sizeof(*w->hosps));
		h = &w->hosps[w->nhosps];
		memset(h, 0, sizeof(*h));
		h->id = in->id;
		h->level = rank;
		h->city = city_of(w, in->area_code);
		h->county = -1;
		if (rank == L_SECONDARY && strlen(in->area_code) >= 6 &&
		    strcmp(in->area_code + 4, "00") != 0) {
			int k = county_of(w, in->area_code);
			int *slot = !strcmp(in->kind, "tcm") ? &w->counties[k].tcm
				    : !strcmp(in->kind, "maternal_child") ? &w->counties[k].mch
									   : &w->counties[k].hosp;
			h->county = k;
			if (*slot < 0)
				*slot = w->nhosps;
		} else if (rank == L_TERTIARY && w->cities[h->city].other < 0) {
			w->cities[h->city].other = w->nhosps; /* the lead is set from the consortia */
		}
		w->nhosps++;
	} else if (rank == L_PRIMARY && strlen(in->area_code) == 9) {
		struct sim_township *t;
		w->townships = grow(w->townships, w->ntownships, sizeof(*w->townships));
		t = &w->townships[w->ntownships++];
		memset(t, 0, sizeof(*t));
		snprintf(t->code, sizeof(t->code), "%s", in->area_code);
		t->centre = in->id;
		t->county = county_of(w, in->area_code);
	} else if (rank == L_VILLAGE) {
		/* village ids are stored with their centre in aux for now: sorted below */
		w->villages = grow(w->villages, w->nvillages * 2, sizeof(*w->villages));
		w->villages[2 * w->nvillages] = in->township_centre_id;
		w->villages[2 * w->nvillages + 1] = in->id;
		w->nvillages++;
	}
}

static int cmp_pair(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

static enum yl_err load_institutions(struct sim *s)
{
	struct sim_world *w = &s->w;
	struct yl_institution_filter f = {0};
	struct yl_institution *items;
	bool more = true;
	int n;
	enum yl_err err;

	f.limit = 1000;
	while (more) {
		if ((err = yl_institution_list(&s->c, &f, &items, &n, &more)))
			return err;
		for (int i = 0; i < n; i++) {
			add_institution(w, &items[i]);
			f.after = items[i].id;
		}
		yl_arena_release(s->c.arena);
	}
	qsort(w->townships, (size_t)w->ntownships, sizeof(*w->townships), cmp_township);
	/* villages grouped by centre: each township gets its run of the sorted pairs */
	qsort(w->villages, (size_t)w->nvillages, 2 * sizeof(*w->villages), cmp_pair);
	for (int i = 0; i < w->nvillages; i++) {
		int t = township_by_centre(w, w->villages[2 * i]);
		if (t >= 0 && w->townships[t].nvillages++ == 0)
			w->townships[t].first_village = i;
		w->villages[i] = w->villages[2 * i + 1];
	}
	return YL_OK;
}

static enum yl_err load_departments(struct sim *s)
{
	struct sim_world *w = &s->w;
	struct yl_department_filter f = {0};
	struct yl_department *items;
	bool more = true;
	int n;
	enum yl_err err;

	f.limit = 1000;
	while (more) {
		if ((err = yl_department_list(&s->c, &f, &items, &n, &more)))
			return err;
		for (int i = 0; i < n; i++) {
			const struct yl_department *d = &items[i];
			int h = hosp_by_id(w, d->institution_id), k = 0;
			f.after = d->id;
			if (!d->category_code)
				continue;
			while (k < NDEPTS && strcmp(DEPT_CODES[k], d->category_code) != 0)
				k++;
			if (k == NDEPTS)
				continue;
			if (h >= 0 && !w->hosps[h].dept[k]) {
				w->hosps[h].dept[k] = d->id;
			} else if (h < 0 && k == D_GP) {
				int t = township_by_centre(w, d->institution_id);
				if (t >= 0 && !w->townships[t].gp_dept)
					w->townships[t].gp_dept = d->id;
			}
		}
		yl_arena_release(s->c.arena);
	}
	return YL_OK;
}

static enum yl_err load_teams_and_groups(struct sim *s)
{
	struct sim_world *w = &s->w;
	struct yl_team_filter f = {0};
	struct yl_consortium_filter cf = {0};
	struct yl_team *teams;
	struct yl_consortium *cs;
	bool more = true;
	int n;
	enum yl_err err;

	f.limit = 1000;
	while (more) {
		if ((err = yl_team_list(&s->c, &f, &teams, &n, &more)))
			return err;
		for (int i = 0; i < n; i++) {
			int t = township_by_centre(w, teams[i].institution_id);
			if (t >= 0 && w->townships[t].nteams < 8)
				w->townships[t].teams[w->townships[t].nteams++] = teams[i].id;
			f.after = teams[i].id;
		}
		yl_arena_release(s->c.arena);
	}
	cf.kind = "city_group";
	cf.limit = 1000;
	if ((err = yl_consortium_list(&s->c, &cf, &cs, &n, &more)))
		return err;
	for (int i = 0; i < n; i++) {
		int h = hosp_by_id(w, cs[i].lead_institution_id);
		if (h >= 0 && w->hosps[h].level == L_TERTIARY)
			w->cities[w->hosps[h].city].lead = h;
	}
	yl_arena_release(s->c.arena);
	/* the city's "other" hospital is a tertiary one that is not the lead */
	for (int k = 0; k < w->ncities; k++) {
		struct sim_city *cy = &w->cities[k];
		if (cy->lead < 0)
			cy->lead = cy->other;
		cy->other = -1;
		for (int h = 0; h < w->nhosps; h++)
			if (w->hosps[h].city == k && w->hosps[h].level == L_TERTIARY && h != cy->lead &&
			    cy->other < 0)
				cy->other = h;
	}
	return YL_OK;
}

/* Residents per county (for the slots' sizing and the campaigns) and the highest resident
 * id (residents are sampled by id). */
static enum yl_err load_people(struct sim *s)
{
	struct sim_world *w = &s->w;
	struct yl_resident r;
	int64_t lo = 1, hi = 1;
	enum yl_err err;

	/* from the live signing stock: milliseconds per county, not a scan of its residents */
	for (int k = 0; k < w->ncounties; k++) {
		struct yl_signing_counts sc;
		if ((err = yl_signing_stock_counts(&s->c, w->counties[k].code, s->day, &sc))) {
			if (err != YL_ERR_NOT_FOUND)
				return err;
			yl_diag_clear(s->c.diag);
			continue;
		}
		w->counties[k].residents = sc.residents;
		w->cities[w->counties[k].city].residents += sc.residents;
		w->nresidents += sc.residents;
		s->signed_now += sc.signed_;
		yl_arena_release(s->c.arena);
	}
	/* the highest id: double, then bisect (ids are dense: residents are never deleted) */
	while ((err = yl_resident_get(&s->c, hi, &r)) == YL_OK) {
		lo = hi;
		hi *= 2;
		yl_arena_release(s->c.arena);
	}
	if (err != YL_ERR_NOT_FOUND)
		return err;
	yl_diag_clear(s->c.diag);
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		err = yl_resident_get(&s->c, mid, &r);
		if (err && err != YL_ERR_NOT_FOUND)
			return err;
		yl_diag_clear(s->c.diag);
		if (err)
			hi = mid;
		else
			lo = mid;
		yl_arena_release(s->c.arena);
	}
	w->max_resident_id = w->nresidents ? lo : 0;
	for (int h = 0; h < w->nhosps; h++) {
		struct sim_hosp *x = &w->hosps[h];
		x->residents = x->county >= 0 ? w->counties[x->county].residents
						: w->cities[x->city].residents;
	}
	return YL_OK;
}

enum yl_err sim_world_load(struct sim *s)
{
	enum yl_err err;

	memset(&s->w, 0, sizeof(s->w));
	if ((err = load_institutions(s)) || (err = load_departments(s)) ||
	    (err = load_teams_and_groups(s)) || (err = load_people(s)) ||
	    (err = sim_people_index(s)))
		return err;
	if (s->w.ntownships == 0 || s->w.max_resident_id == 0)
		return yl_diag_set(s->c.diag, YL_ERR_NOT_FOUND, "db",
				   "the region has no township centres or no residents");
	return YL_OK;
}

void sim_world_free(struct sim_world *w)
{
	free(w->hosps);
	free(w->counties);
	free(w->cities);
	free(w->townships);
	free(w->villages);
	free(w->birth);
	free(w->flags);
	free(w->township);
	memset(w, 0, sizeof(*w));
}

/* Expected share of all visits that go to a hospital of this level and kind (care.c's mix,
 * averaged over signed and unsigned residents) and the share of those that are booked. */
static double hosp_share(const struct sim *s, const struct sim_hosp *h)
{
	const struct sim_world *w = &s->w;
	bool lead = h->county < 0 && w->cities[h->city].lead >= 0 &&
		    &w->hosps[w->cities[h->city].lead] == h;

	if (h->level == L_TERTIARY)
		return lead ? 0.12 : 0.04;
	return 0.25; /* the county hospital; TCM and MCH have no sized slots */
}

enum yl_err sim_world_calibrate(struct sim *s)
{
	const struct yl_sim_policy *p = s->p;
	struct yl_schedule_template_filter f = {0};
	struct yl_schedule_template *ts;
	double booked = p->booking_share + (1 - p->booking_share) * 0.45 * p->fd_booking;
	bool more;
	int n;
	enum yl_err err;

	for (int h = 0; h < s->w.nhosps; h++) {
		const struct sim_hosp *x = &s->w.hosps[h];
		struct yl_release_policy rp;
		double slots[NDEPTS][8] = {{0}};

		if ((err = yl_release_policy_get(&s->c, x->id, &rp)))
			return err;
		rp.days_ahead = p->release_days;
		rp.fallback_hours = p->fallback_hours;
		if ((err = yl_release_policy_set(&s->c, &rp)))
			return err;
		f.institution_id = x->id;
		f.after = 0;
		f.limit = 1000;
		if ((err = yl_schedule_template_list(&s->c, &f, &ts, &n, &more)))
			return err;
		/* slots per weekday and department, then places per slot to meet the demand */
		for (int pass = 0; pass < 2; pass++) {
			for (int i = 0; i < n; i++) {
				int d = 0, wd = (int)ts[i].weekday;
				int sh, sm, eh, em;
				while (d < NDEPTS && x->dept[d] != ts[i].department_id)
					d++;
				if (d == NDEPTS || wd < 1 || wd > 7 ||
				    sscanf(ts[i].start_time, "%d:%d", &sh, &sm) != 2 ||
				    sscanf(ts[i].end_time, "%d:%d", &eh, &em) != 2)
					continue;
				if (pass == 0) {
					slots[d][wd] += (double)((eh * 60 + em - sh * 60 - sm) /
								 ts[i].slot_minutes);
				} else if (slots[d][wd] > 0) {
					struct yl_schedule_template_patch pt = {0};
					double daily = (double)x->residents * p->visits_per_year / 260.0 *
						       hosp_share(s, x) * DEPT_SHARE[d] * booked;
					int64_t cap = (int64_t)ceil(daily * p->slot_supply / slots[d][wd]);
					if (cap < 2)
						cap = 2;
					pt.has_capacity = pt.has_quota_family_doctor = true;
					pt.has_quota_referral = true;
					pt.capacity = cap;
					pt.quota_family_doctor = (int64_t)llround((double)cap * p->fd_quota);
					pt.quota_referral = (int64_t)llround((double)cap * p->referral_quota);
					while (pt.quota_family_doctor + pt.quota_referral > cap)
						pt.quota_family_doctor--;
					if ((err = yl_schedule_template_patch(&s->c, ts[i].id, &pt, NULL)))
						return err;
				}
			}
		}
		yl_arena_release(s->c.arena);
	}
	return YL_OK;
}

enum yl_err sim_world_sessions(struct sim *s, int32_t day)
{
	int32_t to = day + (s->p->release_days > 8 ? s->p->release_days : 8) + 1;
	enum yl_err err;

	/* each call adds the days not yet generated (generation is idempotent anyway) */
	if (s->sessions_through >= day)
		day = s->sessions_through + 1;
	if (day > to)
		return YL_OK;
	s->sessions_through = to;

	for (int h = 0; h < s->w.nhosps; h++) {
		int64_t n = 0, k = 0;
		if ((err = yl_schedule_generate(&s->c, s->w.hosps[h].id, day, to, &n, &k)))
			return err;
		s->st->sessions += n;
		s->st->slots += k;
		yl_arena_release(s->c.arena); /* nothing kept: memory per institution, not region */
	}
	for (int t = 0; t < s->w.ntownships; t++) {
		int64_t n = 0, k = 0;
		if ((err = yl_schedule_generate(&s->c, s->w.townships[t].centre, day, to, &n, &k)))
			return err;
		s->st->sessions += n;
		s->st->slots += k;
		yl_arena_release(s->c.arena);
	}
	return YL_OK;
}
