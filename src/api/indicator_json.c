/* indicator_json.c - see indicator_json.h. */
#include "api/indicator_json.h"

#include <string.h>

void yl_indicator_json_opt(struct yl_jw *w, const char *key, bool has, double v)
{
	yl_jw_key(w, key);
	if (has)
		yl_jw_double(w, yl_indicator_round(v));
	else
		yl_jw_null(w);
}

void yl_indicator_value_json(struct yl_jw *w, const struct yl_indicator_def *d,
			     const struct yl_indicator_value *v)
{
	if (d->scope == YL_SCOPE_EVENT) {
		yl_jw_key(w, "numerator");
		yl_jw_null(w);
		yl_jw_key(w, "denominator");
		yl_jw_null(w);
		yl_jw_kint(w, "count", v->numerator);
		yl_indicator_json_opt(w, "value", v->has_value, v->value);
		return;
	}
	yl_jw_kint(w, "numerator", v->numerator);
	yl_jw_key(w, "denominator");
	if (d->den_measure)
		yl_jw_int(w, v->denominator);
	else
		yl_jw_null(w);
	yl_indicator_json_opt(w, "value", v->has_value, v->value);
}
