/* consortium.h - medical consortia (医联体): city medical groups, county medical communities,
 * specialty alliances and tele-medicine networks, and their dated membership.
 *
 * A consortium has a lead institution that is a member from the creation date and can never
 * leave. Membership is a history of periods (joined_on, left_on); an institution is a current
 * member while it has a period with left_on absent or after today. An institution may belong
 * to several consortia. Consortia are managed by admins; they are never deleted.
 */
#ifndef YL_DOMAIN_CONSORTIUM_H
#define YL_DOMAIN_CONSORTIUM_H

#include "domain/ctx.h"

enum { YL_CONSORTIUM_MAX_MEMBERS = 1000 }; /* member_ids accepted on create */

struct yl_consortium {
	int64_t id;
	const char *code; /* unique */
	const char *name;
	const char *kind; /* city_group | county_community | specialty_alliance | tele_network */
	int64_t lead_institution_id;
	const char *area_code; /* NULL when none */
	int64_t created_at;
	/* On create: further members (besides the lead) joining on the creation date. On output:
	 * the current members, lead included, in id order. Arena-owned. */
	const int64_t *member_ids;
	int n_members;
};

struct yl_consortium_member {
	int64_t consortium_id;
	int64_t institution_id;
	const char *joined_on; /* "YYYY-MM-DD" */
	const char *left_on;   /* "YYYY-MM-DD" or NULL */
	bool current;          /* left_on absent or after today */
	bool lead;
};

/* Whether kind is one of the four consortium kinds. */
bool yl_consortium_kind_ok(const char *kind);

/* Creates a consortium (admin). The lead and every in->member_ids entry join on today's date
 * (c->clock). Everything is checked before the first write, so a failure writes nothing.
 * Errors: YL_ERR_MISSING/INVALID (field named; member_ids repeating an id or the lead),
 * YL_ERR_NOT_FOUND (lead, area or member unknown), YL_ERR_CONFLICT (code taken),
 * YL_ERR_FORBIDDEN. *out (may be NULL) is arena-owned and lists the members. */
enum yl_err yl_consortium_create(const struct yl_ctx *c, const struct yl_consortium *in,
				 struct yl_consortium *out);
/* Loads a consortium and its current members; YL_ERR_NOT_FOUND when absent. out may be NULL
 * (existence check). No permission check: callers inside other domain rules use it. */
enum yl_err yl_consortium_get(const struct yl_ctx *c, int64_t id, struct yl_consortium *out);

struct yl_consortium_filter {
	const char *kind;       /* NULL: any */
	int64_t institution_id; /* 0: any; else consortia it currently belongs to */
	int64_t after;          /* cursor: ids greater than this */
	int limit;              /* 1..1000 */
};

/* Lists consortia in id order (any role but resident). *items is an arena array of *n
 * entries with their current members; *more says whether a further page exists.
 * Errors: YL_ERR_INVALID (unknown kind), YL_ERR_FORBIDDEN. */
enum yl_err yl_consortium_list(const struct yl_ctx *c, const struct yl_consortium_filter *f,
			       struct yl_consortium **items, int *n, bool *more);

/* Adds institution_id to the consortium from *joined_on (NULL: today), admin only. A date
 * after today is refused, and so is a date before the end of an earlier membership period.
 * Errors: YL_ERR_NOT_FOUND (consortium, institution), YL_ERR_CONFLICT (already a current
 * member, or overlapping an earlier period), YL_ERR_INVALID (joined_on), YL_ERR_FORBIDDEN.
 * *out (may be NULL) is arena-owned. */
enum yl_err yl_consortium_join(const struct yl_ctx *c, int64_t consortium_id,
			       int64_t institution_id, const int32_t *joined_on,
			       struct yl_consortium_member *out);
/* Ends the open membership of institution_id on *left_on (NULL: today), which must not be
 * before its joined_on; admin only. Errors: YL_ERR_NOT_FOUND (consortium, or the institution
 * never was a member), YL_ERR_CONFLICT (the lead, or the membership has already been ended),
 * YL_ERR_INVALID (left_on before joined_on), YL_ERR_FORBIDDEN. *out (may be NULL) is
 * arena-owned. */
enum yl_err yl_consortium_leave(const struct yl_ctx *c, int64_t consortium_id,
				int64_t institution_id, const int32_t *left_on,
				struct yl_consortium_member *out);
/* Lists the membership periods of a consortium ordered by joined_on then institution
 * (any role but resident); current_only keeps the current ones. Errors: YL_ERR_NOT_FOUND,
 * YL_ERR_FORBIDDEN. *items is an arena array of *n entries. */
enum yl_err yl_consortium_members(const struct yl_ctx *c, int64_t consortium_id,
				  bool current_only, struct yl_consortium_member **items, int *n);

/* Sets *shared to whether inst_a and inst_b are both current members of at least one common
 * consortium (false when a == b and it belongs to none). No permission check; used by the
 * practice-site and contracting rules. Errors: store errors only. */
enum yl_err yl_consortium_shared(const struct yl_ctx *c, int64_t inst_a, int64_t inst_b,
				 bool *shared);

#endif
