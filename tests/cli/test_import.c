/* CLI: `yilian import` run as the real binary (YILIAN_BIN) on small JSON Lines and CSV files,
 * checking all-or-nothing behaviour and FILE:LINE error reports; and unit tests of the RFC
 * 4180 reader itself. */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/csv.h"
#include "cli/jsonl.h"
#include "ylt_cli.h"

static struct ylt_db T;
static char OUT[4096], ERR[4096];

static int setup(void **state)
{
	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	return 0;
}

/* Runs `yilian import --db DB [extra] DIR/name`; returns the exit status. */
static int import(const char *name, const char *extra)
{
	const char *bin = ylt_cli_bin();
	char cmd[1024], out[200], err[200];
	int st;

	snprintf(out, sizeof(out), "%s/out.txt", T.dir);
	snprintf(err, sizeof(err), "%s/err.txt", T.dir);
	snprintf(cmd, sizeof(cmd), "'%s' import --db '%s' %s '%s/%s' >'%s' 2>'%s'", bin, T.path,
		 extra ? extra : "", T.dir, name, out, err);
	st = system(cmd);
	ylt_cli_slurp(out, OUT, sizeof(OUT));
	ylt_cli_slurp(err, ERR, sizeof(ERR));
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* Text of column 0 of the first row of sql bound to arg, copied into a static buffer. */
static const char *query1(const char *sql, const char *arg)
{
	static char buf[512];
	struct yl_stmt *st;
	bool row;

	assert_int_equal(yl_store_prepare(T.store, sql, &st, &T.diag), YL_OK);
	yl_stmt_bind_text(st, 1, arg);
	assert_int_equal(yl_stmt_step(st, &row, &T.diag), YL_OK);
	assert_true(row);
	snprintf(buf, sizeof(buf), "%s", yl_stmt_text(st, 0));
	yl_stmt_reset(st);
	return buf;
}

static void test_jsonl_success(void **state)
{
	char a[19], b[19], c[19], text[1024];
	int64_t n = ylt_count(&T, "residents"), audits = ylt_count(&T, "audit_log");
	(void)state;

	ylt_id_number(a, "440106", "19500101", 11);
	ylt_id_number(b, "440106", "19900202", 12);
	ylt_id_number(c, "440106", "20210303", 13);
	snprintf(text, sizeof(text),
		 "{\"id_number\":\"%s\",\"name\":\"甲\",\"home_area_code\":\"440106001\","
		 "\"tags\":[\"hypertension\"]}\n"
		 "\n"
		 "{\"id_number\":\"%s\",\"name\":\"乙\",\"home_area_code\":\"440106002\","
		 "\"tags\":[\"pregnant\"],\"sex\":\"female\"}\r\n"
		 "{\"id_number\":\"%s\",\"name\":\"丙\",\"home_area_code\":\"440106\"}",
		 a, b, c);
	ylt_cli_write_file(T.dir, "residents.jsonl", text);
	assert_int_equal(import("residents.jsonl", NULL), 0);
	assert_non_null(strstr(OUT, "imported 3 residents in "));
	assert_int_equal(ylt_count(&T, "residents"), n + 3);
	/* one summary audit row, none per resident */
	assert_int_equal(ylt_count(&T, "audit_log"), audits + 1);
	assert_non_null(strstr(query1("SELECT detail FROM audit_log WHERE action = ?"
				      " ORDER BY id DESC LIMIT 1", "import"), "3 rows from /"));
}

static void test_jsonl_bad_row_imports_nothing(void **state)
{
	char a[19], b[19], text[1024];
	int64_t n = ylt_count(&T, "residents"), audits = ylt_count(&T, "audit_log");
	(void)state;

	ylt_id_number(a, "440106", "19600101", 21);
	ylt_id_number(b, "440106", "19600102", 22);
	b[17] = b[17] == '1' ? '2' : '1';
	snprintf(text, sizeof(text),
		 "{\"id_number\":\"%s\",\"name\":\"a\",\"home_area_code\":\"440106\"}\n"
		 "\n"
		 "{\"id_number\":\"%s\",\"name\":\"b\",\"home_area_code\":\"440106\"}\n"
		 "{\"id_number\":\"%s\",\"name\":\"c\",\"home_area_code\":\"440106\"}\n",
		 a, b, a);
	ylt_cli_write_file(T.dir, "bad.jsonl", text);
	assert_int_equal(import("bad.jsonl", "--entity residents"), 65);
	assert_non_null(strstr(ERR, "bad.jsonl:3: id_number: "));
	assert_int_equal(ylt_count(&T, "residents"), n);
	assert_int_equal(ylt_count(&T, "audit_log"), audits);
	/* a duplicate further down also rolls back the rows before it */
	ylt_id_number(b, "440106", "19600102", 22);
	snprintf(text, sizeof(text),
		 "{\"id_number\":\"%s\",\"name\":\"a\",\"home_area_code\":\"440106\"}\n"
		 "{\"id_number\":\"%s\",\"name\":\"b\",\"home_area_code\":\"440106\"}\n"
		 "{\"id_number\":\"%s\",\"name\":\"c\",\"home_area_code\":\"440106\"}\n",
		 a, b, a);
	ylt_cli_write_file(T.dir, "residents.ndjson", text);
	assert_int_equal(import("residents.ndjson", NULL), 75);
	assert_non_null(strstr(ERR, "residents.ndjson:3: id_number: "));
	assert_int_equal(ylt_count(&T, "residents"), n);
	/* malformed JSON, and an unknown area */
	ylt_cli_write_file(T.dir, "residents.jsonl", "{\"id_number\":\"x\",\n");
	assert_int_equal(import("residents.jsonl", NULL), 65);
	assert_non_null(strstr(ERR, "residents.jsonl:1: malformed JSON"));
	snprintf(text, sizeof(text),
		 "{\"id_number\":\"%s\",\"name\":\"a\",\"home_area_code\":\"440199\"}\n", a);
	ylt_cli_write_file(T.dir, "residents.jsonl", text);
	assert_int_equal(import("residents.jsonl", NULL), 66);
	assert_non_null(strstr(ERR, "residents.jsonl:1: home_area_code: "));
	assert_int_equal(ylt_count(&T, "residents"), n);
}

static void test_csv_quoting(void **state)
{
	char a[19], b[19], text[1024];
	int64_t n = ylt_count(&T, "residents");
	(void)state;

	ylt_id_number(a, "440106", "19700101", 31);
	ylt_id_number(b, "440106", "19700102", 32);
	snprintf(text, sizeof(text),
		 "\xEF\xBB\xBFid_number,name,home_area_code,tags,phone\r\n"
		 "%s,\"Wang, \"\"Ah\"\" Wei\",440106001,hypertension;diabetes,\r\n"
		 "%s,\"两行\n名字\",440106002,,13800000000\r\n",
		 a, b);
	ylt_cli_write_file(T.dir, "residents.csv", text);
	assert_int_equal(import("residents.csv", NULL), 0);
	assert_non_null(strstr(OUT, "imported 2 residents"));
	assert_int_equal(ylt_count(&T, "residents"), n + 2);
	assert_string_equal(query1("SELECT name FROM residents WHERE id_number = ?", a),
			    "Wang, \"Ah\" Wei");
	assert_string_equal(query1("SELECT tags FROM residents WHERE id_number = ?", a), "3");
	assert_string_equal(query1("SELECT coalesce(phone, 'none') FROM residents"
				   " WHERE id_number = ?", a), "none");
	assert_string_equal(query1("SELECT name FROM residents WHERE id_number = ?", b),
			    "两行\n名字");
}

static void test_csv_errors_name_the_line(void **state)
{
	char a[19], b[19], text[1024];
	int64_t n = ylt_count(&T, "residents");
	(void)state;

	ylt_id_number(a, "440106", "19400101", 41);
	ylt_id_number(b, "440106", "19400102", 42);
	/* the bad row starts on line 4 because row 2 spans two lines */
	snprintf(text, sizeof(text),
		 "id_number,name,home_area_code,tags\n"
		 "%s,\"a\nb\",440106,\n"
		 "%s,c,440106,elderly_65\n",
		 a, b);
	ylt_cli_write_file(T.dir, "residents.csv", text);
	assert_int_equal(import("residents.csv", NULL), 65);
	assert_non_null(strstr(ERR, "residents.csv:4: tags: elderly_65 is derived from age"));
	assert_int_equal(ylt_count(&T, "residents"), n);
	/* field count, stray quote, unterminated quote */
	ylt_cli_write_file(T.dir, "residents.csv", "id_number,name,home_area_code\nx,y\n");
	assert_int_equal(import("residents.csv", NULL), 65);
	assert_non_null(strstr(ERR, "residents.csv:2: 2 fields where the header has 3"));
	ylt_cli_write_file(T.dir, "residents.csv", "id_number,name,home_area_code\n\nx,a\"b,c\n");
	assert_int_equal(import("residents.csv", NULL), 65);
	assert_non_null(strstr(ERR, "residents.csv:3: quote inside an unquoted field"));
	ylt_cli_write_file(T.dir, "residents.csv", "id_number,name,home_area_code\nx,\"y\n\n");
	assert_int_equal(import("residents.csv", NULL), 65);
	assert_non_null(strstr(ERR, "not closed"));
	ylt_cli_write_file(T.dir, "residents.csv", "");
	assert_int_equal(import("residents.csv", NULL), 65);
	assert_non_null(strstr(ERR, "header row is required"));
	ylt_cli_write_file(T.dir, "residents.csv", "id_number,name,name\n");
	assert_int_equal(import("residents.csv", NULL), 65);
	assert_non_null(strstr(ERR, "appears twice"));
	assert_int_equal(ylt_count(&T, "residents"), n);
}

static void test_csv_institutions_typed_cells(void **state)
{
	int64_t n = ylt_count(&T, "institutions");
	(void)state;

	ylt_cli_write_file(T.dir, "institutions.csv",
			   "code,name,level,kind,area_code,beds,township_centre_id\n"
			   "V-101,村卫生室101,village,,440106001,0,3\n"
			   "H-102,专科医院,secondary,specialty,440106,120,\n");
	assert_int_equal(import("institutions.csv", NULL), 0);
	assert_int_equal(ylt_count(&T, "institutions"), n + 2);
	ylt_cli_write_file(T.dir, "institutions.csv",
			   "code,name,level,area_code,beds\nX-1,x,primary,440106,many\n");
	assert_int_equal(import("institutions.csv", NULL), 65);
	assert_non_null(strstr(ERR, "institutions.csv:2: beds: beds must be an integer"));
	assert_int_equal(ylt_count(&T, "institutions"), n + 2);
}

/* The entities of the other registry modules go through the same table: typed cells (bool,
 * int, id lists) for practitioners and teams. */
static void test_csv_practitioners_and_teams(void **state)
{
	int64_t p = ylt_count(&T, "practitioners"), t = ylt_count(&T, "teams");
	(void)state;

	ylt_cli_write_file(T.dir, "practitioners.csv",
			   "name,title,general_practitioner,licence_no,institution_id\n"
			   "全科甲,attending_physician,true,L-9001,3\n"
			   "护士乙,nurse,false,,3\n");
	assert_int_equal(import("practitioners.csv", NULL), 0);
	assert_int_equal(ylt_count(&T, "practitioners"), p + 2);
	ylt_cli_write_file(T.dir, "teams.csv",
			   "name,institution_id,leader_id,capacity,member_ids\n"
			   "五山一队,3,1,500,1;2\n");
	assert_int_equal(import("teams.csv", NULL), 0);
	assert_int_equal(ylt_count(&T, "teams"), t + 1);
	ylt_cli_write_file(T.dir, "teams.csv", "name,institution_id,leader_id\n二队,3,9999\n");
	assert_int_equal(import("teams.csv", NULL), 66);
	assert_non_null(strstr(ERR, "teams.csv:2: leader_id: "));
	assert_int_equal(ylt_count(&T, "teams"), t + 1);
}

static void test_usage_errors(void **state)
{
	(void)state;
	ylt_cli_write_file(T.dir, "people.jsonl", "");
	assert_int_equal(import("people.jsonl", NULL), 64);
	assert_non_null(strstr(ERR, "unknown entity 'people'"));
	assert_int_equal(import("people.jsonl", "--entity residents"), 0);
	assert_non_null(strstr(OUT, "imported 0 residents"));
	ylt_cli_write_file(T.dir, "residents.txt", "");
	assert_int_equal(import("residents.txt", NULL), 64);
	assert_int_equal(import("missing.jsonl", "--entity residents"), 66);
}

/* --- the CSV reader on its own --- */

struct parsed {
	int nrec;
	char rec[8][8][32];
	int ncells[8];
	long line[8];
	enum yl_err err;
	long err_line;
	char msg[256];
};

static void parse(const char *text, size_t len, struct parsed *p)
{
	FILE *f = fmemopen((void *)text, len, "rb");
	struct yl_csv r;
	struct yl_diag d;
	bool got;

	memset(p, 0, sizeof(*p));
	assert_non_null(f);
	yl_csv_init(&r, f);
	while (!(p->err = yl_csv_next(&r, &got, &d)) && got && p->nrec < 8) {
		p->ncells[p->nrec] = yl_csv_count(&r);
		p->line[p->nrec] = r.line;
		for (int i = 0; i < yl_csv_count(&r) && i < 8; i++)
			snprintf(p->rec[p->nrec][i], 32, "%s", yl_csv_cell(&r, i, NULL));
		p->nrec++;
	}
	if (p->err) {
		p->err_line = r.line;
		snprintf(p->msg, sizeof(p->msg), "%s", d.message);
	}
	yl_csv_release(&r);
	fclose(f);
}

#define PARSE(s, p) parse(s, sizeof(s) - 1, p)

static void test_csv_reader(void **state)
{
	struct parsed p;
	(void)state;

	PARSE("a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n", &p);
	assert_int_equal(p.err, YL_OK);
	assert_int_equal(p.nrec, 2);
	assert_int_equal(p.ncells[1], 3);
	assert_string_equal(p.rec[1][1], "x,y");
	assert_string_equal(p.rec[1][2], "say \"hi\"");
	/* BOM, embedded newline, line numbers, blank lines skipped, no final newline */
	PARSE("\xEF\xBB\xBFh1,h2\n\"two\nlines\",z\n\n\r\nlast,\"\"", &p);
	assert_int_equal(p.err, YL_OK);
	assert_int_equal(p.nrec, 3);
	assert_string_equal(p.rec[0][0], "h1");
	assert_string_equal(p.rec[1][0], "two\nlines");
	assert_int_equal(p.line[1], 2);
	assert_int_equal(p.line[2], 6);
	assert_string_equal(p.rec[2][1], "");
	/* empty cells and a trailing comma */
	PARSE(",,\n", &p);
	assert_int_equal(p.ncells[0], 3);
	/* a lone 0xEF is data, not a BOM */
	PARSE("\xEF,x\n", &p);
	assert_int_equal(p.err, YL_OK);
	assert_string_equal(p.rec[0][0], "\xEF");
	PARSE("", &p);
	assert_int_equal(p.err, YL_OK);
	assert_int_equal(p.nrec, 0);
}

static void test_csv_reader_errors(void **state)
{
	struct parsed p;
	(void)state;

	PARSE("a,b\n1,\"open\n\n", &p);
	assert_int_equal(p.err, YL_ERR_INVALID);
	assert_non_null(strstr(p.msg, "opened on line 2"));
	PARSE("a,b\nx\"y,z\n", &p);
	assert_int_equal(p.err, YL_ERR_INVALID);
	assert_int_equal(p.err_line, 2);
	PARSE("a,b\n\"x\"y,z\n", &p);
	assert_int_equal(p.err, YL_ERR_INVALID);
	assert_non_null(strstr(p.msg, "after a closing quote"));
	PARSE("a,b\rc\n", &p);
	assert_int_equal(p.err, YL_ERR_INVALID);
	assert_int_equal(p.err_line, 1);
	PARSE("a,b\n\n\nc\0d\n", &p);
	assert_int_equal(p.err, YL_ERR_INVALID);
	assert_int_equal(p.err_line, 4);
	assert_non_null(strstr(p.msg, "NUL"));
}

static void test_jsonl_reader(void **state)
{
	static const char text[] = "\xEF\xBB\xBF{\"a\":1}\r\n  \n[1]\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "rb");
	struct yl_jsonl *r = malloc(sizeof(*r));
	struct yl_diag d;
	json_t *o;
	(void)state;

	yl_jsonl_init(r, f);
	assert_int_equal(yl_jsonl_next(r, &o, &d), YL_OK);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "a")), 1);
	json_decref(o);
	assert_int_equal(yl_jsonl_next(r, &o, &d), YL_ERR_BAD_JSON);
	assert_int_equal(r->line_no, 3);
	yl_jsonl_release(r);
	free(r);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonl_success),
		cmocka_unit_test(test_jsonl_bad_row_imports_nothing),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_errors_name_the_line),
		cmocka_unit_test(test_csv_institutions_typed_cells),
		cmocka_unit_test(test_csv_practitioners_and_teams),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_csv_reader),
		cmocka_unit_test(test_csv_reader_errors),
		cmocka_unit_test(test_jsonl_reader),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
