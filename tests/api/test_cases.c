/* test_cases.c - the data-driven API suite: every tests/api/cases/NAME.case file is run, one
 * cmocka test per case, against a real server (ylt_server_start) over real HTTP. fixture.case
 * runs first, in the group setup, and builds the known world the other files refer to; the
 * other files follow in name order, their cases in file order. For every case that expects
 * a non-2xx answer the runner also proves the database unchanged (row count and a content
 * digest of every table before and after). This file knows no endpoint: cases live in data.
 *
 * Case file format (see also cases/README.md). A file is a list of blocks separated by blank
 * lines; a line whose first non-blank character is '#' is a comment. Each line of a block is
 * "key: value":
 *
 *   name: resident with a bad checksum       what the case checks (required)
 *   as: admin                                a user of the fixture, "none" (no Authorization
 *                                            header) or "token:<text>" (sends "Bearer <text>");
 *                                            default admin
 *   request: POST /api/v1/residents          method and path with query (required)
 *   body: {"id_number":"…"}                  request body; several body lines are joined by
 *                                            a newline; "body:" alone is an empty body
 *   raw-body: {"name":"\xff"}                a body line in which \xHH is a byte and \\ a
 *                                            backslash (invalid UTF-8, NUL bytes)
 *   body-repeat: N                           the body so far is repeated N times
 *   body-pad-to: N                           spaces are appended until the body has N bytes
 *   status: 422                              expected HTTP status (required)
 *   code: bad_id_number                      expected error.code (required unless 2xx)
 *   field: id_number                         expected error.field, "null" for JSON null
 *                                            (required unless 2xx)
 *   expect: key=value                        a member of the response, compared as text
 *                                            (strings raw, "(absent)", other values as compact
 *                                            JSON); key may be a dotted path such as
 *                                            data.0.id (array index 0); repeatable
 *
 * On as, request, status, code, field, body-repeat and body-pad-to a " #" starts a comment.
 * A successful response carrying both "username" and "token" registers that token, so later
 * cases may say "as: <username>". Errors must also carry a non-empty error.message.
 */
#include "yltest.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

enum {
	MAX_TABLES = 64,
	MAX_USERS = 64,
	MAX_EXPECT = 16,
	MAX_FILE = 4 * 1024 * 1024,
	MAX_BODY = 16 * 1024 * 1024,
	MSG_CAP = 4096,
	SHOW_BODY = 700,
};

struct expect {
	char *key;
	char *value;
};

struct tcase {
	char *file;    /* base name, for messages */
	int line;      /* first line of the block */
	char *title;   /* "file:line name", the cmocka test name */
	char *name;
	char *as;
	char *method;
	char *path;
	struct yl_buf body;
	bool has_body;
	long repeat;   /* 0 when not given */
	long pad_to;   /* 0 when not given */
	long status;
	char *code;
	char *field;   /* "null" for a JSON null */
	struct expect expect[MAX_EXPECT];
	int nexpect;
};

struct user_token {
	char name[65];
	char token[128];
};

struct snapshot {
	int64_t rows[MAX_TABLES];
	uint64_t digest[MAX_TABLES];
};

/* The tables the brief lists; the runner refuses to run if one is missing from the schema,
 * so the unchanged-database check can never silently shrink. */
static const char *const required_tables[] = {
	"areas", "institutions", "consortia", "consortium_members", "departments", "practitioners",
	"practice_sites", "residents", "teams", "team_members", "contracts", "users", "tokens",
	"audit_log", "settings", NULL,
};

static struct ylt_server S;
static struct tcase *cases;
static size_t ncases, cap_cases;
static size_t nfixture; /* cases[0..nfixture) come from fixture.case */
static struct user_token users[MAX_USERS];
static int nusers;
static char *tables[MAX_TABLES];
static char *digest_sql[MAX_TABLES];
static int ntables;

