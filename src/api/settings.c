/* settings.c - /api/v1/settings: read the configurable defaults, and set one (admin). */
#include <string.h>

#include "api/routes.h"
#include "base/json_read.h"
#include "domain/setting.h"

static void setting_json(struct yl_jw *w, const struct yl_setting *s)
{
	yl_jw_obj_begin(w);
	yl_jw_kstr(w, "key", s->key);
	yl_jw_kint(w, "value", s->value);
	yl_jw_kint(w, "min", s->min);
	yl_jw_kint(w, "max", s->max);
	yl_jw_kstr(w, "description", s->description);
	yl_jw_obj_end(w);
}

static enum yl_err list_settings(struct yl_req *r, struct yl_jw *w)
{
	struct yl_setting *items;
	int n;
	enum yl_err err = yl_setting_list(&r->ctx, &items, &n);

	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		setting_json(w, &items[i]);
	yl_page_end(w, NULL);
	return YL_OK;
}

static enum yl_err put_setting(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"value", NULL};
	struct yl_setting *items;
	int64_t value;
	int n;
	enum yl_err err;

	if ((err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "value", true, INT32_MIN, INT32_MAX, &value, NULL,
			       r->ctx.diag)) ||
	    (err = yl_setting_set(&r->ctx, r->params[0], value)) ||
	    (err = yl_setting_list(&r->ctx, &items, &n)))
		return err;
	for (int i = 0; i < n; i++)
		if (strcmp(items[i].key, r->params[0]) == 0)
			setting_json(w, &items[i]);
	return YL_OK;
}

const struct yl_route yl_routes_settings[] = {
	{"GET", "/api/v1/settings", list_settings, 0},
	{"PUT", "/api/v1/settings/{key}", put_setting, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{NULL, NULL, NULL, 0},
};
