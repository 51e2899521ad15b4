// The SQLite backend of the store: one file, WAL while a writer has it open,
// foreign keys on, migrations applied in order. SQLite specifics stay here:
// the journal mode switch, foreign-key switching for bulk imports, the busy
// timeout and the folder beside the file for reject lists.
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_map>
#include <vector>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/store/backend.hpp"
#include "endstate/store/database.hpp"
#include "store/detail/backends.hpp"
#include "store/detail/migrations.hpp"

namespace endstate::store::detail {
namespace {

// The application_id in the SQLite header marks a file as an endstate database ("ENDS").
constexpr int kApplicationId = 0x454E4453;
// How long a writer waits for another process's transaction.
constexpr int kBusyTimeoutMs = 5000;

/// Why a write may have found no room, when it did: a file-size limit
/// (ulimit -f) in force, or a disk with (almost) no space left; "" otherwise.
/// (SQLite reports a write past a file-size limit as a plain I/O error, and
/// the errno it keeps is often overwritten by the rollback that follows.)
std::string no_room_reason(sqlite3* db) {
  rlimit r{};
  if (::getrlimit(RLIMIT_FSIZE, &r) == 0 && r.rlim_cur != RLIM_INFINITY) {
    return "the file-size limit (ulimit -f) of " + std::to_string(r.rlim_cur) + " bytes was reached";
  }
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  if (file && *file) {
    const auto parent = std::filesystem::path(file).parent_path();
    struct statvfs v {};
    if (::statvfs(parent.empty() ? "." : parent.c_str(), &v) == 0 &&
        static_cast<double>(v.f_bavail) * static_cast<double>(v.f_frsize) < 4.0 * 1024 * 1024) {
      return "the disk is full";
    }
  }
  return "";
}

/// The error for a failed SQLite call: locks and a full disk are the
/// environment's refusal (exit 5), a constraint is bad input, the rest a defect.
[[noreturn]] void fail(sqlite3* db, int rc, const std::string& what) {
  const int primary = rc & 0xff;
  const std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
    throw environment_error("the database " + std::string(file && *file ? file : "") +
                            " is locked by another process (waited " + std::to_string(kBusyTimeoutMs / 1000) +
                            " s); try again when the other endstate command has finished");
  }
  // A write that found no room: SQLITE_FULL for ENOSPC, an I/O error for a
  // file-size limit (EFBIG) or a quota (EDQUOT); the errno tells them apart.
  const int sys = db ? sqlite3_system_errno(db) : 0;
  if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && sys == ENOSPC)) {
    throw environment_error("the disk is full (" + msg + "); nothing was written");
  }
  if (primary == SQLITE_IOERR && (sys == EFBIG || sys == EDQUOT)) {
    throw environment_error(std::string("no room to write the database: ") +
                            (sys == EFBIG ? "the file-size limit was reached" : "the disk quota is exhausted") + " (" +
                            std::strerror(sys) + "); nothing was written");
  }
  if (primary == SQLITE_IOERR) {
    if (const std::string why = no_room_reason(db); !why.empty()) {
      throw environment_error("no room to write the database: " + why + " (" + msg + "); nothing was written");
    }
    throw environment_error("input/output error on the database: " + msg +
                            (sys != 0 ? " (" + std::string(std::strerror(sys)) + ")" : std::string()));
  }
  if (primary == SQLITE_READONLY) {
    throw environment_error("the database cannot be written (" + msg + "); check the file's permissions");
  }
  if (primary == SQLITE_CONSTRAINT) throw Error(ErrorCategory::kBadInput, "constraint failed: " + msg);
  throw internal_error(what + ": " + msg);
}

/// A prepared statement with RAII finalisation and typed binding helpers.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr); rc != SQLITE_OK) {
      fail(db, rc, std::string("SQL prepare failed in: ") + sql);
    }
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept {
    std::swap(s_, o.s_);
    db_ = o.db_;
    return *this;
  }

  Stmt& reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, double v) {
    sqlite3_bind_double(s_, i, v);
    return *this;
  }
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& bind_null(int i) {
    sqlite3_bind_null(s_, i);
    return *this;
  }
  template <typename T>
  Stmt& bind_opt(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }
  Stmt& bind_blob(int i, const std::vector<std::uint8_t>& v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  /// Steps once: true when a row is available, false when done.
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, rc, "SQL step failed");
  }
  void run() {
    while (step()) {
    }
  }
  std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  double f64(int c) const { return sqlite3_column_double(s_, c); }
  bool null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::string text(int c) const {
    const auto* p = sqlite3_column_text(s_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, c)))
             : std::string();
  }
  std::vector<std::uint8_t> blob(int c) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, c));
    return p ? std::vector<std::uint8_t>(p, p + sqlite3_column_bytes(s_, c)) : std::vector<std::uint8_t>();
  }
  std::optional<double> opt_f64(int c) const { return null(c) ? std::nullopt : std::optional<double>(f64(c)); }
  std::optional<std::int64_t> opt_i64(int c) const {
    return null(c) ? std::nullopt : std::optional<std::int64_t>(i64(c));
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

std::string placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

}  // namespace

/// The SQLite store.
class SqliteBackend final : public Backend {
 public:
  SqliteBackend(const std::string& path, Access access);
  ~SqliteBackend() override;

  const std::string& location() const override { return path_; }
  int schema_version() const override { return version_; }
  Access access() const override { return access_; }
  std::optional<std::string> side_folder() const override {
    const auto parent = std::filesystem::path(path_).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
  }
  void begin(TransactionMode mode) override;
  void commit() override;
  void rollback() noexcept override;
  void end_snapshot() override {}
  StoreStatus status() override;

  std::int64_t begin_import(const std::string& kind, const std::string& file, const std::string& sha256,
                            const std::string& source) override;
  void finish_import(std::int64_t import_id, const ImportSummary& summary) override;
  std::vector<ImportRecord> imports(int limit) override;

  bool insert_area(const Area& area, std::int64_t import_id) override;
  std::vector<Area> areas(const std::string& level, bool with_geometry) override;
  std::optional<Area> find_area(const std::string& id_or_name) override;
  std::vector<std::string> area_levels() override;
  std::vector<std::string> area_subtree(const std::string& id) override;

  std::optional<std::int64_t> insert_event(const Event& event, std::int64_t import_id,
                                           std::int64_t* existing_import) override;
  void link_event_area(std::int64_t event_id, const std::string& area_id) override;
  void for_each_event(const EventFilter& filter, const std::function<void(const EventRow&)>& fn) override;
  void for_each_event_point(const std::function<void(std::int64_t, LatLon)>& fn) override;
  void clear_event_areas() override;

