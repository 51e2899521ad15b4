// endstate serve: the HTTP API and the dashboard (docs/server.md)
#include <pthread.h>
#include <csignal>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/server/server.hpp"

namespace endstate::server::detail {
std::string openapi_yaml();  // src/server/openapi.cpp
}

namespace endstate::cli {
namespace {

int serve(const Args& a, std::ostream& out) {
  if (a.has("openapi")) {
    out << server::detail::openapi_yaml();
    return 0;
  }
  server::ServerConfig c;
  if (a.has("config")) c = server::load_config(a.get("config"), c);
  if (a.db_path() != "endstate.db" || !a.has("config")) c.db = a.db_path();
  if (a.has("listen") || !a.has("config")) server::set_listen(c, a.get("listen"));
  if (a.has("web-root")) c.web_root = a.get("web-root");
  if (a.has("threads")) c.threads = static_cast<std::size_t>(int_flag(a, "threads", 1, 1024));
  if (a.has("job-workers")) c.job_workers = static_cast<std::size_t>(int_flag(a, "job-workers", 1, 64));
  if (a.has("cache-mb")) c.cache_mb = static_cast<std::size_t>(int_flag(a, "cache-mb", 0, 1 << 20));
  if (a.has("max-body-bytes"))
    c.max_body_bytes = static_cast<std::size_t>(int_flag(a, "max-body-bytes", 1024, 1 << 30));
  if (a.has("tls-cert")) c.tls_cert = a.get("tls-cert");
  if (a.has("tls-key")) c.tls_key = a.get("tls-key");
  if (a.has("quiet")) c.log_requests = false;

  // SIGINT and SIGTERM stop the server cleanly: blocked in every thread and
  // awaited by one thread that calls stop().
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  server::Server s(c);
  s.bind();
  std::cerr << "endstate serve: " << (c.tls_cert.empty() ? "http" : "https") << "://" << c.host << ":" << s.port()
            << "/ on " << c.db << " (Ctrl-C stops)\n";
  std::thread waiter([&s, set] {
    int sig = 0;
    sigwait(&set, &sig);
    s.stop();
  });
  s.run();
  // Wakes the waiter's sigwait (SIGTERM is blocked in every thread, so it ends nothing).
  pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  waiter.join();
  std::cerr << "endstate serve: stopped\n";
  return 0;
}

}  // namespace

std::vector<CommandSpec> serve_commands() {
  return {
      {"serve",
       "",
       "Serve the HTTP API (the same engine and documents as the CLI, docs/openapi.yaml) and the offline dashboard. "
       "Users log in with a token (endstate users add); long analyses run as jobs. docs/server.md.",
       {},
       {{"listen", "HOST:PORT", "address to listen on (127.0.0.1 keeps it on this machine)", "127.0.0.1:8080"},
        {"config", "FILE", "YAML settings (docs/server.md); flags given here win", ""},
        {"web-root", "DIR", "the bundled dashboard (default: the build's web/dist)", ""},
        {"threads", "N", "connections served at once", "64"},
        {"job-workers", "N", "jobs run at once", "1"},
        {"cache-mb", "N", "memory for rendered documents, per store generation (0 = no cache)", "64"},
        {"max-body-bytes", "N", "larger request bodies are refused (413)", "1048576"},
        {"tls-cert", "FILE", "PEM certificate: serve HTTPS (with --tls-key)", ""},
        {"tls-key", "FILE", "PEM private key", ""},
        {"quiet", "", "no request log on standard error", ""},
        {"openapi", "", "print the OpenAPI description (docs/openapi.yaml) and exit", ""}},
       serve}};
}

}  // namespace endstate::cli
