/* bench_import.c - time of `yilian import` for N generated residents (JSON Lines), through
 * the real command: the same decoder, domain function and single transaction as any import.
 */
#include "bench/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/clock.h"
#include "base/codes.h"
#include "cli/cli.h"

static enum yl_err write_files(const char *dir, int64_t n, struct yl_diag *d)
{
	char path[256], id[19], date[YL_DATE_LEN];
	FILE *f;
	int32_t base = yl_days_from_civil(1940, 1, 1);

	snprintf(path, sizeof(path), "%s/areas.jsonl", dir);
	f = fopen(path, "w");
	if (!f)
		return yl_diag_set(d, YL_ERR_IO, NULL, "cannot write %s", path);
	fputs("{\"code\":\"440000\",\"name\":\"广东省\"}\n{\"code\":\"440100\",\"name\":\"广州市\"}\n"
	      "{\"code\":\"440106\",\"name\":\"天河区\"}\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/residents.jsonl", dir);
	f = fopen(path, "w");
	if (!f)
		return yl_diag_set(d, YL_ERR_IO, NULL, "cannot write %s", path);
	for (int64_t i = 0; i < n; i++) {
		/* 1000 sequence numbers per birth date over ~80 years: unique for 29 M rows */
		int32_t birth = base + (int32_t)(i / 1000) % 29000;
		yl_date_format(birth, date);
		snprintf(id, sizeof(id), "440106%.4s%.2s%.2s%03d", date, date + 5, date + 8,
			 (int)(i % 1000));
		id[17] = yl_id_number_check_char(id);
		id[18] = '\0';
		fprintf(f, "{\"id_number\":\"%s\",\"name\":\"居民%lld\",\"home_area_code\":\"440106\","
			   "\"phone\":\"138%08lld\",\"insurance\":\"%s\"%s}\n", id, (long long)i,
			(long long)(i % 100000000), i % 5 ? "resident" : "employee",
			i % 4 == 0 ? ",\"tags\":[\"hypertension\"]" : "");
	}
	if (fclose(f) != 0)
		return yl_diag_set(d, YL_ERR_IO, NULL, "cannot write %s", path);
	return YL_OK;
}

enum yl_err yl_bench_import(int64_t rows, struct yl_diag *d)
{
	char dir[] = "/tmp/yilian-bench-import.XXXXXX";
	char db[256], areas[256], residents[256], cmd[300];
	char *init_argv[] = {"yilian", "init", "--db", db, NULL};
	char *areas_argv[] = {"yilian", "import", "--db", db, areas, NULL};
	char *res_argv[] = {"yilian", "import", "--db", db, residents, NULL};
	struct stat st;
	double t0, t1, gen;
	enum yl_err err;
	int rc;

	if (!mkdtemp(dir))
		return yl_diag_set(d, YL_ERR_IO, NULL, "cannot create a temp dir");
	snprintf(db, sizeof(db), "%s/bench.db", dir);
	snprintf(areas, sizeof(areas), "%s/areas.jsonl", dir);
	snprintf(residents, sizeof(residents), "%s/residents.jsonl", dir);
	t0 = yl_monotonic();
	err = write_files(dir, rows, d);
	gen = yl_monotonic() - t0;
	if (err)
		return err;
	if (yl_cmd_init(4, init_argv) != 0 || yl_cmd_import(5, areas_argv) != 0)
		return yl_diag_set(d, YL_ERR_INTERNAL, NULL, "setting up the bench database failed");
	fprintf(stderr, "bench import: %lld residents generated in %.1f s, importing ...\n",
		(long long)rows, gen);
	t0 = yl_monotonic();
	rc = yl_cmd_import(5, res_argv);
	t1 = yl_monotonic();
	if (rc != 0)
		return yl_diag_set(d, YL_ERR_INTERNAL, NULL, "import failed with exit %d", rc);
	yl_bench_header("yilian bench import: residents from JSON Lines, one transaction");
	yl_bench_row("rows", (double)rows, "count", "");
	yl_bench_row("import time", t1 - t0, "s", "decode + rules + insert + commit");
	yl_bench_row("rate", (double)rows / (t1 - t0), "rows/s", "");
	stat(residents, &st);
	yl_bench_row("input size", (double)st.st_size / 1048576.0, "MiB", "");
	{
		double size = 0;
		char wal[300];

		if (stat(db, &st) == 0)
			size += (double)st.st_size;
		snprintf(wal, sizeof(wal), "%s-wal", db);
		if (stat(wal, &st) == 0)
			size += (double)st.st_size;
		yl_bench_row("database size", size / 1048576.0, "MiB", "file + WAL");
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "yilian bench: could not remove %s\n", dir);
	return YL_OK;
}
