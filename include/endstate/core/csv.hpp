#pragma once
// Streaming RFC 4180 CSV reader: quoted fields (with "" escapes and embedded
// newlines), CRLF or LF, an optional UTF-8 byte-order mark. Memory is bounded
// by the longest record, not the file size.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace endstate {

class CsvReader {
 public:
  /// Opens `path`; throws Error(kNotFound) when it cannot be opened.
  explicit CsvReader(std::string path, char delimiter = ',');
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// Reads the next record. Returns false at end of file. Throws
  /// Error(kBadInput) for an unterminated quoted field.
  bool next();

  [[nodiscard]] std::size_t size() const { return fields_.size(); }
  [[nodiscard]] std::string_view operator[](std::size_t i) const { return fields_[i]; }
  [[nodiscard]] const std::vector<std::string_view>& fields() const { return fields_; }
  /// The whole current record as raw bytes (before unquoting).
  [[nodiscard]] std::string_view raw() const { return raw_; }
  /// 1-based line number where the current record starts.
  [[nodiscard]] std::int64_t line() const { return record_line_; }
  [[nodiscard]] std::int64_t bytes_consumed() const { return consumed_; }
  [[nodiscard]] std::int64_t file_size() const { return file_size_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  bool fill();  // reads more bytes; false at EOF
  std::string path_;
  char delim_;
  std::FILE* file_ = nullptr;
  std::vector<char> buf_;
  std::size_t begin_ = 0;  // start of unparsed data
  std::size_t end_ = 0;    // end of valid data
  bool eof_ = false;
  bool first_ = true;
  std::int64_t line_ = 1;
  std::int64_t record_line_ = 0;
  std::int64_t consumed_ = 0;
  std::int64_t file_size_ = 0;
  std::vector<std::string_view> fields_;
  std::string_view raw_;
};

/// Index of a header column by exact name (case-insensitive), or -1.
int find_column(const std::vector<std::string>& header, std::string_view name);

}  // namespace endstate
