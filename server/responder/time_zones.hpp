// The TimeZone names a session may set, found as PG 15 finds them (pg_tzset): a compiled
// zone file under /usr/share/zoneinfo, whose name matches case-insensitively and is shown
// in the file's own spelling, or else a POSIX TZ spec, shown upper-cased.
#pragma once

#include <memory>
#include <string_view>

#include "types/time_zone.hpp"

namespace fauxgres::responder {

class settings;

// nullptr when PG would not know the zone. Found zones are kept for the process.
std::shared_ptr<const types::time_zone> find_time_zone(std::string_view name);

// The session's TimeZone. The setting was checked when it was set; a zone file removed
// since reads as UTC. Never null.
std::shared_ptr<const types::time_zone> session_time_zone(const settings& session_settings);

}  // namespace fauxgres::responder
