/* region_int.h - state shared by the two halves of the region generator: region.c builds
 * the registry (areas, institutions, consortia, teams, templates) and region_people.c
 * streams the residents and their contracts. Private to src/sim/region*.c; memory here is
 * per county and per township, never per resident.
 */
#ifndef YL_SIM_REGION_INT_H
#define YL_SIM_REGION_INT_H

#include <stdint.h>

#include "sim/rng.h"
#include "sim/region.h"

/* What the resident half needs of one generated county. */
struct region_county {
	const char *code;    /* 6-digit county code, static */
	int city;            /* index into the generator's city table */
	int64_t hospital_id; /* the county hospital (secondary) */
	int64_t tcm_id, mch_id;
	int64_t centres[YL_SIM_MAX_TOWNSHIPS];
	int64_t teams[YL_SIM_MAX_TOWNSHIPS][YL_SIM_TEAMS_PER_CENTRE];
	char townships[YL_SIM_MAX_TOWNSHIPS][10]; /* 9-digit codes */
};

struct region_gen {
	const struct yl_ctx *c;
	const struct yl_sim_region_opts *o; /* a copy: the caller's may live in c->arena */
	int64_t quota_fd, quota_referral;   /* places of a 6-place hospital slot */
	struct yl_sim_region_result *r;
	struct yl_rng rng;
	int32_t today;
	struct region_county *counties; /* o->counties entries, caller-frees */
	int64_t *city_lead;             /* per city table entry: its H01, 0 when not generated */
};

/* Prints a progress line to g->o->progress when set. */
void yl_sim_region_progress(struct region_gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Creates the residents of every county and their initial contracts (region_people.c),
 * releasing c->arena after each resident. Errors: the first domain error. */
enum yl_err yl_sim_region_people(struct region_gen *g);

#endif