  std::pair<std::int64_t, bool> upsert_site(const Site& site, std::int64_t import_id) override;
  bool insert_deployment(std::int64_t site_id, const Deployment& d, std::int64_t import_id) override;
  void link_site_area(std::int64_t site_id, const std::string& area_id) override;
  void clear_site_areas() override;
  void for_each_site_point(const std::function<void(std::int64_t, LatLon)>& fn) override;
  std::vector<SiteRow> sites(const std::vector<std::string>& area_ids, std::optional<Month> month) override;
  std::vector<Deployment> deployments(std::int64_t site_id) override;

  void ensure_indicator(const std::string& id) override;
  bool insert_observation(const Observation& obs, std::int64_t import_id) override;
  std::vector<Observation> observations(const std::string& indicator, const std::string& area_id) override;

  std::int64_t insert_framework(const FrameworkRow& row) override;
  std::vector<FrameworkRow> frameworks(bool with_yaml) override;
  std::optional<FrameworkRow> framework(std::optional<std::int64_t> version) override;
  std::optional<FrameworkRow> framework_by_sha256(const std::string& sha256) override;
  std::int64_t insert_signoff(const SignoffRow& row) override;
  std::vector<SignoffRow> signoffs() override;
  std::int64_t insert_assessment(const AssessmentRow& row, const std::vector<AssessmentResult>& results) override;
  std::vector<AssessmentRow> assessments() override;
  std::vector<AssessmentResult> assessment_results(std::int64_t assessment_id) override;
  std::vector<std::pair<AssessmentRow, AssessmentResult>> area_results(const std::string& area_id) override;

  std::optional<AuditEntry> last_audit() override;
  void insert_audit(const AuditEntry& row) override;
  std::optional<AuditHead> audit_head() override;
  std::vector<AuditEntry> audit_log() override;
  std::vector<std::int64_t> audit_references() override;

  bool insert_consultation(const ConsultationRow& row, std::int64_t import_id) override;
  std::vector<ConsultationRow> consultations(const std::string& locality) override;
  void read_table(const TableInfo& t, const std::function<void(const Row&)>& fn) override;
  std::int64_t count_rows(const TableInfo& t) override;
  void write_rows(const TableInfo& t, const std::vector<Row>& rows) override;
  /// The connection (for sqlite_users.cpp).
  sqlite3* handle() const { return db_; }

 private:
  void exec(const char* sql) {
    char* err = nullptr;
    if (const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err); rc != SQLITE_OK) {
      sqlite3_free(err);
      fail(db_, rc, std::string("SQL failed: ") + sql);
    }
  }
  Stmt& stmt(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, Stmt(db_, sql.c_str())).first;
    return it->second.reset();
  }
  std::int64_t scalar(const std::string& sql) {
    Stmt& s = stmt(sql);
    const std::int64_t v = s.step() ? s.i64(0) : 0;
    s.reset();
    return v;
  }
  /// Ends the read transaction that statements stepped but not reset keep
  /// open (a query that returned its first row). A write transaction begun
  /// while one is open is an upgrade, for which SQLite never waits on the
  /// busy timeout: a second writer would fail at once ("locked") instead of
  /// waiting its 5 s (issue 18.7). Called before every BEGIN.
  void release_reads() {
    for (sqlite3_stmt* st = sqlite3_next_stmt(db_, nullptr); st != nullptr; st = sqlite3_next_stmt(db_, st)) {
      if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
    }
  }
  void migrate();

  sqlite3* db_ = nullptr;
  std::string path_;
  Access access_;
  int version_ = 0;
  bool bulk_ = false;
  std::unordered_map<std::string, Stmt> cache_;
  // Hot-path statements of bulk imports, prepared once (no cache_ lookup per row).
  std::unique_ptr<Stmt> insert_event_stmt_;
  std::unique_ptr<Stmt> link_event_stmt_;
};

namespace {

/// `path` for an SQLite URI filename: %, ?, # and non-ASCII bytes percent-encoded.
std::string uri_path(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x21 || c > 0x7e) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

/// Reads the first 100 bytes of an existing file: the SQLite header tells
/// whether it is an SQLite database and its application id, before SQLite
/// touches anything (a foreign file must not be switched to WAL).
///
/// The bytes are read through SQLite's own file layer, not a stream: closing
/// any other descriptor of the file would drop every POSIX lock this process
/// holds on it (a server keeps many connections open), and another process
/// could then take the database for unused and delete its -wal and -shm.
/// SQLite's layer defers such closes while its connections hold locks.
void check_header(const std::string& path) {
  sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
  std::vector<std::max_align_t> space(static_cast<std::size_t>(vfs->szOsFile) / sizeof(std::max_align_t) + 1);
  auto* file = reinterpret_cast<sqlite3_file*>(space.data());
  sqlite3_filename name = sqlite3_create_filename(path.c_str(), "", "", 0, nullptr);
  int flags = 0;
  if (vfs->xOpen(vfs, name, file, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &flags) != SQLITE_OK) {
    if (file->pMethods) file->pMethods->xClose(file);
    sqlite3_free_filename(name);
    throw environment_error("cannot read the database file " + path + "; check its permissions");
  }
  unsigned char h[100] = {};
  sqlite3_int64 size = 0;
  const int rc = file->pMethods->xFileSize(file, &size) == SQLITE_OK
                     ? file->pMethods->xRead(file, h, static_cast<int>(std::min<sqlite3_int64>(size, 100)), 0)
                     : SQLITE_IOERR;
  file->pMethods->xClose(file);
  sqlite3_free_filename(name);
  if (rc != SQLITE_OK && size > 0) throw environment_error("cannot read the database file " + path);
  const auto n = std::min<sqlite3_int64>(size, 100);
  if (n == 0) return;  // an empty file becomes a new database
  static const char kMagic[] = "SQLite format 3";
  if (n < 100 || std::memcmp(h, kMagic, sizeof kMagic) != 0) {
    throw Error(ErrorCategory::kBadInput, "not an SQLite database; pass --db with an endstate database", {path, 0, ""});
  }
  const std::uint32_t app =
      (std::uint32_t(h[68]) << 24) | (std::uint32_t(h[69]) << 16) | (std::uint32_t(h[70]) << 8) | std::uint32_t(h[71]);
  const std::uint32_t user_version =
      (std::uint32_t(h[60]) << 24) | (std::uint32_t(h[61]) << 16) | (std::uint32_t(h[62]) << 8) | std::uint32_t(h[63]);
  const std::uint32_t schema_cookie =
      (std::uint32_t(h[40]) << 24) | (std::uint32_t(h[41]) << 16) | (std::uint32_t(h[42]) << 8) | std::uint32_t(h[43]);
  // An SQLite file with tables but another application id is someone else's.
  if (app != static_cast<std::uint32_t>(kApplicationId) && (app != 0 || schema_cookie != 0 || user_version != 0)) {
    throw Error(ErrorCategory::kBadInput,
                "this SQLite file is not an endstate database (nothing was changed); use --db to name another file",
                {path, 0, ""});
  }
  if (static_cast<int>(user_version) > latest_schema_version()) {
    throw Error(ErrorCategory::kBadInput,
                "database schema version " + std::to_string(user_version) + " is newer than this build (" +
                    std::to_string(latest_schema_version()) + "); upgrade endstate",
                {path, 0, ""});
  }
}

}  // namespace

