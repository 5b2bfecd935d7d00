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

/* Booking (issue 3). Pool counters live on the slot so the capacity invariant is a CHECK of
 * one row: whatever the concurrency, a commit that would overbook fails. Reserved pools can
 * never exceed their quota; unused reserved places fall back to public at a time computed
 * from the clock, which only ever lets public grow into capacity - booked reserved. */
static const char *const v2_booking[] = {
	"CREATE TABLE release_policies ("
	" institution_id INTEGER PRIMARY KEY REFERENCES institutions(id),"
	" days_ahead INTEGER NOT NULL CHECK (days_ahead BETWEEN 0 AND 90),"
	" release_time TEXT NOT NULL CHECK (length(release_time) = 5),"
	" fallback_hours INTEGER NOT NULL CHECK (fallback_hours BETWEEN 0 AND 720),"
	" cancel_cutoff_hours INTEGER NOT NULL CHECK (cancel_cutoff_hours BETWEEN 0 AND 720),"
	" updated_at BIGINT NOT NULL);",

	"CREATE TABLE schedule_templates ("
	" id INTEGER PRIMARY KEY,"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" department_id INTEGER NOT NULL REFERENCES departments(id),"
	" practitioner_id INTEGER REFERENCES practitioners(id),"
	" weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"
	" start_time TEXT NOT NULL CHECK (length(start_time) = 5),"
	" end_time TEXT NOT NULL CHECK (length(end_time) = 5 AND end_time > start_time),"
	" slot_minutes INTEGER NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),"
	" capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),"
	" quota_family_doctor INTEGER NOT NULL CHECK (quota_family_doctor >= 0),"
	" quota_referral INTEGER NOT NULL CHECK (quota_referral >= 0),"
	" valid_from TEXT NOT NULL CHECK (length(valid_from) = 10),"
	" valid_to TEXT CHECK (valid_to IS NULL OR valid_to >= valid_from),"
	" active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
	" created_at BIGINT NOT NULL,"
	" CHECK (quota_family_doctor + quota_referral <= capacity));",
	"CREATE INDEX schedule_templates_dept ON schedule_templates(department_id);",

	"CREATE TABLE sessions ("
	" id INTEGER PRIMARY KEY,"
	" template_id INTEGER REFERENCES schedule_templates(id),"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" department_id INTEGER NOT NULL REFERENCES departments(id),"
	" practitioner_id INTEGER REFERENCES practitioners(id),"
	" date TEXT NOT NULL CHECK (length(date) = 10),"
	" start_time TEXT NOT NULL CHECK (length(start_time) = 5),"
	" end_time TEXT NOT NULL CHECK (length(end_time) = 5 AND end_time > start_time),"
	" slot_minutes INTEGER NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),"
	" status TEXT NOT NULL CHECK (status IN ('open','stopped')),"
	" stop_reason TEXT,"
	" created_at BIGINT NOT NULL,"
	" CHECK (status <> 'stopped' OR stop_reason IS NOT NULL));",
	"CREATE UNIQUE INDEX sessions_template_date ON sessions(template_id, date)"
	" WHERE template_id IS NOT NULL;",
	"CREATE INDEX sessions_dept_date ON sessions(department_id, date);",

	"CREATE TABLE slots ("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" department_id INTEGER NOT NULL REFERENCES departments(id),"
	" practitioner_id INTEGER REFERENCES practitioners(id),"
	" category_code TEXT,"
	" starts_at BIGINT NOT NULL,"
	" ends_at BIGINT NOT NULL CHECK (ends_at > starts_at),"
	" capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),"
	" quota_family_doctor INTEGER NOT NULL CHECK (quota_family_doctor >= 0),"
	" quota_referral INTEGER NOT NULL CHECK (quota_referral >= 0),"
	" booked_public INTEGER NOT NULL DEFAULT 0 CHECK (booked_public >= 0),"
	" booked_family_doctor INTEGER NOT NULL DEFAULT 0"
	"  CHECK (booked_family_doctor BETWEEN 0 AND quota_family_doctor),"
	" booked_referral INTEGER NOT NULL DEFAULT 0"
	"  CHECK (booked_referral BETWEEN 0 AND quota_referral),"
	" CHECK (quota_family_doctor + quota_referral <= capacity),"
	" CHECK (booked_public + booked_family_doctor + booked_referral <= capacity),"
	" UNIQUE (session_id, starts_at));",
	"CREATE INDEX slots_dept_time ON slots(department_id, starts_at);",
	"CREATE INDEX slots_category_time ON slots(category_code, starts_at);",
	"CREATE INDEX slots_inst_time ON slots(institution_id, starts_at);",

	"CREATE TABLE bookings ("
	" id INTEGER PRIMARY KEY,"
	" slot_id INTEGER NOT NULL REFERENCES slots(id),"
	" resident_id INTEGER NOT NULL REFERENCES residents(id),"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" department_id INTEGER NOT NULL REFERENCES departments(id),"
	" date TEXT NOT NULL CHECK (length(date) = 10),"
	" pool TEXT NOT NULL CHECK (pool IN ('public','family_doctor','referral')),"
	" status TEXT NOT NULL CHECK (status IN ('booked','cancelled','checked_in','seen')),"
	" cancel_reason TEXT,"
	" booked_by INTEGER REFERENCES users(id),"
	" idempotency_key TEXT CHECK (idempotency_key IS NULL OR length(idempotency_key)"
	"  BETWEEN 1 AND 128),"
	" created_at BIGINT NOT NULL,"
	" updated_at BIGINT NOT NULL,"
	" CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL));",
	"CREATE UNIQUE INDEX bookings_one_per_dept_day ON bookings(resident_id, department_id, date)"
	" WHERE status IN ('booked','checked_in');",
	"CREATE UNIQUE INDEX bookings_idempotency ON bookings(booked_by, idempotency_key)"
	" WHERE idempotency_key IS NOT NULL;",
	"CREATE INDEX bookings_slot ON bookings(slot_id, status);",
	"CREATE INDEX bookings_resident ON bookings(resident_id, status, date);",

	"INSERT INTO settings(key, value) VALUES ('booking_max_active', '5');",
	"INSERT INTO settings(key, value) VALUES ('no_show_limit', '3');",
	"INSERT INTO settings(key, value) VALUES ('no_show_window_days', '90');",
	"INSERT INTO settings(key, value) VALUES ('no_show_suspension_days', '90');",
	NULL,
};

