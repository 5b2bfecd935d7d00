/* bench_indicators.c - `yilian bench indicators`: what the live aggregates cost at ingest and
 * what they buy at query time. Two fresh temp databases with the same small registry (areas,
 * five institutions, residents, all through the domain functions); N encounters go into each
 * through yl_encounter_create in one transaction, the first with live aggregates (measure_agg
 * kept up to date by every write), the second without (ctx.no_live_measures, a benchmark-only
 * switch). Then the county-year indicator query (yl_indicator_compute, as GET /indicators) is
 * timed on the first, and the full rebuild (yl_measure_rebuild) on the second, whose numbers
 * must equal the live ones. The signing stocks (C1/C2, signing_stock.h) get the same treatment
 * on two more databases: residents and contract writes with the live stock on and off, the
 * C1+C2 query against the direct count it replaces, live = direct on chosen days, and the
 * rebuild, whose table must equal the live one row for row. It measures the domain path, not
 * HTTP or the importer.
 */
#include "bench/bench.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/codes.h"
#include "domain/area.h"
#include "domain/contract.h"
#include "domain/encounter.h"
#include "domain/indicator.h"
#include "domain/institution.h"
#include "domain/measure.h"
#include "domain/population.h"
#include "domain/practitioner.h"
#include "domain/resident.h"
#include "domain/signing_stock.h"
#include "domain/team.h"
#include "store/store.h"

/* 2026-03-15 10:00 Asia/Shanghai: every encounter of 2025 lies in the past. */
#define NOW ((int64_t)1773540000)
enum { RESIDENTS = 5000, QUERY_RUNS = 200 };

/* The county-year the query reads: the county 440106 (institutions 2..5), months of 2025. */
static const struct yl_indicator_query county_year = {0, 0, "440106", "2025-01", "2025-12",
						      NULL};

struct db {
	char path[96];
	struct yl_store *s;
	struct yl_clock clock;
	struct yl_arena arena;
	struct yl_actor actor;
	struct yl_ctx c;
};

static enum yl_err db_open(struct db *b, const char *dir, const char *name, struct yl_diag *d)
{
	enum yl_err err;

	memset(b, 0, sizeof(*b));
	snprintf(b->path, sizeof(b->path), "%s/%s", dir, name);
	yl_clock_fixed(&b->clock, NOW);
	b->arena = (struct yl_arena)YL_ARENA_INIT;
	b->actor = (struct yl_actor){0, "system:bench", YL_ROLE_ADMIN, 0, 0};
	if ((err = yl_store_open(b->path, YL_STORE_CREATE, &b->s, d)))
		return err;
	b->c.store = b->s;
	b->c.clock = &b->clock;
	b->c.arena = &b->arena;
	b->c.diag = d;
	b->c.actor = &b->actor;
	return YL_OK;
}

static void db_close(struct db *b)
{
	if (b->s && yl_store_in_tx(b->s))
		yl_store_rollback(b->s);
	yl_store_close(b->s);
	yl_arena_release(&b->arena);
	b->s = NULL;
}

/* Areas and institutions as the tests' registry: a city hospital outside the county, a
 * county hospital, two township centres, a village clinic. In the caller's transaction. */
static enum yl_err registry(struct db *b)
{
	static const struct yl_area areas[] = {
		{"440000", "广东省", NULL, NULL, 0},
		{"440100", "广州市", NULL, NULL, 0},
		{"440106", "天河区", NULL, NULL, 0},
		{"440106001", "五山街道", NULL, NULL, 0},
		{"440106002", "员村街道", NULL, NULL, 0},
	};
	static const struct yl_institution inst[] = {
		{0, "H-CITY", "市第一人民医院", "tertiary", "general", "440100", 1500, 0, 0},
		{0, "H-COUNTY", "区人民医院", "secondary", "general", "440106", 500, 0, 0},
		{0, "C-WUSHAN", "五山社区卫生服务中心", "primary", "general", "440106001", 40, 0, 0},
		{0, "C-YUANCUN", "员村社区卫生服务中心", "primary", "general", "440106002", 30, 0, 0},
		{0, "V-001", "五山村卫生室", "village", "general", "440106001", 0, 3, 0},
	};
	enum yl_err err = YL_OK;

