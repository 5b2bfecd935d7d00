/* ylt_indicator.c - indicator fixtures and checks (see ylt_indicator.h). */
#include "ylt_indicator.h"

#include <math.h>
#include <string.h>

#include "domain/referral.h"

int64_t ylt_referral(struct ylt_db *t, const char *dir, const char *care, int64_t resident,
		     int64_t from, int64_t to)
{
	struct yl_referral_new n = {0};
	struct yl_referral out;

	n.direction = dir;
	n.care_type = care;
	n.resident_id = resident;
	n.from_institution_id = from;
	n.to_institution_id = to;
	n.diagnosis_code = "I10";
	n.reason = "r";
	if (yl_referral_create(&t->ctx, &n, &out))
		fail_msg("referral: %s %s", t->diag.field, t->diag.message);
	return out.id;
}

void ylt_ind_query(struct ylt_db *t, struct ylt_ind *r, int64_t inst, int64_t cons,
		   const char *area, const char *from, const char *to)
{
	struct yl_indicator_query q = {0};

	q.institution_id = inst;
	q.consortium_id = cons;
	q.area_code = area;
	q.from = from;
	q.to = to;
	if (yl_indicator_compute(&t->ctx, &q, &r->res, &r->n))
		fail_msg("compute: %s %s", t->diag.field, t->diag.message);
}

const struct yl_indicator_result *ylt_ind_find(const struct ylt_ind *r, const char *id)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->res[i].def->id, id) == 0)
			return &r->res[i];
	fail_msg("no indicator %s", id);
	return NULL;
}

void ylt_ind_expect(const struct ylt_ind *r, const char *id, int64_t num, int64_t den,
		    double value)
{
	const struct yl_indicator_result *x = ylt_ind_find(r, id);

	if (x->cur.numerator != num || x->cur.denominator != den)
		fail_msg("%s: %lld/%lld, expected %lld/%lld", id, (long long)x->cur.numerator,
			 (long long)x->cur.denominator, (long long)num, (long long)den);
	if (value < 0) {
		assert_false(x->cur.has_value);
		assert_non_null(x->note);
		return;
	}
	assert_true(x->cur.has_value);
	if (fabs(yl_indicator_round(x->cur.value) - value) > 1e-9)
		fail_msg("%s: value %.6f, expected %.2f", id, x->cur.value, value);
}
