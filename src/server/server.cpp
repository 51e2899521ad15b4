// The HTTP server: cpp-httplib underneath (only here), the route table above.
#include "endstate/server/server.hpp"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <iostream>
#include <list>
#include <mutex>
#include <regex>
#include <sstream>
#include <unordered_map>

#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/io/table.hpp"
#include "endstate/service/engine.hpp"
#include "endstate/store/database.hpp"
#include "endstate/store/server_tables.hpp"
#include "server/detail/jobs.hpp"
#include "server/detail/problem.hpp"
#include "server/detail/route.hpp"
#include "server/detail/server_routes.hpp"

namespace endstate::server {

using detail::Json;
using detail::Output;
using detail::Params;
using detail::Problem;
using detail::Route;
using Clock = std::chrono::steady_clock;

namespace {

// --- engines leased per request ------------------------------------------------------

/// What a leased engine's hooks report to: its request's warnings and deadline.
struct LeaseState {
  std::mutex m;
  std::vector<std::string> warnings;
  Clock::time_point deadline = Clock::time_point::max();
};

struct Slot {
  std::shared_ptr<LeaseState> state = std::make_shared<LeaseState>();
  std::unique_ptr<service::Engine> engine;
};

/// Engines (each with its own store connection) handed to one request at a time.
class EnginePool {
 public:
  explicit EnginePool(std::string db) : db_(std::move(db)) {}

