#pragma once
// Helpers used by several command files.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "endstate/core/types.hpp"
#include "endstate/ingest/importer.hpp"
#include "cli.hpp"

namespace endstate::cli {

/// --month / --from / --to values; usage error naming the flag when malformed.
std::optional<Month> month_flag(const Args& a, const std::string& flag);
/// An integer flag in lo..hi (a whole number written as "12.0" counts);
/// usage error naming the flag, the range and the value otherwise.
std::int64_t int_flag(const Args& a, const std::string& flag, std::int64_t lo,
                      std::int64_t hi = std::numeric_limits<std::int64_t>::max());
/// A finite number flag in [lo, hi]; usage error naming the flag, the range and the value otherwise.
double number_flag(const Args& a, const std::string& flag, double lo = -std::numeric_limits<double>::infinity(),
                   double hi = std::numeric_limits<double>::infinity());
/// Import options from --strict and --reject-limit.
ingest::ImportOptions import_options(const Args& a);
/// Flags every import command takes.
std::vector<FlagSpec> import_flags();

}  // namespace endstate::cli