SqliteBackend::SqliteBackend(const std::string& path, Access access) : path_(path), access_(access) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (exists && fs::is_directory(path, ec)) {
    throw Error(ErrorCategory::kBadInput, "is a directory, not a database file", {path, 0, ""});
  }
  if (access == Access::kReadOnly && !exists) {
    throw Error(ErrorCategory::kNotFound,
                "no database here; import data first (endstate areas import ...) or pass --db", {path, 0, ""});
  }
  if (exists) check_header(path);
  // A writer needs the file and its folder (SQLite keeps the -wal and -shm
  // files beside the database): say so before SQLite opens it, which would
  // otherwise leave -wal/-shm files behind in a writable folder.
  if (access == Access::kReadWrite) {
    const auto parent = fs::path(path).parent_path();
    const std::string folder = parent.empty() ? "." : parent.string();
    if (exists && ::access(path.c_str(), W_OK) != 0) {
      throw environment_error("the database " + path + " cannot be written: the file is read-only (" +
                              std::strerror(errno) + "); check its permissions, or use a copy");
    }
    if (::access(folder.c_str(), W_OK) != 0) {
      if (errno == ENOENT)
        throw environment_error("cannot create the database " + path + ": its folder " + folder + " does not exist");
      throw environment_error("the database " + path + " cannot be written: its folder " + folder +
                              " is not writable (" + std::strerror(errno) +
                              "); SQLite keeps its -wal and -shm files beside the database");
    }
  }
  // Readers leave nothing behind: in a writable folder they open read-write
  // with query_only (the last connection then removes the -wal/-shm files it
  // used); where the file or its folder cannot be written no writer can be at
  // work either, so an unchanged database is opened immutable (no lock or
  // -shm file needed); a WAL left by a crashed writer is read as it is.
  std::string name = path;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  bool query_only = false;
  if (access == Access::kReadOnly) {
    const auto parent = fs::path(path).parent_path();
    const bool writable =
        ::access(path.c_str(), W_OK) == 0 && ::access(parent.empty() ? "." : parent.c_str(), W_OK) == 0;
    if (writable) {
      flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
      query_only = true;
    } else if (!fs::exists(path + "-wal", ec)) {
      name = "file:" + uri_path(fs::absolute(path).string()) + "?immutable=1";
      flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    } else {
      flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    }
  }
  if (const int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr); rc != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close_v2(db_);
    db_ = nullptr;
    if ((rc & 0xff) == SQLITE_CANTOPEN) {
      throw environment_error("cannot open the database " + path + ": " + msg +
                              " (check the folder exists and is writable)");
    }
    throw Error(ErrorCategory::kBadInput, "cannot open database: " + msg, {path, 0, ""});
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  if (query_only) exec("PRAGMA query_only = ON");
  // Sorts and temporary indices in memory: no temporary file (which a full
  // disk would refuse, or a kill could leave) for readers either.
  exec("PRAGMA temp_store = MEMORY");
  if (access == Access::kReadOnly) {
    version_ = static_cast<int>(scalar("PRAGMA user_version"));
    if (scalar("PRAGMA application_id") != kApplicationId) {
      throw Error(ErrorCategory::kBadInput, "this SQLite file is not an endstate database", {path, 0, ""});
    }
    if (version_ != latest_schema_version()) {
      throw Error(ErrorCategory::kBadInput,
                  "database schema version " + std::to_string(version_) + " differs from this build's " +
                      std::to_string(latest_schema_version()) + "; run any write command to migrate",
                  {path, 0, ""});
    }
    return;
  }
  // The header was checked above: only now may SQLite change the file.
  exec("PRAGMA foreign_keys = ON");
  exec("PRAGMA journal_mode = WAL");
  exec("PRAGMA synchronous = NORMAL");
  exec("PRAGMA cache_size = -65536");
  migrate();
}

