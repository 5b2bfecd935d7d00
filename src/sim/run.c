/* run.c - the simulator's day loop: each simulated day is one transaction that generates
 * the sessions coming into the booking window, carries out the actions queued for the day
 * (booked visits, discharges, referrals on their way, care items), lets today's residents
 * fall ill and be admitted, and runs the contracting year. Then the next day.
 */
#include <math.h>
#include <string.h>

#include "domain/booking.h"
#include "domain/contract.h"
#include "domain/measure.h"
#include "domain/schedule.h"
#include "sim/sim_int.h"
#include "store/store.h"

enum { EVENT_PAGE = 256 };

void sim_at(struct sim *s, int32_t day, int minute)
{
	yl_clock_fixed(&s->clock, (int64_t)day * 86400 + (int64_t)(minute - 8 * 60) * 60);
}

void sim_act_as(struct sim *s, int64_t inst)
{
	s->doctor.institution_id = inst;
	s->c.actor = inst ? &s->doctor : &s->admin;
}

bool sim_soft(enum yl_err err)
{
	return err >= YL_ERR_SLOT_FULL && err <= YL_ERR_CHECK_IN_CLOSED;
}

static enum yl_err events(struct sim *s)
{
	struct sim_event page[EVENT_PAGE];
	int minute = -1, n = EVENT_PAGE;
	int64_t id = 0;
	enum yl_err err = YL_OK;

	while (!err && n == EVENT_PAGE) {
		if ((err = sim_events_next(s, s->day, minute, id, page, EVENT_PAGE, &n)))
			break;
		for (int i = 0; !err && i < n; i++) {
			const struct sim_event *e = &page[i];
			err = e->kind <= EV_DISCHARGE ? sim_event_care(s, e)
						      : sim_event_referral(s, e);
			minute = e->minute;
			id = e->id;
			yl_arena_release(s->c.arena);
		}
	}
	return err ? err : sim_events_drop_day(s, s->day);
}

/* Days of [from, to) that are weekdays. */
static int64_t weekdays(int32_t from, int32_t to)
{
	int64_t n = to > from ? to - from : 0, count = n / 7 * 5;

	for (int32_t d = from + (int32_t)(n / 7 * 7); d < to; d++)
		count += yl_iso_weekday(d) <= 5;
	return count;
}

/* The visits and admissions expected from the region's first day up to day d (excluded):
 * weekdays busier than weekends (5 x 1.1 + 2 x 0.75 = 7). A day's count is the whole part
 * of this total at its end less that at its start, a function of the day alone, so a run
 * split in two gives the days a single run gives. */
static void expected(const struct sim *s, int32_t d, double *visits, double *admissions)
{
	double per_day = (double)s->w.nresidents / 365.0;
	int64_t n = d > s->start ? d - s->start : 0, wd = weekdays(s->start, d);

	*visits = per_day * s->p->visits_per_year * (1.1 * (double)wd + 0.75 * (double)(n - wd));
	*admissions = per_day * s->p->admissions_per_year * (double)n;
}

static enum yl_err one_day(struct sim *s)
{
	double v0, a0, v1, a1;
	int64_t nv, na;
	enum yl_err err;

	sim_at(s, s->day, 7 * 60);
	/* the night's status sweep, then today's sessions and queued actions */
	if ((err = yl_contract_settle_all(&s->c, NULL)) || (err = sim_world_sessions(s, s->day)) ||
	    (err = events(s)))
		return err;
	expected(s, s->day, &v0, &a0);
	expected(s, s->day + 1, &v1, &a1);
	nv = (int64_t)floor(v1) - (int64_t)floor(v0);
	na = (int64_t)floor(a1) - (int64_t)floor(a0);
	if ((err = sim_admissions(s, na)) || (err = sim_visits(s, nv)))
		return err;
	return sim_contracting(s);
}

static void bar(FILE *f, int done, int days, double secs)
{
	int width = 30, fill = days ? done * width / days : width;

	if (!f)
		return;
	fprintf(f, "\rsim: [");
	for (int i = 0; i < width; i++)
		fputc(i < fill ? '#' : '.', f);
	fprintf(f, "] day %d / %d  %.0f s", done, days, secs);
	if (done == days)
		fputc('\n', f);
	fflush(f);
}

enum yl_err yl_sim_run(const struct yl_ctx *c, const struct yl_sim_policy *p, int days,
		       FILE *progress, struct yl_sim_stats *out)
{
	struct sim s;
	struct yl_sim_state state;
	double t0 = yl_monotonic();
	enum yl_err err;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	s.c = *c;
	s.c.clock = &s.clock;
	s.admin = *c->actor;
	s.doctor = *c->actor;
	s.doctor.role = YL_ROLE_DOCTOR;
	s.doctor.name = "system:sim-family-doctor";
	s.c.actor = &s.admin;
	s.p = p;
	s.st = out;
	if (days < 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "days", "days must be 0 or more");
	if ((err = yl_sim_policy_check(p, c->diag)))
		return err;
	/* setup: state, world, slot sizing, in one transaction */
	if ((err = yl_store_begin(c->store, c->diag)))
		return err;
	err = sim_events_init(&s.c);
	if (!err)
		err = yl_sim_state_load(&s.c, &state);
	if (!err) {
		s.day = state.day;
		s.start = state.start;
		memcpy(s.rng.s, state.rng, sizeof(s.rng.s));
		sim_at(&s, s.day, 7 * 60);
		err = sim_world_load(&s);
	}
	if (!err)
		err = sim_world_calibrate(&s);
	if (!err)
		err = yl_store_commit(c->store, c->diag);
	if (err) {
		yl_store_rollback(c->store);
		sim_world_free(&s.w);
		return err;
	}
	yl_arena_release(c->arena);
	/* a day writes thousands of encounters into a few hundred aggregate rows: sum them in
	 * memory and write each row once, before the day commits (measure.h) */
	s.c.measures = yl_measure_buf_new();
	bar(progress, 0, days, 0);
	for (int d = 0; d < days; d++) {
		if ((err = yl_store_begin(c->store, c->diag)))
			break;
		err = one_day(&s);
		if (!err)
			err = yl_measure_flush(&s.c); /* the day's aggregates, in the day's transaction */
		if (!err) {
			s.day++;
			state.day = s.day;
			memcpy(state.rng, s.rng.s, sizeof(state.rng));
			err = yl_sim_state_save(&s.c, &state);
		}
		if (!err)
			err = yl_store_commit(c->store, c->diag);
		if (err) {
			yl_store_rollback(c->store);
			break;
		}
		out->days++;
		yl_arena_release(c->arena);
		bar(progress, d + 1, days, yl_monotonic() - t0);
	}
	if (!err && !(err = yl_store_begin_read(c->store, c->diag))) {
		err = sim_events_count(&s, &out->events_pending);
		yl_store_rollback(c->store);
	}
	yl_measure_buf_free(s.c.measures);
	sim_world_free(&s.w);
	return err;
}
