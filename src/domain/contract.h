/* contract.h - "1+1+1" family-doctor contracts (组合签约): a resident signs with one
 * family-doctor team at a primary centre, one secondary (district) hospital and one tertiary
 * (city) hospital, for a term of whole years.
 *
 * A contract is active from signing until its end date; a row still marked active whose end
 * date has passed is expired and is shown, counted and treated as such everywhere. Contracts
 * are never deleted: renewal, change and ending close the old row and keep it as history.
 */
#ifndef YL_DOMAIN_CONTRACT_H
#define YL_DOMAIN_CONTRACT_H

#include "domain/ctx.h"

enum { YL_CONTRACT_MAX_TERM = 5, YL_CONTRACT_REASON_MAX = 500 };

struct yl_contract {
	int64_t id;
	int64_t resident_id;
	int64_t team_id;
	int64_t team_institution_id;
	int64_t secondary_id;
	int64_t tertiary_id;
	const char *start_date; /* YYYY-MM-DD */
	const char *end_date;   /* last day covered */
	const char *status;     /* active | expired | renewed | changed | ended (expired derived) */
	const char *end_reason; /* NULL unless changed or ended */
	const char *ended_on;   /* NULL unless changed or ended */
	int64_t previous_id;    /* 0 unless made by renewal or change */
	int64_t created_at;
};

struct yl_contract_sign {
	int64_t resident_id;
	int64_t team_id;
	int64_t secondary_id;
	int64_t tertiary_id;
	int32_t start_date; /* days since epoch; used only when has_start */
	bool has_start;     /* false: today */
	int term_years;     /* 0: the setting contract_term_years; else 1..5 */
};

struct yl_contract_change {
	int64_t team_id;      /* 0: keep */
	int64_t secondary_id; /* 0: keep */
	int64_t tertiary_id;  /* 0: keep */
	const char *reason;   /* required */
};

/* Signs a contract; end date = start + term years - 1 day and must not be before today.
 * Needs admin, or institution_admin/doctor of the team's institution. Before inserting, a stale
 * row of the resident (active but past its end date) is marked expired. Errors:
 * YL_ERR_MISSING/INVALID (field named), YL_ERR_NOT_FOUND (resident, team, hospital; field
 * named), YL_ERR_LEVEL (secondary_id not secondary, tertiary_id not tertiary),
 * YL_ERR_ACTIVE_CONTRACT, YL_ERR_CAPACITY, YL_ERR_FORBIDDEN. Nothing is written on error.
 * *out (may be NULL) is arena-owned. */
enum yl_err yl_contract_sign(const struct yl_ctx *c, const struct yl_contract_sign *in,
			     struct yl_contract *out);

/* Loads a contract with its derived status. Staff roles read any contract, a resident only
 * their own (YL_ERR_NOT_FOUND for others, as for unknown ids). */
enum yl_err yl_contract_get(const struct yl_ctx *c, int64_t id, struct yl_contract *out);

/* Renews an active or expired contract for term_years (0: the setting): the new contract
 * starts the day after the old end date, or today if that has passed; the old one becomes
 * renewed and the new one points back to it. Same permission and capacity rules as signing.
 * YL_ERR_CONFLICT when the contract was already renewed, changed or ended. */
enum yl_err yl_contract_renew(const struct yl_ctx *c, int64_t id, int term_years,
			      struct yl_contract *out);

/* Changes the team and/or hospitals of an active contract: the old one becomes changed
 * (end_reason, ended_on today), the new one runs from today to the old end date. Every
 * signing rule is checked again for the new combination, including a new team's capacity;
 * the signer must be staff of the new team's institution. YL_ERR_CONFLICT for a contract that
 * is not active (expired included), YL_ERR_INVALID when nothing changes. */
enum yl_err yl_contract_change(const struct yl_ctx *c, int64_t id,
			       const struct yl_contract_change *in, struct yl_contract *out);

/* Ends an active contract (status ended, end_reason, ended_on today). Needs staff of the
 * team's institution. YL_ERR_MISSING without a reason, YL_ERR_CONFLICT when not active. */
enum yl_err yl_contract_end(const struct yl_ctx *c, int64_t id, const char *reason,
			    struct yl_contract *out);

struct yl_contract_filter {
	int64_t resident_id;     /* 0: any */
	int64_t team_id;         /* 0: any */
	const char *status;      /* NULL or active | expired | renewed | changed | ended (derived) */
	int64_t expiring_within; /* -1: no filter; else active, end date in [today, today+N] */
	int64_t after;           /* cursor: ids greater than this */
	int limit;               /* 1..1000 */
};

/* Lists contracts in id order (every status; the history of a resident). A resident sees
 * only their own: their filter is forced to themselves, YL_ERR_FORBIDDEN when they ask for
 * another resident. YL_ERR_INVALID for an unknown status. Results arena-owned. */
enum yl_err yl_contract_list(const struct yl_ctx *c, const struct yl_contract_filter *f,
			     struct yl_contract **items, int *n, bool *more);

#endif