/* ---- parsing ---------------------------------------------------------------------------- */

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		abort();
	return p;
}

static void case_free(struct tcase *c)
{
	free(c->file);
	free(c->title);
	free(c->name);
	free(c->as);
	free(c->method);
	free(c->path);
	free(c->code);
	free(c->field);
	for (int i = 0; i < c->nexpect; i++) {
		free(c->expect[i].key);
		free(c->expect[i].value);
	}
	yl_buf_release(&c->body);
}

/* Cuts a trailing " #comment" and trailing blanks off v (in place). */
static void cut_comment(char *v)
{
	char *h = strstr(v, " #");
	size_t n;

	if (!h)
		h = strstr(v, "\t#");
	if (h)
		*h = '\0';
	n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		v[--n] = '\0';
}

static bool parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!*s)
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Appends a raw-body line: \xHH is one byte, \\ a backslash, anything else literal. */
static bool add_raw(struct yl_buf *b, const char *v)
{
	while (*v) {
		if (v[0] == '\\' && v[1] == '\\') {
			yl_buf_addc(b, '\\');
			v += 2;
		} else if (v[0] == '\\' && v[1] == 'x') {
			int hi = hexval(v[2]), lo = hi < 0 ? -1 : hexval(v[3]);
			if (lo < 0)
				return false;
			yl_buf_addc(b, (char)(hi * 16 + lo));
			v += 4;
		} else {
			yl_buf_addc(b, *v++);
		}
	}
	return true;
}

static bool set_once(char **slot, const char *v)
{
	if (*slot)
		return false;
	*slot = xstrdup(v);
	return true;
}

/* Applies one "key: value" line to c; returns an error text or NULL. */
static const char *apply_line(struct tcase *c, const char *key, char *v)
{
	if (strcmp(key, "body") == 0 || strcmp(key, "raw-body") == 0) {
		if (c->has_body)
			yl_buf_addc(&c->body, '\n');
		c->has_body = true;
		if (key[0] == 'r')
			return add_raw(&c->body, v) ? NULL : "bad \\x escape in raw-body";
		yl_buf_adds(&c->body, v);
		return NULL;
	}
	if (strcmp(key, "name") == 0)
		return set_once(&c->name, v) ? NULL : "name given twice";
	if (strcmp(key, "expect") == 0) {
		char *eq = strchr(v, '=');
		if (!eq || eq == v)
			return "expect needs key=value";
		if (c->nexpect == MAX_EXPECT)
			return "too many expect lines";
		*eq = '\0';
		c->expect[c->nexpect].key = xstrdup(v);
		c->expect[c->nexpect++].value = xstrdup(eq + 1);
		return NULL;
	}
	cut_comment(v);
	if (strcmp(key, "as") == 0)
		return set_once(&c->as, v) ? NULL : "as given twice";
	if (strcmp(key, "code") == 0)
		return set_once(&c->code, v) ? NULL : "code given twice";
	if (strcmp(key, "field") == 0)
		return set_once(&c->field, v) ? NULL : "field given twice";
	if (strcmp(key, "status") == 0)
		return c->status == 0 && parse_long(v, 100, 599, &c->status) ? NULL
									   : "status must be given once, 100-599";
	if (strcmp(key, "body-repeat") == 0)
		return parse_long(v, 1, MAX_BODY, &c->repeat) ? NULL : "bad body-repeat";
	if (strcmp(key, "body-pad-to") == 0)
		return parse_long(v, 1, MAX_BODY, &c->pad_to) ? NULL : "bad body-pad-to";
	if (strcmp(key, "request") == 0) {
		char *sp = strchr(v, ' ');
		if (c->method || !sp || sp == v || sp[1] != '/')
			return "request must be given once as 'METHOD /path'";
		*sp = '\0';
		c->method = xstrdup(v);
		c->path = xstrdup(sp + 1);
		return NULL;
	}
	return "unknown key";
}

