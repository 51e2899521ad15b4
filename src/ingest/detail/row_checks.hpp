#pragma once
// Validation helpers shared by the ingest readers (module-private).
//
// Fatal problems (the whole file is unusable) throw Error(kBadInput) with a
// Position naming file, line and column. Row problems fill a Reject (field and
// reason; the caller sets the line) and return false, so that the reader can
// hand the reject to its sink and go on with the next row. Reasons are the
// ones listed in docs/data-formats.md: bad date, end before start, coordinate
// not a number / NaN / out of range, lat/lon look swapped, negative counts,
// low > best or best > high, not UTF-8, wrong number of fields, missing id.
//
// The helpers allocate only when they build a reject or a fatal message, so
// the readers' hot loops stay allocation-free on good rows.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "endstate/core/csv.hpp"
#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"

namespace endstate::ingest::detail {

/// Readers report progress every this many rows.
inline constexpr std::int64_t kProgressEveryRows = 65536;

/// A column index into the current record; -1 when the file has no such column.
using Col = int;

/// The header record of a CSV file.
struct Header {
  std::vector<std::string> names;  ///< trimmed column names, in file order

  /// Index of the first column named `name` (case-insensitive), or -1.
  [[nodiscard]] Col find(std::string_view name) const;
  /// Index of the first of `names_in_order` that is present, or -1.
  [[nodiscard]] Col find_any(std::initializer_list<std::string_view> names_in_order) const;
  [[nodiscard]] std::size_t size() const { return names.size(); }
};

/// Reads the header record of `csv`. Throws Error(kBadInput) for an empty file
/// ("file is empty"), a header holding a NUL byte or bytes that are not UTF-8
/// (a binary file), and a one-column header that contains ';' or a tab
/// ("wrong delimiter").
Header read_header(CsvReader& csv);

/// Throws Error(kBadInput) at line 1 naming every missing column and what to do.
[[noreturn]] void throw_missing_columns(const std::string& path, const std::vector<std::string>& missing,
                                        std::string_view format_name, std::string_view what_to_do);

/// True when the first byte after an optional UTF-8 BOM and white space is '{'
/// (looks ahead without consuming).
bool starts_like_json(InputStream& in);

/// The field of `fields` at `c`, or "" when the column is absent or the row short.
inline std::string_view field_at(const std::vector<std::string_view>& fields, Col c) {
  return c >= 0 && static_cast<std::size_t>(c) < fields.size() ? fields[static_cast<std::size_t>(c)]
                                                               : std::string_view{};
}

/// Rejects a record whose field count differs from the header's:
/// "expected N fields, found M"; the field is the first missing column (or
/// empty when there are too many fields).
bool check_field_count(const std::vector<std::string_view>& fields, const Header& header, Reject& r);

/// Rejects the first field holding bytes that are not UTF-8 ("not valid UTF-8
/// at byte N", N = 0-based offset within the field) or a NUL byte ("NUL byte
/// at byte N"). `raw` is the whole record (fast all-ASCII path); `names` name
/// the fields.
bool check_utf8(std::string_view raw, const std::vector<std::string_view>& fields,
                const std::vector<std::string>& names, Reject& r);
/// The same for one value.
bool check_utf8_value(std::string_view value, std::string_view field, Reject& r);

/// Parses a required date ("YYYY-MM-DD", "YYYY/MM/DD", "D Month YYYY") whose
/// year is plausible (kFirstEventYear..last_event_year(), core/types.hpp).
bool parse_date(std::string_view text, std::string_view field, Date& out, Reject& r);
/// Rejects a year outside kFirstEventYear..last_event_year().
bool check_year(int year, std::string_view field, Reject& r);
/// Rejects an end before the start (field = `end_field`).
bool check_date_order(Date start, Date end, std::string_view end_field, Reject& r);

/// Parses a required coordinate pair: missing, not a number, NaN, out of range,
/// and "lat/lon look swapped" (|lat| > 90 while |lon| <= 90) are rejects.
bool parse_lat_lon(std::string_view lat_text, std::string_view lon_text, std::string_view lat_field,
                   std::string_view lon_field, LatLon& out, Reject& r);

/// Parses a required non-negative whole number; `what` names it in reasons
/// ("fatalities" gives "negative fatalities (-3)").
bool parse_count(std::string_view text, std::string_view field, std::string_view what, std::int64_t& out, Reject& r);
/// As parse_count, but a missing value gives `fallback`.
bool parse_count_or(std::string_view text, std::string_view field, std::string_view what, std::int64_t fallback,
                    std::int64_t& out, Reject& r);
/// As parse_count, but a missing value gives nullopt.
bool parse_optional_count(std::string_view text, std::string_view field, std::string_view what,
                          std::optional<std::int64_t>& out, Reject& r);
/// A whole number (any sign); a missing value gives `fallback`.
bool parse_int_or(std::string_view text, std::string_view field, int fallback, int& out, Reject& r);

/// Rejects low > best or best > high.
bool check_fatality_bounds(std::int64_t low, std::int64_t best, std::int64_t high, std::string_view low_field,
                           std::string_view best_field, std::string_view high_field, Reject& r);

/// Copies a required id; a missing value ("", "NA", ...) is a reject.
bool take_id(std::string_view text, std::string_view field, std::string& out, Reject& r);

/// Copies text into `out` (reusing its capacity); missing spellings become "".
void assign_text(std::string& out, std::string_view text);

/// Site key: mission | location | lat (%.4f) | lon (%.4f); -0.0000 is written 0.0000.
std::string site_key(std::string_view mission, std::string_view location, LatLon where);

/// The loop every CSV reader shares: for each record after the header, reject
/// a wrong field count or bytes that are not UTF-8, else call
/// `row(fields, line, reject)`; a false return hands `reject` to the sink.
/// Reports progress every kProgressEveryRows rows and at the end when the sink
/// takes progress.
template <typename Sink, typename RowFn>
void for_each_row(CsvReader& csv, const Header& header, Sink& sink, RowFn&& row) {
  Reject reject;
  std::int64_t rows = 0;
  while (csv.next()) {
    const std::vector<std::string_view>& fields = csv.fields();
    if (++rows % kProgressEveryRows == 0) {
      if constexpr (requires { sink.on_progress(std::int64_t{}, std::int64_t{}); }) {
        sink.on_progress(csv.bytes_consumed(), csv.file_size());
      }
    }
    if (check_field_count(fields, header, reject) && check_utf8(csv.raw(), fields, header.names, reject) &&
        row(fields, csv.line(), reject)) {
      continue;
    }
    reject.line = csv.line();
    sink.on_reject(std::move(reject));
    reject = Reject{};
  }
  if constexpr (requires { sink.on_progress(std::int64_t{}, std::int64_t{}); }) {
    sink.on_progress(csv.bytes_consumed(), csv.file_size());
  }
}

}  // namespace endstate::ingest::detail
