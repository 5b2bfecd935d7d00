/* cmd_report.c - `yilian report`: the indicator report of a region by institution level and
 * consortium, and its shape against the national figures, as text or JSON.
 *
 * A thin face over src/report (report.h): it parses the options, pins the clock when --today
 * is given (a simulated database lives in simulated time), builds the report in one read
 * snapshot as the system actor and prints it. It writes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"

#define CMD "report"

static int run(const char *db, const struct yl_report_query *q, const struct yl_clock *clock,
	       bool json)
{
	struct yl_cli_session ss;
	struct yl_report r;
	enum yl_err err = yl_cli_session_open(&ss, db, "system:report", false);

	if (!err) {
		ss.ctx.clock = clock;
		err = yl_report_build(&ss.ctx, q, &r);
	}
	if (!err)
		err = yl_store_commit(ss.store, &ss.diag);
	if (!err && json)
		yl_report_print_json(stdout, &r);
	else if (!err)
		yl_report_print_text(stdout, &r);
	return yl_cli_session_close(&ss, err, CMD);
}

int yl_cmd_report(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file (required)"},
		{"--area", true, NULL, "area code of the region (default: the one province that"
				       " holds institutions)"},
		{"--from", true, NULL, "first month YYYY-MM (default: 11 months before --to)"},
		{"--to", true, NULL, "last month YYYY-MM (default: 11 months after --from, or"
				     " today's month)"},
		{"--today", true, NULL, "today's date YYYY-MM-DD, for a simulated database"
					" (default: the system clock)"},
		{"--json", false, NULL, "print one JSON object instead of tables"},
		{NULL, false, NULL, NULL},
	};
	struct yl_report_query q = {0};
	struct yl_clock clock = {0};
	const struct yl_clock *use = NULL;
	const char *pos[1];
	const char *db, *today;
	int npos;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 0, &npos, CMD,
			  "yilian report --db FILE [--area CODE] [--from YYYY-MM] [--to YYYY-MM]"
			  " [--today YYYY-MM-DD] [--json]\n"
			  "    the official indicators of a region as tables: one column per"
			  " institution level\n"
			  "    (numerators and denominators summed over its institutions, then divided"
			  " once),\n"
			  "    one per consortium of the region and one for the region; then how near"
			  " the region\n"
			  "    is to the national shape (visits and admissions per person-year,"
			  " primary-care share,\n"
			  "    referrals per visit). Default period: the 12 months ending with today's"
			  " month.\n"
			  "    See docs/report.md."))
		return 64;
	db = yl_cli_opt(opts, "--db");
	if (!db || !*db) {
		fprintf(stderr, "yilian " CMD ": give --db FILE (see --help)\n");
		return 64;
	}
	today = yl_cli_opt(opts, "--today");
	if (today) {
		int32_t day;
		if (!yl_date_parse(today, &day)) {
			fprintf(stderr, "yilian " CMD ": --today must be a date YYYY-MM-DD, not '%s'\n",
				today);
			return 64;
		}
		/* Noon in Asia/Shanghai, so that the local date is `today` whatever the zone. */
		yl_clock_fixed(&clock, (int64_t)day * 86400 - YL_SHANGHAI_OFFSET + 12 * 3600);
		use = &clock;
	}
	q.area_code = yl_cli_opt(opts, "--area");
	q.from = yl_cli_opt(opts, "--from");
	q.to = yl_cli_opt(opts, "--to");
	return run(db, &q, use, yl_cli_opt(opts, "--json") != NULL);
}
