/* csv.c - the RFC 4180 reader: a byte-at-a-time state machine over a FILE (getc_unlocked, so
 * a large file costs one stdio buffer and no per-byte locking). Strict on purpose: a loose CSV
 * reader silently shifts columns, and an import that shifted columns would store wrong data
 * for a whole file.
 */
#include "cli/csv.h"

#include <string.h>

void yl_csv_init(struct yl_csv *r, FILE *f)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->next_line = 1;
}

void yl_csv_release(struct yl_csv *r)
{
	yl_buf_release(&r->data);
}

int yl_csv_count(const struct yl_csv *r)
{
	return r->ncells;
}

const char *yl_csv_cell(const struct yl_csv *r, int i, size_t *len)
{
	if (len)
		*len = r->lens[i];
	return r->data.data + r->offs[i];
}

static int get(struct yl_csv *r)
{
	if (r->nback)
		return r->back[--r->nback];
	return getc_unlocked(r->f);
}

/* Skips a UTF-8 byte-order mark at the very start; anything else is given back. */
static void skip_bom(struct yl_csv *r)
{
	int b[3], n = 0;

	r->started = true;
	while (n < 3) {
		b[n] = getc_unlocked(r->f);
		if (b[n] == EOF)
			break;
		n++;
		if (b[n - 1] != (n == 1 ? 0xEF : n == 2 ? 0xBB : 0xBF))
			break;
	}
	if (n == 3 && b[2] == 0xBF)
		return;
	while (n > 0)
		r->back[r->nback++] = (unsigned char)b[--n];
}

static enum yl_err fail(struct yl_csv *r, struct yl_diag *d, const char *what)
{
	r->line = r->next_line;
	if (ferror(r->f))
		return yl_diag_set(d, YL_ERR_IO, NULL, "read error");
	return yl_diag_set(d, YL_ERR_INVALID, NULL, "%s", what);
}

static void end_cell(struct yl_csv *r)
{
	r->lens[r->ncells] = r->data.len - r->offs[r->ncells];
	yl_buf_addc(&r->data, '\0');
	r->ncells++;
}

enum yl_err yl_csv_next(struct yl_csv *r, bool *got, struct yl_diag *d)
{
	int ch;

	*got = false;
	r->ncells = 0;
	yl_buf_reset(&r->data);
	if (!r->started)
		skip_bom(r);
	/* Skip blank lines (LF or CRLF alone). */
	for (;;) {
		ch = get(r);
		if (ch == '\n') {
			r->next_line++;
		} else if (ch == '\r') {
			if (get(r) != '\n')
				return fail(r, d, "carriage return not followed by a line feed");
			r->next_line++;
		} else {
			break;
		}
	}
	if (ch == EOF)
		return ferror(r->f) ? fail(r, d, "read error") : YL_OK;
	r->line = r->next_line;
	for (;;) {
		/* ch is the first byte of a cell. */
		if (r->ncells == YL_CSV_MAX_CELLS)
			return fail(r, d, "more than 256 fields in a record");
		r->offs[r->ncells] = r->data.len;
		if (ch == '"') {
			long opened = r->next_line;
			for (;;) {
				ch = get(r);
				if (ch == EOF) {
					char msg[80];
					snprintf(msg, sizeof(msg), "quoted field opened on line %ld is not closed",
						 opened);
					return fail(r, d, msg);
				}
				if (ch == '"') {
					ch = get(r);
					if (ch != '"')
						break;
				} else if (ch == '\n') {
					r->next_line++;
				} else if (ch == '\0') {
					return fail(r, d, "NUL byte in a field");
				}
				if (r->data.len - r->offs[r->ncells] >= YL_CSV_MAX_CELL)
					return fail(r, d, "field longer than 65536 bytes");
				yl_buf_addc(&r->data, (char)ch);
			}
			if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF)
				return fail(r, d, "unexpected character after a closing quote");
		} else {
			while (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF) {
				if (ch == '"')
					return fail(r, d, "quote inside an unquoted field (quote the whole field"
							  " and double the quote)");
				if (ch == '\0')
					return fail(r, d, "NUL byte in a field");
				if (r->data.len - r->offs[r->ncells] >= YL_CSV_MAX_CELL)
					return fail(r, d, "field longer than 65536 bytes");
				yl_buf_addc(&r->data, (char)ch);
				ch = get(r);
			}
		}
		end_cell(r);
		if (ch == ',') {
			ch = get(r);
			continue;
		}
		if (ch == '\r' && get(r) != '\n')
			return fail(r, d, "carriage return not followed by a line feed");
		if (ch == EOF && ferror(r->f))
			return fail(r, d, "read error");
		if (ch != EOF)
			r->next_line++;
		*got = true;
		return YL_OK;
	}
}
