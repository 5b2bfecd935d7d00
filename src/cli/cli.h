/* cli.h - the command-line face: one function per subcommand, and the small option parser
 * they share. Commands print results on stdout, errors as "yilian <cmd>: message" on stderr,
 * and exit with yl_err_exit_code of the error.
 */
#ifndef YL_CLI_CLI_H
#define YL_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "base/diag.h"
#include "domain/ctx.h"
#include "store/store.h"

struct yl_opt {
	const char *name;  /* "--db" */
	bool has_value;    /* takes a value */
	const char *value; /* out: value, or "1" for a flag that was given */
	const char *help;
};

/* Parses argv[first..] against opts (NULL-name terminated). Non-option arguments go into
 * positional (up to max_pos). Returns false and prints an error on unknown options or a
 * missing value. `--help` prints usage (cmd, summary, opts) and exits 0. */
bool yl_cli_parse(int argc, char **argv, int first, struct yl_opt *opts, const char **positional,
		  int max_pos, int *npos, const char *cmd, const char *summary);
const char *yl_cli_opt(const struct yl_opt *opts, const char *name);
/* Integer option in [min,max] (def when absent); prints an error and returns false when the
 * value is not such an integer. */
bool yl_cli_int(const struct yl_opt *opts, const char *name, int64_t def, int64_t min,
		int64_t max, int64_t *out, const char *cmd);
/* Prints "yilian cmd: message [field]" for d and returns its exit code. */
int yl_cli_fail(const char *cmd, const struct yl_diag *d);

/* The system actor of CLI commands: acts as admin, audited as "system:<cmd>". */
void yl_cli_system_actor(struct yl_actor *a, const char *cmd);

/* One command's database session: a store, the system actor, an arena, a diag and the ctx
 * that points at them (so the struct must not move while open). */
struct yl_cli_session {
	struct yl_store *store;
	struct yl_diag diag;
	struct yl_arena arena;
	struct yl_actor actor;
	struct yl_ctx ctx;
};

/* Opens db (schema must be current) as the system actor `actor` and begins a write
 * transaction (write) or a read snapshot. On error the diag says why; call
 * yl_cli_session_close either way. */
enum yl_err yl_cli_session_open(struct yl_cli_session *s, const char *db, const char *actor,
				bool write);
/* The same without a transaction, with store flags (YL_STORE_CREATE for a new database): for
 * commands that run several transactions of their own (the simulator). */
enum yl_err yl_cli_session_open_store(struct yl_cli_session *s, const char *db, unsigned flags,
				      const char *actor);
/* Commits a still-open transaction when err is YL_OK, rolls back otherwise (printing the
 * error as "yilian cmd: ..."), closes the store and frees the arena. Returns the exit code
 * (0 on success). Callers that print results commit first (yl_store_commit), print, then
 * close with YL_OK, so nothing is printed for a write that did not land. */
int yl_cli_session_close(struct yl_cli_session *s, enum yl_err err, const char *cmd);

int yl_cmd_init(int argc, char **argv);
int yl_cmd_serve(int argc, char **argv);
int yl_cmd_user(int argc, char **argv);
int yl_cmd_import(int argc, char **argv);
int yl_cmd_demo(int argc, char **argv);
int yl_cmd_bench(int argc, char **argv);
/* schedule generate | policy | template | stop: sessions and slots from templates; the release
 * policy; a new weekly template; stopping a session (停诊). */
int yl_cmd_schedule(int argc, char **argv);
/* booking stats | list | create | cancel | check-in | seen: booking indicators of a scope and
 * period; a resident's bookings; the booking lifecycle, one transaction per write. */
int yl_cmd_booking(int argc, char **argv);
/* indicators [catalogue | rebuild]: the official indicators of a scope and period as a table;
 * the catalogue; recomputing the live aggregates from the raw events. */
int yl_cmd_indicators(int argc, char **argv);
/* referral create | accept | reject | cancel | arrive | complete | list: the two-way referral
 * lifecycle, one transaction per write; referrals with their derived status. */
int yl_cmd_referral(int argc, char **argv);
/* sim generate | run | compare | policy: the region simulator (cmd_sim.c, cmd_sim_compare.c).
 * The helpers below are shared with `yilian demo`; each returns an exit code (0 on success)
 * and prints its error. */
int yl_cmd_sim(int argc, char **argv);
int yl_cmd_sim_compare(int argc, char **argv);
struct yl_sim_region_opts;
struct yl_sim_region_result;
struct yl_sim_policy;
struct yl_sim_stats;
struct yl_report;
/* The region options of sim generate, sim compare and demo (read by yl_cli_sim_region_opts). */
#define YL_CLI_REGION_OPTS                                                                   \
	{"--residents", true, NULL, "residents (default 300000)"},                           \
	{"--counties", true, NULL, "counties, of one city or more (default 1)"},             \
	{"--townships", true, NULL, "township centres per county (default 20)"},             \
	{"--villages", true, NULL, "village clinics per township (default 10)"},             \
	{"--seed", true, NULL, "random seed (default 1): same seed, same region and run"}
/* The policy of a sim command: the defaults, then --config FILE (may be NULL), then every
 * --set key=value of argv in order; false after printing the error. */
bool yl_cli_sim_policy(int argc, char **argv, const char *config, struct yl_sim_policy *p,
		       const char *cmd);
/* Region options --residents, --counties, --townships, --villages, --seed (each optional)
 * over the generator's defaults; false after printing the error. */
bool yl_cli_sim_region_opts(const struct yl_opt *opts, struct yl_sim_region_opts *o,
			    const char *cmd);
/* Generates a region into a fresh db (replaced) for the simulation to start on day start. */
int yl_cli_sim_generate(const char *db, const struct yl_sim_region_opts *o, int32_t start,
			struct yl_sim_region_result *r);
/* Runs days simulated days on db under policy p; progress may be NULL. */
int yl_cli_sim_run(const char *db, const struct yl_sim_policy *p, int days, FILE *progress,
		   struct yl_sim_stats *st);
void yl_cli_sim_print_stats(FILE *f, const struct yl_sim_stats *st, double secs);
/* "region written to DB in S s: ..." with r's counts. */
void yl_cli_sim_print_region(FILE *f, const char *db, const struct yl_sim_region_result *r,
			     double secs);
/* Builds the report of db over the simulated months, as of the last simulated day, into an
 * arena the caller releases (the report lives there). */
int yl_cli_sim_report(const char *db, struct yl_arena *arena, struct yl_report *out);
/* cmd_report.c */
int yl_cmd_report(int argc, char **argv);

#endif
