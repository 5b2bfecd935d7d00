/* cmd_demo.c - `yilian demo`, the main job: generate the default county into a fresh
 * database (sim generate), simulate it up to today (sim run, a year by default) with a
 * progress bar, print the indicator report, create demo users, print what to paste and
 * optionally serve it. Every step is the simulator's and the platform's own code. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/server.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "report/report.h"
#include "sim/region.h"
#include "sim/sim.h"
#include "domain/user.h"

struct demo_users {
	char admin[YL_TOKEN_LEN + 1], doctor[YL_TOKEN_LEN + 1], regulator[YL_TOKEN_LEN + 1];
};

static enum yl_err users(const struct yl_ctx *c, const struct yl_sim_region_result *r,
			 struct demo_users *u)
{
	struct yl_user admin = {0, "admin", "admin", 0, 0, 0};
	struct yl_user doctor = {0, "doctor", "doctor", r->first_centre_id, 0, 0};
	struct yl_user reg = {0, "regulator", "regulator", 0, 0, 0};
	enum yl_err err;

	if ((err = yl_user_create(c, &admin, NULL, u->admin)) ||
	    (err = yl_user_create(c, &doctor, NULL, u->doctor)) ||
	    (err = yl_user_create(c, &reg, NULL, u->regulator)))
		return err;
	return YL_OK;
}

static void print_guide(const struct yl_sim_region_result *r, const struct demo_users *u, int port)
{
	printf("\nTry these (tokens: admin, doctor at institution %lld, regulator):\n\n",
	       (long long)r->first_centre_id);
	printf("  export YL=http://127.0.0.1:%d/api/v1\n", port);
	printf("  export ADMIN=%s\n  export DOCTOR=%s\n  export REGULATOR=%s\n\n", u->admin,
	       u->doctor, u->regulator);
	printf("  curl -s $YL/health\n");
	printf("  curl -s -H \"Authorization: Bearer $ADMIN\" \"$YL/institutions?level=secondary\"\n");
	printf("  curl -s -H \"Authorization: Bearer $ADMIN\" \"$YL/consortia\"\n");
	printf("  curl -s -H \"Authorization: Bearer $REGULATOR\" \"$YL/stats/signing?area_code=520330&group=children\"\n");
	printf("  curl -s -H \"Authorization: Bearer $DOCTOR\" \"$YL/teams?institution_id=%lld\"\n",
	       (long long)r->first_centre_id);
	printf("  curl -s -H \"Authorization: Bearer $DOCTOR\" \"$YL/contracts?expiring_within=30&limit=5\"\n");
	printf("  curl -s -H \"Authorization: Bearer $ADMIN\" \"$YL/residents?tag=elderly_65&limit=3\"\n");
	printf("  curl -s -X POST -H \"Authorization: Bearer $ADMIN\" $YL/residents \\\n"
	       "       -d '{\"id_number\":\"11010519491231002X\",\"name\":\"测试\",\"home_area_code\":\"520330001\"}'\n");
	printf("\n  # booking: the earliest internal-medicine (03) slots in the province, then book one\n");
	printf("  curl -s -H \"Authorization: Bearer $DOCTOR\" \"$YL/slots/earliest?category_code=03&area_code=520000&levels=secondary,tertiary&limit=3\"\n");
	printf("  curl -s -H \"Authorization: Bearer $DOCTOR\" \"$YL/slots?institution_id=%lld&limit=3\"\n",
	       (long long)r->first_secondary_id);
	printf("  curl -s -X POST -H \"Authorization: Bearer $DOCTOR\" $YL/bookings \\\n"
	       "       -d '{\"slot_id\":SLOT_ID,\"resident_id\":1,\"idempotency_key\":\"try-1\"}'\n");
	printf("\n  # the simulated year's indicators for the county, and the report as a table\n");
	printf("  curl -s -H \"Authorization: Bearer $REGULATOR\" \"$YL/indicators?area_code=520330&from=YYYY-MM&to=YYYY-MM\"\n");
	printf("  yilian report --db DB --json\n");
	printf("\n  # the past days' activity: admissions, and down-referrals with their care plans\n");
	printf("  curl -s -H \"Authorization: Bearer $ADMIN\" \"$YL/encounters?kind=inpatient&limit=2\"\n");
	printf("  curl -s -H \"Authorization: Bearer $ADMIN\" \"$YL/referrals?direction=down&limit=2\"\n");
}

/* Creates the demo users in db (one transaction). */
static int make_users(const char *db, const struct yl_sim_region_result *r, struct demo_users *u)
{
	struct yl_cli_session s;
	enum yl_err err = yl_cli_session_open(&s, db, "system:demo", true);

	if (!err)
		err = users(&s.ctx, r, u);
	return yl_cli_session_close(&s, err, "demo");
}