/* Referrals and encounters (issue 4). Costs are integer fen by category; the fund and
 * out-of-pocket parts must add up to the total. A referral's every state change is a row of
 * referral_events; its expiry is computed from the clock (expires_at), never by a job. */
static const char *const v3_referral_encounter[] = {
	"CREATE TABLE referrals ("
	" id INTEGER PRIMARY KEY,"
	" direction TEXT NOT NULL CHECK (direction IN ('up','down','lateral')),"
	" care_type TEXT NOT NULL CHECK (care_type IN ('outpatient','inpatient')),"
	" resident_id INTEGER NOT NULL REFERENCES residents(id),"
	" from_institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" from_practitioner_id INTEGER REFERENCES practitioners(id),"
	" to_institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" to_department_id INTEGER REFERENCES departments(id),"
	" diagnosis_code TEXT NOT NULL CHECK (length(diagnosis_code) BETWEEN 3 AND 10),"
	" reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),"
	" status TEXT NOT NULL CHECK (status IN ('requested','accepted','arrived','completed',"
	"  'rejected','cancelled','expired')),"
	" status_reason TEXT,"
	" outside_consortium INTEGER NOT NULL CHECK (outside_consortium IN (0, 1)),"
	" booking_id INTEGER REFERENCES bookings(id),"
	" planned_admission_date TEXT CHECK (planned_admission_date IS NULL OR"
	"  length(planned_admission_date) = 10),"
	" acknowledged_at BIGINT,"
	" acknowledged_by INTEGER REFERENCES users(id),"
	" requested_at BIGINT NOT NULL,"
	" expires_at BIGINT NOT NULL CHECK (expires_at > requested_at),"
	" updated_at BIGINT NOT NULL,"
	" CHECK (from_institution_id <> to_institution_id),"
	" CHECK (status NOT IN ('rejected','cancelled') OR status_reason IS NOT NULL));",
	"CREATE INDEX referrals_resident ON referrals(resident_id);",
	"CREATE INDEX referrals_to ON referrals(to_institution_id, status);",
	"CREATE INDEX referrals_from ON referrals(from_institution_id, status);",

	"CREATE TABLE referral_events ("
	" id INTEGER PRIMARY KEY,"
	" referral_id INTEGER NOT NULL REFERENCES referrals(id),"
	" at BIGINT NOT NULL,"
	" from_status TEXT,"
	" to_status TEXT NOT NULL,"
	" user_id INTEGER REFERENCES users(id),"
	" actor TEXT NOT NULL,"
	" reason TEXT);",
	"CREATE INDEX referral_events_referral ON referral_events(referral_id, id);",

	"CREATE TABLE care_plan_items ("
	" id INTEGER PRIMARY KEY,"
	" referral_id INTEGER NOT NULL REFERENCES referrals(id),"
	" description TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 500),"
	" due_date TEXT NOT NULL CHECK (length(due_date) = 10),"
	" done_at BIGINT,"
	" done_by INTEGER REFERENCES users(id));",
	"CREATE INDEX care_plan_items_referral ON care_plan_items(referral_id);",
	"CREATE INDEX care_plan_items_due ON care_plan_items(due_date) WHERE done_at IS NULL;",

	"CREATE TABLE encounters ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('outpatient','emergency','inpatient')),"
	" resident_id INTEGER NOT NULL REFERENCES residents(id),"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" department_id INTEGER REFERENCES departments(id),"
	" practitioner_id INTEGER REFERENCES practitioners(id),"
	" visit_date TEXT NOT NULL CHECK (length(visit_date) = 10),"
	" discharge_date TEXT CHECK (discharge_date IS NULL OR discharge_date >= visit_date),"
	" cost_drugs INTEGER NOT NULL DEFAULT 0 CHECK (cost_drugs >= 0),"
	" cost_consumables INTEGER NOT NULL DEFAULT 0 CHECK (cost_consumables >= 0),"
	" cost_exams INTEGER NOT NULL DEFAULT 0 CHECK (cost_exams >= 0),"
	" cost_treatment INTEGER NOT NULL DEFAULT 0 CHECK (cost_treatment >= 0),"
	" cost_bed INTEGER NOT NULL DEFAULT 0 CHECK (cost_bed >= 0),"
	" cost_other INTEGER NOT NULL DEFAULT 0 CHECK (cost_other >= 0),"
	" fund_paid INTEGER NOT NULL DEFAULT 0 CHECK (fund_paid >= 0),"
	" out_of_pocket INTEGER NOT NULL DEFAULT 0 CHECK (out_of_pocket >= 0),"
	" booking_id INTEGER UNIQUE REFERENCES bookings(id),"
	" referral_id INTEGER REFERENCES referrals(id),"
	" created_at BIGINT NOT NULL,"
	" CHECK (kind = 'inpatient' OR discharge_date IS NULL),"
	" CHECK (fund_paid + out_of_pocket = cost_drugs + cost_consumables + cost_exams"
	"  + cost_treatment + cost_bed + cost_other));",
	"CREATE INDEX encounters_resident ON encounters(resident_id, visit_date);",
	"CREATE INDEX encounters_inst_date ON encounters(institution_id, visit_date);",

	"CREATE TABLE encounter_diagnoses ("
	" encounter_id INTEGER NOT NULL REFERENCES encounters(id),"
	" seq INTEGER NOT NULL CHECK (seq >= 1),"
	" icd10 TEXT NOT NULL CHECK (length(icd10) BETWEEN 3 AND 10),"
	" PRIMARY KEY (encounter_id, seq));",

	"CREATE TABLE referral_encounters ("
	" referral_id INTEGER NOT NULL REFERENCES referrals(id),"
	" encounter_id INTEGER NOT NULL REFERENCES encounters(id),"
	" PRIMARY KEY (referral_id, encounter_id));",

	"INSERT INTO settings(key, value) VALUES ('referral_expiry_hours', '48');",
	NULL,
};