void SqliteBackend::migrate() {
  const std::int64_t user_version = scalar("PRAGMA user_version");
  for (const auto& m : migrations()) {
    if (m.version <= user_version) continue;
    release_reads();
    exec("BEGIN IMMEDIATE");
    try {
      exec(m.sqlite);
      exec(("PRAGMA user_version = " + std::to_string(m.version)).c_str());
      exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
  version_ = static_cast<int>(scalar("PRAGMA user_version"));
}

SqliteBackend::~SqliteBackend() {
  insert_event_stmt_.reset();
  link_event_stmt_.reset();
  cache_.clear();
  if (!db_) return;
  sqlite3_close_v2(db_);
}

void SqliteBackend::begin(TransactionMode mode) {
  bulk_ = mode == TransactionMode::kBulk;
  // foreign_keys cannot change inside a transaction: switch before BEGIN.
  if (bulk_) exec("PRAGMA foreign_keys = OFF");
  // No automatic checkpoint inside COMMIT: COMMIT returns as soon as the
  // transaction is durable in the WAL, and what the caller does next (an
  // import names its rejects file) follows at once, instead of after copying
  // the whole WAL into the database, a window in which kill -9 left an import
  // without its rejects list. The checkpoint comes with the next commit or
  // when the last connection closes.
  exec("PRAGMA wal_autocheckpoint = 0");
  release_reads();
  try {
    exec("BEGIN IMMEDIATE");
  } catch (...) {
    if (bulk_) sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
    sqlite3_exec(db_, "PRAGMA wal_autocheckpoint = 1000", nullptr, nullptr, nullptr);
    bulk_ = false;
    throw;
  }
}

void SqliteBackend::commit() {
  exec("COMMIT");
  if (bulk_) sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  sqlite3_exec(db_, "PRAGMA wal_autocheckpoint = 1000", nullptr, nullptr, nullptr);
  bulk_ = false;
}

void SqliteBackend::rollback() noexcept {
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  if (bulk_) sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  sqlite3_exec(db_, "PRAGMA wal_autocheckpoint = 1000", nullptr, nullptr, nullptr);
  bulk_ = false;
}

std::string sqlite_version() { return std::string("SQLite ") + sqlite3_libversion(); }

std::unique_ptr<Backend> open_sqlite(const std::string& path, Access access) {
  return std::make_unique<SqliteBackend>(path, access);
}

// --- import log -------------------------------------------------------------

std::int64_t SqliteBackend::begin_import(const std::string& kind, const std::string& file, const std::string& sha256,
                                         const std::string& source) {
  const std::string now = utc_now_iso();
  stmt(
      "INSERT INTO import_log(kind,file,sha256,source,imported_at,read,imported,duplicates,rejected,"
      "outside_areas) VALUES(?,?,?,?,?,0,0,0,0,0)")
      .bind(1, kind)
      .bind(2, file)
      .bind(3, sha256)
      .bind(4, source)
      .bind(5, now)
      .run();
  return sqlite3_last_insert_rowid(db_);
}

void SqliteBackend::finish_import(std::int64_t import_id, const ImportSummary& s) {
  stmt("UPDATE import_log SET read=?, imported=?, duplicates=?, rejected=?, outside_areas=? WHERE id=?")
      .bind(1, s.read)
      .bind(2, s.imported)
      .bind(3, s.duplicates)
      .bind(4, s.rejected)
      .bind(5, s.outside_areas)
      .bind(6, import_id)
      .run();
}

std::vector<ImportRecord> SqliteBackend::imports(int limit) {
  std::vector<ImportRecord> out;
  Stmt& s = stmt(
      "SELECT id,kind,file,sha256,source,imported_at,read,imported,duplicates,rejected,outside_areas "
      "FROM import_log ORDER BY id DESC LIMIT ?");
  s.bind(1, static_cast<std::int64_t>(limit));
  while (s.step()) {
    out.push_back({s.i64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.i64(6), s.i64(7), s.i64(8),
                   s.i64(9), s.i64(10)});
  }
  return out;
}

// --- areas ------------------------------------------------------------------

bool SqliteBackend::insert_area(const Area& a, std::int64_t import_id) {
  Stmt& s = stmt(
      "INSERT INTO areas(id,name,level,parent_id,population,area_km2,centroid_lat,centroid_lon,min_lon,min_lat,"
      "max_lon,max_lat,priogrid_gid,share_inside,geometry_wkb,import_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT(id) DO NOTHING");
  s.bind(1, a.id).bind(2, a.name).bind(3, a.level);
  if (a.parent_id.empty()) {
    s.bind_null(4);
  } else {
    s.bind(4, a.parent_id);
  }
  s.bind_opt(5, a.population)
      .bind(6, a.area_km2)
      .bind(7, a.centroid.lat)
      .bind(8, a.centroid.lon)
      .bind(9, a.min_lon)
      .bind(10, a.min_lat)
      .bind(11, a.max_lon)
      .bind(12, a.max_lat)
      .bind_opt(13, a.priogrid_gid)
      .bind_opt(14, a.share_inside)
      .bind_blob(15, a.wkb)
      .bind(16, import_id);
  s.run();
  return sqlite3_changes(db_) > 0;
}

namespace {
Area read_area(const Stmt& s, bool with_geometry) {
  Area a;
  a.id = s.text(0);
  a.name = s.text(1);
  a.level = s.text(2);
  a.parent_id = s.text(3);
  a.population = s.opt_f64(4);
  a.area_km2 = s.f64(5);
  a.centroid = {s.f64(6), s.f64(7)};
  a.min_lon = s.f64(8);
  a.min_lat = s.f64(9);
  a.max_lon = s.f64(10);
  a.max_lat = s.f64(11);
  a.priogrid_gid = s.opt_i64(12);
  a.share_inside = s.opt_f64(13);
  if (with_geometry) a.wkb = s.blob(14);
  return a;
}
constexpr const char* kAreaColumns =
    "SELECT id,name,level,coalesce(parent_id,''),population,area_km2,centroid_lat,centroid_lon,min_lon,min_lat,"
    "max_lon,max_lat,priogrid_gid,share_inside,geometry_wkb FROM areas ";
}  // namespace

std::vector<Area> SqliteBackend::areas(const std::string& level, bool with_geometry) {
  std::vector<Area> out;
  Stmt& s = stmt(std::string(kAreaColumns) + (level.empty() ? "ORDER BY level, id" : "WHERE level=? ORDER BY id"));
  if (!level.empty()) s.bind(1, level);
  while (s.step()) out.push_back(read_area(s, with_geometry));
  return out;
}

std::optional<Area> SqliteBackend::find_area(const std::string& id_or_name) {
  {
    Stmt& s = stmt(std::string(kAreaColumns) + "WHERE id=?");
    s.bind(1, id_or_name);
    if (s.step()) {
      auto a = read_area(s, true);
      s.reset();
      return a;
    }
  }
  Stmt& s = stmt(std::string(kAreaColumns) + "WHERE lower(name)=lower(?) ORDER BY id");
  s.bind(1, id_or_name);
  std::vector<Area> found;
  while (s.step()) found.push_back(read_area(s, true));
  if (found.empty()) return std::nullopt;
  if (found.size() > 1) {
    std::string ids;
    for (const auto& a : found) ids += (ids.empty() ? "" : ", ") + a.id + " (" + a.level + ")";
    throw Error(ErrorCategory::kBadInput, "area name '" + id_or_name + "' is ambiguous: " + ids + "; use an id");
  }
  return found.front();
}

std::vector<std::string> SqliteBackend::area_levels() {
  std::vector<std::string> out;
  Stmt& s = stmt("SELECT DISTINCT level FROM areas ORDER BY level");
  while (s.step()) out.push_back(s.text(0));
  return out;
}

std::vector<std::string> SqliteBackend::area_subtree(const std::string& id) {
  std::vector<std::string> out;
  Stmt& s = stmt(
      "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION SELECT a.id FROM areas a JOIN sub ON a.parent_id = sub.id) "
      "SELECT id FROM sub ORDER BY id");
  s.bind(1, id);
  while (s.step()) out.push_back(s.text(0));
  return out;
}

// --- events -----------------------------------------------------------------

std::optional<std::int64_t> SqliteBackend::insert_event(const Event& e, std::int64_t import_id,
                                                        std::int64_t* existing_import) {
  if (!insert_event_stmt_) {
    insert_event_stmt_ = std::make_unique<Stmt>(
        db_,
        "INSERT INTO events(source,source_id,date_start,date_end,day_start,month,date_precision,lat,lon,"
        "location_precision,violence_type,violence_original,actor1,actor2,fatalities_best,fatalities_low,"
        "fatalities_high,civilian_deaths,country,admin1,location,priogrid_gid,import_id) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(source,source_id) DO NOTHING");
  }
  Stmt& s = insert_event_stmt_->reset();
  const std::string ds = e.date_start.iso();
  const std::string de = e.date_end.iso();
  const std::string vt(to_string(e.violence));
  s.bind(1, e.source)
      .bind(2, e.source_id)
      .bind(3, ds)
      .bind(4, de)
      .bind(5, static_cast<std::int64_t>(e.date_start.days()))
      .bind(6, static_cast<std::int64_t>(Month::of(e.date_start).index()))
      .bind(7, e.date_precision)
      .bind(8, e.where.lat)
      .bind(9, e.where.lon)
      .bind(10, e.location_precision)
      .bind(11, vt)
      .bind(12, e.violence_original)
      .bind(13, e.actor1)
      .bind(14, e.actor2)
      .bind(15, e.fatalities_best)
      .bind(16, e.fatalities_low)
      .bind(17, e.fatalities_high)
      .bind_opt(18, e.civilian_deaths)
      .bind(19, e.country)
      .bind(20, e.admin1)
      .bind(21, e.location)
      .bind_opt(22, e.priogrid_gid)
      .bind(23, import_id);
  s.run();
  if (sqlite3_changes(db_) > 0) return sqlite3_last_insert_rowid(db_);
  if (existing_import) {
    Stmt& q = stmt("SELECT import_id FROM events WHERE source=? AND source_id=?");
    q.bind(1, e.source).bind(2, e.source_id);
    *existing_import = q.step() ? q.i64(0) : 0;
    q.reset();
  }
  return std::nullopt;
}

void SqliteBackend::link_event_area(std::int64_t event_id, const std::string& area_id) {
  if (!link_event_stmt_) {
    link_event_stmt_ = std::make_unique<Stmt>(db_, "INSERT OR IGNORE INTO event_areas(event_id, area_id) VALUES(?,?)");
  }
  link_event_stmt_->reset().bind(1, event_id).bind(2, area_id).run();
}

void SqliteBackend::for_each_event(const EventFilter& f, const std::function<void(const EventRow&)>& fn) {
  std::string sql =
      "SELECT e.id,source,source_id,date_start,date_end,date_precision,lat,lon,location_precision,violence_type,"
      "violence_original,actor1,actor2,fatalities_best,fatalities_low,fatalities_high,civilian_deaths,country,"
      "admin1,location,priogrid_gid,(SELECT group_concat(area_id, ';') FROM (SELECT area_id FROM event_areas ea "
      "WHERE ea.event_id = e.id ORDER BY area_id)) FROM events e WHERE 1=1";
  if (!f.area_ids.empty()) {
    sql += " AND e.id IN (SELECT event_id FROM event_areas WHERE area_id IN (" + placeholders(f.area_ids.size()) + "))";
  }
  if (f.from) sql += " AND month >= ?";
  if (f.to) sql += " AND month <= ?";
  if (f.type) sql += " AND violence_type = ?";
  if (!f.source.empty()) sql += " AND source = ?";
  sql += " ORDER BY day_start, source, source_id";
  if (f.limit > 0) sql += " LIMIT " + std::to_string(f.limit);
  Stmt s(db_, sql.c_str());
  int i = 1;
  for (const auto& a : f.area_ids) s.bind(i++, a);
  if (f.from) s.bind(i++, static_cast<std::int64_t>(f.from->index()));
  if (f.to) s.bind(i++, static_cast<std::int64_t>(f.to->index()));
  const std::string vt = f.type ? std::string(to_string(*f.type)) : std::string();
  if (f.type) s.bind(i++, vt);
  if (!f.source.empty()) s.bind(i++, f.source);
  EventRow row;
  while (s.step()) {
    Event& e = row.event;
    row.id = s.i64(0);
    e.source = s.text(1);
    e.source_id = s.text(2);
    e.date_start = *Date::parse(s.text(3));
    e.date_end = *Date::parse(s.text(4));
    e.date_precision = static_cast<int>(s.i64(5));
    e.where = {s.f64(6), s.f64(7)};
    e.location_precision = static_cast<int>(s.i64(8));
    e.violence = parse_violence_type(s.text(9)).value_or(ViolenceType::kOther);
    e.violence_original = s.text(10);
    e.actor1 = s.text(11);
    e.actor2 = s.text(12);
    e.fatalities_best = s.i64(13);
    e.fatalities_low = s.i64(14);
    e.fatalities_high = s.i64(15);
    e.civilian_deaths = s.opt_i64(16);
    e.country = s.text(17);
    e.admin1 = s.text(18);
    e.location = s.text(19);
    e.priogrid_gid = s.opt_i64(20);
    const std::string areas = s.text(21);
    row.area_ids = areas.empty() ? std::vector<std::string>{} : split(areas, ';');
    fn(row);
  }
}

void SqliteBackend::for_each_event_point(const std::function<void(std::int64_t, LatLon)>& fn) {
  Stmt& s = stmt("SELECT id, lat, lon FROM events ORDER BY id");
  while (s.step()) fn(s.i64(0), {s.f64(1), s.f64(2)});
}

void SqliteBackend::clear_event_areas() { exec("DELETE FROM event_areas"); }

// --- sites ------------------------------------------------------------------

std::pair<std::int64_t, bool> SqliteBackend::upsert_site(const Site& site, std::int64_t import_id) {
  {
    Stmt& q = stmt("SELECT id FROM sites WHERE key=?");
    q.bind(1, site.key);
    if (q.step()) {
      const auto id = q.i64(0);
      q.reset();
      return {id, false};
    }
  }
  stmt(
      "INSERT INTO sites(key,mission,name,country,admin1,admin2,lat,lon,kind,import_id) "
      "VALUES(?,?,?,?,?,?,?,?,?,?)")
      .bind(1, site.key)
      .bind(2, site.mission)
      .bind(3, site.name)
      .bind(4, site.country)
      .bind(5, site.admin1)
      .bind(6, site.admin2)
      .bind(7, site.where.lat)
      .bind(8, site.where.lon)
      .bind(9, site.kind)
      .bind(10, import_id)
      .run();
  return {sqlite3_last_insert_rowid(db_), true};
}

bool SqliteBackend::insert_deployment(std::int64_t site_id, const Deployment& d, std::int64_t import_id) {
  stmt(
      "INSERT INTO deployments(site_id,period_start,period_end,source,troops,police,observers,civilians,hq,"
      "aviation,medical,notes,import_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT(site_id,period_start,source) DO NOTHING")
      .bind(1, site_id)
      .bind(2, static_cast<std::int64_t>(d.period_start.index()))
      .bind(3, static_cast<std::int64_t>(d.period_end.index()))
      .bind(4, d.source)
      .bind(5, d.troops)
      .bind(6, d.police)
      .bind(7, d.observers)
      .bind(8, d.civilians)
      .bind(9, d.hq)
      .bind(10, d.aviation)
      .bind(11, d.medical)
      .bind(12, d.notes)
      .bind(13, import_id)
      .run();
  return sqlite3_changes(db_) > 0;
}

void SqliteBackend::link_site_area(std::int64_t site_id, const std::string& area_id) {
  stmt("INSERT OR IGNORE INTO site_areas(site_id, area_id) VALUES(?,?)").bind(1, site_id).bind(2, area_id).run();
}

void SqliteBackend::clear_site_areas() { exec("DELETE FROM site_areas"); }

void SqliteBackend::for_each_site_point(const std::function<void(std::int64_t, LatLon)>& fn) {
  Stmt& s = stmt("SELECT id, lat, lon FROM sites ORDER BY id");
  while (s.step()) fn(s.i64(0), {s.f64(1), s.f64(2)});
}

namespace {
Deployment read_deployment(const Stmt& s, int c, const std::string& key) {
  Deployment d;
  d.site_key = key;
  d.period_start = Month::from_index(static_cast<std::int32_t>(s.i64(c)));
  d.period_end = Month::from_index(static_cast<std::int32_t>(s.i64(c + 1)));
  d.source = s.text(c + 2);
  d.troops = s.i64(c + 3);
  d.police = s.i64(c + 4);
  d.observers = s.i64(c + 5);
  d.civilians = s.i64(c + 6);
  d.hq = static_cast<int>(s.i64(c + 7));
  d.aviation = static_cast<int>(s.i64(c + 8));
  d.medical = static_cast<int>(s.i64(c + 9));
  d.notes = s.text(c + 10);
  return d;
}
constexpr const char* kDeploymentColumns =
    "period_start,period_end,source,troops,police,observers,civilians,hq,aviation,medical,notes";
}  // namespace

std::vector<SiteRow> SqliteBackend::sites(const std::vector<std::string>& area_ids, std::optional<Month> month) {
  std::string sql =
      "SELECT s.id,key,mission,name,country,admin1,admin2,lat,lon,kind,(SELECT group_concat(area_id, ';') FROM "
      "(SELECT area_id FROM site_areas sa WHERE sa.site_id = s.id ORDER BY area_id)),(SELECT count(*) FROM "
      "deployments d WHERE d.site_id = s.id) FROM sites s WHERE 1=1";
  if (!area_ids.empty()) {
    sql += " AND s.id IN (SELECT site_id FROM site_areas WHERE area_id IN (" + placeholders(area_ids.size()) + "))";
  }
  if (month)
    sql += " AND EXISTS (SELECT 1 FROM deployments d WHERE d.site_id = s.id AND ? BETWEEN period_start AND period_end)";
  sql += " ORDER BY mission, name, key";
  Stmt s(db_, sql.c_str());
  int i = 1;
  for (const auto& a : area_ids) s.bind(i++, a);
  if (month) s.bind(i++, static_cast<std::int64_t>(month->index()));
  std::vector<SiteRow> out;
  while (s.step()) {
    SiteRow r;
    r.id = s.i64(0);
    r.site.key = s.text(1);
    r.site.mission = s.text(2);
    r.site.name = s.text(3);
    r.site.country = s.text(4);
    r.site.admin1 = s.text(5);
    r.site.admin2 = s.text(6);
    r.site.where = {s.f64(7), s.f64(8)};
    r.site.kind = s.text(9);
    const std::string areas = s.text(10);
    if (!areas.empty()) r.area_ids = split(areas, ';');
    r.deployments = s.i64(11);
    out.push_back(std::move(r));
  }
  // Latest deployment (or the one covering `month`): largest period_start, then source.
  std::string dsql = std::string("SELECT ") + kDeploymentColumns + " FROM deployments WHERE site_id=?";
  if (month) dsql += " AND ? BETWEEN period_start AND period_end";
  dsql += " ORDER BY period_start DESC, source DESC LIMIT 1";
  for (auto& r : out) {
    Stmt& d = stmt(dsql);
    d.bind(1, r.id);
    if (month) d.bind(2, static_cast<std::int64_t>(month->index()));
    if (d.step()) r.latest = read_deployment(d, 0, r.site.key);
    d.reset();
  }
  return out;
}

std::vector<Deployment> SqliteBackend::deployments(std::int64_t site_id) {
  std::vector<Deployment> out;
  Stmt& key = stmt("SELECT key FROM sites WHERE id=?");
  key.bind(1, site_id);
  const std::string k = key.step() ? key.text(0) : std::string();
  key.reset();
  Stmt& s = stmt(std::string("SELECT ") + kDeploymentColumns +
                 " FROM deployments WHERE site_id=? ORDER BY period_start, source");
  s.bind(1, site_id);
  while (s.step()) out.push_back(read_deployment(s, 0, k));
  return out;
}

// --- indicators and observations -------------------------------------------

void SqliteBackend::ensure_indicator(const std::string& id) {
  stmt("INSERT OR IGNORE INTO indicators(id, name) VALUES(?, ?)").bind(1, id).bind(2, id).run();
}

bool SqliteBackend::insert_observation(const Observation& o, std::int64_t import_id) {
  stmt(
      "INSERT INTO observations(indicator_id,area_id,month,value,source,import_id) VALUES(?,?,?,?,?,?) "
      "ON CONFLICT(indicator_id,area_id,month,source) DO NOTHING")
      .bind(1, o.indicator)
      .bind(2, o.area_id)
      .bind(3, static_cast<std::int64_t>(o.month.index()))
      .bind(4, o.value)
      .bind(5, o.source)
      .bind(6, import_id)
      .run();
  return sqlite3_changes(db_) > 0;
}

std::vector<Observation> SqliteBackend::observations(const std::string& indicator, const std::string& area_id) {
  std::string sql = "SELECT indicator_id, area_id, month, value, source FROM observations WHERE 1=1";
  if (!indicator.empty()) sql += " AND indicator_id = ?";
  if (!area_id.empty()) sql += " AND area_id = ?";
  sql += " ORDER BY indicator_id, area_id, month, source";
  Stmt& s = stmt(sql);
  int i = 1;
  if (!indicator.empty()) s.bind(i++, indicator);
  if (!area_id.empty()) s.bind(i++, area_id);
  std::vector<Observation> out;
  while (s.step()) {
    out.push_back({s.text(0), s.text(1), Month::from_index(static_cast<std::int32_t>(s.i64(2))), s.f64(3), s.text(4)});
  }
  return out;
}

// --- benchmarks and audit ----------------------------------------------------

namespace {
AuditEntry audit_row(const Stmt& s) {
  return {s.i64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)};
}
FrameworkRow framework_row(const Stmt& s) {
  return {s.i64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), s.text(8), s.i64(9)};
}
AssessmentRow assessment_row(const Stmt& s) {
  return {s.i64(0),  s.i64(1), Month::from_index(static_cast<std::int32_t>(s.i64(2))), s.text(3), s.text(4),
          s.text(5), s.i64(6)};
}
constexpr const char* kAuditCols = "seq, at, kind, subject, payload, prev_hash, hash";
constexpr const char* kAssessmentCols = "id, framework_version, month, level, data_fingerprint, created_at, audit_seq";
}  // namespace

