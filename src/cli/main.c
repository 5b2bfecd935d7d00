/* main.c - the `yilian` binary: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{"init", yl_cmd_init, "create or upgrade a database"},
	{"serve", yl_cmd_serve, "serve the HTTP JSON API"},
	{"user", yl_cmd_user, "manage users and tokens (user add)"},
	{"import", yl_cmd_import, "bulk-load registry data from JSON Lines or CSV"},
	{"demo", yl_cmd_demo, "generate a demo county database"},
	{"bench", yl_cmd_bench, "run benchmarks and print a table"},
	{"schedule", yl_cmd_schedule, "generate sessions and slots; show or set the release policy"},
	{"booking", yl_cmd_booking, "booking indicators (stats) and a resident's bookings (list)"},
	{"indicators", yl_cmd_indicators, "official indicators of a scope; catalogue; rebuild"},
	{"referral", yl_cmd_referral, "two-way referrals: create, accept, ..., complete; list"},
	{"sim", yl_cmd_sim, "region simulator: generate, run, compare, policy"},
	{"report", yl_cmd_report, "indicator report by institution level and consortium"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: yilian <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nyilian <command> --help shows a command's options\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 64;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc, argv);
	fprintf(stderr, "yilian: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 64;
}
