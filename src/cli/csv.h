/* csv.h - a streaming RFC 4180 reader for the importer: comma-separated fields, records
 * ended by CRLF or LF, fields quoted with '"' (a doubled quote inside means one quote) that
 * may hold commas and line breaks, an optional UTF-8 byte-order mark at the start.
 *
 * It is strict where a guess would corrupt data: a quote inside an unquoted field, text after
 * a closing quote, a bare CR, a NUL byte or an unterminated quote is an error naming the line.
 * Blank lines are skipped. Cells are bytes: UTF-8 validity is the caller's business. Every
 * buffer is capped (YL_CSV_MAX_CELL bytes per cell, YL_CSV_MAX_CELLS cells per record).
 */
#ifndef YL_CLI_CSV_H
#define YL_CLI_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/diag.h"

enum { YL_CSV_MAX_CELL = 64 * 1024, YL_CSV_MAX_CELLS = 256 };

struct yl_csv {
	FILE *f;             /* borrowed */
	struct yl_buf data;  /* the current record's cells, each NUL-terminated */
	size_t offs[YL_CSV_MAX_CELLS];
	size_t lens[YL_CSV_MAX_CELLS];
	int ncells;
	long line;           /* line on which the current record starts (1-based); after an
				error, the line at fault */
	long next_line;      /* line the next record starts on */
	bool started;        /* the byte-order mark has been looked for */
	unsigned char back[4]; /* bytes read ahead and given back (a BOM that was not one) */
	int nback;
};

/* Prepares r to read f (borrowed; not closed by yl_csv_release). */
void yl_csv_init(struct yl_csv *r, FILE *f);
/* Frees r's buffers; f is left open. */
void yl_csv_release(struct yl_csv *r);
/* Reads the next record. *got is false at end of input (then YL_OK). Errors: YL_ERR_INVALID
 * saying what is wrong (the line is in r->line, not in the message), YL_ERR_IO when reading
 * fails. After an error the reader must not be used again. */
enum yl_err yl_csv_next(struct yl_csv *r, bool *got, struct yl_diag *d);
/* Number of cells in the current record. */
int yl_csv_count(const struct yl_csv *r);
/* Cell i of the current record (NUL-terminated; may contain no NUL) and its length in *len
 * (may be NULL). Borrowed until the next yl_csv_next. i must be < yl_csv_count. A quoted
 * empty cell ("") and an empty cell read the same. */
const char *yl_csv_cell(const struct yl_csv *r, int i, size_t *len);

#endif
