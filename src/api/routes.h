/* routes.h - the route tables of every resource, each terminated by a {NULL} entry, and the
 * matcher. Adding a resource: write src/api/<resource>.c with its table, declare it here and
 * list it in router.c.
 */
#ifndef YL_API_ROUTES_H
#define YL_API_ROUTES_H

#include "api/http.h"

extern const struct yl_route yl_routes_health[];
extern const struct yl_route yl_routes_areas[];
extern const struct yl_route yl_routes_institutions[];
extern const struct yl_route yl_routes_consortia[];
extern const struct yl_route yl_routes_departments[];
extern const struct yl_route yl_routes_practitioners[];
extern const struct yl_route yl_routes_residents[];
extern const struct yl_route yl_routes_teams[];
extern const struct yl_route yl_routes_contracts[];
extern const struct yl_route yl_routes_users[];
extern const struct yl_route yl_routes_stats[];
extern const struct yl_route yl_routes_settings[];
extern const struct yl_route yl_routes_audit[];
extern const struct yl_route yl_routes_bookings[];
extern const struct yl_route yl_routes_schedules[];
extern const struct yl_route yl_routes_sessions[];
extern const struct yl_route yl_routes_slots[];
extern const struct yl_route yl_routes_encounters[];
extern const struct yl_route yl_routes_referrals[];
extern const struct yl_route yl_routes_indicators[];

/* Finds the route for method and path. Path parameters are copied into arena a and stored in
 * params/nparams. Returns NULL when nothing matches; then *path_known says whether the path
 * exists with another method (405 rather than 404). */
const struct yl_route *yl_route_match(struct yl_arena *a, const char *method, const char *path,
				      const char **params, int *nparams, bool *path_known);

#endif