  class Lease {
   public:
    Lease(EnginePool& pool, std::unique_ptr<Slot> slot) : pool_(&pool), slot_(std::move(slot)) {}
    ~Lease() {
      if (slot_ && !discard_) pool_->give_back(std::move(slot_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    service::Engine& engine() { return *slot_->engine; }
    LeaseState& state() { return *slot_->state; }
    /// Drops the engine instead of reusing it (after an environment or internal error).
    void discard() { discard_ = true; }

   private:
    EnginePool* pool_;
    std::unique_ptr<Slot> slot_;
    bool discard_ = false;
  };

  Lease acquire() {
    std::unique_ptr<Slot> slot;
    {
      std::lock_guard<std::mutex> lock(m_);
      if (!free_.empty()) {
        slot = std::move(free_.back());
        free_.pop_back();
      }
    }
    if (!slot) {
      slot = std::make_unique<Slot>();
      service::Hooks h;
      auto st = slot->state;
      h.warning = [st](const std::string& m) {
        std::lock_guard<std::mutex> lock(st->m);
        st->warnings.push_back(m);
      };
      h.cancelled = [st] {
        std::lock_guard<std::mutex> lock(st->m);
        return Clock::now() > st->deadline;
      };
      slot->engine = std::make_unique<service::Engine>(db_, std::move(h));
    }
    {
      std::lock_guard<std::mutex> lock(slot->state->m);
      slot->state->warnings.clear();
      slot->state->deadline = Clock::time_point::max();
    }
    slot->engine->set_actor("");
    slot->engine->end_read_snapshot();  // PostgreSQL: this request reads what committed last
    return Lease(*this, std::move(slot));
  }

 private:
  void give_back(std::unique_ptr<Slot> slot) {
    std::lock_guard<std::mutex> lock(m_);
    free_.push_back(std::move(slot));
  }
  std::string db_;
  std::mutex m_;
  std::vector<std::unique_ptr<Slot>> free_;
};

// --- rendered documents by store generation ------------------------------------------

class Cache {
 public:
  explicit Cache(std::size_t max_bytes) : max_(max_bytes) {}
  [[nodiscard]] bool enabled() const { return max_ > 0; }
  std::optional<Output> get(const std::string& key) {
    std::lock_guard<std::mutex> lock(m_);
    const auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    lru_.splice(lru_.begin(), lru_, it->second.pos);
    return it->second.out;
  }
  void put(const std::string& key, const Output& out) {
    const std::size_t size = out.body.size() + key.size();
    if (size > max_ / 4) return;
    std::lock_guard<std::mutex> lock(m_);
    if (map_.count(key)) return;
    lru_.push_front(key);
    map_[key] = {out, lru_.begin(), size};
    bytes_ += size;
    while (bytes_ > max_ && !lru_.empty()) {
      const auto& old = lru_.back();
      bytes_ -= map_[old].size;
      map_.erase(old);
      lru_.pop_back();
    }
  }

 private:
  struct Entry {
    Output out;
    std::list<std::string>::iterator pos;
    std::size_t size = 0;
  };
  std::size_t max_;
  std::mutex m_;
  std::list<std::string> lru_;
  std::unordered_map<std::string, Entry> map_;
  std::size_t bytes_ = 0;
};

/// Identical cache misses in flight: the first request for a key computes the
/// document, the others wait for it and share its bytes (or its error), so a
/// burst of identical cold requests costs one engine call, not one each.
class Flights {
 public:
  struct Flight {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::optional<Output> out;
    std::vector<std::string> warnings;
    std::exception_ptr error;
  };
  /// The flight computing `key`, and whether the caller is its leader (must compute and land it).
  std::pair<std::shared_ptr<Flight>, bool> join(const std::string& key) {
    std::lock_guard<std::mutex> lock(m_);
    auto& f = flights_[key];
    if (f) return {f, false};
    f = std::make_shared<Flight>();
    return {f, true};
  }
  /// Ends the flight of `key` (after its document went into the cache) and wakes its waiters.
  void land(const std::string& key, const std::shared_ptr<Flight>& f) {
    {
      std::lock_guard<std::mutex> lock(m_);
      flights_.erase(key);
    }
    {
      std::lock_guard<std::mutex> lock(f->m);
      f->done = true;
    }
    f->cv.notify_all();
  }

 private:
  std::mutex m_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
};

/// Changes whenever the store's data does: the last import and the last audit entry.
std::string generation(store::Database& db) {
  const auto imports = db.imports(1);
  const auto last = db.last_audit();
  return std::to_string(imports.empty() ? 0 : imports.front().id) + "." + std::to_string(last ? last->seq : 0);
}

// --- login throttling ------------------------------------------------------------------

/// A client address locks after this many times login_failures failed logins (a name after login_failures).
constexpr int kAddressFailures = 4;

/// Failed logins per key (a user name, a client address) in a sliding window.
class Throttle {
 public:
  Throttle(int failures, int window_s, int lockout_s) : failures_(failures), window_(window_s), lockout_(lockout_s) {}
  /// Seconds until `key` may try again (0 = now).
  int wait(const std::string& key) {
    std::lock_guard<std::mutex> lock(m_);
    auto& e = entries_[key];
    const auto now = Clock::now();
    if (e.locked_until > now) {
      return static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(e.locked_until - now).count()) + 1;
    }
    return 0;
  }
  void failed(const std::string& key) {
    std::lock_guard<std::mutex> lock(m_);
    auto& e = entries_[key];
    const auto now = Clock::now();
    e.times.push_back(now);
    while (!e.times.empty() && now - e.times.front() > std::chrono::seconds(window_)) e.times.pop_front();
    if (static_cast<int>(e.times.size()) >= failures_) {
      e.locked_until = now + std::chrono::seconds(lockout_);
      e.times.clear();
    }
  }
  void succeeded(const std::string& key) {
    std::lock_guard<std::mutex> lock(m_);
    entries_.erase(key);
  }

 private:
  struct Entry {
    std::deque<Clock::time_point> times;
    Clock::time_point locked_until{};
  };
  int failures_, window_, lockout_;
  std::mutex m_;
  std::unordered_map<std::string, Entry> entries_;
};

std::regex path_regex(const std::string& templ) {
  static const std::regex param(R"(\{[a-z_]+\})");
  return std::regex(std::regex_replace(templ, param, "([^/]+)"));
}

std::multimap<std::string, std::string> query_of(const httplib::Request& req) {
  return {req.params.begin(), req.params.end()};
}

}  // namespace

// --- the server ------------------------------------------------------------------------

struct Server::Impl {
  ServerConfig cfg;
  std::unique_ptr<httplib::Server> http;
  std::unique_ptr<EnginePool> pool;
  std::unique_ptr<Cache> cache;
  Flights flights;
  std::atomic<std::int64_t> computed{0};  ///< engine runs of direct requests (ServerStats)
  std::atomic<std::int64_t> shared{0};    ///< responses that waited for an identical request's run
  std::unique_ptr<detail::JobRunner> jobs;
  std::unique_ptr<Throttle> throttle;       ///< failed logins per name
  std::unique_ptr<Throttle> addr_throttle;  ///< per client address: kAddressFailures x as many
  std::vector<Route> routes;
  std::vector<std::pair<std::regex, std::string>> known_paths;  ///< (path regex, method) of every route
  int port = 0;
  bool bound = false;

