/* json_read.h - typed field extraction from request bodies, on top of jansson.
 *
 * yl_json_parse caps size and depth, rejects duplicate keys and non-object bodies; the getters
 * check type, presence and range and report the field at fault in a yl_diag. Strings returned
 * are arena-owned copies. Nothing here touches the store: bad input stops before the domain.
 */
#ifndef YL_BASE_JSON_READ_H
#define YL_BASE_JSON_READ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/diag.h"

enum { YL_JSON_MAX_BODY = 1024 * 1024 };

/* Parses len bytes as one JSON object. On success *out is a new reference the caller must
 * json_decref. Errors: YL_ERR_TOO_LARGE, YL_ERR_BAD_JSON (message has line and column). */
enum yl_err yl_json_parse(const char *body, size_t len, json_t **out, struct yl_diag *d);

/* Rejects any key of obj not in the NULL-terminated list `allowed` (YL_ERR_UNKNOWN_FIELD). */
enum yl_err yl_json_only(json_t *obj, const char *const *allowed, struct yl_diag *d);

/* String field: absent or null gives *out = NULL unless required (YL_ERR_MISSING). A string
 * longer than maxlen bytes or empty is YL_ERR_INVALID; a non-string is YL_ERR_INVALID. */
enum yl_err yl_json_str(json_t *obj, const char *key, bool required, size_t maxlen,
			struct yl_arena *a, const char **out, struct yl_diag *d);
/* Integer field within [min, max]; *present says whether it was given (may be NULL when
 * required). Reals, strings and booleans are YL_ERR_INVALID. */
enum yl_err yl_json_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max,
			int64_t *out, bool *present, struct yl_diag *d);
enum yl_err yl_json_bool(json_t *obj, const char *key, bool required, bool *out, bool *present,
			 struct yl_diag *d);
/* Date field "YYYY-MM-DD"; *present as above. */
enum yl_err yl_json_date(json_t *obj, const char *key, bool required, int32_t *out,
			 bool *present, struct yl_diag *d);

#endif
