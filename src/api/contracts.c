/* contracts.c - /api/v1/contracts: sign a "1+1+1" contract, read one, list a resident's
 * history or a team's contracts (by derived status or expiring soon), and the actions renew,
 * change and end. Contracts are not importable, so the decoder stays in this file.
 */
#include <string.h>

#include "api/routes.h"
#include "base/json_read.h"
#include "domain/contract.h"

static void contract_json(struct yl_jw *w, const struct yl_contract *k)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", k->id);
	yl_jw_kint(w, "resident_id", k->resident_id);
	yl_jw_kint(w, "team_id", k->team_id);
	yl_jw_kint(w, "team_institution_id", k->team_institution_id);
	yl_jw_kint(w, "secondary_id", k->secondary_id);
	yl_jw_kint(w, "tertiary_id", k->tertiary_id);
	yl_jw_kstr(w, "start_date", k->start_date);
	yl_jw_kstr(w, "end_date", k->end_date);
	yl_jw_kstr(w, "status", k->status);
	yl_jw_kstr(w, "end_reason", k->end_reason);
	yl_jw_kstr(w, "ended_on", k->ended_on);
	yl_jw_kid(w, "previous_id", k->previous_id);
	yl_jw_ktime(w, "created_at", k->created_at);
	yl_jw_obj_end(w);
}

static enum yl_err decode_sign(const struct yl_ctx *c, json_t *obj, struct yl_contract_sign *in)
{
	static const char *const fields[] = {"resident_id", "team_id", "secondary_id", "tertiary_id",
					     "start_date", "term_years", NULL};
	int64_t term = 0;
	enum yl_err err;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_int(obj, "resident_id", true, 1, INT64_MAX, &in->resident_id, NULL,
			       c->diag)) ||
	    (err = yl_json_int(obj, "team_id", true, 1, INT64_MAX, &in->team_id, NULL, c->diag)) ||
	    (err = yl_json_int(obj, "secondary_id", true, 1, INT64_MAX, &in->secondary_id, NULL,
			       c->diag)) ||
	    (err = yl_json_int(obj, "tertiary_id", true, 1, INT64_MAX, &in->tertiary_id, NULL,
			       c->diag)) ||
	    (err = yl_json_date(obj, "start_date", false, &in->start_date, &in->has_start, c->diag)) ||
	    (err = yl_json_int(obj, "term_years", false, 1, YL_CONTRACT_MAX_TERM, &term, NULL,
			       c->diag)))
		return err;
	in->term_years = (int)term;
	return YL_OK;
}

static enum yl_err post_contract(struct yl_req *r, struct yl_jw *w)
{
	struct yl_contract_sign in;
	struct yl_contract out;
	enum yl_err err;

	if ((err = decode_sign(&r->ctx, r->body, &in)) ||
	    (err = yl_contract_sign(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	contract_json(w, &out);
	return YL_OK;
}

static enum yl_err get_contract(struct yl_req *r, struct yl_jw *w)
{
	struct yl_contract k;
	int64_t id;
	enum yl_err err = yl_req_id(r, 0, &id);

	if (!err)
		err = yl_contract_get(&r->ctx, id, &k);
	if (!err)
		contract_json(w, &k);
	return err;
}

static enum yl_err list_contracts(struct yl_req *r, struct yl_jw *w)
{
	struct yl_contract_filter f = {0};
	struct yl_contract *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "resident_id", 0, 1, INT64_MAX, &f.resident_id)) ||
	    (err = yl_req_query_int(r, "team_id", 0, 1, INT64_MAX, &f.team_id)) ||
	    (err = yl_req_query_int(r, "expiring_within", -1, 0, 3660, &f.expiring_within)))
		return err;
	f.status = yl_req_query(r, "status");
	err = yl_contract_list(&r->ctx, &f, &items, &n, &more);
	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		contract_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

static enum yl_err post_renew(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"term_years", NULL};
	struct yl_contract out;
	int64_t id, term = 0;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "term_years", false, 1, YL_CONTRACT_MAX_TERM, &term, NULL,
			       r->ctx.diag)) ||
	    (err = yl_contract_renew(&r->ctx, id, (int)term, &out)))
		return err;
	r->status = 201;
	contract_json(w, &out);
	return YL_OK;
}

static enum yl_err post_change(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"team_id", "secondary_id", "tertiary_id", "reason",
					     NULL};
	struct yl_contract_change in = {0};
	struct yl_contract out;
	struct yl_ctx *c = &r->ctx;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "team_id", false, 1, INT64_MAX, &in.team_id, NULL, c->diag)) ||
	    (err = yl_json_int(r->body, "secondary_id", false, 1, INT64_MAX, &in.secondary_id, NULL,
			       c->diag)) ||
	    (err = yl_json_int(r->body, "tertiary_id", false, 1, INT64_MAX, &in.tertiary_id, NULL,
			       c->diag)) ||
	    (err = yl_json_str(r->body, "reason", true, YL_CONTRACT_REASON_MAX, c->arena, &in.reason,
			       c->diag)) ||
	    (err = yl_contract_change(c, id, &in, &out)))
		return err;
	r->status = 201;
	contract_json(w, &out);
	return YL_OK;
}

static enum yl_err post_end(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"reason", NULL};
	struct yl_contract out;
	const char *reason;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_str(r->body, "reason", true, YL_CONTRACT_REASON_MAX, r->ctx.arena, &reason,
			       r->ctx.diag)) ||
	    (err = yl_contract_end(&r->ctx, id, reason, &out)))
		return err;
	contract_json(w, &out);
	return YL_OK;
}

const struct yl_route yl_routes_contracts[] = {
	{"POST", "/api/v1/contracts", post_contract, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/contracts", list_contracts, 0},
	{"GET", "/api/v1/contracts/{id}", get_contract, 0},
	{"POST", "/api/v1/contracts/{id}/renew", post_renew, YL_ROUTE_WRITE | YL_ROUTE_BODY | YL_ROUTE_BODY_OPT},
	{"POST", "/api/v1/contracts/{id}/change", post_change, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"POST", "/api/v1/contracts/{id}/end", post_end, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{NULL, NULL, NULL, 0},
};
