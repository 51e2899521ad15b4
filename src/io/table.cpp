#include "endstate/io/table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "endstate/core/error.hpp"
#include "io/detail/json.hpp"

namespace endstate::io {

std::string_view to_string(Format f) {
  switch (f) {
    case Format::kTable:
      return "table";
    case Format::kCsv:
      return "csv";
    case Format::kJson:
      return "json";
    case Format::kGeoJson:
      return "geojson";
  }
  return "table";
}

std::optional<Format> parse_format(std::string_view s) {
  for (auto f : {Format::kTable, Format::kCsv, Format::kJson, Format::kGeoJson}) {
    if (s == to_string(f)) return f;
  }
  return std::nullopt;
}

Cell number(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return std::monostate{};
  return *v;
}

std::string format_number(double v, int decimals) {
  if (!std::isfinite(v)) return "";
  if (decimals < 0) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
  }
  const int n = std::snprintf(nullptr, 0, "%.*f", decimals, v);
  std::string s(static_cast<std::size_t>(n) + 1, '\0');
  std::snprintf(s.data(), s.size(), "%.*f", decimals, v);
  s.resize(static_cast<std::size_t>(n));
  if (s == "-0" || s.find_first_not_of("-0.") == std::string::npos) {
    if (!s.empty() && s[0] == '-') s.erase(0, 1);  // no "-0.00"
  }
  return s;
}

std::string cell_text(const Cell& c, int decimals) {
  struct Visitor {
    int decimals;
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return format_number(d, decimals); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string out;
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ";" : "") + v[i];
      return out;
    }
  };
  return std::visit(Visitor{decimals}, c);
}

std::string guard_formula(std::string_view s) {
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')) {
    return "'" + std::string(s);
  }
  return std::string(s);
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

void begin_csv(std::ostream& out, const WriteOptions& o) {
  if (o.bom) out << "\xEF\xBB\xBF";
}

namespace {

std::size_t display_width(const std::string& s) {
  std::size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string csv_cell(const Cell& c, int decimals) {
  const std::string t = cell_text(c, decimals);
  const bool is_text = std::holds_alternative<std::string>(c) || std::holds_alternative<std::vector<std::string>>(c);
  return csv_field(is_text ? guard_formula(t) : t);
}

void write_csv(std::ostream& out, const Table& t, const WriteOptions& o) {
  begin_csv(out, o);
  for (std::size_t i = 0; i < t.columns.size(); ++i) out << (i ? "," : "") << csv_field(t.columns[i].name);
  out << "\n";
  for (const auto& r : t.rows) {
    for (std::size_t i = 0; i < r.size() && i < t.columns.size(); ++i) {
      out << (i ? "," : "") << csv_cell(r[i], t.columns[i].decimals);
    }
    out << "\n";
  }
}

void write_aligned(std::ostream& out, const Table& t) {
  std::vector<std::vector<std::string>> cells;
  cells.reserve(t.rows.size());
  std::vector<std::size_t> w(t.columns.size());
  for (std::size_t i = 0; i < t.columns.size(); ++i) w[i] = display_width(t.columns[i].name);
  for (const auto& r : t.rows) {
    std::vector<std::string> line;
    for (std::size_t i = 0; i < r.size() && i < t.columns.size(); ++i) {
      line.push_back(cell_text(r[i], t.columns[i].decimals));
      w[i] = std::max(w[i], display_width(line.back()));
    }
    cells.push_back(std::move(line));
  }
  auto line = [&](const std::vector<std::string>& c) {
    for (std::size_t i = 0; i < c.size(); ++i) {
      out << c[i];
      if (i + 1 < c.size()) out << std::string(w[i] - display_width(c[i]) + 2, ' ');
    }
    out << "\n";
  };
  std::vector<std::string> header, rule;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    header.push_back(t.columns[i].name);
    rule.emplace_back(w[i], '-');
  }
  line(header);
  line(rule);
  for (const auto& c : cells) line(c);
}

}  // namespace

void write_table(std::ostream& out, const Table& t, const WriteOptions& o, std::string_view kind,
                 std::string_view rows_key) {
  detail::write_table(out, t, o, detail::document(kind), rows_key);
}

namespace detail {

Json document(std::string_view kind) {
  Json j;
  j["format_version"] = kFormatVersion;
  j["kind"] = std::string(kind);
  return j;
}

void merge(Json& into, const Json& from) {
  for (auto it = from.begin(); it != from.end(); ++it) into[it.key()] = it.value();
}

Json number_or_null(std::optional<double> v) { return v && std::isfinite(*v) ? Json(*v) : Json(); }

Json to_json(const Cell& c) {
  struct Visitor {
    Json operator()(std::monostate) const { return Json(); }
    Json operator()(bool b) const { return Json(b); }
    Json operator()(std::int64_t i) const { return Json(i); }
    Json operator()(double d) const { return std::isfinite(d) ? Json(d) : Json(); }
    Json operator()(const std::string& s) const { return Json(s); }
    Json operator()(const std::vector<std::string>& v) const { return Json(v); }
  };
  return std::visit(Visitor{}, c);
}

Json rows_json(const Table& t) {
  Json arr = Json::array();
  for (const auto& r : t.rows) {
    Json o = Json::object();
    for (std::size_t i = 0; i < t.columns.size() && i < r.size(); ++i) o[t.columns[i].name] = to_json(r[i]);
    arr.push_back(std::move(o));
  }
  return arr;
}

void write_json(std::ostream& out, const Json& doc) {
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

void write_table(std::ostream& out, const Table& t, const WriteOptions& o, Json doc, std::string_view rows_key) {
  switch (o.format) {
    case Format::kCsv:
      write_csv(out, t, o);
      return;
    case Format::kJson:
      doc[std::string(rows_key)] = rows_json(t);
      write_json(out, doc);
      return;
    case Format::kTable:
      write_aligned(out, t);
      return;
    case Format::kGeoJson:
      break;
  }
  throw invalid_field("format", "this output has no geojson form; use table, csv or json");
}

}  // namespace detail
}  // namespace endstate::io
