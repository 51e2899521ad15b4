// PDF through headless Chromium (report/pdf.hpp).
#include "endstate/report/pdf.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
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

void print_pdf(const std::string& html_file, const std::string& pdf_file, int timeout_seconds) {
  const std::string browser = find_chromium();
  if (browser.empty()) {
    throw environment_error(
        "no Chromium browser found to print the PDF (install Debian's chromium package, or set ENDSTATE_CHROMIUM)");
  }
  const fs::path html = fs::absolute(html_file), pdf = fs::absolute(pdf_file);
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
  fs::remove(pdf);
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
  if (timed_out) throw environment_error(browser + " did not finish printing " + pdf.string() + " in time");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(pdf) || fs::file_size(pdf) == 0) {
    throw environment_error(browser + " failed to print " + pdf.string());
  }
}

}  // namespace endstate::report
