#include "detail/row_checks.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/core/utf8.hpp"

namespace endstate::ingest::detail {

namespace {

/// A value quoted for a reason, shortened so that a huge field cannot flood a report.
std::string quoted(std::string_view v) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  if (v.size() > kMax) {
    out.append(v.substr(0, kMax));
    out += "...";
  } else {
    out.append(v);
  }
  out += "'";
  return out;
}

bool fail(Reject& r, std::string_view field, std::string reason) {
  r.field.assign(field);
  r.reason = std::move(reason);
  return false;
}

/// True when no byte of `s` has its high bit set (8 bytes at a time).
bool all_ascii(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t acc = 0;
  while (n >= 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    acc |= w;
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    acc |= static_cast<unsigned char>(*p);
    ++p;
    --n;
  }
  return (acc & 0x8080808080808080ULL) == 0;
}

std::string number_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

Col Header::find(std::string_view name) const { return find_column(names, name); }

Col Header::find_any(std::initializer_list<std::string_view> names_in_order) const {
  for (auto n : names_in_order) {
    const Col c = find(n);
    if (c >= 0) return c;
  }
  return -1;
}

Header read_header(CsvReader& csv) {
  if (!csv.next()) {
    throw Error(ErrorCategory::kBadInput, "file is empty (no header row); export the data again with its header",
                {csv.path(), 1, ""});
  }
  Header h;
  h.names.reserve(csv.size());
  for (auto f : csv.fields()) {
    if (f.find('\0') != std::string_view::npos) {
      throw Error(ErrorCategory::kBadInput,
                  "the header holds binary data (a NUL byte): this is not a CSV text file; export the data again "
                  "as CSV (UTF-8)",
                  {csv.path(), csv.line(), ""});
    }
    if (const std::size_t bad = first_invalid_utf8(f); bad != std::string_view::npos) {
      throw Error(ErrorCategory::kBadInput,
                  "column " + std::to_string(h.names.size() + 1) + " of the header is not valid UTF-8 (byte " +
                      std::to_string(bad) + "); save the file as CSV UTF-8",
                  {csv.path(), csv.line(), ""});
    }
    h.names.emplace_back(trim(f));
  }
  if (h.names.size() == 1) {
    const std::string& only = h.names[0];
    const char* which = only.find(';') != std::string::npos    ? "';'"
                        : only.find('\t') != std::string::npos ? "a tab"
                                                               : nullptr;
    if (which) {
      throw Error(ErrorCategory::kBadInput,
                  std::string("wrong delimiter: the header is one column that contains ") + which +
                      "; save the file as comma-separated CSV (in Excel: 'CSV UTF-8 (comma delimited)')",
                  {csv.path(), csv.line(), ""});
    }
  }
  return h;
}

void throw_missing_columns(const std::string& path, const std::vector<std::string>& missing,
                           std::string_view format_name, std::string_view what_to_do) {
  std::string msg = "missing required column";
  if (missing.size() > 1) msg += "s";
  msg += " for " + std::string(format_name) + ": ";
  for (std::size_t i = 0; i < missing.size(); ++i) {
    if (i) msg += ", ";
    msg += missing[i];
  }
  msg += "; ";
  msg.append(what_to_do);
  throw Error(ErrorCategory::kBadInput, std::move(msg), {path, 1, missing.empty() ? "" : missing.front()});
}

bool starts_like_json(InputStream& in) {
  // Look further only while there is nothing but white space (bounded: 1 MiB).
  for (std::size_t n = 4096; n <= (std::size_t{1} << 20); n *= 4) {
    std::string_view s = in.peek(n);
    const bool all = s.size() < n;
    if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
    for (char c : s) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
      return c == '{';
    }
    if (all) return false;
  }
  return false;
}

bool check_field_count(const std::vector<std::string_view>& fields, const Header& header, Reject& r) {
  if (fields.size() == header.size()) return true;
  const std::string field = fields.size() < header.size() ? header.names[fields.size()] : std::string();
  return fail(r, field,
              "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(fields.size()));
}

bool check_utf8_value(std::string_view value, std::string_view field, Reject& r) {
  if (const auto nul = value.find('\0'); nul != std::string_view::npos) {
    return fail(r, field, "NUL byte (\\0) at byte " + std::to_string(nul) + "; text must not hold NUL bytes");
  }
  if (all_ascii(value)) return true;
  const std::size_t at = first_invalid_utf8(value);
  if (at == std::string_view::npos) return true;
  return fail(r, field, "not valid UTF-8 at byte " + std::to_string(at));
}

bool check_utf8(std::string_view raw, const std::vector<std::string_view>& fields,
                const std::vector<std::string>& names, Reject& r) {
  // `raw` may have been unescaped in place by the CSV reader; it still holds
  // every byte of the record, so "all ASCII, no NUL" on it is a safe fast path.
  if (all_ascii(raw) && std::memchr(raw.data(), '\0', raw.size()) == nullptr) return true;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string_view name = i < names.size() ? std::string_view(names[i]) : std::string_view("(extra field)");
    if (!check_utf8_value(fields[i], name, r)) return false;
  }
  return true;
}

bool check_year(int year, std::string_view field, Reject& r) {
  if (plausible_event_year(year)) return true;
  return fail(r, field,
              "year " + std::to_string(year) + " is outside the plausible range " + std::to_string(kFirstEventYear) +
                  ".." + std::to_string(last_event_year()));
}

