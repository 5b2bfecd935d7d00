/* sim.h - the region simulator: advances a region day by day through the platform's own
 * domain functions (the same code paths and rules as the HTTP API), so the simulation is
 * also a test of the platform.
 *
 * A run starts from the simulation day stored in the database (yl_sim_state_*, set by
 * `yilian sim generate`) and simulates whole days: the clock is set to each moment an action
 * happens, in Asia/Shanghai clinic hours. Each simulated day is one transaction. What the
 * simulator remembers between days (people in hospital, booked visits, referrals on their
 * way) lives in the store (the sim_events queue), never in memory, so memory does not grow
 * with the number of days; with the region's size only by the sampling index (5 bytes a
 * resident, docs/simulation.md, where the model is described).
 */
#ifndef YL_SIM_SIM_H
#define YL_SIM_SIM_H

#include <stdint.h>
#include <stdio.h>

#include "domain/ctx.h"
#include "sim/policy.h"

/* What a run did, counted as it happened. */
struct yl_sim_stats {
	int64_t days;
	int64_t outpatient, emergency, inpatient; /* encounters recorded */
	int64_t admitted;                         /* admissions begun (some still in hospital) */
	int64_t bookings, fd_bookings, booking_refused, walk_ins;
	int64_t seen, no_shows, cancellations;
	int64_t diverted; /* hospital visits that went elsewhere because no place was free */
	int64_t referrals_up, referrals_down, referral_arrivals, care_items_done;
	int64_t signed_new, renewed, lapsed;
	int64_t sessions, slots;
	int64_t cost; /* fen, every encounter */
	int64_t events_pending; /* in the queue at the end */
};

/* Simulates `days` days from the stored simulation day, committing each day, then stores
 * the next day and the random state so that a later run continues the same stream. c->store
 * must not be in a transaction (the run begins and commits its own); c->actor an admin;
 * c->clock is replaced by the simulated clock. progress (may be NULL) receives a bar.
 * Deterministic: the same database and policy give the same result. Errors come from the
 * domain functions (the day in progress is rolled back; earlier days stay committed) or
 * YL_ERR_NOT_FOUND when the database holds no simulation (run `sim generate`). */
enum yl_err yl_sim_run(const struct yl_ctx *c, const struct yl_sim_policy *p, int days,
		       FILE *progress, struct yl_sim_stats *out);

/* The simulation's stored state (tables sim_state and sim_events, created on first use:
 * they are the simulator's bookkeeping, not part of the platform's schema). */
struct yl_sim_state {
	int32_t day;      /* the next day to simulate */
	int32_t start;    /* the day the region was generated for */
	uint64_t seed;
	uint64_t rng[4];  /* the random state to continue from */
};

/* Creates the simulator's tables if absent and stores *s (replacing any previous state).
 * Runs in the caller's transaction. */
enum yl_err yl_sim_state_save(const struct yl_ctx *c, const struct yl_sim_state *s);
/* Loads the state (reads only); YL_ERR_NOT_FOUND when the database holds none. */
enum yl_err yl_sim_state_load(const struct yl_ctx *c, struct yl_sim_state *s);

#endif
