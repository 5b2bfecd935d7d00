/* practitioners.c - /api/v1/practitioners (to be written). */
#include "api/routes.h"

const struct yl_route yl_routes_practitioners[] = {
	{NULL, NULL, NULL, 0},
};
