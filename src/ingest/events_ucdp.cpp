// UCDP Georeferenced Event Dataset (GED), CSV and GeoJSON export.
//
// Reference: UCDP GED Codebook version 22.1 (Högbladh 2022; Sundberg & Melander
// 2013, JPR 50(4)): the variable list (49 columns, unchanged in 23.1), §5.1
// event identifiers (`id`), §5.2 actors (`side_a`, `side_b`), §5.4.2
// geo-precision (`where_prec` 1..7), date precision (`date_prec` 1..5), §5.7
// fatality figures (`best`, `low`, `high`, `deaths_civilians`).
//
// Mapping (docs/data-formats.md, "UCDP GED CSV"): source "ucdp", source_id =
// id; date_start/date_end/date_prec; latitude/longitude/where_prec;
// type_of_violence 1/2/3 -> state-based / non-state / one-sided (the original
// digit kept); actor1 = side_a, actor2 = side_b; fatalities best/low/high (low
// and high default to best when the columns are absent or the value is NA);
// civilian_deaths = deaths_civilians; country; admin1 = adm_1; location =
// where_coordinates; priogrid_gid. "NA" is a missing value.
//
// Fatality bounds: the codebook (§5.7) has low <= best <= high, but the
// published data breaks it now and then (13 of the 1,000 rows of the GED 23.1
// sample in ../shared/data, e.g. id 464847: best 333, low 334, high 333; id
// 406097: best 18, high 17). Rejecting those rows would drop real deaths and
// make --strict unusable on GED, so for UCDP the interval is widened to hold
// the best estimate: low = min(low, best), high = max(high, best); best is
// never changed. Other sources still reject low > best or best > high.
//
// The GeoJSON export is a FeatureCollection whose features carry the same
// column names as properties; the Point geometry stands in for latitude and
// longitude when those properties are absent. A reject's line is the
// feature's 1-based index. The document is streamed: each feature is parsed,
// handed to the sink and dropped (memory holds one feature, not the file);
// "type" may come before or after "features", so a document that turns out
// not to be a FeatureCollection fails at its end (the importer rolls back).

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "detail/event_readers.hpp"
#include "detail/row_checks.hpp"
#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"

