/* router.c - matches "/api/v1/x/{id}/y" patterns segment by segment. Tables are small and
 * scanned linearly: a few dozen routes cost less than a hash lookup's setup.
 */
#include "api/routes.h"

#include <string.h>

static const struct yl_route *const tables[] = {
	yl_routes_health, yl_routes_areas, yl_routes_institutions, yl_routes_consortia,
	yl_routes_departments, yl_routes_practitioners, yl_routes_residents, yl_routes_teams,
	yl_routes_contracts, yl_routes_users, yl_routes_stats, yl_routes_settings, yl_routes_audit,
	yl_routes_schedules, yl_routes_sessions, yl_routes_slots, yl_routes_bookings,
	yl_routes_encounters, yl_routes_referrals, yl_routes_indicators,
};

/* Matches pattern against path; on success fills params. */
static bool match(struct yl_arena *a, const char *pattern, const char *path, const char **params,
		  int *nparams)
{
	int n = 0;

	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *end = strchr(path, '/');
			size_t len = end ? (size_t)(end - path) : strlen(path);
			if (len == 0 || n == YL_MAX_PATH_PARAMS)
				return false;
			params[n++] = yl_arena_strndup(a, path, len);
			path += len;
			pattern = strchr(pattern, '}');
			if (!pattern)
				return false;
			pattern++;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++;
		path++;
	}
	if (*pattern || *path)
		return false;
	*nparams = n;
	return true;
}

const struct yl_route *yl_route_match(struct yl_arena *a, const char *method, const char *path,
				      const char **params, int *nparams, bool *path_known)
{
	*path_known = false;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (const struct yl_route *r = tables[t]; r->method; r++) {
			if (!match(a, r->pattern, path, params, nparams))
				continue;
			if (strcmp(r->method, method) == 0)
				return r;
			*path_known = true;
		}
	}
	return NULL;
}
