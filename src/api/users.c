/* users.c - /api/v1/users: create users (admin, or institution_admin for their own staff),
 * get, list, issue a token, revoke tokens, and /api/v1/users/me. */
#include <string.h>

#include "api/routes.h"
#include "base/json_read.h"
#include "domain/user.h"

static void user_json(struct yl_jw *w, const struct yl_user *u, const char *token)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", u->id);
	yl_jw_kstr(w, "username", u->username);
	yl_jw_kstr(w, "role", u->role);
	yl_jw_kid(w, "institution_id", u->institution_id);
	yl_jw_kid(w, "resident_id", u->resident_id);
	yl_jw_ktime(w, "created_at", u->created_at);
	if (token)
		yl_jw_kstr(w, "token", token);
	yl_jw_obj_end(w);
}

static enum yl_err post_user(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"username", "role", "institution_id", "resident_id", NULL};
	struct yl_ctx *c = &r->ctx;
	struct yl_user in = {0}, out;
	char token[YL_TOKEN_LEN + 1];
	enum yl_err err;

	if ((err = yl_req_only(r, fields)) ||
	    (err = yl_json_str(r->body, "username", true, 64, c->arena, &in.username, c->diag)) ||
	    (err = yl_json_str(r->body, "role", true, 32, c->arena, &in.role, c->diag)) ||
	    (err = yl_json_int(r->body, "institution_id", false, 1, INT64_MAX, &in.institution_id,
			       NULL, c->diag)) ||
	    (err = yl_json_int(r->body, "resident_id", false, 1, INT64_MAX, &in.resident_id, NULL,
			       c->diag)) ||
	    (err = yl_user_create(c, &in, &out, token)))
		return err;
	r->status = 201;
	user_json(w, &out, token);
	return YL_OK;
}

static enum yl_err get_user(struct yl_req *r, struct yl_jw *w)
{
	struct yl_user u;
	int64_t id;
	enum yl_err err = yl_req_id(r, 0, &id);

	if (!err)
		err = yl_user_get(&r->ctx, id, &u);
	if (!err)
		user_json(w, &u, NULL);
	return err;
}

static enum yl_err get_me(struct yl_req *r, struct yl_jw *w)
{
	struct yl_user u;
	enum yl_err err = yl_user_get(&r->ctx, r->ctx.actor->user_id, &u);

	if (!err)
		user_json(w, &u, NULL);
	return err;
}

static enum yl_err list_users(struct yl_req *r, struct yl_jw *w)
{
	struct yl_user_filter f = {0};
	struct yl_user *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &f.institution_id)))
		return err;
	f.role = yl_req_query(r, "role");
	if (f.role && yl_role_parse(f.role) == YL_ROLE_NONE)
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "role", "unknown role '%.40s'", f.role);
	err = yl_user_list(&r->ctx, &f, &items, &n, &more);
	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		user_json(w, &items[i], NULL);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

static enum yl_err post_token(struct yl_req *r, struct yl_jw *w)
{
	char token[YL_TOKEN_LEN + 1];
	int64_t id;
	enum yl_err err = yl_req_id(r, 0, &id);

	if (!err)
		err = yl_token_issue(&r->ctx, id, token);
	if (err)
		return err;
	r->status = 201;
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "user_id", id);
	yl_jw_kstr(w, "token", token);
	yl_jw_obj_end(w);
	return YL_OK;
}

static enum yl_err delete_tokens(struct yl_req *r, struct yl_jw *w)
{
	int64_t id;
	enum yl_err err = yl_req_id(r, 0, &id);

	if (!err)
		err = yl_token_revoke_all(&r->ctx, id);
	if (err)
		return err;
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "user_id", id);
	yl_jw_kbool(w, "revoked", true);
	yl_jw_obj_end(w);
	return YL_OK;
}

const struct yl_route yl_routes_users[] = {
	{"POST", "/api/v1/users", post_user, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/users", list_users, 0},
	{"GET", "/api/v1/users/me", get_me, 0},
	{"GET", "/api/v1/users/{id}", get_user, 0},
	{"POST", "/api/v1/users/{id}/tokens", post_token, YL_ROUTE_WRITE},
	{"DELETE", "/api/v1/users/{id}/tokens", delete_tokens, YL_ROUTE_WRITE},
	{NULL, NULL, NULL, 0},
};