std::optional<AuditEntry> SqliteBackend::last_audit() {
  Stmt& s = stmt(std::string("SELECT ") + kAuditCols + " FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  auto e = audit_row(s);
  s.reset();
  return e;
}

void SqliteBackend::insert_audit(const AuditEntry& r) {
  stmt("INSERT INTO audit_log(seq, at, kind, subject, payload, prev_hash, hash) VALUES(?,?,?,?,?,?,?)")
      .bind(1, r.seq)
      .bind(2, r.at)
      .bind(3, r.kind)
      .bind(4, r.subject)
      .bind(5, r.payload)
      .bind(6, r.prev_hash)
      .bind(7, r.hash)
      .run();
  stmt(
      "INSERT INTO audit_head(id, entries, head_hash) VALUES(1, ?, ?) "
      "ON CONFLICT(id) DO UPDATE SET entries = excluded.entries, head_hash = excluded.head_hash")
      .bind(1, r.seq)
      .bind(2, r.hash)
      .run();
}

std::optional<AuditHead> SqliteBackend::audit_head() {
  if (version_ < 3) return std::nullopt;
  Stmt& s = stmt("SELECT entries, head_hash FROM audit_head WHERE id = 1");
  if (!s.step()) return std::nullopt;
  AuditHead h{s.i64(0), s.text(1)};
  s.reset();  // a statement left on a row holds the read snapshot open
  return h;
}

std::vector<AuditEntry> SqliteBackend::audit_log() {
  Stmt& s = stmt(std::string("SELECT ") + kAuditCols + " FROM audit_log ORDER BY seq");
  std::vector<AuditEntry> out;
  while (s.step()) out.push_back(audit_row(s));
  return out;
}

std::vector<std::int64_t> SqliteBackend::audit_references() {
  Stmt& s = stmt(
      "SELECT audit_seq FROM benchmark_frameworks UNION SELECT audit_seq FROM benchmark_signoffs "
      "UNION SELECT audit_seq FROM benchmark_assessments ORDER BY 1");
  std::vector<std::int64_t> out;
  while (s.step()) out.push_back(s.i64(0));
  return out;
}

std::int64_t SqliteBackend::insert_framework(const FrameworkRow& r) {
  stmt(
      "INSERT INTO benchmark_frameworks(framework_id, label, name, area_level, file, sha256, yaml, imported_at, "
      "audit_seq) VALUES(?,?,?,?,?,?,?,?,?)")
      .bind(1, r.framework_id)
      .bind(2, r.label)
      .bind(3, r.name)
      .bind(4, r.area_level)
      .bind(5, r.file)
      .bind(6, r.sha256)
      .bind(7, r.yaml)
      .bind(8, r.imported_at)
      .bind(9, r.audit_seq)
      .run();
  return sqlite3_last_insert_rowid(db_);
}

std::vector<FrameworkRow> SqliteBackend::frameworks(bool with_yaml) {
  Stmt& s = stmt(std::string("SELECT version, framework_id, label, name, area_level, file, sha256, ") +
                 (with_yaml ? "yaml" : "''") + ", imported_at, audit_seq FROM benchmark_frameworks ORDER BY version");
  std::vector<FrameworkRow> out;
  while (s.step()) out.push_back(framework_row(s));
  return out;
}

std::optional<FrameworkRow> SqliteBackend::framework(std::optional<std::int64_t> version) {
  const std::string cols =
      "SELECT version, framework_id, label, name, area_level, file, sha256, yaml, imported_at, audit_seq "
      "FROM benchmark_frameworks ";
  Stmt& s = version ? stmt(cols + "WHERE version = ?").bind(1, *version) : stmt(cols + "ORDER BY version DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  auto f = framework_row(s);
  s.reset();
  return f;
}

std::optional<FrameworkRow> SqliteBackend::framework_by_sha256(const std::string& sha256) {
  Stmt& s = stmt(
      "SELECT version, framework_id, label, name, area_level, file, sha256, yaml, imported_at, audit_seq "
      "FROM benchmark_frameworks WHERE sha256 = ? ORDER BY version LIMIT 1");
  s.bind(1, sha256);
  if (!s.step()) return std::nullopt;
  auto f = framework_row(s);
  s.reset();
  return f;
}

std::int64_t SqliteBackend::insert_signoff(const SignoffRow& r) {
  stmt(
      "INSERT INTO benchmark_signoffs(framework_version, stakeholder, signed_by, signed_at, version_sha256, "
      "audit_seq) VALUES(?,?,?,?,?,?)")
      .bind_opt(1, r.framework_version)
      .bind(2, r.stakeholder)
      .bind(3, r.signed_by)
      .bind(4, r.signed_at)
      .bind(5, r.version_sha256)
      .bind(6, r.audit_seq)
      .run();
  return sqlite3_last_insert_rowid(db_);
}

std::vector<SignoffRow> SqliteBackend::signoffs() {
  Stmt& s = stmt(
      "SELECT id, framework_version, stakeholder, signed_by, signed_at, version_sha256, audit_seq "
      "FROM benchmark_signoffs ORDER BY id");
  std::vector<SignoffRow> out;
  while (s.step()) out.push_back({s.i64(0), s.opt_i64(1), s.text(2), s.text(3), s.text(4), s.text(5), s.i64(6)});
  return out;
}

std::int64_t SqliteBackend::insert_assessment(const AssessmentRow& r, const std::vector<AssessmentResult>& results) {
  stmt(
      "INSERT INTO benchmark_assessments(framework_version, month, level, data_fingerprint, created_at, "
      "audit_seq) VALUES(?,?,?,?,?,?)")
      .bind(1, r.framework_version)
      .bind(2, static_cast<std::int64_t>(r.month.index()))
      .bind(3, r.level)
      .bind(4, r.data_fingerprint)
      .bind(5, r.created_at)
      .bind(6, r.audit_seq)
      .run();
  const std::int64_t id = sqlite3_last_insert_rowid(db_);
  for (const auto& x : results) {
    stmt(
        "INSERT INTO benchmark_results(assessment_id, area_id, stakeholder, item_kind, item_id, value, status) "
        "VALUES(?,?,?,?,?,?,?)")
        .bind(1, id)
        .bind(2, x.area_id)
        .bind(3, x.stakeholder)
        .bind(4, x.item_kind)
        .bind(5, x.item_id)
        .bind_opt(6, x.value)
        .bind(7, x.status)
        .run();
  }
  return id;
}

std::vector<AssessmentRow> SqliteBackend::assessments() {
  Stmt& s = stmt(std::string("SELECT ") + kAssessmentCols + " FROM benchmark_assessments ORDER BY month, id");
  std::vector<AssessmentRow> out;
  while (s.step()) out.push_back(assessment_row(s));
  return out;
}

std::vector<AssessmentResult> SqliteBackend::assessment_results(std::int64_t assessment_id) {
  Stmt& s = stmt(
      "SELECT area_id, stakeholder, item_kind, item_id, value, status FROM benchmark_results "
      "WHERE assessment_id = ? ORDER BY area_id, stakeholder, item_kind, item_id");
  s.bind(1, assessment_id);
  std::vector<AssessmentResult> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.opt_f64(4), s.text(5)});
  return out;
}

