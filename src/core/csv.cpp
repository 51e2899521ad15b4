#include "endstate/core/csv.hpp"

#include <cstring>
#include <sys/stat.h>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"

namespace endstate {

namespace {
constexpr std::size_t kChunk = 1 << 20;
}

CsvReader::CsvReader(std::string path, char delimiter) : path_(std::move(path)), delim_(delimiter) {
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    throw Error(ErrorCategory::kBadInput, "is a directory, expected a CSV file", {path_, 0, ""});
  }
  file_ = std::fopen(path_.c_str(), "rb");
  if (!file_) {
    throw Error(ErrorCategory::kNotFound, std::string("cannot open: ") + std::strerror(errno), {path_, 0, ""});
  }
  file_size_ = static_cast<std::int64_t>(st.st_size);
  buf_.resize(kChunk * 2);
}

CsvReader::~CsvReader() {
  if (file_) std::fclose(file_);
}

bool CsvReader::fill() {
  if (eof_) return false;
  // Move unparsed bytes to the front, grow when one record fills the buffer.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() - end_ < kChunk) buf_.resize(buf_.size() * 2);
  const std::size_t n = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

bool CsvReader::next() {
  fields_.clear();
  while (true) {
    if (begin_ == end_ && !fill()) return false;
    if (first_) {
      while (end_ - begin_ < 3 && fill()) {
      }
      if (end_ - begin_ >= 3 && std::memcmp(buf_.data() + begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
      first_ = false;
      continue;
    }
    // Phase 1: find the end of the record without modifying the bytes.
    std::size_t rec_end = 0;   // one past the last byte of the record (excluding newline)
    std::size_t next_begin = 0;
    std::int64_t newlines = 0;
    while (true) {
      const char* const base = buf_.data();
      bool in_quotes = false;
      bool field_start = true;
      bool found = false;
      bool need_more = false;
      newlines = 0;
      std::size_t i = begin_;
      for (; i < end_; ++i) {
        const char c = base[i];
        if (in_quotes) {
          if (c == '"') {
            if (i + 1 >= end_ && !eof_) {
              need_more = true;
              break;
            }
            if (i + 1 < end_ && base[i + 1] == '"') {
              ++i;
            } else {
              in_quotes = false;
            }
          } else if (c == '\n') {
            ++newlines;
          }
          continue;
        }
        if (c == '"' && field_start) {
          in_quotes = true;
          field_start = false;
          continue;
        }
        if (c == delim_) {
          field_start = true;
          continue;
        }
        if (c == '\n') {
          rec_end = i;
          next_begin = i + 1;
          ++newlines;
          found = true;
          break;
        }
        field_start = false;
      }
      if (found) break;
      if (!need_more && eof_) {
        if (in_quotes) {
          throw Error(ErrorCategory::kBadInput, "unterminated quoted field (a '\"' is never closed)",
                      {path_, line_, ""});
        }
        rec_end = end_;
        next_begin = end_;
        break;
      }
      fill();  // grows or reads; sets eof_ when nothing is left
    }
    if (rec_end > begin_ && buf_[rec_end - 1] == '\r') --rec_end;

    // Phase 2: split and unescape in place.
    char* const base = buf_.data();
    raw_ = std::string_view(base + begin_, rec_end - begin_);
    std::size_t i = begin_;
    while (true) {
      if (i < rec_end && base[i] == '"') {
        std::size_t w = i;
        std::size_t r = i + 1;
        while (r < rec_end) {
          if (base[r] == '"') {
            if (r + 1 < rec_end && base[r + 1] == '"') {
              base[w++] = '"';
              r += 2;
              continue;
            }
            ++r;
            break;
          }
          base[w++] = base[r++];
        }
        // Anything between the closing quote and the delimiter is kept verbatim.
        while (r < rec_end && base[r] != delim_) base[w++] = base[r++];
        fields_.emplace_back(base + i, w - i);
        i = r;
      } else {
        std::size_t j = i;
        while (j < rec_end && base[j] != delim_) ++j;
        fields_.emplace_back(base + i, j - i);
        i = j;
      }
      if (i < rec_end && base[i] == delim_) {
        ++i;
        continue;
      }
      break;
    }
    record_line_ = line_;
    line_ += newlines;
    consumed_ += static_cast<std::int64_t>(next_begin - begin_);
    begin_ = next_begin;
    if (fields_.size() == 1 && fields_[0].empty()) {  // blank line
      fields_.clear();
      continue;
    }
    return true;
  }
}

int find_column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (iequals(trim(header[i]), name)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace endstate
