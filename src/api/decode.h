/* decode.h - JSON object -> domain struct, one decoder per writable resource.
 *
 * The API handlers and the importer (JSON Lines and CSV rows) call the same decoder, so a
 * field is validated the same way whatever face it came through. Each decoder rejects
 * unknown keys, checks types and lengths, copies strings into c->arena and reports the field
 * at fault in c->diag. Decoders never touch the store: the domain function that follows
 * checks the rules that need data.
 *
 * For CSV, yl_decode_field_kind tells the importer which columns are integers, booleans or
 * string arrays, so a cell can be turned into the right JSON type before decoding.
 */
#ifndef YL_API_DECODE_H
#define YL_API_DECODE_H

#include <jansson.h>

#include "domain/ctx.h"

struct yl_area;
struct yl_institution;
struct yl_consortium;
struct yl_department;
struct yl_encounter;
struct yl_practitioner;
struct yl_resident;
struct yl_team;
struct yl_user;

enum yl_field_kind { YL_FIELD_STRING = 0, YL_FIELD_INT, YL_FIELD_BOOL, YL_FIELD_STRING_LIST };

enum yl_err yl_decode_area(const struct yl_ctx *c, json_t *obj, struct yl_area *out);
enum yl_err yl_decode_institution(const struct yl_ctx *c, json_t *obj, struct yl_institution *out);
enum yl_err yl_decode_consortium(const struct yl_ctx *c, json_t *obj, struct yl_consortium *out);
enum yl_err yl_decode_department(const struct yl_ctx *c, json_t *obj, struct yl_department *out);
enum yl_err yl_decode_practitioner(const struct yl_ctx *c, json_t *obj, struct yl_practitioner *out);
enum yl_err yl_decode_resident(const struct yl_ctx *c, json_t *obj, struct yl_resident *out);
/* Encounters: costs either as a nested `costs` object {drugs, consumables, exams, treatment,
 * bed, other} or as flat cost_<category> fields (CSV), not both; a category left out is 0.
 * diagnoses is an array of codes (a ';' list in CSV). */
enum yl_err yl_decode_encounter(const struct yl_ctx *c, json_t *obj, struct yl_encounter *out);
enum yl_err yl_decode_team(const struct yl_ctx *c, json_t *obj, struct yl_team *out);

/* The JSON type a CSV column of `entity` ("areas", "residents", ...) must become. */
enum yl_field_kind yl_decode_field_kind(const char *entity, const char *column);

#endif
