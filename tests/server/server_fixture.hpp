#pragma once
// One Carana demo database and one running server shared by the API tests:
// `endstate demo` writes the database once, users of every role are added,
// and the server listens on a free loopback port in this process. Under the
// ctest label `postgres` the store is a PostgreSQL database of the test
// cluster holding the same demo.

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_harness.hpp"
#include "endstate/server/accounts.hpp"
#include "endstate/server/server.hpp"
#include "endstate/store/database.hpp"
#include "test_config.hpp"

namespace endstate::testing {

using Json = nlohmann::json;

/// Runs a shell command; exit code and standard output.
inline std::pair<int, std::string> run_shell(const std::string& cmd) {
  const auto out = std::filesystem::temp_directory_path() / ("endstate_shell_" + std::to_string(::getpid()));
  const int status = std::system((cmd + " > " + shell_quote(out.string()) + " 2>/dev/null").c_str());
  std::string text = read_file(out);
  std::filesystem::remove(out);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

/// The users of every role (name -> role); each one's password is "<name>-password-1".
inline const std::map<std::string, std::string>& test_users() {
  static const std::map<std::string, std::string> kUsers = {{"pub", "public"},
                                                            {"ana", "analyst"},
                                                            {"pat", "planner"},
                                                            {"sig_un", "signatory:un"},
                                                            {"sig_gov", "signatory:government"},
                                                            {"adm", "admin"}};
  return kUsers;
}
inline std::string password_of(const std::string& name) { return name + "-password-1"; }

class ServerEnv {
 public:
  static ServerEnv& get() {
    static ServerEnv env;
    return env;
  }

  std::filesystem::path dir;
  std::string db;  ///< the demo's store: its SQLite file, or a PostgreSQL database (ctest label postgres)
  std::unique_ptr<ScratchDatabase> pg;
  std::filesystem::path demo_dir;  ///< the demo's folder: inputs/, results/ (and the SQLite file)
  server::ServerConfig config;
  std::unique_ptr<server::Server> srv;
  std::thread thread;
  int port = 0;
  std::map<std::string, std::string> tokens;  ///< user -> bearer token

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(120, 0);
    return c;
  }
  httplib::Headers auth(const std::string& user) const { return {{"Authorization", "Bearer " + tokens.at(user)}}; }
  /// The rows of one SQL query on the store (sqlite3 or psql), as text.
  [[nodiscard]] std::string sql(const std::string& query) const {
    if (pg) {
      std::string out;
      pg->psql(query, &out);
      return out;
    }
    return run_shell("sqlite3 " + shell_quote(db) + " " + shell_quote(query)).second;
  }
  /// The CLI on the same database.
  [[nodiscard]] std::pair<int, std::string> cli(const std::string& args) const {
    return run_shell(shell_quote(endstate_binary()) + " --db " + shell_quote(db) + " " + args);
  }

 private:
  ServerEnv() {
    dir = std::filesystem::temp_directory_path() / ("endstate_server_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    if (const auto problem = copy_demo(dir / "demo"); !problem.empty()) throw std::runtime_error(problem);
    demo_dir = dir / "demo";
    db = (demo_dir / "endstate.db").string();
    if (postgres_backend()) {  // the same demo in a database of the test cluster
      pg = std::make_unique<ScratchDatabase>("server_demo");
      if (const auto problem = demo_into(*pg); !problem.empty()) throw std::runtime_error(problem);
      db = pg->location();
    }
    {
      auto d = store::Database::open(db, store::Access::kReadWrite);
      server::Accounts acc(d);
      for (const auto& [name, role] : test_users()) acc.add(name, role, password_of(name), "test");
    }
    config.db = db;
    config.host = "127.0.0.1";
    config.port = 0;
    config.threads = 16;
    config.max_body_bytes = 256 * 1024;  // a plan with its localities (84 kB) and the task register fit
    config.read_timeout_seconds = 2;
    config.max_queued_jobs = 32;  // every job route run as two roles in one test (16 routes) stays under it
    config.login_failures = 3;
    config.login_window_seconds = 60;
    config.login_lockout_seconds = 60;
    config.log_requests = false;
    config.web_root = "";
    srv = std::make_unique<server::Server>(config);
    srv->bind();
    port = srv->port();
    thread = std::thread([this] { srv->run(); });
    auto c = client();
    for (int i = 0; i < 100 && !c.Get("/api/health"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (const auto& [name, role] : test_users()) {
      Json body = {{"name", name}, {"password", password_of(name)}};
      auto r = c.Post("/api/login", body.dump(), "application/json");
      if (!r || r->status != 200) throw std::runtime_error("login of " + name + " failed");
      tokens[name] = Json::parse(r->body)["token"].get<std::string>();
    }
  }
  ~ServerEnv() {
    srv->stop();
    if (thread.joinable()) thread.join();
    srv.reset();
    pg.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace endstate::testing
