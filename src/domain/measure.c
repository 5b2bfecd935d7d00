/* measure.c - keeping measure_agg: the live path (one lookup per event, then one UPSERT per
 * measure, in the writer's transaction) and the rebuild (set-based grouped sums over the raw
 * events).
 *
 * The two paths are written independently on purpose: the live one decides in C from a few
 * looked-up facts, the rebuild states each measure as an SQL condition and value over every
 * encounter. The tests compare the tables row by row, so a write path that forgets its hook, or
 * a measure whose two definitions drift apart, shows as a difference. Not here: what the
 * indicators make of the sums (indicator.c). Dates are cut as text ("YYYY-MM") and request
 * times turned into Asia/Shanghai dates in C, so no SQL date function is needed.
 */
#include "domain/measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#include "domain/encounter.h"

/* Contract row k covers day d (an SQL expression or '?'). Later renewals leave a row's dates
 * as they were; change and end set ended_on, after which it covers nothing. */
#define COVERS(d)                                                                        \
	"k.start_date <= " d " AND k.end_date >= " d " AND (k.ended_on IS NULL OR"        \
	" k.ended_on > " d ")"
/* An encounter counts as a signed resident's when a contract covered its date at the moment
 * it was recorded: the contract existed before that second (a resident who signs after
 * the morning's visit was not signed at it), and had not yet been ended (a contract ended in
 * the afternoon still covered the morning's visit). Live, "now" is that moment; the rebuild
 * reads it back from e.created_at and the ending from k.updated_at (an ended or changed row
 * is never written again). */
#define COVERS_LIVE(d) COVERS(d) " AND k.created_at < ?"
#define COVERS_AT(e)                                                                     \
	"k.start_date <= " e ".visit_date AND k.end_date >= " e ".visit_date"               \
	" AND k.created_at < " e ".created_at AND (k.ended_on IS NULL OR k.ended_on > "    \
	e ".visit_date OR k.updated_at > " e ".created_at)"
#define PRIMARY_LEVEL(i) i ".level IN ('primary', 'village')"

/* One buffered key and its summed delta. measure is a string literal of this file or a
 * catalogue key: compared by content. */
struct buf_entry {
	char measure[40];
	int64_t institution_id;
	char month[8];
	char county[YL_MEASURE_COUNTY_LEN];
	int64_t delta;
	bool used;
};

struct yl_measure_buf {
	struct buf_entry *e;
	size_t cap, n; /* cap a power of two; n used slots */
};

struct yl_measure_buf *yl_measure_buf_new(void)
{
	struct yl_measure_buf *b = calloc(1, sizeof(*b));

	if (!b)
		abort();
	b->cap = 1024;
	b->e = calloc(b->cap, sizeof(*b->e));
	if (!b->e)
		abort();
	return b;
}

void yl_measure_buf_free(struct yl_measure_buf *b)
{
	if (!b)
		return;
	free(b->e);
	free(b);
}