namespace endstate::ingest::detail {

namespace {

/// Column indices of the fields the reader uses (-1 = absent).
struct UcdpCols {
  Col id = -1, type = -1, lat = -1, lon = -1, date_start = -1, date_end = -1, date_prec = -1, where_prec = -1;
  Col side_a = -1, side_b = -1, best = -1, low = -1, high = -1, civilians = -1, country = -1, adm_1 = -1;
  Col where_coordinates = -1, priogrid_gid = -1;
};

/// The names, in the order the GeoJSON reader lays its virtual row out.
constexpr std::string_view kUcdpNames[] = {"id",
                                           "type_of_violence",
                                           "latitude",
                                           "longitude",
                                           "date_start",
                                           "date_end",
                                           "date_prec",
                                           "where_prec",
                                           "side_a",
                                           "side_b",
                                           "best",
                                           "low",
                                           "high",
                                           "deaths_civilians",
                                           "country",
                                           "adm_1",
                                           "where_coordinates",
                                           "priogrid_gid"};

UcdpCols resolve(const Header& h) {
  UcdpCols c;
  c.id = h.find("id");
  c.type = h.find("type_of_violence");
  c.lat = h.find("latitude");
  c.lon = h.find("longitude");
  c.date_start = h.find("date_start");
  c.date_end = h.find("date_end");
  c.date_prec = h.find("date_prec");
  c.where_prec = h.find("where_prec");
  c.side_a = h.find("side_a");
  c.side_b = h.find("side_b");
  c.best = h.find("best");
  c.low = h.find("low");
  c.high = h.find("high");
  c.civilians = h.find("deaths_civilians");
  c.country = h.find("country");
  c.adm_1 = h.find("adm_1");
  c.where_coordinates = h.find("where_coordinates");
  c.priogrid_gid = h.find("priogrid_gid");
  return c;
}

std::vector<std::string> missing_required(const UcdpCols& c, bool have_geometry) {
  std::vector<std::string> missing;
  auto need = [&](Col col, const char* name) {
    if (col < 0) missing.emplace_back(name);
  };
  need(c.id, "id");
  need(c.type, "type_of_violence");
  if (!have_geometry) {
    need(c.lat, "latitude");
    need(c.lon, "longitude");
  }
  need(c.date_start, "date_start");
  need(c.date_end, "date_end");
  need(c.best, "best");
  return missing;
}

constexpr std::string_view kUcdpWhatToDo =
    "this does not look like a UCDP GED export (see docs/data-formats.md); for another layout use --source csv "
    "--map column=field";

/// Parses one GED record into `e` (every field of `e` is assigned).
bool parse_row(const std::vector<std::string_view>& f, const UcdpCols& c, Event& e, Reject& r) {
  if (!take_id(field_at(f, c.id), "id", e.source_id, r)) return false;
  e.source.assign("ucdp");

  const std::string_view type = trim(field_at(f, c.type));
  if (type == "1") {
    e.violence = ViolenceType::kStateBased;
  } else if (type == "2") {
    e.violence = ViolenceType::kNonState;
  } else if (type == "3") {
    e.violence = ViolenceType::kOneSided;
  } else {
    r.field = "type_of_violence";
    r.reason = "'" + std::string(type) + "' is not a UCDP type of violence (1 state-based, 2 non-state, 3 one-sided)";
    return false;
  }
  e.violence_original.assign(type);

  if (!parse_date(field_at(f, c.date_start), "date_start", e.date_start, r)) return false;
  if (!parse_date(field_at(f, c.date_end), "date_end", e.date_end, r)) return false;
  if (!check_date_order(e.date_start, e.date_end, "date_end", r)) return false;
  if (!parse_int_or(field_at(f, c.date_prec), "date_prec", 1, e.date_precision, r)) return false;

  if (!parse_lat_lon(field_at(f, c.lat), field_at(f, c.lon), "latitude", "longitude", e.where, r)) return false;
  if (!parse_int_or(field_at(f, c.where_prec), "where_prec", 1, e.location_precision, r)) return false;

  if (!parse_count(field_at(f, c.best), "best", "fatalities", e.fatalities_best, r)) return false;
  if (!parse_count_or(field_at(f, c.low), "low", "fatalities", e.fatalities_best, e.fatalities_low, r)) return false;
  if (!parse_count_or(field_at(f, c.high), "high", "fatalities", e.fatalities_best, e.fatalities_high, r)) {
    return false;
  }
  // Widen inconsistent bounds (see the note at the top) instead of rejecting.
  e.fatalities_low = std::min(e.fatalities_low, e.fatalities_best);
  e.fatalities_high = std::max(e.fatalities_high, e.fatalities_best);
  if (!parse_optional_count(field_at(f, c.civilians), "deaths_civilians", "fatalities", e.civilian_deaths, r)) {
    return false;
  }
  if (!parse_optional_count(field_at(f, c.priogrid_gid), "priogrid_gid", "priogrid_gid", e.priogrid_gid, r)) {
    return false;
  }
  assign_text(e.actor1, field_at(f, c.side_a));
  assign_text(e.actor2, field_at(f, c.side_b));
  assign_text(e.country, field_at(f, c.country));
  assign_text(e.admin1, field_at(f, c.adm_1));
  assign_text(e.location, field_at(f, c.where_coordinates));
  return true;
}

void read_csv(InputStream in, EventSink& sink) {
  CsvReader csv(std::move(in));
  const Header header = read_header(csv);
  const UcdpCols cols = resolve(header);
  const auto missing = missing_required(cols, false);
  if (!missing.empty()) throw_missing_columns(csv.path(), missing, "UCDP GED CSV", kUcdpWhatToDo);
  Event e;
  for_each_row(csv, header, sink, [&](const std::vector<std::string_view>& f, std::int64_t line, Reject& r) {
    if (!parse_row(f, cols, e, r)) return false;
    sink.on_event(std::move(e), line);
    return true;
  });
}

/// A GeoJSON property value as the text a CSV cell would hold ("" for null).
void property_text(const nlohmann::json& v, std::string& out) {
  switch (v.type()) {
    case nlohmann::json::value_t::string:
      out = v.get_ref<const std::string&>();
      break;
    case nlohmann::json::value_t::null:
      out.clear();
      break;
    case nlohmann::json::value_t::number_integer:
      out = std::to_string(v.get<std::int64_t>());
      break;
    case nlohmann::json::value_t::number_unsigned:
      out = std::to_string(v.get<std::uint64_t>());
      break;
    default:
      out = v.dump();
      break;  // floats (shortest round-trip form), booleans, nested values
  }
}

/// Characters of an InputStream for nlohmann's parser, read in chunks; keeps
/// the line count for error messages.
class StreamChars {
 public:
  explicit StreamChars(InputStream& in) : in_(in), buf_(in.size() >= 0 && in.size() < (1 << 16) ? 1 << 12 : 1 << 16) {}

