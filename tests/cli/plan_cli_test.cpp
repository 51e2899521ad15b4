// endstate plan run | compare | validate on the Carana demo database: exits
// under end-state checked month by month against `benchmarks assess`, end-date
// exits exactly on their dates, the mission HQ open in every phase, closures
// monotone, ceilings, closure limits and lead times in every phase, air
// mitigation only from bases with aviation, infeasible plans named, bad plan
// files refused with file:line:field and the database untouched.
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace endstate::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

/// "YYYY-MM" plus n months.
std::string plus_months(const std::string& m, int n) {
  int y = std::stoi(m.substr(0, 4)), mo = std::stoi(m.substr(5, 2)) - 1 + n;
  y += mo >= 0 ? mo / 12 : (mo - 11) / 12;
  mo = ((mo % 12) + 12) % 12;
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d", y, mo + 1);
  return b;
}

class PlanCli : public CliFixture {
 protected:
  static void SetUpTestSuite() {
    shared_ = shared_folder("PlanCli");
    ASSERT_EQ(make_shared_demo(shared_), "");
  }
  static void TearDownTestSuite() { fs::remove_all(shared_); }
  static std::string demo_db() { return (shared_ / "demo" / "endstate.db").string(); }
  static std::string input(const std::string& name) { return (shared_ / "demo" / "inputs" / name).string(); }

