// The HTTP API against a running server on the Carana demo database: every
// route for every role, bad tokens, bad bodies, oversized requests, problem
// documents, jobs (progress, results, cancellation), the audit trail of
// writes, login throttling, timeouts, and the same documents as the CLI.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/types.hpp"
#include "endstate/service/engine.hpp"
#include "server_fixture.hpp"

namespace endstate::testing {
namespace {

/// The roles that may call each operation (docs/server.md, "Roles").
const std::map<std::string, std::set<std::string>>& allowed_roles() {
  static const std::set<std::string> kReaders = {"analyst", "planner"};
  static const std::set<std::string> kBenchmarkReaders = {"analyst", "planner", "signatory:un", "signatory:government"};
  static const std::set<std::string> kEveryone = {
      "public", "analyst", "planner", "signatory:un", "signatory:government", "admin"};
  static const std::map<std::string, std::set<std::string>> kAllowed = {
      {"status", kReaders},
      {"areas_list", kReaders},
      {"events_list", kReaders},
      {"sites_list", kReaders},
      {"observations_list", kReaders},
      {"threat_panel", kReaders},
      {"threat_index", kReaders},
      {"threat_hotspots", kReaders},
      {"forecast_run", kReaders},
      {"forecast_backtest", kReaders},
      {"alerts", kReaders},
      {"benchmarks_versions", kBenchmarkReaders},
      {"benchmarks_import", {"planner"}},
      {"benchmarks_signoff", {"signatory:un", "signatory:government"}},
      {"benchmarks_assess", kBenchmarkReaders},
      {"benchmarks_assess_save", kReaders},
      {"benchmarks_disagreements", kBenchmarkReaders},
      {"benchmarks_project", kReaders},
      {"benchmarks_history", kBenchmarkReaders},
      {"benchmarks_saved_history", kBenchmarkReaders},
      {"audit_log", {"analyst", "planner", "admin"}},
      {"audit_verify", {"analyst", "planner", "admin"}},
      {"footprint_optimize", kReaders},
      {"footprint_gaps", kReaders},
      {"plan_run", kReaders},
      {"tasks_schedule", kReaders},
      {"simulate_run", kReaders},
      {"plan_compare", kReaders},
      {"plan_validate", kReaders},
      {"tasks_validate", kReaders},
      {"tasks_continuity", kReaders},
      {"benchmarks_ready_by", kReaders},
      {"simulate_backtest", kReaders},
      {"notices", kReaders},
      {"report_council", kReaders},
      {"consultations_list", kReaders},
      {"published_threat_map", kEveryone},
      {"published_readiness_map", kEveryone},
  };
  return kAllowed;
}

class Api : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& env = ServerEnv::get();
    auto r = env.client().Get("/api/status", env.auth("ana"));
    ASSERT_TRUE(r);
    const auto st = Json::parse(r->body);
    last_ = Month::parse(st["last_event"].get<std::string>().substr(0, 7))->str();
    next_ = Month::parse(last_)->plus(1).str();
    ready_month_ = Month::parse(last_)->plus(18).str();
    inputs_ = env.demo_dir / "inputs";
    framework_ = read_file(inputs_ / "framework.yaml");
    plan_ = read_file(inputs_ / "plan_end_state.yaml");
    plan_date_ = read_file(inputs_ / "plan_end_date.yaml");
    localities_ = read_file(inputs_ / "localities.csv");
    register_ = read_file(inputs_ / "tasks.yaml");
  }
  ServerEnv& env() { return ServerEnv::get(); }

