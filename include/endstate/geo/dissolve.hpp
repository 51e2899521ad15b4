#pragma once
// Dissolve: union of small units into larger ones through a crosswalk, keeping
// both levels linked (each unit's parent_id is set to its group's id).

#include <map>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/io.hpp"

namespace endstate::geo {

/// Crosswalk read from CSV: key column value -> group name.
/// Throws Error(kBadInput) with file:line:field on a missing column, an empty
/// key or group, a key or group that is not UTF-8 or holds a NUL byte, a key
/// listed twice with different groups, or a file past kMaxTextFileBytes
/// (core/io.hpp); reads pipes and FIFOs too.
std::map<std::string, std::string> read_crosswalk(const std::string& csv_path, const std::string& key_column,
                                                  const std::string& into_column);
/// The same from an open stream (or bytes in memory).
std::map<std::string, std::string> read_crosswalk(InputStream in, const std::string& key_column,
                                                  const std::string& into_column);

/// Unions `units` into groups. Every unit must appear in the crosswalk (a
/// missing one is Error(kBadInput) naming it). Groups get id slugify(name),
/// name as given, level `group_level`, population = sum when every member has
/// one. Sets each unit's parent_id. Result is sorted by id (deterministic).
std::vector<Area> dissolve(std::vector<Area>& units, const std::map<std::string, std::string>& crosswalk,
                           const std::string& group_level);

}  // namespace endstate::geo
