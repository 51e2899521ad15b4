#include "endstate/core/io.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/utf8.hpp"

namespace endstate {
namespace {

std::string mib(std::int64_t bytes) {
  if (bytes >= (std::int64_t{1} << 30) && bytes % (std::int64_t{1} << 30) == 0) {
    return std::to_string(bytes >> 30) + " GiB";
  }
  if (bytes >= (std::int64_t{1} << 20)) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

[[noreturn]] void throw_too_large(const std::string& name, std::int64_t max_bytes) {
  throw bad_input("larger than the " + mib(max_bytes) +
                      " limit for this input (docs/data-formats.md, \"Limits\"); is it the right file?",
                  {name, 0, ""});
}

[[noreturn]] void throw_nul(const std::string& name, std::int64_t line, std::int64_t offset) {
  throw bad_input("binary data: a NUL byte at byte " + std::to_string(offset) +
                      "; expected a text file (UTF-8), not a binary file or a device such as /dev/zero",
                  {name, line, ""});
}

}  // namespace

FileKind file_kind(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return FileKind::kMissing;
  if (S_ISREG(st.st_mode)) return FileKind::kRegular;
  if (S_ISDIR(st.st_mode)) return FileKind::kDirectory;
  if (S_ISFIFO(st.st_mode)) return FileKind::kFifo;
  if (S_ISCHR(st.st_mode)) return FileKind::kCharDevice;
  if (S_ISBLK(st.st_mode)) return FileKind::kBlockDevice;
  if (S_ISSOCK(st.st_mode)) return FileKind::kSocket;
  return FileKind::kOther;
}

std::string_view file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::kMissing:
      return "missing file";
    case FileKind::kRegular:
      return "regular file";
    case FileKind::kDirectory:
      return "directory";
    case FileKind::kFifo:
      return "pipe (FIFO)";
    case FileKind::kCharDevice:
      return "character device";
    case FileKind::kBlockDevice:
      return "block device";
    case FileKind::kSocket:
      return "socket";
    case FileKind::kOther:
      return "special file";
  }
  return "special file";
}

// --- InputStream ------------------------------------------------------------------

struct InputStream::Impl {
  std::string name;
  int fd = -1;
  const char* mem = nullptr;
  std::size_t mem_size = 0;
  std::size_t mem_pos = 0;
  std::int64_t size = -1;
  std::string look;  // peeked bytes not yet read
  std::size_t look_pos = 0;
  std::int64_t consumed = 0;

  ~Impl() {
    if (fd >= 0) ::close(fd);
  }

  std::size_t raw_read(char* buf, std::size_t n) {
    if (fd < 0) {
      const std::size_t k = std::min(n, mem_size - mem_pos);
      if (k > 0) std::memcpy(buf, mem + mem_pos, k);
      mem_pos += k;
      return k;
    }
    while (true) {
      const ssize_t r = ::read(fd, buf, n);
      if (r >= 0) return static_cast<std::size_t>(r);
      if (errno == EINTR) continue;
      throw bad_input(std::string("read error: ") + std::strerror(errno), {name, 0, ""});
    }
  }
};

InputStream::InputStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
InputStream::InputStream(InputStream&&) noexcept = default;
InputStream& InputStream::operator=(InputStream&&) noexcept = default;
InputStream::~InputStream() = default;

InputStream InputStream::open(const std::string& path) {
  struct stat st {};
  if (path == kStdinPath) {
    // Standard input ('-') is read from descriptor 0 itself, whatever it is: a
    // file, a pipe, or the socket a process manager (Node, systemd) gives its
    // child, which /dev/stdin cannot be opened on.
    if (::fstat(STDIN_FILENO, &st) != 0) throw bad_input("standard input is closed", {path, 0, ""});
    if (S_ISDIR(st.st_mode)) throw bad_input("is a directory, expected a file", {path, 0, ""});
    const int fd = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) throw bad_input(std::string("cannot read standard input: ") + std::strerror(errno), {path, 0, ""});
    return from_fd(fd, path, S_ISREG(st.st_mode) ? static_cast<std::int64_t>(st.st_size) : -1);
  }
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) throw Error(ErrorCategory::kNotFound, "no such file", {path, 0, ""});
    throw Error(ErrorCategory::kNotFound, std::string("cannot open: ") + std::strerror(err), {path, 0, ""});
  }
  if (S_ISDIR(st.st_mode)) throw bad_input("is a directory, expected a file", {path, 0, ""});
  if (S_ISSOCK(st.st_mode)) throw bad_input("is a socket, expected a file", {path, 0, ""});
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(ErrorCategory::kNotFound, std::string("cannot open: ") + std::strerror(errno), {path, 0, ""});
  }
  return from_fd(fd, path, S_ISREG(st.st_mode) ? static_cast<std::int64_t>(st.st_size) : -1);
}

InputStream InputStream::from_memory(std::string_view data, std::string name) {
  auto impl = std::make_unique<Impl>();
  impl->name = std::move(name);
  impl->mem = data.data();
  impl->mem_size = data.size();
  impl->size = static_cast<std::int64_t>(data.size());
  return InputStream(std::move(impl));
}

InputStream InputStream::from_fd(int fd, std::string name, std::int64_t size) {
  auto impl = std::make_unique<Impl>();
  impl->name = std::move(name);
  impl->fd = fd;
  impl->size = size;
  return InputStream(std::move(impl));
}