/* Indicators (issue 4). The catalogue is data: each row names the measures whose sums make its
 * numerator and denominator ('+'-joined keys of measure_agg; a NULL denominator makes a count),
 * so a local catalogue is rows, not code. measure_agg holds the live monthly sums that every
 * encounter and referral write keeps up to date in its own transaction (measure.c), keyed by
 * institution, month of the event and the resident's county (first 6 digits of the home
 * area); indicator queries read it, never the raw events. */
static const char *const v4_indicators[] = {
	"CREATE TABLE indicators ("
	" id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),"
	" seq INTEGER NOT NULL,"
	" name_zh TEXT NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 200),"
	" name_en TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),"
	" source TEXT NOT NULL,"
	" version TEXT NOT NULL,"
	" tag TEXT NOT NULL CHECK (tag IN ('S','M','I')),"
	" numerator TEXT NOT NULL,"
	" denominator TEXT,"
	" unit TEXT NOT NULL,"
	" direction TEXT NOT NULL CHECK (direction IN ('逐步提高','逐步降低','监测比较')),"
	" num_measure TEXT NOT NULL CHECK (length(num_measure) BETWEEN 1 AND 400),"
	" den_measure TEXT CHECK (den_measure IS NULL OR length(den_measure) BETWEEN 1 AND 400),"
	" scale INTEGER NOT NULL CHECK (scale > 0),"
	" growth INTEGER NOT NULL DEFAULT 0 CHECK (growth IN (0, 1)),"
	" CHECK ((denominator IS NULL) = (den_measure IS NULL)));",

	"CREATE TABLE measure_agg ("
	" measure TEXT NOT NULL,"
	" institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" month TEXT NOT NULL CHECK (length(month) = 7),"
	" resident_county TEXT NOT NULL,"
	" value BIGINT NOT NULL,"
	" PRIMARY KEY (measure, institution_id, month, resident_county));",
	"CREATE INDEX measure_agg_inst_month ON measure_agg(institution_id, month);",

#define IND(id, seq, zh, en, src, ver, tag, num, den, unit, dir, nm, dm, scale, growth) \
	"INSERT INTO indicators(id, seq, name_zh, name_en, source, version, tag, numerator," \
	" denominator, unit, direction, num_measure, den_measure, scale, growth) VALUES ('" id \
	"', " #seq ", '" zh "', '" en "', '" src "', '" ver "', '" tag "', '" num "', " den \
	", '" unit "', '" dir "', '" nm "', " dm ", " #scale ", " #growth ");"
	IND("A3", 10, "县域内基层医疗卫生机构门急诊占比",
	    "Primary-care share of outpatient and emergency visits", "国卫办基层发〔2020〕12号",
	    "2020", "I", "基层门急诊人次", "'全部机构门急诊人次'", "%", "逐步提高",
	    "opem_visits_primary", "'opem_visits'", 100, 0),
	IND("A4", 20, "县域内基层医疗卫生机构诊疗人次占比",
	    "Primary-care share of total visits", "紧密型县域医共体监测指标体系", "2024 #7", "S",
	    "基层诊疗人次数（门急诊）", "'总诊疗人次数（门急诊）'", "%", "逐步提高",
	    "opem_visits_primary", "'opem_visits'", 100, 0),
	IND("B1.op", 30, "上级医疗机构下转患者例次数（门诊）",
	    "Down-referrals from higher-level institutions, outpatient", "分级诊疗监测", "-", "S",
	    "下转门诊例次", "NULL", "例次", "逐步提高", "ref_down_op", "NULL", 1, 0),
	IND("B1.ip", 31, "上级医疗机构下转患者例次数（住院）",
	    "Down-referrals from higher-level institutions, inpatient", "分级诊疗监测", "-", "S",
	    "下转住院例次", "NULL", "例次", "逐步提高", "ref_down_ip", "NULL", 1, 0),
	IND("B2.op", 40, "基层医疗卫生机构上转患者例次数（门诊）",
	    "Up-referrals from primary care, outpatient", "分级诊疗监测", "-", "S",
	    "基层上转门诊例次", "NULL", "例次", "监测比较", "ref_up_primary_op", "NULL", 1, 0),
	IND("B2.ip", 41, "基层医疗卫生机构上转患者例次数（住院）",
	    "Up-referrals from primary care, inpatient", "分级诊疗监测", "-", "S",
	    "基层上转住院例次", "NULL", "例次", "监测比较", "ref_up_primary_ip", "NULL", 1, 0),
	IND("B3", 50, "基层医疗卫生机构向上级医院转诊病人占比", "Primary-care up-referral rate",
	    "分级诊疗监测", "-", "S", "基层上转例次（门诊+住院）", "'基层门急诊人次'", "%",
	    "监测比较", "ref_up_primary_op+ref_up_primary_ip", "'opem_visits_primary'", 100, 0),
	IND("B4", 60, "二、三级医院向基层转诊人数同期增长率",
	    "Growth of down-referrals from secondary and tertiary hospitals", "分级诊疗监测", "-",
	    "S", "下转例次（门诊+住院），增幅对上年同期", "NULL", "例次", "逐步提高",
	    "ref_down_op+ref_down_ip", "NULL", 1, 1),
	IND("B7", 70, "转诊结案率", "Referral closure rate", "yilian", "working", "I",
	    "发起的转诊中已完成的例次", "'发起的转诊例次'", "%", "逐步提高", "ref_completed",
	    "'ref_issued'", 100, 0),
	IND("C4", 80, "签约居民组合内就诊率", "In-combination visit rate of contracted residents",
	    "上海1+1+1签约", "-", "I", "签约居民在签约组合（1+1+1）内机构的门急诊人次",
	    "'签约居民门急诊人次'", "%", "逐步提高", "opem_visits_signed_combo",
	    "'opem_visits_signed'", 100, 0),
	IND("C5", 90, "签约居民基层就诊率", "Primary-care visit rate of contracted residents",
	    "家庭医生签约服务", "-", "I", "签约居民在基层的门急诊人次", "'签约居民门急诊人次'",
	    "%", "逐步提高", "opem_visits_signed_primary", "'opem_visits_signed'", 100, 0),
	IND("D2", 100, "下转患者人次数（门急诊、住院）", "Down-referred patient episodes",
	    "三级公立医院绩效考核", "T2", "S", "门急诊下转例次+住院下转例次", "NULL", "人次",
	    "逐步提高", "ref_down_op+ref_down_ip", "NULL", 1, 0),
	IND("D28", 110, "门诊次均费用（及增幅）", "Outpatient cost per visit (and its growth)",
	    "三级公立医院绩效考核", "T38", "M", "门急诊费用（分）", "'门急诊人次'", "分/人次",
	    "逐步降低", "opem_cost", "'opem_visits'", 1, 1),
	IND("D29", 120, "门诊次均药品费用（及增幅）",
	    "Outpatient drug cost per visit (and its growth)", "三级公立医院绩效考核", "T39", "M",
	    "门急诊药品费用（分）", "'门急诊人次'", "分/人次", "逐步降低", "opem_drug_cost",
	    "'opem_visits'", 1, 1),
	IND("D30", 130, "住院次均费用（及增幅）", "Inpatient cost per admission (and its growth)",
	    "三级公立医院绩效考核", "T40", "M", "住院费用（分）", "'住院人次'", "分/人次",
	    "逐步降低", "ip_cost", "'ip_admissions'", 1, 1),
	IND("D31", 140, "住院次均药品费用（及增幅）",
	    "Inpatient drug cost per admission (and its growth)", "三级公立医院绩效考核", "T41",
	    "M", "住院药品费用（分）", "'住院人次'", "分/人次", "逐步降低", "ip_drug_cost",
	    "'ip_admissions'", 1, 1),
	IND("drug_share", 150, "药占比", "Drug share of medical costs", "yilian", "working", "I",
	    "药品费用（分）", "'医疗费用合计（分）'", "%", "逐步降低", "cost_drugs",
	    "'cost_total'", 100, 0),
	IND("oop_share", 160, "个人自付占比", "Out-of-pocket share of medical costs", "yilian",
	    "working", "I", "个人自付（分）", "'医疗费用合计（分）'", "%", "逐步降低",
	    "out_of_pocket", "'cost_total'", 100, 0),
	IND("fund_share", 170, "医保基金支付占比", "Insurance-fund share of medical costs",
	    "yilian", "working", "I", "医保基金支付（分）", "'医疗费用合计（分）'", "%",
	    "监测比较", "fund_paid", "'cost_total'", 100, 0),
#undef IND
	NULL,
};