  RunResult on_demo(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", demo_db()});
    return run(args);
  }
  json plan_json(const std::string& file) const {
    const auto r = on_demo({"plan", "run", file, "--projection-samples", "50", "--format", "json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.code == 0 ? json::parse(r.out) : json();
  }
  /// The demo's plan file with some text replaced, written in the test folder (localities absolute).
  std::string variant(const std::string& source, const std::vector<std::pair<std::string, std::string>>& edits) const {
    std::string text = read_file(input(source));
    text = replace(text, "localities: localities.csv", "localities: " + input("localities.csv"));
    for (const auto& [a, b] : edits) text = replace(text, a, b);
    return write("plan.yaml", text);
  }

  static fs::path shared_;
};

fs::path PlanCli::shared_;

/// Checks what must hold in every phase of a plan found.
void expect_constraints_hold(const json& p, bool hq_locked = true) {
  ASSERT_TRUE(p["status"] == "optimal" || p["status"] == "feasible") << p["status"] << p["binding"];
  const auto& phases = p["phases"];
  std::map<std::string, int> exit_phase;  // province name -> phase (1-based)
  for (const auto& e : p["provinces"]) {
    if (!e["exit_phase"].is_null()) exit_phase[e["name"]] = e["exit_phase"];
  }
  for (std::size_t k = 0; k < phases.size(); ++k) {
    std::int64_t troops = 0, closed = 0;
    for (const auto& s : p["sites"]) {
      troops += s["troops"][k].is_null() ? 0 : s["troops"][k].get<std::int64_t>();
      const auto& st = s["status"][k];
      if (st == "closed") ++closed;
      // monotone: once closed, never open again (no reopen trigger in these plans)
      if (k > 0 && (st == "open" || st == "opened")) {
        for (std::size_t q = 0; q < k; ++q) {
          EXPECT_NE(s["status"][q], "closed") << s["name"] << " reopens in phase " << k + 1;
        }
      }
      if (st == "open" || st == "opened") {
        EXPECT_GE(s["troops"][k].get<std::int64_t>(), s["min_troops"].get<std::int64_t>()) << s["name"];
        // no base open in an exited province
        const auto it = exit_phase.find(s["province"]);
        if (it != exit_phase.end()) EXPECT_LT(static_cast<int>(k) + 1, it->second) << s["name"] << " in " << it->first;
      }
      if (hq_locked && s["hq"] == 3)
        EXPECT_TRUE(st == "open") << "the mission HQ " << s["name"] << " in phase " << k + 1;
      if (st == "opened") {
        // the opening lead time in the demo's plans is 6 months: never in the first phase
        EXPECT_GT(k, 0u) << s["name"];
      }
    }
    EXPECT_LE(troops, phases[k]["troop_ceiling"].get<std::int64_t>()) << "phase " << k + 1;
    EXPECT_EQ(troops, phases[k]["troops"].get<std::int64_t>());
    if (!phases[k]["max_closures"].is_null()) {
      EXPECT_LE(closed, phases[k]["max_closures"].get<std::int64_t>()) << "phase " << k + 1;
    }
  }
  // air mitigation only from a base with aviation
  std::map<std::string, bool> has_air;
  for (const auto& s : p["sites"]) has_air[s["id"]] = s["has_air"];
  for (const auto& c : p["closures"]) {
    for (const auto& l : c["localities"]) {
      if (l["mitigation"] == "air") {
        ASSERT_FALSE(l["air_site"].is_null());
        EXPECT_TRUE(has_air[l["air_site"]]) << l["air_site"] << " mitigates " << l["name"] << " by air";
      } else {
        EXPECT_TRUE(l["air_site"].is_null());
      }
    }
  }
}

TEST_F(PlanCli, EndStateExitsOnlyProvincesReadyInEveryAssessedMonthBefore) {
  // a plan over months with data (2021-2023), so every month before an exit has an assessment
  const auto file = variant("plan_end_state.yaml", {{"start: 2025-01", "start: 2021-01"},
                                                    {"max_closures_per_phase: 3", "max_closures_per_phase: 12"}});
  const json p = plan_json(file);
  expect_constraints_hold(p);
  std::set<std::string> stakeholders;
  for (const auto& s : p["plan"]["stakeholders"]) stakeholders.insert(s);
  ASSERT_EQ(stakeholders, (std::set<std::string>{"government", "un"}));
  const int sustain = p["plan"]["sustain_months"];
  std::map<std::string, json> assessed;  // month -> assess JSON
  auto assess = [&](const std::string& month) -> const json& {
    auto it = assessed.find(month);
    if (it == assessed.end()) {
      const auto r = on_demo({"benchmarks", "assess", "--month", month, "--no-save", "--format", "json"});
      EXPECT_EQ(r.code, 0) << r.err;
      it = assessed.emplace(month, json::parse(r.out)).first;
    }
    return it->second;
  };
  auto ready = [&](const std::string& area, const std::string& month) {
    for (const auto& a : assess(month)["areas"]) {
      if (a["id"] != area) continue;
      for (const auto& s : a["stakeholders"]) {
        if (stakeholders.count(s["id"]) && s["readiness"] != "ready") return false;
      }
      return true;
    }
    ADD_FAILURE() << "no area " << area << " in the assessment of " << month;
    return false;
  };
  int exits = 0;
  for (const auto& e : p["provinces"]) {
    if (e["exit_month"].is_null()) {
      EXPECT_NE(e["reason"], "ready");
      continue;
    }
    ++exits;
    EXPECT_EQ(e["reason"], "ready");
    EXPECT_EQ(e["ready_at_exit"], true);
    for (int k = 1; k <= sustain; ++k) {
      const std::string m = plus_months(e["exit_month"], -k);
      EXPECT_TRUE(ready(e["area_id"], m)) << e["name"] << " exits " << e["exit_month"] << " but is not ready in " << m;
    }
  }
  EXPECT_GE(exits, 1) << "the historical plan should exit at least the stabilising province";
  // and a province ready, sustained, at the start of a phase where no trigger fired exits by then
  for (const auto& e : p["provinces"]) {
    if (e["reason"] == "locked") continue;
    for (const auto& ph : p["phases"]) {
      const std::string from = ph["from"];
      bool all = true;
      for (int k = 1; k <= sustain && all; ++k) all = ready(e["area_id"], plus_months(from, -k));
      bool paused = false;
      for (const auto& x : e["paused"]) paused |= x.get<std::string>().substr(0, 7) == from;
      if (!all || paused) continue;
      ASSERT_FALSE(e["exit_month"].is_null()) << e["name"] << " ready and sustained before " << from;
      EXPECT_LE(e["exit_month"].get<std::string>(), from) << e["name"];
      break;
    }
  }
}

TEST_F(PlanCli, EndDateExitsExactlyOnTheDates) {
  const json p = plan_json(input("plan_end_date.yaml"));
  expect_constraints_hold(p);
  // the dates as written in the file
  const std::string text = read_file(input("plan_end_date.yaml"));
  std::map<std::string, std::string> dates;
  for (const auto& e : p["provinces"]) {
    const std::string key = "\"" + e["name"].get<std::string>() + "\": ";
    const auto at = text.find(key);
    if (at != std::string::npos) dates[e["name"]] = text.substr(at + key.size(), 7);
  }
  ASSERT_GE(dates.size(), 3u);
  for (const auto& e : p["provinces"]) {
    const auto it = dates.find(e["name"]);
    if (it == dates.end()) {
      EXPECT_TRUE(e["exit_month"].is_null()) << e["name"];
      continue;
    }
    EXPECT_EQ(e["exit_month"], it->second) << e["name"];
    EXPECT_EQ(e["reason"], "date");
  }
}

TEST_F(PlanCli, HeadquartersStaysUnlessUnlockedAndTheMatrixIsASiteByPhaseTable) {
  const json p = plan_json(input("plan_end_state.yaml"));
  expect_constraints_hold(p);
  std::string hq;
  for (const auto& s : p["sites"]) {
    if (s["hq"] == 3) hq = s["name"];
  }
  ASSERT_FALSE(hq.empty());
  // CSV: one row per base, one column per phase
  const auto csv = on_demo({"plan", "run", input("plan_end_state.yaml"), "--projection-samples", "50", "--format",
                            "csv", "--table", "sites"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(
      csv.out.substr(0, csv.out.find('\n')),
      "id,name,province,existing,hq,lock,has_air,open_from,open_to,2025-01,2025-07,2026-01,2026-07,2027-01,2027-07");
  // unlocked and forced out by a date: the HQ closes with its province
  std::string province;
  for (const auto& s : p["sites"]) {
    if (s["name"] == hq) province = s["province"];
  }
  const auto file =
      variant("plan_end_date.yaml", {{"    dates:  # a calendar fixed in advance, one province per phase\n",
                                      "    dates:  # a calendar fixed in advance, one province per phase\n"
                                      "      \"" +
                                          province + "\": 2027-07\n"},
                                     {"      hq_codes: [3]", "      hq_codes: []"}});
  const json u = plan_json(file);
  expect_constraints_hold(u, false);
  for (const auto& s : u["sites"]) {
    if (s["name"] == hq) EXPECT_EQ(s["status"][5], "closed");
  }
  // the same date with the HQ locked: infeasible, and the lock and the exit are named
  const auto locked =
      variant("plan_end_date.yaml", {{"    dates:  # a calendar fixed in advance, one province per phase\n",
                                      "    dates:  # a calendar fixed in advance, one province per phase\n"
                                      "      \"" +
                                          province + "\": 2027-07\n"}});
  const auto r = on_demo({"plan", "run", locked, "--projection-samples", "50", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json x = json::parse(r.out);
  EXPECT_EQ(x["status"], "infeasible");
  const std::string binding = x["binding"].dump();
  EXPECT_NE(binding.find("locked:"), std::string::npos) << binding;
  EXPECT_NE(binding.find("exit:" + province), std::string::npos) << binding;
  EXPECT_TRUE(x["totals"]["cost"].is_null());
}

TEST_F(PlanCli, ACeilingBelowTheLockedBasesIsInfeasibleAndSaysSo) {
  const auto file = variant("plan_end_state.yaml", {{"    troops: [", "    troops: [1000, "}});
  // one more phase value than phases: a usage problem of the file, named with its line
  auto r = on_demo({"plan", "run", file, "--projection-samples", "50"});
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.err.find("plan.yaml:10: field 'plan.ceilings.troops'"), std::string::npos) << r.err;
  // a ceiling the locked bases (mission HQ and sector HQs, 300 troops each) do not fit in
  const auto low = variant("plan_end_state.yaml", {{"    troops: [", "    troops: [900, 900, 900, 900, 900, 900] #"}});
  r = on_demo({"plan", "run", low, "--projection-samples", "50"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("infeasible"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("troop_ceiling@2025-01"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no plan: the constraints named above conflict"), std::string::npos) << r.out;
}

TEST_F(PlanCli, BadPlanFilesNameFileLineAndFieldAndLeaveTheDatabaseAlone) {
  const auto before = read_file(demo_db());
  const auto unknown = variant("plan_end_state.yaml", {{"    sustain_months: 6", "    sustain_month: 6"}});
  auto r = on_demo({"plan", "run", unknown});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("plan.yaml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("plan.policy.sustain_month"), std::string::npos) << r.err;
  const auto province = variant("plan_end_date.yaml", {{"      \"Kalemba\":", "      \"Atlantis\":"}});
  r = on_demo({"plan", "validate", province});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("plan.policy.dates.Atlantis"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no province 'Atlantis'"), std::string::npos) << r.err;
  const auto off = variant("plan_end_date.yaml", {{"\"Kalemba\": 2025-07", "\"Kalemba\": 2025-08"}});
  r = on_demo({"plan", "run", off});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("not the first month of a phase"), std::string::npos) << r.err;
  r = on_demo({"plan", "run", path("missing.yaml")});
  EXPECT_EQ(r.code, 3) << r.err;
  r = on_demo({"plan", "run", input("plan_end_state.yaml"), "--solver", "fast"});
  EXPECT_EQ(r.code, 1) << r.err;
  // a plan names files relative to its folder: standard input is refused, by plan and notices alike
  for (const std::vector<std::string>& args : {std::vector<std::string>{"plan", "run", "-"},
                                               {"notices", "--plan", "-", "--localities", input("localities.csv")}}) {
    r = on_demo(args);
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find("give its path, not '-'"), std::string::npos) << r.err;
  }
  EXPECT_EQ(read_file(demo_db()), before);
}

TEST_F(PlanCli, CompareShowsBothPlansSideBySide) {
  const auto r = on_demo({"plan", "compare", input("plan_end_state.yaml"), input("plan_end_date.yaml"),
                          "--projection-samples", "50", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json c = json::parse(r.out);
  EXPECT_EQ(c["a"]["policy"], "end-state");
  EXPECT_EQ(c["b"]["policy"], "end-date");
  EXPECT_EQ(c["phases"].size(), 6u);
  ASSERT_EQ(c["totals"].size(), 2u);
  EXPECT_EQ(c["totals"][0]["exited_before_ready"], 0) << "end-state never exits before readiness";
  // the end-date calendar exits more provinces than are ready
  EXPECT_GT(c["totals"][1]["exits"].get<int>(), c["totals"][0]["exits"].get<int>());
}

}  // namespace
}  // namespace endstate::testing