  /// A request for `route` that is valid for an allowed role: path, query or body.
  struct Call {
    std::string path;
    std::string body;
    std::string content_type = "application/json";
  };
  Call valid_call(const server::RouteInfo& r) {
    Call c{r.path, ""};
    const std::string& op = r.operation;
    if (op == "alerts") c.path += "?month=" + next_;
    if (op == "benchmarks_history" || op == "benchmarks_saved_history") c.path += "?area=kalemba";
    if (op == "events_list") c.path += "?limit=5";
    if (op == "threat_hotspots") c.body = R"({"replications": 9})";
    if (op == "forecast_run") c.body = R"({"samples": 10, "horizon": 2})";
    if (op == "forecast_backtest") c.body = R"({"samples": 10, "horizon": 1, "models": "zero,last"})";
    if (op == "benchmarks_project") c.body = R"({"samples": 10, "horizon": 3})";
    if (op == "footprint_optimize") c.body = R"({"time_limit": 5, "solver": "heuristic"})";
    if (op == "plan_run") {
      c.body = plan_body({{"solver", "heuristic"}, {"projection_samples", 10}, {"time_limit", 5}}).dump();
    }
    if (op == "tasks_schedule") c.body = Json({{"register", register_}, {"projection_samples", 10}}).dump();
    if (op == "simulate_run") c.body = Json({{"plans", Json::array({plan_})}, {"paths", 4}, {"horizon", 3}}).dump();
    if (op == "plan_compare") {
      c.body = Json({{"plan_a", plan_},
                     {"plan_b", plan_date_},
                     {"localities", localities_},
                     {"solver", "heuristic"},
                     {"projection_samples", 10},
                     {"time_limit", 5}})
                   .dump();
    }
    if (op == "plan_validate") c.body = plan_body().dump();
    if (op == "tasks_validate") c.body = Json({{"register", register_}}).dump();
    if (op == "tasks_continuity") c.body = Json({{"register", register_}, {"projection_samples", 10}}).dump();
    if (op == "benchmarks_ready_by") c.body = Json({{"month", ready_month_}, {"paths", 4}}).dump();
    if (op == "simulate_backtest") c.body = R"({"paths": 4, "horizon": 2})";
    if (op == "notices") c.body = Json({{"close", {"Adonya"}}, {"localities", localities_}}).dump();
    if (op == "report_council") c.body = R"({"replications": 9, "projection_samples": 10})";
    if (op == "benchmarks_import") {
      c.body = framework_;
      c.content_type = "application/yaml";
    }
    return c;
  }
  httplib::Result call(const server::RouteInfo& r, const Call& c, const httplib::Headers& h) {
    auto cl = env().client();
    if (r.method == "GET") return cl.Get(c.path, h);
    if (r.method == "DELETE") return cl.Delete(c.path, h);
    return cl.Post(c.path, h, c.body, c.content_type);
  }
  static Json problem(const httplib::Result& r) {
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
    return Json::parse(r->body);
  }
  Json wait_job(const std::string& user, std::int64_t id) {
    auto cl = env().client();
    for (int i = 0; i < 600; ++i) {
      auto r = cl.Get("/api/jobs/" + std::to_string(id), env().auth(user));
      if (!r || r->status != 200) {
        ADD_FAILURE() << "job " << id << ": " << (r ? std::to_string(r->status) + " " + r->body : "no answer");
        return {};
      }
      const auto j = Json::parse(r->body);
      const std::string st = j.value("state", "");
      if (st != "queued" && st != "running") return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return {};
  }

  /// The CLI on the same database, run in the folder of the demo's input files (plans name them relatively).
  [[nodiscard]] std::pair<int, std::string> cli_in_inputs(const std::string& args) const {
    return run_shell("cd " + shell_quote(inputs_.string()) + " && " + shell_quote(endstate_binary()) + " --db " +
                     shell_quote(ServerEnv::get().db) + " " + args);
  }
  /// The end-state plan of the demo, its localities and `extra` members, as a request body.
  static Json plan_body(Json extra = Json::object()) {
    Json b = {{"plan", plan_}, {"file_name", "plan_end_state.yaml"}, {"localities", localities_}};
    b.update(extra);
    return b;
  }
  /// The document a job wrote, once it is done.
  std::string job_result(const std::string& user, const std::string& path, const Json& body) {
    auto cl = env().client();
    auto r = cl.Post(path, env().auth(user), body.dump(), "application/json");
    if (!r || r->status != 202) {
      ADD_FAILURE() << path << ": " << (r ? std::to_string(r->status) + " " + r->body : "no answer");
      return {};
    }
    const auto job = wait_job(user, Json::parse(r->body)["id"]);
    if (job.value("state", "") != "done") {
      ADD_FAILURE() << path << ": " << job.dump();
      return {};
    }
    return cl.Get(job["result"].get<std::string>(), env().auth(user))->body;
  }
  /// A document without its timings ("seconds" members at any depth), the only part that differs between runs.
  static Json without_timings(Json j) {
    if (j.is_object()) {
      j.erase("seconds");
      for (auto& [k, v] : j.items()) v = without_timings(v);
    } else if (j.is_array()) {
      for (auto& v : j) v = without_timings(v);
    }
    return j;
  }

  static inline std::string last_, next_, ready_month_, framework_, plan_, plan_date_, localities_, register_;
  static inline std::filesystem::path inputs_;
};

TEST_F(Api, EveryEngineRouteAnswersEveryRoleAsDeclared) {
  const auto& allowed = allowed_roles();
  std::size_t checked = 0;
  for (const auto& route : server::Server::routes()) {
    if (route.path.find('{') != std::string::npos || route.needs == server::Capability::kNone) continue;
    if (route.operation == "logout") continue;  // would end the session the other tests use
    const auto it = allowed.find(route.operation);
    if (route.formats.empty()) continue;  // the server's own routes are tested below
    ASSERT_NE(it, allowed.end()) << route.operation << " has no expectation in this test";
    const Call c = valid_call(route);
    for (const auto& [user, role] : test_users()) {
      auto r = call(route, c, env().auth(user));
      ASSERT_TRUE(r) << route.operation;
      if (it->second.count(role)) {
        EXPECT_LT(r->status, 300) << route.method << " " << c.path << " as " << role << ": " << r->body;
        if (route.job) EXPECT_EQ(r->status, 202) << route.operation;
      } else {
        EXPECT_EQ(r->status, 403) << route.method << " " << c.path << " as " << role;
        EXPECT_NE(problem(r)["detail"].get<std::string>().find(role), std::string::npos);
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, allowed.size());
}

TEST_F(Api, EveryRouteRefusesMissingAndBadTokens) {
  for (const auto& route : server::Server::routes()) {
    if (route.needs == server::Capability::kNone) continue;
    std::string path = route.path;
    for (const char* p : {"{id}", "{name}"}) {
      if (const auto i = path.find(p); i != std::string::npos) path.replace(i, std::string(p).size(), "1");
    }
    const server::RouteInfo probe{route.method, path, route.operation, route.needs, route.job, {}, {}};
    const Call c{path, "{}"};
    for (const httplib::Headers& h :
         {httplib::Headers{}, httplib::Headers{{"Authorization", "Bearer es_not-a-token-at-all-xxxxxxxxxxxx"}},
          httplib::Headers{{"Authorization", "Basic YW5hOnBhc3N3b3Jk"}},
          httplib::Headers{{"Authorization", "Bearer"}}}) {
      auto r = call(probe, c, h);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 401) << route.method << " " << path;
      EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer realm=\"endstate\"");
      EXPECT_EQ(problem(r)["type"], "urn:endstate:problem:unauthorized");
    }
  }
}

TEST_F(Api, DocumentsEqualTheCli) {
  auto cl = env().client();
  const auto& h = env().auth("ana");
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"/api/threat/index?format=json", "threat index --format json"},
      {"/api/threat/index?format=geojson&month=" + last_, "threat index --format geojson --month " + last_},
      {"/api/threat/panel?format=csv", "threat panel --format csv"},
      {"/api/alerts?format=json&month=" + next_, "alerts --format json --month " + next_},
      {"/api/alerts?format=geojson&month=" + next_ + "&response_hours=2",
       "alerts --format geojson --response-hours 2 --month " + next_},
      {"/api/benchmarks/assessment?format=json", "benchmarks assess --no-save --format json"},
      {"/api/benchmarks/assessment?format=geojson", "benchmarks assess --no-save --format geojson"},
      {"/api/benchmarks/disagreements?format=json", "benchmarks disagreements --format json"},
      {"/api/areas?level=province&format=geojson", "areas list --level province --format geojson"},
      {"/api/sites?month=" + last_ + "&format=geojson", "sites list --month " + last_ + " --format geojson"},
      {"/api/benchmarks/history?area=kalemba&format=json", "benchmarks history --area kalemba --format json"},
  };
  for (const auto& [path, args] : pairs) {
    auto r = cl.Get(path, h);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << path << ": " << r->body;
    const auto [rc, out] = env().cli(args);
    ASSERT_EQ(rc, 0) << args;
    EXPECT_EQ(r->body, out) << path << " differs from endstate " << args;
  }
  // The published maps are the analyst's defaults.
  auto pub = cl.Get("/api/published/threat", env().auth("pub"));
  EXPECT_EQ(pub->body, env().cli("threat index --format geojson").second);
  EXPECT_EQ(pub->get_header_value("Content-Type"), "application/geo+json");
}

TEST_F(Api, PlanTasksAndPolicyComparisonEqualTheCli) {
  // The plan, the register and the localities are sent as texts; the documents name them as sent, like the CLI
  // run in their folder. Only the timings differ between two runs.
  const std::string plan_json = job_result(
      "ana", "/api/plan/run", plan_body({{"solver", "heuristic"}, {"projection_samples", 50}, {"format", "json"}}));
  auto [rc, out] =
      cli_in_inputs("plan run plan_end_state.yaml --solver heuristic --projection-samples 50 --format json");
  ASSERT_EQ(rc, 0);
  const auto api_plan = Json::parse(plan_json);
  EXPECT_EQ(api_plan["kind"], "plan");
  EXPECT_EQ(api_plan["plan"]["file"], "plan_end_state.yaml");
  EXPECT_EQ(without_timings(api_plan), without_timings(Json::parse(out)));

  const std::string provinces = job_result(
      "pat", "/api/plan/run",
      plan_body({{"solver", "heuristic"}, {"projection_samples", 50}, {"format", "geojson"}, {"layer", "provinces"}}));
  std::tie(rc, out) = cli_in_inputs(
      "plan run plan_end_state.yaml --solver heuristic --projection-samples 50 --format geojson --layer provinces");
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(provinces, out);

  const std::string tasks_json = job_result("ana", "/api/tasks/schedule",
                                            {{"register", register_},
                                             {"plan", plan_date_},
                                             {"plan_file_name", "plan_end_date.yaml"},
                                             {"localities", localities_},
                                             {"projection_samples", 20},
                                             {"format", "json"}});
  std::tie(rc, out) =
      cli_in_inputs("tasks schedule --register tasks.yaml --plan plan_end_date.yaml --samples 20 --format json");
  ASSERT_EQ(rc, 0);
  const auto api_tasks = Json::parse(tasks_json);
  EXPECT_EQ(api_tasks["kind"], "tasks");
  EXPECT_EQ(without_timings(api_tasks), without_timings(Json::parse(out)));

  const Json sim = {{"plans", {plan_, plan_date_}},
                    {"plan_names", {"plan_end_state.yaml", "plan_end_date.yaml"}},
                    {"paths", 40},
                    {"horizon", 24},
                    {"seed", 7}};
  const std::string sim_json = job_result("pat", "/api/simulate", sim);
  std::tie(rc, out) = cli_in_inputs(
      "simulate run --plans plan_end_state.yaml,plan_end_date.yaml --paths 40 --horizon 24 --seed 7 --format json");
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(sim_json, out);
  Json fan = sim;
  fan["format"] = "csv";
  fan["view"] = "fan";
  std::tie(rc, out) = cli_in_inputs(
      "simulate run --plans plan_end_state.yaml,plan_end_date.yaml --paths 40 --horizon 24 --seed 7 --format csv "
      "--view fan");
  EXPECT_EQ(job_result("ana", "/api/simulate", fan), out);
}

