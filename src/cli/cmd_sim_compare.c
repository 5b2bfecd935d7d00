/* cmd_sim_compare.c - `yilian sim compare A.conf B.conf`: the same population (same seed and
 * sizes) generated and simulated once under each policy, then the two indicator reports side
 * by side, so a health commission can ask "what if". Also the report of a simulated database
 * as of its last simulated day, shared with `yilian demo`.
 */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "report/report.h"
#include "sim/region.h"
#include "sim/sim.h"

int yl_cli_sim_report(const char *db, struct yl_arena *arena, struct yl_report *out)
{
	struct yl_cli_session s;
	struct yl_sim_state st;
	struct yl_report_query q = {0};
	struct yl_clock clock;
	char from[YL_DATE_LEN], to[YL_DATE_LEN];
	enum yl_err err;

	err = yl_cli_session_open(&s, db, "system:report", false);
	if (!err)
		err = yl_sim_state_load(&s.ctx, &st);
	if (!err) {
		/* the last simulated day, at noon Asia/Shanghai */
		int32_t last = st.day > st.start ? st.day - 1 : st.day;
		yl_clock_fixed(&clock, (int64_t)last * 86400 + 4 * 3600);
		s.ctx.clock = &clock;
		s.ctx.arena = arena;
		yl_date_format(st.start, from);
		yl_date_format(last, to);
		q.since = yl_arena_strdup(arena, from);
		from[7] = to[7] = '\0';
		q.from = from;
		q.to = to;
		err = yl_report_build(&s.ctx, &q, out);
		s.ctx.arena = &s.arena;
	}
	return yl_cli_session_close(&s, err, "report");
}

int yl_cmd_sim_compare(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--dir", true, NULL, "directory for the two databases (default /tmp)"},
		YL_CLI_REGION_OPTS,
		{"--days", true, NULL, "days to simulate (default 365)"},
		{"--set", true, NULL, "override applied to both policies, key=value (repeatable)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[2], *dir;
	struct yl_sim_region_opts o;
	struct yl_sim_region_result r;
	struct yl_sim_policy p[2];
	struct yl_sim_stats st[2];
	struct yl_report rep[2];
	struct yl_arena arena[2];
	int64_t days;
	int npos, rc = 0;
	int32_t start = yl_clock_today(NULL) - 365;
	char db[2][1024];

	if (!yl_cli_parse(argc, argv, 3, opts, pos, 2, &npos, "sim compare",
			  "Usage: yilian sim compare A.conf B.conf [options]\n"
			  "Generates the same region twice (same seed), simulates it under policy A\n"
			  "and policy B, and prints the indicators side by side."))
		return 64;
	if (npos != 2) {
		fprintf(stderr, "yilian sim compare: give two policy files (A.conf B.conf)\n");
		return 64;
	}
	dir = yl_cli_opt(opts, "--dir") ? yl_cli_opt(opts, "--dir") : "/tmp";
	if (!yl_cli_int(opts, "--days", 365, 1, 3660, &days, "sim compare") ||
	    !yl_cli_sim_region_opts(opts, &o, "sim compare"))
		return 64;
	o.progress = stderr;
	for (int i = 0; i < 2; i++) {
		if (!yl_cli_sim_policy(argc, argv, pos[i], &p[i], "sim compare"))
			return 64;
		snprintf(db[i], sizeof(db[i]), "%s/yilian-compare-%c.db", dir, 'a' + i);
	}
	for (int i = 0; i < 2 && !rc; i++) {
		fprintf(stderr, "sim compare: policy %s\n", pos[i]);
		o.policy = &p[i];
		if ((rc = yl_cli_sim_generate(db[i], &o, start, &r)) ||
		    (rc = yl_cli_sim_run(db[i], &p[i], (int)days, stderr, &st[i])))
			break;
		yl_cli_sim_print_stats(stderr, &st[i], 0);
	}
	yl_arena_init(&arena[0]);
	yl_arena_init(&arena[1]);
	if (!rc)
		rc = yl_cli_sim_report(db[0], &arena[0], &rep[0]);
	if (!rc)
		rc = yl_cli_sim_report(db[1], &arena[1], &rep[1]);
	if (!rc) {
		yl_report_print_compare(stdout, &rep[0], pos[0], &rep[1], pos[1]);
		printf("\ndatabases: %s (A) and %s (B)\n", db[0], db[1]);
	}
	yl_arena_release(&arena[0]);
	yl_arena_release(&arena[1]);
	return rc;
}
