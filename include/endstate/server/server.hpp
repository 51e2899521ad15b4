#pragma once
// `endstate serve`: the HTTP/1.1 JSON API and the offline dashboard over one
// store, calling the same engine and writing the same documents as the CLI
// (docs/server.md, docs/openapi.yaml). The HTTP library stays inside
// src/server: nothing here names it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "endstate/server/accounts.hpp"

namespace endstate::server {

/// Everything `endstate serve` can be told (flags and the --config YAML file).
struct ServerConfig {
  std::string db = "endstate.db";
  std::string host = "127.0.0.1";
  int port = 8080;                       ///< 0 = any free port (tests)
  std::string web_root;                  ///< the bundled dashboard; "" = the build's web/dist, if present
  std::size_t threads = 64;              ///< connections served at once (each keeps its thread while open)
  std::size_t job_workers = 1;           ///< jobs run at once
  std::size_t max_queued_jobs = 16;      ///< per user, queued or running
  std::size_t max_body_bytes = 1 << 20;  ///< larger requests get 413
  int read_timeout_seconds = 10;         ///< a client that sends nothing for this long is dropped
  int write_timeout_seconds = 30;
  int keep_alive_seconds = 5;
  int request_seconds = 60;  ///< engine work of one direct (non-job) request, where the engine can stop
  int token_hours = 12;
  int login_failures =
      5;  ///< failed logins per name (per client address: 4 times as many) within login_window_seconds ...
  int login_window_seconds = 900;
  int login_lockout_seconds = 900;  ///< ... lock further attempts for this long (429)
  std::size_t cache_mb = 64;        ///< rendered documents kept per store generation; 0 = no cache
  std::string tls_cert, tls_key;    ///< PEM files: serve HTTPS (both or neither)
  bool log_requests = true;         ///< one line per request on standard error
};

/// Reads a YAML configuration (keys as the members above, plus `listen: host:port`)
/// over `base`; bad_input naming file, line and key.
ServerConfig load_config(const std::string& file, ServerConfig base = {});
/// Parses "host:port" into the config; invalid_field("listen") when malformed.
void set_listen(ServerConfig& c, const std::string& listen);

/// A route as the server has it (the OpenAPI test compares these with docs/openapi.yaml).
struct RouteInfo {
  std::string method;     ///< GET, POST, DELETE
  std::string path;       ///< OpenAPI template: /api/jobs/{id}
  std::string operation;  ///< operationId
  Capability needs = Capability::kNone;
  bool job = false;                  ///< answers 202 with a job to poll
  std::vector<std::string> params;   ///< query or body parameter names
  std::vector<std::string> formats;  ///< json, geojson, csv (empty: not a document route)
};

/// What the server did, for tests and diagnostics.
struct ServerStats {
  std::int64_t computed = 0;  ///< engine calls of direct (non-job) requests; cache hits and shared answers are not
  std::int64_t shared = 0;    ///< answers that waited for an identical request's call in flight and shared it
};

class Server {
 public:
  explicit Server(ServerConfig config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Opens the store (migrating it), marks jobs a previous run left unfinished
  /// as failed, and binds the address; environment_error when it is taken.
  void bind();
  /// The bound port.
  [[nodiscard]] int port() const;
  /// Counters since bind().
  [[nodiscard]] ServerStats stats() const;
  /// Serves until stop() (from another thread or a signal handler thread).
  void run();
  void stop();

  /// Every route of the API.
  static std::vector<RouteInfo> routes();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace endstate::server