TEST_F(Api, EveryOtherCliAnalysisEqualsTheCli) {
  // plan compare and validate, tasks validate and continuity, ready-by, the simulation backtest, notices (from a
  // list of bases and from a plan, JSON, CSV and the HTML of --out), the Council report's HTML and the consultation
  // log: the API's document is the CLI's run in the folder of the files sent.
  auto cl = env().client();
  const auto& h = env().auth("ana");
  auto post = [&](const std::string& path, const Json& body) {
    auto r = cl.Post(path, h, body.dump(), "application/json");
    EXPECT_TRUE(r && r->status == 200) << path << ": " << (r ? r->body : "no answer");
    return r ? r->body : std::string();
  };
  auto cli = [&](const std::string& args) {
    auto [rc, out] = cli_in_inputs(args);
    EXPECT_EQ(rc, 0) << args;
    return out;
  };
  const Json compare = {{"plan_a", plan_},
                        {"plan_b", plan_date_},
                        {"file_name_a", "plan_end_state.yaml"},
                        {"file_name_b", "plan_end_date.yaml"},
                        {"localities", localities_},
                        {"solver", "heuristic"},
                        {"projection_samples", 20}};
  const auto api_compare = Json::parse(job_result("ana", "/api/plan/compare", compare));
  EXPECT_EQ(api_compare["kind"], "plan_compare");
  EXPECT_EQ(without_timings(api_compare),
            without_timings(Json::parse(cli("plan compare plan_end_state.yaml plan_end_date.yaml --solver heuristic "
                                            "--projection-samples 20 --format json"))));
  Json compare_csv = compare;
  compare_csv["format"] = "csv";
  compare_csv["table"] = "provinces";
  EXPECT_EQ(job_result("pat", "/api/plan/compare", compare_csv),
            cli("plan compare plan_end_state.yaml plan_end_date.yaml --solver heuristic --projection-samples 20 "
                "--format csv --table provinces"));

  EXPECT_EQ(post("/api/plan/validate", plan_body()), cli("plan validate plan_end_state.yaml --format json"));
  const Json reg = {{"register", register_}};
  EXPECT_EQ(post("/api/tasks/validate", reg), cli("tasks validate --register tasks.yaml --format json"));
  Json reg_csv = reg;
  reg_csv["format"] = "csv";
  reg_csv["view"] = "partners";
  EXPECT_EQ(post("/api/tasks/validate", reg_csv),
            cli("tasks validate --register tasks.yaml --format csv --table partners"));

  const Json continuity = {{"register", register_}, {"projection_samples", 20}};
  EXPECT_EQ(without_timings(Json::parse(job_result("ana", "/api/tasks/continuity", continuity))),
            without_timings(Json::parse(cli("tasks continuity --register tasks.yaml --samples 20 --format json"))));
  Json continuity_map = continuity;
  continuity_map["format"] = "geojson";
  EXPECT_EQ(job_result("ana", "/api/tasks/continuity", continuity_map),
            cli("tasks continuity --register tasks.yaml --samples 20 --format geojson"));

  const Json ready = {{"month", ready_month_}, {"paths", 20}, {"seed", 3}};
  EXPECT_EQ(job_result("ana", "/api/benchmarks/ready-by", ready),
            cli("benchmarks ready-by --month " + ready_month_ + " --paths 20 --seed 3 --format json"));
  Json ready_csv = ready;
  ready_csv["format"] = "csv";
  EXPECT_EQ(job_result("ana", "/api/benchmarks/ready-by", ready_csv),
            cli("benchmarks ready-by --month " + ready_month_ + " --paths 20 --seed 3 --format csv"));

  const Json backtest = {{"paths", 20}, {"horizon", 3}, {"step_months", 4}};
  EXPECT_EQ(job_result("ana", "/api/simulate/backtest", backtest),
            cli("simulate backtest --paths 20 --horizon 3 --step 4 --format json"));
  Json backtest_csv = backtest;
  backtest_csv["format"] = "csv";
  EXPECT_EQ(job_result("ana", "/api/simulate/backtest", backtest_csv),
            cli("simulate backtest --paths 20 --horizon 3 --step 4 --format csv"));

  const auto out = env().demo_dir / "notices-out";
  const Json notices = {{"close", {"Adonya"}}, {"localities", localities_}, {"tasks", register_}, {"mission", "UNMIC"}};
  const std::string api_notices = job_result("ana", "/api/notices", notices);
  EXPECT_EQ(Json::parse(api_notices)["kind"], "notices");
  EXPECT_EQ(api_notices, cli("notices --close Adonya --localities localities.csv --tasks tasks.yaml --mission UNMIC "
                             "--format json --out " +
                             shell_quote(out.string())));
  Json notices_html = notices;
  notices_html["format"] = "html";
  EXPECT_EQ(job_result("ana", "/api/notices", notices_html), read_file(out / "notices.html"));
  Json notices_csv = notices;
  notices_csv["format"] = "csv";
  EXPECT_EQ(job_result("ana", "/api/notices", notices_csv), read_file(out / "notices.csv"));
  const Json plan_notices = {
      {"plan", plan_date_}, {"plan_file_name", "plan_end_date.yaml"}, {"localities", localities_}};
  EXPECT_EQ(job_result("ana", "/api/notices", plan_notices),
            cli("notices --plan plan_end_date.yaml --localities localities.csv --format json"));

  const auto html = env().demo_dir / "council.html";
  cli("report council --replications 9 --samples 10 --mission UNMIC --out " + shell_quote(html.string()));
  const std::string council =
      job_result("pat", "/api/report/council", {{"replications", 9}, {"projection_samples", 10}, {"mission", "UNMIC"}});
  EXPECT_NE(council.find("<html"), std::string::npos);
  EXPECT_EQ(council, read_file(html));
  // with sections 4-6 and the gaps' localities from the files sent, as the CLI reads them
  const auto full = env().demo_dir / "council-full.html";
  cli("report council --replications 9 --samples 10 --plan plan_end_state.yaml --tasks tasks.yaml --comparison "
      "plan_end_state.yaml,plan_end_date.yaml --comparison-paths 20 --localities localities.csv --out " +
      shell_quote(full.string()));
  const std::string council_full = job_result("pat", "/api/report/council",
                                              {{"replications", 9},
                                               {"projection_samples", 10},
                                               {"plan", plan_},
                                               {"plan_file_name", "plan_end_state.yaml"},
                                               {"localities", localities_},
                                               {"tasks", register_},
                                               {"comparison", {plan_, plan_date_}},
                                               {"comparison_names", {"plan_end_state.yaml", "plan_end_date.yaml"}},
                                               {"comparison_paths", 20}});
  for (const char* section : {"4. Transition plan", "5. Tasks", "6. Policy comparison"}) {
    EXPECT_NE(council_full.find(section), std::string::npos) << section;
  }
  EXPECT_EQ(council_full.find("No transition plan was given"), std::string::npos);
  EXPECT_EQ(council_full, read_file(full));

  auto r = cl.Get("/api/consultations?format=csv", h);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, cli("consultations list --format csv"));
  EXPECT_EQ(cl.Get("/api/consultations", h)->body, cli("consultations list --format json"));
  // The HTML pages and their content type.
  r = cl.Post("/api/notices", h, notices_html.dump(), "application/json");
  const auto job = wait_job("ana", Json::parse(r->body)["id"]);
  EXPECT_EQ(job["content_type"], "text/html; charset=utf-8");
}

