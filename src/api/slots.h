/* slots.h - the JSON form of a slot, shared by /api/v1/sessions/{id} and /api/v1/slots so the
 * two never describe a slot differently.
 */
#ifndef YL_API_SLOTS_H
#define YL_API_SLOTS_H

#include "base/json_write.h"
#include "domain/slot.h"

/* Writes the members of slot s with its pools v into the object open in w: ids, times
 * (starts_at/ends_at ISO UTC, local_time "HH:MM" Asia/Shanghai), capacity, quota, booked,
 * free, released, fallen_back, opens_at, falls_back_at, stopped. */
void yl_slot_json_members(struct yl_jw *w, const struct yl_slot *s, const struct yl_pool_view *v);

#endif
