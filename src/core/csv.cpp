#include "endstate/core/csv.hpp"

#include <algorithm>
#include <cstring>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"

namespace endstate {

namespace {
constexpr std::size_t kChunk = 1 << 20;        // bytes asked of the stream per read
constexpr std::size_t kSmallBuffer = 1 << 12;  // least buffer for inputs of known small size
}  // namespace

// NOLINTNEXTLINE(performance-unnecessary-value-param): by value in the public header, which many modules include
CsvReader::CsvReader(std::string path, char delimiter) : CsvReader(InputStream::open(path), delimiter) {}

CsvReader::CsvReader(InputStream in, char delimiter)
    : path_(in.name()), delim_(delimiter), in_(std::make_unique<InputStream>(std::move(in))) {
  file_size_ = std::max<std::int64_t>(in_->size(), 0);
  // A stream of known size gets a buffer that holds all of it (small inputs,
  // fuzzing: no megabyte allocation per input); others start at two chunks.
  const std::size_t want =
      in_->size() >= 0 ? std::min<std::size_t>(static_cast<std::size_t>(in_->size()) + 1, 2 * kChunk) : 2 * kChunk;
  cap_ = std::max(want, kSmallBuffer);
  buf_.reset(new char[cap_]);
}

CsvReader::~CsvReader() = default;

void CsvReader::grow(std::size_t at_least) {
  std::size_t cap = cap_;
  while (cap < at_least) cap *= 2;
  std::unique_ptr<char[]> b(new char[cap]);
  std::memcpy(b.get(), buf_.get() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  buf_ = std::move(b);
  cap_ = cap;
}

bool CsvReader::fill() {
  if (eof_) return false;
  // Move unparsed bytes to the front, grow when one record fills the buffer.
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (cap_ - end_ < std::min(kChunk, cap_ / 2)) grow(cap_ * 2);
  const std::size_t n = in_->read(buf_.get() + end_, std::min(kChunk, cap_ - end_));
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
      if (end_ - begin_ >= 3 && std::memcmp(buf_.get() + begin_, "\xEF\xBB\xBF", 3) == 0) {
        begin_ += 3;
        consumed_ += 3;
      }
      first_ = false;
      continue;
    }
    // Phase 1: find the end of the record without modifying the bytes.
    std::size_t rec_end = 0;  // one past the last byte of the record (excluding the line end)
    std::size_t next_begin = 0;
    std::int64_t newlines = 0;         // line ends inside the record and its terminator
    std::int64_t quoted_newlines = 0;  // line ends inside quoted fields
    std::int64_t span_quote_line = 0;  // where the first quote that spans lines opened
    while (true) {
      const char* const base = buf_.get();
      bool in_quotes = false;
      bool field_start = true;
      bool found = false;
      bool need_more = false;
      std::int64_t quote_line = 0;
      newlines = 0;
      quoted_newlines = 0;
      span_quote_line = 0;
      auto quoted_line_end = [&] {
        ++newlines;
        ++quoted_newlines;
        if (span_quote_line == 0) span_quote_line = quote_line;
      };
      auto record_end = [&](std::size_t at, std::size_t next) {
        rec_end = at;
        next_begin = next;
        ++newlines;
        found = true;
      };
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
          } else if (c == '\n' || (c == '\r' && line_end_ == LineEnd::kCr)) {
            quoted_line_end();
          }
          continue;
        }
        if (c == '"' && field_start) {
          in_quotes = true;
          field_start = false;
          quote_line = line_ + newlines;
          continue;
        }
        if (c == delim_) {
          field_start = true;
          continue;
        }
        if (c == '\n') {
          if (line_end_ == LineEnd::kUnknown) line_end_ = LineEnd::kLf;
          record_end(i, i + 1);
          break;
        }
        if (c == '\r' && line_end_ != LineEnd::kLf) {
          // The first line end decides: CR LF is a CRLF file, a lone CR an old-Mac one.
          if (line_end_ == LineEnd::kUnknown) {
            if (i + 1 >= end_ && !eof_) {
              need_more = true;
              break;
            }
            if (i + 1 < end_ && base[i + 1] == '\n') {
              line_end_ = LineEnd::kLf;
              record_end(i, i + 2);
              break;
            }
            line_end_ = LineEnd::kCr;
          }
          record_end(i, i + 1);
          break;
        }
        field_start = false;
      }
      if (found) break;
      if (!need_more && eof_) {
        if (in_quotes) {
          throw Error(ErrorCategory::kBadInput,
                      "unterminated quoted field: the '\"' opened on this line is never closed",
                      {path_, quote_line, ""});
        }
        rec_end = end_;
        next_begin = end_;
        break;
      }
      if (static_cast<std::int64_t>(end_ - begin_) > max_record_) {
        throw Error(ErrorCategory::kBadInput,
                    "a record longer than " + std::to_string(max_record_ >> 20) +
                        " MiB starts on this line: not a CSV text file" +
                        (in_quotes ? ", or the '\"' opened on line " + std::to_string(quote_line) +
                                         " is not closed where it should be"
                                   : std::string()),
                    {path_, line_, ""});
      }
      fill();  // grows or reads; sets eof_ when nothing is left
    }
    if (rec_end > begin_ && buf_[rec_end - 1] == '\r') --rec_end;

    // Phase 2: split and unescape in place.
    char* const base = buf_.get();
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
    record_end_line_ = line_ + quoted_newlines;
    line_ += newlines;
    consumed_ += static_cast<std::int64_t>(next_begin - begin_);
    begin_ = next_begin;
    if (fields_.size() == 1 && fields_[0].empty()) {  // blank line
      fields_.clear();
      continue;
    }
    if (expected_fields_ == 0) {
      expected_fields_ = fields_.size();
    } else if (check_multiline_ && quoted_newlines > 0) {
      check_multiline_record(span_quote_line);
    }
    return true;
  }
}

