#include "endstate/ingest/importer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <fcntl.h>
#include <unistd.h>

#include "detail/nearest_area.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/io.hpp"
#include "endstate/core/progress.hpp"
#include "endstate/geo/area_index.hpp"
#include "endstate/geo/dissolve.hpp"
#include "endstate/geo/priogrid.hpp"
#include "endstate/store/database.hpp"

namespace endstate::ingest {
namespace {

namespace fs = std::filesystem;

/// The areas of the store and an index over them; the nearest-area finder is
/// built on the first point that lies outside every area.
struct AreaLookup {
  std::vector<Area> areas;
  std::unique_ptr<geo::AreaIndex> index;
  std::unique_ptr<detail::NearestArea> nearest;
  std::vector<int> hits;

  explicit AreaLookup(store::Database& db) : areas(db.areas()) {
    if (!areas.empty()) index = std::make_unique<geo::AreaIndex>(areas);
  }
  [[nodiscard]] bool empty() const { return !index; }
  /// Fills `hits` with one index per level (-1 where none); returns whether any level matched.
  bool locate(LatLon p) {
    if (!index) return false;
    index->lookup(p, hits);
    for (int h : hits) {
      if (h >= 0) return true;
    }
    return false;
  }
  detail::NearestArea& finder() {
    if (!nearest) nearest = std::make_unique<detail::NearestArea>(areas);
    return *nearest;
  }
};

constexpr std::size_t kLinesKept = 10;

/// Where a point that lies outside every area may have had lat and lon swapped.
bool looks_swapped(AreaLookup& lookup, LatLon p) {
  const LatLon swapped{p.lon, p.lat};
  return swapped.valid() && lookup.locate(swapped);
}

/// Counts the points outside every area and keeps the `limit` farthest from
/// any area. A nearest-area query is skipped when the point cannot enter the
/// list: its distance is at most its distance to the last boundary sample
/// found, and when that is below the smallest distance kept, it is not among
/// the farthest.
class OutsideList {
 public:
  OutsideList(ImportSummary& s, AreaLookup& lookup, std::size_t limit) : s_(s), lookup_(lookup), limit_(limit) {}

  /// A point outside every area (the lookup is not empty).
  void add(std::int64_t line, const std::string& id, LatLon p) {
    const bool swapped = looks_swapped(lookup_, p);
    ++s_.outside_areas;
    if (swapped) {
      ++s_.outside_swapped;
      if (s_.outside_swapped_lines.size() < kLinesKept) s_.outside_swapped_lines.push_back(line);
    }
    if (limit_ == 0) return;
    if (have_last_ && list_.size() >= limit_ && great_circle_km(p, last_sample_) <= list_.front().distance_km) {
      return;
    }
    const auto hit = lookup_.finder().nearest(p);
    if (hit.area < 0) return;
    last_sample_ = hit.at;
    have_last_ = true;
    OutsidePoint o{line, id, p, lookup_.areas[static_cast<std::size_t>(hit.area)].id, hit.distance_km, swapped};
    // list_ is a min-heap on distance (ties: the later line is smaller), so front() is the nearest kept.
    auto farther = [](const OutsidePoint& a, const OutsidePoint& b) {
      return a.distance_km != b.distance_km ? a.distance_km > b.distance_km : a.line < b.line;
    };
    if (list_.size() < limit_) {
      list_.push_back(std::move(o));
      std::push_heap(list_.begin(), list_.end(), farther);
    } else if (farther(o, list_.front())) {
      std::pop_heap(list_.begin(), list_.end(), farther);
      list_.back() = std::move(o);
      std::push_heap(list_.begin(), list_.end(), farther);
    }
  }
  /// Writes the list into the summary, farthest first.
  void finish() {
    auto farther = [](const OutsidePoint& a, const OutsidePoint& b) {
      return a.distance_km != b.distance_km ? a.distance_km > b.distance_km : a.line < b.line;
    };
    std::sort(list_.begin(), list_.end(), farther);
    s_.outside = std::move(list_);
  }