  // -- responses --------------------------------------------------------------------
  static void send(httplib::Response& res, const Output& out) {
    res.status = out.status;
    res.set_content(out.body, out.content_type);
  }
  static void send_json(httplib::Response& res, int status, const Json& doc) {
    res.status = status;
    res.set_content(doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n", "application/json");
  }
  static void send_problem(httplib::Response& res, const Problem& p, const std::string& path) {
    res.status = p.status;
    if (p.status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"endstate\"");
    res.set_content(detail::problem_json(p, path), "application/problem+json");
  }

  /// Runs `fn`, turning every failure into a problem document.
  template <class Fn>
  void guarded(const httplib::Request& req, httplib::Response& res, Fn&& fn) {
    try {
      fn();
    } catch (const detail::Forbidden& e) {
      send_problem(res, detail::http_problem(403, e.what(), e.field()), req.path);
    } catch (const Error& e) {
      auto p = detail::problem_of(e);
      if (e.message() == "cancelled") {
        p = detail::http_problem(503, "the request took longer than " + std::to_string(cfg.request_seconds) +
                                          " s and was stopped; run it as a job or narrow it");
      }
      send_problem(res, p, req.path);
    } catch (const std::exception& e) {
      std::cerr << "endstate serve: internal error on " << req.method << " " << req.path << ": " << e.what() << "\n";
      send_problem(res, detail::http_problem(500, std::string("internal error: ") + e.what()), req.path);
    }
  }

  /// The user behind the request's bearer token; nullopt (and a 401 sent) without a valid one.
  std::optional<User> authenticate(const httplib::Request& req, httplib::Response& res, EnginePool::Lease& lease) {
    const std::string h = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (h.size() <= prefix.size() || h.compare(0, prefix.size(), prefix) != 0) {
      send_problem(res,
                   detail::http_problem(401, "log in first: POST /api/login, then send Authorization: Bearer TOKEN"),
                   req.path);
      return std::nullopt;
    }
    Accounts accounts(lease.engine().reader());
    auto user = accounts.authenticate(h.substr(prefix.size()));
    if (!user) {
      send_problem(res, detail::http_problem(401, "the token is unknown, expired or revoked; log in again"), req.path);
      return std::nullopt;
    }
    return user;
  }

  bool allowed(const User& u, Capability c, const httplib::Request& req, httplib::Response& res) {
    if (u.role.can(c)) return true;
    send_problem(res,
                 detail::http_problem(403, "the role " + u.role.str() + " may not do this (it needs '" +
                                               std::string(to_string(c)) + "')"),
                 req.path);
    return false;
  }

  // -- engine routes ----------------------------------------------------------------------
  void handle(const Route& route, const httplib::Request& req, httplib::Response& res) {
    guarded(req, res, [&] {
      auto lease = pool->acquire();
      try {
        serve_route(route, req, res, lease);
      } catch (const Error& e) {
        if (e.category() == ErrorCategory::kEnvironment || e.category() == ErrorCategory::kInternal) lease.discard();
        throw;
      }
    });
  }

  void serve_route(const Route& route, const httplib::Request& req, httplib::Response& res, EnginePool::Lease& lease) {
    auto user = authenticate(req, res, lease);
    if (!user || !allowed(*user, route.needs, req, res)) return;
    const auto specs = detail::all_params(route);
    Params params;
    if (route.body == detail::Body::kJson) {
      if (!req.params.empty()) {
        throw invalid_field(req.params.begin()->first, "goes in the JSON body of this route, not the query string");
      }
      const std::string ct = req.get_header_value("Content-Type");
      if (!req.body.empty() && ct.rfind("application/json", 0) != 0) {
        send_problem(res, detail::http_problem(415, "send the parameters as application/json", "body"), req.path);
        return;
      }
      params = Params::from_json(req.body, specs);
    } else {
      params = Params::from_query(query_of(req), specs);
      if (route.body == detail::Body::kNone && !req.body.empty()) {
        throw invalid_field("body", "this route takes no body");
      }
    }
    const auto wo = detail::write_options(route, params);
    detail::Call call{params, req.body, *user, wo};
    detail::Run run = route.prepare(call);
    if (route.job) {
      const auto row = jobs->submit(route.operation, user->name, params.values(), std::move(run));
      res.set_header("Location", "/api/jobs/" + std::to_string(row.id));
      send_json(res, 202, job_document(row, std::nullopt));
      return;
    }
    const bool cacheable = cache->enabled() && !route.writes;
    if (!cacheable) {
      auto [out, warnings] = compute(run, *user, lease);
      if (!warnings.empty()) res.set_header("X-Endstate-Warnings", Json(warnings).dump());
      if (route.writes && out.status == 200 && req.method == "POST") out.status = 201;
      send(res, out);
      return;
    }
    const std::string key = route.operation + "|" + params.values().dump() + "|" + generation(lease.engine().reader());
    if (auto hit = cache->get(key)) {
      res.set_header("X-Endstate-Cache", "hit");
      send(res, *hit);
      return;
    }
    const auto joined = flights.join(key);
    const auto flight = joined.first;  // not a structured binding: the lambdas below capture it
    const bool leader = joined.second;
    if (!leader) {
      // An identical request is computing this document: wait for it (no longer than a request may take).
      std::unique_lock<std::mutex> lock(flight->m);
      if (!flight->cv.wait_for(lock, std::chrono::seconds(cfg.request_seconds), [&] { return flight->done; })) {
        throw Error(ErrorCategory::kUsage, "cancelled");  // answered 503 like a request past its time
      }
      ++shared;
      if (flight->error) std::rethrow_exception(flight->error);
      if (!flight->warnings.empty()) res.set_header("X-Endstate-Warnings", Json(flight->warnings).dump());
      res.set_header("X-Endstate-Cache", "shared");
      send(res, *flight->out);
      return;
    }
    // The leader: a flight that landed between the miss above and join() left its document in the cache.
    try {
      std::optional<Output> out = cache->get(key);
      std::vector<std::string> warnings;
      const bool fresh = !out;
      if (fresh) std::tie(out, warnings) = compute(run, *user, lease);
      if (fresh && warnings.empty()) cache->put(key, *out);
      {
        std::lock_guard<std::mutex> lock(flight->m);
        flight->out = out;
        flight->warnings = warnings;
      }
      flights.land(key, flight);
      if (!warnings.empty()) res.set_header("X-Endstate-Warnings", Json(warnings).dump());
      res.set_header("X-Endstate-Cache", fresh ? "miss" : "hit");
      send(res, *out);
    } catch (...) {
      // Errors are shared with the requests waiting, never cached: the next request computes again.
      {
        std::lock_guard<std::mutex> lock(flight->m);
        flight->error = std::current_exception();
      }
      flights.land(key, flight);
      throw;
    }
  }

  /// Runs a direct request's engine call within request_seconds; its document and the engine's warnings.
  std::pair<Output, std::vector<std::string>> compute(const detail::Run& run, const User& user,
                                                      EnginePool::Lease& lease) {
    lease.engine().set_actor(user.name);
    {
      std::lock_guard<std::mutex> lock(lease.state().m);
      lease.state().deadline = Clock::now() + std::chrono::seconds(cfg.request_seconds);
    }
    ++computed;
    Output out = run(lease.engine());
    std::lock_guard<std::mutex> lock(lease.state().m);
    return {std::move(out), lease.state().warnings};
  }

  // -- jobs -----------------------------------------------------------------------------------
  /// A job's stored parameters; the texts of files (plans, registers, localities) as their size and SHA-256, so
  /// that job lists stay small (the job's result names the files as sent).
  Json job_params(const store::JobRow& row) {
    Json params = Json::parse(row.params, nullptr, false);
    if (!params.is_object()) return params;
    auto digest = [](const Json& v) -> Json {
      if (!v.is_string()) return v;
      const auto& t = v.get_ref<const std::string&>();
      return Json{{"bytes", t.size()}, {"sha256", sha256_hex(t)}};
    };
    for (const auto& r : routes) {
      if (r.operation != row.kind) continue;
      for (const auto& s : r.params) {
        if (!s.document || !params.contains(s.name)) continue;
        Json& v = params[s.name];
        if (v.is_array()) {
          for (auto& e : v) e = digest(e);
        } else {
          v = digest(v);
        }
      }
    }
    return params;
  }

  Json job_document(const store::JobRow& row, const std::optional<detail::JobProgress>& live) {
    Json j;
    j["format_version"] = io::kFormatVersion;
    j["kind"] = "job";
    j["id"] = row.id;
    j["operation"] = row.kind;
    j["state"] = row.state;
    j["user"] = row.user_name;
    j["params"] = job_params(row);
    j["created_at"] = row.created_at;
    j["started_at"] = row.started_at ? Json(*row.started_at) : Json(nullptr);
    j["finished_at"] = row.finished_at ? Json(*row.finished_at) : Json(nullptr);
    Json p;
    const auto pr = live ? *live : detail::JobProgress{row.stage, row.done, row.total};
    p["stage"] = pr.stage;
    p["done"] = pr.done;
    p["total"] = pr.total;
    j["progress"] = p;
    j["warnings"] = Json::parse(row.warnings.empty() ? "[]" : row.warnings, nullptr, false);
    j["url"] = "/api/jobs/" + std::to_string(row.id);
    j["result"] = row.state == "done" ? Json("/api/jobs/" + std::to_string(row.id) + "/result") : Json(nullptr);
    j["content_type"] = row.state == "done" ? Json(row.content_type) : Json(nullptr);
    j["problem"] = row.problem.empty() ? Json(nullptr) : Json::parse(row.problem, nullptr, false);
    return j;
  }

  std::int64_t job_id(const httplib::Request& req) {
    const auto id = parse_int64(req.matches[1].str());
    if (!id || *id < 1) throw invalid_field("id", "must be a job number");
    return *id;
  }

  // -- routes the server answers itself -----------------------------------------------------------
  void server_route(const detail::ServerRouteSpec& spec, const httplib::Request& req, httplib::Response& res) {
    guarded(req, res, [&] {
      auto lease = pool->acquire();
      std::optional<User> user;
      if (spec.info.needs != Capability::kNone) {
        user = authenticate(req, res, lease);
        if (!user || !allowed(*user, spec.info.needs, req, res)) return;
      }
      Params params;
      if (req.method == "POST") {
        const std::string ct = req.get_header_value("Content-Type");
        if (!req.body.empty() && ct.rfind("application/json", 0) != 0) {
          send_problem(res, detail::http_problem(415, "send the parameters as application/json", "body"), req.path);
          return;
        }
        if (!req.params.empty()) throw invalid_field(req.params.begin()->first, "goes in the JSON body");
        params = Params::from_json(req.body, spec.params);
      } else {
        params = Params::from_query(query_of(req), spec.params);
      }
      const std::string& op = spec.info.operation;
      if (op == "health") {
        Json j;
        j["format_version"] = io::kFormatVersion;
        j["kind"] = "health";
        j["status"] = "ok";
        j["schema_version"] = store::latest_schema_version();
        send_json(res, 200, j);
      } else if (op == "openapi") {
        res.set_content(detail::embedded_openapi(), "application/yaml");
      } else if (op == "schema") {
        const auto* s = detail::embedded_schema(req.matches[1].str());
        if (!s) throw not_found("no schema named '" + req.matches[1].str() + "'");
        res.set_content(*s, "application/schema+json");
      } else if (op == "login") {
        login(params, req, res, lease);
      } else if (op == "logout") {
        Accounts(lease.engine().writer()).logout(req.get_header_value("Authorization").substr(7));
        res.status = 204;
      } else if (op == "me") {
        Json j;
        j["format_version"] = io::kFormatVersion;
        j["kind"] = "me";
        j["name"] = user->name;
        j["role"] = user->role.str();
        j["stakeholder"] = user->role.kind == Role::Kind::kSignatory ? Json(user->role.stakeholder) : Json(nullptr);
        Json caps = Json::array();
        for (auto c : {Capability::kPublished, Capability::kReadBenchmarks, Capability::kRead, Capability::kRun,
                       Capability::kPlan, Capability::kSign, Capability::kAdmin, Capability::kAudit}) {
          if (user->role.can(c)) caps.push_back(std::string(to_string(c)));
        }
        j["capabilities"] = caps;
        send_json(res, 200, j);
      } else if (op == "users_list") {
        std::ostringstream doc;
        io::WriteOptions wo;
        wo.format = io::Format::kJson;
        write_users(doc, Accounts(lease.engine().reader()).list(), wo);
        res.set_content(doc.str(), "application/json");
      } else if (op == "users_add") {
        const auto u = Accounts(lease.engine().writer())
                           .add(params.text("name"), params.text("role"), params.text("password"), user->name);
        send_json(res, 201, user_json(u, true));
      } else if (op == "users_revoke") {
        const auto u = Accounts(lease.engine().writer()).revoke(req.matches[1].str(), user->name);
        send_json(res, 200, user_json(u, true));
      } else if (op == "jobs_list") {
        Json list = Json::array();
        const std::string who = params.flag("mine") ? user->name : std::string();
        for (const auto& row : store::server_tables(lease.engine().reader())->jobs(who, 200)) {
          if (params.has("operation") && row.kind != params.text("operation")) continue;
          if (params.has("state") && row.state != params.text("state")) continue;
          list.push_back(job_document(row, jobs->progress(row.id)));
          if (static_cast<std::int64_t>(list.size()) >= params.integer("limit")) break;
        }
        Json j;
        j["format_version"] = io::kFormatVersion;
        j["kind"] = "jobs";
        j["jobs"] = list;
        send_json(res, 200, j);
      } else if (op == "job_status") {
        const auto id = job_id(req);
        const auto row = store::server_tables(lease.engine().reader())->job(id, false);
        if (!row) throw not_found("no job " + std::to_string(id));
        send_json(res, 200, job_document(*row, jobs->progress(id)));
      } else if (op == "job_result") {
        const auto id = job_id(req);
        const auto row = store::server_tables(lease.engine().reader())->job(id, true);
        if (!row) throw not_found("no job " + std::to_string(id));
        if (row->state != "done") {
          send_problem(res,
                       detail::http_problem(409, "job " + std::to_string(id) + " is " + row->state +
                                                     "; its result exists once it is done (GET /api/jobs/" +
                                                     std::to_string(id) + ")"),
                       req.path);
          return;
        }
        res.set_content(row->result, row->content_type);
      } else if (op == "job_publish") {
        const auto id = job_id(req);
        const auto row = store::server_tables(lease.engine().reader())->job(id, true);
        if (!row) throw not_found("no job " + std::to_string(id));
        if (!publishable(row->kind)) {
          throw invalid_field("id", "job " + std::to_string(id) + " is a " + row->kind +
                                        " job; only notices and Council report jobs are published");
        }
        if (row->state != "done") {
          send_problem(res,
                       detail::http_problem(409, "job " + std::to_string(id) + " is " + row->state +
                                                     "; only a finished job is published"),
                       req.path);
          return;
        }
        const auto published = publish_job(lease.engine().writer(), *row, user->name);
        res.set_header("Location", "/api/jobs/" + std::to_string(published.id));
        send_json(res, 201, job_document(published, jobs->progress(published.id)));
      } else if (op == "published_notices" || op == "published_report") {
        const std::string kind = published_kind(op == "published_notices" ? "notices" : "report_council");
        const auto row = store::server_tables(lease.engine().reader())->latest_done_job(kind, true);
        if (!row) {
          throw not_found(std::string("nothing is published yet: a planner publishes a finished ") +
                          (op == "published_notices" ? "notices" : "Council report") +
                          " job (POST /api/jobs/{id}/publish)");
        }
        res.set_header("X-Endstate-Published", row->finished_at.value_or(""));
        res.set_content(row->result, row->content_type);
      } else if (op == "job_cancel") {
        const auto id = job_id(req);
        const auto row = store::server_tables(lease.engine().reader())->job(id, false);
        if (!row) throw not_found("no job " + std::to_string(id));
        if (row->user_name != user->name) {
          throw detail::Forbidden(
              "id", "job " + std::to_string(id) + " belongs to " + row->user_name + "; only its owner can cancel it");
        }
        if (!jobs->cancel(id)) {
          send_problem(res, detail::http_problem(409, "job " + std::to_string(id) + " is " + row->state), req.path);
          return;
        }
        const auto now = store::server_tables(lease.engine().reader())->job(id, false);
        send_json(res, 202, job_document(*now, jobs->progress(id)));
      } else {
        throw internal_error("no handler for " + op);
      }
    });
  }

  void login(const Params& params, const httplib::Request& req, httplib::Response& res, EnginePool::Lease& lease) {
    const std::string name = params.text("name");
    const std::string by_name = "name:" + name;
    const std::string by_addr = "addr:" + req.remote_addr;
    const int wait = std::max(throttle->wait(by_name), addr_throttle->wait(by_addr));
    if (wait > 0) {
      res.set_header("Retry-After", std::to_string(wait));
      send_problem(res,
                   detail::http_problem(429, "too many failed logins; try again in " + std::to_string(wait) + " s"),
                   req.path);
      return;
    }
    auto session = Accounts(lease.engine().writer()).login(name, params.text("password"), cfg.token_hours);
    if (!session) {
      throttle->failed(by_name);
      addr_throttle->failed(by_addr);
      send_problem(res, detail::http_problem(401, "wrong name or password"), req.path);
      return;
    }
    throttle->succeeded(by_name);
    Json j;
    j["format_version"] = io::kFormatVersion;
    j["kind"] = "login";
    j["token"] = session->token;
    j["expires_at"] = session->expires_at;
    j["user"] = user_json(session->user, false);
    send_json(res, 200, j);
  }

  static Json user_json(const User& u, bool document) {
    Json j;
    if (document) {
      j["format_version"] = io::kFormatVersion;
      j["kind"] = "user";
    }
    j["name"] = u.name;
    j["role"] = u.role.str();
    j["created_at"] = u.created_at;
    j["created_by"] = u.created_by;
    j["revoked_at"] = u.revoked_at ? Json(*u.revoked_at) : Json(nullptr);
    return j;
  }
  // -- wiring --------------------------------------------------------------------------------------
  void register_routes() {
    routes = detail::engine_routes();
    for (const auto& r : routes) {
      const Route* rp = &r;
      auto h = [this, rp](const httplib::Request& req, httplib::Response& res) { handle(*rp, req, res); };
      add(r.method, r.path, h);
    }
    for (const auto& s : detail::server_route_specs()) {
      const auto* sp = &s;
      auto h = [this, sp](const httplib::Request& req, httplib::Response& res) { server_route(*sp, req, res); };
      add(s.info.method, s.info.path, h);
    }
  }
  void add(const std::string& method, const std::string& path, const httplib::Server::Handler& h) {
    static const std::regex param(R"(\{[a-z_]+\})");
    const std::string pattern = std::regex_replace(path, param, "([^/]+)");
    known_paths.emplace_back(path_regex(path), method);
    if (method == "GET") {
      http->Get(pattern, h);
    } else if (method == "POST") {
      http->Post(pattern, h);
    } else if (method == "DELETE") {
      http->Delete(pattern, h);
    } else {
      throw internal_error("unsupported method " + method);
    }
  }

  /// The methods a path answers ("" = none).
  std::string allowed_methods(const std::string& path) const {
    std::string out;
    for (const auto& [re, method] : known_paths) {
      if (std::regex_match(path, re) && out.find(method) == std::string::npos)
        out += (out.empty() ? "" : ", ") + method;
    }
    return out;
  }
};

Server::Server(ServerConfig config) : impl_(std::make_unique<Impl>()) { impl_->cfg = std::move(config); }
Server::~Server() {
  if (impl_->http) impl_->http->stop();
  if (impl_->jobs) impl_->jobs->stop();
}

void Server::bind() {
  auto& s = *impl_;
  const auto& c = s.cfg;
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    throw invalid_field(c.tls_cert.empty() ? "tls_cert" : "tls_key", "TLS needs both a certificate and a key");
  }
  if (c.db.rfind("postgres", 0) != 0 && !std::filesystem::exists(c.db)) {
    // A server on a store that is not there would serve an empty database
    // created by a typo; the store is made by importing (or by the demo).
    throw Error(ErrorCategory::kNotFound,
                "no database here; import data first (endstate areas import ...) or pass --db", Position{c.db, 0, ""});
  }
  {
    // Migrates the store (the server tables arrive with schema 6) and
    // closes the jobs a previous run left unfinished.
    auto db = store::Database::open(c.db, store::Access::kReadWrite);
    auto tables = store::server_tables(db);
    store::Database::Transaction tx(db);
    tables->interrupt_jobs(utc_now_iso(), detail::problem_json(detail::http_problem(503,
                                                                                    "the server stopped while the "
                                                                                    "job was queued or running; "
                                                                                    "submit it again"),
                                                               "/api/jobs"));
    tx.commit();
  }
  if (!c.tls_cert.empty()) {
    auto ssl = std::make_unique<httplib::SSLServer>(c.tls_cert.c_str(), c.tls_key.c_str());
    if (!ssl->is_valid()) {
      throw environment_error("cannot start TLS with certificate '" + c.tls_cert + "' and key '" + c.tls_key +
                              "' (unreadable, not PEM, or not a matching pair)");
    }
    s.http = std::move(ssl);
  } else {
    s.http = std::make_unique<httplib::Server>();
  }
  s.pool = std::make_unique<EnginePool>(c.db);
  s.cache = std::make_unique<Cache>(c.cache_mb * 1024 * 1024);
  s.jobs = std::make_unique<detail::JobRunner>(c.db, c.job_workers, c.max_queued_jobs);
  s.throttle = std::make_unique<Throttle>(c.login_failures, c.login_window_seconds, c.login_lockout_seconds);
  // One address may be an office behind NAT or a proxy: it locks after more failures than one name.
  s.addr_throttle =
      std::make_unique<Throttle>(c.login_failures * kAddressFailures, c.login_window_seconds, c.login_lockout_seconds);
  auto& http = *s.http;
  const std::size_t threads = c.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(c.max_body_bytes);
  http.set_read_timeout(c.read_timeout_seconds, 0);
  http.set_write_timeout(c.write_timeout_seconds, 0);
  http.set_keep_alive_timeout(c.keep_alive_seconds);
  http.set_keep_alive_max_count(100000);
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"},
                            {"X-Frame-Options", "DENY"},
                            {"Cache-Control", "no-store"}});
  s.register_routes();
  http.set_error_handler(httplib::Server::HandlerWithResponse([&s](const httplib::Request& req,
                                                                   httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    detail::Problem p;
    if (res.status == 404) {
      const auto allow = s.allowed_methods(req.path);
      if (!allow.empty()) {
        res.set_header("Allow", allow);
        p = detail::http_problem(405, req.method + " is not allowed on " + req.path + " (allowed: " + allow + ")");
      } else {
        p = detail::http_problem(404, "no route " + req.path + " (see /api/openapi.yaml)");
      }
    } else if (res.status == 413) {
      p = detail::http_problem(
          413, "the request body is larger than " + std::to_string(s.cfg.max_body_bytes) + " bytes (max_body_bytes)",
          "body");
    } else if (res.status == 414) {
      p = detail::http_problem(414, "the request line is too long");
    } else {
      p = detail::http_problem(res.status, "the request could not be served");
    }
    Impl::send_problem(res, p, req.path);
    return httplib::Server::HandlerResponse::Handled;
  }));
  std::string web = c.web_root;
#ifdef ENDSTATE_WEB_DIST
  if (web.empty()) web = ENDSTATE_WEB_DIST;
#endif
  if (!web.empty()) {
    const httplib::Headers page_headers = {
        {"Content-Security-Policy",
         "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
         "worker-src 'self' blob:; child-src blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
         "base-uri 'none'; frame-ancestors 'none'"},
        {"Cache-Control", "no-cache"}};
    if (!http.set_mount_point("/", web, page_headers)) {
      if (!c.web_root.empty()) throw not_found("no dashboard folder '" + web + "' (web_root)");
    }
  }
  if (c.log_requests) {
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::cerr << req.remote_addr << " " << req.method << " " << req.path << " " << res.status << " "
                << res.body.size() << "\n";
    });
  }
  if (c.port == 0) {
    s.port = http.bind_to_any_port(c.host);
    if (s.port < 0) throw environment_error("cannot listen on " + c.host + " (any port)");
  } else {
    if (!http.bind_to_port(c.host, c.port)) {
      throw environment_error("cannot listen on " + c.host + ":" + std::to_string(c.port) +
                              " (in use, or not an address of this machine)");
    }
    s.port = c.port;
  }
  s.bound = true;
}

int Server::port() const { return impl_->port; }

ServerStats Server::stats() const { return {impl_->computed.load(), impl_->shared.load()}; }

void Server::run() {
  if (!impl_->bound) bind();
  impl_->http->listen_after_bind();
}

void Server::stop() {
  if (impl_->http) impl_->http->stop();
}

std::vector<RouteInfo> Server::routes() {
  std::vector<RouteInfo> out;
  for (const auto& r : detail::engine_routes()) {
    RouteInfo i;
    i.method = r.method;
    i.path = r.path;
    i.operation = r.operation;
    i.needs = r.needs;
    i.job = r.job;
    for (const auto& p : detail::all_params(r)) i.params.push_back(p.name);
    i.formats = r.formats;
    out.push_back(std::move(i));
  }
  for (const auto& s : detail::server_route_specs()) out.push_back(s.info);
  return out;
}

}  // namespace endstate::server
