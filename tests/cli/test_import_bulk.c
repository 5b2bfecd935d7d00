/* CLI: `yilian import` of files over 8 MiB (BULK_REBUILD_BYTES, cmd_import.c), which load with
 * the live aggregates off and rebuild signing_stock and measure_agg once at the end, in the same
 * transaction; run as the real binary (YILIAN_BIN) end to end.
 *
 * World (every database here starts from it, written through the domain with the live
 * aggregates on): the registry of yltest.h, a team, ten residents with contracts signed, ended
 * and signed again in 2025-2026, and four encounters. Files, made once (group setup):
 *   big.jsonl    about 68,000 valid residents in four home areas (born 1930 to 2026, stored
 *                tags on some), after whitespace-only lines (the JSON Lines reader skips them,
 *                so they change no row) that make it exactly 8 MiB + 1 byte: the bulk path;
 *   edge.jsonl   the same rows padded to exactly 8 MiB: the per-row path ("larger than");
 *   bad.jsonl    big.jsonl with one bad row near its end (a wrong check character; a duplicate
 *                id number as the very last row), still over 8 MiB;
 *   enc*.jsonl   about 43,000 encounters of the world's residents, just over 8 MiB, and the
 *                same rows split in two files under 8 MiB each.
 * Checked: exit status, the rebuild line (there only over 8 MiB), row counts, no stale mark;
 * signing_stock and measure_agg equal to a fresh `yilian indicators rebuild` and, row for row,
 * to a per-row import of the same rows; the four C1/C2 counts of three areas on ten days equal
 * to the direct count (yl_signing_count_on) and to a count made here from the generated rows;
 * C1/C2 of `yilian indicators` and of the domain equal to the direct count; a bad row near the
 * end (named as FILE:LINE) or a failure injected into the rebuild at the end leaving every
 * table as it was. Needs the real date after 2026-03-14 (rows are dated up to then), as
 * test_import_encounters does; about 10 s in a Debug build.
 */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "base/buf.h"
#include "domain/contract.h"
#include "domain/encounter.h"
#include "domain/indicator.h"
#include "domain/population.h"
#include "domain/resident.h"
#include "domain/signing.h"
#include "domain/signing_stock.h"
#include "domain/team.h"
#include "ylt_booking.h"
#include "ylt_cli.h"

/* BULK_REBUILD_BYTES of cmd_import.c: files larger than this take the bulk path. */
enum { BULK_BYTES = 8 << 20 };

/* The last day any generated row is dated (a birth, a visit). */
#define LAST_DAY "2026-03-14"

static char DIR_[64];   /* the files */
static char OUT[8192], ERR[8192];

/* The resident rows (JSON Lines, no padding), and for each its birth day and home area. */
static struct yl_buf ROWS;
static long NROWS;
static int32_t *BIRTH;
static const char **HOME;
static unsigned *TAGS;

/* The encounter rows and what they add up to. */
static struct yl_buf ENC;
static size_t ENC_HALF; /* byte offset of the first row of the second half */
static long NENC, ENC_OPEM, ENC_IP, ENC_DX;
static int64_t ENC_COST;

/* The world's residents, in creation order (the same ids in every database). */
enum { NWORLD = 10 };
static int64_t WORLD[NWORLD];

/* Days and areas the four counts are checked on. */
static const char *const DAYS[] = {"1995-06-30", "2024-12-31", "2025-01-01", "2025-06-10",
				   "2025-12-31", "2026-01-05", "2026-02-28", "2026-03-01",
				   LAST_DAY, "2026-03-15"};
enum { NDAYS_CHECKED = sizeof(DAYS) / sizeof(DAYS[0]) };
static const char *const AREAS[] = {"440106", "440106001", "440100"};
/* The home areas under each (the city's codes start 4401). */
static const char *const UNDER[] = {"440106", "440106001", "4401"};
enum { NAREAS = sizeof(AREAS) / sizeof(AREAS[0]) };

/* The four counts of the world alone, per area and day (the same in every database). */
static struct yl_signing_counts WORLD_COUNTS[NAREAS][NDAYS_CHECKED];

/* The database of the bulk import (test_bulk_residents; test_edge_per_row compares with it). */
static struct ylt_db BULK;
static bool BULK_OPEN;
static int BULK_RC = -1;

static int32_t day_of(const char *date)
{
	int32_t d;

	if (!yl_date_parse(date, &d))
		fail_msg("bad date %s", date);
	return d;
}

static void at(struct ylt_db *t, const char *date)
{
	yl_clock_fixed(&t->clock, (int64_t)day_of(date) * 86400 + 2 * 3600);
}

static void must(struct ylt_db *t, enum yl_err err, const char *what)
{
	if (err)
		fail_msg("%s: %s (%s)", what, t->diag.message, t->diag.field);
}

/* --- the world --- */