  bool at_end() {
    if (pos_ < len_) return false;
    if (eof_) return true;
    for (std::size_t i = 0; i < len_; ++i) lines_ += buf_[i] == '\n' ? 1 : 0;
    len_ = in_.read(buf_.data(), buf_.size());
    pos_ = 0;
    eof_ = len_ == 0;
    return eof_;
  }
  [[nodiscard]] char get() const { return buf_[pos_]; }
  void advance() { ++pos_; }
  /// 1-based line of the next character.
  [[nodiscard]] std::int64_t line() const {
    std::int64_t l = lines_ + 1;
    for (std::size_t i = 0; i < pos_ && i < len_; ++i) l += buf_[i] == '\n' ? 1 : 0;
    return l;
  }
  [[nodiscard]] std::int64_t consumed() const { return in_.consumed() - static_cast<std::int64_t>(len_ - pos_); }

 private:
  InputStream& in_;
  std::vector<char> buf_;
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  bool eof_ = false;
  std::int64_t lines_ = 0;
};

/// An input iterator over StreamChars; a default-constructed one is the end.
struct StreamIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = char;

  StreamChars* chars = nullptr;
  char operator*() const { return chars->get(); }
  StreamIterator& operator++() {
    chars->advance();
    return *this;
  }
  StreamIterator operator++(int) {
    StreamIterator old = *this;
    chars->advance();
    return old;
  }
  friend bool operator==(const StreamIterator& a, const StreamIterator& b) {
    return (!a.chars || a.chars->at_end()) == (!b.chars || b.chars->at_end());
  }
};

/// Streams the features of a FeatureCollection: each feature is parsed,
/// handed over and discarded, so memory holds one feature, not the document.
class GeoJsonReader {
 public:
  GeoJsonReader(const std::string& path, std::int64_t file_size, EventSink& sink)
      : path_(path), file_size_(std::max<std::int64_t>(file_size, 0)), sink_(sink) {
    for (auto n : kUcdpNames) header_.names.emplace_back(n);
    cols_ = resolve(header_);
    values_.resize(header_.size());
    fields_.resize(header_.size());
  }

  void read(InputStream& in) {
    StreamChars chars(in);
    chars_ = &chars;
    using Event_ = nlohmann::json::parse_event_t;
    nlohmann::json::parser_callback_t cb = [this](int depth, Event_ event, nlohmann::json& parsed) {
      switch (event) {
        case Event_::key:
          if (depth == 1) top_key_ = parsed.get<std::string>();
          return true;
        case Event_::array_start:
          if (depth == 1 && top_key_ == "features") in_features_ = saw_features_ = true;
          return true;
        case Event_::array_end:
          if (depth == 1) in_features_ = false;
          if (depth == 2 && in_features_) return feature(parsed);
          return true;
        case Event_::object_end:
          if (depth == 2 && in_features_) return feature(parsed);
          return true;
        case Event_::value:
          if (depth == 2 && in_features_) return feature(parsed);
          if (depth == 1 && top_key_ == "type") type_ = parsed.is_string() ? parsed.get<std::string>() : "?";
          return true;
        case Event_::object_start:
          return true;
      }
      return true;
    };
    try {
      // What is left of the document once the features are dropped: its other members.
      const nlohmann::json rest = nlohmann::json::parse(StreamIterator{&chars}, StreamIterator{}, cb);
      (void)rest;
    } catch (const nlohmann::json::exception& ex) {
      throw Error(ErrorCategory::kBadInput,
                  std::string("not valid JSON (") + ex.what() + "); export the GED again as GeoJSON or CSV",
                  {path_, chars.line(), ""});
    }
    if (type_ != "FeatureCollection" || !saw_features_) {
      throw Error(ErrorCategory::kBadInput,
                  "GeoJSON is not a FeatureCollection (expected {\"type\": \"FeatureCollection\", \"features\": "
                  "[...]}); export the UCDP GED events as a FeatureCollection or as CSV",
                  {path_, 0, "type"});
    }
    sink_.on_progress(file_size_ > 0 ? file_size_ : chars.consumed(), file_size_);
  }