void CsvReader::check_multiline_record(std::int64_t quote_line) const {
  const std::string where = "the '\"' opened on line " + std::to_string(quote_line) + " is closed only on line " +
                            std::to_string(record_end_line_);
  if (fields_.size() != expected_fields_) {
    throw Error(ErrorCategory::kBadInput,
                where + ", and the record it makes (lines " + std::to_string(record_line_) + "-" +
                    std::to_string(record_end_line_) + ") has " + std::to_string(fields_.size()) +
                    " fields where the header has " + std::to_string(expected_fields_) +
                    ": a stray quote that swallows the lines after it? Close or remove it",
                {path_, quote_line, ""});
  }
  // The count can come out right by chance; then the swallowed lines still
  // look like whole records (a delimiter per column), which text in a quoted
  // field does not.
  if (expected_fields_ < 3) return;
  std::int64_t line = record_line_;
  for (const std::string_view f : fields_) {
    std::size_t start = 0;
    bool first_segment = true;
    while (true) {
      const std::size_t nl = f.find_first_of(line_end_ == LineEnd::kCr ? "\r" : "\n", start);
      if (nl == std::string_view::npos) break;
      if (!first_segment) {
        const std::string_view inner = f.substr(start, nl - start);
        if (static_cast<std::size_t>(std::count(inner.begin(), inner.end(), delim_)) + 1 >= expected_fields_) {
          throw Error(ErrorCategory::kBadInput,
                      where + "; the quoted text holds whole lines that look like records (line " +
                          std::to_string(line) + " has " + std::to_string(expected_fields_) +
                          " or more fields): a stray quote that swallows the lines after it? Close or remove it",
                      {path_, quote_line, ""});
        }
      }
      first_segment = false;
      ++line;
      start = nl + 1;
    }
  }
}

int find_column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (iequals(trim(header[i]), name)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace endstate
