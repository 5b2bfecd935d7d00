/* cmd_indicators.c - `yilian indicators`: the official indicators of an institution,
 * consortium or area over a period of months as a table (id, Chinese name, numerator,
 * denominator, value, unit, direction, and growth where the catalogue asks for it);
 * `yilian indicators catalogue`: the catalogue; `yilian indicators rebuild`: recompute the
 * live aggregates (measure_agg from the raw encounters and referrals, signing_stock from
 * residents and contracts) in one transaction.
 *
 * Everything goes through the domain (yl_indicator_compute, yl_indicator_catalogue,
 * yl_measure_rebuild, yl_signing_stock_rebuild) as the system actor; reads in one read
 * transaction, the rebuild in one write transaction rolled back whole on failure. Values are
 * rounded here, at presentation. An event row (a median) shows its event count as numerator
 * and "-" as denominator; a row without a value shows its note.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/indicator.h"
#include "domain/measure.h"
#include "domain/signing_stock.h"

#define CMD "indicators"

/* Prints s left-aligned in width display columns (a CJK character takes two). */
static void print_padded(const char *s, int width)
{
	int cols = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			cols += *p >= 0xE0 ? 2 : 1;
	fputs(s, stdout);
	for (; cols < width; cols++)
		putchar(' ');
}

static void fmt_value(char *out, size_t cap, bool has, double v)
{
	if (has)
		snprintf(out, cap, "%.2f", yl_indicator_round(v));
	else
		snprintf(out, cap, "null");
}

static void print_results(const struct yl_indicator_query *q,
			  const struct yl_indicator_result *res, int n)
{
	if (q->institution_id)
		printf("institution %" PRId64, q->institution_id);
	else if (q->consortium_id)
		printf("consortium %" PRId64, q->consortium_id);
	else
		printf("area %s", q->area_code);
	printf(", months %s to %s\n\n", q->from, q->to);
	printf("%-11s ", "id");
	print_padded("name", 40);
	printf(" %12s %12s %10s  %-9s %-9s %s\n", "numerator", "denominator", "value", "unit",
	       "direction", "growth");
	for (int i = 0; i < n; i++) {
		const struct yl_indicator_result *r = &res[i];
		char den[24], val[32], growth[80];

		if (r->def->den_measure && r->def->scope != YL_SCOPE_EVENT)
			snprintf(den, sizeof(den), "%" PRId64, r->cur.denominator);
		else
			snprintf(den, sizeof(den), "-");
		fmt_value(val, sizeof(val), r->cur.has_value, r->cur.value);
		growth[0] = '\0';
		if (r->note)
			snprintf(growth, sizeof(growth), "(%s)", r->note);
		if (r->def->growth && r->has_growth)
			snprintf(growth, sizeof(growth), "%.2f%%", yl_indicator_round(r->growth));
		else if (r->def->growth)
			snprintf(growth, sizeof(growth), "null (%s)", r->growth_note);
		printf("%-11s ", r->def->id);
		print_padded(r->def->name_zh, 40);
		printf(" %12" PRId64 " %12s %10s  ", r->cur.numerator, den, val);
		print_padded(r->def->unit, 9);
		putchar(' ');
		print_padded(r->def->direction, 9);
		printf(" %s\n", growth);
	}
}

static void print_catalogue(const struct yl_indicator_def *d, int n)
{
	for (int i = 0; i < n; i++)
		printf("%-11s %s [%s] %s %s | %s: %s / %s x%" PRId64 " %s %s%s\n", d[i].id,
		       d[i].name_zh, d[i].tag, d[i].source, d[i].version, d[i].scope_kind,
		       d[i].num_measure, d[i].den_measure ? d[i].den_measure : "-", d[i].scale,
		       d[i].unit, d[i].direction, d[i].growth ? " growth" : "");
}

enum verb { QUERY, CATALOGUE, REBUILD };

static int run(const char *db, enum verb v, const struct yl_indicator_query *q)
{
	struct yl_cli_session ss;
	struct yl_indicator_result *res;
	struct yl_indicator_def *defs;
	int64_t rows = 0, stock_rows = 0;
	int n = 0;
	enum yl_err err = yl_cli_session_open(&ss, db, "system:indicators", v == REBUILD);

	if (!err && v == REBUILD) {
		err = yl_measure_rebuild(&ss.ctx, &rows);
		if (!err)
			err = yl_signing_stock_rebuild(&ss.ctx, &stock_rows);
	} else if (!err && v == CATALOGUE) {
		err = yl_indicator_catalogue(&ss.ctx, &defs, &n);
	} else if (!err) {
		err = yl_indicator_compute(&ss.ctx, q, &res, &n);
	}
	if (!err)
		err = yl_store_commit(ss.store, &ss.diag);
	if (!err && v == REBUILD)
		printf("rebuilt measure_agg: %" PRId64 " rows\nrebuilt signing_stock: %" PRId64
		       " rows\n", rows, stock_rows);
	else if (!err && v == CATALOGUE)
		print_catalogue(defs, n);
	else if (!err)
		print_results(q, res, n);
	return yl_cli_session_close(&ss, err, CMD);
}

int yl_cmd_indicators(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file (required)"},
		{"--institution", true, NULL, "institution id (one scope)"},
		{"--consortium", true, NULL, "consortium id, members in each month (one scope)"},
		{"--area", true, NULL, "area code, institutions in it or under it (one scope)"},
		{"--from", true, NULL, "first month YYYY-MM"},
		{"--to", true, NULL, "last month YYYY-MM, at most 60 months on"},
		{"--id", true, NULL, "one indicator id (default: all)"},
		{NULL, false, NULL, NULL},
	};
	struct yl_indicator_query q = {0};
	const char *pos[1];
	const char *db;
	enum verb v = QUERY;
	int npos;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 1, &npos, CMD,
			  "yilian indicators --db FILE (--institution N | --consortium N |"
			  " --area CODE) --from YYYY-MM --to YYYY-MM [--id ID]\n"
			  "    prints the indicators: numerator, denominator, value, unit, direction"
			  " and growth\n"
			  "yilian indicators catalogue --db FILE\n"
			  "    prints the catalogue (ids, names, measures, directions)\n"
			  "yilian indicators rebuild --db FILE\n"
			  "    recomputes the live aggregates from the raw events, in one transaction"))
		return 64;
	db = yl_cli_opt(opts, "--db");
	if (npos == 1 && strcmp(pos[0], "rebuild") == 0)
		v = REBUILD;
	else if (npos == 1 && strcmp(pos[0], "catalogue") == 0)
		v = CATALOGUE;
	else if (npos != 0)
		db = NULL;
	if (!db) {
		fprintf(stderr, "yilian " CMD ": give --db FILE, and 'rebuild', 'catalogue' or a"
				" scope and period (see --help)\n");
		return 64;
	}
	if (!yl_cli_int(opts, "--institution", 0, 1, INT64_MAX, &q.institution_id, CMD) ||
	    !yl_cli_int(opts, "--consortium", 0, 1, INT64_MAX, &q.consortium_id, CMD))
		return 64;
	q.area_code = yl_cli_opt(opts, "--area");
	q.from = yl_cli_opt(opts, "--from");
	q.to = yl_cli_opt(opts, "--to");
	q.id = yl_cli_opt(opts, "--id");
	return run(db, v, &q);
}