	for (size_t i = 0; !err && i < sizeof(areas) / sizeof(areas[0]); i++)
		err = yl_area_create(&b->c, &areas[i], NULL);
	for (size_t i = 0; !err && i < sizeof(inst) / sizeof(inst[0]); i++)
		err = yl_institution_create(&b->c, &inst[i], NULL);
	return err;
}

/* The registry and RESIDENTS residents living in the county's two townships; one
 * transaction, audited as any registry write. */
static enum yl_err seed(struct db *b, struct yl_diag *d)
{
	int32_t base = yl_days_from_civil(1940, 1, 1);
	enum yl_err err = yl_store_begin(b->s, d);

	if (!err)
		err = registry(b);
	for (int i = 0; !err && i < RESIDENTS; i++) {
		struct yl_resident r = {0};
		char id[19], date[YL_DATE_LEN];

		/* 1000 sequence numbers per birth date: unique ids */
		yl_date_format(base + i / 1000 * 97, date);
		snprintf(id, sizeof(id), "440106%.4s%.2s%.2s%03d", date, date + 5, date + 8,
			 i % 1000);
		id[17] = yl_id_number_check_char(id);
		id[18] = '\0';
		r.id_number = id;
		r.name = "居民";
		r.home_area_code = i % 2 ? "440106001" : "440106002";
		err = yl_resident_create(&b->c, &r, NULL);
		yl_arena_release(&b->arena);
	}
	if (!err)
		err = yl_store_commit(b->s, d);
	return err;
}

/* Encounter i of the generated stream: deterministic, the same in both databases. 85 %
 * outpatient, 8 % emergency, 7 % inpatient (a 1-10 day stay), over the days of 2025, at the
 * five institutions (most at the primary ones), one or two diagnoses. */
static void make_encounter(int64_t i, struct yl_encounter *e, const char **dx, char *visit,
			   char *discharge)
{
	static const char *const codes[] = {"I10", "E11.9", "J06.9", "K29.7", "M54.5", "J18.9"};
	static const int64_t inst_of[] = {1, 2, 2, 3, 3, 3, 4, 4, 4, 5};
	uint64_t h = (uint64_t)i * UINT64_C(0x9E3779B97F4A7C15);
	int32_t day = yl_days_from_civil(2025, 1, 1) + (int32_t)((h >> 8) % 365);
	int kind = (int)((h >> 24) % 100);
	int64_t fen = 2000 + (int64_t)((h >> 32) % 50000);

	memset(e, 0, sizeof(*e));
	e->resident_id = 1 + (int64_t)((h >> 40) % RESIDENTS);
	e->institution_id = inst_of[(h >> 4) % 10];
	yl_date_format(day, visit);
	e->visit_date = visit;
	if (kind < 85) {
		e->kind = "outpatient";
	} else if (kind < 93) {
		e->kind = "emergency";
	} else {
		e->kind = "inpatient";
		fen *= 40;
		yl_date_format(day + 1 + (int32_t)((h >> 16) % 10), discharge);
		e->discharge_date = discharge;
	}
	dx[0] = codes[(h >> 12) % 6];
	dx[1] = codes[((h >> 12) + 1) % 6];
	e->diagnoses = dx;
	e->ndiagnoses = 1 + (int)((h >> 20) % 2);
	e->costs.drugs = fen * 4 / 10;
	e->costs.exams = fen * 3 / 10;
	e->costs.treatment = fen - e->costs.drugs - e->costs.exams;
	e->fund_paid = fen * 6 / 10;
	e->out_of_pocket = fen - e->fund_paid;
}

/* Inserts n encounters in one transaction; *secs is the time from BEGIN to COMMIT done. */
static enum yl_err ingest(struct db *b, int64_t n, double *secs, struct yl_diag *d)
{
	double t0 = yl_monotonic();
	enum yl_err err = yl_store_begin(b->s, d);

	for (int64_t i = 0; !err && i < n; i++) {
		struct yl_encounter e;
		const char *dx[2];
		char visit[YL_DATE_LEN], discharge[YL_DATE_LEN];

		make_encounter(i, &e, dx, visit, discharge);
		err = yl_encounter_create(&b->c, &e, NULL);
		yl_arena_release(&b->arena);
	}
	if (!err)
		err = yl_store_commit(b->s, d);
	*secs = yl_monotonic() - t0;
	return err;
}