std::size_t InputStream::read(char* buf, std::size_t n) {
  Impl& s = *impl_;
  std::size_t got = 0;
  if (s.look_pos < s.look.size()) {
    got = std::min(n, s.look.size() - s.look_pos);
    std::memcpy(buf, s.look.data() + s.look_pos, got);
    s.look_pos += got;
    if (s.look_pos == s.look.size()) {
      s.look.clear();
      s.look_pos = 0;
    }
  }
  if (got < n) got += s.raw_read(buf + got, n - got);
  s.consumed += static_cast<std::int64_t>(got);
  return got;
}

std::string_view InputStream::peek(std::size_t n) {
  Impl& s = *impl_;
  if (s.look_pos > 0) {
    s.look.erase(0, s.look_pos);
    s.look_pos = 0;
  }
  while (s.look.size() < n) {
    const std::size_t have = s.look.size();
    s.look.resize(n);
    const std::size_t got = s.raw_read(s.look.data() + have, n - have);
    s.look.resize(have + got);
    if (got == 0) break;
  }
  return std::string_view(s.look).substr(0, std::min(n, s.look.size()));
}

const std::string& InputStream::name() const { return impl_->name; }
std::int64_t InputStream::size() const { return impl_->size; }
std::int64_t InputStream::consumed() const { return impl_->consumed; }

// --- whole text files ------------------------------------------------------------

std::string read_text(InputStream& in, std::int64_t max_bytes) {
  if (in.size() > max_bytes) throw_too_large(in.name(), max_bytes);
  std::string text;
  if (in.size() > 0) text.reserve(static_cast<std::size_t>(in.size()));
  constexpr std::size_t kChunk = 1 << 16;
  while (true) {
    const std::size_t have = text.size();
    text.resize(have + kChunk);
    const std::size_t got = in.read(text.data() + have, kChunk);
    text.resize(have + got);
    if (got == 0) break;
    if (const void* nul = std::memchr(text.data() + have, '\0', got)) {
      const auto at = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
      throw_nul(in.name(), line_of_offset(text, at), static_cast<std::int64_t>(at));
    }
    if (static_cast<std::int64_t>(text.size()) > max_bytes) throw_too_large(in.name(), max_bytes);
  }
  return text;
}

std::string read_text_file(const std::string& path, std::int64_t max_bytes) {
  InputStream in = InputStream::open(path);
  return read_text(in, max_bytes);
}

std::int64_t line_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::int64_t line = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
  }
  return line;
}

void check_text(std::string_view text, const std::string& name) {
  std::size_t start = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  if (const auto nul = text.find('\0', start); nul != std::string_view::npos) {
    throw_nul(name, line_of_offset(text, nul), static_cast<std::int64_t>(nul));
  }
  const std::size_t bad = first_invalid_utf8(text.substr(start));
  if (bad != std::string_view::npos) {
    const std::size_t at = start + bad;
    throw bad_input("not valid UTF-8 at byte " + std::to_string(at) + "; save the file as UTF-8",
                    {name, line_of_offset(text, at), ""});
  }
}

// --- SpooledInput ------------------------------------------------------------------

SpooledInput::SpooledInput(SpooledInput&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), name_(std::move(o.name_)), size_(o.size_), sha256_(std::move(o.sha256_)) {}

SpooledInput& SpooledInput::operator=(SpooledInput&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    name_ = std::move(o.name_);
    size_ = o.size_;
    sha256_ = std::move(o.sha256_);
  }
  return *this;
}

SpooledInput::~SpooledInput() {
  if (fd_ >= 0) ::close(fd_);
}

SpooledInput SpooledInput::copy(InputStream& in, std::int64_t max_bytes, bool text) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  SpooledInput s;
  s.name_ = in.name();
  // An unnamed file: nothing is left behind, whatever happens to the process.
  s.fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (s.fd_ < 0) {
    std::string tmpl = (dir / "endstate-stream-XXXXXX").string();
    s.fd_ = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (s.fd_ >= 0) ::unlink(tmpl.c_str());
  }
  if (s.fd_ < 0) {
    throw environment_error("cannot create a temporary file in " + dir.string() + " to hold " + in.name() + ": " +
                            std::strerror(errno) + " (set TMPDIR to a writable folder)");
  }
  Sha256 hash;
  std::vector<char> buf(std::size_t{1} << 20);
  std::int64_t lines_before = 0;  // line ends before the current chunk, for a NUL's line
  while (true) {
    const std::size_t got = in.read(buf.data(), buf.size());
    if (got == 0) break;
    const std::string_view chunk(buf.data(), got);
    if (text) {
      if (const auto nul = chunk.find('\0'); nul != std::string_view::npos) {
        throw_nul(in.name(), lines_before + line_of_offset(chunk, nul), s.size_ + static_cast<std::int64_t>(nul));
      }
      lines_before += std::count(chunk.begin(), chunk.end(), '\n');
    }
    if (s.size_ + static_cast<std::int64_t>(got) > max_bytes) throw_too_large(in.name(), max_bytes);
    hash.update(chunk);
    std::size_t off = 0;
    while (off < got) {
      const ssize_t w = ::write(s.fd_, buf.data() + off, got - off);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        throw environment_error("cannot copy " + in.name() + " to a temporary file in " + dir.string() + ": " +
                                std::strerror(errno) + " (set TMPDIR to a folder with room)");
      }
      off += static_cast<std::size_t>(w);
    }
    s.size_ += static_cast<std::int64_t>(got);
  }
  s.sha256_ = hash.hex_digest();
  return s;
}

InputStream SpooledInput::stream() const {
  const int fd = ::dup(fd_);
  if (fd < 0 || ::lseek(fd, 0, SEEK_SET) != 0) {
    if (fd >= 0) ::close(fd);
    throw environment_error("cannot re-read the temporary copy of " + name_ + ": " + std::strerror(errno));
  }
  return InputStream::from_fd(fd, name_, size_);
}

}  // namespace endstate
