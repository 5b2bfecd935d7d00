/* encounters.c - /api/v1/encounters: record (admin, or staff of the encounter's institution),
 * get and list (staff readers; a resident user only their own). Encounters are never edited.
 * The decoder here is also the importer's: costs come as a nested `costs` object (the API's
 * form) or as flat cost_<category> fields (the CSV form, one column each), never both.
 */
#include <stdio.h>
#include <string.h>

#include "api/decode.h"
#include "api/routes.h"
#include "base/json_read.h"
#include "domain/encounter.h"

static void encounter_json(struct yl_jw *w, const struct yl_encounter *o)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", o->id);
	yl_jw_kstr(w, "kind", o->kind);
	yl_jw_kint(w, "resident_id", o->resident_id);
	yl_jw_kint(w, "institution_id", o->institution_id);
	yl_jw_kid(w, "department_id", o->department_id);
	yl_jw_kid(w, "practitioner_id", o->practitioner_id);
	yl_jw_kstr(w, "visit_date", o->visit_date);
	yl_jw_kstr(w, "discharge_date", o->discharge_date);
	yl_jw_key(w, "diagnoses");
	yl_jw_arr_begin(w);
	for (int i = 0; i < o->ndiagnoses; i++)
		yl_jw_str(w, o->diagnoses[i]);
	yl_jw_arr_end(w);
	yl_jw_key(w, "costs");
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "drugs", o->costs.drugs);
	yl_jw_kint(w, "consumables", o->costs.consumables);
	yl_jw_kint(w, "exams", o->costs.exams);
	yl_jw_kint(w, "treatment", o->costs.treatment);
	yl_jw_kint(w, "bed", o->costs.bed);
	yl_jw_kint(w, "other", o->costs.other);
	yl_jw_obj_end(w);
	yl_jw_kint(w, "total", o->total);
	yl_jw_kint(w, "fund_paid", o->fund_paid);
	yl_jw_kint(w, "out_of_pocket", o->out_of_pocket);
	yl_jw_kid(w, "booking_id", o->booking_id);
	yl_jw_kid(w, "referral_id", o->referral_id);
	yl_jw_ktime(w, "created_at", o->created_at);
	yl_jw_obj_end(w);
}

static const char *const categories[] = {"drugs", "consumables", "exams", "treatment", "bed",
					 "other", NULL};
static const char *const flat[] = {"cost_drugs", "cost_consumables", "cost_exams",
				   "cost_treatment", "cost_bed", "cost_other", NULL};

static int64_t *cost_slot(struct yl_encounter_costs *k, int i)
{
	int64_t *all[] = {&k->drugs, &k->consumables, &k->exams, &k->treatment, &k->bed, &k->other};

	return all[i];
}

/* An amount: an integer, or absent/null for 0. The range is the domain's rule. */
static enum yl_err amount(const struct yl_ctx *c, json_t *v, const char *field, int64_t *out)
{
	*out = 0;
	if (!v || json_is_null(v))
		return YL_OK;
	if (!json_is_integer(v))
		return yl_diag_set(c->diag, YL_ERR_INVALID, field,
				   "%s must be an integer number of fen", field);
	*out = json_integer_value(v);
	return YL_OK;
}

static enum yl_err decode_costs(const struct yl_ctx *c, json_t *obj, struct yl_encounter_costs *k)
{
	json_t *nested = json_object_get(obj, "costs"), *v;
	bool any_flat = false;
	const char *key;
	char field[32];
	enum yl_err err;

	for (int i = 0; flat[i]; i++)
		any_flat |= json_object_get(obj, flat[i]) != NULL;
	if (nested && any_flat)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "costs",
				   "give costs either as an object or as cost_* fields, not both");
	if (!nested && !any_flat)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "costs", "costs is required");
	if (any_flat) {
		for (int i = 0; flat[i]; i++)
			if ((err = amount(c, json_object_get(obj, flat[i]), flat[i], cost_slot(k, i))))
				return err;
		return YL_OK;
	}
	if (!json_is_object(nested))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "costs",
				   "costs must be an object of amounts in fen");
	json_object_foreach(nested, key, v) {
		int i = 0;
		while (categories[i] && strcmp(categories[i], key) != 0)
			i++;
		snprintf(field, sizeof(field), "costs.%.20s", key);
		if (!categories[i])
			return yl_diag_set(c->diag, YL_ERR_UNKNOWN_FIELD, field,
					   "unknown cost category '%.40s' (drugs, consumables, exams,"
					   " treatment, bed, other)", key);
		if ((err = amount(c, v, field, cost_slot(k, i))))
			return err;
	}
	return YL_OK;
}

static enum yl_err decode_diagnoses(const struct yl_ctx *c, json_t *obj, struct yl_encounter *in)
{
	json_t *v = json_object_get(obj, "diagnoses"), *item;
	size_t i;

