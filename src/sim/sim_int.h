/* sim_int.h - what the simulator's files share: the region as discovered from the registry
 * (world.c), the run's state, the event queue kept in the store (state.c), the people
 * (people.c), care (care.c) and referrals (refer.c). Internal to src/sim.
 */
#ifndef YL_SIM_SIM_INT_H
#define YL_SIM_SIM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/clock.h"
#include "domain/population.h"
#include "sim/rng.h"
#include "sim/sim.h"

/* Departments the model sends people to, by national category code (诊疗科目). */
enum sim_dept { D_MED, D_SURG, D_OBS, D_PAED, D_EMERG, D_GP, D_TCM, D_WOMEN, NDEPTS };
/* Where a visit goes, before it is mapped to an institution of the resident's region. */
enum sim_place {
	P_TERTIARY,       /* the city group's lead hospital (in the 1+1+1 combination) */
	P_TERTIARY_OTHER, /* another city hospital, outside the group */
	P_SECONDARY,      /* the county hospital */
	P_TCM,
	P_MCH,
	P_CENTRE,         /* the township centre of the resident's township */
	P_OTHER_CENTRE,   /* a neighbouring township's centre */
	P_VILLAGE,
	NPLACES
};
enum sim_level { L_VILLAGE, L_PRIMARY, L_SECONDARY, L_TERTIARY };

struct sim_hosp {
	int64_t id;
	int level;           /* enum sim_level */
	int64_t dept[NDEPTS]; /* 0 when the institution has none */
	int64_t residents;   /* catchment, for sizing its slots */
	int county;          /* index, -1 for a city hospital */
	int city;            /* index */
};

struct sim_township {
	char code[16];
	int county;
	int64_t centre, gp_dept;
	int64_t teams[8];
	int nteams;
	int first_village, nvillages; /* into world.villages */
};

struct sim_county {
	char code[8];
	int city;
	int hosp, tcm, mch; /* indexes into world.hosps, -1 when absent */
	int64_t residents;
};

struct sim_city {
	char code[8];
	int lead, other; /* tertiary hospitals in and outside the city group, -1 when absent */
	int64_t residents;
};

struct sim_world {
	struct sim_hosp *hosps;
	int nhosps;
	struct sim_county *counties;
	int ncounties;
	struct sim_city *cities;
	int ncities;
	struct sim_township *townships; /* sorted by code */
	int ntownships;
	int64_t *villages;
	int nvillages;
	int64_t max_resident_id, nresidents;
	/* The sampling index (people.c): per resident id, the birth day (days after 1900-01-01),
	 * the stored tags with SIM_KNOWN when the resident exists and lives in a township of the
	 * region (and the bits below), and the township; 5 bytes a resident, so that a draw
	 * reads only the accepted resident's contract. */
	uint16_t *birth;
	uint8_t *flags;
	uint16_t *township; /* index into townships */
};
#define SIM_KNOWN 0x80u
/* The resident holds or has held a contract: without it none is in force, and a draw need
 * not read one (only the simulator writes contracts during a run; it sets the bit when it
 * signs). */
#define SIM_HELD 0x40u
/* The resident's birth day does not fit the index (before 1900 or after 2079): a draw reads
 * them from the registry. */
#define SIM_READ 0x20u
_Static_assert((YL_TAG_STORED_MASK & (SIM_KNOWN | SIM_HELD | SIM_READ)) == 0,
	       "the index's bits and the stored tags share a byte");

/* A resident as the model sees them on the day. */
struct sim_person {
	int64_t id;
	int age;
	unsigned tags; /* stored and derived */
	int township;  /* index */
	bool is_signed;
	int64_t team_inst, secondary_id, tertiary_id; /* of the contract, when signed */
};

/* Queued actions (sim_events rows). */
enum sim_ev {
	EV_BOOKED_VISIT = 1, /* booking: arrive, check in, be seen, or not show */
	EV_CANCEL,           /* booking: cancel */
	EV_DISCHARGE,        /* an admission ends: record the stay; maybe refer down */
	EV_REF_ANSWER,       /* referral: the target answers */
	EV_REF_ARRIVE,       /* referral: the resident arrives (outpatient or admission) */
	EV_CARE_ITEM,        /* down-referral: the family doctor marks a care item done */
};

struct sim_event {
	int64_t id;
	int32_t day;
	int minute; /* local minutes after midnight */
	int kind;
	int64_t resident, inst, dept, booking, referral, aux;
	int32_t day2;   /* admission day of a discharge */
	int level;
	char dx[32];    /* comma-separated ICD-10 codes */
};

