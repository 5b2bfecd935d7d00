/* contracts.c - /api/v1/contracts (to be written). */
#include "api/routes.h"

const struct yl_route yl_routes_contracts[] = {
	{NULL, NULL, NULL, 0},
};