bool parse_date(std::string_view text, std::string_view field, Date& out, Reject& r) {
  if (is_missing(text)) return fail(r, field, std::string(field) + " is missing");
  const auto d = Date::parse(text);
  if (!d) {
    return fail(r, field, quoted(text) + " is not a date (expected YYYY-MM-DD, YYYY/MM/DD or D Month YYYY)");
  }
  if (!check_year(d->year(), field, r)) return false;
  out = *d;
  return true;
}

bool check_date_order(Date start, Date end, std::string_view end_field, Reject& r) {
  if (end >= start) return true;
  return fail(r, end_field, "end date " + end.iso() + " is before start date " + start.iso());
}

namespace {

bool parse_coordinate(std::string_view text, std::string_view field, double& out, Reject& r) {
  const std::string_view t = trim(text);
  if (iequals(t, "nan")) return fail(r, field, std::string(field) + " is NaN");
  if (is_missing(t)) return fail(r, field, std::string(field) + " is missing");
  const auto v = parse_double(t);
  if (!v) return fail(r, field, quoted(t) + " is not a number");
  out = *v;
  return true;
}

}  // namespace

bool parse_lat_lon(std::string_view lat_text, std::string_view lon_text, std::string_view lat_field,
                   std::string_view lon_field, LatLon& out, Reject& r) {
  double lat = 0;
  double lon = 0;
  if (!parse_coordinate(lat_text, lat_field, lat, r)) return false;
  if (!parse_coordinate(lon_text, lon_field, lon, r)) return false;
  if (std::fabs(lat) > 90.0 && std::fabs(lon) <= 90.0) {
    return fail(r, lat_field,
                "latitude " + number_text(lat) + " is out of range [-90, 90] and lat/lon look swapped: longitude " +
                    number_text(lon) + " is within +-90");
  }
  if (std::fabs(lat) > 90.0) {
    return fail(r, lat_field, "latitude " + number_text(lat) + " is out of range [-90, 90]");
  }
  if (std::fabs(lon) > 180.0) {
    return fail(r, lon_field, "longitude " + number_text(lon) + " is out of range [-180, 180]");
  }
  out.lat = lat;
  out.lon = lon;
  return true;
}

namespace {

bool parse_count_value(std::string_view text, std::string_view field, std::string_view what, std::int64_t& out,
                       Reject& r) {
  const auto v = parse_int64(text);
  if (!v) return fail(r, field, quoted(trim(text)) + " is not a whole number");
  if (*v < 0) return fail(r, field, "negative " + std::string(what) + " (" + std::to_string(*v) + ")");
  out = *v;
  return true;
}

}  // namespace

bool parse_count(std::string_view text, std::string_view field, std::string_view what, std::int64_t& out, Reject& r) {
  if (is_missing(text)) return fail(r, field, std::string(field) + " is missing");
  return parse_count_value(text, field, what, out, r);
}

bool parse_count_or(std::string_view text, std::string_view field, std::string_view what, std::int64_t fallback,
                    std::int64_t& out, Reject& r) {
  if (is_missing(text)) {
    out = fallback;
    return true;
  }
  return parse_count_value(text, field, what, out, r);
}

bool parse_optional_count(std::string_view text, std::string_view field, std::string_view what,
                          std::optional<std::int64_t>& out, Reject& r) {
  if (is_missing(text)) {
    out.reset();
    return true;
  }
  std::int64_t v = 0;
  if (!parse_count_value(text, field, what, v, r)) return false;
  out = v;
  return true;
}

bool parse_int_or(std::string_view text, std::string_view field, int fallback, int& out, Reject& r) {
  if (is_missing(text)) {
    out = fallback;
    return true;
  }
  const auto v = parse_int64(text);
  if (!v || *v < -1'000'000'000 || *v > 1'000'000'000) {
    return fail(r, field, quoted(trim(text)) + " is not a whole number");
  }
  out = static_cast<int>(*v);
  return true;
}

bool check_fatality_bounds(std::int64_t low, std::int64_t best, std::int64_t high, std::string_view low_field,
                           std::string_view best_field, std::string_view high_field, Reject& r) {
  if (low > best) {
    return fail(r, low_field,
                std::string(low_field) + " (" + std::to_string(low) + ") > " + std::string(best_field) + " (" +
                    std::to_string(best) + ")");
  }
  if (best > high) {
    return fail(r, high_field,
                std::string(best_field) + " (" + std::to_string(best) + ") > " + std::string(high_field) + " (" +
                    std::to_string(high) + ")");
  }
  return true;
}

bool take_id(std::string_view text, std::string_view field, std::string& out, Reject& r) {
  const std::string_view t = trim(text);
  if (is_missing(t)) return fail(r, field, "missing id (" + std::string(field) + " is empty)");
  out.assign(t);
  return true;
}

void assign_text(std::string& out, std::string_view text) {
  const std::string_view t = trim(text);
  if (is_missing(t)) {
    out.clear();
  } else {
    out.assign(t);
  }
}

std::string site_key(std::string_view mission, std::string_view location, LatLon where) {
  auto fmt = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    std::string s = buf;
    if (s == "-0.0000") s = "0.0000";
    return s;
  };
  std::string key;
  key.reserve(mission.size() + location.size() + 24);
  key.append(mission);
  key += '|';
  key.append(location);
  key += '|';
  key += fmt(where.lat);
  key += '|';
  key += fmt(where.lon);
  return key;
}

}  // namespace endstate::ingest::detail