TEST_F(Api, PlanTasksAndSimulationBodiesAreRefusedNamingTheField) {
  auto cl = env().client();
  const auto& h = env().auth("pat");
  struct Case {
    std::string path;
    Json body;
    int status;
    std::string field;
  };
  std::string bad_plan = plan_;
  bad_plan.replace(bad_plan.find("horizon_months: 36"), 18, "horizon_months: -3");
  std::string outside = plan_;
  outside.replace(outside.find("localities: localities.csv"), 26, "localities: /etc/passwd");
  std::string bad_register = register_;
  bad_register.replace(bad_register.find("period_months: 6"), 16, "period_months: x");
  const std::vector<Case> cases = {
      {"/api/plan/run", Json::object(), 400, "plan"},
      {"/api/plan/run", {{"plan", ""}}, 400, "plan"},
      {"/api/plan/run", {{"plan", plan_}}, 400, "localities"},
      {"/api/plan/run", plan_body({{"candidates", "name,latitude,longitude\n"}}), 400, "candidates"},
      {"/api/plan/run", plan_body({{"plan", bad_plan}}), 422, "plan.horizon_months"},
      {"/api/plan/run", plan_body({{"plan", outside}}), 422, "plan.coverage.localities"},
      {"/api/plan/run", plan_body({{"file_name", "../plan.yaml"}}), 400, "file_name"},
      {"/api/plan/run", plan_body({{"table", "sites"}}), 400, "table"},
      {"/api/plan/run", plan_body({{"format", "csv"}, {"table", "everything"}}), 400, "table"},
      {"/api/plan/run", plan_body({{"projection_samples", 5}}), 400, "projection_samples"},
      {"/api/plan/run", plan_body({{"plan", Json::array({"a", "b"})}}), 400, "plan"},
      {"/api/tasks/schedule", {{"register", bad_register}}, 422, "register.period_months"},
      {"/api/tasks/schedule", {{"register", register_}, {"exits", Json::array({"Kalemba=soon"})}}, 400, "exits"},
      {"/api/tasks/schedule", {{"register", register_}, {"localities", localities_}}, 400, "localities"},
      {"/api/tasks/schedule", {{"register", register_}, {"plan", plan_}}, 400, "localities"},
      {"/api/tasks/schedule", {{"register", register_}, {"plan_file_name", "p.yaml"}}, 400, "plan_file_name"},
      {"/api/tasks/schedule", {{"register", register_}, {"view", "gantt"}}, 400, "view"},
      {"/api/simulate", Json::object(), 400, "plans"},
      {"/api/simulate", {{"plans", plan_}}, 400, "plans"},
      {"/api/simulate", {{"plans", {plan_, plan_date_}}, {"plan_names", Json::array({"a.yaml"})}}, 400, "plan_names"},
      {"/api/simulate", {{"plans", {plan_, plan_date_}}, {"plan_names", {"a.yaml", "a.yaml"}}}, 400, "plan_names"},
      {"/api/simulate", {{"plans", Json::array({bad_plan})}}, 422, "plan.horizon_months"},
      {"/api/simulate", {{"plans", Json::array({plan_})}, {"presence", "/etc/passwd"}}, 400, "presence"},
      {"/api/simulate", {{"plans", Json::array({plan_})}, {"format", "geojson"}}, 400, "format"},
      {"/api/plan/compare", {{"plan_a", plan_}, {"localities", localities_}}, 400, "plan_b"},
      {"/api/plan/compare", {{"plan_a", plan_}, {"plan_b", plan_date_}}, 400, "localities"},
      {"/api/plan/compare",
       {{"plan_a", plan_}, {"plan_b", bad_plan}, {"localities", localities_}},
       422,
       "plan.horizon_months"},
      {"/api/plan/compare",
       {{"plan_a", plan_}, {"plan_b", plan_date_}, {"localities", localities_}, {"file_name_b", "plan-a.yaml"}},
       400,
       "file_name_b"},
      {"/api/plan/compare",
       {{"plan_a", plan_}, {"plan_b", plan_date_}, {"localities", localities_}, {"table", "phases"}},
       400,
       "table"},
      {"/api/plan/compare",
       {{"plan_a", plan_}, {"plan_b", plan_date_}, {"localities", localities_}, {"format", "geojson"}},
       400,
       "format"},
      {"/api/plan/validate", plan_body({{"plan", outside}}), 422, "plan.coverage.localities"},
      {"/api/plan/validate", {{"plan", plan_}}, 400, "localities"},
      {"/api/plan/validate", plan_body({{"format", "csv"}}), 400, "format"},
      {"/api/tasks/validate", Json::object(), 400, "register"},
      {"/api/tasks/validate", {{"register", bad_register}}, 422, "register.period_months"},
      {"/api/tasks/validate", {{"register", register_}, {"view", "handovers"}}, 400, "view"},
      {"/api/tasks/validate", {{"register", register_}, {"plan", plan_}}, 400, "plan"},
      {"/api/tasks/continuity", {{"register", register_}, {"view", "risks"}}, 400, "view"},
      {"/api/tasks/continuity", {{"register", register_}, {"localities", localities_}}, 400, "localities"},
      {"/api/benchmarks/ready-by", Json::object(), 400, "month"},
      {"/api/benchmarks/ready-by", {{"month", "2030-13"}}, 400, "month"},
      {"/api/benchmarks/ready-by", {{"month", ready_month_}, {"horizon", 12}}, 400, "horizon"},
      {"/api/benchmarks/ready-by", {{"month", ready_month_}, {"paths", 0}}, 400, "paths"},
      {"/api/simulate/backtest", {{"paths", 1}}, 400, "paths"},
      {"/api/simulate/backtest", {{"step", 3}}, 400, "step"},
      {"/api/simulate/backtest", {{"model", "oracle"}}, 400, "model"},
      {"/api/notices", {{"close", {"Adonya"}}}, 400, "localities"},
      {"/api/notices", {{"localities", localities_}}, 400, "close"},
      {"/api/notices", {{"close", {"Adonya"}}, {"localities", localities_}, {"plan", plan_date_}}, 400, "close"},
      {"/api/notices", {{"close", {"Adonya"}}, {"localities", localities_}, {"candidates", "x"}}, 400, "candidates"},
      {"/api/notices",
       {{"close", {"Adonya"}}, {"localities", localities_}, {"response_hours", 0}},
       400,
       "response_hours"},
      {"/api/notices",
       {{"close", {"Adonya"}}, {"localities", localities_}, {"tasks", bad_register}},
       422,
       "register.period_months"},
      {"/api/notices", {{"close", {"Adonya"}}, {"localities", localities_}, {"format", "geojson"}}, 400, "format"},
      {"/api/report/council", {{"replications", 0}}, 400, "replications"},
      {"/api/report/council", {{"format", "json"}}, 400, "format"},
      {"/api/report/council", {{"plan", ""}}, 400, "plan"},
      {"/api/report/council", {{"plan", plan_}}, 400, "localities"},  // the plan names localities.csv
      {"/api/report/council", {{"tasks_file_name", "t.yaml"}}, 400, "tasks_file_name"},
      {"/api/report/council", {{"comparison_names", {"a.yaml"}}}, 400, "comparison_names"},
      {"/api/report/council",
       {{"comparison", {plan_, plan_date_}}, {"comparison_names", {"a.yaml", "a.yaml"}}},
       400,
       "comparison_names"},
      {"/api/report/council", {{"comparison_paths", 5}}, 400, "comparison_paths"},
  };
  for (const auto& c : cases) {
    auto r = cl.Post(c.path, h, c.body.dump(), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status) << c.path << " " << c.body.dump().substr(0, 200) << ": " << r->body;
    EXPECT_EQ(problem(r).value("field", ""), c.field) << c.path << ": " << r->body;
  }
  // A wrong plan names the file as sent, and its line.
  auto r = cl.Post("/api/plan/run", h, plan_body({{"plan", bad_plan}, {"file_name", "mine.yaml"}}).dump(),
                   "application/json");
  EXPECT_EQ(problem(r).value("file", ""), "mine.yaml");
  EXPECT_GT(problem(r).value("line", 0), 0);
  // A job keeps the files' sizes and digests among its parameters, not their texts.
  r = cl.Post("/api/plan/run", h, plan_body({{"solver", "heuristic"}, {"projection_samples", 10}}).dump(),
              "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  auto job = Json::parse(r->body);
  EXPECT_EQ(job["params"]["plan"], Json({{"bytes", plan_.size()}, {"sha256", sha256_hex(plan_)}}));
  EXPECT_EQ(job["params"]["localities"]["bytes"], localities_.size());
  EXPECT_EQ(job["params"]["file_name"], "plan_end_state.yaml");
  EXPECT_EQ(job["params"]["projection_samples"], 10);
  EXPECT_EQ(wait_job("pat", job["id"])["state"], "done");
  r = cl.Post("/api/simulate", h, Json({{"plans", {plan_, plan_date_}}, {"paths", 2}, {"horizon", 2}}).dump(),
              "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  job = Json::parse(r->body);
  EXPECT_EQ(job["params"]["plans"][1]["sha256"], sha256_hex(plan_date_));
  EXPECT_EQ(wait_job("pat", job["id"])["state"], "done");
  // Texts of files go in a JSON body, never in the query string.
  r = cl.Post("/api/plan/run?plan=x", h, "{}", "application/json");
  EXPECT_EQ(r->status, 400);
}

// The service's base_dir, which the routes above rely on: the folder that a request's relative paths start from,
// the files keeping their names as given.
TEST(ServiceBaseDir, RelativePathsStartAtTheRequestsFolder) {
  EXPECT_EQ(service::in_folder("/up/x", "plan.yaml"), "/up/x/plan.yaml");
  EXPECT_EQ(service::in_folder("/up/x", "/etc/plan.yaml"), "/etc/plan.yaml");
  EXPECT_EQ(service::in_folder("", "plan.yaml"), "plan.yaml");
  EXPECT_EQ(service::in_folder("/up/x", "-"), "-");
  EXPECT_EQ(service::in_folder("/up/x", ""), "");
  const auto inputs = ServerEnv::get().demo_dir / "inputs";
  service::Engine e(ServerEnv::get().db);
  service::TasksRequest t;
  t.file = "tasks.yaml";
  EXPECT_THROW((void)e.tasks_validate(t), Error);  // not in the current folder
  t.base_dir = inputs.string();
  EXPECT_EQ(e.tasks_validate(t).reg.file, "tasks.yaml");
  service::PlanRequest p;
  p.file = "plan_end_state.yaml";
  p.base_dir = inputs.string();
  p.solve.solver = footprint::SolverKind::kHeuristic;
  p.projection_samples = 10;
  const auto r = e.plan_run(p);
  EXPECT_EQ(r.spec.file, "plan_end_state.yaml");
  EXPECT_EQ(r.spec.localities_file, (inputs / "localities.csv").string());  // the file the plan names, from there
  EXPECT_EQ(r.model.demand.size(), 2000U);
  service::Engine reuse(ServerEnv::get().db);
  reuse.set_reuse_results(true);  // its key reads the plan file from base_dir too
  EXPECT_EQ(reuse.plan_run(p).spec.file, "plan_end_state.yaml");
  EXPECT_EQ(reuse.plan_run(p).solution.objective, r.solution.objective);
}

TEST_F(Api, ProblemsNameTheFieldAndMapTheCategory) {
  auto cl = env().client();
  const auto& h = env().auth("ana");
  struct Case {
    std::string path;
    int status;
    std::string field;
    int exit_code;
  };
  const std::vector<Case> cases = {
      {"/api/threat/index?lambda=7", 400, "lambda", 1},
      {"/api/threat/index?lambda=abc", 400, "lambda", 1},
      {"/api/threat/index?month=2024-13", 400, "month", 1},
      {"/api/threat/index?bogus=1", 400, "bogus", 1},
      {"/api/threat/index?format=xml", 400, "format", 1},
      {"/api/threat/index?level=province&level=territory", 400, "level", 1},
      {"/api/threat/index?level=nowhere", 404, "", 3},
      {"/api/threat/index?from=2024-06&to=2020-01", 400, "to", 1},
      {"/api/alerts", 400, "month", 1},
      {"/api/alerts?month=" + next_ + "&red_p25=2", 400, "red_p25", 1},
      {"/api/benchmarks/history?area=atlantis", 404, "", 3},
      {"/api/benchmarks/assessment?version=99", 404, "", 3},
      {"/api/events?type=meteor", 400, "type", 1},
  };
  for (const auto& c : cases) {
    auto r = cl.Get(c.path, h);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status) << c.path << ": " << r->body;
    const auto p = problem(r);
    EXPECT_EQ(p["status"], c.status);
    EXPECT_EQ(p["instance"], c.path.substr(0, c.path.find('?')));
    EXPECT_FALSE(p["detail"].get<std::string>().empty());
    if (!c.field.empty()) EXPECT_EQ(p.value("field", ""), c.field) << c.path;
    EXPECT_EQ(p["exit_code"], c.exit_code) << c.path;
  }
  auto r = cl.Get("/api/nothing-here", h);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(problem(r)["type"], "urn:endstate:problem:not-found");
  r = cl.Delete("/api/threat/index", h);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "GET");
  r = cl.Put("/api/login", "{}", "application/json");
  EXPECT_EQ(r->status, 405);
}

