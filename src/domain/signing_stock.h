/* signing_stock.h - live aggregates of the stock indicators C1 (family-doctor signing rate)
 * and C2 (key-population signing rate): table signing_stock (migration 7), kept up to date by
 * every write that can change a resident's part in them, in that write's own transaction, and
 * rebuilt from residents and contracts on demand.
 *
 * Definitions, for an area (home area equal to it or under it) and a day D:
 *   residents(D)  residents born on or before D;
 *   signed(D)     those with a contract covering D in the historical reading: start_date <= D
 *                 <= end_date, and ended_on NULL or after D (measure.h), whatever the
 *                 contract's status today; each person once, however many rows cover D;
 *   key(D)        those with a stored key-population tag, or aged 65 or more on D, or aged 0
 *                 to 6 on D (yl_age_on), each once;
 *   signed_key(D) those both signed(D) and key(D).
 * C1 = signed / residents, C2 = signed_key / key, on the last day of the period or today when
 * that is earlier (indicator.h). Residents count under their current home area and tags for
 * the whole of their history (neither is historised): a move or a tag change rewrites the past
 * too, exactly as the direct count (yl_signing_count_on) reads it.
 *
 * Storage. Each resident's part is a list of dated +1/-1 changes of four columns: its birth
 * (+1 residents, and +1 tagged_residents with a stored tag), +1 signed_residents at the start
 * of each run of covered days and -1 the day after it ends (overlapping or adjacent contracts
 * merge into one run, days before birth are cut off), and +1/-1 signed_key_residents where
 * such a run meets a key interval (a stored tag: from birth on; else [birth, 7th birthday)
 * and [65th birthday, on)). A change dated d adds to the row of its decade ('x', 'YYY'), its
 * year ('y', 'YYYY') and its month ('m', 'YYYY-MM'); the two signed columns also to the row of
 * its day ('d', 'YYYY-MM-DD'). The sum of the changes dated on or before a day x is then: the
 * decade rows before x's decade, the year rows of its decade before its year, the month rows
 * of its year up to its month (its own included when x ends it), and otherwise the day rows
 * of x's month up to x for the signed columns and, for the two birth columns, the births of
 * those days counted in residents (index residents_birth). With R(x) and T(x) those sums of
 * births and tagged births, key(D) needs no rows of its own: key(D) = R(D) - R(y7) + T(y7) +
 * R(o65) - T(o65), where y7 and o65 are the latest birth dates aged 7 and 65 on D (the
 * tagged, the untagged born after y7, the untagged born by o65). So registering a resident
 * writes three rows and no birthday ever writes one; a query reads at most (decades of
 * history + 9 + 12 + 31) rows per home area for each of D, y7 and o65, each range one seek on
 * a covering index; and the table holds at most one row per home area and decade, year,
 * month, or day with a contract change: ten million births make month rows, never day rows.
 * A row whose four values are all 0 is deleted, so the live table equals a rebuild row for
 * row. With ctx.no_live_measures set (bulk loads, benchmarks) nothing is maintained and the
 * table is marked stale (settings key signing_stock_stale); while stale, reads fall back to
 * yl_signing_count_on, until yl_signing_stock_rebuild.
 */
#ifndef YL_DOMAIN_SIGNING_STOCK_H
#define YL_DOMAIN_SIGNING_STOCK_H

#include "domain/ctx.h"
#include "domain/signing.h"

/* A resident's part as stored before a write (opaque; arena-owned). */
struct yl_signing_stock_mark;

/* Records resident_id's part in the counts as its rows stand now (home area, birth date,
 * stored tags, contracts), before a write that may change it; an unknown id has no part.
 * *out is arena-owned. Reads only. Call it after the write's checks, before its first write,
 * and pass the mark to yl_signing_stock_update after the last. Errors are the store's. */
enum yl_err yl_signing_stock_mark(const struct yl_ctx *c, int64_t resident_id,
				  struct yl_signing_stock_mark **out);

/* Computes the resident's part again from its rows as they stand now and writes the
 * difference from m (retract the old part, apply the new one) to signing_stock, in the
 * caller's transaction: one UPSERT per changed (area, grain, period), rows reaching all zeros
 * deleted. Nothing is written when nothing changed. Errors are the store's. */
enum yl_err yl_signing_stock_update(const struct yl_ctx *c, const struct yl_signing_stock_mark *m);

/* Adds the part of a resident just created (no contract yet): home area (borrowed), birth
 * date and stored tags, without reading anything back. Errors are the store's. */
enum yl_err yl_signing_stock_add_resident(const struct yl_ctx *c, const char *home_area_code,
					  int32_t birth, unsigned tags);

/* The four counts of area_code on day `on` from signing_stock (yl_signing_count_on while the
 * table is stale). Any staff role; YL_ERR_MISSING without an area, YL_ERR_NOT_FOUND for an
 * unknown one. Reads only; run it in a read transaction for one snapshot. */
enum yl_err yl_signing_stock_counts(const struct yl_ctx *c, const char *area_code, int32_t on,
				    struct yl_signing_counts *out);

/* Recomputes signing_stock from residents and contracts: deletes every row, then one pass over
 * the residents in home-area order (one streamed query joined to their contracts), adding each
 * resident's part to per-area totals of bounded size (one slot per decade, year, month and
 * day of 1900-2299, about 5 MiB of the arena) written out when the area changes; clears the
 * stale mark. In the caller's transaction, so a failure leaves the old table after rollback.
 * Admin only (YL_ERR_FORBIDDEN). *rows (may be NULL) receives the rows written. */
enum yl_err yl_signing_stock_rebuild(const struct yl_ctx *c, int64_t *rows);

#endif