/* One county-year query in its own read transaction, as the API answers it; the results are
 * copied to out (may be NULL) before the arena goes. */
static enum yl_err query(struct db *b, struct yl_indicator_value *out, int *n,
			 struct yl_diag *d)
{
	struct yl_indicator_result *res;
	enum yl_err err = yl_store_begin_read(b->s, d);

	if (!err)
		err = yl_indicator_compute(&b->c, &county_year, &res, n);
	if (!err)
		err = yl_store_commit(b->s, d);
	for (int i = 0; !err && out && i < *n && i < 64; i++)
		out[i] = res[i].cur;
	yl_arena_release(&b->arena);
	return err;
}

static enum yl_err scalar(struct db *b, const char *sql, int64_t *v, struct yl_diag *d)
{
	struct yl_stmt *st;
	bool row;
	enum yl_err err = yl_store_prepare(b->s, sql, &st, d);

	if (!err)
		err = yl_stmt_step(st, &row, d);
	*v = !err && row ? yl_stmt_int(st, 0) : -1;
	if (!err)
		yl_stmt_reset(st);
	return err;
}

struct figures {
	double on_s, off_s, rebuild_s, p50, p99, max;
	int64_t agg_rows, rebuilt_rows, mismatches;
	int nindicators;
};

static enum yl_err run(const char *dir, int64_t n, struct figures *f, struct yl_diag *d)
{
	struct db on, off;
	struct yl_indicator_value live[64], rebuilt[64];
	struct yl_bench_lat lat = {0};
	int nlive = 0, nrebuilt = 0;
	enum yl_err err;

	memset(f, 0, sizeof(*f));
	err = db_open(&on, dir, "live.db", d);
	if (!err)
		err = db_open(&off, dir, "off.db", d);
	off.c.no_live_measures = true;
	if (!err)
		err = seed(&on, d);
	if (!err)
		err = seed(&off, d);
	fprintf(stderr, "bench indicators: %" PRId64 " encounters, live aggregates on ...\n", n);
	if (!err)
		err = ingest(&on, n, &f->on_s, d);
	fprintf(stderr, "bench indicators: %" PRId64 " encounters, live aggregates off ...\n", n);
	if (!err)
		err = ingest(&off, n, &f->off_s, d);
	if (!err)
		err = scalar(&on, "SELECT count(*) FROM measure_agg", &f->agg_rows, d);
	for (int i = 0; !err && i < QUERY_RUNS; i++) {
		double t0 = yl_monotonic();

		err = query(&on, i == 0 ? live : NULL, &nlive, d);
		yl_bench_lat_add(&lat, (yl_monotonic() - t0) * 1000.0);
	}
	yl_bench_lat_summary(&lat, &f->p50, &f->p99, &f->max);
	f->nindicators = nlive;
	if (!err) {
		double t0 = yl_monotonic();

		err = yl_store_begin(off.s, d);
		if (!err)
			err = yl_measure_rebuild(&off.c, &f->rebuilt_rows);
		if (!err)
			err = yl_store_commit(off.s, d);
		f->rebuild_s = yl_monotonic() - t0;
	}
	if (!err)
		err = query(&off, rebuilt, &nrebuilt, d);
	if (!err) {
		f->mismatches = nlive == nrebuilt ? 0 : 1;
		for (int i = 0; i < nlive && i < nrebuilt && i < 64; i++)
			f->mismatches += live[i].numerator != rebuilt[i].numerator ||
					 live[i].denominator != rebuilt[i].denominator;
	}
	db_close(&on);
	db_close(&off);
	return err;
}

/* The signing stocks' part. STOCK_RESIDENTS residents (births spread over 100 years, one in
 * five with a stored tag) in county 440106; three in five sign with one of STOCK_TEAMS teams
 * (backdated starts spread over the year before NOW, so every contract is in force), and one in
 * ten of those is then renewed early, one ended, one moved to another team. Teams are many
 * and small because every signing counts its team's load (yl_team_load), which would
 * otherwise dominate what is measured here. */