 private:
  ImportSummary& s_;
  AreaLookup& lookup_;
  std::size_t limit_;
  std::vector<OutsidePoint> list_;
  LatLon last_sample_;
  bool have_last_ = false;
};

std::string csv_escape(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// Collects rejects: the first `limit` in the summary; past the limit, all of
/// them stream to a CSV beside the database. The CSV is written as an unnamed
/// file (O_TMPFILE) and linked under its name only once the import has
/// committed, so that a failed or killed import (even kill -9) leaves no file;
/// where the file system has no O_TMPFILE, a named `.partial-PID` file is
/// renamed instead (removed when the import fails). Under --strict the first
/// reject aborts the import.
class RejectCollector {
 public:
  RejectCollector(ImportSummary& summary, const ImportOptions& options, const std::string& db_path)
      : summary_(summary), options_(options), db_path_(db_path) {}
  ~RejectCollector() {
    out_.reset();
    if (!committed_ && !temp_.empty()) {
      std::error_code ec;
      fs::remove(temp_, ec);
    }
    if (fd_ >= 0) ::close(fd_);
  }
  RejectCollector(const RejectCollector&) = delete;
  RejectCollector& operator=(const RejectCollector&) = delete;

  void add(Reject&& r) {
    ++summary_.rejected;
    if (options_.strict) {
      throw Error(ErrorCategory::kBadInput, r.reason + " (--strict: nothing was imported)",
                  {summary_.file, r.line, r.field});
    }
    if (summary_.rejects.size() < options_.reject_limit) {
      summary_.rejects.push_back(std::move(r));
      return;
    }
    if (!out_) open_file();
    write(r);
  }

  /// Writes out what is buffered, before the import commits: a rejects list
  /// that cannot be written (a full disk) stops the import with nothing saved.
  void prepare() {
    if (!out_) return;
    errno = 0;
    out_->flush();
    if (!*out_) {
      const int e = errno;
      throw environment_error("cannot write the rejects file " + final_.string() +
                              (e ? " (" + std::string(std::strerror(e)) + ")" : std::string(" (disk full?)")) +
                              "; nothing was written");
    }
  }

  /// Gives the rejects CSV its name (after the import committed).
  void commit() {
    if (!out_) return;
    out_->flush();
    const bool ok = static_cast<bool>(*out_);
    out_.reset();
    if (!ok || !publish()) {
      std::error_code ec;
      if (!temp_.empty()) fs::remove(temp_, ec);
      throw environment_error("the import was saved, but its rejects file " + final_.string() +
                              " could not be written");
    }
    committed_ = true;
  }

 private:
  [[nodiscard]] std::string fd_path() const { return "/proc/self/fd/" + std::to_string(fd_); }

  /// Links the unnamed file as final_ (replacing an earlier list of the same
  /// file), or renames the named temporary file.
  bool publish() {
    std::error_code ec;
    if (fd_ < 0) {
      fs::rename(temp_, final_, ec);
      return !ec;
    }
    if (::linkat(AT_FDCWD, fd_path().c_str(), AT_FDCWD, final_.c_str(), AT_SYMLINK_FOLLOW) == 0) return true;
    if (errno != EEXIST) return false;
    temp_ = final_;
    temp_ += ".partial-" + std::to_string(::getpid());
    fs::remove(temp_, ec);
    if (::linkat(AT_FDCWD, fd_path().c_str(), AT_FDCWD, temp_.c_str(), AT_SYMLINK_FOLLOW) != 0) return false;
    fs::rename(temp_, final_, ec);
    return !ec;
  }

  void open_file() {
    // Beside an SQLite file; in the current folder for a server store.
    const bool server = store::is_server_location(db_path_);
    const fs::path db(server ? std::string("endstate") : db_path_);
    const fs::path dir = server ? fs::current_path() : db.has_parent_path() ? db.parent_path() : fs::path(".");
    const std::string stem = fs::path(summary_.file).filename().string();
    final_ = dir / (db.stem().string() + "-rejects-" + stem + "-" + summary_.sha256.substr(0, 12) + ".csv");
    summary_.rejects_csv = final_.string();
#ifdef O_TMPFILE
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd_ >= 0) {
      out_ = std::make_unique<std::ofstream>(fd_path(), std::ios::binary | std::ios::trunc);
      if (!*out_) {
        out_.reset();
        ::close(fd_);
        fd_ = -1;
      }
    }
#endif
    if (!out_) {
      temp_ = final_;
      temp_ += ".partial-" + std::to_string(::getpid());
      out_ = std::make_unique<std::ofstream>(temp_, std::ios::binary | std::ios::trunc);
      if (!*out_) throw environment_error("cannot write rejects file " + temp_.string());
    }
    *out_ << "file,line,field,reason\n";
    for (const auto& r : summary_.rejects) write(r);
  }
  void write(const Reject& r) {
    *out_ << csv_escape(summary_.file) << ',' << r.line << ',' << csv_escape(r.field) << ',' << csv_escape(r.reason)
          << '\n';
  }

  ImportSummary& summary_;
  const ImportOptions& options_;
  std::string db_path_;
  std::unique_ptr<std::ofstream> out_;
  int fd_ = -1;  ///< the unnamed rejects file (O_TMPFILE), -1 when named
  fs::path final_;
  fs::path temp_;  ///< the named temporary file, when there is one
  bool committed_ = false;
};

/// An input opened for import: a regular file read where it is, or a stream
/// (pipe, FIFO, device) copied to an unnamed temporary file first, so that
/// its SHA-256 is known before anything is written.
struct ImportInput {
  std::string sha256;
  std::optional<SpooledInput> spool;
  std::string path;

