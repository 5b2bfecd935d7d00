/* indicator_json.h - an indicator value as JSON, the one shape the API (GET /indicators) and
 * the report (`yilian report --json`) both print: numerator, denominator (null for a count),
 * value rounded with yl_indicator_round (null when not computable); an event row (a median)
 * prints its count instead of a numerator. */
#ifndef YL_API_INDICATOR_JSON_H
#define YL_API_INDICATOR_JSON_H

#include <stdbool.h>

#include "base/json_write.h"
#include "domain/indicator.h"

/* Writes key: value rounded, or null when !has. */
void yl_indicator_json_opt(struct yl_jw *w, const char *key, bool has, double v);
/* Writes the members of v (inside an object the caller opened) as described above. */
void yl_indicator_value_json(struct yl_jw *w, const struct yl_indicator_def *d,
			     const struct yl_indicator_value *v);

#endif
