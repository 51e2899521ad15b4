#pragma once
// The one JSON type of the output layer (nlohmann's order-keeping object) and
// the helpers every writer uses. Private to src/io.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "endstate/io/table.hpp"

namespace endstate::io::detail {

using Json = nlohmann::ordered_json;

/// {"format_version": kFormatVersion, "kind": kind}.
Json document(std::string_view kind);
/// Copies every member of the object `from` into `into`.
void merge(Json& into, const Json& from);
/// A cell as JSON (null, bool, integer, number, string, array of strings).
Json to_json(const Cell& c);
/// A number or null (missing, NaN, infinite).
Json number_or_null(std::optional<double> v);
/// The table's rows as an array of objects keyed by column name.
Json rows_json(const Table& t);
/// Pretty-printed document and a newline; invalid UTF-8 replaced, never thrown on.
void write_json(std::ostream& out, const Json& doc);
/// The table in any format; for kJson the rows go under `rows_key` of `doc`.
void write_table(std::ostream& out, const Table& t, const WriteOptions& o, Json doc, std::string_view rows_key);

}  // namespace endstate::io::detail