/* A day and department of a hospital found with no place for a kind of booker (care.c): the
 * latest moment it was seen so. No place then means no place at any earlier moment of the
 * day too (care.c says why), until a cancellation: the memo lives for the visits of one day,
 * which cancel nothing. */
struct sim_full {
	int64_t dept; /* 0: unused */
	int32_t date;
	bool fd;      /* booked by the family doctor (reserved pool, then public) */
	int64_t at;
};
#define SIM_FULL_SLOTS 1024

struct sim {
	struct yl_ctx c; /* the caller's, with the simulated clock and the current actor */
	struct yl_clock clock;
	struct yl_actor admin, doctor;
	const struct yl_sim_policy *p;
	struct yl_rng rng;
	struct sim_world w;
	struct yl_sim_stats *st;
	int32_t day;
	int32_t sessions_through; /* sessions exist through this day */
	int32_t start; /* the region's first day (sim_state): the day counts are reckoned from it */
	int64_t signed_now; /* residents with a contract in force, for the campaigns */
	struct sim_full full[SIM_FULL_SLOTS];
	int nfull;
};

/* Sets the clock to local (Asia/Shanghai) minute `minute` of day. */
void sim_at(struct sim *s, int32_t day, int minute);
/* Acts as a doctor of institution inst (for the family-doctor pool and care plans), or as
 * the system admin again with inst 0. */
void sim_act_as(struct sim *s, int64_t inst);
/* Booking refusals that the model answers by going elsewhere, not failures. */
bool sim_soft(enum yl_err err);

/* world.c */
enum yl_err sim_world_load(struct sim *s);
void sim_world_free(struct sim_world *w);
int sim_township_find(const struct sim_world *w, const char *code);
/* Resizes the hospitals' templates to the expected demand and the policy's quotas. */
enum yl_err sim_world_calibrate(struct sim *s);
/* Generates sessions so that they exist through day + horizon. */
enum yl_err sim_world_sessions(struct sim *s, int32_t day);

/* state.c: the event queue */
enum yl_err sim_events_init(const struct yl_ctx *c);
enum yl_err sim_event_push(struct sim *s, const struct sim_event *e);
/* Up to max events of day after (minute, id) cursor, in order; *n receives the count. */
enum yl_err sim_events_next(struct sim *s, int32_t day, int after_minute, int64_t after_id,
			    struct sim_event *out, int max, int *n);
enum yl_err sim_events_drop_day(struct sim *s, int32_t day);
enum yl_err sim_events_count(struct sim *s, int64_t *n);

/* people.c */
/* Picks a resident with probability proportional to the visit (inpatient false) or admission
 * weight of their age and conditions, and loads them. */
enum yl_err sim_person_pick(struct sim *s, bool inpatient, struct sim_person *out);
enum yl_err sim_person_load(struct sim *s, int64_t id, struct sim_person *out);
/* Fills the sampling index of s->w from the registry (max_resident_id must be known). */
enum yl_err sim_people_index(struct sim *s);
/* What the sampling index says of resident id on day today (id, age, tags, township; not the
 * contract), as a draw sees them: false when the index does not know them. For the tests
 * that hold it to the registry. */
bool sim_person_indexed(const struct sim_world *w, int64_t id, int32_t today,
			struct sim_person *out);
enum yl_err sim_contracting(struct sim *s);

/* care.c */
enum yl_err sim_visits(struct sim *s, int64_t n);
enum yl_err sim_admissions(struct sim *s, int64_t n);
enum yl_err sim_event_care(struct sim *s, const struct sim_event *e);
/* Records an encounter of resident; *id (may be NULL) receives its id. */
enum yl_err sim_record(struct sim *s, const char *kind, int64_t resident,
		       int64_t inst, int64_t dept, int level, const char *dx, int32_t visit,
		       int32_t discharge, int64_t booking, int64_t referral, int64_t *id);
/* The institution and department of place for who; false when the region has none. */
bool sim_locate(struct sim *s, const struct sim_person *who, int place, int dept,
		int64_t *inst, int64_t *dept_id, int *level);

/* refer.c */
enum yl_err sim_refer_up(struct sim *s, const struct sim_person *who, int64_t from_inst,
			 int64_t enc, const char *dx);
enum yl_err sim_refer_down(struct sim *s, const struct sim_person *who, int64_t from_inst,
			   int64_t enc, const char *dx, bool inpatient);
enum yl_err sim_event_referral(struct sim *s, const struct sim_event *e);

#endif
