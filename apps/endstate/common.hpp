#pragma once
// Helpers used by several command files.

#include <optional>
#include <string>

#include "endstate/core/types.hpp"
#include "endstate/ingest/importer.hpp"
#include "cli.hpp"

namespace endstate::cli {

/// --month / --from / --to values; usage error naming the flag when malformed.
std::optional<Month> month_flag(const Args& a, const std::string& flag);
/// Import options from --strict and --reject-limit.
ingest::ImportOptions import_options(const Args& a);
/// Flags every import command takes.
std::vector<FlagSpec> import_flags();

}  // namespace endstate::cli