std::vector<std::pair<AssessmentRow, AssessmentResult>> SqliteBackend::area_results(const std::string& area_id) {
  Stmt& s = stmt(
      "SELECT a.id, a.framework_version, a.month, a.level, a.data_fingerprint, a.created_at, a.audit_seq, "
      "r.area_id, r.stakeholder, r.item_kind, r.item_id, r.value, r.status "
      "FROM benchmark_results r JOIN benchmark_assessments a ON a.id = r.assessment_id "
      "WHERE r.area_id = ? ORDER BY a.month, a.id, r.stakeholder, r.item_kind, r.item_id");
  s.bind(1, area_id);
  std::vector<std::pair<AssessmentRow, AssessmentResult>> out;
  while (s.step()) {
    out.emplace_back(assessment_row(s),
                     AssessmentResult{s.text(7), s.text(8), s.text(9), s.text(10), s.opt_f64(11), s.text(12)});
  }
  return out;
}

// --- whole tables -------------------------------------------------------------

void SqliteBackend::read_table(const TableInfo& t, const std::function<void(const Row&)>& fn) {
  std::string cols;
  for (const auto& c : t.columns) cols += (cols.empty() ? "" : ", ") + c.name;
  Stmt s(db_, ("SELECT " + cols + " FROM " + t.name + " ORDER BY " + t.order_by).c_str());
  Row row(t.columns.size());
  while (s.step()) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const int k = static_cast<int>(c);
      if (s.null(k)) {
        row[c] = std::monostate{};
        continue;
      }
      switch (t.columns[c].type) {
        case ColumnType::kInteger:
          row[c] = s.i64(k);
          break;
        case ColumnType::kReal:
          row[c] = s.f64(k);
          break;
        case ColumnType::kText:
        case ColumnType::kDate:
          row[c] = s.text(k);
          break;
        case ColumnType::kBlob:
          row[c] = Blob{s.blob(k)};
          break;
      }
    }
    fn(row);
  }
}

