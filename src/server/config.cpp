// `endstate serve --config FILE`: the server's settings as YAML.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/server/server.hpp"

namespace endstate::server {

void set_listen(ServerConfig& c, const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw invalid_field("listen", "must be HOST:PORT, e.g. 127.0.0.1:8080 (got '" + listen + "')");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const auto port = parse_int64(listen.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) {
    throw invalid_field("listen", "port must be an integer in 0..65535 (got '" + listen.substr(colon + 1) + "')");
  }
  c.host = host;
  c.port = static_cast<int>(*port);
}

namespace {

template <class T>
T as(const YAML::Node& n, const std::string& file, const std::string& key, T lo, T hi) {
  T v{};
  try {
    v = n.as<T>();
  } catch (const YAML::Exception&) {
    throw bad_input("must be a number", {file, n.Mark().line + 1, key});
  }
  if (v < lo || v > hi) {
    throw bad_input("must be in " + std::to_string(lo) + ".." + std::to_string(hi), {file, n.Mark().line + 1, key});
  }
  return v;
}

std::string text(const YAML::Node& n, const std::string& file, const std::string& key) {
  if (!n.IsScalar()) throw bad_input("must be text", {file, n.Mark().line + 1, key});
  return n.as<std::string>();
}

bool flag(const YAML::Node& n, const std::string& file, const std::string& key) {
  try {
    return n.as<bool>();
  } catch (const YAML::Exception&) {
    throw bad_input("must be true or false", {file, n.Mark().line + 1, key});
  }
}

}  // namespace

ServerConfig load_config(const std::string& file, ServerConfig c) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw not_found("cannot read the server configuration '" + file + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(ss.str());
  } catch (const YAML::ParserException& e) {
    throw bad_input("not valid YAML: " + e.msg, {file, e.mark.line + 1, ""});
  }
  if (root.IsNull()) return c;
  if (!root.IsMap()) throw bad_input("must be a map of settings", {file, 1, ""});
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    const auto line = kv.first.Mark().line + 1;
    if (key == "db") {
      c.db = text(v, file, key);
    } else if (key == "listen") {
      try {
        set_listen(c, text(v, file, key));
      } catch (const Error& e) {
        throw bad_input(e.message(), {file, line, key});
      }
    } else if (key == "web_root") {
      c.web_root = text(v, file, key);
    } else if (key == "threads") {
      c.threads = as<std::size_t>(v, file, key, 1, 1024);
    } else if (key == "job_workers") {
      c.job_workers = as<std::size_t>(v, file, key, 1, 64);
    } else if (key == "max_queued_jobs") {
      c.max_queued_jobs = as<std::size_t>(v, file, key, 1, 100000);
    } else if (key == "max_body_bytes") {
      c.max_body_bytes = as<std::size_t>(v, file, key, 1024, std::size_t(1) << 30);
    } else if (key == "read_timeout_seconds") {
      c.read_timeout_seconds = as<int>(v, file, key, 1, 3600);
    } else if (key == "write_timeout_seconds") {
      c.write_timeout_seconds = as<int>(v, file, key, 1, 3600);
    } else if (key == "keep_alive_seconds") {
      c.keep_alive_seconds = as<int>(v, file, key, 0, 3600);
    } else if (key == "request_seconds") {
      c.request_seconds = as<int>(v, file, key, 1, 86400);
    } else if (key == "token_hours") {
      c.token_hours = as<int>(v, file, key, 1, 24 * 366);
    } else if (key == "login_failures") {
      c.login_failures = as<int>(v, file, key, 1, 1000);
    } else if (key == "login_window_seconds") {
      c.login_window_seconds = as<int>(v, file, key, 1, 86400 * 30);
    } else if (key == "login_lockout_seconds") {
      c.login_lockout_seconds = as<int>(v, file, key, 1, 86400 * 30);
    } else if (key == "cache_mb") {
      c.cache_mb = as<std::size_t>(v, file, key, 0, 1 << 20);
    } else if (key == "tls_cert") {
      c.tls_cert = text(v, file, key);
    } else if (key == "tls_key") {
      c.tls_key = text(v, file, key);
    } else if (key == "log_requests") {
      c.log_requests = flag(v, file, key);
    } else {
      throw bad_input(
          "unknown setting (settings: db, listen, web_root, threads, job_workers, max_queued_jobs, "
          "max_body_bytes, read_timeout_seconds, write_timeout_seconds, keep_alive_seconds, "
          "request_seconds, token_hours, login_failures, login_window_seconds, login_lockout_seconds, "
          "cache_mb, tls_cert, tls_key, log_requests)",
          {file, line, key});
    }
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    throw bad_input("tls_cert and tls_key go together", {file, 0, c.tls_cert.empty() ? "tls_cert" : "tls_key"});
  }
  return c;
}

}  // namespace endstate::server