  [[nodiscard]] InputStream stream() const { return spool ? spool->stream() : InputStream::open(path); }
};

ImportInput open_input(const std::string& path, const ImportOptions& options) {
  ImportInput in;
  in.path = path;
  FileKind kind = file_kind(path);
  // standard input on a socket (a process manager's pipe): read as a stream
  if (kind == FileKind::kSocket && path == kStdinPath) kind = FileKind::kFifo;
  switch (kind) {
    case FileKind::kMissing:
      throw Error(ErrorCategory::kNotFound, "no such file", {path, 0, ""});
    case FileKind::kDirectory:
      throw Error(ErrorCategory::kBadInput, "is a directory, expected a file", {path, 0, ""});
    case FileKind::kSocket:
      throw Error(ErrorCategory::kBadInput, "is a socket, expected a file", {path, 0, ""});
    case FileKind::kRegular: {
      std::error_code ec;
      if (fs::file_size(path, ec) == 0 && !ec) {
        throw Error(ErrorCategory::kBadInput, "file is empty; nothing to import", {path, 0, ""});
      }
      in.sha256 = sha256_file(path);
      return in;
    }
    default: {
      InputStream stream = InputStream::open(path);
      in.spool = SpooledInput::copy(stream, options.max_stream_bytes, true);
      if (in.spool->size() == 0) {
        throw Error(ErrorCategory::kBadInput,
                    "the " + std::string(file_kind_name(kind)) + " gave no bytes; nothing to import", {path, 0, ""});
      }
      in.sha256 = in.spool->sha256();
      return in;
    }
  }
}

ImportSummary start_summary(const std::string& path, const std::string& kind, const ImportInput& in) {
  ImportSummary s;
  s.file = path;
  s.kind = kind;
  s.sha256 = in.sha256;
  return s;
}

/// The id of an earlier import of the same kind from a file with this SHA-256, or 0.
std::int64_t earlier_identical_import(store::Database& db, const std::string& kind, const std::string& sha256,
                                      std::int64_t this_import) {
  for (const auto& r : db.imports(-1)) {  // -1: every entry
    if (r.id != this_import && r.kind == kind && r.sha256 == sha256) return r.id;
  }
  return 0;
}

/// Ends an import: logs and commits it, unless it added nothing and the same
/// file was imported before, in which case it rolls back (no second log entry).
void finish(store::Database& db, store::Database::Transaction& tx, std::int64_t import_id, ImportSummary& s,
            RejectCollector* rejects) {
  if (rejects != nullptr && s.read > 0 && s.rejected == s.read) {
    // Every row was rejected: a wrong --source, mapping or file, not data to
    // log. Nothing is written (`tx` rolls back, the rejects file is removed).
    std::string first;
    for (std::size_t i = 0; i < s.rejects.size() && i < 3; ++i) {
      first += "; line " + std::to_string(s.rejects[i].line) + " " + s.rejects[i].field + ": " + s.rejects[i].reason;
    }
    throw Error(ErrorCategory::kBadInput,
                "every one of the " + std::to_string(s.read) + " rows was rejected, nothing was imported" + first,
                {s.file, s.rejects.empty() ? 0 : s.rejects.front().line,
                 s.rejects.empty() ? std::string() : s.rejects.front().field});
  }
  if (s.imported == 0) {
    if (const std::int64_t earlier = earlier_identical_import(db, s.kind, s.sha256, import_id); earlier > 0) {
      s.previous_import = earlier;
      if (rejects) rejects->commit();
      return;  // `tx` rolls back when it goes out of scope
    }
  }
  db.finish_import(import_id, s);
  if (rejects) rejects->prepare();
  tx.commit();
  if (rejects) rejects->commit();
}

void note_conflict(ImportSummary& s, std::int64_t line) {
  ++s.conflicts;
  if (s.conflict_lines.size() < kLinesKept) s.conflict_lines.push_back(line);
}

/// 64-bit FNV-1a over a sequence of fields (separated so that "ab","c" != "a","bc").
class Fingerprint {
 public:
  Fingerprint& add(std::string_view s) {
    for (unsigned char c : s) mix(c);
    mix(0x1f);
    mix(0xff);
    return *this;
  }
  Fingerprint& add(std::int64_t v) { return add(std::string_view(reinterpret_cast<const char*>(&v), sizeof v)); }
  Fingerprint& add(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    return add(static_cast<std::int64_t>(bits));
  }
  Fingerprint& add(const std::optional<std::int64_t>& v) {
    return v ? add(std::int64_t{1}).add(*v) : add(std::int64_t{0});
  }
  [[nodiscard]] std::uint64_t value() const { return h_; }