std::int64_t SqliteBackend::count_rows(const TableInfo& t) { return scalar("SELECT count(*) FROM " + t.name); }

void SqliteBackend::write_rows(const TableInfo& t, const std::vector<Row>& rows) {
  std::string cols;
  for (const auto& c : t.columns) cols += (cols.empty() ? "" : ", ") + c.name;
  Stmt& s = stmt("INSERT INTO " + t.name + "(" + cols + ") VALUES(" + placeholders(t.columns.size()) + ")");
  for (const auto& row : rows) {
    if (row.size() != t.columns.size()) throw internal_error("write_rows: a row of " + t.name + " has the wrong width");
    s.reset();
    for (std::size_t c = 0; c < row.size(); ++c) {
      const int k = static_cast<int>(c) + 1;
      const Value& v = row[c];
      if (std::holds_alternative<std::monostate>(v)) {
        s.bind_null(k);
      } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
        s.bind(k, *i);
      } else if (const auto* d = std::get_if<double>(&v)) {
        s.bind(k, *d);
      } else if (const auto* str = std::get_if<std::string>(&v)) {
        s.bind(k, *str);
      } else {
        s.bind_blob(k, std::get<Blob>(v).bytes);
      }
    }
    s.run();
  }
}

// --- status -----------------------------------------------------------------

