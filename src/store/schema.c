/* schema.c - the database schema as numbered migrations. Append a migration; never edit a
 * released one. Constraints live here as well as in the domain code: the domain gives the
 * helpful error, the schema guarantees the invariant whatever writes the row.
 * SQL is kept portable between SQLite and PostgreSQL: INTEGER/BIGINT/TEXT, CHECK, partial
 * unique indexes, no AUTOINCREMENT or dialect functions.
 */
#include "store/schema.h"

#include <stddef.h>

static const char *const v1_registry[] = {
	"CREATE TABLE areas ("
	" code TEXT PRIMARY KEY CHECK (length(code) IN (6, 9)),"
	" name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
	" level TEXT NOT NULL CHECK (level IN ('province','city','county','township')),"
	" parent_code TEXT REFERENCES areas(code),"
	" created_at BIGINT NOT NULL,"
	" CHECK ((level = 'province') = (parent_code IS NULL)));",
	"CREATE INDEX areas_parent ON areas(parent_code);",

	"CREATE TABLE institutions ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),"
	" name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
	" level TEXT NOT NULL CHECK (level IN ('village','primary','secondary','tertiary')),"
	" kind TEXT NOT NULL CHECK (kind IN ('general','tcm','integrated','maternal_child',"
	"  'specialty','public_health','rehabilitation','nursing','other')),"
	" area_code TEXT NOT NULL REFERENCES areas(code),"
	" beds INTEGER NOT NULL DEFAULT 0 CHECK (beds >= 0),"
	" township_centre_id INTEGER REFERENCES institutions(id),"
	" created_at BIGINT NOT NULL,"
	" CHECK ((level = 'village') = (township_centre_id IS NOT NULL)));",
	"CREATE INDEX institutions_area ON institutions(area_code);",
	"CREATE INDEX institutions_centre ON institutions(township_centre_id);",

	"CREATE TABLE consortia ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),"
	" name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
	" kind TEXT NOT NULL CHECK (kind IN ('city_group','county_community',"
	"  'specialty_alliance','tele_network')),"
	" lead_institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" area_code TEXT REFERENCES areas(code),"
	" created_at BIGINT NOT NULL);",

	"CREATE TABLE consortium_members ("
	" id INTEGER PRIMARY KEY,"
	" consortium_id INTEGER NOT NULL REFERENCES consortia(id),"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" joined_on TEXT NOT NULL CHECK (length(joined_on) = 10),"
	" left_on TEXT CHECK (left_on IS NULL OR left_on >= joined_on),"
	" created_at BIGINT NOT NULL);",
	"CREATE UNIQUE INDEX consortium_members_open ON consortium_members(consortium_id,"
	" institution_id) WHERE left_on IS NULL;",
	"CREATE INDEX consortium_members_inst ON consortium_members(institution_id);",

	"CREATE TABLE departments ("
	" id INTEGER PRIMARY KEY,"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
	" category_code TEXT CHECK (category_code IS NULL OR length(category_code) BETWEEN 2 AND 8),"
	" created_at BIGINT NOT NULL,"
	" UNIQUE (institution_id, name));",

	"CREATE TABLE practitioners ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
	" title TEXT NOT NULL CHECK (title IN ('chief_physician','associate_chief_physician',"
	"  'attending_physician','resident_physician','assistant_physician','village_doctor',"
	"  'nurse','pharmacist','technician','other')),"
	" general_practitioner INTEGER NOT NULL DEFAULT 0 CHECK (general_practitioner IN (0, 1)),"
	" licence_no TEXT UNIQUE,"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" department_id INTEGER REFERENCES departments(id),"
	" created_at BIGINT NOT NULL);",
	"CREATE INDEX practitioners_inst ON practitioners(institution_id);",

	"CREATE TABLE practice_sites ("
	" practitioner_id INTEGER NOT NULL REFERENCES practitioners(id),"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" created_at BIGINT NOT NULL,"
	" PRIMARY KEY (practitioner_id, institution_id));",

	"CREATE TABLE residents ("
	" id INTEGER PRIMARY KEY,"
	" id_number TEXT NOT NULL UNIQUE CHECK (length(id_number) = 18),"
	" name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
	" sex TEXT NOT NULL CHECK (sex IN ('male','female')),"
	" birth_date TEXT NOT NULL CHECK (length(birth_date) = 10),"
	" phone TEXT CHECK (phone IS NULL OR length(phone) BETWEEN 3 AND 20),"
	" home_area_code TEXT NOT NULL REFERENCES areas(code),"
	" insurance TEXT NOT NULL CHECK (insurance IN ('employee','resident','none')),"
	" tags INTEGER NOT NULL DEFAULT 0 CHECK (tags >= 0 AND tags < 32),"
	" created_at BIGINT NOT NULL);",
	"CREATE INDEX residents_area ON residents(home_area_code);",

	"CREATE TABLE teams ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" leader_id INTEGER NOT NULL REFERENCES practitioners(id),"
	" capacity INTEGER NOT NULL CHECK (capacity > 0),"
	" created_at BIGINT NOT NULL);",
	"CREATE INDEX teams_inst ON teams(institution_id);",

	"CREATE TABLE team_members ("
	" team_id INTEGER NOT NULL REFERENCES teams(id),"
	" practitioner_id INTEGER NOT NULL REFERENCES practitioners(id),"
	" created_at BIGINT NOT NULL,"
	" PRIMARY KEY (team_id, practitioner_id));",

	"CREATE TABLE contracts ("
	" id INTEGER PRIMARY KEY,"
	" resident_id INTEGER NOT NULL REFERENCES residents(id),"
	" team_id INTEGER NOT NULL REFERENCES teams(id),"
	" secondary_id INTEGER NOT NULL REFERENCES institutions(id),"
	" tertiary_id INTEGER NOT NULL REFERENCES institutions(id),"
	" start_date TEXT NOT NULL CHECK (length(start_date) = 10),"
	" end_date TEXT NOT NULL CHECK (end_date >= start_date),"
	" status TEXT NOT NULL CHECK (status IN ('active','scheduled','renewed','changed','ended',"
	"  'expired')),"
	" end_reason TEXT,"
	" ended_on TEXT,"
	" previous_id INTEGER REFERENCES contracts(id),"
	" created_at BIGINT NOT NULL,"
	" updated_at BIGINT NOT NULL,"
	" CHECK (status <> 'ended' OR (end_reason IS NOT NULL AND ended_on IS NOT NULL)));",
	"CREATE UNIQUE INDEX contracts_one_active ON contracts(resident_id) WHERE status = 'active';",
	"CREATE UNIQUE INDEX contracts_one_scheduled ON contracts(resident_id)"
	" WHERE status = 'scheduled';",
	"CREATE INDEX contracts_team ON contracts(team_id, status, end_date, start_date, resident_id);",
	"CREATE INDEX contracts_end ON contracts(status, end_date);",
	"CREATE INDEX contracts_resident ON contracts(resident_id);",

	"CREATE TABLE users ("
	" id INTEGER PRIMARY KEY,"
	" username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),"
	" role TEXT NOT NULL CHECK (role IN ('admin','institution_admin','doctor','resident',"
	"  'insurer','regulator')),"
	" institution_id INTEGER REFERENCES institutions(id),"
	" resident_id INTEGER REFERENCES residents(id),"
	" created_at BIGINT NOT NULL,"
	" CHECK (role NOT IN ('institution_admin','doctor') OR institution_id IS NOT NULL),"
	" CHECK (role <> 'resident' OR resident_id IS NOT NULL));",

	"CREATE UNIQUE INDEX users_resident ON users(resident_id) WHERE resident_id IS NOT NULL;",

	"CREATE TABLE tokens ("
	" id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),"
	" created_at BIGINT NOT NULL,"
	" expires_at BIGINT,"
	" revoked_at BIGINT);",

	"CREATE TABLE audit_log ("
	" id INTEGER PRIMARY KEY,"
	" at BIGINT NOT NULL,"
	" user_id INTEGER REFERENCES users(id),"
	" actor TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" entity TEXT NOT NULL,"
	" entity_id TEXT,"
	" detail TEXT);",
	"CREATE INDEX audit_entity ON audit_log(entity, entity_id);",

	"CREATE TABLE settings ("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL);",
	"INSERT INTO settings(key, value) VALUES ('team_capacity_default', '2000');",
	"INSERT INTO settings(key, value) VALUES ('contract_term_years', '1');",
	NULL,
};

static const struct yl_migration migrations[] = {
	{1, "registry, contracting, users and audit", v1_registry},
};

const struct yl_migration *yl_schema_migrations(int *count)
{
	*count = (int)(sizeof(migrations) / sizeof(migrations[0]));
	return migrations;
}