static const char *check_case(struct tcase *c, size_t *size_out)
{
	size_t size;

	if (!c->name)
		return "case has no name";
	if (!c->method)
		return "case has no request";
	if (!c->status)
		return "case has no status";
	if ((c->status < 200 || c->status > 299) && (!c->code || !c->field))
		return "an error case needs code and field (field: null for none)";
	if ((c->repeat || c->pad_to) && !c->has_body)
		return "body-repeat and body-pad-to need a body";
	size = c->body.len * (size_t)(c->repeat ? c->repeat : 1);
	if (size > MAX_BODY || (size_t)c->pad_to > MAX_BODY)
		return "body too large for the runner";
	if (c->pad_to && (size_t)c->pad_to < size)
		return "body-pad-to is smaller than the body";
	*size_out = size;
	return NULL;
}

static struct tcase *new_case(const char *file, int line)
{
	struct tcase *c;

	if (ncases == cap_cases) {
		cap_cases = cap_cases ? cap_cases * 2 : 256;
		cases = realloc(cases, cap_cases * sizeof(*cases));
		if (!cases)
			abort();
	}
	c = &cases[ncases++];
	memset(c, 0, sizeof(*c));
	yl_buf_init(&c->body);
	c->file = xstrdup(file);
	c->line = line;
	return c;
}

static int finish_case(struct tcase *c)
{
	struct yl_buf t = YL_BUF_INIT;
	const char *err;
	size_t size;

	err = check_case(c, &size);
	if (err) {
		fprintf(stderr, "%s:%d: %s\n", c->file, c->line, err);
		return -1;
	}
	if (!c->as)
		c->as = xstrdup("admin");
	yl_buf_addf(&t, "%s:%d %s", c->file, c->line, c->name);
	c->title = yl_buf_detach(&t, NULL);
	return 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	size_t n;

	if (!f)
		return NULL;
	data = malloc(MAX_FILE + 1);
	if (!data)
		abort();
	n = fread(data, 1, MAX_FILE + 1, f);
	fclose(f);
	if (n > MAX_FILE) {
		free(data);
		return NULL;
	}
	data[n] = '\0';
	*len = n;
	return data;
}

/* Parses one case file and appends its cases; -1 (after a message) on a format error. */
static int parse_file(const char *dir, const char *fname)
{
	char path[1024];
	size_t len;
	char *data, *p, *next;
	struct tcase *c = NULL;
	int lineno = 0, rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, fname);
	data = read_file(path, &len);
	if (!data) {
		fprintf(stderr, "%s: cannot read (or larger than %d bytes)\n", path, MAX_FILE);
		return -1;
	}
	for (p = data; rc == 0 && p < data + len; p = next) {
		char *line = p, *colon, *v, *eol = memchr(p, '\n', (size_t)(data + len - p));
		const char *err;
		size_t n;

		next = eol ? eol + 1 : data + len;
		n = (size_t)((eol ? eol : data + len) - line);
		line[n] = '\0';
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		lineno++;
		v = line + strspn(line, " \t");
		if (*v == '#')
			continue;
		if (*v == '\0') {
			if (c)
				rc = finish_case(c);
			c = NULL;
			continue;
		}
		colon = strchr(line, ':');
		if (!colon || line[0] == ' ' || line[0] == '\t') {
			fprintf(stderr, "%s:%d: expected 'key: value'\n", fname, lineno);
			rc = -1;
			break;
		}
		*colon = '\0';
		v = colon + 1;
		if (*v == ' ')
			v++;
		if (!c)
			c = new_case(fname, lineno);
		err = apply_line(c, line, v);
		if (err) {
			fprintf(stderr, "%s:%d: %s ('%s')\n", fname, lineno, err, line);
			rc = -1;
		}
	}
	if (rc == 0 && c)
		rc = finish_case(c);
	free(data);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *cases_dir(void)
{
	static char dir[1024];
	const char *env = getenv("YL_CASES_DIR");
	const char *slash = strrchr(__FILE__, '/');

	if (env && *env)
		return env;
	/* CMake compiles with absolute source paths, so __FILE__ locates the data. */
	if (!slash)
		return "cases";
	snprintf(dir, sizeof(dir), "%.*s/cases", (int)(slash - __FILE__), __FILE__);
	return dir;
}