enum { STOCK_RESIDENTS = 50000, STOCK_TEAMS = 1000, DIRECT_RUNS = 5 };

struct stock_figures {
	double res_on_s, res_off_s, con_on_s, con_off_s, rebuild_s;
	double past_p50, past_p99, cur_p50, cur_p99, direct_ms;
	int64_t writes, rows, rebuilt_rows, mismatches;
};

/* The registry, STOCK_TEAMS general practitioners leading a team each (at the two township
 * centres), then the residents; *secs times the residents alone. One transaction. */
static enum yl_err stock_people(struct db *b, double *secs, struct yl_diag *d)
{
	int32_t base = yl_days_from_civil(1926, 1, 1);
	enum yl_err err = yl_store_begin(b->s, d);
	double t0;

	if (!err)
		err = registry(b);
	for (int i = 0; !err && i < STOCK_TEAMS; i++) {
		struct yl_practitioner p = {0}, pout;
		struct yl_team t = {0};

		p.name = "全科医生";
		p.title = "attending_physician";
		p.general_practitioner = true;
		p.institution_id = 3 + i % 2;
		err = yl_practitioner_create(&b->c, &p, &pout);
		t.name = "家庭医生团队";
		t.institution_id = p.institution_id;
		t.leader_id = pout.id;
		t.capacity = 5000;
		if (!err)
			err = yl_team_create(&b->c, &t, NULL);
		yl_arena_release(&b->arena);
	}
	t0 = yl_monotonic();
	for (int i = 0; !err && i < STOCK_RESIDENTS; i++) {
		struct yl_resident r = {0};
		char id[19], date[YL_DATE_LEN];

		/* 36,500 birth dates (a bijection: 7919 is prime to 36500), a sequence per round */
		yl_date_format(base + (int32_t)((int64_t)i * 7919 % 36500), date);
		snprintf(id, sizeof(id), "440106%.4s%.2s%.2s%03d", date, date + 5, date + 8,
			 i / 36500);
		id[17] = yl_id_number_check_char(id);
		id[18] = '\0';
		r.id_number = id;
		r.name = "居民";
		r.home_area_code = i % 50 == 0 ? "440106" : i % 2 ? "440106001" : "440106002";
		r.tags = i % 5 == 0 ? YL_TAG_HYPERTENSION : 0;
		err = yl_resident_create(&b->c, &r, NULL);
		yl_arena_release(&b->arena);
	}
	*secs = yl_monotonic() - t0;
	if (!err)
		err = yl_store_commit(b->s, d);
	return err;
}

/* Signs, then renews, ends or changes one contract in ten; *writes counts the writes. */
static enum yl_err contract_writes(struct db *b, int i, int64_t *writes)
{
	struct yl_contract_sign in = {0};
	struct yl_contract_change ch = {0};
	struct yl_contract k;
	enum yl_err err;

	in.resident_id = i + 1;
	in.team_id = 1 + i % STOCK_TEAMS;
	in.secondary_id = 2;
	in.tertiary_id = 1;
	in.has_start = true;
	/* from 2025-03-16, the earliest start whose one-year term is still in force at NOW */
	in.start_date = yl_days_from_civil(2025, 3, 16) + (int32_t)((int64_t)i * 37 % 365);
	if ((err = yl_contract_sign(&b->c, &in, &k)))
		return err;
	++*writes;
	switch (i % 10) {
	case 0:
		err = yl_contract_renew(&b->c, k.id, 0, NULL);
		break;
	case 1:
		err = yl_contract_end(&b->c, k.id, "moved away", NULL);
		break;
	case 2:
		ch.team_id = 1 + (i + 1) % STOCK_TEAMS;
		ch.reason = "closer to home";
		err = yl_contract_change(&b->c, k.id, &ch, NULL);
		break;
	default:
		return YL_OK;
	}
	++*writes;
	return err;
}

/* The contract writes of three residents in five, in one transaction. */
static enum yl_err stock_contracts(struct db *b, double *secs, int64_t *writes,
				   struct yl_diag *d)
{
	double t0 = yl_monotonic();
	enum yl_err err = yl_store_begin(b->s, d);

