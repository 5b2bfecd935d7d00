/* setting.h - the platform's configurable defaults (team capacity, contract term, booking
 * limits). Only known keys with a range may be set, so a typo cannot create a setting that
 * nothing reads. Values are integers.
 */
#ifndef YL_DOMAIN_SETTING_H
#define YL_DOMAIN_SETTING_H

#include "domain/ctx.h"

struct yl_setting {
	const char *key;
	int64_t value;
	int64_t min, max;        /* allowed range */
	const char *description; /* static */
};

/* Every known setting with its current value; *items is an arena array of *n. Any staff
 * role may read. */
enum yl_err yl_setting_list(const struct yl_ctx *c, struct yl_setting **items, int *n);
/* Sets a known key (admin). Errors: YL_ERR_NOT_FOUND (unknown key), YL_ERR_INVALID (out of
 * range), YL_ERR_FORBIDDEN. Audited with the old and new value. */
enum yl_err yl_setting_set(const struct yl_ctx *c, const char *key, int64_t value);

#endif