/* Loads fixture.case, then every other *.case in name order. */
static int load_cases(void)
{
	const char *dir = cases_dir();
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".case") != 0 ||
		    strcmp(e->d_name, "fixture.case") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	rc = parse_file(dir, "fixture.case");
	nfixture = ncases;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = parse_file(dir, names[i]);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* ---- the database check ---------------------------------------------------------------- */

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Fills *out with the names returned by sql (one text column, one optional text bind). */
static int query_names(const char *sql, const char *bind, char **out, int max)
{
	struct yl_stmt *st;
	bool row;
	int n = 0;

	if (yl_store_prepare(S.db.store, sql, &st, &S.db.diag))
		return -1;
	if (bind)
		yl_stmt_bind_text(st, 1, bind);
	while (yl_stmt_step(st, &row, &S.db.diag) == YL_OK && row && n < max)
		out[n++] = xstrdup(yl_stmt_text(st, 0));
	yl_stmt_reset(st);
	return n;
}

/* Lists the tables from sqlite_master and builds one digest query per table: every column
 * through quote(), so NULL, 0 and '' differ, in rowid order. */
static int load_tables(void)
{
	ntables = query_names("SELECT name FROM sqlite_master WHERE type = 'table'"
			      " AND name NOT LIKE 'sqlite_%' ORDER BY name", NULL, tables, MAX_TABLES);
	if (ntables <= 0)
		return -1;
	for (int i = 0; required_tables[i]; i++) {
		int k = 0;
		while (k < ntables && strcmp(tables[k], required_tables[i]) != 0)
			k++;
		if (k == ntables) {
			fprintf(stderr, "schema has no table %s\n", required_tables[i]);
			return -1;
		}
	}
	for (int t = 0; t < ntables; t++) {
		char *cols[128];
		struct yl_buf sql = YL_BUF_INIT;
		int n = query_names("SELECT name FROM pragma_table_info(?) ORDER BY cid", tables[t],
				    cols, 128);

		if (n <= 0)
			return -1;
		yl_buf_adds(&sql, "SELECT ");
		for (int k = 0; k < n; k++) {
			yl_buf_addf(&sql, "%squote(\"%s\")", k ? " || '|' || " : "", cols[k]);
			free(cols[k]);
		}
		yl_buf_addf(&sql, " FROM \"%s\" ORDER BY rowid", tables[t]);
		digest_sql[t] = yl_buf_detach(&sql, NULL);
	}
	return 0;
}

static void take_snapshot(struct snapshot *s)
{
	for (int t = 0; t < ntables; t++) {
		struct yl_stmt *st;
		bool row;
		uint64_t h = 0xcbf29ce484222325ULL;

		s->rows[t] = ylt_count(&S.db, tables[t]);
		if (yl_store_prepare(S.db.store, digest_sql[t], &st, &S.db.diag))
			fail_msg("digest %s: %s", tables[t], S.db.diag.message);
		while (yl_stmt_step(st, &row, &S.db.diag) == YL_OK && row)
			h = fnv1a(fnv1a(h, yl_stmt_text(st, 0)), "\n");
		yl_stmt_reset(st);
		s->digest[t] = h;
	}
}

