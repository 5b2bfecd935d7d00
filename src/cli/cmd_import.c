/* cmd_import.c - `yilian import --db FILE [--entity NAME] PATH`: bulk-loads one registry file
 * (JSON Lines or CSV) all-or-nothing.
 *
 * Each row becomes a JSON object and goes through the API's decoder and the domain's create
 * function, so an imported row obeys exactly the rules of a POST; there is no second path.
 * The whole file is one write transaction: any bad row rolls everything back and names
 * FILE:LINE and the field. Rows are not audited one by one (ctx.batch); one summary audit row
 * records the import. Adding an importable entity is one row in `entities` below.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/decode.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "cli/csv.h"
#include "cli/jsonl.h"
#include "domain/area.h"
#include "domain/consortium.h"
#include "domain/department.h"
#include "domain/encounter.h"
#include "domain/institution.h"
#include "domain/measure.h"
#include "domain/practitioner.h"
#include "domain/resident.h"
#include "domain/signing_stock.h"
#include "domain/team.h"

/* One importable entity: its name (file stem and --entity value), the size of its domain
 * struct, and the decoder and create function the API uses for it. */
struct entity {
	const char *name;
	size_t size;
	enum yl_err (*decode)(const struct yl_ctx *c, json_t *obj, void *out);
	enum yl_err (*create)(const struct yl_ctx *c, const void *in);
};

/* Typed adapters so the table can hold one signature. */
#define ENTITY_ADAPTERS(stem, type, decode_fn, create_fn)                                    \
	static enum yl_err decode_##stem(const struct yl_ctx *c, json_t *obj, void *out)      \
	{                                                                                     \
		return decode_fn(c, obj, (type *)out);                                        \
	}                                                                                     \
	static enum yl_err create_##stem(const struct yl_ctx *c, const void *in)             \
	{                                                                                     \
		return create_fn(c, (const type *)in, NULL);                                  \
	}

ENTITY_ADAPTERS(areas, struct yl_area, yl_decode_area, yl_area_create)
ENTITY_ADAPTERS(institutions, struct yl_institution, yl_decode_institution, yl_institution_create)
ENTITY_ADAPTERS(consortia, struct yl_consortium, yl_decode_consortium, yl_consortium_create)
ENTITY_ADAPTERS(departments, struct yl_department, yl_decode_department, yl_department_create)
ENTITY_ADAPTERS(practitioners, struct yl_practitioner, yl_decode_practitioner,
		yl_practitioner_create)
ENTITY_ADAPTERS(residents, struct yl_resident, yl_decode_resident, yl_resident_create)
ENTITY_ADAPTERS(teams, struct yl_team, yl_decode_team, yl_team_create)
ENTITY_ADAPTERS(encounters, struct yl_encounter, yl_decode_encounter, yl_encounter_create)

#define ENTITY(stem, type) {#stem, sizeof(type), decode_##stem, create_##stem}

/* In the order a region is loaded (each may refer to the ones above it). */
static const struct entity entities[] = {
	ENTITY(areas, struct yl_area),
	ENTITY(institutions, struct yl_institution),
	ENTITY(consortia, struct yl_consortium),
	ENTITY(departments, struct yl_department),
	ENTITY(practitioners, struct yl_practitioner),
	ENTITY(teams, struct yl_team),
	ENTITY(residents, struct yl_resident),
	ENTITY(encounters, struct yl_encounter),
};

enum { N_ENTITIES = sizeof(entities) / sizeof(entities[0]) };

struct import {
	const char *path;
	const struct entity *e;
	bool is_csv;
	FILE *f;
	int64_t size;          /* file size in bytes, 0 when unknown */
	long rows;
	long err_line;          /* line of the row at fault, 0 when the error has none */
	struct yl_csv csv;
	struct yl_jsonl *jsonl; /* malloc'd: it holds a 64 KiB block */
	struct yl_arena header; /* CSV column names and kinds */
	const char **cols;
	enum yl_field_kind *kinds;
	int ncols;
	bool tty, shown;        /* stderr is a terminal; a progress line is on it */
	double start, last_progress;
	double rebuild_secs;    /* > 0 when the live aggregates were rebuilt at the end */
};

/* Files larger than this load with the live aggregates off and rebuild them at the end. */
enum { BULK_REBUILD_BYTES = 8 << 20 };

static const struct entity *find_entity(const char *name, size_t len)
{
	for (size_t i = 0; i < N_ENTITIES; i++)
		if (strlen(entities[i].name) == len && strncmp(entities[i].name, name, len) == 0)
			return &entities[i];
	return NULL;
}

