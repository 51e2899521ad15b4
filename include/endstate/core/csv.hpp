#pragma once
// Streaming RFC 4180 CSV reader: quoted fields (with "" escapes and embedded
// newlines), CRLF or LF line ends (or old-Mac CR-only ones, detected from the
// first line end), an optional UTF-8 byte-order mark. Memory is bounded by the
// longest record (at most kMaxRecordBytes), not the file size. Reads files,
// pipes, FIFOs and /dev/stdin (core/io.hpp), or bytes in memory.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "endstate/core/io.hpp"

namespace endstate {

class CsvReader {
 public:
  /// Opens `path`; throws Error(kNotFound) when it cannot be opened and
  /// Error(kBadInput) for a directory.
  explicit CsvReader(std::string path, char delimiter = ',');
  /// Reads from an open stream (a file, a pipe or memory).
  explicit CsvReader(InputStream in, char delimiter = ',');
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// Reads the next record. Returns false at end of file. Throws
  /// Error(kBadInput) for a quoted field that is never closed (naming the line
  /// where the quote opened), for a record longer than the bound (default
  /// kMaxRecordBytes: not a CSV file, e.g. /dev/zero), and for a record whose
  /// quoted field spans lines while its field count differs from the first
  /// record's (a stray opening quote that swallowed the lines after it; the
  /// error names the line where that quote opened). Blank lines are skipped.
  bool next();

  [[nodiscard]] std::size_t size() const { return fields_.size(); }
  [[nodiscard]] std::string_view operator[](std::size_t i) const { return fields_[i]; }
  [[nodiscard]] const std::vector<std::string_view>& fields() const { return fields_; }
  /// The whole current record as raw bytes (quoted fields may have been unescaped in place).
  [[nodiscard]] std::string_view raw() const { return raw_; }
  /// 1-based line number where the current record starts.
  [[nodiscard]] std::int64_t line() const { return record_line_; }
  /// 1-based line number where the current record ends (> line() when a quoted field spans lines).
  [[nodiscard]] std::int64_t end_line() const { return record_end_line_; }
  [[nodiscard]] std::int64_t bytes_consumed() const { return consumed_; }
  /// Total bytes when known (regular file, memory), else 0.
  [[nodiscard]] std::int64_t file_size() const { return file_size_; }
  [[nodiscard]] const std::string& path() const { return path_; }

  /// Largest record accepted (bytes, including quoted newlines).
  void set_max_record_bytes(std::int64_t bytes) { max_record_ = bytes; }
  /// Turns off the check of multi-line records against the first record's field count.
  void allow_ragged_multiline_records() { check_multiline_ = false; }

 private:
  enum class LineEnd { kUnknown, kLf, kCr };
  bool fill();  // reads more bytes; false at EOF
  void grow(std::size_t at_least);
  void check_multiline_record(std::int64_t quote_line) const;
  std::string path_;
  char delim_;
  std::unique_ptr<InputStream> in_;
  std::unique_ptr<char[]> buf_;
  std::size_t cap_ = 0;
  std::size_t begin_ = 0;  // start of unparsed data
  std::size_t end_ = 0;    // end of valid data
  bool eof_ = false;
  bool first_ = true;
  LineEnd line_end_ = LineEnd::kUnknown;
  bool check_multiline_ = true;
  std::size_t expected_fields_ = 0;  // the first record's field count
  std::int64_t max_record_ = kMaxRecordBytes;
  std::int64_t line_ = 1;
  std::int64_t record_line_ = 0;
  std::int64_t record_end_line_ = 0;
  std::int64_t consumed_ = 0;
  std::int64_t file_size_ = 0;
  std::vector<std::string_view> fields_;
  std::string_view raw_;
};

/// Index of a header column by exact name (case-insensitive), or -1.
int find_column(const std::vector<std::string>& header, std::string_view name);

}  // namespace endstate