static uint64_t key_hash(const char *measure, int64_t inst, const char *month, const char *county)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)inst;

	for (const char *p = measure; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (const char *p = month; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (const char *p = county; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

static struct buf_entry *buf_slot(struct yl_measure_buf *b, const char *measure, int64_t inst,
				  const char *month, const char *county)
{
	size_t i = (size_t)key_hash(measure, inst, month, county) & (b->cap - 1);

	for (;; i = (i + 1) & (b->cap - 1)) {
		struct buf_entry *e = &b->e[i];
		if (!e->used || (e->institution_id == inst && strcmp(e->measure, measure) == 0 &&
				 strcmp(e->month, month) == 0 && strcmp(e->county, county) == 0))
			return e;
	}
}

static void buf_add(struct yl_measure_buf *b, const char *measure, int64_t inst,
		    const char *month, const char *county, int64_t delta)
{
	struct buf_entry *e;

	if (2 * (b->n + 1) > b->cap) {
		/* keep the table at most half full: rehash into twice the slots */
		struct yl_measure_buf bigger = {calloc(b->cap * 2, sizeof(*b->e)), b->cap * 2, 0};
		if (!bigger.e)
			abort();
		for (size_t i = 0; i < b->cap; i++)
			if (b->e[i].used) {
				*buf_slot(&bigger, b->e[i].measure, b->e[i].institution_id,
					  b->e[i].month, b->e[i].county) = b->e[i];
				bigger.n++;
			}
		free(b->e);
		*b = bigger;
	}
	e = buf_slot(b, measure, inst, month, county);
	if (!e->used) {
		snprintf(e->measure, sizeof(e->measure), "%s", measure);
		e->institution_id = inst;
		snprintf(e->month, sizeof(e->month), "%s", month);
		snprintf(e->county, sizeof(e->county), "%s", county);
		e->used = true;
		b->n++;
	}
	e->delta += delta;
}

static enum yl_err upsert(const struct yl_ctx *c, const char *measure, int64_t institution_id,
			  const char *month, const char *resident_county, int64_t delta);

enum yl_err yl_measure_flush(const struct yl_ctx *c)
{
	struct yl_measure_buf *b = c->measures;
	enum yl_err err = YL_OK;

	if (!b)
		return YL_OK;
	for (size_t i = 0; i < b->cap && !err; i++)
		if (b->e[i].used && b->e[i].delta != 0)
			err = upsert(c, b->e[i].measure, b->e[i].institution_id, b->e[i].month,
				     b->e[i].county, b->e[i].delta);
	if (!err) {
		memset(b->e, 0, b->cap * sizeof(*b->e));
		b->n = 0;
	}
	return err;
}

enum yl_err yl_measure_add(const struct yl_ctx *c, const char *measure, int64_t institution_id,
			   const char *date, const char *resident_county, int64_t delta)
{
	char month[8];

	if (delta == 0 || c->no_live_measures)
		return YL_OK;
	memcpy(month, date, 7);
	month[7] = '\0';
	if (c->measures && strlen(measure) < sizeof(c->measures->e[0].measure) &&
	    strlen(resident_county) < YL_MEASURE_COUNTY_LEN) {
		buf_add(c->measures, measure, institution_id, month, resident_county, delta);
		return YL_OK;
	}
	return upsert(c, measure, institution_id, month, resident_county, delta);
}

static enum yl_err upsert(const struct yl_ctx *c, const char *measure, int64_t institution_id,
			  const char *month, const char *resident_county, int64_t delta)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "INSERT INTO measure_agg(measure, institution_id, month,"
					 " resident_county, value) VALUES (?, ?, ?, ?, ?)"
					 " ON CONFLICT (measure, institution_id, month, resident_county)"
					 " DO UPDATE SET value = measure_agg.value + excluded.value",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, measure);
	yl_stmt_bind_int(st, 2, institution_id);
	yl_stmt_bind_text(st, 3, month);
	yl_stmt_bind_text(st, 4, resident_county);
	yl_stmt_bind_int(st, 5, delta);
	return yl_stmt_run(st, c->diag);
}

struct delta {
	const char *measure;
	int64_t delta;
};

enum yl_err yl_measure_encounter_facts(const struct yl_ctx *c, const struct yl_encounter *e,
				       struct yl_measure_facts *f)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	memset(f, 0, sizeof(*f));
	/* one row whatever exists: the left joins say which reference is missing */
	err = yl_store_prepare(c->store,
			       "SELECT r.id IS NOT NULL, i.id IS NOT NULL,"
			       " coalesce((SELECT d.institution_id FROM departments d WHERE d.id = ?),"
			       " -1), coalesce(" PRIMARY_LEVEL("i") ", 0),"
			       " coalesce(substr(r.home_area_code, 1, 6), ''),"
			       /* one pass over the resident's contracts: NULL none covers the
				* visit, 1 one does, 2 one does and names this institution */
			       " (SELECT max(1 + (t.institution_id = i.id OR k.secondary_id = i.id"
			       " OR k.tertiary_id = i.id)) FROM contracts k JOIN teams t"
			       " ON t.id = k.team_id WHERE k.resident_id = r.id AND "
			       COVERS_LIVE("?") ")"
			       " FROM (SELECT 1) LEFT JOIN residents r ON r.id = ?"
			       " LEFT JOIN institutions i ON i.id = ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, e->department_id);
	for (int j = 2; j <= 4; j++)
		yl_stmt_bind_text(st, j, e->visit_date);
	yl_stmt_bind_int(st, 5, yl_clock_now(c->clock));
	yl_stmt_bind_int(st, 6, e->resident_id);
	yl_stmt_bind_int(st, 7, e->institution_id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		int64_t cover = yl_stmt_null(st, 5) ? 0 : yl_stmt_int(st, 5);
		f->resident = yl_stmt_int(st, 0) != 0;
		f->institution = yl_stmt_int(st, 1) != 0;
		f->department_owner = yl_stmt_int(st, 2);
		f->primary = yl_stmt_int(st, 3) != 0;
		snprintf(f->county, sizeof(f->county), "%s", yl_stmt_text(st, 4));
		f->signed_ = cover >= 1;
		f->combo = cover >= 2;
	}
	yl_stmt_reset(st);
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "no row for an encounter's facts");
	return err;
}

