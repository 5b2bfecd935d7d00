/* contract.h - "1+1+1" family-doctor contracts (组合签约): a resident signs with one
 * family-doctor team at a primary centre, one secondary (district) hospital and one tertiary
 * (city) hospital, for a term of whole years.
 *
 * A contract is in force on day D when its status is active or scheduled and D lies between its
 * start and end dates (YL_CONTRACT_IN_FORCE, the one definition every module counts with). An
 * early renewal is a 'scheduled' row starting the day after its predecessor ends, so the
 * resident is never without cover. Stored statuses lag behind the calendar; reads derive the
 * status of the day, and every write settles the resident's rows first. Contracts are never
 * deleted: renewal, change and ending close the old row and keep it as history.
 */
#ifndef YL_DOMAIN_CONTRACT_H
#define YL_DOMAIN_CONTRACT_H

#include "domain/ctx.h"

enum { YL_CONTRACT_MAX_TERM = 5, YL_CONTRACT_REASON_MAX = 500 };

/* SQL condition: contract row `k` (the alias is part of the contract) is in force on day D,
 * i.e. status IN ('active','scheduled') AND start_date <= D AND end_date >= D. It holds two
 * parameters, both D as 'YYYY-MM-DD' text; bind them with yl_contract_bind_day. At most one
 * row of a resident is in force on any day: one 'active' and one 'scheduled' row at most
 * (unique indexes), and a scheduled row starts the day after the active one ends. */
#define YL_CONTRACT_IN_FORCE \
	"(k.status IN ('active','scheduled') AND k.start_date <= ? AND k.end_date >= ?)"

/* Binds day (YYYY-MM-DD, copied) to the two parameters of one YL_CONTRACT_IN_FORCE starting
 * at parameter idx; returns the index of the parameter after them. */
int yl_contract_bind_day(struct yl_stmt *st, int idx, const char *day);

