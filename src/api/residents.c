/* residents.c - /api/v1/residents: register (staff), get (staff, or the resident themself),
 * list by home area (and everything under it), id number or key-population tag, and edit
 * (staff). The decoder here is also the importer's, so JSON Lines and CSV rows are checked
 * exactly as API bodies are; the rules that need data or the clock live in the domain.
 */
#include <string.h>

#include "api/decode.h"
#include "api/routes.h"
#include "base/json_read.h"
#include "domain/population.h"
#include "domain/resident.h"

enum { MAX_TAGS = 32 };

static void resident_json(struct yl_jw *w, const struct yl_resident *o)
{
	int n;
	const unsigned *all = yl_tag_all(&n);

	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", o->id);
	yl_jw_kstr(w, "id_number", o->id_number);
	yl_jw_kstr(w, "name", o->name);
	yl_jw_kstr(w, "sex", o->sex);
	yl_jw_kstr(w, "birth_date", o->birth_date);
	yl_jw_kint(w, "age", o->age);
	yl_jw_kstr(w, "phone", o->phone);
	yl_jw_kstr(w, "home_area_code", o->home_area_code);
	yl_jw_kstr(w, "insurance", o->insurance);
	yl_jw_key(w, "tags");
	yl_jw_arr_begin(w);
	for (int i = 0; i < n; i++)
		if (o->tags & all[i])
			yl_jw_str(w, yl_tag_name(all[i]));
	yl_jw_arr_end(w);
	yl_jw_ktime(w, "created_at", o->created_at);
	yl_jw_obj_end(w);
}

/* tags: an array of tag names. Any known name is turned into its bit, derived ones included,
 * so that the domain (one place for the rule) can refuse them with a clear message. */
static enum yl_err decode_tags(const struct yl_ctx *c, json_t *obj, unsigned *tags,
			       bool *present)
{
	json_t *v = json_object_get(obj, "tags"), *item;
	size_t i;

	*tags = 0;
	*present = false;
	if (!v || json_is_null(v))
		return YL_OK;
	if (!json_is_array(v))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "tags", "tags must be an array of tag names");
	if (json_array_size(v) > MAX_TAGS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "tags", "tags has more than %d items",
				   MAX_TAGS);
	json_array_foreach(v, i, item) {
		unsigned bit = json_is_string(item) ? yl_tag_parse(json_string_value(item)) : 0;
		if (!json_is_string(item))
			return yl_diag_set(c->diag, YL_ERR_INVALID, "tags",
					   "tags must be an array of tag names");
		if (!bit)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "tags",
					   "unknown tag '%.40s' (hypertension, diabetes, pregnant,"
					   " disabled, low_income)", json_string_value(item));
		*tags |= bit;
	}
	*present = true;
	return YL_OK;
}

enum yl_err yl_decode_resident(const struct yl_ctx *c, json_t *obj, struct yl_resident *in)
{
	static const char *const fields[] = {"id_number", "name", "sex", "birth_date", "phone",
					     "home_area_code", "insurance", "tags", NULL};
	bool present;
	enum yl_err err;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_str(obj, "id_number", true, 64, c->arena, &in->id_number, c->diag)) ||
	    (err = yl_json_str(obj, "name", true, 200, c->arena, &in->name, c->diag)) ||
	    (err = yl_json_str(obj, "sex", false, 16, c->arena, &in->sex, c->diag)) ||
	    (err = yl_json_str(obj, "birth_date", false, 32, c->arena, &in->birth_date, c->diag)) ||
	    (err = yl_json_str(obj, "phone", false, 32, c->arena, &in->phone, c->diag)) ||
	    (err = yl_json_str(obj, "home_area_code", true, 9, c->arena, &in->home_area_code,
			       c->diag)) ||
	    (err = yl_json_str(obj, "insurance", false, 16, c->arena, &in->insurance, c->diag)) ||
	    (err = decode_tags(c, obj, &in->tags, &present)))
		return err;
	return YL_OK;
}

/* PATCH body: only the fields staff may change; phone: null clears the phone. */
static enum yl_err decode_change(const struct yl_ctx *c, json_t *obj, struct yl_resident_change *ch)
{
	static const char *const fields[] = {"name", "phone", "home_area_code", "insurance", "tags",
					     NULL};
	static const char *const fixed[] = {"id_number", "sex", "birth_date", NULL};
	enum yl_err err;

	memset(ch, 0, sizeof(*ch));
	for (int i = 0; fixed[i]; i++)
		if (json_object_get(obj, fixed[i]))
			return yl_diag_set(c->diag, YL_ERR_INVALID, fixed[i],
					   "%s cannot be changed; it follows from the id number", fixed[i]);
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_str(obj, "name", false, 200, c->arena, &ch->name, c->diag)) ||
	    (err = yl_json_str(obj, "phone", false, 32, c->arena, &ch->phone, c->diag)) ||
	    (err = yl_json_str(obj, "home_area_code", false, 9, c->arena, &ch->home_area_code,
			       c->diag)) ||
	    (err = yl_json_str(obj, "insurance", false, 16, c->arena, &ch->insurance, c->diag)) ||
	    (err = decode_tags(c, obj, &ch->tags, &ch->set_tags)))
		return err;
	ch->clear_phone = json_is_null(json_object_get(obj, "phone"));
	if (json_is_null(json_object_get(obj, "tags")))
		ch->set_tags = true; /* null clears the stored tags, like [] */
	return YL_OK;
}

static enum yl_err post_resident(struct yl_req *r, struct yl_jw *w)
{
	struct yl_resident in, out;
	enum yl_err err;

	if ((err = yl_decode_resident(&r->ctx, r->body, &in)) ||
	    (err = yl_resident_create(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	resident_json(w, &out);
	return YL_OK;
}

static enum yl_err get_resident(struct yl_req *r, struct yl_jw *w)
{
	struct yl_resident o;
	int64_t id;
	enum yl_err err = yl_req_id(r, 0, &id);

	if (!err)
		err = yl_resident_get(&r->ctx, id, &o);
	if (!err)
		resident_json(w, &o);
	return err;
}

static enum yl_err patch_resident(struct yl_req *r, struct yl_jw *w)
{
	struct yl_resident_change ch;
	struct yl_resident o;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = decode_change(&r->ctx, r->body, &ch)) ||
	    (err = yl_resident_update(&r->ctx, id, &ch, &o)))
		return err;
	resident_json(w, &o);
	return YL_OK;
}

static enum yl_err list_residents(struct yl_req *r, struct yl_jw *w)
{
	struct yl_resident_filter f = {0};
	struct yl_resident *items;
	const char *tag;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)))
		return err;
	f.home_area_code = yl_req_query(r, "home_area_code");
	f.id_number = yl_req_query(r, "id_number");
	tag = yl_req_query(r, "tag");
	if (f.home_area_code && strlen(f.home_area_code) > 9)
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "home_area_code",
				   "home_area_code has at most 9 digits");
	if (tag && !(f.tag = yl_tag_parse(tag)))
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "tag", "unknown tag '%.40s'", tag);
	err = yl_resident_list(&r->ctx, &f, &items, &n, &more);
	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		resident_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

const struct yl_route yl_routes_residents[] = {
	{"POST", "/api/v1/residents", post_resident, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/residents", list_residents, 0},
	{"GET", "/api/v1/residents/{id}", get_resident, 0},
	{"PATCH", "/api/v1/residents/{id}", patch_resident, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{NULL, NULL, NULL, 0},
};