/* Indicators, second part (issue 4). scope_kind says what a row's measure keys are sums of:
 * 'institution' (measure_agg of the institutions in the scope, as in migration 4),
 * 'resident_county' (measure_agg of the residents of the scope's counties: numerator at
 * institutions inside the resident's own county, denominator anywhere), 'event' (num_measure
 * names a query over raw events that is not a sum, such as a median) and 'stock' (counts of
 * people on the last day of the period, from the contracting module). The index serves the
 * resident_county sums. */
static const char *const v5_indicator_scopes[] = {
	"ALTER TABLE indicators ADD COLUMN scope_kind TEXT NOT NULL DEFAULT 'institution'"
	" CHECK (scope_kind IN ('institution','resident_county','event','stock'));",
	"CREATE INDEX measure_agg_county_month ON measure_agg(resident_county, month);",

#define IND(id, seq, zh, en, src, ver, tag, num, den, unit, dir, nm, dm, scale, kind) \
	"INSERT INTO indicators(id, seq, name_zh, name_en, source, version, tag, numerator," \
	" denominator, unit, direction, num_measure, den_measure, scale, growth, scope_kind)" \
	" VALUES ('" id "', " #seq ", '" zh "', '" en "', '" src "', '" ver "', '" tag "', '" \
	num "', " den ", '" unit "', '" dir "', '" nm "', " dm ", " #scale ", 0, '" kind "');"
	IND("A1", 5, "县域就诊率（县域内就诊率）", "In-county visit rate of county residents",
	    "国卫办基层发〔2020〕12号", "2020", "I", "本县居民在本县域内机构的门急诊人次",
	    "'本县居民全部门急诊人次（县域内外）'", "%", "逐步提高", "opem_visits",
	    "'opem_visits'", 100, "resident_county"),
	IND("A2", 6, "县域内住院人次占比", "In-county share of county residents'' admissions",
	    "紧密型县域医共体监测指标体系", "2024 #11", "I", "本县居民在本县域内机构的住院人次",
	    "'本县居民全部住院人次（县域内外）'", "%", "逐步提高", "ip_admissions",
	    "'ip_admissions'", 100, "resident_county"),
	IND("A8", 7, "医保基金县域内支出占比", "Share of the insurance fund spent inside the county",
	    "紧密型县域医共体监测指标体系", "2024 #8", "I",
	    "本县居民在本县域内机构的医保基金支付（分）", "'本县居民全部医保基金支付（分）'", "%",
	    "逐步提高", "fund_paid", "'fund_paid'", 100, "resident_county"),
	IND("ref_days", 75, "转诊至就诊天数中位数", "Median days from referral to visit",
	    "yilian", "working", "I", "已到达转诊：申请日至到达日的天数（中位数）", "NULL", "天",
	    "逐步降低", "referral_days_to_visit", "NULL", 1, "event"),
	IND("C1", 76, "家庭医生签约服务覆盖率（签约率）", "Family-doctor contract coverage rate",
	    "家庭医生签约服务统计", "-", "S", "期末在约签约居民数", "'期末居民数（居住地在本区域）'",
	    "%", "逐步提高", "signed_residents", "'residents'", 100, "stock"),
	IND("C2", 77, "重点人群签约服务覆盖率", "Key-population contract coverage rate",
	    "家庭医生签约服务统计", "-", "S", "期末在约的重点人群人数（去重）",
	    "'期末重点人群人数（去重）'", "%", "逐步提高", "signed_key_residents",
	    "'key_residents'", 100, "stock"),
#undef IND
	NULL,
};

