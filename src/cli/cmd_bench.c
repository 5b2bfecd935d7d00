/* cmd_bench.c - `yilian bench <what>`: measured runs printed as tables (see docs/bench.md). */
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"
#include "cli/cli.h"

static int bench_http(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--clients", true, NULL, "concurrent keep-alive connections (default 32)"},
		{"--threads", true, NULL, "server worker threads (default 8)"},
		{"--seconds", true, NULL, "length of the run (default 10)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1];
	int npos;
	int64_t clients, threads, secs;
	struct yl_bench_http_opts o = {0};
	struct yl_bench_http_result r;
	struct yl_diag d;
	char note[64];

	if (!yl_cli_parse(argc, argv, 3, opts, pos, 0, &npos, "bench http",
			  "Requests/s of `yilian serve` for a simple authenticated GET\n"
			  "(GET /api/v1/institutions/1) over keep-alive loopback connections."))
		return 64;
	if (!yl_cli_int(opts, "--clients", 32, 1, 1024, &clients, "bench") ||
	    !yl_cli_int(opts, "--threads", 8, 1, 256, &threads, "bench") ||
	    !yl_cli_int(opts, "--seconds", 10, 1, 3600, &secs, "bench"))
		return 64;
	o.clients = (int)clients;
	o.threads = (int)threads;
	o.seconds = (double)secs;
	yl_diag_clear(&d);
	fprintf(stderr, "bench http: %d clients, %d server threads, %lld s ...\n", o.clients,
		o.threads, (long long)secs);
	if (yl_bench_http(&o, &r, &d))
		return yl_cli_fail("bench", &d);
	yl_bench_header("yilian bench http: GET /api/v1/institutions/1 (auth + one indexed read)");
	snprintf(note, sizeof(note), "%d clients, %d threads", o.clients, o.threads);
	yl_bench_row("requests/s", r.rps, "req/s", note);
	yl_bench_row("requests", (double)r.requests, "count", "");
	yl_bench_row("errors (non-200 or broken)", (double)r.errors, "count", "must be 0");
	yl_bench_row("latency p50", r.p50_ms, "ms", "");
	yl_bench_row("latency p99", r.p99_ms, "ms", "");
	yl_bench_row("latency max", r.max_ms, "ms", "");
	return r.errors ? 1 : 0;
}

static int bench_import(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--rows", true, NULL, "residents to import (default 1000000)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1];
	int npos;
	int64_t rows;
	struct yl_diag d;

	if (!yl_cli_parse(argc, argv, 3, opts, pos, 0, &npos, "bench import",
			  "Generates N residents as JSON Lines and times `yilian import` of them."))
		return 64;
	if (!yl_cli_int(opts, "--rows", 1000000, 1, 29000000, &rows, "bench"))
		return 64;
	yl_diag_clear(&d);
	if (yl_bench_import(rows, &d))
		return yl_cli_fail("bench", &d);
	return 0;
}

static int bench_booking(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--clients", true, NULL, "concurrent keep-alive HTTP clients (default 64)"},
		{"--threads", true, NULL, "server worker threads (default 64)"},
		{"--seconds", true, NULL, "length of each of the three runs (default 5)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1];
	int npos;
	int64_t clients, threads, secs;
	struct yl_bench_booking_opts o = {0};
	struct yl_diag d;
	bool failed;

	if (!yl_cli_parse(argc, argv, 3, opts, pos, 0, &npos, "bench booking",
			  "Booking transactions/s committed one at a time without and with fsync,\n"
			  "then durable HTTP bookings/s (group commit) with C clients, latency, and\n"
			  "an overbooking check, all from one run on a fresh temp database."))
		return 64;
	if (!yl_cli_int(opts, "--clients", 64, 1, 1024, &clients, "bench") ||
	    !yl_cli_int(opts, "--threads", 64, 1, 256, &threads, "bench") ||
	    !yl_cli_int(opts, "--seconds", 5, 1, 600, &secs, "bench"))
		return 64;
	o.clients = (int)clients;
	o.threads = (int)threads;
	o.seconds = (double)secs;
	yl_diag_clear(&d);
	if (yl_bench_booking(&o, &failed, &d))
		return yl_cli_fail("bench", &d);
	return failed ? 1 : 0;
}

static int bench_indicators(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--encounters", true, NULL, "encounters to insert in each run (default 200000)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1];
	int npos;
	int64_t n;
	struct yl_diag d;
	bool failed;

	if (!yl_cli_parse(argc, argv, 3, opts, pos, 0, &npos, "bench indicators",
			  "Encounters/s through yl_encounter_create in one transaction with live\n"
			  "aggregates on and off, the latency of a county-year indicator query, and\n"
			  "the time of a full rebuild of the aggregates (which must match the live ones)."))
		return 64;
	if (!yl_cli_int(opts, "--encounters", 200000, 1, 50000000, &n, "bench"))
		return 64;
	yl_diag_clear(&d);
	if (yl_bench_indicators(n, &failed, &d))
		return yl_cli_fail("bench", &d);
	return failed ? 1 : 0;
}

int yl_cmd_bench(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[2], "--help") == 0) {
		printf("usage: yilian bench <what> [options]\n\n"
		       "  booking  durable booking rate: raw with/without fsync vs HTTP group commit\n"
		       "  http     requests/s of yilian serve for a simple GET\n"
		       "  indicators  ingest rate with live aggregates on/off; query latency; rebuild\n"
		       "  import   time to import N residents (see yilian bench import --help)\n");
		return argc < 3 ? 64 : 0;
	}
	if (strcmp(argv[2], "http") == 0)
		return bench_http(argc, argv);
	if (strcmp(argv[2], "import") == 0)
		return bench_import(argc, argv);
	if (strcmp(argv[2], "booking") == 0)
		return bench_booking(argc, argv);
	if (strcmp(argv[2], "indicators") == 0)
		return bench_indicators(argc, argv);
	fprintf(stderr, "yilian bench: unknown benchmark '%s'\n", argv[2]);
	return 64;
}
