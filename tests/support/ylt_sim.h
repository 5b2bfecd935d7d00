/* ylt_sim.h - running the simulator in tests as the CLI does: a small region generated into
 * a fresh temp database, simulated, and its indicator report. */
#ifndef YLT_SIM_H
#define YLT_SIM_H

#include <stdint.h>

#include "sim/region.h"
#include "sim/sim.h"

#define YLT_SIM_TOTAL \
	"(cost_drugs + cost_consumables + cost_exams + cost_treatment + cost_bed + cost_other)"

struct ylt_sim_run {
	char dir[64];
	char db[128];
	struct yl_sim_stats st;
};

/* One county of `residents` residents, 3 townships of 2 village clinics, seed. */
void ylt_sim_small(struct yl_sim_region_opts *o, int64_t residents, uint64_t seed);
/* 2026-01-05, a Monday: the first simulated day. */
int32_t ylt_sim_start(void);
/* Generates o (with policy p) into a fresh temp database and simulates days under p. */
void ylt_sim_generate_and_run(struct ylt_sim_run *r, struct yl_sim_region_opts *o,
			      const struct yl_sim_policy *p, int days);
/* The three steps apart: generate into a fresh database; copy a closed database into a fresh
 * one (the same population for two policies: a run sizes the slots to its own policy); run. */
void ylt_sim_generate(struct ylt_sim_run *r, struct yl_sim_region_opts *o,
		      const struct yl_sim_policy *p);
void ylt_sim_copy(const struct ylt_sim_run *from, struct ylt_sim_run *to);
void ylt_sim_run(struct ylt_sim_run *r, const struct yl_sim_policy *p, int days);
/* Removes the database and its directory. */
void ylt_sim_cleanup(struct ylt_sim_run *r);
/* The report of db as JSON text (caller frees). */
char *ylt_sim_report_json(const char *db);
/* The region value of indicator id (asserts it has one). */
double ylt_sim_region_value(const char *db, const char *id);

#endif