/* A resident's contracts in force are looked up by (resident, status, end date, start date):
 * with the old one-column index the planner preferred contracts_end and scanned every active
 * contract for each resident (C1/C2 over a 300,000-resident province: minutes -> 0.9 s). */
static const char *const v6_contract_lookup[] = {
	"DROP INDEX contracts_resident;",
	"CREATE INDEX contracts_resident ON contracts(resident_id, status, end_date, start_date);",
	NULL,
};

/* Live aggregates of the stock indicators C1 and C2 (signing_stock.h): per home area, the
 * births and births of tagged residents, and the signed changes of signed_residents and
 * signed_key_residents, by decade, year, month and day ('YYY', 'YYYY', 'YYYY-MM',
 * 'YYYY-MM-DD'). The birth index lets the days of a month of the two birth counts (which have
 * no day rows) be counted exactly. A database that already has residents is marked stale:
 * C1/C2 are counted directly until `yilian indicators rebuild` fills the table. Written to be
 * re-run (DROP ... IF EXISTS; the mark only once). Reads use signing_stock_read, which covers
 * the columns summed (the demo county's four counts: 2.0 ms without it, 0.9 with, measured
 * before the decade rows), at about 4 us more per registration. The grain CHECK is an OR
 * chain, not IN (...): SQLite builds a temporary table for an IN list at every write that
 * checks it, about 2 us more for each UPSERT that keeps this table (6.6 against 4.7 us). */
