/* measure.h - the live aggregates the indicators read (measure_agg): monthly sums of named
 * measures by institution, month of the event and the resident's county, kept up to date by
 * every encounter and referral write in that write's own transaction, and rebuilt from the raw
 * events on demand.
 *
 * Measures (integer sums; money in fen):
 *   encounters (by institution_id and visit_date; 门急诊 = outpatient + emergency):
 *     opem_visits, opem_visits_primary (at a primary or village institution, 基层),
 *     opem_visits_signed (the resident had a contract covering the visit date),
 *     opem_visits_signed_combo (signed, and the institution is the contract's team
 *     institution, secondary or tertiary: the 1+1+1 combination), opem_visits_signed_primary,
 *     opem_cost, opem_drug_cost; ip_admissions, ip_cost, ip_drug_cost (inpatient, by admission
 *     date); cost_total, cost_drugs, out_of_pocket, fund_paid (every kind);
 *   referrals (by the sending institution and the local date of the request):
 *     ref_issued (every direction), ref_up_op, ref_up_ip, ref_down_op, ref_down_ip,
 *     ref_up_primary_op, ref_up_primary_ip (up from a primary or village institution),
 *     ref_completed (added when the referral completes, under its request's month, so
 *     closure compares like with like).
 * An encounter is a signed resident's when, at the moment it was recorded, a contract
 * covered its date: start_date <= D <= end_date, not ended or changed on or before D
 * (ended_on > D) unless that ending came after the recording, and the contract itself made
 * before it. Live this is the state of the contracts at the write; the rebuild reads the same
 * moment back from encounters.created_at, contracts.created_at and (for an ended row, never
 * written again) contracts.updated_at, so the two agree.
 * Rows are written only for non-zero deltas, and every delta is positive, so a row exists
 * exactly when its sum is positive; the rebuild keeps the same rule.
 */
#ifndef YL_DOMAIN_MEASURE_H
#define YL_DOMAIN_MEASURE_H

#include "domain/ctx.h"

struct yl_encounter;

enum { YL_MEASURE_COUNTY_LEN = 7 };

/* Adds delta to measure for (institution_id, month of date, resident_county) with one
 * portable UPSERT (INSERT ... ON CONFLICT DO UPDATE SET value = value + excluded.value).
 * date is "YYYY-MM-DD" or "YYYY-MM" (only the first 7 characters are used); measure,
 * date and county are borrowed. A zero delta writes nothing. Runs in the caller's
 * transaction; errors are the store's (YL_ERR_NOT_FOUND for an unknown institution). */
enum yl_err yl_measure_add(const struct yl_ctx *c, const char *measure, int64_t institution_id,
			   const char *date, const char *resident_county, int64_t delta);

/* A write-behind buffer for measure_agg: with c->measures set, yl_measure_add adds the delta
 * to the buffer (summing deltas of the same key) instead of writing a row, and
 * yl_measure_flush writes one UPSERT per key. A face that runs many writes in one
 * transaction (the simulator's day) sets it and flushes before it commits, so the aggregates
 * still change in the same transaction as the events. Reads of measure_agg inside that
 * transaction do not see unflushed deltas. Not thread-safe: one per ctx. */
struct yl_measure_buf;
struct yl_measure_buf *yl_measure_buf_new(void);
void yl_measure_buf_free(struct yl_measure_buf *b);
/* Writes every buffered delta (in the caller's transaction) and empties the buffer; errors
 * are the store's. Does nothing when c->measures is NULL. */
enum yl_err yl_measure_flush(const struct yl_ctx *c);

/* What an encounter's measures depend on, with its references, in one read (the encounter
 * module checks the references with it, so a write with live aggregates reads them once). */
struct yl_measure_facts {
	bool resident;            /* e->resident_id exists */
	bool institution;         /* e->institution_id exists */
	int64_t department_owner; /* the institution of e->department_id; -1 when absent */
	bool primary;             /* the institution is 基层 (primary or village) */
	bool signed_;             /* a contract covers the visit date, at this moment */
	bool combo;               /* ... and the institution is in its 1+1+1 combination */
	char county[YL_MEASURE_COUNTY_LEN];
};
/* Reads f for encounter e (not yet inserted, or just inserted: contracts are what count).
 * Missing references are reported in f, not as errors; errors are the store's. */
enum yl_err yl_measure_encounter_facts(const struct yl_ctx *c, const struct yl_encounter *e,
				       struct yl_measure_facts *f);
/* Adds the measures of encounter e (just inserted, every field checked, f read for it by
 * yl_measure_encounter_facts in the same transaction) in the caller's transaction: one
 * yl_measure_add per non-zero measure. */
enum yl_err yl_measure_encounter(const struct yl_ctx *c, const struct yl_encounter *e,
				 const struct yl_measure_facts *f);

/* Adds the request measures of referral id (just inserted). */
enum yl_err yl_measure_referral_requested(const struct yl_ctx *c, int64_t id);

/* Adds ref_completed for referral id (just moved to completed). */
enum yl_err yl_measure_referral_completed(const struct yl_ctx *c, int64_t id);

/* Recomputes measure_agg from encounters and referrals: deletes every row and refills it with
 * set-based queries (grouped sums, not one row at a time), in the caller's transaction, so a
 * failure leaves the old table after rollback. Admin only (YL_ERR_FORBIDDEN). *rows (may be
 * NULL) receives the number of rows written. */
enum yl_err yl_measure_rebuild(const struct yl_ctx *c, int64_t *rows);

#endif