static long current_line(const struct import *im)
{
	return im->is_csv ? im->csv.line : im->jsonl->line_no;
}

/* Prints d as "yilian import: FILE:LINE: field: message" (the form editors and grep
 * understand) and returns the exit code of its error. */
static int fail_at(const struct import *im, const struct yl_diag *d)
{
	if (d->field[0])
		fprintf(stderr, "yilian import: %s:%ld: %s: %s\n", im->path, im->err_line, d->field,
			d->message);
	else
		fprintf(stderr, "yilian import: %s:%ld: %s\n", im->path, im->err_line, d->message);
	return yl_err_exit_code(d->err);
}

static bool strict_int(const char *s, long long *out)
{
	char *end;
	const char *p = *s == '-' ? s + 1 : s;

	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !errno && !*end;
}

static json_t *utf8_string(const char *s, size_t n)
{
	return json_stringn(s, n); /* NULL when not valid UTF-8 */
}

/* One CSV cell as the JSON value its column's kind asks for. Integers and booleans that do
 * not parse stay strings, so the decoder reports the type error as it would for the API. */
static enum yl_err cell_value(const char *col, enum yl_field_kind kind, const char *s, size_t n,
			      json_t **out, struct yl_diag *d)
{
	long long i;

	*out = NULL;
	if (kind == YL_FIELD_INT && strict_int(s, &i))
		*out = json_integer(i);
	else if (kind == YL_FIELD_BOOL && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0))
		*out = json_boolean(strcmp(s, "true") == 0);
	else if (kind == YL_FIELD_STRING_LIST) {
		json_t *arr = json_array();
		const char *p = s, *end = s + n;
		while (p <= end) {
			const char *q = memchr(p, ';', (size_t)(end - p));
			size_t len = q ? (size_t)(q - p) : (size_t)(end - p);
			if (len) {
				json_t *v = utf8_string(p, len);
				if (!v) {
					json_decref(arr);
					return yl_diag_set(d, YL_ERR_INVALID, col, "not valid UTF-8");
				}
				json_array_append_new(arr, v);
			}
			p += len + 1;
		}
		*out = arr;
		return YL_OK;
	} else {
		*out = utf8_string(s, n);
	}
	if (!*out)
		return yl_diag_set(d, YL_ERR_INVALID, col, "not valid UTF-8");
	return YL_OK;
}

static enum yl_err read_header(struct import *im, struct yl_diag *d)
{
	bool got;
	enum yl_err err = yl_csv_next(&im->csv, &got, d);

	if (err)
		return err;
	if (!got)
		return yl_diag_set(d, YL_ERR_INVALID, NULL, "empty file; a header row is required");
	im->ncols = yl_csv_count(&im->csv);
	im->cols = yl_arena_alloc(&im->header, sizeof(*im->cols) * (size_t)im->ncols);
	im->kinds = yl_arena_alloc(&im->header, sizeof(*im->kinds) * (size_t)im->ncols);
	for (int i = 0; i < im->ncols; i++) {
		size_t n;
		const char *name = yl_csv_cell(&im->csv, i, &n);
		if (n == 0 || n > 63)
			return yl_diag_set(d, YL_ERR_INVALID, NULL,
					   "header: column %d needs a name of 1 to 63 bytes", i + 1);
		for (int k = 0; k < i; k++)
			if (strcmp(im->cols[k], name) == 0)
				return yl_diag_set(d, YL_ERR_INVALID, NULL,
						   "header: column '%s' appears twice", name);
		im->cols[i] = yl_arena_strndup(&im->header, name, n);
		im->kinds[i] = yl_decode_field_kind(im->e->name, im->cols[i]);
	}
	return YL_OK;
}

/* The next row as a JSON object (new reference), or NULL at end of file. */
static enum yl_err next_row(struct import *im, json_t **obj, struct yl_diag *d)
{
	bool got;
	enum yl_err err;
	json_t *o;

	*obj = NULL;
	if (!im->is_csv)
		return yl_jsonl_next(im->jsonl, obj, d);
	if ((err = yl_csv_next(&im->csv, &got, d)) || !got)
		return err;
	if (yl_csv_count(&im->csv) != im->ncols)
		return yl_diag_set(d, YL_ERR_INVALID, NULL, "%d fields where the header has %d",
				   yl_csv_count(&im->csv), im->ncols);
	o = json_object();
	for (int i = 0; i < im->ncols; i++) {
		size_t n;
		const char *s = yl_csv_cell(&im->csv, i, &n);
		json_t *v;
		if (n == 0)
			continue; /* empty cell: the field is absent */
		if ((err = cell_value(im->cols[i], im->kinds[i], s, n, &v, d))) {
			json_decref(o);
			return err;
		}
		json_object_set_new(o, im->cols[i], v);
	}
	*obj = o;
	return YL_OK;
}