/* Describes the first difference between two snapshots into msg; false when identical. */
static bool snapshot_differs(const struct snapshot *a, const struct snapshot *b, char *msg,
			     size_t cap)
{
	for (int t = 0; t < ntables; t++) {
		if (a->rows[t] != b->rows[t]) {
			snprintf(msg, cap, "table %s: %" PRId64 " rows before, %" PRId64 " after",
				 tables[t], a->rows[t], b->rows[t]);
			return true;
		}
		if (a->digest[t] != b->digest[t]) {
			snprintf(msg, cap, "table %s: same row count, contents changed", tables[t]);
			return true;
		}
	}
	return false;
}

/* ---- running a case --------------------------------------------------------------------- */

static const char *token_of(const char *user)
{
	for (int i = 0; i < nusers; i++)
		if (strcmp(users[i].name, user) == 0)
			return users[i].token;
	return NULL;
}

static void remember_token(const json_t *obj)
{
	const char *u = json_string_value(json_object_get(obj, "username"));
	const char *t = json_string_value(json_object_get(obj, "token"));

	if (!u || !t || nusers == MAX_USERS || token_of(u))
		return;
	snprintf(users[nusers].name, sizeof(users[nusers].name), "%s", u);
	snprintf(users[nusers].token, sizeof(users[nusers].token), "%s", t);
	nusers++;
}

/* The member at a dotted path ("data.0.id": key data, array index 0, key id), or NULL. */
static json_t *at_path(json_t *v, const char *path)
{
	char seg[128];

	while (v && *path) {
		size_t n = strcspn(path, ".");
		char *end;
		unsigned long i;

		snprintf(seg, sizeof(seg), "%.*s", (int)n, path);
		path += n + (path[n] == '.');
		if (json_is_array(v) && seg[0] >= '0' && seg[0] <= '9') {
			i = strtoul(seg, &end, 10);
			v = *end ? NULL : json_array_get(v, i);
		} else {
			v = json_object_get(v, seg);
		}
	}
	return v;
}

/* The text a value is compared as: strings raw, "(absent)", else compact JSON. */
static char *value_text(json_t *v)
{
	if (!v)
		return xstrdup("(absent)");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* The body the case sends, repeated and padded (caller frees). */
static char *build_body(const struct tcase *c, size_t *len)
{
	struct yl_buf b = YL_BUF_INIT;
	long times = c->repeat ? c->repeat : 1;

	for (long i = 0; i < times; i++)
		yl_buf_add(&b, c->body.data ? c->body.data : "", c->body.len);
	while (c->pad_to && b.len < (size_t)c->pad_to)
		yl_buf_addc(&b, ' ');
	if (!b.data)
		yl_buf_add(&b, "", 0);
	return yl_buf_detach(&b, len);
}

/* Checks the error envelope against code and field; appends what is wrong to m. */
static void check_error(const struct tcase *c, const struct ylt_resp *r, struct yl_buf *m)
{
	json_t *e = json_object_get(r->json, "error"), *f = json_object_get(e, "field");
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));

	if (!json_is_object(e)) {
		yl_buf_adds(m, "; no error object");
		return;
	}
	if (!code || strcmp(code, c->code) != 0)
		yl_buf_addf(m, "; code %s, expected %s", code ? code : "(none)", c->code);
	if (!msg || !*msg)
		yl_buf_adds(m, "; error.message missing or empty");
	if (strcmp(c->field, "null") == 0) {
		if (!json_is_null(f))
			yl_buf_addf(m, "; field %s, expected null",
				    json_is_string(f) ? json_string_value(f) : "(not null)");
	} else if (!json_is_string(f) || strcmp(json_string_value(f), c->field) != 0) {
		yl_buf_addf(m, "; field %s, expected %s",
			    json_is_string(f) ? json_string_value(f) : "null/absent", c->field);
	}
}