static const char *const v7_signing_stock[] = {
	"DROP TABLE IF EXISTS signing_stock;",
	"CREATE TABLE signing_stock ("
	" area_code TEXT NOT NULL REFERENCES areas(code),"
	" grain TEXT NOT NULL CHECK (grain = 'x' OR grain = 'y' OR grain = 'm' OR grain = 'd'),"
	" period TEXT NOT NULL CHECK (length(period) = CASE grain WHEN 'x' THEN 3 WHEN 'y' THEN 4"
	"  WHEN 'm' THEN 7 ELSE 10 END),"
	" residents BIGINT NOT NULL DEFAULT 0,"
	" tagged_residents BIGINT NOT NULL DEFAULT 0,"
	" signed_residents BIGINT NOT NULL DEFAULT 0,"
	" signed_key_residents BIGINT NOT NULL DEFAULT 0,"
	" PRIMARY KEY (area_code, grain, period));",
	"CREATE INDEX signing_stock_read ON signing_stock(area_code, grain, period, residents,"
	" tagged_residents, signed_residents, signed_key_residents);",
	"DROP INDEX IF EXISTS residents_birth;",
	"CREATE INDEX residents_birth ON residents(birth_date, home_area_code, tags);",
	"INSERT INTO settings(key, value) SELECT 'signing_stock_stale', '1'"
	" WHERE EXISTS (SELECT 1 FROM residents)"
	" AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'signing_stock_stale');",
	NULL,
};

