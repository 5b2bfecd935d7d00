/* institution.h - health institutions by level: village clinic, primary (township or
 * community centre), secondary (county/district hospital), tertiary (city hospital).
 *
 * A village clinic belongs to a township centre (a `primary` institution); no other level has
 * one. Institutions are created and edited by admins; they are never deleted.
 */
#ifndef YL_DOMAIN_INSTITUTION_H
#define YL_DOMAIN_INSTITUTION_H

#include "domain/ctx.h"

struct yl_institution {
	int64_t id;
	const char *code;  /* unique, e.g. the 医疗机构登记号 or a local code */
	const char *name;
	const char *level; /* village | primary | secondary | tertiary */
	const char *kind;  /* general | tcm | integrated | maternal_child | specialty |
			      public_health | rehabilitation | nursing | other */
	const char *area_code;
	int64_t beds;
	int64_t township_centre_id; /* 0 unless level is village */
	int64_t created_at;
};

/* Level and kind names accepted; used by faces to validate before calling. */
bool yl_institution_level_ok(const char *level);
bool yl_institution_kind_ok(const char *kind);
/* Rank of a level: village 0, primary 1, secondary 2, tertiary 3; -1 when unknown. */
int yl_institution_level_rank(const char *level);

/* Creates an institution (admin). Errors: YL_ERR_INVALID/MISSING (field named),
 * YL_ERR_NOT_FOUND (area or township centre unknown), YL_ERR_LEVEL (centre not primary),
 * YL_ERR_CONFLICT (code taken), YL_ERR_FORBIDDEN. *out (may be NULL) is arena-owned. */
enum yl_err yl_institution_create(const struct yl_ctx *c, const struct yl_institution *in,
				  struct yl_institution *out);
enum yl_err yl_institution_get(const struct yl_ctx *c, int64_t id, struct yl_institution *out);

struct yl_institution_filter {
	const char *level;     /* NULL: any */
	const char *area_code; /* NULL: any; matches the area and everything under it */
	int64_t township_centre_id;
	int64_t consortium_id; /* 0: any; else current members only */
	int64_t after;         /* cursor: ids greater than this */
	int limit;
};

enum yl_err yl_institution_list(const struct yl_ctx *c, const struct yl_institution_filter *f,
				struct yl_institution **items, int *n, bool *more);

/* Writes into out (10 bytes) the prefix that matches every area under code: "44" for a
 * province, "4401" for a city, the code itself otherwise. */
void yl_area_prefix(const char *code, char out[10]);
/* The half-open code range [lo, hi) holding code and every area under it, for index-friendly
 * "area and below" filters on any backend (no LIKE). lo and hi are 10 bytes each. */
void yl_area_range(const char *code, char lo[10], char hi[10]);

#endif
