#pragma once
// Flag parsing and the engine and writer set-up every command shares.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "endstate/core/types.hpp"
#include "endstate/ingest/importer.hpp"
#include "endstate/io/table.hpp"
#include "endstate/service/engine.hpp"

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
/// A comma-separated list ("" = empty).
std::vector<std::string> list_flag(const Args& a, const std::string& flag);
/// A file argument: "-" means standard input.
std::string input_path(const std::string& arg);
/// A plan file's path: '-' is refused (a plan names files relative to its folder).
std::string plan_path(const std::string& arg);

/// Writes a whole text file (new or replaced); Error(kEnvironment) when it cannot.
void write_text_file(const std::string& path, const std::string& text);

/// --format (and --bom, --view when given) as writer options.
io::WriteOptions write_options(const Args& a, bool allow_geojson);
/// The engine on --db, reporting progress and warnings on stderr.
service::Engine engine(const Args& a);

/// Import options from --strict and --reject-limit.
ingest::ImportOptions import_options(const Args& a);
/// Flags every import command takes.
std::vector<FlagSpec> import_flags();
/// --bom: the flag that asks for a UTF-8 byte-order mark in CSV output.
FlagSpec bom_flag();

}  // namespace endstate::cli