enum yl_err yl_measure_encounter(const struct yl_ctx *c, const struct yl_encounter *e,
				 const struct yl_measure_facts *fp)
{
	const struct yl_encounter_costs *k = &e->costs;
	int64_t total = k->drugs + k->consumables + k->exams + k->treatment + k->bed + k->other;
	bool opem = strcmp(e->kind, "inpatient") != 0, ip = !opem;
	const struct yl_measure_facts f = *fp;
	enum yl_err err;

	const struct delta add[] = {
		{"opem_visits", opem},
		{"opem_visits_primary", opem && f.primary},
		{"opem_visits_signed", opem && f.signed_},
		{"opem_visits_signed_combo", opem && f.combo},
		{"opem_visits_signed_primary", opem && f.signed_ && f.primary},
		{"opem_cost", opem ? total : 0},
		{"opem_drug_cost", opem ? k->drugs : 0},
		{"ip_admissions", ip},
		{"ip_cost", ip ? total : 0},
		{"ip_drug_cost", ip ? k->drugs : 0},
		{"cost_total", total},
		{"cost_drugs", k->drugs},
		{"out_of_pocket", e->out_of_pocket},
		{"fund_paid", e->fund_paid},
	};
	/* one UPSERT per measure: a multi-row UPSERT of the same rows measured 30 % slower in
	 * SQLite (yilian bench indicators, 17,500 against 24,500 encounters/s) */
	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++)
		if ((err = yl_measure_add(c, add[i].measure, e->institution_id, e->visit_date,
					  f.county, add[i].delta)))
			return err;
	return YL_OK;
}

struct ref_facts {
	char direction[8];
	char care_type[12];
	char status[12];
	int64_t from;
	char date[YL_DATE_LEN]; /* local date of the request */
	char county[YL_MEASURE_COUNTY_LEN];
	bool primary; /* the sender is 基层 */
};

static enum yl_err referral_facts(const struct yl_ctx *c, int64_t id, struct ref_facts *f)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	err = yl_store_prepare(c->store, "SELECT r.direction, r.care_type, r.status,"
					 " r.from_institution_id, r.requested_at,"
					 " substr(h.home_area_code, 1, 6), " PRIMARY_LEVEL("i")
					 " FROM referrals r JOIN residents h ON h.id = r.resident_id"
					 " JOIN institutions i ON i.id = r.from_institution_id"
					 " WHERE r.id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		snprintf(f->direction, sizeof(f->direction), "%s", yl_stmt_text(st, 0));
		snprintf(f->care_type, sizeof(f->care_type), "%s", yl_stmt_text(st, 1));
		snprintf(f->status, sizeof(f->status), "%s", yl_stmt_text(st, 2));
		f->from = yl_stmt_int(st, 3);
		yl_date_format((int32_t)((yl_stmt_int(st, 4) + YL_SHANGHAI_OFFSET) / 86400), f->date);
		snprintf(f->county, sizeof(f->county), "%s", yl_stmt_text(st, 5));
		f->primary = yl_stmt_int(st, 6) != 0;
	}
	yl_stmt_reset(st);
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_INTERNAL, "id", "no referral with id %lld",
				  (long long)id);
	return err;
}