 private:
  void mix(unsigned char c) {
    h_ ^= c;
    h_ *= 1099511628211ULL;
  }
  std::uint64_t h_ = 14695981039346656037ULL;
};

/// Everything stored of an event except its key.
std::uint64_t content_of(const Event& e) {
  Fingerprint f;
  f.add(static_cast<std::int64_t>(e.date_start.days()))
      .add(static_cast<std::int64_t>(e.date_end.days()))
      .add(static_cast<std::int64_t>(e.date_precision))
      .add(e.where.lat)
      .add(e.where.lon)
      .add(static_cast<std::int64_t>(e.location_precision))
      .add(to_string(e.violence))
      .add(e.violence_original)
      .add(e.actor1)
      .add(e.actor2)
      .add(e.fatalities_best)
      .add(e.fatalities_low)
      .add(e.fatalities_high)
      .add(e.civilian_deaths)
      .add(e.country)
      .add(e.admin1)
      .add(e.location)
      .add(e.priogrid_gid);
  return f.value();
}

std::uint64_t key_hash(std::string_view id) { return Fingerprint().add(id).value(); }

/// Content fingerprints of the stored events of one source, by id, loaded on
/// the first duplicate of that source (16 bytes per stored event).
class StoredEvents {
 public:
  explicit StoredEvents(store::Database& db) : db_(db) {}
  /// True when the stored event with e's key has the same content.
  bool same_content(const Event& e) {
    auto it = by_source_.find(e.source);
    if (it == by_source_.end()) it = by_source_.emplace(e.source, load(e.source)).first;
    const auto& v = it->second;
    const std::uint64_t k = key_hash(e.source_id);
    const std::uint64_t c = content_of(e);
    auto lo = std::lower_bound(v.begin(), v.end(), std::pair<std::uint64_t, std::uint64_t>{k, 0});
    for (; lo != v.end() && lo->first == k; ++lo) {
      if (lo->second == c) return true;
    }
    return false;
  }

 private:
  std::vector<std::pair<std::uint64_t, std::uint64_t>> load(const std::string& source) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> v;
    store::EventFilter f;
    f.source = source;
    db_.for_each_event(f, [&](const store::EventRow& row) {
      if (row.event.source == source) v.emplace_back(key_hash(row.event.source_id), content_of(row.event));
    });
    std::sort(v.begin(), v.end());
    return v;
  }
  store::Database& db_;
  std::unordered_map<std::string, std::vector<std::pair<std::uint64_t, std::uint64_t>>> by_source_;
};

class EventImporter final : public EventSink {
 public:
  EventImporter(store::Database& db, ImportSummary& s, RejectCollector& rejects, std::int64_t import_id,
                AreaLookup& lookup, OutsideList& outside)
      : db_(db), s_(s), rejects_(rejects), import_id_(import_id), lookup_(lookup), outside_(outside), stored_(db) {}