/* A team's held places, kept by the schema itself so that no writer can let them drift:
 * team_held.contracts counts the team's contract rows whose stored status is active or
 * scheduled (triggers on every team insert, contract insert, status or team change, and
 * delete). yl_team_load derives the load of the day from it with small corrections (rows
 * past their end not yet settled, active rows not yet started, early renewals counted
 * twice, the excluded holder) instead of counting the team's ~1,500 index entries at every
 * signing and renewal. contracts_team_start finds the active rows not yet started. Written
 * to be re-run (DROP ... IF EXISTS). */
static const char *const v8_team_held[] = {
	"DROP TRIGGER IF EXISTS team_held_team;",
	"DROP TRIGGER IF EXISTS team_held_insert;",
	"DROP TRIGGER IF EXISTS team_held_update;",
	"DROP TRIGGER IF EXISTS team_held_delete;",
	"DROP TABLE IF EXISTS team_held;",
	"CREATE TABLE team_held ("
	" team_id INTEGER PRIMARY KEY REFERENCES teams(id),"
	" contracts BIGINT NOT NULL DEFAULT 0 CHECK (contracts >= 0));",
	"INSERT INTO team_held(team_id, contracts) SELECT t.id, (SELECT count(*) FROM contracts k"
	" WHERE k.team_id = t.id AND k.status IN ('active','scheduled')) FROM teams t;",
	"CREATE TRIGGER team_held_team AFTER INSERT ON teams BEGIN"
	" INSERT INTO team_held(team_id, contracts) VALUES (NEW.id, 0); END;",
	"CREATE TRIGGER team_held_insert AFTER INSERT ON contracts"
	" WHEN NEW.status IN ('active','scheduled') BEGIN"
	" UPDATE team_held SET contracts = contracts + 1 WHERE team_id = NEW.team_id; END;",
	"CREATE TRIGGER team_held_update AFTER UPDATE OF status, team_id ON contracts"
	" WHEN (OLD.status IN ('active','scheduled')) <> (NEW.status IN ('active','scheduled'))"
	" OR OLD.team_id <> NEW.team_id BEGIN"
	" UPDATE team_held SET contracts = contracts - 1"
	"  WHERE team_id = OLD.team_id AND OLD.status IN ('active','scheduled');"
	" UPDATE team_held SET contracts = contracts + 1"
	"  WHERE team_id = NEW.team_id AND NEW.status IN ('active','scheduled'); END;",
	"CREATE TRIGGER team_held_delete AFTER DELETE ON contracts"
	" WHEN OLD.status IN ('active','scheduled') BEGIN"
	" UPDATE team_held SET contracts = contracts - 1 WHERE team_id = OLD.team_id; END;",
	"CREATE INDEX IF NOT EXISTS contracts_team_start ON contracts(team_id, start_date)"
	" WHERE status = 'active';",
	NULL,
};

