/* bench_indicators.c - `yilian bench indicators`: what the live aggregates cost at ingest and
 * what they buy at query time. Two fresh temp databases with the same small registry (areas,
 * five institutions, residents, all through the domain functions); N encounters go into each
 * through yl_encounter_create in one transaction, the first with live aggregates (measure_agg
 * kept up to date by every write), the second without (ctx.no_live_measures, a benchmark-only
 * switch). Then the county-year indicator query (yl_indicator_compute, as GET /indicators) is
 * timed on the first, and the full rebuild (yl_measure_rebuild) on the second, whose numbers
 * must equal the live ones. It measures the domain path, not HTTP or the importer.
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
#include "domain/encounter.h"
#include "domain/indicator.h"
#include "domain/institution.h"
#include "domain/measure.h"
#include "domain/resident.h"
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

/* Areas, institutions (as the tests' registry: a city hospital outside the county, a county
 * hospital, two township centres, a village clinic) and RESIDENTS residents living in the
 * county's two townships; one transaction, audited as any registry write. */
static enum yl_err seed(struct db *b, struct yl_diag *d)
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
	int32_t base = yl_days_from_civil(1940, 1, 1);
	enum yl_err err = yl_store_begin(b->s, d);

	for (size_t i = 0; !err && i < sizeof(areas) / sizeof(areas[0]); i++)
		err = yl_area_create(&b->c, &areas[i], NULL);
	for (size_t i = 0; !err && i < sizeof(inst) / sizeof(inst[0]); i++)
		err = yl_institution_create(&b->c, &inst[i], NULL);
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

enum yl_err yl_bench_indicators(int64_t encounters, bool *failed, struct yl_diag *d)
{
	struct figures f;
	char dir[40] = "/tmp/yilian-bench-indicators.XXXXXX", cmd[96], note[64];
	double on_rate, off_rate;
	enum yl_err err;

	*failed = true;
	if (!mkdtemp(dir))
		return yl_diag_set(d, YL_ERR_IO, NULL, "cannot create a temp dir");
	err = run(dir, encounters, &f, d);
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
	*failed = f.mismatches != 0 || f.rebuilt_rows != f.agg_rows;
	return YL_OK;
}
