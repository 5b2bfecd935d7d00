/* jsonl.h - a streaming JSON Lines reader for the importer: one JSON object per line
 * (https://jsonlines.org), LF or CRLF line ends, blank lines skipped, an optional UTF-8
 * byte-order mark at the start.
 *
 * Lines are capped at YL_JSON_MAX_BODY bytes, the same cap as an API body, so a row that the
 * API would refuse as too large is refused here too. Objects are parsed by jansson with
 * duplicate keys rejected, exactly as yl_json_parse does for API bodies.
 */
#ifndef YL_CLI_JSONL_H
#define YL_CLI_JSONL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/diag.h"

enum { YL_JSONL_BLOCK = 64 * 1024 };

struct yl_jsonl {
	FILE *f;              /* borrowed */
	struct yl_buf line;   /* the current line */
	long line_no;         /* line of the object last returned, or of the error (1-based) */
	long next_line;
	char blk[YL_JSONL_BLOCK];
	size_t pos, end;      /* unread bytes of blk */
	bool started;         /* the byte-order mark has been looked for */
};

/* Prepares r to read f (borrowed; not closed by yl_jsonl_release). */
void yl_jsonl_init(struct yl_jsonl *r, FILE *f);
/* Frees r's line buffer; f is left open. */
void yl_jsonl_release(struct yl_jsonl *r);
/* Reads the next non-blank line as a JSON object. *obj is a new reference the caller must
 * json_decref, or NULL at end of input (then YL_OK). Errors (line in r->line_no, not in the
 * message): YL_ERR_BAD_JSON (malformed, with the column; or not an object), YL_ERR_TOO_LARGE,
 * YL_ERR_IO. After an error the reader must not be used again. */
enum yl_err yl_jsonl_next(struct yl_jsonl *r, json_t **obj, struct yl_diag *d);

#endif
