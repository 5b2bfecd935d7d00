/* search.h - finding slots: a day's timetable of an institution or department, and the
 * province-wide "earliest available" (预约挂号全省通) for a department category across the
 * institutions of chosen levels in an area.
 *
 * Every hit carries the slot, its pools at the clock's now (yl_slot_pools under the
 * institution's release policy) and the pool the caller may use for the resident asked about
 * (yl_slot_caller_pools: family_doctor when allowed and free, else public when free, else
 * none). Search never books and never writes.
 */
#ifndef YL_DOMAIN_SEARCH_H
#define YL_DOMAIN_SEARCH_H

#include "domain/ctx.h"
#include "domain/slot.h"

/* How far ahead "earliest" looks: slots starting within this many days of now. */
enum { YL_SEARCH_HORIZON_DAYS = 92, YL_SEARCH_EARLIEST_MAX = 100 };

struct yl_slot_hit {
	struct yl_slot slot;
	const char *institution_name; /* arena-owned */
	const char *institution_level;
	const char *department_name;
	struct yl_pool_view view; /* the pools at now */
	int pool;                 /* enum yl_pool the caller may book now, -1 for none */
};

struct yl_slot_filter {
	int64_t institution_id;  /* at least one of institution_id and department_id */
	int64_t department_id;
	int64_t practitioner_id; /* 0: any */
	int32_t date;            /* local day (days since 1970-01-01) */
	int64_t resident_id;     /* 0: none (the public pool only) */
	int64_t after_starts_at; /* cursor: (starts_at, id) after this pair; 0, 0 from the start */
	int64_t after_id;
	int limit;               /* 1..1000 */
};

/* The slots of open sessions on f->date matching the filter, in time order (then id), with
 * their pools (any signed-in role). Errors: YL_ERR_MISSING (neither institution_id nor
 * department_id, field institution_id), YL_ERR_NOT_FOUND (resident_id), YL_ERR_FORBIDDEN (a
 * resident asking about another resident). *items is an arena array of *n entries; *more
 * says whether a further page exists. */
enum yl_err yl_slot_search(const struct yl_ctx *c, const struct yl_slot_filter *f,
			   struct yl_slot_hit **items, int *n, bool *more);

struct yl_earliest_filter {
	const char *category_code; /* the department category, matched exactly */
	const char *area_code;     /* the area and everything under it (yl_area_range) */
	bool levels[4];            /* indexed by yl_institution_level_rank; none set: all */
	int64_t resident_id;       /* 0: none */
	int limit;                 /* 1..YL_SEARCH_EARLIEST_MAX */
};

/* The earliest slots, starting after now and within YL_SEARCH_HORIZON_DAYS, that the caller
 * could book now (a free place in a pool the caller may use) at any institution of the
 * chosen levels in the area, in time order; at most f->limit. One forward scan of the index
 * slots(category_code, starts_at) that stops at the limit. Any signed-in role. Errors:
 * YL_ERR_INVALID (category_code, area_code), YL_ERR_NOT_FOUND (resident_id),
 * YL_ERR_FORBIDDEN. *items is an arena array of *n entries. */
enum yl_err yl_slot_earliest(const struct yl_ctx *c, const struct yl_earliest_filter *f,
			     struct yl_slot_hit **items, int *n);

#endif
