/* area.h - administrative areas: GB/T 2260 codes (province, city, county) and townships.
 *
 * An area's level follows from its code; its parent must exist and be exactly one level up
 * (a county may also hang directly under a province, as 省直辖县 do). Areas are created by
 * admins only and are never deleted (residents and institutions refer to them).
 */
#ifndef YL_DOMAIN_AREA_H
#define YL_DOMAIN_AREA_H

#include "domain/ctx.h"

struct yl_area {
	const char *code;        /* 6 or 9 digits; the area's id */
	const char *name;
	const char *level;       /* "province" | "city" | "county" | "township" (derived) */
	const char *parent_code; /* NULL for a province (derived from the code when not given) */
	int64_t created_at;
};

/* Creates an area from in->code, in->name and optional in->parent_code. Errors:
 * YL_ERR_INVALID (code format, parent not one level up), YL_ERR_NOT_FOUND (parent unknown),
 * YL_ERR_CONFLICT (code taken), YL_ERR_FORBIDDEN. *out (may be NULL) is arena-owned. */
enum yl_err yl_area_create(const struct yl_ctx *c, const struct yl_area *in, struct yl_area *out);
/* Loads an area by code; YL_ERR_NOT_FOUND when absent. */
enum yl_err yl_area_get(const struct yl_ctx *c, const char *code, struct yl_area *out);

struct yl_area_filter {
	const char *parent_code; /* NULL: any */
	const char *level;       /* NULL: any */
	const char *after;       /* cursor: codes greater than this */
	int limit;               /* 1..1000 */
};

/* Lists areas in code order; *items is an arena array of *n entries; *more says whether a
 * further page exists (its cursor is the last item's code). */
enum yl_err yl_area_list(const struct yl_ctx *c, const struct yl_area_filter *f,
			 struct yl_area **items, int *n, bool *more);

#endif
