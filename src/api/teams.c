/* teams.c - /api/v1/teams (to be written). */
#include "api/routes.h"

const struct yl_route yl_routes_teams[] = {
	{NULL, NULL, NULL, 0},
};