static void progress(struct import *im, bool done)
{
	double t = yl_monotonic(), el = t - im->start;
	off_t pos;
	double frac, rate, eta;
	int bar;
	char fill[31];

	if (!im->tty || (!done && t - im->last_progress < 0.2))
		return;
	im->last_progress = t;
	pos = ftello(im->f);
	frac = im->size > 0 && pos > 0 ? (double)pos / (double)im->size : 0;
	if (frac > 1 || done)
		frac = 1;
	rate = el > 0 ? (double)im->rows / el : 0;
	eta = frac > 0 ? el * (1 - frac) / frac : 0;
	bar = (int)(frac * 30);
	memset(fill, '#', (size_t)bar);
	memset(fill + bar, '.', (size_t)(30 - bar));
	fill[30] = '\0';
	im->shown = true;
	fprintf(stderr, "\r%s [%s] %5.1f%%  %ld rows  %.0f rows/s  ETA %.0f s   ", im->e->name, fill,
		frac * 100, im->rows, rate, eta);
	if (done)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Runs the whole file inside the open transaction of c. */
static enum yl_err run_rows(struct import *im, struct yl_ctx *c, struct yl_diag *d)
{
	void *in = malloc(im->e->size);
	enum yl_err err = YL_OK;

	if (!in)
		return yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory");
	if (im->is_csv && (err = read_header(im, d))) {
		im->err_line = current_line(im) > 0 ? current_line(im) : 1;
		free(in);
		return err;
	}
	for (;;) {
		json_t *obj;

		err = next_row(im, &obj, d);
		if (!err && !obj)
			break;
		if (!err)
			err = im->e->decode(c, obj, in);
		if (!err)
			err = im->e->create(c, in);
		json_decref(obj);
		/* Row data dies with the row; freeing every 64 KiB, not per row, saves a malloc and
		 * a free of a whole chunk on every row. */
		if (c->arena->total > (64u << 10))
			yl_arena_release(c->arena);
		if (err) {
			im->err_line = current_line(im);
			break;
		}
		im->rows++;
		if ((im->rows & 4095) == 0)
			progress(im, false);
	}
	free(in);
	return err;
}

static int import_file(const char *db, struct import *im)
{
	struct yl_store *s = NULL;
	struct yl_diag d;
	struct yl_arena arena = YL_ARENA_INIT;
	struct yl_actor actor;
	struct yl_ctx c = {0};
	struct yl_clock clock = {0};
	char detail[300];
	enum yl_err err;
	double secs;

	yl_diag_clear(&d);
	if ((err = yl_store_open(db, 0, &s, &d)))
		return yl_cli_fail("import", &d);
	yl_cli_system_actor(&actor, "system:import");
	c.store = s;
	c.clock = &clock;
	c.arena = &arena;
	c.diag = &d;
	c.actor = &actor;
	c.batch = true;
	im->start = im->last_progress = yl_monotonic();
	/* A page cache big enough for the indexes of a million rows keeps the one long transaction
	 * from spilling pages to the WAL mid-file (17 s -> 12 s for 1M residents). It changes no
	 * durability: commit still syncs as configured by the store. */
	err = yl_store_tune_bulk(s, &d);
	/* A large file (a first load, typically) keeps the live aggregates (measure_agg,
	 * signing_stock) off while loading and rebuilds them once at the end, in the same
	 * transaction: a rebuild is linear in the database, the per-row upkeep costs more than
	 * the rows themselves. A small file into a large database keeps them live. */
	c.no_live_measures = im->size > BULK_REBUILD_BYTES;
	if (!err)
		err = yl_store_begin(s, &d);
	if (!err)
		err = run_rows(im, &c, &d);
	if (!err && c.no_live_measures) {
		double t0 = yl_monotonic();
		c.no_live_measures = false;
		err = yl_signing_stock_rebuild(&c, NULL);
		if (!err)
			err = yl_measure_rebuild(&c, NULL);
		im->rebuild_secs = yl_monotonic() - t0;
		if (err) {
			char why[sizeof(d.message)], field[sizeof(d.field)];
			snprintf(why, sizeof(why), "%s", d.message);
			snprintf(field, sizeof(field), "%s", d.field);
			yl_diag_set(&d, err, field[0] ? field : NULL,
				    "%s: %s (rebuilding the live aggregates after the last row;"
				    " nothing was imported)", im->path, why);
		}
	}
	if (!err) {
		snprintf(detail, sizeof(detail), "%ld rows from %.250s", im->rows, im->path);
		c.batch = false;
		err = yl_audit(&c, "import", im->e->name, NULL, detail);
	}
	if (!err)
		err = yl_store_commit(s, &d);
	if (err)
		yl_store_rollback(s);
	yl_store_close(s);
	yl_arena_release(&arena);
	if (im->shown && !err)
		progress(im, true);
	else if (im->shown)
		fputc('\n', stderr);
	if (err)
		return im->err_line ? fail_at(im, &d) : yl_cli_fail("import", &d);
	secs = yl_monotonic() - im->start;
	printf("imported %ld %s in %.2f s (%.0f rows/s)\n", im->rows, im->e->name, secs,
	       secs > 0 ? (double)im->rows / secs : 0.0);
	if (im->rebuild_secs > 0)
		printf("live aggregates rebuilt once at the end (a file over %d MiB): %.2f s\n",
		       BULK_REBUILD_BYTES >> 20, im->rebuild_secs);
	return 0;
}

static void list_entities(FILE *f)
{
	for (size_t i = 0; i < N_ENTITIES; i++)
		fprintf(f, "%s%s", i ? ", " : "", entities[i].name);
	fputc('\n', f);
}

int yl_cmd_import(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file (required)"},
		{"--entity", true, NULL, "what the file holds (default: from the file name)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1], *db, *name, *base, *ext, *entity;
	struct import im = {0};
	struct stat sb;
	int npos, rc;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 1, &npos, "import",
			  "yilian import --db FILE [--entity NAME] PATH\n"
			  "Loads PATH (.jsonl/.ndjson: one JSON object per line; .csv: RFC 4180 with a\n"
			  "header row, list cells separated by ';') all-or-nothing. NAME is one of\n"
			  "areas, institutions, consortia, departments, practitioners, teams,\n"
			  "residents, encounters; "
			  "by default the file name's stem (residents.csv)."))
		return 64;
	db = yl_cli_opt(opts, "--db");
	entity = yl_cli_opt(opts, "--entity");
	if (!db || npos != 1) {
		fprintf(stderr, "yilian import: give --db FILE and one PATH (see --help)\n");
		return 64;
	}
	im.path = pos[0];
	base = strrchr(im.path, '/');
	base = base ? base + 1 : im.path;
	ext = strrchr(base, '.');
	if (ext && (strcmp(ext, ".jsonl") == 0 || strcmp(ext, ".ndjson") == 0)) {
		im.is_csv = false;
	} else if (ext && strcmp(ext, ".csv") == 0) {
		im.is_csv = true;
	} else {
		fprintf(stderr, "yilian import: %s: cannot tell the format; name it .jsonl, .ndjson or"
				" .csv\n", im.path);
		return 64;
	}
	name = entity ? entity : base;
	im.e = find_entity(name, entity ? strlen(entity) : strcspn(base, "."));
	if (!im.e) {
		fprintf(stderr, "yilian import: %s: unknown entity '%.*s'; use --entity with one of: ",
			im.path, (int)(entity ? strlen(entity) : strcspn(base, ".")), name);
		list_entities(stderr);
		return 64;
	}
	im.f = fopen(im.path, "rb");
	if (!im.f) {
		fprintf(stderr, "yilian import: %s: %s\n", im.path, strerror(errno));
		return 66;
	}
	if (fstat(fileno(im.f), &sb) == 0 && S_ISREG(sb.st_mode))
		im.size = sb.st_size;
	setvbuf(im.f, NULL, _IOFBF, 1 << 20);
	im.tty = isatty(STDERR_FILENO);
	yl_arena_init(&im.header);
	if (im.is_csv) {
		yl_csv_init(&im.csv, im.f);
	} else {
		im.jsonl = malloc(sizeof(*im.jsonl));
		if (!im.jsonl) {
			fclose(im.f);
			fprintf(stderr, "yilian import: out of memory\n");
			return 71;
		}
		yl_jsonl_init(im.jsonl, im.f);
	}
	rc = import_file(db, &im);
	if (im.is_csv) {
		yl_csv_release(&im.csv);
	} else {
		yl_jsonl_release(im.jsonl);
		free(im.jsonl);
	}
	yl_arena_release(&im.header);
	fclose(im.f);
	return rc;
}