/* The hottest CHECKs as OR chains instead of IN lists. For an IN list of more than two
 * constants SQLite builds a temporary table each time a statement runs, about 2 us for every
 * insert or status change that checks it (the simulated county-year: 129.8 -> 118.6 s). The
 * constraint means the same, so only its text changes, through writable_schema as SQLite
 * documents for changes that leave every stored row as it is; RESET reloads this connection's
 * schema. The schema cookie is not bumped (a static step cannot compute it), so a connection
 * already open elsewhere keeps the IN lists until it reopens: same meaning, only slower. A
 * library built with SQLITE_DBCONFIG_DEFENSIVE on would refuse the migration (init fails with
 * the store's error); Debian's is not. SQLite only; a text that does not match (edited by
 * hand) is left as it is. */
#define CHECK_AS_OR(table, in, or)                                                                 \
	"UPDATE sqlite_master SET sql = replace(sql, '" in "', '" or "')"                          \
	" WHERE type = 'table' AND name = '" table "';"
static const char *const v9_checks_as_or[] = {
	"PRAGMA writable_schema = ON;",
	CHECK_AS_OR("residents", "CHECK (insurance IN (''employee'',''resident'',''none''))",
		    "CHECK (insurance = ''employee'' OR insurance = ''resident''"
		    " OR insurance = ''none'')"),
	CHECK_AS_OR("contracts", "CHECK (status IN (''active'',''scheduled'',''renewed'',"
		    "''changed'',''ended'',  ''expired''))",
		    "CHECK (status = ''active'' OR status = ''scheduled'' OR status = ''renewed''"
		    " OR status = ''changed'' OR status = ''ended'' OR status = ''expired'')"),
	CHECK_AS_OR("bookings", "CHECK (pool IN (''public'',''family_doctor'',''referral''))",
		    "CHECK (pool = ''public'' OR pool = ''family_doctor'' OR pool = ''referral'')"),
	CHECK_AS_OR("bookings", "CHECK (status IN (''booked'',''cancelled'',''checked_in'',"
		    "''seen''))",
		    "CHECK (status = ''booked'' OR status = ''cancelled'' OR status = ''checked_in''"
		    " OR status = ''seen'')"),
	CHECK_AS_OR("referrals", "CHECK (direction IN (''up'',''down'',''lateral''))",
		    "CHECK (direction = ''up'' OR direction = ''down'' OR direction = ''lateral'')"),
	CHECK_AS_OR("referrals", "CHECK (status IN (''requested'',''accepted'',''arrived'',"
		    "''completed'',  ''rejected'',''cancelled'',''expired''))",
		    "CHECK (status = ''requested'' OR status = ''accepted'' OR status = ''arrived''"
		    " OR status = ''completed'' OR status = ''rejected'' OR status = ''cancelled''"
		    " OR status = ''expired'')"),
	CHECK_AS_OR("encounters", "CHECK (kind IN (''outpatient'',''emergency'',''inpatient''))",
		    "CHECK (kind = ''outpatient'' OR kind = ''emergency'' OR kind = ''inpatient'')"),
	"PRAGMA writable_schema = RESET;",
	NULL,
};
#undef CHECK_AS_OR

static const struct yl_migration migrations[] = {
	{1, "registry, contracting, users and audit", v1_registry},
	{2, "booking: schedules, sessions, slots, pools, bookings", v2_booking},
	{3, "referrals, care plans, encounters", v3_referral_encounter},
	{4, "indicator catalogue and live measure aggregates", v4_indicators},
	{5, "indicator scopes: residents' county, event queries, stocks", v5_indicator_scopes},
	{6, "contract lookup by resident covers the in-force test", v6_contract_lookup},
	{7, "live aggregates of the signing stocks C1 and C2", v7_signing_stock},
	{8, "teams' held places kept by triggers", v8_team_held},
	{9, "the hottest CHECKs as OR chains", v9_checks_as_or},
};

const struct yl_migration *yl_schema_migrations(int *count)
{
	*count = (int)(sizeof(migrations) / sizeof(migrations[0]));
	return migrations;
}
