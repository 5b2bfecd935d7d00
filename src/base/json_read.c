/* json_read.c - request-body parsing. jansson is strict (RFC 8259, UTF-8 checked, no NUL in
 * strings by default); we add the size cap, duplicate-key rejection and typed getters.
 */
#include "base/json_read.h"

#include <string.h>

#include "base/clock.h"

enum yl_err yl_json_parse(const char *body, size_t len, json_t **out, struct yl_diag *d)
{
	json_error_t jerr;
	json_t *root;

	*out = NULL;
	if (len > YL_JSON_MAX_BODY)
		return yl_diag_set(d, YL_ERR_TOO_LARGE, NULL, "body exceeds %d bytes", YL_JSON_MAX_BODY);
	if (len == 0)
		return yl_diag_set(d, YL_ERR_BAD_JSON, NULL, "body is empty; a JSON object is expected");
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return yl_diag_set(d, YL_ERR_BAD_JSON, NULL, "malformed JSON at line %d column %d: %s",
				   jerr.line, jerr.column, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return yl_diag_set(d, YL_ERR_BAD_JSON, NULL, "body must be a JSON object");
	}
	*out = root;
	return YL_OK;
}

enum yl_err yl_json_only(json_t *obj, const char *const *allowed, struct yl_diag *d)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		const char *const *a = allowed;
		(void)v;
		while (*a && strcmp(*a, key) != 0)
			a++;
		if (!*a)
			return yl_diag_set(d, YL_ERR_UNKNOWN_FIELD, key, "unknown field '%.40s'", key);
	}
	return YL_OK;
}

static json_t *field(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_null(v) ? NULL : v;
}

enum yl_err yl_json_str(json_t *obj, const char *key, bool required, size_t maxlen,
			struct yl_arena *a, const char **out, struct yl_diag *d)
{
	json_t *v = field(obj, key);
	size_t n;

	*out = NULL;
	if (!v)
		return required ? yl_diag_set(d, YL_ERR_MISSING, key, "%s is required", key) : YL_OK;
	if (!json_is_string(v))
		return yl_diag_set(d, YL_ERR_INVALID, key, "%s must be a string", key);
	n = json_string_length(v);
	if (n == 0)
		return yl_diag_set(d, YL_ERR_INVALID, key, "%s must not be empty", key);
	if (n > maxlen)
		return yl_diag_set(d, YL_ERR_INVALID, key, "%s is longer than %zu bytes", key, maxlen);
	*out = yl_arena_strndup(a, json_string_value(v), n);
	return YL_OK;
}

enum yl_err yl_json_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max,
			int64_t *out, bool *present, struct yl_diag *d)
{
	json_t *v = field(obj, key);
	json_int_t i;

	if (present)
		*present = false;
	if (!v)
		return required ? yl_diag_set(d, YL_ERR_MISSING, key, "%s is required", key) : YL_OK;
	if (!json_is_integer(v))
		return yl_diag_set(d, YL_ERR_INVALID, key, "%s must be an integer", key);
	i = json_integer_value(v);
	if (i < min || i > max)
		return yl_diag_set(d, YL_ERR_INVALID, key, "%s must be between %lld and %lld", key,
				   (long long)min, (long long)max);
	*out = (int64_t)i;
	if (present)
		*present = true;
	return YL_OK;
}

enum yl_err yl_json_bool(json_t *obj, const char *key, bool required, bool *out, bool *present,
			 struct yl_diag *d)
{
	json_t *v = field(obj, key);

	if (present)
		*present = false;
	if (!v)
		return required ? yl_diag_set(d, YL_ERR_MISSING, key, "%s is required", key) : YL_OK;
	if (!json_is_boolean(v))
		return yl_diag_set(d, YL_ERR_INVALID, key, "%s must be true or false", key);
	*out = json_is_true(v);
	if (present)
		*present = true;
	return YL_OK;
}

enum yl_err yl_json_date(json_t *obj, const char *key, bool required, int32_t *out,
			 bool *present, struct yl_diag *d)
{
	json_t *v = field(obj, key);

	if (present)
		*present = false;
	if (!v)
		return required ? yl_diag_set(d, YL_ERR_MISSING, key, "%s is required", key) : YL_OK;
	if (!json_is_string(v) || !yl_date_parse(json_string_value(v), out))
		return yl_diag_set(d, YL_ERR_INVALID, key, "%s must be a date YYYY-MM-DD", key);
	if (present)
		*present = true;
	return YL_OK;
}