 private:
  /// One element of "features"; returns false so that the parser drops it.
  bool feature(nlohmann::json& f) {
    ++index_;
    if (index_ % kProgressEveryRows == 0) sink_.on_progress(chars_->consumed(), file_size_);
    if (index_ == 1) check_first(f);
    const nlohmann::json* props = nullptr;
    if (f.is_object()) {
      auto it = f.find("properties");
      if (it != f.end() && it->is_object()) props = &*it;
    }
    if (!props) {
      sink_.on_reject({index_, "properties", "feature has no properties object"});
      return false;
    }
    for (std::size_t i = 0; i < header_.size(); ++i) {
      auto it = props->find(header_.names[i]);
      if (it == props->end()) {
        values_[i].clear();
      } else {
        property_text(*it, values_[i]);
      }
    }
    // The Point geometry stands in for absent latitude/longitude properties.
    if (is_missing(values_[static_cast<std::size_t>(cols_.lat)]) &&
        is_missing(values_[static_cast<std::size_t>(cols_.lon)])) {
      auto g = f.find("geometry");
      if (g != f.end() && g->is_object() && g->value("type", "") == "Point" && g->contains("coordinates") &&
          (*g)["coordinates"].is_array() && (*g)["coordinates"].size() >= 2) {
        property_text((*g)["coordinates"][1], values_[static_cast<std::size_t>(cols_.lat)]);
        property_text((*g)["coordinates"][0], values_[static_cast<std::size_t>(cols_.lon)]);
      }
    }
    for (std::size_t i = 0; i < header_.size(); ++i) fields_[i] = values_[i];
    Reject r;
    // The JSON parser has checked UTF-8; a "\u0000" escape can still put a NUL in a value.
    for (std::size_t i = 0; i < header_.size(); ++i) {
      if (!check_utf8_value(fields_[i], header_.names[i], r)) {
        r.line = index_;
        sink_.on_reject(std::move(r));
        return false;
      }
    }
    if (!parse_row(fields_, cols_, event_, r)) {
      r.line = index_;
      sink_.on_reject(std::move(r));
      return false;
    }
    sink_.on_event(std::move(event_), index_);
    return false;
  }

  /// The first feature's properties must carry the GED names.
  void check_first(const nlohmann::json& first) {
    const auto props = first.is_object() ? first.find("properties") : first.end();
    UcdpCols present;
    if (props != first.end() && props->is_object()) {
      Header first_header;
      for (const auto& [key, value] : props->items()) first_header.names.push_back(key);
      present = resolve(first_header);
    }
    const bool point = first.is_object() && first.contains("geometry") && first["geometry"].is_object() &&
                       first["geometry"].value("type", "") == "Point";
    auto missing = missing_required(present, point);
    if (!missing.empty()) {
      throw Error(ErrorCategory::kBadInput,
                  "the first feature's properties lack required UCDP GED field(s): " + join(missing, ", ") + "; " +
                      std::string(kUcdpWhatToDo),
                  {path_, 1, missing.front()});
    }
  }

  const std::string& path_;
  std::int64_t file_size_;
  EventSink& sink_;
  StreamChars* chars_ = nullptr;
  Header header_;  // a virtual header: the GED names in kUcdpNames order
  UcdpCols cols_;
  std::vector<std::string> values_;
  std::vector<std::string_view> fields_;
  Event event_;
  std::string top_key_;
  std::string type_;
  bool in_features_ = false;
  bool saw_features_ = false;
  std::int64_t index_ = 0;
};

void read_geojson(InputStream in, EventSink& sink) {
  const std::string path = in.name();
  GeoJsonReader reader(path, in.size(), sink);
  reader.read(in);
}

}  // namespace

void read_ucdp_events(InputStream in, EventSink& sink) {
  if (starts_like_json(in)) {
    read_geojson(std::move(in), sink);
  } else {
    read_csv(std::move(in), sink);
  }
}

}  // namespace endstate::ingest::detail