int yl_cmd_demo(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file to create (required; replaced if it exists)"},
		YL_CLI_REGION_OPTS,
		{"--days", true, NULL, "days to simulate, ending yesterday (default 365)"},
		{"--config", true, NULL, "policy file (see `yilian sim policy`)"},
		{"--set", true, NULL, "policy override key=value (repeatable)"},
		{"--serve", false, NULL, "serve the API afterwards until Ctrl-C"},
		{"--port", true, NULL, "port for --serve (default 8080)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1], *db;
	int npos, port = 0, sig, rc;
	int64_t days, p;
	struct yl_sim_region_opts o;
	struct yl_sim_region_result r;
	struct yl_sim_policy policy;
	struct yl_sim_stats st;
	struct yl_report rep;
	struct yl_arena arena;
	struct demo_users u;
	struct yl_diag d;
	double t0 = yl_monotonic(), t1;
	sigset_t set;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 0, &npos, "demo",
			  "The main job: generates a county (a city hospital, county hospitals,\n"
			  "township centres, village clinics, consortia, teams, residents, 1+1+1\n"
			  "contracts), simulates its last year through the platform (visits, bookings,\n"
			  "admissions, referrals, contracting), prints the indicator report, creates\n"
			  "demo users and prints commands to try."))
		return 64;
	db = yl_cli_opt(opts, "--db");
	if (!db) {
		fprintf(stderr, "yilian demo: --db FILE is required\n");
		return 64;
	}
	if (!yl_cli_sim_region_opts(opts, &o, "demo") ||
	    !yl_cli_int(opts, "--days", 365, 0, 3660, &days, "demo") ||
	    !yl_cli_int(opts, "--port", 8080, 0, 65535, &p, "demo") ||
	    !yl_cli_sim_policy(argc, argv, yl_cli_opt(opts, "--config"), &policy, "demo"))
		return 64;
	o.policy = &policy;
	o.progress = stderr;
	/* the year ends yesterday, so the database is "now" when served */
	if ((rc = yl_cli_sim_generate(db, &o, yl_clock_today(NULL) - (int32_t)days, &r)))
		return rc;
	t1 = yl_monotonic();
	yl_cli_sim_print_region(stdout, db, &r, t1 - t0);
	if ((rc = yl_cli_sim_run(db, &policy, (int)days, stderr, &st)))
		return rc;
	yl_cli_sim_print_stats(stdout, &st, yl_monotonic() - t1);
	if ((rc = make_users(db, &r, &u)))
		return rc;
	if (days > 0) {
		yl_arena_init(&arena);
		rc = yl_cli_sim_report(db, &arena, &rep);
		if (!rc) {
			printf("\n");
			yl_report_print_text(stdout, &rep);
		}
		yl_arena_release(&arena);
		if (rc)
			return rc;
	}
	printf("\ndemo ready in %.1f s\n", yl_monotonic() - t0);
	if (!yl_cli_opt(opts, "--serve")) {
		print_guide(&r, &u, (int)p);
		printf("\nserve it with: yilian serve --db %s --port %lld\n", db, (long long)p);
		return 0;
	}
	{
		struct yl_server_config cfg = {0};
		struct yl_server *srv;

		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		cfg.db_path = db;
		cfg.port = (int)p;
		if (yl_server_start(&cfg, &srv, &port, &d))
			return yl_cli_fail("demo", &d);
		print_guide(&r, &u, port);
		printf("\nyilian: serving %s on http://127.0.0.1:%d/api/v1 (Ctrl-C stops)\n", db, port);
		fflush(stdout);
		sigwait(&set, &sig);
		yl_server_stop(srv);
	}
	return 0;
}
