/* teams.c - /api/v1/teams: create (admin or the institution's admin), get with members and
 * the active contract count, list by institution, change capacity, and the residents signed
 * with a team. The decoder is shared with the importer (member_ids may arrive from CSV as
 * decimal strings).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/decode.h"
#include "api/routes.h"
#include "base/json_read.h"
#include "domain/team.h"

static void team_json(struct yl_jw *w, const struct yl_team *t)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", t->id);
	yl_jw_kstr(w, "name", t->name);
	yl_jw_kint(w, "institution_id", t->institution_id);
	yl_jw_kint(w, "leader_id", t->leader_id);
	yl_jw_kint(w, "capacity", t->capacity);
	yl_jw_kint(w, "active_contracts", t->active_contracts);
	yl_jw_key(w, "members");
	yl_jw_arr_begin(w);
	for (int i = 0; i < t->nmembers; i++) {
		const struct yl_team_member *m = &t->members[i];
		yl_jw_obj_begin(w);
		yl_jw_kint(w, "practitioner_id", m->practitioner_id);
		yl_jw_kstr(w, "name", m->name);
		yl_jw_kstr(w, "title", m->title);
		yl_jw_kbool(w, "general_practitioner", m->general_practitioner);
		yl_jw_kbool(w, "leader", m->practitioner_id == t->leader_id);
		yl_jw_obj_end(w);
	}
	yl_jw_arr_end(w);
	yl_jw_ktime(w, "created_at", t->created_at);
	yl_jw_obj_end(w);
}

/* One member id: a positive JSON integer, or a string of digits (from a CSV cell). */
static bool member_id(json_t *v, int64_t *out)
{
	const char *s;
	char *end;
	long long n;

	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return *out > 0;
	}
	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || *end || n <= 0)
		return false;
	*out = n;
	return true;
}

enum yl_err yl_decode_team(const struct yl_ctx *c, json_t *obj, struct yl_team *in)
{
	static const char *const fields[] = {"name", "institution_id", "leader_id", "capacity",
					     "member_ids", NULL};
	json_t *ids;
	int64_t *list;
	enum yl_err err;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_str(obj, "name", true, 200, c->arena, &in->name, c->diag)) ||
	    (err = yl_json_int(obj, "institution_id", true, 1, INT64_MAX, &in->institution_id, NULL,
			       c->diag)) ||
	    (err = yl_json_int(obj, "leader_id", true, 1, INT64_MAX, &in->leader_id, NULL, c->diag)) ||
	    (err = yl_json_int(obj, "capacity", false, 1, YL_TEAM_MAX_CAPACITY, &in->capacity, NULL,
			       c->diag)))
		return err;
	ids = json_object_get(obj, "member_ids");
	if (!ids || json_is_null(ids))
		return YL_OK;
	if (!json_is_array(ids))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "member_ids",
				   "member_ids must be an array of practitioner ids");
	if (json_array_size(ids) > YL_TEAM_MAX_MEMBERS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "member_ids", "a team has at most %d members",
				   YL_TEAM_MAX_MEMBERS);
	list = yl_arena_alloc(c->arena, sizeof(*list) * (json_array_size(ids) + 1));
	for (size_t i = 0; i < json_array_size(ids); i++)
		if (!member_id(json_array_get(ids, i), &list[i]))
			return yl_diag_set(c->diag, YL_ERR_INVALID, "member_ids",
					   "member_ids[%zu] is not a practitioner id", i);
	in->member_ids = list;
	in->nmember_ids = (int)json_array_size(ids);
	return YL_OK;
}

static enum yl_err post_team(struct yl_req *r, struct yl_jw *w)
{
	struct yl_team in, out;
	enum yl_err err;

	if ((err = yl_decode_team(&r->ctx, r->body, &in)) ||
	    (err = yl_team_create(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	team_json(w, &out);
	return YL_OK;
}

static enum yl_err get_team(struct yl_req *r, struct yl_jw *w)
{
	struct yl_team t;
	int64_t id;
	enum yl_err err = yl_req_id(r, 0, &id);

	if (!err)
		err = yl_team_get(&r->ctx, id, &t);
	if (!err)
		team_json(w, &t);
	return err;
}

static enum yl_err patch_team(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"capacity", NULL};
	struct yl_team t;
	int64_t id, capacity;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "capacity", true, 1, YL_TEAM_MAX_CAPACITY, &capacity, NULL,
			       r->ctx.diag)) ||
	    (err = yl_team_set_capacity(&r->ctx, id, capacity, &t)))
		return err;
	team_json(w, &t);
	return YL_OK;
}

static enum yl_err list_teams(struct yl_req *r, struct yl_jw *w)
{
	struct yl_team_filter f = {0};
	struct yl_team *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &f.institution_id)) ||
	    (err = yl_team_list(&r->ctx, &f, &items, &n, &more)))
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		team_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

static enum yl_err list_team_residents(struct yl_req *r, struct yl_jw *w)
{
	struct yl_team_resident *items;
	int64_t id, after;
	int n, limit;
	bool more;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_page(r, &limit, &after)) ||
	    (err = yl_team_residents(&r->ctx, id, after, limit, &items, &n, &more)))
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++) {
		yl_jw_obj_begin(w);
		yl_jw_kint(w, "resident_id", items[i].resident_id);
		yl_jw_kstr(w, "name", items[i].name);
		yl_jw_kstr(w, "sex", items[i].sex);
		yl_jw_kstr(w, "birth_date", items[i].birth_date);
		yl_jw_kstr(w, "home_area_code", items[i].home_area_code);
		yl_jw_kint(w, "contract_id", items[i].contract_id);
		yl_jw_kstr(w, "start_date", items[i].start_date);
		yl_jw_kstr(w, "end_date", items[i].end_date);
		yl_jw_obj_end(w);
	}
	yl_page_end_id(w, more, n ? items[n - 1].resident_id : 0);
	return YL_OK;
}

const struct yl_route yl_routes_teams[] = {
	{"POST", "/api/v1/teams", post_team, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/teams", list_teams, 0},
	{"GET", "/api/v1/teams/{id}", get_team, 0},
	{"PATCH", "/api/v1/teams/{id}", patch_team, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/teams/{id}/residents", list_team_residents, 0},
	{NULL, NULL, NULL, 0},
};
