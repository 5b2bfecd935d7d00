/* departments.c - /api/v1/departments (to be written). */
#include "api/routes.h"

const struct yl_route yl_routes_departments[] = {
	{NULL, NULL, NULL, 0},
};