TEST_F(Api, BadBodiesAreRefusedNamingTheField) {
  auto cl = env().client();
  const auto& h = env().auth("ana");
  struct Case {
    std::string body;
    std::string type;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"{not json", "application/json", 422, "body"},
      {"[1, 2]", "application/json", 422, "body"},
      {"\"text\"", "application/json", 422, "body"},
      {R"({"replications": "many"})", "application/json", 400, "replications"},
      {R"({"replications": 1e9})", "application/json", 400, "replications"},
      {R"({"replications": 9.5})", "application/json", 400, "replications"},
      {R"({"mode": "sideways"})", "application/json", 400, "mode"},
      {R"({"frobnicate": true})", "application/json", 400, "frobnicate"},
      {R"({"level": {"a": 1}})", "application/json", 400, "level"},
      {R"({"level": ["a"]})", "application/json", 400, "level"},
      {R"({"level": "a\u0000b"})", "application/json", 400, "level"},
      {R"({"replications": 9})", "text/plain", 415, "body"},
  };
  for (const auto& c : cases) {
    auto r = cl.Post("/api/threat/hotspots", h, c.body, c.type);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status) << c.body << ": " << r->body;
    EXPECT_EQ(problem(r).value("field", ""), c.field) << c.body;
  }
  // Parameters of a JSON route do not go in the query string; GET routes take no body.
  auto r = cl.Post("/api/threat/hotspots?replications=9", h, "{}", "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(problem(r)["field"], "replications");
  // A framework that is not valid: 422 naming the file's line and field; nothing stored.
  const auto before = cl.Get("/api/benchmarks/versions", h)->body;
  r = cl.Post("/api/benchmarks/frameworks?file_name=broken.yaml", env().auth("pat"),
              "framework:\n  id: x\n  area_level: 7\n  indicators: nope\n", "application/yaml");
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_NE(problem(r).value("file", "").find("broken.yaml"), std::string::npos);
  EXPECT_EQ(cl.Get("/api/benchmarks/versions", h)->body, before);
  r = cl.Post("/api/benchmarks/frameworks?file_name=../../etc/passwd", env().auth("pat"), framework_,
              "application/yaml");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(problem(r)["field"], "file_name");
}

