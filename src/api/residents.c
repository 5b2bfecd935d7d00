/* residents.c - /api/v1/residents (to be written). */
#include "api/routes.h"

const struct yl_route yl_routes_residents[] = {
	{NULL, NULL, NULL, 0},
};