  void on_event(Event&& e, std::int64_t line) override {
    ++s_.read;
    std::int64_t existing_import = 0;
    const auto id = db_.insert_event(e, import_id_, &existing_import);
    if (!id) {
      if (existing_import == import_id_) {
        rejects_.add({line, "id", "duplicate id '" + e.source_id + "' inside this file"});
      } else if (stored_.same_content(e)) {
        ++s_.duplicates;
      } else {
        note_conflict(s_, line);
      }
      return;
    }
    ++s_.imported;
    if (!lookup_.locate(e.where)) {
      if (!lookup_.empty()) outside_.add(line, e.source_id, e.where);
      return;
    }
    for (int h : lookup_.hits) {
      if (h >= 0) db_.link_event_area(*id, lookup_.areas[static_cast<std::size_t>(h)].id);
    }
  }
  void on_reject(Reject&& r) override {
    ++s_.read;
    rejects_.add(std::move(r));
  }
  void on_progress(std::int64_t done, std::int64_t total) override {
    if (total > 0 && !total_set_) {
      progress_ = std::make_unique<Progress>("importing events", total);
      total_set_ = true;
    }
    if (progress_) progress_->update(done);
  }

 private:
  store::Database& db_;
  ImportSummary& s_;
  RejectCollector& rejects_;
  std::int64_t import_id_;
  AreaLookup& lookup_;
  OutsideList& outside_;
  StoredEvents stored_;
  std::unique_ptr<Progress> progress_;
  bool total_set_ = false;
};

std::string event_source_name(EventSource s) {
  switch (s) {
    case EventSource::kUcdp:
      return "ucdp";
    case EventSource::kAcled:
      return "acled";
    case EventSource::kCsv:
      return "csv";
  }
  return "csv";
}

}  // namespace

ImportSummary import_events(store::Database& db, const std::string& path, EventSource source, const ColumnMap& map,
                            const ImportOptions& options) {
  const ImportInput in = open_input(path, options);
  ImportSummary s = start_summary(path, "events", in);
  AreaLookup lookup(db);
  store::Database::Transaction tx(db, store::Database::Transaction::Mode::kBulk);
  const std::int64_t import_id = db.begin_import("events", path, s.sha256, event_source_name(source));
  RejectCollector rejects(s, options, db.path());
  OutsideList outside(s, lookup, options.outside_limit);
  EventImporter sink(db, s, rejects, import_id, lookup, outside);
  read_events(in.stream(), source, map, sink);
  outside.finish();
  finish(db, tx, import_id, s, &rejects);
  return s;
}

namespace {

bool same_deployment(const Deployment& a, const Deployment& b) {
  return a.period_end == b.period_end && a.troops == b.troops && a.police == b.police && a.observers == b.observers &&
         a.civilians == b.civilians && a.hq == b.hq && a.aviation == b.aviation && a.medical == b.medical &&
         a.notes == b.notes;
}

class SiteImporter final : public SiteSink {
 public:
  SiteImporter(store::Database& db, ImportSummary& s, RejectCollector& rejects, std::int64_t import_id,
               AreaLookup& lookup, OutsideList& outside)
      : db_(db), s_(s), rejects_(rejects), import_id_(import_id), lookup_(lookup), outside_(outside) {}

  void on_site(Site&& site, Deployment&& d, std::int64_t line) override {
    ++s_.read;
    auto [site_id, inserted] = db_.upsert_site(site, import_id_);
    if (inserted) {
      if (lookup_.locate(site.where)) {
        for (int h : lookup_.hits) {
          if (h >= 0) db_.link_site_area(site_id, lookup_.areas[static_cast<std::size_t>(h)].id);
        }
      } else if (!lookup_.empty()) {
        outside_.add(line, site.name, site.where);
      }
    }
    if (db_.insert_deployment(site_id, d, import_id_)) {
      ++s_.imported;
      return;
    }
    // The same (site, first month, source) is stored: a duplicate when the rest agrees.
    bool same = false;
    for (const Deployment& stored : db_.deployments(site_id)) {
      if (stored.period_start == d.period_start && stored.source == d.source) same = same_deployment(stored, d);
    }
    if (same) {
      ++s_.duplicates;
    } else {
      note_conflict(s_, line);
    }
  }
  void on_reject(Reject&& r) override {
    ++s_.read;
    rejects_.add(std::move(r));
  }

