/* Fuzzes JSON request handling end to end below the socket: the first input byte picks a
 * write endpoint, the rest is its body. The body goes through yl_json_parse, the handler's
 * field decoding and the domain's validation against an in-memory database, inside a
 * transaction that is always rolled back. Any crash, sanitizer report or error outside the
 * vocabulary is a finding. */
#undef NDEBUG /* the checks below are the point of the target */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes.h"
#include "base/json_read.h"
#include "domain/area.h"
#include "domain/institution.h"

static const char *const paths[] = {
	"/api/v1/areas", "/api/v1/institutions", "/api/v1/consortia", "/api/v1/departments",
	"/api/v1/practitioners", "/api/v1/residents", "/api/v1/teams", "/api/v1/contracts",
	"/api/v1/users", "/api/v1/consortia/1/members", "/api/v1/contracts/1/renew",
	"/api/v1/contracts/1/change", "/api/v1/contracts/1/end",
};

static struct yl_store *store;
static struct yl_clock fixed;

static const char *no_query(void *conn, const char *key)
{
	(void)conn;
	(void)key;
	return NULL;
}

static void seed(void)
{
	struct yl_arena a = YL_ARENA_INIT;
	struct yl_diag d;
	struct yl_actor actor = {0, "fuzz", YL_ROLE_ADMIN, 0, 0};
	struct yl_ctx c = {store, &fixed, &a, &d, &actor, false, false, NULL};
	struct yl_area areas[] = {{"440000", "p", NULL, NULL, 0}, {"440100", "c", NULL, NULL, 0},
				  {"440106", "d", NULL, NULL, 0}};
	struct yl_institution i[] = {
		{0, "T", "t", "tertiary", "general", "440100", 1, 0, 0},
		{0, "S", "s", "secondary", "general", "440106", 1, 0, 0},
		{0, "P", "p", "primary", "general", "440106", 1, 0, 0},
	};

	yl_store_begin(store, &d);
	for (size_t k = 0; k < 3; k++)
		yl_area_create(&c, &areas[k], NULL);
	for (size_t k = 0; k < 3; k++)
		yl_institution_create(&c, &i[k], NULL);
	yl_store_commit(store, &d);
	yl_arena_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct yl_arena arena = YL_ARENA_INIT;
	struct yl_diag diag;
	struct yl_actor actor = {0, "fuzz", YL_ROLE_ADMIN, 0, 0};
	struct yl_req req = {0};
	struct yl_buf out = YL_BUF_INIT;
	struct yl_jw w;
	const struct yl_route *route;
	json_t *body = NULL;
	bool known;
	enum yl_err err;

	if (!store) {
		yl_clock_fixed(&fixed, 1773540000);
		if (yl_store_open(":memory:", YL_STORE_CREATE, &store, &diag))
			abort();
		seed();
	}
	if (size < 1)
		return 0;
	yl_diag_clear(&diag);
	route = yl_route_match(&arena, "POST", paths[data[0] % (sizeof(paths) / sizeof(paths[0]))],
			       req.params, &req.nparams, &known);
	if (!route) {
		yl_arena_release(&arena);
		return 0;
	}
	err = yl_json_parse((const char *)data + 1, size - 1, &body, &diag);
	if (!err) {
		req.method = "POST";
		req.body = body;
		req.query = no_query;
		req.ctx.store = store;
		req.ctx.clock = &fixed;
		req.ctx.arena = &arena;
		req.ctx.diag = &diag;
		req.ctx.actor = &actor;
		yl_jw_init(&w, &out);
		if (yl_store_begin(store, &diag) == YL_OK) {
			err = route->fn(&req, &w);
			yl_store_rollback(store);
			/* Every failure must be a known, client-facing error with a message. */
			if (err) {
				assert(err < YL_ERR__COUNT);
				assert(err != YL_ERR_INTERNAL);
				assert(diag.message[0]);
			}
		}
	}
	json_decref(body);
	yl_buf_release(&out);
	yl_arena_release(&arena);
	return 0;
}
