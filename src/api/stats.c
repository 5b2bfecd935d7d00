/* stats.c - /api/v1/stats (to be written). */
#include "api/routes.h"

const struct yl_route yl_routes_stats[] = {
	{NULL, NULL, NULL, 0},
};