static int64_t world_resident(struct ylt_db *t, const char *birth, const char *area,
			      unsigned tags, int seq)
{
	struct yl_resident in = {0}, out;
	char idn[19], ymd[9];

	snprintf(ymd, sizeof(ymd), "%.4s%.2s%.2s", birth, birth + 5, birth + 8);
	ylt_id_number(idn, "440100", ymd, seq);
	in.id_number = idn;
	in.name = "world";
	in.home_area_code = area;
	in.tags = tags;
	must(t, yl_resident_create(&t->ctx, &in, &out), "world resident");
	return out.id;
}

static int64_t world_sign(struct ylt_db *t, int64_t team, int64_t r, const char *start)
{
	struct yl_contract_sign in = {0};
	struct yl_contract out;

	at(t, start);
	in.resident_id = r;
	in.team_id = team;
	in.secondary_id = 2;
	in.tertiary_id = 1;
	in.has_start = true;
	in.start_date = day_of(start);
	in.term_years = 1;
	must(t, yl_contract_sign(&t->ctx, &in, &out), "world contract");
	return out.id;
}

static void world_encounter(struct ylt_db *t, const char *kind, int64_t r, int64_t inst,
			    const char *visit, const char *discharge, const char *dx, int64_t drugs)
{
	struct yl_encounter in = {0};
	const char *codes[1] = {dx};

	in.kind = kind;
	in.resident_id = r;
	in.institution_id = inst;
	in.visit_date = visit;
	in.discharge_date = discharge;
	in.diagnoses = codes;
	in.ndiagnoses = 1;
	in.costs.drugs = drugs;
	in.fund_paid = drugs / 2;
	in.out_of_pocket = drugs - drugs / 2;
	must(t, yl_encounter_create(&t->ctx, &in, NULL), "world encounter");
}

/* Opens t as the world: see the head of the file. */
static void world_open(struct ylt_db *t)
{
	struct yl_team team = {0};
	int64_t tid, w4;

	ylt_db_open(t);
	ylt_seed_registry(t);
	ylt_begin(t);
	yltb_exec(t, "INSERT INTO practitioners(name, title, general_practitioner, institution_id,"
		  " created_at) VALUES ('gp', 'attending_physician', 1, 3, 0)");
	team.name = "t";
	team.institution_id = 3;
	team.leader_id = yltb_scalar(t, "SELECT max(id) FROM practitioners");
	team.capacity = 100;
	must(t, yl_team_create(&t->ctx, &team, NULL), "team");
	tid = yltb_scalar(t, "SELECT max(id) FROM teams");
	at(t, "2025-01-01");
	WORLD[0] = world_resident(t, "1980-05-05", "440106001", 0, 1);
	WORLD[1] = world_resident(t, "1960-06-10", "440106001", 0, 2); /* 65 on 2025-06-10 */
	WORLD[2] = world_resident(t, "2019-04-20", "440106001", 0, 3);
	WORLD[3] = world_resident(t, "1990-01-01", "440106002", YL_TAG_HYPERTENSION, 4);
	WORLD[4] = world_resident(t, "1985-03-03", "440106002", 0, 5);
	WORLD[5] = world_resident(t, "1950-02-01", "440106", YL_TAG_DIABETES, 6);
	WORLD[6] = world_resident(t, "2020-02-29", "440100", 0, 7);
	WORLD[7] = world_resident(t, "1970-07-07", "440100", 0, 8);
	WORLD[8] = world_resident(t, "1945-12-12", "440106002", 0, 9);
	WORLD[9] = world_resident(t, "2024-06-01", "440106001", 0, 10);
	for (int i = 0; i < 7; i++)
		if (i != 4)
			world_sign(t, tid, WORLD[i], "2025-01-01");
	world_sign(t, tid, WORLD[9], "2025-01-01");
	world_sign(t, tid, WORLD[4], "2025-06-01");
	world_sign(t, tid, WORLD[0], "2026-01-01");
	world_sign(t, tid, WORLD[1], "2026-01-05");
	w4 = world_sign(t, tid, WORLD[3], "2026-02-01");
	at(t, "2026-03-01");
	must(t, yl_contract_end(&t->ctx, w4, "moved away", NULL), "world end");
	yl_clock_fixed(&t->clock, YLT_NOW);
	world_encounter(t, "outpatient", WORLD[0], 3, "2026-03-01", NULL, "I10", 1200);
	world_encounter(t, "emergency", WORLD[3], 2, "2026-02-15", NULL, "S52.500", 800);
	world_encounter(t, "inpatient", WORLD[5], 1, "2026-01-10", "2026-01-20", "I63.900", 50000);
	world_encounter(t, "outpatient", WORLD[8], 5, "2025-11-11", NULL, "E11.900", 300);
	ylt_commit(t);
	yl_arena_release(&t->arena);
}

/* --- the files --- */

