#pragma once
// Reading inputs safely. What a path names (regular file, directory, pipe,
// device); a sequential byte stream over a file or over memory, so that pipes,
// FIFOs, /dev/stdin and process substitution work like files and fuzzers and
// tests read from memory; whole-file reads with a size bound; a copy of a
// stream in an unnamed temporary file for consumers that need its SHA-256
// before reading it. Every input bound is a constant here and documented in
// docs/data-formats.md ("Limits").

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace endstate {

/// Largest file read whole (framework YAML, weights YAML, crosswalk, OR-Library, localities): 64 MiB.
inline constexpr std::int64_t kMaxTextFileBytes = std::int64_t{64} << 20;
/// Largest single CSV record (a header or a row, with its quoted newlines): 16 MiB.
inline constexpr std::int64_t kMaxRecordBytes = std::int64_t{16} << 20;
/// Largest stream (pipe, FIFO, device) copied aside for an import: 16 GiB.
inline constexpr std::int64_t kMaxStreamBytes = std::int64_t{16} << 30;

/// What a path names, following symbolic links (/dev/stdin -> the pipe or file behind it).
enum class FileKind { kMissing, kRegular, kDirectory, kFifo, kCharDevice, kBlockDevice, kSocket, kOther };

/// The kind of `path`; kMissing when it does not exist (or cannot be examined).
FileKind file_kind(const std::string& path);
/// "regular file", "directory", "pipe (FIFO)", "character device", ...
std::string_view file_kind_name(FileKind kind);

/// A sequential source of bytes: an open file (regular, pipe, FIFO, character
/// device) or bytes in memory. Move-only; reads never block on a regular file
/// or memory. Positions in errors use name().
class InputStream {
 public:
  /// Opens `path` for reading. Error(kNotFound) when it does not exist or cannot
  /// be opened; Error(kBadInput) for a directory or a socket ("expected a file").
  static InputStream open(const std::string& path);
  /// Bytes in memory, not copied: `data` must outlive the stream.
  static InputStream from_memory(std::string_view data, std::string name);
  /// Takes ownership of an open descriptor (read from its current offset).
  static InputStream from_fd(int fd, std::string name, std::int64_t size = -1);

  InputStream(InputStream&&) noexcept;
  InputStream& operator=(InputStream&&) noexcept;
  ~InputStream();

  /// Reads up to `n` bytes; 0 at the end. Error(kBadInput) on a read error.
  std::size_t read(char* buf, std::size_t n);
  /// The next bytes without consuming them: up to `n`, fewer only at the end.
  std::string_view peek(std::size_t n);
  /// Name used in messages (the path, or the name given for memory).
  [[nodiscard]] const std::string& name() const;
  /// Total size in bytes when known (regular file, memory), else -1.
  [[nodiscard]] std::int64_t size() const;
  /// Bytes handed out by read() so far.
  [[nodiscard]] std::int64_t consumed() const;

 private:
  struct Impl;
  explicit InputStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Reads the whole of `path` as text: works for regular files, pipes, FIFOs
/// and /dev/stdin. Error(kNotFound) when missing or unreadable; Error(kBadInput)
/// for a directory, more than `max_bytes` ("larger than the N MiB limit"), or a
/// NUL byte (binary data, e.g. /dev/zero), naming the line.
std::string read_text_file(const std::string& path, std::int64_t max_bytes = kMaxTextFileBytes);

/// The path the command line's '-' stands for: InputStream::open reads
/// descriptor 0 for it, whatever kind it is (a socket too).
inline constexpr const char* kStdinPath = "/dev/stdin";
/// The same over an open stream.
std::string read_text(InputStream& in, std::int64_t max_bytes = kMaxTextFileBytes);

/// Error(kBadInput) naming `name`, line and byte when `text` holds a NUL byte
/// or is not well-formed UTF-8 (an optional leading byte-order mark is fine).
void check_text(std::string_view text, const std::string& name);

/// 1-based line of byte `offset` in `text` (LF, CRLF or CR line ends).
std::int64_t line_of_offset(std::string_view text, std::size_t offset);

/// A stream copied into an unnamed temporary file (gone when the process
/// ends, even on kill -9), with its size and SHA-256: for consumers that need
/// the fingerprint before they read (the import log) or read twice.
class SpooledInput {
 public:
  /// Copies `in` to the temporary directory ($TMPDIR or /tmp). Error(kBadInput)
  /// past `max_bytes`, and for a NUL byte when `text` (binary data where text is
  /// expected, e.g. /dev/zero); Error(kInternal) when the copy cannot be written.
  static SpooledInput copy(InputStream& in, std::int64_t max_bytes, bool text);
  SpooledInput(SpooledInput&&) noexcept;
  SpooledInput& operator=(SpooledInput&&) noexcept;
  ~SpooledInput();

  [[nodiscard]] std::int64_t size() const { return size_; }
  [[nodiscard]] const std::string& sha256() const { return sha256_; }
  /// A new stream over the copy from its first byte, named as the original.
  [[nodiscard]] InputStream stream() const;

 private:
  SpooledInput() = default;
  int fd_ = -1;
  std::string name_;
  std::int64_t size_ = 0;
  std::string sha256_;
};

}  // namespace endstate