 private:
  store::Database& db_;
  ImportSummary& s_;
  RejectCollector& rejects_;
  std::int64_t import_id_;
  AreaLookup& lookup_;
  OutsideList& outside_;
};

class ObservationImporter final : public ObservationSink {
 public:
  ObservationImporter(store::Database& db, ImportSummary& s, RejectCollector& rejects, std::int64_t import_id)
      : db_(db), s_(s), rejects_(rejects), import_id_(import_id) {}

  void on_observation(Observation&& o, std::int64_t line) override {
    ++s_.read;
    auto it = resolved_.find(o.area_id);
    if (it == resolved_.end()) {
      std::optional<std::string> id;
      try {
        if (auto a = db_.find_area(o.area_id)) id = a->id;
      } catch (const Error& e) {
        rejects_.add({line, "area", e.message()});
        return;
      }
      it = resolved_.emplace(o.area_id, id).first;
    }
    if (!it->second) {
      rejects_.add({line, "area", "unknown area '" + o.area_id + "' (not an id or name of any imported area)"});
      return;
    }
    o.area_id = *it->second;
    db_.ensure_indicator(o.indicator);
    if (db_.insert_observation(o, import_id_)) {
      ++s_.imported;
      return;
    }
    if (stored_value(o) == o.value) {
      ++s_.duplicates;
    } else {
      note_conflict(s_, line);
    }
  }
  void on_reject(Reject&& r) override {
    ++s_.read;
    rejects_.add(std::move(r));
  }

 private:
  /// The stored value under o's key (indicator, area, month, source); loads an indicator's observations once.
  std::optional<double> stored_value(const Observation& o) {
    auto it = stored_.find(o.indicator);
    if (it == stored_.end()) {
      std::unordered_map<std::string, double> values;
      for (const Observation& s : db_.observations(o.indicator)) values.emplace(key(s), s.value);
      it = stored_.emplace(o.indicator, std::move(values)).first;
    }
    const auto v = it->second.find(key(o));
    return v == it->second.end() ? std::nullopt : std::optional<double>(v->second);
  }
  static std::string key(const Observation& o) { return o.area_id + '\x1f' + o.month.str() + '\x1f' + o.source; }

  store::Database& db_;
  ImportSummary& s_;
  RejectCollector& rejects_;
  std::int64_t import_id_;
  std::unordered_map<std::string, std::optional<std::string>> resolved_;
  std::unordered_map<std::string, std::unordered_map<std::string, double>> stored_;
};

}  // namespace

ImportSummary import_sites(store::Database& db, const std::string& path, SiteSource source,
                           const ImportOptions& options) {
  const ImportInput in = open_input(path, options);
  ImportSummary s = start_summary(path, "sites", in);
  AreaLookup lookup(db);
  store::Database::Transaction tx(db);
  const std::int64_t import_id =
      db.begin_import("sites", path, s.sha256, source == SiteSource::kGeoPko ? "geopko" : "csv");
  RejectCollector rejects(s, options, db.path());
  OutsideList outside(s, lookup, options.outside_limit);
  SiteImporter sink(db, s, rejects, import_id, lookup, outside);
  read_sites(in.stream(), source, sink);
  outside.finish();
  finish(db, tx, import_id, s, &rejects);
  return s;
}

ImportSummary import_observations(store::Database& db, const std::string& path, const ImportOptions& options) {
  const ImportInput in = open_input(path, options);
  ImportSummary s = start_summary(path, "observations", in);
  store::Database::Transaction tx(db);
  const std::int64_t import_id = db.begin_import("observations", path, s.sha256, "csv");
  RejectCollector rejects(s, options, db.path());
  ObservationImporter sink(db, s, rejects, import_id);
  read_observations(in.stream(), sink);
  finish(db, tx, import_id, s, &rejects);
  return s;
}

std::int64_t reassign_areas(store::Database& db) {
  AreaLookup lookup(db);
  db.clear_event_areas();
  db.clear_site_areas();
  std::int64_t outside = 0;
  if (lookup.empty()) return 0;
  std::vector<std::pair<std::int64_t, LatLon>> points;
  db.for_each_event_point([&](std::int64_t id, LatLon p) { points.emplace_back(id, p); });
  for (const auto& [id, p] : points) {
    if (!lookup.locate(p)) {
      ++outside;
      continue;
    }
    for (int h : lookup.hits) {
      if (h >= 0) db.link_event_area(id, lookup.areas[static_cast<std::size_t>(h)].id);
    }
  }
  points.clear();
  db.for_each_site_point([&](std::int64_t id, LatLon p) { points.emplace_back(id, p); });
  for (const auto& [id, p] : points) {
    if (!lookup.locate(p)) continue;
    for (int h : lookup.hits) {
      if (h >= 0) db.link_site_area(id, lookup.areas[static_cast<std::size_t>(h)].id);
    }
  }
  return outside;
}