static const char *const HOMES[] = {"440106001", "440106002", "440106", "440106001", "440100"};
static const char *const SURNAMES[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
				       "周", "欧阳"};
static const char *const GIVEN[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军",
				    "洋", "勇", "艳", "杰"};

/* Appends resident row i (deterministic) to b, recording its birth, home and tags. Births
 * cycle through every day of 1930-01-01..LAST_DAY (7919 is prime to their number), so (day,
 * sequence) pairs and id numbers are unique and not in order. */
static void resident_row(struct yl_buf *b, long i, int32_t first, int32_t ndays)
{
	int32_t birth = first + (int32_t)((i * 7919) % ndays);
	int seq = (int)(i / ndays) * 2 + (int)(i % 2); /* odd male, even female */
	char ymd[9], date[YL_DATE_LEN], idn[19];
	unsigned tags = 0;
	int n = 0;
	static const char *const tag_names[] = {"hypertension", "diabetes", "disabled",
						"low_income"};

	yl_date_format(birth, date);
	snprintf(ymd, sizeof(ymd), "%.4s%.2s%.2s", date, date + 5, date + 8);
	ylt_id_number(idn, "440106", ymd, seq);
	BIRTH[i] = birth;
	HOME[i] = HOMES[i % 5];
	yl_buf_addf(b, "{\"id_number\":\"%s\",\"name\":\"%s%s%s\",\"home_area_code\":\"%s\"", idn,
		    SURNAMES[i % 11], GIVEN[i % 13], GIVEN[(i / 13) % 13], HOME[i]);
	if (i % 3 == 0)
		yl_buf_addf(b, ",\"sex\":\"%s\",\"birth_date\":\"%s\"",
			    seq % 2 ? "male" : "female", date);
	if (i % 2 == 0)
		yl_buf_addf(b, ",\"phone\":\"13%09ld\"", (i * 104729) % 1000000000L);
	if (i % 5 == 0)
		yl_buf_adds(b, ",\"insurance\":\"employee\"");
	else if (i % 5 == 1)
		yl_buf_adds(b, ",\"insurance\":\"none\"");
	tags |= i % 7 == 0 ? YL_TAG_HYPERTENSION : 0;
	tags |= i % 11 == 0 ? YL_TAG_DIABETES : 0;
	tags |= i % 13 == 0 ? YL_TAG_DISABLED : 0;
	tags |= i % 17 == 0 ? YL_TAG_LOW_INCOME : 0;
	TAGS[i] = tags;
	if (tags) {
		static const unsigned bits[] = {YL_TAG_HYPERTENSION, YL_TAG_DIABETES,
						YL_TAG_DISABLED, YL_TAG_LOW_INCOME};
		yl_buf_adds(b, ",\"tags\":[");
		for (int k = 0; k < 4; k++)
			if (tags & bits[k])
				yl_buf_addf(b, "%s\"%s\"", n++ ? "," : "", tag_names[k]);
		yl_buf_addc(b, ']');
	}
	yl_buf_adds(b, "}\n");
}

/* Appends encounter row j (deterministic) of the world's residents, adding to the totals. */
static void encounter_row(struct yl_buf *b, long j, int32_t first, int32_t ndays)
{
	static const char *const dx[] = {"I10", "E11.900", "J06.900", "I63.900", "S52.500",
					 "K29.700"};
	int32_t visit = first + (int32_t)((j * 37) % ndays), last = first + ndays - 1;
	const char *kind = j % 10 < 6 ? "outpatient" : j % 10 < 8 ? "emergency" : "inpatient";
	int64_t drugs = 100 + j % 5000, exams = j % 300, bed = 0, total, fund;
	char date[YL_DATE_LEN], out[YL_DATE_LEN];
	int ndx = 1 + (int)(j % 3);

	yl_date_format(visit, date);
	yl_buf_addf(b, "{\"kind\":\"%s\",\"resident_id\":%lld,\"institution_id\":%ld,"
		    "\"visit_date\":\"%s\"", kind, (long long)WORLD[j % NWORLD], 1 + (j * 3) % 5,
		    date);
	if (kind[0] == 'i') {
		int32_t d = visit + (int32_t)(j % 9);
		yl_date_format(d > last ? last : d, out);
		yl_buf_addf(b, ",\"discharge_date\":\"%s\"", out);
		bed = 4000 * (1 + j % 9);
		ENC_IP++;
	} else {
		ENC_OPEM++;
	}
	yl_buf_adds(b, ",\"diagnoses\":[");
	for (int k = 0; k < ndx; k++)
		yl_buf_addf(b, "%s\"%s\"", k ? "," : "", dx[(j + k) % 6]);
	ENC_DX += ndx;
	total = drugs + exams + bed;
	fund = total * 6 / 10;
	ENC_COST += total;
	yl_buf_addf(b, "],\"costs\":{\"drugs\":%lld,\"exams\":%lld", (long long)drugs,
		    (long long)exams);
	if (bed)
		yl_buf_addf(b, ",\"bed\":%lld", (long long)bed);
	yl_buf_addf(b, "},\"fund_paid\":%lld,\"out_of_pocket\":%lld}\n", (long long)fund,
		    (long long)(total - fund));
}