TEST_F(Api, OversizedRequestsAreRefused) {
  auto cl = env().client();
  const std::string big(env().config.max_body_bytes + 1, 'x');
  auto r = cl.Post("/api/benchmarks/frameworks", env().auth("pat"), big, "application/yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(problem(r)["field"], "body");
  r = cl.Post("/api/login", std::string(env().config.max_body_bytes + 10, ' '), "application/json");
  EXPECT_EQ(r->status, 413);
  // An over-long request line.
  r = cl.Get("/api/threat/index?level=" + std::string(10000, 'a'), env().auth("ana"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 414);
}

TEST_F(Api, JobsRunReportProgressAndKeepTheirResults) {
  auto cl = env().client();
  const auto& h = env().auth("pat");
  auto r = cl.Post("/api/threat/hotspots", h, R"({"replications": 99, "format": "json"})", "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  auto job = Json::parse(r->body);
  EXPECT_EQ(r->get_header_value("Location"), "/api/jobs/" + std::to_string(job["id"].get<int>()));
  EXPECT_EQ(job["operation"], "threat_hotspots");
  EXPECT_EQ(job["user"], "pat");
  EXPECT_EQ(job["params"]["replications"], 99);
  job = wait_job("pat", job["id"]);
  ASSERT_EQ(job["state"], "done") << job.dump();
  auto res = cl.Get(job["result"].get<std::string>(), h);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->body, env().cli("threat hotspots --replications 99 --format json").second);
  // Another analyst sees the stored job and its result.
  EXPECT_EQ(cl.Get(job["result"].get<std::string>(), env().auth("ana"))->body, res->body);

  // A backtest reports its stages; the finished job keeps the last one.
  r = cl.Post("/api/forecast/backtest", h, R"({"samples": 20, "horizon": 1, "models": ["zero", "last"]})",
              "application/json");
  ASSERT_EQ(r->status, 202);
  job = wait_job("pat", Json::parse(r->body)["id"]);
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_NE(job["progress"]["stage"].get<std::string>().find("backtest"), std::string::npos);
  EXPECT_GT(job["progress"]["total"].get<int>(), 0);
  EXPECT_EQ(job["progress"]["done"], job["progress"]["total"]);

  // A failing job keeps its problem document.
  r = cl.Post("/api/forecast", h, R"({"level": "nowhere"})", "application/json");
  job = wait_job("pat", Json::parse(r->body)["id"]);
  EXPECT_EQ(job["state"], "failed");
  EXPECT_EQ(job["problem"]["status"], 404);
  auto res2 = cl.Get("/api/jobs/" + std::to_string(job["id"].get<int>()) + "/result", h);
  EXPECT_EQ(res2->status, 409);

  auto list = Json::parse(cl.Get("/api/jobs?operation=threat_hotspots&state=done&limit=1", h)->body);
  ASSERT_EQ(list["jobs"].size(), 1u);
  EXPECT_EQ(list["jobs"][0]["operation"], "threat_hotspots");
  EXPECT_EQ(cl.Get("/api/jobs/999999", h)->status, 404);
  EXPECT_EQ(cl.Get("/api/jobs/abc", h)->status, 400);
}

TEST_F(Api, JobsCanBeCancelledByTheirOwnerOnly) {
  auto cl = env().client();
  const auto& h = env().auth("ana");
  // A projection checks for cancellation between areas; one worker: the second job waits in the queue.
  auto a = Json::parse(
      cl.Post("/api/benchmarks/projections", h, R"({"samples": 100000, "horizon": 240})", "application/json")->body);
  auto b = Json::parse(cl.Post("/api/threat/hotspots", h, R"({"replications": 999})", "application/json")->body);
  const std::string b_url = "/api/jobs/" + std::to_string(b["id"].get<int>());
  const std::string a_url = "/api/jobs/" + std::to_string(a["id"].get<int>());
  EXPECT_EQ(cl.Delete(b_url, env().auth("pat"))->status, 403);
  auto r = cl.Delete(b_url, h);
  EXPECT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(wait_job("ana", b["id"])["state"], "cancelled");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  r = cl.Delete(a_url, h);
  EXPECT_EQ(r->status, 202) << r->body;
  const auto done = wait_job("ana", a["id"]);
  EXPECT_EQ(done["state"], "cancelled") << done.dump();
  EXPECT_EQ(done["problem"]["status"], 409);
  EXPECT_EQ(cl.Delete(a_url, h)->status, 409);
}

TEST_F(Api, SignatoriesSignForTheirOwnStakeholderOnlyAndTheAuditNamesThem) {
  auto cl = env().client();
  auto r =
      cl.Post("/api/benchmarks/signoffs", env().auth("sig_un"), R"({"stakeholder": "government"})", "application/json");
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(problem(r)["field"], "stakeholder");
  r = cl.Post("/api/benchmarks/signoffs", env().auth("sig_un"), R"({"by": "someone else"})", "application/json");
  EXPECT_EQ(r->status, 400);
  r = cl.Post("/api/benchmarks/signoffs", env().auth("sig_un"), R"({"stakeholder": "un", "date": "2024-07-01"})",
              "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const auto doc = Json::parse(r->body);
  EXPECT_EQ(doc["kind"], "signoff");
  const auto log = Json::parse(env().cli("audit log --format json").second);
  const auto& last = log["entries"].back();
  EXPECT_EQ(last["kind"], "signoff");
  const auto payload = last["payload"];
  EXPECT_EQ(payload["user"], "sig_un");
  EXPECT_EQ(payload["by"], "sig_un");
  EXPECT_EQ(payload["stakeholder"], "un");
  EXPECT_EQ(Json::parse(cl.Get("/api/audit/verify", env().auth("ana"))->body)["intact"], true);
}

TEST_F(Api, EveryWriteIsAuditedWithItsUser) {
  auto cl = env().client();
  auto r = cl.Post("/api/benchmarks/assessments", env().auth("ana"), "{}", "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_FALSE(Json::parse(r->body)["assessment_id"].is_null());
  auto entries = Json::parse(cl.Get("/api/audit/log?format=json", env().auth("adm"))->body)["entries"];
  EXPECT_EQ(entries.back()["kind"], "assessment");
  EXPECT_EQ(entries.back()["payload"]["user"], "ana");

  std::string changed = framework_;
  changed.replace(changed.find("name: UNMIC transition benchmarks"), 33, "name: UNMIC transition benchmarks v2");
  r = cl.Post("/api/benchmarks/frameworks?file_name=framework-v2.yaml", env().auth("pat"), changed, "application/yaml");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(Json::parse(r->body)["new"], true);
  entries = Json::parse(cl.Get("/api/audit/log?format=json", env().auth("adm"))->body)["entries"];
  EXPECT_EQ(entries.back()["kind"], "framework_import");
  const auto p = entries.back()["payload"];
  EXPECT_EQ(p["user"], "pat");
  EXPECT_NE(p["file"].get<std::string>().find("framework-v2.yaml"), std::string::npos);

  r = cl.Post("/api/users", env().auth("adm"), R"({"name": "eve", "role": "analyst", "password": "eve-password-1"})",
              "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  entries = Json::parse(cl.Get("/api/audit/log?format=json", env().auth("adm"))->body)["entries"];
  EXPECT_EQ(entries.back()["kind"], "user_add");
  EXPECT_EQ(entries.back()["payload"]["user"], "adm");
  EXPECT_EQ(Json::parse(cl.Get("/api/audit/verify", env().auth("adm"))->body)["intact"], true);
}

TEST_F(Api, AdministratorsManageUsersAndRevocationIsImmediate) {
  auto cl = env().client();
  const auto& adm = env().auth("adm");
  auto r = cl.Post("/api/users", adm,
                   R"({"name": "tmp.user", "role": "signatory:humanitarian", "password": "tmp-password-1"})",
                   "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(cl.Post("/api/users", adm, R"({"name": "tmp.user", "role": "analyst", "password": "tmp-password-1"})",
                    "application/json")
                ->status,
            422);
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"name": "x y", "role": "analyst", "password": "long-enough-pw"})", "name"},
           {R"({"name": "xy", "role": "wizard", "password": "long-enough-pw"})", "role"},
           {R"({"name": "xy", "role": "signatory:", "password": "long-enough-pw"})", "role"},
           {R"({"name": "xy", "role": "analyst", "password": "short"})", "password"},
           {R"({"name": "xy", "role": "analyst"})", "password"}}) {
    r = cl.Post("/api/users", adm, body, "application/json");
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_EQ(problem(r)["field"], field) << body;
  }
  auto login = cl.Post("/api/login", R"({"name": "tmp.user", "password": "tmp-password-1"})", "application/json");
  ASSERT_EQ(login->status, 200);
  const auto tok = Json::parse(login->body)["token"].get<std::string>();
  const httplib::Headers th{{"Authorization", "Bearer " + tok}};
  const auto me = Json::parse(cl.Get("/api/me", th)->body);
  EXPECT_EQ(me["role"], "signatory:humanitarian");
  EXPECT_EQ(me["stakeholder"], "humanitarian");
  EXPECT_EQ(cl.Get("/api/users", env().auth("ana"))->status, 403);
  const auto users = Json::parse(cl.Get("/api/users", adm)->body);
  EXPECT_EQ(users["kind"], "users");
  r = cl.Delete("/api/users/tmp.user", adm);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_FALSE(Json::parse(r->body)["revoked_at"].is_null());
  EXPECT_EQ(cl.Get("/api/me", th)->status, 401);
  EXPECT_EQ(cl.Post("/api/login", R"({"name": "tmp.user", "password": "tmp-password-1"})", "application/json")->status,
            401);
  EXPECT_EQ(cl.Delete("/api/users/tmp.user", adm)->status, 404);
  // The token is opaque and only its hash is stored.
  const auto dump = env().sql("SELECT token_hash FROM user_tokens");
  EXPECT_EQ(dump.find(tok), std::string::npos);
  EXPECT_NE(dump.find(sha256_hex(tok)), std::string::npos);
}