namespace {

ImportSummary store_areas(store::Database& db, const std::string& label, const std::string& sha,
                          const std::string& source, std::vector<Area>& areas) {
  ImportSummary s;
  s.file = label;
  s.kind = "areas";
  s.sha256 = sha;
  store::Database::Transaction tx(db);
  const std::int64_t import_id = db.begin_import("areas", label, sha, source);
  for (const auto& a : areas) {
    ++s.read;
    if (db.insert_area(a, import_id)) {
      ++s.imported;
    } else {
      ++s.duplicates;
    }
  }
  s.outside_areas = reassign_areas(db);
  finish(db, tx, import_id, s, nullptr);
  return s;
}

}  // namespace

ImportSummary import_areas(store::Database& db, const std::string& path, const AreaImportOptions& options) {
  if (file_kind(path) == FileKind::kMissing) throw Error(ErrorCategory::kNotFound, "no such file", {path, 0, ""});
  // read_areas refuses streams and folders (other than *.gdb) before GDAL sees them.
  std::vector<Area> units = geo::read_areas(path, options.read);
  std::string sha = file_kind(path) == FileKind::kDirectory ? sha256_hex(path) : sha256_file(path);
  std::vector<Area> all;
  if (!options.dissolve_csv.empty()) {
    // Read once (a pipe can be read only once), bounded; the fingerprint is of these bytes.
    const std::string crosswalk_text = read_text_file(options.dissolve_csv);
    const auto crosswalk = geo::read_crosswalk(InputStream::from_memory(crosswalk_text, options.dissolve_csv),
                                               options.dissolve_key, options.dissolve_into);
    std::vector<Area> groups = geo::dissolve(units, crosswalk, options.group_level);
    for (auto& g : groups) {
      if (!options.group_parent.empty()) g.parent_id = options.group_parent;
      all.push_back(std::move(g));
    }
    sha = sha256_hex(sha + sha256_hex(crosswalk_text));
  }
  for (auto& u : units) all.push_back(std::move(u));
  for (const auto& a : all) {
    if (!a.parent_id.empty()) {
      bool known = false;
      for (const auto& b : all) known = known || b.id == a.parent_id;
      if (!known && !db.find_area(a.parent_id)) {
        throw Error(ErrorCategory::kBadInput,
                    "area '" + a.id + "' names parent '" + a.parent_id +
                        "', which is neither in this file nor in the database; import the parent level first",
                    {path, 0, options.read.parent_field});
      }
    }
  }
  return store_areas(db, path, sha, "gdal", all);
}

ImportSummary import_grid_box(store::Database& db, double min_lon, double min_lat, double max_lon, double max_lat) {
  if (!(min_lon < max_lon && min_lat < max_lat) || min_lon < -180 || max_lon > 180 || min_lat < -90 || max_lat > 90) {
    throw usage_error("--bbox must be MINLON,MINLAT,MAXLON,MAXLAT with min < max, within -180..180 and -90..90");
  }
  std::vector<Area> cells = geo::priogrid_cells(min_lon, min_lat, max_lon, max_lat);
  char label[128];
  std::snprintf(label, sizeof label, "priogrid bbox %g,%g,%g,%g", min_lon, min_lat, max_lon, max_lat);
  return store_areas(db, label, sha256_hex(label), "priogrid", cells);
}

ImportSummary import_grid_within(store::Database& db, const std::string& area_id) {
  auto area = db.find_area(area_id);
  if (!area) throw Error(ErrorCategory::kNotFound, "no area '" + area_id + "'; see endstate areas list");
  std::vector<Area> cells = geo::priogrid_cells_within(*area);
  const std::string label = "priogrid within " + area->id;
  return store_areas(db, label, sha256_hex(label), "priogrid", cells);
}

}  // namespace endstate::ingest
