/* slots.c - /api/v1/slots: a day's slots of an institution or department, and the
 * province-wide earliest available slots of a department category. Both answer each slot with
 * its pools at the server's now and the pool the caller may use; booking is elsewhere
 * (bookings.c).
 */
#include "api/slots.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes.h"
#include "domain/institution.h"
#include "domain/search.h"

static void pools_obj(struct yl_jw *w, const char *key, const int64_t v[3], bool with_public)
{
	yl_jw_key(w, key);
	yl_jw_obj_begin(w);
	for (int i = with_public ? 0 : 1; i < 3; i++)
		yl_jw_kint(w, yl_pool_name((enum yl_pool)i), v[i]);
	yl_jw_obj_end(w);
}

void yl_slot_json_members(struct yl_jw *w, const struct yl_slot *s, const struct yl_pool_view *v)
{
	int64_t local = s->starts_at + YL_SHANGHAI_OFFSET;
	int64_t mins = ((local % 86400) + 86400) % 86400 / 60;
	char hhmm[8];

	snprintf(hhmm, sizeof(hhmm), "%02d:%02d", (int)(mins / 60), (int)(mins % 60));
	yl_jw_kint(w, "id", s->id);
	yl_jw_kint(w, "session_id", s->session_id);
	yl_jw_kint(w, "institution_id", s->institution_id);
	yl_jw_kint(w, "department_id", s->department_id);
	yl_jw_kid(w, "practitioner_id", s->practitioner_id);
	yl_jw_kstr(w, "category_code", s->category_code);
	yl_jw_ktime(w, "starts_at", s->starts_at);
	yl_jw_ktime(w, "ends_at", s->ends_at);
	yl_jw_kstr(w, "local_time", hhmm);
	yl_jw_kint(w, "capacity", s->capacity);
	pools_obj(w, "quota", s->quota, false);
	pools_obj(w, "booked", s->booked, true);
	pools_obj(w, "free", v->free, true);
	yl_jw_kbool(w, "released", v->released);
	yl_jw_kbool(w, "fallen_back", v->fallen_back);
	yl_jw_ktime(w, "opens_at", v->opens_at);
	yl_jw_ktime(w, "falls_back_at", v->falls_back_at);
	yl_jw_kbool(w, "stopped", s->stopped);
}

static void hit_json(struct yl_jw *w, const struct yl_slot_hit *h)
{
	yl_jw_obj_begin(w);
	yl_slot_json_members(w, &h->slot, &h->view);
	yl_jw_kstr(w, "institution_name", h->institution_name);
	yl_jw_kstr(w, "institution_level", h->institution_level);
	yl_jw_kstr(w, "department_name", h->department_name);
	yl_jw_kstr(w, "pool", h->pool >= 0 ? yl_pool_name((enum yl_pool)h->pool) : NULL);
	yl_jw_obj_end(w);
}

/* ?cursor= of the day search: "<starts_at>.<id>" of the last slot of the previous page. */
static enum yl_err parse_cursor(struct yl_req *r, int64_t *t, int64_t *id)
{
	const char *s = yl_req_query(r, "cursor");
	char *end;

	*t = *id = 0;
	if (!s)
		return YL_OK;
	errno = 0;
	*t = strtoll(s, &end, 10);
	if (errno || end == s || *end != '.' || *t < 0)
		goto bad;
	s = end + 1;
	*id = strtoll(s, &end, 10);
	if (errno || end == s || *end || *id < 0)
		goto bad;
	return YL_OK;
bad:
	return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "cursor",
			   "cursor must be the next_cursor of a previous page");
}

static enum yl_err list_slots(struct yl_req *r, struct yl_jw *w)
{
	struct yl_slot_filter f = {0};
	struct yl_slot_hit *items;
	const char *date = yl_req_query(r, "date");
	int64_t limit;
	char cur[48];
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &f.institution_id)) ||
	    (err = yl_req_query_int(r, "department_id", 0, 1, INT64_MAX, &f.department_id)) ||
	    (err = yl_req_query_int(r, "practitioner_id", 0, 1, INT64_MAX, &f.practitioner_id)) ||
	    (err = yl_req_query_int(r, "resident_id", 0, 1, INT64_MAX, &f.resident_id)) ||
	    (err = yl_req_query_int(r, "limit", 200, 1, 1000, &limit)) ||
	    (err = parse_cursor(r, &f.after_starts_at, &f.after_id)))
		return err;
	f.limit = (int)limit;
	f.date = yl_clock_today(r->ctx.clock);
	if (date && !yl_date_parse(date, &f.date))
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "date", "date must be YYYY-MM-DD");
	if ((err = yl_slot_search(&r->ctx, &f, &items, &n, &more)))
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		hit_json(w, &items[i]);
	if (more)
		snprintf(cur, sizeof(cur), "%" PRId64 ".%" PRId64, items[n - 1].slot.starts_at,
			 items[n - 1].slot.id);
	yl_page_end(w, more ? cur : NULL);
	return YL_OK;
}

/* ?levels=secondary,tertiary: a comma-separated list of institution levels. */
static enum yl_err parse_levels(struct yl_req *r, bool levels[4])
{
	const char *s = yl_req_query(r, "levels");
	char name[16];

	memset(levels, 0, 4 * sizeof(bool));
	while (s && *s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		int rank;

		if (len == 0 || len >= sizeof(name))
			goto bad;
		memcpy(name, s, len);
		name[len] = '\0';
		if ((rank = yl_institution_level_rank(name)) < 0)
			goto bad;
		levels[rank] = true;
		s = comma ? comma + 1 : NULL;
		if (s && !*s)
			goto bad;
	}
	return YL_OK;
bad:
	return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "levels",
			   "levels must be a comma-separated list of village, primary, secondary,"
			   " tertiary");
}

static enum yl_err earliest_slots(struct yl_req *r, struct yl_jw *w)
{
	struct yl_earliest_filter f = {0};
	struct yl_slot_hit *items;
	int64_t limit;
	int n;
	enum yl_err err;

	if ((err = yl_req_query_int(r, "resident_id", 0, 1, INT64_MAX, &f.resident_id)) ||
	    (err = yl_req_query_int(r, "limit", 20, 1, YL_SEARCH_EARLIEST_MAX, &limit)) ||
	    (err = parse_levels(r, f.levels)))
		return err;
	f.limit = (int)limit;
	f.category_code = yl_req_query(r, "category_code");
	f.area_code = yl_req_query(r, "area_code");
	if ((err = yl_slot_earliest(&r->ctx, &f, &items, &n)))
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		hit_json(w, &items[i]);
	yl_page_end(w, NULL);
	return YL_OK;
}

const struct yl_route yl_routes_slots[] = {
	{"GET", "/api/v1/slots", list_slots, 0},
	{"GET", "/api/v1/slots/earliest", earliest_slots, 0},
	{NULL, NULL, NULL, 0},
};