	if (!v || json_is_null(v))
		return YL_OK; /* the domain says it is missing */
	if (!json_is_array(v))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "diagnoses",
				   "diagnoses must be an array of ICD-10 codes");
	if (json_array_size(v) > YL_ENCOUNTER_MAX_DIAGNOSES)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "diagnoses",
				   "diagnoses must hold 1 to %d ICD-10 codes, not %zu",
				   YL_ENCOUNTER_MAX_DIAGNOSES, json_array_size(v));
	in->diagnoses = yl_arena_alloc(c->arena, sizeof(*in->diagnoses) * (json_array_size(v) + 1));
	json_array_foreach(v, i, item) {
		if (!json_is_string(item) || json_string_length(item) > 16)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "diagnoses",
					   "diagnoses must be an array of ICD-10 codes");
		in->diagnoses[i] = yl_arena_strdup(c->arena, json_string_value(item));
	}
	in->ndiagnoses = (int)json_array_size(v);
	return YL_OK;
}

enum yl_err yl_decode_encounter(const struct yl_ctx *c, json_t *obj, struct yl_encounter *in)
{
	static const char *const fields[] = {
		"kind", "resident_id", "institution_id", "department_id", "practitioner_id",
		"visit_date", "discharge_date", "diagnoses", "costs", "cost_drugs",
		"cost_consumables", "cost_exams", "cost_treatment", "cost_bed", "cost_other",
		"fund_paid", "out_of_pocket", "booking_id", "referral_id", NULL};
	enum yl_err err;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_str(obj, "kind", true, 16, c->arena, &in->kind, c->diag)) ||
	    (err = yl_json_int(obj, "resident_id", true, 1, INT64_MAX, &in->resident_id, NULL,
			       c->diag)) ||
	    (err = yl_json_int(obj, "institution_id", true, 1, INT64_MAX, &in->institution_id,
			       NULL, c->diag)) ||
	    (err = yl_json_int(obj, "department_id", false, 1, INT64_MAX, &in->department_id,
			       NULL, c->diag)) ||
	    (err = yl_json_int(obj, "practitioner_id", false, 1, INT64_MAX, &in->practitioner_id,
			       NULL, c->diag)) ||
	    (err = yl_json_str(obj, "visit_date", true, 10, c->arena, &in->visit_date, c->diag)) ||
	    (err = yl_json_str(obj, "discharge_date", false, 10, c->arena, &in->discharge_date,
			       c->diag)) ||
	    (err = decode_diagnoses(c, obj, in)) || (err = decode_costs(c, obj, &in->costs)) ||
	    (err = yl_json_int(obj, "fund_paid", true, INT64_MIN, INT64_MAX, &in->fund_paid, NULL,
			       c->diag)) ||
	    (err = yl_json_int(obj, "out_of_pocket", true, INT64_MIN, INT64_MAX,
			       &in->out_of_pocket, NULL, c->diag)) ||
	    (err = yl_json_int(obj, "booking_id", false, 1, INT64_MAX, &in->booking_id, NULL,
			       c->diag)) ||
	    (err = yl_json_int(obj, "referral_id", false, 1, INT64_MAX, &in->referral_id, NULL,
			       c->diag)))
		return err;
	return YL_OK;
}

static enum yl_err post_encounter(struct yl_req *r, struct yl_jw *w)
{
	struct yl_encounter in, out;
	enum yl_err err;

	if ((err = yl_decode_encounter(&r->ctx, r->body, &in)) ||
	    (err = yl_encounter_create(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	encounter_json(w, &out);
	return YL_OK;
}

static enum yl_err get_encounter(struct yl_req *r, struct yl_jw *w)
{
	struct yl_encounter o;
	int64_t id;
	enum yl_err err = yl_req_id(r, 0, &id);

	if (!err)
		err = yl_encounter_get(&r->ctx, id, &o);
	if (!err)
		encounter_json(w, &o);
	return err;
}

static enum yl_err list_encounters(struct yl_req *r, struct yl_jw *w)
{
	struct yl_encounter_filter f = {0};
	struct yl_encounter *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "resident_id", 0, 1, INT64_MAX, &f.resident_id)) ||
	    (err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &f.institution_id)))
		return err;
	f.kind = yl_req_query(r, "kind");
	f.from = yl_req_query(r, "from");
	f.to = yl_req_query(r, "to");
	if ((err = yl_encounter_list(&r->ctx, &f, &items, &n, &more)))
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		encounter_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

const struct yl_route yl_routes_encounters[] = {
	{"POST", "/api/v1/encounters", post_encounter, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/encounters", list_encounters, 0},
	{"GET", "/api/v1/encounters/{id}", get_encounter, 0},
	{NULL, NULL, NULL, 0},
};