	*writes = 0;
	for (int i = 0; !err && i < STOCK_RESIDENTS; i++) {
		if (i % 5 < 3)
			err = contract_writes(b, i, writes);
		yl_arena_release(&b->arena);
	}
	if (!err)
		err = yl_store_commit(b->s, d);
	*secs = yl_monotonic() - t0;
	return err;
}

/* C1 then C2 of the county over months from..to, in one read transaction; *ms its time. */
static enum yl_err stock_query(struct db *b, const char *from, const char *to, double *ms,
			       struct yl_diag *d)
{
	static const char *const ids[] = {"C1", "C2"};
	double t0 = yl_monotonic();
	enum yl_err err = yl_store_begin_read(b->s, d);

	for (int i = 0; !err && i < 2; i++) {
		struct yl_indicator_query q = {0, 0, "440106", from, to, ids[i]};
		struct yl_indicator_result *res;
		int n;
		err = yl_indicator_compute(&b->c, &q, &res, &n);
	}
	if (!err)
		err = yl_store_commit(b->s, d);
	yl_arena_release(&b->arena);
	*ms = (yl_monotonic() - t0) * 1000.0;
	return err;
}

/* Latency of stock_query over QUERY_RUNS runs, as p50 and p99, after one run not counted
 * (the first prepares its statements: a few ms that would be the p99). */
static enum yl_err stock_latency(struct db *b, const char *from, const char *to, double *p50,
				 double *p99, struct yl_diag *d)
{
	struct yl_bench_lat lat = {0};
	double ms, max;
	enum yl_err err = stock_query(b, from, to, &ms, d);

	for (int i = 0; !err && i < QUERY_RUNS; i++) {
		err = stock_query(b, from, to, &ms, d);
		yl_bench_lat_add(&lat, ms);
	}
	yl_bench_lat_summary(&lat, p50, p99, &max);
	return err;
}

/* The county's four counts on day `on` from the live table, or (direct) the direct count. */
static enum yl_err stock_counts(struct db *b, int32_t on, bool direct,
				struct yl_signing_counts *k, struct yl_diag *d)
{
	enum yl_err err = yl_store_begin_read(b->s, d);

	if (!err)
		err = direct ? yl_signing_count_on(&b->c, "440106", on, k)
			     : yl_signing_stock_counts(&b->c, "440106", on, k);
	if (!err)
		err = yl_store_commit(b->s, d);
	yl_arena_release(&b->arena);
	return err;
}

/* Rows of signing_stock that differ between a and b, read in key order in step; a longer
 * table counts one more and ends the comparison. */
static enum yl_err stock_diff(struct db *a, struct db *b, int64_t *diff, struct yl_diag *d)
{
	static const char *const sql = "SELECT area_code, grain, period, residents,"
				       " tagged_residents, signed_residents, signed_key_residents"
				       " FROM signing_stock ORDER BY 1, 2, 3";
	struct yl_stmt *sa, *sb;
	bool ra = true, rb = true;
	enum yl_err err;

	*diff = 0;
	if ((err = yl_store_prepare(a->s, sql, &sa, d)) ||
	    (err = yl_store_prepare(b->s, sql, &sb, d)))
		return err;
	while (ra && rb) {
		if ((err = yl_stmt_step(sa, &ra, d)) || (err = yl_stmt_step(sb, &rb, d)))
			break;
		if (ra != rb) {
			++*diff;
			break;
		}
		for (int k = 0; ra && k < 7; k++)
			if (strcmp(yl_stmt_text(sa, k), yl_stmt_text(sb, k)) != 0) {
				++*diff;
				break;
			}
	}
	yl_stmt_reset(sa);
	yl_stmt_reset(sb);
	return err;
}

/* Live = direct on chosen days: month ends of 2025 and early 2026, today, and days inside
 * months (day rows plus the births and birthdays counted from residents). */
static enum yl_err stock_check(struct db *b, int64_t *mismatches, struct yl_diag *d)
{
	static const char *const days[] = {
		"2025-01-31", "2025-03-31", "2025-06-15", "2025-06-30", "2025-09-30", "2025-11-07",
		"2025-12-31", "2026-01-31", "2026-02-28", "2026-03-01", "2026-03-10", "2026-03-15",
	};
	enum yl_err err = YL_OK;