enum yl_err yl_measure_referral_requested(const struct yl_ctx *c, int64_t id)
{
	struct ref_facts f;
	enum yl_err err;
	bool op, up, down;

	if ((err = referral_facts(c, id, &f)))
		return err;
	op = strcmp(f.care_type, "outpatient") == 0;
	up = strcmp(f.direction, "up") == 0;
	down = strcmp(f.direction, "down") == 0;
	if ((err = yl_measure_add(c, "ref_issued", f.from, f.date, f.county, 1)))
		return err;
	if (up || down) {
		const char *m = up ? (op ? "ref_up_op" : "ref_up_ip") : (op ? "ref_down_op"
									    : "ref_down_ip");
		if ((err = yl_measure_add(c, m, f.from, f.date, f.county, 1)))
			return err;
	}
	if (up && f.primary)
		err = yl_measure_add(c, op ? "ref_up_primary_op" : "ref_up_primary_ip", f.from,
				     f.date, f.county, 1);
	return err;
}

enum yl_err yl_measure_referral_completed(const struct yl_ctx *c, int64_t id)
{
	struct ref_facts f;
	enum yl_err err;

	if ((err = referral_facts(c, id, &f)))
		return err;
	return yl_measure_add(c, "ref_completed", f.from, f.date, f.county, 1);
}

/* The rebuild's statement of each encounter measure: its value and the rows it counts. */
#define OPEM "e.kind IN ('outpatient', 'emergency')"
#define INPATIENT "e.kind = 'inpatient'"
#define SIGNED                                                                            \
	"EXISTS (SELECT 1 FROM contracts k WHERE k.resident_id = e.resident_id AND "        \
	COVERS_AT("e") ")"
#define COMBO                                                                             \
	"EXISTS (SELECT 1 FROM contracts k JOIN teams t ON t.id = k.team_id"                \
	" WHERE k.resident_id = e.resident_id AND " COVERS_AT("e")                           \
	" AND (t.institution_id = e.institution_id OR k.secondary_id = e.institution_id"    \
	" OR k.tertiary_id = e.institution_id))"
#define TOTAL                                                                             \
	"(e.cost_drugs + e.cost_consumables + e.cost_exams + e.cost_treatment + e.cost_bed" \
	" + e.cost_other)"

static const struct {
	const char *measure, *value, *where;
} encounter_measures[] = {
	{"opem_visits", "1", OPEM},
	{"opem_visits_primary", "1", OPEM " AND " PRIMARY_LEVEL("i")},
	{"opem_visits_signed", "1", OPEM " AND " SIGNED},
	{"opem_visits_signed_combo", "1", OPEM " AND " COMBO},
	{"opem_visits_signed_primary", "1", OPEM " AND " PRIMARY_LEVEL("i") " AND " SIGNED},
	{"opem_cost", TOTAL, OPEM},
	{"opem_drug_cost", "e.cost_drugs", OPEM},
	{"ip_admissions", "1", INPATIENT},
	{"ip_cost", TOTAL, INPATIENT},
	{"ip_drug_cost", "e.cost_drugs", INPATIENT},
	{"cost_total", TOTAL, "1 = 1"},
	{"cost_drugs", "e.cost_drugs", "1 = 1"},
	{"out_of_pocket", "e.out_of_pocket", "1 = 1"},
	{"fund_paid", "e.fund_paid", "1 = 1"},
};

static enum yl_err rebuild_encounters(const struct yl_ctx *c)
{
	struct yl_buf sql;
	enum yl_err err = YL_OK;