/* Writes rows (len bytes) to DIR_/name, preceded by whitespace-only lines (at most 64 bytes
 * each) so that the file is exactly size bytes; returns the number of those lines. */
static long write_padded(const char *name, const char *rows, size_t len, size_t size)
{
	char path[256];
	struct stat sb;
	FILE *f;
	size_t pad;
	long lines = 0;

	snprintf(path, sizeof(path), "%s/%s", DIR_, name);
	assert_true(size >= len);
	f = fopen(path, "wb");
	assert_non_null(f);
	for (pad = size - len; pad > 0; lines++) {
		size_t n = pad < 64 ? pad : 64;
		for (size_t k = 0; k + 1 < n; k++)
			fputc(' ', f);
		fputc('\n', f);
		pad -= n;
	}
	assert_int_equal(fwrite(rows, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal((size_t)sb.st_size, size);
	return lines;
}

static int group_setup(void **state)
{
	int32_t first = day_of("1930-01-01"), last = day_of(LAST_DAY);
	int32_t ndays = last - first + 1, efirst = day_of("2025-01-01");
	long cap = BULK_BYTES / 100;
	struct ylt_db w;

	(void)state;
	assert_true(ndays % 7919 != 0);
	ylt_tmpdir(DIR_, "/tmp/yltest.XXXXXX");
	/* The world's residents' ids and counts (every world database is the same). */
	world_open(&w);
	for (int a = 0; a < NAREAS; a++)
		for (int d = 0; d < NDAYS_CHECKED; d++) {
			must(&w, yl_signing_count_on(&w.ctx, AREAS[a], day_of(DAYS[d]),
						     &WORLD_COUNTS[a][d]), "world count");
			yl_arena_release(&w.arena);
		}
	ylt_db_close(&w);
	/* Residents up to 4 KiB under 8 MiB, so every file below is the same rows padded. */
	BIRTH = calloc((size_t)cap, sizeof(*BIRTH));
	HOME = calloc((size_t)cap, sizeof(*HOME));
	TAGS = calloc((size_t)cap, sizeof(*TAGS));
	assert_true(BIRTH && HOME && TAGS);
	yl_buf_init(&ROWS);
	while (ROWS.len < BULK_BYTES - 4096) {
		assert_true(NROWS < cap);
		resident_row(&ROWS, NROWS++, first, ndays);
	}
	write_padded("big.jsonl", ROWS.data, ROWS.len, BULK_BYTES + 1);
	write_padded("edge.jsonl", ROWS.data, ROWS.len, BULK_BYTES);
	/* Encounters just over 8 MiB, then the same split in two. */
	yl_buf_init(&ENC);
	while (ENC.len <= BULK_BYTES) {
		if (NENC == 20000)
			ENC_HALF = ENC.len;
		encounter_row(&ENC, NENC++, efirst, last - efirst + 1);
	}
	assert_true(ENC_HALF < BULK_BYTES && ENC.len - ENC_HALF < BULK_BYTES);
	write_padded("enc.jsonl", ENC.data, ENC.len, ENC.len);
	write_padded("enc_a.jsonl", ENC.data, ENC_HALF, ENC_HALF);
	write_padded("enc_b.jsonl", ENC.data + ENC_HALF, ENC.len - ENC_HALF, ENC.len - ENC_HALF);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (BULK_OPEN)
		ylt_db_close(&BULK);
	yl_buf_release(&ROWS);
	yl_buf_release(&ENC);
	free(BIRTH);
	free(HOME);
	free(TAGS);
	return ylt_tmpdir_remove(DIR_);
}

/* --- running the binary and reading the database --- */

/* Runs `yilian ARGS` (args already quoted); stdout in OUT, stderr in ERR; the exit status. */
static int yilian(const char *args)
{
	const char *bin = ylt_cli_bin();
	char cmd[1024], out[128], err[128];
	int st;

	snprintf(out, sizeof(out), "%s/out.txt", DIR_);
	snprintf(err, sizeof(err), "%s/err.txt", DIR_);
	snprintf(cmd, sizeof(cmd), "'%s' %s >'%s' 2>'%s'", bin, args, out, err);
	st = system(cmd);
	ylt_cli_slurp(out, OUT, sizeof(OUT));
	ylt_cli_slurp(err, ERR, sizeof(ERR));
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int import(struct ylt_db *t, const char *name)
{
	char args[512];

	snprintf(args, sizeof(args), "import --db '%s' --entity %s '%s/%s'", t->path,
		 strncmp(name, "enc", 3) == 0 ? "encounters" : "residents", DIR_, name);
	return yilian(args);
}

/* A query whose rows are compared as text: what it shows, its SQL, its number of columns. */
struct query {
	const char *name;
	const char *sql;
	int ncols;
};

static const struct query STOCK = {"signing_stock", "SELECT area_code, grain, period,"
				   " residents, tagged_residents, signed_residents,"
				   " signed_key_residents FROM signing_stock ORDER BY 1, 2, 3", 7};
static const struct query MEASURES = {"measure_agg", "SELECT measure, institution_id, month,"
				      " resident_county, value FROM measure_agg"
				      " ORDER BY 1, 2, 3, 4", 5};
static const struct query RESIDENTS = {"residents", "SELECT id, id_number, name, sex,"
				       " birth_date, phone, home_area_code, insurance, tags FROM"
				       " residents ORDER BY id", 9};
static const struct query ENCOUNTERS = {"encounters", "SELECT id, kind, resident_id,"
					" institution_id, visit_date, discharge_date, cost_drugs,"
					" cost_exams, cost_bed, fund_paid, out_of_pocket, (SELECT"
					" group_concat(icd10, ';') FROM (SELECT icd10 FROM"
					" encounter_diagnoses WHERE encounter_id = e.id ORDER BY"
					" seq)) FROM encounters e ORDER BY id", 12};
static const struct query SETTINGS = {"settings", "SELECT key, value FROM settings"
				      " ORDER BY key", 2};
static const struct query AUDIT = {"audit_log", "SELECT count(*) FROM audit_log", 1};

/* Every row of q, one line each, columns joined by '|' (caller frees). */
static char *snapshot(struct ylt_db *t, const struct query *q)
{
	struct yl_buf b;
	struct yl_stmt *st;
	bool row;

	yl_buf_init(&b);
	must(t, yl_store_prepare(t->store, q->sql, &st, &t->diag), "snapshot");
	while (yl_stmt_step(st, &row, &t->diag) == YL_OK && row) {
		for (int k = 0; k < q->ncols; k++)
			yl_buf_addf(&b, "%s%s", k ? "|" : "",
				    yl_stmt_null(st, k) ? "NULL" : yl_stmt_text(st, k));
		yl_buf_addc(&b, '\n');
	}
	yl_stmt_reset(st);
	return yl_buf_detach(&b, NULL);
}

/* Up to 8 queries and their texts as one database gave them. */
struct tables {
	const struct query *q[8];
	char *text[8];
	int n;
};

/* Snapshots of t for every query of the list (NULL-terminated); release with expect_same. */
static struct tables take(struct ylt_db *t, const struct query *const *list)
{
	struct tables s = {{0}, {0}, 0};

	for (; *list; list++, s.n++) {
		s.q[s.n] = *list;
		s.text[s.n] = snapshot(t, *list);
	}
	return s;
}

/* Fails unless t gives the texts of s for every query (the first difference shown, when
 * says when); frees s. */
static void expect_same(struct ylt_db *t, struct tables *s, const char *when)
{
	for (int k = 0; k < s->n; k++) {
		char *now = snapshot(t, s->q[k]);
		const char *a = s->text[k];
		size_t i = 0;
		if (strcmp(a, now) != 0) {
			while (a[i] && a[i] == now[i])
				i++;
			while (i > 0 && a[i - 1] != '\n')
				i--;
			fail_msg("%s differs %s (%zu and %zu bytes), first at\n%.300s\n---\n%.300s",
				 s->q[k]->name, when, strlen(a), strlen(now), a + i, now + i);
		}
		free(now);
		free(s->text[k]);
	}
	s->n = 0;
}

/* The stale mark of signing_stock (signing_stock.c): set and not '0'. */
static int64_t stale(struct ylt_db *t)
{
	return yltb_scalar(t, "SELECT count(*) FROM settings WHERE key = 'signing_stock_stale'"
			   " AND value <> '0'");
}

/* Runs `yilian indicators rebuild` on t and fails unless signing_stock and measure_agg come
 * out exactly as they were. */
static void expect_rebuild_changes_nothing(struct ylt_db *t)
{
	static const struct query *const list[] = {&STOCK, &MEASURES, NULL};
	struct tables s = take(t, list);
	char args[256], expect[128];

	snprintf(args, sizeof(args), "indicators rebuild --db '%s'", t->path);
	if (yilian(args) != 0)
		fail_msg("indicators rebuild: %s", ERR);
	snprintf(expect, sizeof(expect), "rebuilt measure_agg: %lld rows\nrebuilt signing_stock:"
		 " %lld rows\n", (long long)ylt_count(t, "measure_agg"),
		 (long long)ylt_count(t, "signing_stock"));
	assert_string_equal(OUT, expect);
	expect_same(t, &s, "after `yilian indicators rebuild`");
}

/* The counts the generated rows add on day to the area whose home areas start with prefix:
 * residents born by then, and those key (a stored tag, or aged 0 to 6 or 65 and over). None
 * has a contract. */
static void generated_counts(const char *prefix, int32_t day, int64_t *residents, int64_t *key)
{
	size_t n = strlen(prefix);

	*residents = *key = 0;
	for (long i = 0; i < NROWS; i++) {
		int age;
		if (strncmp(HOME[i], prefix, n) != 0 || BIRTH[i] > day)
			continue;
		age = yl_age_on(BIRTH[i], day);
		++*residents;
		*key += TAGS[i] || age < 7 || age >= 65;
	}
}

/* After an import of the generated residents (generated = the rows are in) or none: on every
 * checked area and day, the counts of signing_stock equal the direct count and the world's
 * counts plus the generated rows'. */
static void expect_counts(struct ylt_db *t, bool generated)
{
	for (int a = 0; a < NAREAS; a++)
		for (int d = 0; d < NDAYS_CHECKED; d++) {
			struct yl_signing_counts stock, direct, want = WORLD_COUNTS[a][d];
			int64_t r = 0, k = 0;
			if (generated)
				generated_counts(UNDER[a], day_of(DAYS[d]), &r, &k);
			want.residents += r;
			want.key += k;
			must(t, yl_signing_stock_counts(&t->ctx, AREAS[a], day_of(DAYS[d]), &stock),
			     "stock counts");
			must(t, yl_signing_count_on(&t->ctx, AREAS[a], day_of(DAYS[d]), &direct),
			     "direct count");
			yl_arena_release(&t->arena);
			if (memcmp(&stock, &direct, sizeof(stock)) != 0 ||
			    memcmp(&stock, &want, sizeof(stock)) != 0)
				fail_msg("%s on %s: stock %lld %lld %lld %lld, direct %lld %lld %lld"
					 " %lld, expected %lld %lld %lld %lld", AREAS[a], DAYS[d],
					 (long long)stock.residents, (long long)stock.signed_,
					 (long long)stock.key, (long long)stock.signed_key,
					 (long long)direct.residents, (long long)direct.signed_,
					 (long long)direct.key, (long long)direct.signed_key,
					 (long long)want.residents, (long long)want.signed_,
					 (long long)want.key, (long long)want.signed_key);
		}
}

/* numerator and denominator of indicator id on its line of `yilian indicators` output. */
static void cli_indicator(const char *id, long long *num, long long *den)
{
	char head[16], pat[16];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s ", id);
	p = strstr(OUT, pat);
	if (!p || sscanf(p + 1, "%15s %*s %lld %lld", head, num, den) != 3)
		fail_msg("no %s line in\n%s", id, OUT);
}

/* C1 and C2 of county 440106 for month (counted on as_of) equal the direct count: from the
 * domain (pinned clock, 2026-03-15), and from `yilian indicators` when cli (real clock). */
static void expect_c1_c2(struct ylt_db *t, const char *month, const char *as_of, bool cli)
{
	static const char *const ids[] = {"C1", "C2"};
	struct yl_signing_counts k;
	int64_t num[2], den[2];

	must(t, yl_signing_count_on(&t->ctx, "440106", day_of(as_of), &k), "direct count");
	num[0] = k.signed_;
	den[0] = k.residents;
	num[1] = k.signed_key;
	den[1] = k.key;
	assert_true(num[0] > 0 && num[1] > 0 && den[0] > NROWS / 2 && den[1] > NROWS / 4);
	for (int i = 0; i < 2; i++) {
		struct yl_indicator_query q = {0};
		struct yl_indicator_result *res;
		int n;
		q.area_code = "440106";
		q.from = q.to = month;
		q.id = ids[i];
		must(t, yl_indicator_compute(&t->ctx, &q, &res, &n), "indicators");
		assert_int_equal(n, 1);
		assert_string_equal(res[0].as_of, as_of);
		if (res[0].cur.numerator != num[i] || res[0].cur.denominator != den[i])
			fail_msg("%s %s: %lld/%lld, direct count %lld/%lld", ids[i], month,
				 (long long)res[0].cur.numerator, (long long)res[0].cur.denominator,
				 (long long)num[i], (long long)den[i]);
	}
	yl_arena_release(&t->arena);
	if (cli) {
		char args[256];
		long long cn, cd;
		snprintf(args, sizeof(args), "indicators --db '%s' --area 440106 --from %s --to %s",
			 t->path, month, month);
		if (yilian(args) != 0)
			fail_msg("indicators: %s", ERR);
		for (int i = 0; i < 2; i++) {
			cli_indicator(ids[i], &cn, &cd);
			if (cn != num[i] || cd != den[i])
				fail_msg("yilian indicators %s %s: %lld/%lld, direct count %lld/%lld",
					 ids[i], month, cn, cd, (long long)num[i], (long long)den[i]);
		}
	}
}

static void expect_imported(const char *out, long rows, const char *entity, bool rebuilt)
{
	char want[64];

	snprintf(want, sizeof(want), "imported %ld %s in ", rows, entity);
	if (strncmp(out, want, strlen(want)) != 0)
		fail_msg("expected '%s...', got\n%s", want, out);
	if (rebuilt != (strstr(out, "\nlive aggregates rebuilt once at the end (a file over 8"
				   " MiB): ") != NULL))
		fail_msg("the rebuild line should%s be there:\n%s", rebuilt ? "" : " not", out);
}

/* --- the tests --- */

static void test_bulk_residents(void **state)
{
	static const struct query *const list[] = {&MEASURES, NULL};
	struct tables s;
	int64_t audits;

	(void)state;
	world_open(&BULK);
	BULK_OPEN = true;
	s = take(&BULK, list);
	audits = ylt_count(&BULK, "audit_log");
	assert_int_equal(stale(&BULK), 0);
	BULK_RC = import(&BULK, "big.jsonl");
	if (BULK_RC != 0)
		fail_msg("import: %s", ERR);
	expect_imported(OUT, NROWS, "residents", true);
	assert_int_equal(ylt_count(&BULK, "residents"), NWORLD + NROWS);
	assert_int_equal(ylt_count(&BULK, "audit_log"), audits + 1);
	assert_int_equal(stale(&BULK), 0);
	/* Residents change no measure: the rebuild at the end gives back the live table. */
	expect_same(&BULK, &s, "after the import");
	expect_counts(&BULK, true);
	expect_c1_c2(&BULK, "2026-02", "2026-02-28", true);
	expect_c1_c2(&BULK, "2026-03", "2026-03-15", false);
	expect_rebuild_changes_nothing(&BULK);
}

/* Queries that must not change when an import fails. */
static const struct query *const UNCHANGED[] = {&RESIDENTS, &STOCK, &MEASURES, &SETTINGS,
						&AUDIT, NULL};

/* One bad row near the end of a file over 8 MiB: exit status 65 for a wrong check character,
 * 75 for a duplicate id number as the very last row; the error names FILE:LINE; nothing is
 * written, and no stale mark stays. */
static void test_bad_row_near_end(void **state)
{
	struct ylt_db t;
	char want[128];

	(void)state;
	world_open(&t);
	for (int variant = 0; variant < 2; variant++) {
		struct tables s = take(&t, UNCHANGED);
		long bad_row = variant == 0 ? NROWS - 3 : NROWS - 1, lines;
		size_t at_bad = 0, len;
		const char *row;
		struct yl_buf bad;

		for (long i = 0; i < bad_row; i++) /* the start of row bad_row */
			at_bad = (size_t)(strchr(ROWS.data + at_bad, '\n') - ROWS.data) + 1;
		row = ROWS.data + at_bad;
		len = (size_t)(strchr(row, '\n') - row) + 1;
		yl_buf_init(&bad);
		yl_buf_add(&bad, ROWS.data, at_bad);
		if (variant == 0) {
			/* {"id_number":" is 14 bytes; the check character is the 18th of the id */
			yl_buf_add(&bad, row, len);
			bad.data[at_bad + 14 + 17] = bad.data[at_bad + 14 + 17] == '1' ? '2' : '1';
		} else {
			yl_buf_add(&bad, ROWS.data, (size_t)(strchr(ROWS.data, '\n') - ROWS.data) + 1);
		}
		yl_buf_add(&bad, row + len, ROWS.len - at_bad - len);
		lines = write_padded("bad.jsonl", bad.data, bad.len, BULK_BYTES + 100);
		yl_buf_release(&bad);
		assert_int_equal(import(&t, "bad.jsonl"), variant == 0 ? 65 : 75);
		snprintf(want, sizeof(want), "yilian import: %s/bad.jsonl:%ld: id_number: ", DIR_,
			 lines + bad_row + 1);
		if (strncmp(ERR, want, strlen(want)) != 0 || strchr(ERR, '\n') != ERR + strlen(ERR) - 1)
			fail_msg("expected one line '%s...', got\n%s", want, ERR);
		assert_string_equal(OUT, "");
		assert_int_equal(stale(&t), 0);
		expect_same(&t, &s, "after a failed import");
	}
	expect_counts(&t, false);
	ylt_db_close(&t);
}

/* A failure in the rebuild at the end (injected: a trigger refuses the first measure_agg row
 * the rebuild writes back, after signing_stock was already rebuilt) rolls back the whole file:
 * the rows, the rebuilt signing_stock, and the stale mark. */
static void test_rebuild_failure_imports_nothing(void **state)
{
	struct ylt_db t;
	struct tables s;
	int rc;

	(void)state;
	world_open(&t);
	yltb_exec(&t, "CREATE TRIGGER injected BEFORE INSERT ON measure_agg BEGIN"
		  " SELECT RAISE(ABORT, 'injected fault'); END");
	s = take(&t, UNCHANGED);
	rc = import(&t, "big.jsonl");
	if (rc == 0 || strncmp(ERR, "yilian import: ", 15) != 0 || !strstr(ERR, "injected fault") ||
	    !strstr(ERR, "rebuilding the live aggregates"))
		fail_msg("exit %d, stderr\n%s", rc, ERR);
	assert_int_equal(stale(&t), 0);
	expect_same(&t, &s, "after a failed rebuild");
	ylt_db_close(&t);
}

/* The same rows in a file of exactly 8 MiB take the per-row path (live aggregates on) and
 * leave every table as the bulk path does. */
static void test_edge_per_row(void **state)
{
	static const struct query *const list[] = {&RESIDENTS, &STOCK, &MEASURES, NULL};
	static const struct query *const stock[] = {&STOCK, NULL};
	struct ylt_db t;
	struct tables s;

	(void)state;
	if (BULK_RC != 0)
		fail_msg("the bulk import failed (see test_bulk_residents)");
	world_open(&t);
	if (import(&t, "edge.jsonl") != 0)
		fail_msg("import: %s", ERR);
	expect_imported(OUT, NROWS, "residents", false);
	assert_int_equal(stale(&t), 0);
	s = take(&BULK, list);
	expect_same(&t, &s, "between the bulk and the per-row import");
	/* The per-row table is the live path's: it equals its own rebuild. */
	s = take(&t, stock);
	ylt_begin(&t);
	must(&t, yl_signing_stock_rebuild(&t.ctx, NULL), "rebuild");
	expect_same(&t, &s, "between the per-row import and its rebuild");
	ylt_rollback(&t);
	expect_counts(&t, true);
	ylt_db_close(&t);
}

/* Sum of a measure over measure_agg. */
static int64_t measure_sum(struct ylt_db *t, const char *measure)
{
	return yltb_scalar(t, "SELECT coalesce(sum(value), 0) FROM measure_agg WHERE measure ="
			   " '%s'", measure);
}

/* Encounters: one file over 8 MiB (measure_agg rebuilt at the end) against the same rows in
 * two files under 8 MiB (kept live row by row). */
static void test_bulk_encounters(void **state)
{
	static const struct query *const list[] = {&ENCOUNTERS, &MEASURES, &STOCK, NULL};
	static const struct query *const stock[] = {&STOCK, NULL};
	struct ylt_db bulk, rows;
	struct tables s;
	int64_t opem, ip, cost;

	(void)state;
	world_open(&bulk);
	world_open(&rows);
	s = take(&bulk, stock);
	opem = measure_sum(&bulk, "opem_visits");
	ip = measure_sum(&bulk, "ip_admissions");
	cost = measure_sum(&bulk, "cost_total");
	if (import(&bulk, "enc.jsonl") != 0)
		fail_msg("import: %s", ERR);
	expect_imported(OUT, NENC, "encounters", true);
	/* Encounters change no signing count: the rebuild gives back the world's table. */
	expect_same(&bulk, &s, "after the import");
	if (import(&rows, "enc_a.jsonl") != 0)
		fail_msg("import: %s", ERR);
	expect_imported(OUT, 20000, "encounters", false);
	if (import(&rows, "enc_b.jsonl") != 0)
		fail_msg("import: %s", ERR);
	expect_imported(OUT, NENC - 20000, "encounters", false);
	assert_int_equal(ylt_count(&bulk, "encounters"), 4 + NENC);
	assert_int_equal(ylt_count(&bulk, "encounter_diagnoses"), 4 + ENC_DX);
	assert_int_equal(stale(&bulk), 0);
	assert_int_equal(stale(&rows), 0);
	s = take(&bulk, list);
	expect_same(&rows, &s, "between the bulk and the per-row imports");
	/* The sums are the file's, and some visits were a signed resident's. */
	assert_int_equal(measure_sum(&bulk, "opem_visits"), opem + ENC_OPEM);
	assert_int_equal(measure_sum(&bulk, "ip_admissions"), ip + ENC_IP);
	assert_int_equal(measure_sum(&bulk, "cost_total"), cost + ENC_COST);
	assert_true(measure_sum(&bulk, "opem_visits_signed") > ENC_OPEM / 10);
	expect_rebuild_changes_nothing(&bulk);
	ylt_db_close(&bulk);
	ylt_db_close(&rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bulk_residents),
		cmocka_unit_test(test_bad_row_near_end),
		cmocka_unit_test(test_rebuild_failure_imports_nothing),
		cmocka_unit_test(test_edge_per_row),
		cmocka_unit_test(test_bulk_encounters),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
