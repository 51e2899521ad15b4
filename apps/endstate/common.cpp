#include "common.hpp"

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "endstate/core/error.hpp"
#include "endstate/core/io.hpp"
#include "endstate/core/progress.hpp"
#include "endstate/core/strings.hpp"

namespace endstate::cli {

std::optional<Month> month_flag(const Args& a, const std::string& flag) {
  auto v = a.maybe(flag);
  if (!v) return std::nullopt;
  auto m = Month::parse(*v);
  if (!m) throw usage_error("--" + flag + " must be a month as YYYY-MM (got '" + *v + "')");
  return m;
}

namespace {

std::string range_text(double lo, double hi) {
  if (std::isinf(lo) && std::isinf(hi)) return "";
  if (std::isinf(hi)) return " >= " + io::format_number(lo, 3);
  if (std::isinf(lo)) return " <= " + io::format_number(hi, 3);
  return " in [" + io::format_number(lo, 3) + ", " + io::format_number(hi, 3) + "]";
}

}  // namespace

std::int64_t int_flag(const Args& a, const std::string& flag, std::int64_t lo, std::int64_t hi) {
  const std::string text = a.get(flag);
  std::optional<std::int64_t> v = parse_int64(text);
  if (!v) {
    const auto d = parse_double(text);
    if (d && std::isfinite(*d) && *d == std::floor(*d) && std::abs(*d) < 9e15) v = static_cast<std::int64_t>(*d);
  }
  if (!v || *v < lo || *v > hi) {
    const std::string range = hi == std::numeric_limits<std::int64_t>::max()
                                  ? " >= " + std::to_string(lo)
                                  : " in " + std::to_string(lo) + ".." + std::to_string(hi);
    throw usage_error("--" + flag + " must be an integer" + range + " (got '" + text + "')");
  }
  return *v;
}

double number_flag(const Args& a, const std::string& flag, double lo, double hi) {
  const std::string text = a.get(flag);
  const auto v = parse_double(text);
  if (!v || !std::isfinite(*v) || *v < lo || *v > hi) {
    throw usage_error("--" + flag + " must be a number" + range_text(lo, hi) + " (got '" + text + "')");
  }
  return *v;
}

std::vector<std::string> list_flag(const Args& a, const std::string& flag) {
  std::vector<std::string> out;
  if (!a.has(flag)) return out;
  for (const auto& p : split(a.get(flag), ',')) {
    const auto t = trim(p);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.flush();
  if (!f) throw environment_error("cannot write " + path);
}

std::string input_path(const std::string& arg) { return arg == "-" ? kStdinPath : arg; }

std::string plan_path(const std::string& arg) {
  if (arg == "-") throw usage_error("a plan file names files relative to its folder; give its path, not '-'");
  return arg;
}

io::WriteOptions write_options(const Args& a, bool allow_geojson) {
  io::WriteOptions o;
  const std::string f = a.get("format");
  const auto p = io::parse_format(f);
  if (!p || (*p == io::Format::kGeoJson && !allow_geojson)) {
    throw usage_error("--format must be one of table, csv, json" + std::string(allow_geojson ? ", geojson" : "") +
                      " (got '" + f + "')");
  }
  o.format = *p;
  o.bom = a.has("bom");
  return o;
}

service::Engine engine(const Args& a) {
  struct Bars {
    std::map<std::string, std::unique_ptr<Progress>> by_stage;
  };
  auto bars = std::make_shared<Bars>();
  service::Hooks h;
  h.warning = [](const std::string& m) { std::cerr << "warning: " << m << "\n"; };
  h.progress = [bars](const std::string& stage, std::int64_t done, std::int64_t total) {
    auto& p = bars->by_stage[stage];
    if (!p) p = std::make_unique<Progress>(stage, total);
    p->update(done);
    if (total > 0 && done >= total) {
      p->finish();
      bars->by_stage.erase(stage);
    }
  };
  return service::Engine(a.db_path(), std::move(h));
}

ingest::ImportOptions import_options(const Args& a) {
  ingest::ImportOptions o;
  o.strict = a.has("strict");
  o.reject_limit = static_cast<std::size_t>(int_flag(a, "reject-limit", 0, 1000000));
  o.outside_limit = static_cast<std::size_t>(int_flag(a, "outside-limit", 0, 1000000));
  o.max_stream_bytes = static_cast<std::int64_t>(int_flag(a, "max-stream-mib", 1, 1 << 20)) << 20;
  return o;
}

FlagSpec bom_flag() { return {"bom", "", "CSV: start with a UTF-8 byte-order mark (Excel on Windows)", ""}; }

std::vector<FlagSpec> import_flags() {
  return {{"strict", "", "reject the whole file at its first bad row (exit 2, nothing written)", ""},
          {"reject-limit", "N", "rejects listed in the summary; past N all go to a CSV beside the database", "50"},
          {"outside-limit", "N", "points outside every area listed in the summary (the farthest N)", "20"},
          {"max-stream-mib", "MIB",
           "largest input read from a pipe, FIFO or standard input (copied to a temporary file to fingerprint it)",
           "16384"},
          {"format", "FMT", "summary as table, csv or json", "table"}};
}

}  // namespace endstate::cli