	for (size_t i = 0; !err && i < sizeof(days) / sizeof(days[0]); i++) {
		struct yl_signing_counts live, direct;
		int32_t on = 0;

		yl_date_parse(days[i], &on);
		err = stock_counts(b, on, false, &live, d);
		if (!err)
			err = stock_counts(b, on, true, &direct, d);
		*mismatches += !err && memcmp(&live, &direct, sizeof(live)) != 0;
	}
	return err;
}

/* Both databases get the same writes, the second with the live stock off; then queries and
 * checks on the first, and the rebuild of the second, compared with the first row by row. */
static enum yl_err stock_run(const char *dir, struct stock_figures *f, struct yl_diag *d)
{
	struct yl_bench_lat lat = {0};
	struct db on, off;
	int64_t writes_off = 0, diff = 0;
	double t0, ms;
	enum yl_err err;

	memset(f, 0, sizeof(*f));
	err = db_open(&on, dir, "stock-live.db", d);
	if (!err)
		err = db_open(&off, dir, "stock-off.db", d);
	off.c.no_live_measures = true;
	fprintf(stderr, "bench indicators: %d residents and their contracts, live stock on ...\n",
		STOCK_RESIDENTS);
	if (!err && !(err = stock_people(&on, &f->res_on_s, d)))
		err = stock_contracts(&on, &f->con_on_s, &f->writes, d);
	fprintf(stderr, "bench indicators: the same, live stock off ...\n");
	if (!err && !(err = stock_people(&off, &f->res_off_s, d)))
		err = stock_contracts(&off, &f->con_off_s, &writes_off, d);
	if (!err)
		err = scalar(&on, "SELECT count(*) FROM signing_stock", &f->rows, d);
	if (!err)
		err = stock_latency(&on, "2025-01", "2025-12", &f->past_p50, &f->past_p99, d);
	if (!err)
		err = stock_latency(&on, "2026-01", "2026-12", &f->cur_p50, &f->cur_p99, d);
	for (int i = 0; !err && i < DIRECT_RUNS; i++) {
		struct yl_signing_counts k;
		t0 = yl_monotonic();
		err = stock_counts(&on, yl_days_from_civil(2025, 12, 31), true, &k, d);
		yl_bench_lat_add(&lat, (yl_monotonic() - t0) * 1000.0);
	}
	yl_bench_lat_summary(&lat, &f->direct_ms, &ms, &ms);
	if (!err)
		err = stock_check(&on, &f->mismatches, d);
	if (!err) {
		t0 = yl_monotonic();
		err = yl_store_begin(off.s, d);
		if (!err)
			err = yl_signing_stock_rebuild(&off.c, &f->rebuilt_rows);
		if (!err)
			err = yl_store_commit(off.s, d);
		yl_arena_release(&off.arena);
		f->rebuild_s = yl_monotonic() - t0;
	}
	if (!err)
		err = stock_diff(&on, &off, &diff, d);
	f->mismatches += diff + (writes_off != f->writes);
	db_close(&on);
	db_close(&off);
	return err;
}