	yl_buf_init(&sql);
	for (size_t i = 0; !err && i < sizeof(encounter_measures) / sizeof(encounter_measures[0]);
	     i++) {
		yl_buf_reset(&sql);
		/* The measure names and expressions are ours, never input: inlining is safe. */
		yl_buf_addf(&sql,
			    "INSERT INTO measure_agg(measure, institution_id, month, resident_county,"
			    " value) SELECT '%s', e.institution_id, substr(e.visit_date, 1, 7),"
			    " substr(r.home_area_code, 1, 6), sum(%s) FROM encounters e"
			    " JOIN residents r ON r.id = e.resident_id"
			    " JOIN institutions i ON i.id = e.institution_id WHERE %s"
			    " GROUP BY e.institution_id, substr(e.visit_date, 1, 7),"
			    " substr(r.home_area_code, 1, 6) HAVING sum(%s) > 0",
			    encounter_measures[i].measure, encounter_measures[i].value,
			    encounter_measures[i].where, encounter_measures[i].value);
		err = yl_store_exec(c->store, yl_buf_str(&sql), c->diag);
	}
	yl_buf_release(&sql);
	return err;
}

/* Referral counts grouped by sender, local request day and county; the day becomes a month in
 * C (several days of a month add up through the UPSERT). */
static enum yl_err rebuild_referrals(const struct yl_ctx *c)
{
	static const char *const names[] = {
		"ref_issued", "ref_up_op", "ref_up_ip", "ref_down_op", "ref_down_ip",
		"ref_up_primary_op", "ref_up_primary_ip", "ref_completed",
	};
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	err = yl_store_prepare(c->store,
			       "SELECT r.from_institution_id, (r.requested_at + ?) / 86400,"
			       " substr(h.home_area_code, 1, 6), count(*),"
			       " count(CASE WHEN r.direction = 'up' AND r.care_type = 'outpatient'"
			       "  THEN 1 END),"
			       " count(CASE WHEN r.direction = 'up' AND r.care_type = 'inpatient'"
			       "  THEN 1 END),"
			       " count(CASE WHEN r.direction = 'down' AND r.care_type = 'outpatient'"
			       "  THEN 1 END),"
			       " count(CASE WHEN r.direction = 'down' AND r.care_type = 'inpatient'"
			       "  THEN 1 END),"
			       " count(CASE WHEN r.direction = 'up' AND r.care_type = 'outpatient'"
			       "  AND " PRIMARY_LEVEL("i") " THEN 1 END),"
			       " count(CASE WHEN r.direction = 'up' AND r.care_type = 'inpatient'"
			       "  AND " PRIMARY_LEVEL("i") " THEN 1 END),"
			       " count(CASE WHEN r.status = 'completed' THEN 1 END)"
			       " FROM referrals r JOIN residents h ON h.id = r.resident_id"
			       " JOIN institutions i ON i.id = r.from_institution_id"
			       " GROUP BY r.from_institution_id, (r.requested_at + ?) / 86400,"
			       " substr(h.home_area_code, 1, 6)", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, YL_SHANGHAI_OFFSET);
	yl_stmt_bind_int(st, 2, YL_SHANGHAI_OFFSET);
	while (!err && !(err = yl_stmt_step(st, &row, c->diag)) && row) {
		char date[YL_DATE_LEN], county[YL_MEASURE_COUNTY_LEN];
		int64_t inst = yl_stmt_int(st, 0);

		yl_date_format((int32_t)yl_stmt_int(st, 1), date);
		snprintf(county, sizeof(county), "%s", yl_stmt_text(st, 2));
		for (int k = 0; !err && k < 8; k++)
			err = yl_measure_add(c, names[k], inst, date, county, yl_stmt_int(st, 3 + k));
	}
	yl_stmt_reset(st);
	return err;
}

enum yl_err yl_measure_rebuild(const struct yl_ctx *c, int64_t *rows)
{
	enum yl_err err;

	if ((err = yl_require_admin(c)) ||
	    (err = yl_store_exec(c->store, "DELETE FROM measure_agg", c->diag)) ||
	    (err = rebuild_encounters(c)) || (err = rebuild_referrals(c)))
		return err;
	if (rows) {
		struct yl_stmt *st;
		bool row;
		if ((err = yl_store_prepare(c->store, "SELECT count(*) FROM measure_agg", &st,
					    c->diag)))
			return err;
		err = yl_stmt_step(st, &row, c->diag);
		*rows = !err && row ? yl_stmt_int(st, 0) : 0;
		yl_stmt_reset(st);
	}
	return err;
}
