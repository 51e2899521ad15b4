// PDF through headless Chromium (report/pdf.hpp).
#include "endstate/report/pdf.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "endstate/core/error.hpp"

extern char** environ;

namespace endstate::report {

namespace fs = std::filesystem;

std::string find_chromium() {
  if (const char* env = std::getenv("ENDSTATE_CHROMIUM"); env && *env) {
    return ::access(env, X_OK) == 0 ? std::string(env) : std::string();
  }
  const char* path = std::getenv("PATH");
  const std::string dirs = path ? path : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::size_t start = 0;
    while (start <= dirs.size()) {
      const auto colon = dirs.find(':', start);
      const std::string dir = dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  return "";
}

int blank_pdf_dates(std::string& pdf) {
  int n = 0;
  for (const char* key : {"/CreationDate", "/ModDate"}) {
    for (std::size_t at = pdf.find(key); at != std::string::npos; at = pdf.find(key, at + 1)) {
      std::size_t open = at + std::char_traits<char>::length(key);
      while (open < pdf.size() && pdf[open] == ' ') ++open;
      if (open >= pdf.size() || pdf[open] != '(') continue;
      const std::size_t close = pdf.find(')', open);
      if (close == std::string::npos || close - open > 64) continue;  // not a date string
      std::fill(pdf.begin() + static_cast<std::ptrdiff_t>(at), pdf.begin() + static_cast<std::ptrdiff_t>(close) + 1,
                ' ');
      ++n;
    }
  }
  return n;
}

void print_pdf(const std::string& html_file, const std::string& pdf_file, int timeout_seconds) {
  const std::string browser = find_chromium();
  if (browser.empty()) {
    throw environment_error(
        "no Chromium browser found to print the PDF (install Debian's chromium package, or set ENDSTATE_CHROMIUM)");
  }
  const fs::path html = fs::absolute(html_file), target = fs::absolute(pdf_file);
  const fs::path pdf =
      target.parent_path() / ("." + target.filename().string() + ".part-" + std::to_string(::getpid()));
  char tmpl[] = "/tmp/endstate-chromium-XXXXXX";
  if (!::mkdtemp(tmpl)) throw environment_error("cannot create a temporary profile folder for Chromium");
  const std::string profile = tmpl;
  std::vector<std::string> args = {browser,
                                   "--headless",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--disable-extensions",
                                   "--disable-background-networking",
                                   "--disable-sync",
                                   "--no-pdf-header-footer",
                                   "--user-data-dir=" + profile,
                                   "--print-to-pdf=" + pdf.string()};
  if (::geteuid() == 0) args.insert(args.begin() + 1, "--no-sandbox");  // Chromium refuses root with its sandbox
  args.push_back("file://" + html.string());
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, browser.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    std::error_code ec;
    fs::remove_all(profile, ec);
    throw environment_error("cannot run " + browser);
  }
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool timed_out = false;
  while (true) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::error_code ec;
  fs::remove_all(profile, ec);
  const bool printed =
      !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0 && fs::exists(pdf, ec) && fs::file_size(pdf, ec) > 0;
  if (!printed) {
    fs::remove(pdf, ec);
    if (timed_out) throw environment_error(browser + " did not finish printing " + target.string() + " in time");
    throw environment_error(browser + " failed to print " + target.string());
  }
  std::string bytes;
  {
    std::ifstream in(pdf, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  blank_pdf_dates(bytes);
  {
    std::ofstream out(pdf, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      fs::remove(pdf, ec);
      throw environment_error("cannot write " + target.string() + " (disk full?); nothing was written");
    }
  }
  fs::rename(pdf, target, ec);
  if (ec) {
    fs::remove(pdf, ec);
    throw environment_error("cannot move the printed PDF into " + target.string());
  }
}

}  // namespace endstate::report