static void stock_print(const struct stock_figures *f)
{
	char note[64];
	double on, off;

	on = f->res_on_s > 0 ? STOCK_RESIDENTS / f->res_on_s : 0;
	off = f->res_off_s > 0 ? STOCK_RESIDENTS / f->res_off_s : 0;
	snprintf(note, sizeof(note), "%d in one tx, %.2f s", STOCK_RESIDENTS, f->res_on_s);
	yl_bench_row("(e) residents, live stock on", on, "res/s", note);
	snprintf(note, sizeof(note), "%d in one tx, %.2f s", STOCK_RESIDENTS, f->res_off_s);
	yl_bench_row("(f) residents, live stock off", off, "res/s", note);
	yl_bench_row("    cost of the live stock", off > 0 ? 100.0 * (1.0 - on / off) : 0, "%",
		     "of (f)'s rate");
	on = f->con_on_s > 0 ? (double)f->writes / f->con_on_s : 0;
	off = f->con_off_s > 0 ? (double)f->writes / f->con_off_s : 0;
	snprintf(note, sizeof(note), "%" PRId64 " sign/renew/end/change, %.2f s", f->writes,
		 f->con_on_s);
	yl_bench_row("(g) contract writes, live stock on", on, "wr/s", note);
	snprintf(note, sizeof(note), "one tx, %.2f s", f->con_off_s);
	yl_bench_row("(h) contract writes, live stock off", off, "wr/s", note);
	yl_bench_row("    cost of the live stock", off > 0 ? 100.0 * (1.0 - on / off) : 0, "%",
		     "of (h)'s rate");
	yl_bench_row("    signing_stock rows", (double)f->rows, "count", "");
	yl_bench_row("(i) C1+C2 county-year p50", f->past_p50, "ms", "440106 x 2025, on 12-31");
	snprintf(note, sizeof(note), "%d runs after a warm-up", QUERY_RUNS);
	yl_bench_row("    p99", f->past_p99, "ms", note);
	yl_bench_row("(j) C1+C2 current year p50", f->cur_p50, "ms", "440106 x 2026, on today");
	yl_bench_row("    p99", f->cur_p99, "ms", "mid-month: day rows + births");
	snprintf(note, sizeof(note), "yl_signing_count_on, p50 of %d", DIRECT_RUNS);
	yl_bench_row("(k) direct count of one day", f->direct_ms, "ms", note);
	snprintf(note, sizeof(note), "%" PRId64 " rows, one tx", f->rebuilt_rows);
	yl_bench_row("(l) stock rebuild", f->rebuild_s, "s", note);
	yl_bench_row("    live vs direct, vs rebuilt", (double)f->mismatches, "count", "must be 0");
}

enum yl_err yl_bench_indicators(int64_t encounters, bool *failed, struct yl_diag *d)
{
	struct figures f;
	struct stock_figures sf;
	char dir[40] = "/tmp/yilian-bench-indicators.XXXXXX", cmd[96], note[64];
	double on_rate, off_rate;
	enum yl_err err;

	*failed = true;
	if (!mkdtemp(dir))
		return yl_diag_set(d, YL_ERR_IO, NULL, "cannot create a temp dir");
	err = run(dir, encounters, &f, d);
	if (!err)
		err = stock_run(dir, &sf, d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "yilian bench: could not remove %s\n", dir);
	if (err)
		return err;
	on_rate = f.on_s > 0 ? (double)encounters / f.on_s : 0;
	off_rate = f.off_s > 0 ? (double)encounters / f.off_s : 0;
	yl_bench_header("yilian bench indicators: ingest with and without live aggregates, query");
	snprintf(note, sizeof(note), "%" PRId64 " in one tx, %.2f s", encounters, f.on_s);
	yl_bench_row("(a) ingest, live aggregates on", on_rate, "enc/s", note);
	snprintf(note, sizeof(note), "%" PRId64 " in one tx, %.2f s", encounters, f.off_s);
	yl_bench_row("(b) ingest, live aggregates off", off_rate, "enc/s", note);
	yl_bench_row("    cost of live aggregates", off_rate > 0 ? 100.0 * (1.0 - on_rate / off_rate)
			 : 0, "%", "of (b)'s rate");
	yl_bench_row("    measure_agg rows", (double)f.agg_rows, "count", "");
	snprintf(note, sizeof(note), "440106 x 2025, %d indicators", f.nindicators);
	yl_bench_row("(c) county-year query p50", f.p50, "ms", note);
	snprintf(note, sizeof(note), "%d runs, one read tx each", QUERY_RUNS);
	yl_bench_row("    query p99", f.p99, "ms", note);
	yl_bench_row("    query max", f.max, "ms", "");
	snprintf(note, sizeof(note), "%" PRId64 " rows, one tx", f.rebuilt_rows);
	yl_bench_row("(d) full rebuild from raw events", f.rebuild_s, "s", note);
	yl_bench_row("    rebuilt vs live mismatches", (double)f.mismatches, "count", "must be 0");
	stock_print(&sf);
	*failed = f.mismatches != 0 || f.rebuilt_rows != f.agg_rows || sf.mismatches != 0 ||
		  sf.rebuilt_rows != sf.rows;
	return YL_OK;
}
