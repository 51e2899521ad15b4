#pragma once
// A thin RAII layer over libpq for the PostgreSQL backend: a connection,
// results read as text, parameters sent as text (bytea as binary), COPY in
// and out, and the mapping of SQLSTATE classes onto endstate's error
// categories. Nothing outside src/store includes this.

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace endstate::store::detail::pg {

/// Parameters of one statement ($1, $2 ...), sent as text except bytea.
class Params {
 public:
  Params& add(std::int64_t v);
  Params& add(int v) { return add(static_cast<std::int64_t>(v)); }
  Params& add(double v);
  Params& add(std::string v);
  Params& add(const char* v) { return add(std::string(v)); }
  Params& add_null();
  template <typename T>
  Params& add_opt(const std::optional<T>& v) {
    return v ? add(*v) : add_null();
  }
  Params& add_bytea(const std::vector<std::uint8_t>& v);
  /// A text[] literal of `items`.
  Params& add_text_array(const std::vector<std::string>& items);

  [[nodiscard]] int size() const { return static_cast<int>(values_.size()); }
  /// Call values() before lengths().
  [[nodiscard]] const char* const* values() const;
  [[nodiscard]] const int* lengths() const { return lengths_.data(); }
  [[nodiscard]] const int* formats() const { return formats_.data(); }

 private:
  void push(std::string v, bool null, int format);
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  std::vector<int> formats_;
  mutable std::vector<const char*> ptrs_;
  mutable std::vector<int> lengths_;
};

/// A query result (owned); cells as text.
class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result& operator=(Result&& o) noexcept {
    std::swap(r_, o.r_);
    return *this;
  }

  [[nodiscard]] int rows() const { return r_ ? PQntuples(r_) : 0; }
  /// The command tag ("INSERT 0 1", "COMMIT", "ROLLBACK" ...).
  [[nodiscard]] std::string status() const { return r_ ? PQcmdStatus(r_) : ""; }
  /// Rows a command changed (INSERT, UPDATE, DELETE ...).
  [[nodiscard]] std::int64_t affected() const;
  [[nodiscard]] bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  [[nodiscard]] std::string_view view(int row, int col) const {
    return {PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col))};
  }
  [[nodiscard]] std::string text(int row, int col) const { return std::string(view(row, col)); }
  [[nodiscard]] std::int64_t i64(int row, int col) const;
  [[nodiscard]] double f64(int row, int col) const;
  [[nodiscard]] std::optional<std::int64_t> opt_i64(int row, int col) const {
    return null(row, col) ? std::nullopt : std::optional<std::int64_t>(i64(row, col));
  }
  [[nodiscard]] std::optional<double> opt_f64(int row, int col) const {
    return null(row, col) ? std::nullopt : std::optional<double>(f64(row, col));
  }
  /// A bytea cell (hex output format).
  [[nodiscard]] std::vector<std::uint8_t> bytea(int row, int col) const;

 private:
  PGresult* r_ = nullptr;
};

/// The SQLSTATE codes the backend reacts to.
inline constexpr std::string_view kDeadlock = "40P01";
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kLockNotAvailable = "55P03";
inline constexpr std::string_view kUndefinedFile = "58P01";
inline constexpr std::string_view kInsufficientPrivilege = "42501";

/// One connection. Every failure throws endstate::Error with the category of
/// its SQLSTATE (environment for connection, lock, resource and permission
/// failures; bad input for constraint violations; internal otherwise) and
/// leaves the SQLSTATE in last_sqlstate().
class Connection {
 public:
  /// Connects with a URI or keyword/value string (empty: the PG* variables).
  /// `shown` names the server in messages.
  Connection(const std::string& conninfo, const std::string& shown);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs one or more statements without parameters.
  Result exec(const std::string& sql);
  /// Runs one statement with parameters.
  Result exec(const std::string& sql, const Params& p);
  /// Runs a statement prepared once per connection under `name`.
  Result prepared(const std::string& name, const std::string& sql, const Params& p);
  /// COPY ... FROM STDIN with `data` in COPY text format.
  void copy_in(const std::string& copy_sql, std::string_view data);
  /// COPY ... TO STDOUT in text format: `line` gets each row without its newline.
  void copy_out(const std::string& copy_sql, const std::function<void(std::string_view)>& line);
  /// A string literal for `s`, quoted and escaped for this connection.
  std::string literal(std::string_view s);

  [[nodiscard]] const std::string& last_sqlstate() const { return sqlstate_; }
  [[nodiscard]] const std::string& shown() const { return shown_; }
  [[nodiscard]] PGconn* raw() const { return c_; }

  /// Throws the Error for a failed result (or a connection failure when r is null).
  [[noreturn]] void fail(PGresult* r, const std::string& what);

 private:
  Result check(PGresult* r, const std::string& what);
  PGconn* c_ = nullptr;
  std::string shown_;
  std::string sqlstate_;
  std::vector<std::string> prepared_;
};

/// Rows in COPY text format (tab-separated, \\N for null, backslash escapes).
class CopyRows {
 public:
  CopyRows& field(std::string_view s);
  CopyRows& field(std::int64_t v);
  CopyRows& field(double v);
  CopyRows& null();
  template <typename T>
  CopyRows& field_opt(const std::optional<T>& v) {
    return v ? field(*v) : null();
  }
  /// Ends the current row.
  void end_row();

  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] std::size_t size() const { return text_.size(); }
  [[nodiscard]] std::int64_t rows() const { return rows_; }
  [[nodiscard]] bool empty() const { return text_.empty(); }
  void clear() {
    text_.clear();
    rows_ = 0;
    first_ = true;
  }

 private:
  void separate() {
    if (!first_) text_ += '\t';
    first_ = false;
  }
  std::string text_;
  std::int64_t rows_ = 0;
  bool first_ = true;
};

/// The shortest text that reads back as exactly `v`.
std::string number_text(double v);
/// Splits one COPY text-format line into fields (unescaped; nullopt for \N).
std::vector<std::optional<std::string>> copy_fields(std::string_view line);

}  // namespace endstate::store::detail::pg