struct yl_contract {
	int64_t id;
	int64_t resident_id;
	int64_t team_id;
	int64_t team_institution_id;
	int64_t secondary_id;
	int64_t tertiary_id;
	const char *start_date; /* YYYY-MM-DD */
	const char *end_date;   /* last day covered */
	const char *status;     /* active | scheduled | expired | renewed | changed | ended (derived
				 * for the day: see yl_contract_get) */
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

/* Signs a contract from start_date (default today; never after today, backdating allowed while
 * the end is not before today); end date = start + term years - 1 day, where a 29 February
 * start plus N years is 1 March in a non-leap year. Needs admin, or institution_admin/doctor
 * of the team's institution. The resident's rows are settled first (see below). Errors:
 * YL_ERR_MISSING/INVALID (field named), YL_ERR_NOT_FOUND (resident, team, hospital; field
 * named), YL_ERR_LEVEL (secondary_id not secondary, tertiary_id not tertiary),
 * YL_ERR_ACTIVE_CONTRACT (a contract in force or scheduled), YL_ERR_CAPACITY,
 * YL_ERR_FORBIDDEN. Nothing is written on error. *out (may be NULL) is arena-owned.
 *
 * Settling (every write, for the resident it touches, after its checks and before its own
 * writes): a scheduled row whose start date has come becomes active and the active row it
 * succeeds becomes renewed; then an active row past its end date becomes expired. */
enum yl_err yl_contract_sign(const struct yl_ctx *c, const struct yl_contract_sign *in,
			     struct yl_contract *out);

/* Loads a contract with its status derived for today, without writing: a scheduled row whose
 * start date has come is active; an active row whose scheduled successor has started is
 * renewed; an active row past its end date is expired. Staff roles read any contract, a
 * resident only their own (YL_ERR_NOT_FOUND for others, as for unknown ids). */
enum yl_err yl_contract_get(const struct yl_ctx *c, int64_t id, struct yl_contract *out);

/* Brings every contract's stored status up to today, as each write does for its own
 * resident (see "Settling" above): started renewals become active and retire the rows they
 * succeed, active rows past their end expire. Reads already derive the day's status, so this
 * changes no answer; it keeps the stored statuses, and so the indexed ranges that capacity
 * counts and lookups scan, from growing with history. Meant to run daily (the simulator does,
 * at the start of each day). Admin only. *changed (may be NULL) receives the rows changed. One
 * audit row when anything changed, unless c->batch. */
enum yl_err yl_contract_settle_all(const struct yl_ctx *c, int64_t *changed);

/* The 1+1+1 combination of a resident's contract in force: who they signed with. */
struct yl_contract_combo {
	int64_t contract_id;
	int64_t team_id;
	int64_t team_institution_id;
	int64_t secondary_id;
	int64_t tertiary_id;
};
/* The resident's contract in force today (YL_CONTRACT_IN_FORCE) as its combination, in one
 * indexed read without strings (the simulator asks for thousands of residents a day): *found
 * false when there is none (not an error). Staff roles read any resident's, a resident user
 * only their own (YL_ERR_FORBIDDEN otherwise). */
enum yl_err yl_contract_combo_current(const struct yl_ctx *c, int64_t resident_id,
				      struct yl_contract_combo *out, bool *found);

/* Renews a contract for term_years (0: the setting); the new one points back to the old one.
 * A contract still in force gets a 'scheduled' successor from the day after its end date and
 * stays active until then (it becomes renewed when the successor starts). An expired one gets
 * an active successor from today and becomes renewed at once. Same permission and capacity
 * rules as signing. YL_ERR_CONFLICT when it already has a scheduled successor ("already
 * renewed"), or is scheduled, renewed, changed or ended; YL_ERR_ACTIVE_CONTRACT when the
 * resident of an expired one holds another contract. */
enum yl_err yl_contract_renew(const struct yl_ctx *c, int64_t id, int term_years,
			      struct yl_contract *out);

/* Changes the team and/or hospitals of an active or scheduled contract: the old one becomes
 * changed (end_reason, ended_on today). The new one of an active contract is active from today
 * to the old end date; that of a scheduled one is scheduled with the same dates. Every signing
 * rule is checked again for the new combination, including a new team's capacity; the signer
 * must be staff of the new team's institution. YL_ERR_CONFLICT for a contract that is neither
 * (expired included) or that has a scheduled successor (change the renewal or end it first),
 * YL_ERR_INVALID when nothing changes. */
enum yl_err yl_contract_change(const struct yl_ctx *c, int64_t id,
			       const struct yl_contract_change *in, struct yl_contract *out);

/* Ends an active or scheduled contract (status ended, end_reason, ended_on today). Ending a
 * scheduled renewal cancels only it; ending an active contract with a scheduled successor ends
 * both with the same reason. Needs staff of the team's institution. YL_ERR_MISSING without a
 * reason, YL_ERR_CONFLICT when neither active nor scheduled. */
enum yl_err yl_contract_end(const struct yl_ctx *c, int64_t id, const char *reason,
			    struct yl_contract *out);

struct yl_contract_filter {
	int64_t resident_id;     /* 0: any */
	int64_t team_id;         /* 0: any */
	const char *status;      /* NULL or active | scheduled | expired | renewed | changed | ended
				  * (derived for today, as by yl_contract_get) */
	int64_t expiring_within; /* -1: no filter; else in force, end date in [today, today+N],
				  * and no scheduled successor (already renewed is not expiring) */
	int64_t after;           /* cursor: ids greater than this */
	int limit;               /* 1..1000 */
};

/* Lists contracts in id order (every status; the history of a resident). A resident sees
 * only their own: their filter is forced to themselves, YL_ERR_FORBIDDEN when they ask for
 * another resident. YL_ERR_INVALID for an unknown status. Results arena-owned. Status
 * "active" lists exactly the contracts in force today. */
enum yl_err yl_contract_list(const struct yl_ctx *c, const struct yl_contract_filter *f,
			     struct yl_contract **items, int *n, bool *more);

#endif