TEST_F(Api, LogoutEndsTheToken) {
  auto cl = env().client();
  auto login = cl.Post("/api/login", R"({"name": "ana", "password": "ana-password-1"})", "application/json");
  const httplib::Headers th{{"Authorization", "Bearer " + Json::parse(login->body)["token"].get<std::string>()}};
  EXPECT_EQ(cl.Get("/api/me", th)->status, 200);
  EXPECT_EQ(cl.Post("/api/logout", th, "", "application/json")->status, 204);
  EXPECT_EQ(cl.Get("/api/me", th)->status, 401);
  EXPECT_EQ(cl.Get("/api/me", env().auth("ana"))->status, 200);
}

TEST_F(Api, FailedLoginsAreThrottled) {
  auto cl = env().client();
  for (int i = 0; i < env().config.login_failures; ++i) {
    auto r = cl.Post("/api/login", R"({"name": "sig_gov", "password": "wrong-password"})", "application/json");
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(problem(r)["detail"], "wrong name or password");
  }
  auto r = cl.Post("/api/login", R"({"name": "sig_gov", "password": "sig_gov-password-1"})", "application/json");
  EXPECT_EQ(r->status, 429);
  EXPECT_GT(std::stoi(r->get_header_value("Retry-After")), 0);
  // An unknown name answers like a wrong password.
  r = cl.Post("/api/login", R"({"name": "nobody", "password": "whatever-it-is"})", "application/json");
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(problem(r)["detail"], "wrong name or password");
  r = cl.Post("/api/login", R"({"name": "ana"})", "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(problem(r)["field"], "password");
}

TEST_F(Api, RenderedDocumentsAreCachedUntilTheStoreChanges) {
  auto cl = env().client();
  const std::string path = "/api/benchmarks/disagreements?format=csv";
  auto a = cl.Get(path, env().auth("ana"));
  auto b = cl.Get(path, env().auth("pat"));
  EXPECT_EQ(b->get_header_value("X-Endstate-Cache"), "hit");
  EXPECT_EQ(a->body, b->body);
  ASSERT_EQ(cl.Post("/api/benchmarks/assessments", env().auth("ana"), "{}", "application/json")->status, 201);
  auto c = cl.Get(path, env().auth("ana"));
  EXPECT_EQ(c->get_header_value("X-Endstate-Cache"), "miss");
  EXPECT_EQ(c->body, a->body);
}

// Planners publish finished notices and Council report jobs; the public role
// reads what was last published, byte for byte; analysts cannot publish; the
// audit log names who published what.
TEST_F(Api, PlannersPublishNoticesAndTheReportForThePublic) {
  auto cl = env().client();
  const auto& pub = env().auth("pub");
  EXPECT_EQ(cl.Get("/api/published/report", pub)->status, 404);
  EXPECT_EQ(cl.Get("/api/published/notices", pub)->status, 404);
  auto run_job = [&](const std::string& user, const std::string& path, const Json& body) {
    auto r = cl.Post(path, env().auth(user), body.dump(), "application/json");
    EXPECT_EQ(r->status, 202) << r->body;
    const auto job = wait_job(user, Json::parse(r->body)["id"]);
    EXPECT_EQ(job["state"], "done") << job.dump();
    return job["id"].get<std::int64_t>();
  };
  const auto report = run_job("ana", "/api/report/council", {{"replications", 9}, {"projection_samples", 10}});
  const std::string html = cl.Get("/api/jobs/" + std::to_string(report) + "/result", env().auth("ana"))->body;
  const auto publish = [&](const std::string& user, std::int64_t id) {
    return cl.Post("/api/jobs/" + std::to_string(id) + "/publish", env().auth(user), "{}", "application/json");
  };
  EXPECT_EQ(publish("ana", report)->status, 403);  // analysts run, planners publish
  EXPECT_EQ(publish("pub", report)->status, 403);
  EXPECT_EQ(publish("pat", 999999)->status, 404);
  const auto index = run_job("ana", "/api/threat/hotspots", {{"replications", 99}});
  auto r = publish("pat", index);
  EXPECT_EQ(r->status, 400) << r->body;  // not a notices or report job
  EXPECT_EQ(Json::parse(r->body)["field"], "id");
  EXPECT_EQ(cl.Get("/api/published/report", pub)->status, 404);
  r = publish("pat", report);
  ASSERT_EQ(r->status, 201) << r->body;
  auto got = cl.Get("/api/published/report", pub);
  ASSERT_EQ(got->status, 200) << got->body;
  EXPECT_EQ(got->body, html);
  EXPECT_EQ(got->get_header_value("Content-Type"), "text/html; charset=utf-8");
  // notices: the HTML a planner made, published as it is
  const auto notices =
      run_job("pat", "/api/notices", {{"close", {"Adonya"}}, {"localities", localities_}, {"format", "html"}});
  const std::string notices_html = cl.Get("/api/jobs/" + std::to_string(notices) + "/result", env().auth("pat"))->body;
  ASSERT_EQ(publish("pat", notices)->status, 201);
  got = cl.Get("/api/published/notices", pub);
  ASSERT_EQ(got->status, 200) << got->body;
  EXPECT_EQ(got->body, notices_html);
  // the audit log names who published which job
  const auto log = Json::parse(env().cli("audit log --format json").second);
  int published = 0;
  for (const auto& e : log["entries"]) {
    if (e["kind"] != "publish") continue;
    ++published;
    EXPECT_EQ(e["payload"]["user"], "pat");
  }
  EXPECT_EQ(published, 2);
}

// A long-lived server sees at once what another process committed (on
// PostgreSQL each request starts a fresh read snapshot): the CLI imports an
// observation while the server runs, and the next request counts it.
TEST_F(Api, EachRequestSeesWhatAnotherProcessCommitted) {
  auto cl = env().client();
  auto count = [&] {
    const auto r = cl.Get("/api/status", env().auth("ana"));
    EXPECT_EQ(r->status, 200) << r->body;
    return Json::parse(r->body)["counts"]["observations"].get<std::int64_t>();
  };
  const auto before = count();
  EXPECT_EQ(count(), before);  // the same snapshot-free answer, twice
  const auto file = env().dir / "one_observation.csv";
  {
    std::ofstream out(file);
    out << "indicator,area,month,value,source\nstate_authority_presence,Kalemba,2025-06,50,test\n";
  }
  const auto [rc, out] = env().cli("observations import " + shell_quote(file.string()));
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(count(), before + 1);
}

TEST_F(Api, IdenticalColdRequestsAreComputedOnceAndShareTheirBytes) {
  // Requests for a document not yet cached, all at once: one engine call (the first), the others wait for it.
  struct Answer {
    int status = 0;
    std::string body, cache;
  };
  constexpr int kN = 8;
  auto burst = [&](const std::string& path) {
    std::vector<Answer> out(kN);
    std::vector<std::thread> threads;
    for (int i = 0; i < kN; ++i) {
      threads.emplace_back([&, i] {
        auto r = env().client().Get(path, env().auth(i % 2 ? "ana" : "pat"));
        if (r) out[i] = {r->status, r->body, r->get_header_value("X-Endstate-Cache")};
      });
    }
    for (auto& t : threads) t.join();
    return out;
  };
  const std::string path = "/api/alerts?format=geojson&response_hours=1.75&month=" + next_;
  const auto before = env().srv->stats();
  auto res = burst(path);
  const auto after = env().srv->stats();
  EXPECT_EQ(after.computed - before.computed, 1);
  std::map<std::string, int> how;
  for (const auto& r : res) {
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, res[0].body);
    ++how[r.cache];
  }
  EXPECT_EQ(how["miss"], 1);
  EXPECT_EQ(how["shared"] + how["hit"], kN - 1);
  EXPECT_EQ(after.shared - before.shared, how["shared"]);
  EXPECT_EQ(res[0].body, env().cli("alerts --format geojson --response-hours 1.75 --month " + next_).second);

  // An error is shared with the requests waiting for it, never cached: the next request computes again.
  const std::string wrong = "/api/threat/index?level=nowhere&lambda=0.31";
  res = burst(wrong);
  for (const auto& r : res) {
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, res[0].body);
  }
  const auto computed = env().srv->stats().computed;
  EXPECT_EQ(env().client().Get(wrong, env().auth("ana"))->status, 404);
  EXPECT_EQ(env().srv->stats().computed, computed + 1);
}