/* Runs case c; on a mismatch writes "file:line name: what" into msg and returns false. */
static bool run_case(const struct tcase *c, char *msg, size_t cap)
{
	struct yl_buf m = YL_BUF_INIT;
	struct snapshot before, after;
	struct ylt_resp r;
	const char *token = NULL;
	char diff[256];
	bool is_ok = c->status >= 200 && c->status <= 299;
	bool pass;

	if (strncmp(c->as, "token:", 6) == 0)
		token = c->as + 6;
	else if (strcmp(c->as, "none") != 0 && !(token = token_of(c->as))) {
		snprintf(msg, cap, "%s: unknown user '%s' in as:", c->title, c->as);
		return false;
	}
	if (!is_ok)
		take_snapshot(&before);
	if (c->has_body) {
		size_t len;
		char *body = build_body(c, &len);
		r = ylt_http_raw(&S, c->method, c->path, token, body, len);
		free(body);
	} else {
		r = ylt_http(&S, c->method, c->path, token, NULL);
	}
	if (r.status != c->status)
		yl_buf_addf(&m, "; status %ld, expected %ld", r.status, c->status);
	if (!r.json || !json_is_object(r.json))
		yl_buf_adds(&m, "; response is not a JSON object");
	else if (!is_ok)
		check_error(c, &r, &m);
	for (int i = 0; i < c->nexpect; i++) {
		char *got = value_text(at_path(r.json, c->expect[i].key));
		if (!got || strcmp(got, c->expect[i].value) != 0)
			yl_buf_addf(&m, "; %s is %s, expected %s", c->expect[i].key, got ? got : "?",
				    c->expect[i].value);
		free(got);
	}
	if (!is_ok) {
		take_snapshot(&after);
		if (snapshot_differs(&before, &after, diff, sizeof(diff)))
			yl_buf_addf(&m, "; database changed: %s", diff);
	} else if (r.status == c->status) {
		remember_token(r.json);
	}
	pass = m.len == 0;
	if (!pass)
		snprintf(msg, cap, "%s (%s %s)%s\n  response: %.*s%s", c->title, c->method, c->path,
			 yl_buf_str(&m), SHOW_BODY, r.body, strlen(r.body) > SHOW_BODY ? "…" : "");
	yl_buf_release(&m);
	ylt_resp_free(&r);
	return pass;
}

/* ---- cmocka glue ------------------------------------------------------------------------ */

static int group_setup(void **state)
{
	char msg[MSG_CAP];
	(void)state;

	ylt_server_start(&S);
	snprintf(users[0].name, sizeof(users[0].name), "admin");
	snprintf(users[0].token, sizeof(users[0].token), "%s", S.admin_token);
	nusers = 1;
	if (load_tables()) {
		fprintf(stderr, "cannot list the tables for the unchanged-database check\n");
		return -1;
	}
	for (size_t i = 0; i < nfixture; i++) {
		if (!run_case(&cases[i], msg, sizeof(msg))) {
			fprintf(stderr, "fixture failed: %s\n", msg);
			return -1;
		}
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	return 0;
}

static void test_case(void **state)
{
	const struct tcase *c = *state;
	char msg[MSG_CAP];

	if (!run_case(c, msg, sizeof(msg)))
		fail_msg("%s", msg);
}

int main(void)
{
	struct CMUnitTest *tests;
	size_t n;
	int rc;

	if (load_cases()) {
		for (size_t i = 0; i < ncases; i++)
			case_free(&cases[i]);
		free(cases);
		return 1;
	}
	n = ncases - nfixture;
	tests = calloc(n ? n : 1, sizeof(*tests));
	if (!tests)
		abort();
	for (size_t i = 0; i < n; i++) {
		tests[i].name = cases[nfixture + i].title;
		tests[i].test_func = test_case;
		tests[i].initial_state = &cases[nfixture + i];
	}
	rc = _cmocka_run_group_tests("api/cases", tests, n, group_setup, group_teardown);
	free(tests);
	for (size_t i = 0; i < ncases; i++)
		case_free(&cases[i]);
	free(cases);
	for (int t = 0; t < ntables; t++) {
		free(tables[t]);
		free(digest_sql[t]);
	}
	return rc;
}