StoreStatus SqliteBackend::status() {
  StoreStatus st;
  st.schema_version = version_;
  for (const char* t : {"areas", "events", "event_areas", "sites", "site_areas", "deployments", "indicators",
                        "observations", "import_log"}) {
    st.table_counts.emplace_back(t, scalar(std::string("SELECT count(*) FROM ") + t));
  }
  Stmt& s = stmt("SELECT level, count(*) FROM areas GROUP BY level ORDER BY level");
  while (s.step()) st.areas_by_level.emplace_back(s.text(0), s.i64(1));
  Stmt& r = stmt("SELECT min(day_start), max(day_start) FROM events");
  if (r.step() && !r.null(0)) {
    st.first_event = Date::from_days(static_cast<std::int32_t>(r.i64(0)));
    st.last_event = Date::from_days(static_cast<std::int32_t>(r.i64(1)));
  }
  r.reset();
  st.last_imports = imports(10);
  return st;
}

bool SqliteBackend::insert_consultation(const ConsultationRow& r, std::int64_t import_id) {
  std::string concerns;
  for (const auto& c : r.concerns) concerns += (concerns.empty() ? "" : ";") + c;
  stmt(
      "INSERT OR IGNORE INTO consultations(id, locality, territory, held_on, channel, who, summary, concerns, "
      "personal, import_id) VALUES(?,?,?,?,?,?,?,?,?,?)")
      .bind(1, r.id)
      .bind(2, r.locality)
      .bind(3, r.territory)
      .bind(4, r.date)
      .bind(5, r.channel)
      .bind(6, r.who)
      .bind(7, r.summary)
      .bind(8, concerns)
      .bind(9, r.personal ? 1 : 0)
      .bind(10, import_id)
      .run();
  return sqlite3_changes(db_) > 0;
}

std::vector<ConsultationRow> SqliteBackend::consultations(const std::string& locality) {
  std::vector<ConsultationRow> out;
  Stmt& s = stmt(std::string("SELECT id, locality, territory, held_on, channel, who, summary, concerns, personal, "
                             "import_id FROM consultations ") +
                 (locality.empty() ? "" : "WHERE locality = ? COLLATE NOCASE ") + "ORDER BY held_on, locality, id");
  if (!locality.empty()) s.bind(1, locality);
  while (s.step()) {
    ConsultationRow r;
    r.id = s.text(0);
    r.locality = s.text(1);
    r.territory = s.text(2);
    r.date = s.text(3);
    r.channel = s.text(4);
    r.who = s.text(5);
    r.summary = s.text(6);
    const std::string c = s.text(7);
    for (std::size_t start = 0; !c.empty();) {
      const auto semi = c.find(';', start);
      r.concerns.push_back(c.substr(start, semi == std::string::npos ? std::string::npos : semi - start));
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
    r.personal = s.i64(8) != 0;
    r.import_id = s.i64(9);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace endstate::store::detail

// --- the connection, for repositories in other files (sqlite_users.cpp) --------

#include "store/detail/sqlite_handle.hpp"

namespace endstate::store::detail {

sqlite3* sqlite_handle(Backend& backend) {
  auto* b = dynamic_cast<SqliteBackend*>(&backend);
  return b ? b->handle() : nullptr;
}

}  // namespace endstate::store::detail
