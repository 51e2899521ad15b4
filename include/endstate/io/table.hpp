#pragma once
// The output layer's shared pieces: formats, write options, and a typed table
// that every front end renders the same way. One writer per result type
// (io/writers.hpp) builds on these.
//
// - JSON: numbers are numbers, missing values null, lists arrays; every
//   document is an object carrying "format_version" and "kind".
// - CSV (RFC 4180): comma-separated, lists inside a cell joined by ';', text
//   cells starting with = + - @ (or a tab or carriage return) prefixed with an
//   apostrophe so spreadsheets do not run them as formulas; optional UTF-8 BOM
//   for Excel on Windows.
// - Table: aligned columns for a terminal.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace endstate::io {

/// The version of every JSON and GeoJSON document's layout (docs/schemas/).
inline constexpr int kFormatVersion = 1;

enum class Format { kTable, kCsv, kJson, kGeoJson };

/// "table", "csv", "json", "geojson".
std::string_view to_string(Format f);
/// Parses a format name; nullopt for anything else.
std::optional<Format> parse_format(std::string_view s);

struct WriteOptions {
  Format format = Format::kTable;
  bool bom = false;  ///< CSV: start with a UTF-8 byte-order mark (Excel on Windows)
  std::string view;  ///< which table or layer, for results with several ("" = the default)
};

/// One cell: nothing (null), a flag, a whole number, a number, text or a list of texts.
using Cell = std::variant<std::monostate, bool, std::int64_t, double, std::string, std::vector<std::string>>;

/// A number cell, or null when `v` is empty or not finite.
Cell number(std::optional<double> v);
/// A text cell.
inline Cell text(std::string s) { return Cell(std::move(s)); }

struct Column {
  std::string name;
  int decimals = -1;  ///< table and CSV: digits after the point for numbers; -1 = shortest exact form
};

/// A rectangular result with typed cells.
struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;

  Table() = default;
  Table(std::vector<Column> c) : columns(std::move(c)) {}  // NOLINT(google-explicit-constructor)
  void add(std::vector<Cell> row) { rows.push_back(std::move(row)); }
};

/// `v` with `decimals` digits after the point (-1: the shortest text that reads back exactly).
/// Any magnitude (no truncation); "" for NaN and infinities.
std::string format_number(double v, int decimals = -1);

/// One cell as text for a table or CSV (lists joined by ';').
std::string cell_text(const Cell& c, int decimals);

/// CSV field quoting (RFC 4180) and the formula guard for text cells.
std::string csv_field(std::string_view s);
std::string guard_formula(std::string_view s);

/// Writes the table: kTable aligned, kCsv with header (BOM when asked), kJson
/// as {"format_version", "kind", "<rows_key>": [ {column: value}, ... ]}.
void write_table(std::ostream& out, const Table& t, const WriteOptions& o, std::string_view kind,
                 std::string_view rows_key);

/// The CSV byte-order mark when asked for.
void begin_csv(std::ostream& out, const WriteOptions& o);

}  // namespace endstate::io
