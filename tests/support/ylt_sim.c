/* ylt_sim.c - see ylt_sim.h. */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "ylt_sim.h"

void ylt_sim_small(struct yl_sim_region_opts *o, int64_t residents, uint64_t seed)
{
	yl_sim_region_opts_init(o);
	o->counties = 1;
	o->townships = 3;
	o->villages = 2;
	o->residents = residents;
	o->seed = seed;
}

/* 2026-01-05 (a Monday) as the first simulated day. */
int32_t ylt_sim_start(void)
{
	return yl_days_from_civil(2026, 1, 5);
}

static void fresh(struct ylt_sim_run *r)
{
	snprintf(r->dir, sizeof(r->dir), "/tmp/yl-sim-XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	snprintf(r->db, sizeof(r->db), "%s/sim.db", r->dir);
	memset(&r->st, 0, sizeof(r->st));
}

void ylt_sim_generate(struct ylt_sim_run *r, struct yl_sim_region_opts *o,
		      const struct yl_sim_policy *p)
{
	struct yl_sim_region_result res;

	fresh(r);
	o->policy = p;
	assert_int_equal(yl_cli_sim_generate(r->db, o, ylt_sim_start(), &res), 0);
}

void ylt_sim_copy(const struct ylt_sim_run *from, struct ylt_sim_run *to)
{
	char buf[65536];
	FILE *in, *out;
	size_t n;

	fresh(to);
	in = fopen(from->db, "rb");
	out = fopen(to->db, "wb");
	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

void ylt_sim_run(struct ylt_sim_run *r, const struct yl_sim_policy *p, int days)
{
	assert_int_equal(yl_cli_sim_run(r->db, p, days, NULL, &r->st), 0);
}

void ylt_sim_generate_and_run(struct ylt_sim_run *r, struct yl_sim_region_opts *o,
			      const struct yl_sim_policy *p, int days)
{
	ylt_sim_generate(r, o, p);
	ylt_sim_run(r, p, days);
}

void ylt_sim_cleanup(struct ylt_sim_run *r)
{
	char side[200];

	unlink(r->db);
	snprintf(side, sizeof(side), "%s-wal", r->db);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", r->db);
	unlink(side);
	rmdir(r->dir);
}

char *ylt_sim_report_json(const char *db)
{
	struct yl_arena arena;
	struct yl_report rep;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	yl_arena_init(&arena);
	assert_int_equal(yl_cli_sim_report(db, &arena, &rep), 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	yl_report_print_json(f, &rep);
	fclose(f);
	yl_arena_release(&arena);
	return text;
}

double ylt_sim_region_value(const char *db, const char *id)
{
	struct yl_arena arena;
	struct yl_report rep;
	const struct yl_report_cell *cell;
	double v;

	yl_arena_init(&arena);
	assert_int_equal(yl_cli_sim_report(db, &arena, &rep), 0);
	cell = yl_report_cell(&rep, id, "region");
	assert_non_null(cell);
	assert_true(cell->cur.has_value);
	v = cell->cur.value;
	yl_arena_release(&arena);
	return v;
}

