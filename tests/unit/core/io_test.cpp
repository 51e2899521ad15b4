// Inputs that are not plain regular files (issue 18, item 9): pipes, FIFOs,
// /dev/stdin-like descriptors, /dev/null, /dev/zero and directories, and the
// bounds on what is read.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/io.hpp"

namespace endstate {
namespace {

std::filesystem::path temp_dir() {
  const auto dir = std::filesystem::temp_directory_path() / ("endstate_io_tests_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string write_temp(const std::string& name, const std::string& content) {
  const auto p = temp_dir() / name;
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

template <typename Fn>
Error error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an endstate::Error";
  return Error(ErrorCategory::kInternal, "no error thrown");
}

/// A pipe whose read end is named like a process substitution (/proc/self/fd/N,
/// what bash's <(...) and /dev/stdin resolve to); a thread writes `content`.
class PipeFile {
 public:
  explicit PipeFile(std::string content) {
    std::signal(SIGPIPE, SIG_IGN);  // the reader may stop before the writer is done
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    read_fd_ = fds[0];
    writer_ = std::thread([fd = fds[1], c = std::move(content)] {
      std::size_t off = 0;
      while (off < c.size()) {
        const auto n = ::write(fd, c.data() + off, c.size() - off);
        if (n <= 0) break;  // the reader stopped early
        off += static_cast<std::size_t>(n);
      }
      ::close(fd);
    });
  }
  ~PipeFile() {
    ::close(read_fd_);
    writer_.join();
  }
  [[nodiscard]] std::string path() const { return "/proc/self/fd/" + std::to_string(read_fd_); }

 private:
  int read_fd_ = -1;
  std::thread writer_;
};

TEST(FileKind, NamesWhatAPathIs) {
  EXPECT_EQ(file_kind(write_temp("k.txt", "x")), FileKind::kRegular);
  EXPECT_EQ(file_kind(temp_dir().string()), FileKind::kDirectory);
  EXPECT_EQ(file_kind("/dev/null"), FileKind::kCharDevice);
  EXPECT_EQ(file_kind("/nonexistent/endstate"), FileKind::kMissing);
  PipeFile pipe("");
  EXPECT_EQ(file_kind(pipe.path()), FileKind::kFifo);
}

TEST(ReadTextFile, RegularFile) { EXPECT_EQ(read_text_file(write_temp("a.txt", "a: 1\n")), "a: 1\n"); }

TEST(ReadTextFile, DevNullIsEmpty) { EXPECT_EQ(read_text_file("/dev/null"), ""); }

TEST(ReadTextFile, PipeLikeProcessSubstitution) {
  PipeFile pipe("weights: 1\n");
  EXPECT_EQ(read_text_file(pipe.path()), "weights: 1\n");
}

TEST(ReadTextFile, NamedFifo) {
  const auto fifo = temp_dir() / "fifo";
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << "x,y\n1,2\n"; });
  EXPECT_EQ(read_text_file(fifo.string()), "x,y\n1,2\n");
  writer.join();
}

TEST(ReadTextFile, DevZeroStopsAtTheFirstByteAsBinary) {
  const Error e = error_of([] { read_text_file("/dev/zero"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().line, 1);
  EXPECT_NE(e.message().find("NUL byte"), std::string::npos) << e.what();
}

TEST(ReadTextFile, NulByteNamesItsLine) {
  const Error e = error_of([] { read_text_file(write_temp("nul.yaml", std::string("a: 1\nb: \0\n", 10))); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().line, 2);
}

TEST(ReadTextFile, DirectoryIsRefused) {
  const Error e = error_of([] { read_text_file(temp_dir().string()); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("directory"), std::string::npos);
}

TEST(ReadTextFile, MissingIsNotFound) {
  EXPECT_EQ(error_of([] { read_text_file("/nonexistent/endstate/x.yaml"); }).category(), ErrorCategory::kNotFound);
}

TEST(ReadTextFile, BoundOnRegularFilesAndOnEndlessStreams) {
  const std::string big(5000, 'a');
  const Error e1 = error_of([&] { read_text_file(write_temp("big.txt", big), 4096); });
  EXPECT_EQ(e1.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e1.message().find("limit"), std::string::npos);
  PipeFile pipe(std::string(3 << 20, 'y'));  // a pipe that would go on: the bound stops it
  const Error e2 = error_of([&] { read_text_file(pipe.path(), 1 << 20); });
  EXPECT_EQ(e2.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e2.message().find("1 MiB"), std::string::npos) << e2.what();
}

TEST(CheckText, NamesLineOfInvalidUtf8AndNul) {
  EXPECT_NO_THROW(check_text("\xEF\xBB\xBFid: \xC3\xA9quateur\n", "f.yaml"));
  const Error e = error_of([] { check_text("a: 1\nb: 2\nid: \xC3(\n", "f.yaml"); });
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.where().file, "f.yaml");
  EXPECT_NE(e.message().find("UTF-8"), std::string::npos);
  EXPECT_EQ(error_of([] { check_text(std::string_view("a\rb\r\0", 5), "f"); }).where().line, 3);
}

TEST(LineOfOffset, LfCrlfAndCr) {
  EXPECT_EQ(line_of_offset("a\nb\nc", 4), 3);
  EXPECT_EQ(line_of_offset("a\r\nb\r\nc", 6), 3);
  EXPECT_EQ(line_of_offset("a\rb\rc", 4), 3);
  EXPECT_EQ(line_of_offset("abc", 99), 1);
}

TEST(InputStream, PeekDoesNotConsume) {
  const std::string data = "  {\"type\": 1}";
  InputStream in = InputStream::from_memory(data, "mem");
  EXPECT_EQ(in.peek(3), "  {");
  EXPECT_EQ(in.peek(100), data);
  EXPECT_EQ(read_text(in), data);
  EXPECT_EQ(in.consumed(), static_cast<std::int64_t>(data.size()));
}

TEST(InputStream, SizeKnownForFilesAndMemoryOnly) {
  EXPECT_EQ(InputStream::open(write_temp("s.txt", "12345")).size(), 5);
  EXPECT_EQ(InputStream::from_memory("12", "m").size(), 2);
  PipeFile pipe("abc");
  EXPECT_EQ(InputStream::open(pipe.path()).size(), -1);
}

TEST(SpooledInput, CopiesAPipeWithItsSha256) {
  PipeFile pipe("id,x\n1,2\n");
  InputStream in = InputStream::open(pipe.path());
  const SpooledInput copy = SpooledInput::copy(in, 1 << 20, true);
  EXPECT_EQ(copy.size(), 9);
  EXPECT_EQ(copy.sha256(), sha256_hex("id,x\n1,2\n"));
  InputStream again = copy.stream();
  EXPECT_EQ(again.size(), 9);
  EXPECT_EQ(read_text(again), "id,x\n1,2\n");
  InputStream third = copy.stream();  // a second reading starts from the beginning again
  EXPECT_EQ(read_text(third), "id,x\n1,2\n");
}

TEST(SpooledInput, BinaryAndEndlessStreamsStop) {
  InputStream zero = InputStream::open("/dev/zero");
  const Error e = error_of([&] { SpooledInput::copy(zero, kMaxStreamBytes, true); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("NUL"), std::string::npos);
  InputStream zero2 = InputStream::open("/dev/zero");
  const Error e2 = error_of([&] { SpooledInput::copy(zero2, 1 << 20, false); });
  EXPECT_NE(e2.message().find("limit"), std::string::npos);
}

// --- the CSV reader over the same inputs -------------------------------------------

TEST(CsvReaderStreams, ReadsFromMemoryAndPipes) {
  CsvReader m(InputStream::from_memory("a,b\n1,2\n", "mem.csv"));
  ASSERT_TRUE(m.next());
  ASSERT_TRUE(m.next());
  EXPECT_EQ(m[1], "2");
  EXPECT_EQ(m.path(), "mem.csv");
  EXPECT_FALSE(m.next());

  std::string content = "a,b\n";
  for (int i = 0; i < 100000; ++i) content += std::to_string(i) + ",x\n";
  PipeFile pipe(content);
  CsvReader p(pipe.path());
  int rows = -1;
  while (p.next()) ++rows;
  EXPECT_EQ(rows, 100000);
  EXPECT_EQ(p.file_size(), 0);  // unknown for a pipe
}

TEST(CsvReaderStreams, DevZeroStopsAtTheRecordBound) {
  CsvReader r("/dev/zero");
  r.set_max_record_bytes(1 << 20);
  const Error e = error_of([&] { r.next(); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().line, 1);
  EXPECT_NE(e.message().find("not a CSV text file"), std::string::npos) << e.what();
}

TEST(CsvReaderStreams, DirectoryIsBadInput) {
  EXPECT_EQ(error_of([] { CsvReader r(temp_dir().string()); }).category(), ErrorCategory::kBadInput);
}

}  // namespace
}  // namespace endstate