TEST_F(Api, SilentClientsAreDroppedAfterTheReadTimeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(env().port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string partial = "GET /api/health HTTP/1.1\r\nHost: x\r\n";  // never finished
  ASSERT_EQ(::write(fd, partial.data(), partial.size()), static_cast<ssize_t>(partial.size()));
  const auto t0 = std::chrono::steady_clock::now();
  // The server gives up after the read timeout: it may answer 400, then it closes the connection.
  std::string got;
  char buf[256];
  ssize_t n = 0;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
  const auto waited = std::chrono::steady_clock::now() - t0;
  ::close(fd);
  EXPECT_EQ(n, 0) << "closed by the server";
  if (!got.empty()) EXPECT_EQ(got.rfind("HTTP/1.1 400 ", 0), 0U) << got;
  EXPECT_GE(waited, std::chrono::seconds(env().config.read_timeout_seconds) - std::chrono::milliseconds(200));
  // cpp-httplib keeps the connection for the keep-alive time after its 400, then closes it.
  EXPECT_LT(waited, std::chrono::seconds(env().config.read_timeout_seconds + env().config.keep_alive_seconds + 2));
}

TEST_F(Api, HealthAndDescriptionNeedNoLogin) {
  auto cl = env().client();
  auto r = cl.Get("/api/health");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(Json::parse(r->body)["status"], "ok");
  r = cl.Get("/api/schemas/alerts.schema.json");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body, read_file(source_dir() / "docs/schemas/alerts.schema.json"));
  EXPECT_EQ(cl.Get("/api/schemas/nothing.json")->status, 404);
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
}

}  // namespace
}  // namespace endstate::testing
