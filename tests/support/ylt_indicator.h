/* ylt_indicator.h - the indicator tests' fixtures and checks: referrals written through the
 * referral module, the indicators of one scope and period computed through the domain, and
 * one indicator's numerator, denominator and value checked against a figure worked out by
 * hand. Every helper fails the test on an error; none opens a transaction.
 */
#ifndef YLT_INDICATOR_H
#define YLT_INDICATOR_H

#include "domain/indicator.h"
#include "yltest.h"

/* Requests a referral of resident from `from` to `to` (direction up|down|lateral, care
 * outpatient|inpatient), diagnosis I10, reason "r", as t's actor; returns its id. */
int64_t ylt_referral(struct ylt_db *t, const char *dir, const char *care, int64_t resident,
		     int64_t from, int64_t to);

/* The rows of one yl_indicator_compute answer: arena-owned (t's arena), in catalogue order.
 * A test may also fill it with its own call: yl_indicator_compute(..., &r.res, &r.n). */
struct ylt_ind {
	struct yl_indicator_result *res;
	int n;
};

/* Computes every indicator of one scope (an institution, a consortium or an area: 0 or NULL
 * for the two unused) from month `from` to month `to` ("YYYY-MM") into r. */
void ylt_ind_query(struct ylt_db *t, struct ylt_ind *r, int64_t inst, int64_t cons,
		   const char *area, const char *from, const char *to);
/* The row of indicator id in r (fails the test when there is none). Borrowed from r. */
const struct yl_indicator_result *ylt_ind_find(const struct ylt_ind *r, const char *id);
/* Expects id's numerator, denominator and value rounded to 2 decimals; value < 0 means no
 * value, with a note saying why. */
void ylt_ind_expect(const struct ylt_ind *r, const char *id, int64_t num, int64_t den,
		    double value);

#endif
