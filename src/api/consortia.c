/* consortia.c - /api/v1/consortia (to be written). */
#include "api/routes.h"

const struct yl_route yl_routes_consortia[] = {
	{NULL, NULL, NULL, 0},
};
