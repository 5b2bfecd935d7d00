/* team.h - family-doctor teams (家庭医生团队): a general practitioner leads, other
 * practitioners (specialists of the consortium included) join, and the team signs at most
 * `capacity` residents at a time.
 *
 * A team belongs to a primary institution (a township or community health centre), where its
 * leader practises. Teams are never deleted: contracts refer to them. Contracts themselves live
 * in contract.h; this module only counts them.
 */
#ifndef YL_DOMAIN_TEAM_H
#define YL_DOMAIN_TEAM_H

#include "domain/ctx.h"

enum { YL_TEAM_MAX_MEMBERS = 100, YL_TEAM_MAX_CAPACITY = 100000 };

struct yl_team_member {
	int64_t practitioner_id;
	const char *name;
	const char *title;
	bool general_practitioner;
};

struct yl_team {
	int64_t id;
	const char *name;
	int64_t institution_id;
	int64_t leader_id;
	int64_t capacity;          /* on create, 0 means the setting team_capacity_default */
	const int64_t *member_ids; /* input: practitioners besides (or including) the leader */
	int nmember_ids;
	/* output only: */
	struct yl_team_member *members; /* leader first, then by practitioner id */
	int nmembers;
	int64_t active_contracts; /* the team's load today: see yl_team_load */
	int64_t created_at;
};

/* Creates a team from in->name, institution_id, leader_id, capacity and member_ids (the
 * leader always becomes a member; listing it again is allowed). Needs admin or the
 * institution_admin of the institution. Errors: YL_ERR_MISSING/INVALID (field named; a
 * practitioner listed twice, a leader who is not a general practitioner or does not practise
 * at the institution), YL_ERR_NOT_FOUND (institution, leader or a member unknown),
 * YL_ERR_LEVEL (the institution is not `primary`), YL_ERR_FORBIDDEN. *out (may be NULL) is
 * filled as by yl_team_get, arena-owned. */
enum yl_err yl_team_create(const struct yl_ctx *c, const struct yl_team *in, struct yl_team *out);

/* Loads a team with its members and its active contract count. Any signed-in role may read
 * teams (residents choose one). YL_ERR_NOT_FOUND when absent. Results arena-owned. */
enum yl_err yl_team_get(const struct yl_ctx *c, int64_t id, struct yl_team *out);

/* Sets a team's capacity (1..YL_TEAM_MAX_CAPACITY). Needs admin or the institution_admin of
 * the team's institution. YL_ERR_CONFLICT when capacity is below the active contracts the
 * team holds today; YL_ERR_INVALID, YL_ERR_NOT_FOUND, YL_ERR_FORBIDDEN. *out as yl_team_get. */
enum yl_err yl_team_set_capacity(const struct yl_ctx *c, int64_t id, int64_t capacity,
				 struct yl_team *out);

struct yl_team_filter {
	int64_t institution_id; /* 0: any */
	int64_t after;          /* cursor: ids greater than this */
	int limit;              /* 1..1000 */
};

/* Lists teams in id order, each with members and active count; *items is an arena array of
 * *n entries, *more says whether another page exists. */
enum yl_err yl_team_list(const struct yl_ctx *c, const struct yl_team_filter *f,
			 struct yl_team **items, int *n, bool *more);

/* The team's load on the caller's today: residents with a contract of the team in force
 * (YL_CONTRACT_IN_FORCE) or scheduled (an early renewal holds its place), each counted once,
 * leaving out the holder of contract exclude_id (0: none). The one definition of a team's
 * load, used for capacity. */
enum yl_err yl_team_load(const struct yl_ctx *c, int64_t team_id, int64_t exclude_id,
			 int64_t *out);

struct yl_team_resident {
	int64_t resident_id;
	const char *name;
	const char *sex;
	const char *birth_date;
	const char *home_area_code;
	int64_t contract_id;
	const char *start_date;
	const char *end_date;
};

/* Residents holding a contract with team_id in force today, in resident id order after
 * `after`, at most limit (1..1000). Readable by admin, regulator and insurer, and by
 * institution_admin and doctor of the team's institution (personal data); YL_ERR_FORBIDDEN
 * otherwise, YL_ERR_NOT_FOUND for an unknown team. Results arena-owned. */
enum yl_err yl_team_residents(const struct yl_ctx *c, int64_t team_id, int64_t after, int limit,
			      struct yl_team_resident **items, int *n, bool *more);

#endif
